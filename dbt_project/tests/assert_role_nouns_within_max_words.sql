-- Role matching looks at word n-grams up to var('role_noun_max_words'): a
-- longer role noun in the seed would never match, so it fails here instead.
select
    term_form,
    n_words
from {{ ref('int_role_nouns_normalized') }}
where n_words > {{ var('role_noun_max_words') }}
