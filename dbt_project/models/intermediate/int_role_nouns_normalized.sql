-- Role nouns as the word forms a role phrase may contain: the term and its
-- plural in -s, normalised like the phrases (lower case, words separated by
-- single spaces). Matching is an equality join on word n-grams of the phrase;
-- the longest term found sets the sector.
{{ config(materialized='table') }}

with

role_nouns as (

    select * from {{ ref('role_nouns') }}

),

normalized as (

    select
        trim(regexp_replace(lower(term), '[^a-z0-9]+', ' ', 'g')) as term,
        upper(trim(sector)) as sector
    from role_nouns
    where nullif(trim(term), '') is not null

),

forms as (

    select
        term,
        sector,
        term as term_form,
        1 as form_rank
    from normalized
    where term <> ''

    union all

    select
        term,
        sector,
        term || 's' as term_form,
        2 as form_rank
    from normalized
    where term <> '' and term !~ 's$'

),

final as (

    select distinct on (term_form)
        term_form,
        term,
        sector,
        length(term) as term_length,
        array_length(string_to_array(term_form, ' '), 1) as n_words
    from forms
    order by term_form asc, form_rank asc, sector asc

)

select * from final
