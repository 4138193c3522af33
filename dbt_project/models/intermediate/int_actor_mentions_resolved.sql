-- Each actor mention of an article's current annotation -> the canonical
-- actor valid on the article's date, with the rule that fired:
--   1 dictionary_key   the annotator matched a dictionary alias
--   2 alias            the mention text is a name or alias ("Araqchi")
--   3 coreference      the full mention it refers to is ("Assad" -> "Bashar Assad")
--   4 capital_metonym  a capital standing for its government ("Tehran decided")
--   5 nationality      a nationality, country or capital descriptor ("Iraqi ...",
--                      "... from Iraq", "Washington's envoy")
--   6 located_in       followed by in/of/from a country ("security forces in Guinea")
--   7 place            a resolved place used as an actor (its country)
--   8 role_noun        only a role ("rebels", "the army")
--   9 sentence_country an official with no country, in a sentence naming one
--                      country ("President Bouteflika ... a curfew in Algiers")
--  10 article_country  a role with no country, in an article whose
--                      country-bearing mentions clearly name one country ("rebels")
-- then a role noun sets the sector of country-level actors ("Iraqi security
-- officials" -> IRQ GOV, "Iran-backed Shiite militia fighters from Iraq" ->
-- IRQ PAR sponsored by IRN), and a person's sector and country come from the
-- role they held on that date (actor_roles).
-- Nested loops are off for this model: PostgreSQL guesses the row counts of
-- the many CTEs (often 1) and would pick quadratic plans; hash joins are
-- right for every size here.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='append_new_columns',
        indexes=[
            {'columns': ['article_id', 'mention_index'], 'unique': true},
            {'columns': ['written_xact']},
            {'columns': ['watermark_xmin']},
        ],
        pre_hook=['{{ hash_joins_only() }}', '{{ delete_reprocessed_articles() }}'],
        post_hook='{{ analyze_after_full_build() }}',
    )
}}

with

articles as (

    select * from {{ ref('int_articles_annotated') }}
    {% if is_incremental() -%}
        where {{ incremental_article_filter() }}
    {%- endif %}

),

actor_mentions as (

    select actor_mentions.*
    from {{ ref('stg_nlp__actor_mentions') }} as actor_mentions
    where {{ batch_articles_filter('actor_mentions.article_id') }}

),

dictionary as (

    select * from {{ ref('actor_dictionary') }}

),

actor_roles as (

    select * from {{ ref('actor_roles') }}

),

terms as (

    select * from {{ ref('int_actor_terms_unnested') }}

),

role_nouns as (

    select * from {{ ref('int_role_nouns_normalized') }}

),

sponsor_terms as (

    select * from {{ ref('int_sponsor_terms_resolved') }}

),

sectors as (

    select * from {{ ref('sectors') }}

),

coding_version as (

    select * from {{ ref('int_coding_version') }}

),

sentences as (

    select sentences.*
    from {{ ref('stg_nlp__sentences') }} as sentences
    where {{ batch_articles_filter('sentences.article_id') }}

),

countries as (

    select distinct on (country_code)
        country_code,
        actor_code as country_actor_code,
        name as country_name
    from dictionary
    where actor_kind = 'country' and country_code is not null
    order by country_code asc, (actor_code = country_code) desc, actor_code asc

),

mentions as (

    select
        actor_mentions.*,
        articles.article_date,
        articles.source_changed_at,
        {{ normalize_term('actor_mentions.mention_text') }} as mention_term,
        {{ normalize_term('actor_mentions.resolved_text') }} as resolved_term,
        {{ normalize_term('actor_mentions.nationality') }} as nationality_term,
        {{ normalize_term('actor_mentions.sponsor_text') }} as sponsor_term,
        -- role phrase and mention text as lower-case words: where role nouns are looked for
        trim(regexp_replace(
            lower(concat_ws(' ', actor_mentions.role_text, actor_mentions.mention_text)),
            '[^a-z0-9]+', ' ', 'g'
        )) as role_words,
        string_to_array(trim(regexp_replace(
            lower(concat_ws(' ', actor_mentions.role_text, actor_mentions.mention_text)),
            '[^a-z0-9]+', ' ', 'g'
        )), ' ') as role_word_array
    from actor_mentions
    inner join articles
        on
            actor_mentions.article_id = articles.article_id
            and actor_mentions.annotator_version = articles.annotator_version

),

-- word n-grams of each role phrase, up to the longest role noun (var
-- role_noun_max_words, checked by a test on the seed)
role_ngrams as (

    select
        mentions.article_id,
        mentions.mention_index,
        array_to_string(
            mentions.role_word_array[word.word_position:word.word_position + lengths.n_words - 1],
            ' '
        ) as ngram
    from mentions
    cross join
        lateral unnest(mentions.role_word_array)
        with ordinality as word (word_text, word_position)
    cross join generate_series(1, {{ var('role_noun_max_words') }}) as lengths (n_words)
    where
        mentions.role_words <> ''
        and word.word_position + lengths.n_words - 1 <= cardinality(mentions.role_word_array)

),

best_role_nouns as (

    select distinct on (role_ngrams.article_id, role_ngrams.mention_index)
        role_ngrams.article_id,
        role_ngrams.mention_index,
        role_nouns.term as role_term,
        role_nouns.sector as role_noun_sector
    from role_ngrams
    inner join role_nouns
        on role_ngrams.ngram = role_nouns.term_form
    order by
        role_ngrams.article_id asc,
        role_ngrams.mention_index asc,
        role_nouns.term_length desc,
        role_nouns.term asc

),

-- each mention with the next one in its sentence (a window, not a self-join)
mention_neighbours as (

    select
        mentions.article_id,
        mentions.annotator_version,
        mentions.mention_index,
        mentions.sentence_index,
        mentions.entity_label,
        mentions.end_char,
        lead(mentions.start_char) over sentence_order as next_start_char,
        lead(mentions.dictionary_key) over sentence_order as next_dictionary_key,
        lead(mentions.mention_term) over sentence_order as next_mention_term,
        lead(mentions.place_country_code) over sentence_order as next_place_country_code
    from mentions
    window sentence_order as (
        partition by mentions.article_id, mentions.sentence_index
        order by mentions.start_char, mentions.mention_index
    )

),

-- "Security forces in Guinea", "demonstrators in Baghdad": a mention
-- followed by in/of/from and a country, its capital or a place in it
located_in as (

    select
        mention_neighbours.article_id,
        mention_neighbours.mention_index,
        coalesce(key_country.actor_code, term_country.actor_code, place_country.actor_code)
            as actor_code
    from mention_neighbours
    inner join sentences
        on
            mention_neighbours.article_id = sentences.article_id
            and mention_neighbours.annotator_version = sentences.annotator_version
            and mention_neighbours.sentence_index = sentences.sentence_index
    left join dictionary as key_country
        on
            mention_neighbours.next_dictionary_key = key_country.actor_code
            and key_country.actor_kind = 'country'
    left join terms as term_country
        on
            mention_neighbours.next_mention_term = term_country.term
            and term_country.term_kind in ('name', 'alias', 'capital')
            and term_country.actor_kind = 'country'
    left join dictionary as place_country
        on
            mention_neighbours.next_place_country_code = place_country.country_code
            and place_country.actor_kind = 'country'
    where
        mention_neighbours.entity_label not in ('GPE', 'LOC', 'FAC')
        and mention_neighbours.next_start_char > mention_neighbours.end_char
        and mention_neighbours.next_start_char <= mention_neighbours.end_char + 12
        and substring(
            sentences.sentence_text
            from mention_neighbours.end_char - sentences.sentence_start_char + 1
            for mention_neighbours.next_start_char - mention_neighbours.end_char
        ) ~* '^\s*(in|of|from)\s+(the\s+)?$'
        and coalesce(key_country.actor_code, term_country.actor_code, place_country.actor_code)
        is not null

),

rule_candidates as (

    select
        mentions.article_id,
        mentions.mention_index,
        dictionary.actor_code,
        1 as rule_rank,
        'dictionary_key' as resolution_rule
    from mentions
    inner join dictionary
        on mentions.dictionary_key = dictionary.actor_code

    union all

    select
        mentions.article_id,
        mentions.mention_index,
        terms.actor_code,
        case when terms.term_kind = 'adjective' then 5 else 2 end as rule_rank,
        case when terms.term_kind = 'adjective' then 'nationality' else 'alias' end
            as resolution_rule
    from mentions
    inner join terms
        on
            mentions.mention_term = terms.term
            and terms.term_kind in ('name', 'alias', 'adjective')

    union all

    select
        mentions.article_id,
        mentions.mention_index,
        terms.actor_code,
        3 as rule_rank,
        'coreference' as resolution_rule
    from mentions
    inner join terms
        on
            mentions.resolved_term = terms.term
            and terms.term_kind in ('name', 'alias')

    union all

    select
        mentions.article_id,
        mentions.mention_index,
        terms.actor_code,
        4 as rule_rank,
        'capital_metonym' as resolution_rule
    from mentions
    inner join terms
        on
            mentions.mention_term = terms.term
            and terms.term_kind = 'capital'
    where mentions.is_metonym

    union all

    select
        mentions.article_id,
        mentions.mention_index,
        terms.actor_code,
        5 as rule_rank,
        'nationality' as resolution_rule
    from mentions
    inner join terms
        on
            mentions.nationality_term = terms.term
            -- "Washington's envoy", "Moscow's ambassador": a capital names the country
            and terms.term_kind in ('name', 'alias', 'adjective', 'capital')
            and terms.actor_kind = 'country'

    union all

    select
        mentions.article_id,
        mentions.mention_index,
        dictionary.actor_code,
        7 as rule_rank,
        'place' as resolution_rule
    from mentions
    inner join dictionary
        on
            mentions.place_country_code = dictionary.country_code
            and dictionary.actor_kind = 'country'
    where mentions.entity_label in ('GPE', 'LOC', 'FAC')

    union all

    select
        located_in.article_id,
        located_in.mention_index,
        located_in.actor_code,
        6 as rule_rank,
        'located_in' as resolution_rule
    from located_in

),

-- the country of every mention the rules above resolve to a country-bearing actor
country_mentions as (

    select distinct
        rule_candidates.article_id,
        rule_candidates.mention_index,
        mentions.sentence_index,
        dictionary.country_code
    from rule_candidates
    inner join mentions
        on
            rule_candidates.article_id = mentions.article_id
            and rule_candidates.mention_index = mentions.mention_index
    inner join dictionary
        on rule_candidates.actor_code = dictionary.actor_code
    where dictionary.country_code is not null

),

-- the countries each sentence names
sentence_countries as (

    select
        article_id,
        sentence_index,
        min(country_code) as country_code,
        count(distinct country_code) as n_countries
    from country_mentions
    group by article_id, sentence_index

),

-- the article's own country: the one its country-bearing mentions name most,
-- when it is clearly the article's (at least two mentions, 40% of them and
-- twice the next country's): "rebels" in a story about Syria, "the
-- opposition", "teachers" in a story from Indiana
article_country_counts as (

    select
        article_id,
        country_code,
        count(distinct mention_index) as n_mentions
    from country_mentions
    group by article_id, country_code

),

article_country_ranks as (

    select
        article_id,
        country_code,
        n_mentions,
        sum(n_mentions) over (partition by article_id) as n_country_mentions,
        row_number() over (
            partition by article_id order by n_mentions desc, country_code asc
        ) as country_rank,
        lead(n_mentions) over (
            partition by article_id order by n_mentions desc, country_code asc
        ) as n_runner_up
    from article_country_counts

),

article_countries as (

    select
        article_id,
        country_code
    from article_country_ranks
    where
        country_rank = 1
        and n_mentions >= 2
        and n_mentions * 5 >= n_country_mentions * 2
        and n_mentions >= 2 * coalesce(n_runner_up, 0)

),

-- a role with no country of its own ("officials", "rebels", "teachers")
-- takes one from its context: an official the one country its sentence
-- names, if it names exactly one ("President Bouteflika ... in Algiers"),
-- else any role but a medium or an international body the article's country
contexts as (

    select
        mentions.article_id,
        mentions.mention_index,
        case
            when
                sentence_countries.n_countries = 1
                and best_role_nouns.role_noun_sector in ('GOV', 'JUD', 'LEG', 'MIL', 'COP', 'SPY')
                then sentence_countries.country_code
        end as sentence_country_code,
        case
            when coalesce(best_role_nouns.role_noun_sector, '') not in ('IGO', 'IMG', 'MED')
                then article_countries.country_code
        end as article_country_code
    from mentions
    inner join best_role_nouns
        on
            mentions.article_id = best_role_nouns.article_id
            and mentions.mention_index = best_role_nouns.mention_index
    left join sentence_countries
        on
            mentions.article_id = sentence_countries.article_id
            and mentions.sentence_index = sentence_countries.sentence_index
    left join article_countries
        on mentions.article_id = article_countries.article_id
    left join rule_candidates
        on
            mentions.article_id = rule_candidates.article_id
            and mentions.mention_index = rule_candidates.mention_index
    where rule_candidates.article_id is null

),

context_candidates as (

    select
        contexts.article_id,
        contexts.mention_index,
        countries.country_actor_code as actor_code,
        case when contexts.sentence_country_code is not null then 9 else 10 end as rule_rank,
        case
            when contexts.sentence_country_code is not null then 'sentence_country'
            else 'article_country'
        end as resolution_rule
    from contexts
    inner join countries
        on coalesce(contexts.sentence_country_code, contexts.article_country_code) = countries.country_code

),

candidates as (

    select * from rule_candidates
    union all
    select * from context_candidates

),

actors_with_roles as (

    select distinct actor_code from actor_roles

),

-- the role each candidate held on the article's date (a plain join, then
-- the latest role that started), if the actor has roles
candidate_roles as (

    select distinct on (candidates.article_id, candidates.mention_index, candidates.actor_code)
        candidates.article_id,
        candidates.mention_index,
        candidates.actor_code,
        actor_roles.role as role_title,
        actor_roles.country_code as role_country_code,
        actor_roles.sector as role_sector
    from candidates
    inner join mentions
        on
            candidates.article_id = mentions.article_id
            and candidates.mention_index = mentions.mention_index
    inner join actor_roles
        on
            candidates.actor_code = actor_roles.actor_code
            and mentions.article_date >= coalesce(actor_roles.valid_from, '-infinity'::date)
            and mentions.article_date <= coalesce(actor_roles.valid_to, 'infinity'::date)
    order by
        candidates.article_id asc,
        candidates.mention_index asc,
        candidates.actor_code asc,
        actor_roles.valid_from desc nulls last,
        actor_roles.role asc

),

dated_candidates as (

    select
        candidates.*,
        dictionary.actor_kind,
        candidate_roles.role_title,
        candidate_roles.role_country_code,
        candidate_roles.role_sector,
        candidate_roles.actor_code is not null as has_valid_role,
        actors_with_roles.actor_code is not null as has_roles
    from candidates
    inner join dictionary
        on candidates.actor_code = dictionary.actor_code
    left join actors_with_roles
        on candidates.actor_code = actors_with_roles.actor_code
    left join candidate_roles
        on
            candidates.article_id = candidate_roles.article_id
            and candidates.mention_index = candidate_roles.mention_index
            and candidates.actor_code = candidate_roles.actor_code

),

-- the people an article names in full ("Naftali Bennett", "President Putin")
people_named_in_full as (

    select distinct
        dated_candidates.article_id,
        dated_candidates.actor_code
    from dated_candidates
    inner join mentions
        on
            dated_candidates.article_id = mentions.article_id
            and dated_candidates.mention_index = mentions.mention_index
    where
        dated_candidates.actor_kind = 'person'
        and mentions.mention_text ~ '\S\s+\S'

),

-- a surname alone ("Bennett") is that person only when the article names them
-- in full or they hold an office on its date: otherwise another Bennett (a UN
-- rapporteur, a reporter) would become Israel's former prime minister
plausible_candidates as (

    select dated_candidates.*
    from dated_candidates
    inner join mentions
        on
            dated_candidates.article_id = mentions.article_id
            and dated_candidates.mention_index = mentions.mention_index
    left join people_named_in_full
        on
            dated_candidates.article_id = people_named_in_full.article_id
            and dated_candidates.actor_code = people_named_in_full.actor_code
    where
        dated_candidates.actor_kind <> 'person'
        or mentions.mention_text ~ '\S\s+\S'
        or dated_candidates.has_valid_role
        or people_named_in_full.actor_code is not null

),

best_candidates as (

    select distinct on (article_id, mention_index) *
    from plausible_candidates
    order by
        article_id asc,
        mention_index asc,
        rule_rank asc,
        has_valid_role desc,
        case actor_kind
            when 'country' then 1
            when 'igo' then 2
            when 'armed_group' then 3
            when 'organization' then 4
            when 'person' then 5
            else 6
        end asc,
        actor_code asc

),

own_resolution as (

    select
        mentions.article_id,
        mentions.mention_index,
        best_candidates.actor_code,
        best_candidates.actor_kind,
        dictionary.name as actor_name,
        best_candidates.role_title,
        best_role_nouns.role_term,
        coalesce(sponsor_terms.sponsor_code, dictionary.sponsor_code) as sponsor_code,
        coalesce(
            best_candidates.resolution_rule,
            case when best_role_nouns.role_term is not null then 'role_noun' end
        ) as resolution_rule,
        case
            when best_candidates.actor_kind in ('person', 'organization', 'armed_group', 'igo', 'media')
                then coalesce(best_candidates.role_country_code, dictionary.country_code)
            else dictionary.country_code
        end as country_code,
        case
            when best_candidates.actor_kind in ('person', 'organization', 'armed_group', 'igo', 'media')
                then
                    case
                        when best_candidates.has_valid_role then best_candidates.role_sector
                        when best_candidates.has_roles then null
                        else dictionary.sector
                    end
            else
                coalesce(
                    best_role_nouns.role_noun_sector,
                    case when best_candidates.resolution_rule = 'capital_metonym' then 'GOV' end,
                    case
                        when
                            best_candidates.resolution_rule
                            not in ('place', 'located_in', 'sentence_country', 'article_country')
                            then dictionary.sector
                    end
                )
        end as sector,
        case
            when best_candidates.actor_kind in ('person', 'organization', 'armed_group', 'igo', 'media')
                then
                    case
                        when best_candidates.has_valid_role then 'actor_role'
                        when best_candidates.has_roles then 'out_of_role'
                        else 'dictionary'
                    end
            when best_role_nouns.role_noun_sector is not null then 'role_noun'
            when best_candidates.resolution_rule = 'capital_metonym' then 'capital_metonym'
            when
                best_candidates.resolution_rule
                in ('place', 'located_in', 'sentence_country', 'article_country')
                then null
            when dictionary.sector is not null then 'dictionary'
        end as sector_rule
    from mentions
    left join best_candidates
        on
            mentions.article_id = best_candidates.article_id
            and mentions.mention_index = best_candidates.mention_index
    left join dictionary
        on best_candidates.actor_code = dictionary.actor_code
    left join best_role_nouns
        on
            mentions.article_id = best_role_nouns.article_id
            and mentions.mention_index = best_role_nouns.mention_index
    left join sponsor_terms
        on mentions.sponsor_term = sponsor_terms.term

),

with_agents as (

    select
        own_resolution.*,
        case
            when own_resolution.actor_kind in ('organization', 'armed_group', 'igo', 'media')
                then own_resolution.actor_code
            when own_resolution.country_code is not null
                then own_resolution.country_code || coalesce(own_resolution.sector, '')
            else own_resolution.sector
        end as agent_code,
        case
            when own_resolution.actor_kind in ('person', 'organization', 'armed_group', 'igo', 'media')
                then own_resolution.actor_name
            when own_resolution.country_code is not null
                then coalesce(countries.country_name, own_resolution.country_code)
                    || coalesce(' ' || sectors.name, '')
            else initcap(sectors.name)
        end as agent_name
    from own_resolution
    left join countries
        on own_resolution.country_code = countries.country_code
    left join sectors
        on own_resolution.sector = sectors.sector_code

),

-- a mention that resolves to nothing by itself inherits the resolution of the
-- mention it refers to ("he", "the minister" -> "Abbas Araghchi")
final as (

    select
        -- keys
        mentions.article_id,
        mentions.annotator_version,
        mentions.mention_index,
        mentions.sentence_index,
        coalesce(own.agent_code, referent.agent_code) as agent_code,
        coalesce(own.actor_code, referent.actor_code) as actor_code,
        case
            when own.agent_code is not null then own.agent_name else referent.agent_name
        end as agent_name,
        mentions.dictionary_key,
        mentions.resolved_mention_index,
        mentions.geonameid,

        -- attributes
        mentions.mention_text,
        mentions.mention_term,
        mentions.entity_label,
        mentions.mention_method,
        mentions.resolved_text,
        mentions.nationality,
        mentions.role_text,
        mentions.sponsor_text,
        mentions.is_metonym,
        coalesce(own.actor_kind, referent.actor_kind) as actor_kind,
        coalesce(own.country_code, referent.country_code) as country_code,
        coalesce(own.sector, referent.sector) as sector,
        coalesce(own.role_title, referent.role_title) as role_title,
        coalesce(own.role_term, referent.role_term) as role_term,
        coalesce(own.sponsor_code, referent.sponsor_code) as sponsor_code,
        case
            when own.agent_code is not null then own.resolution_rule
            when referent.agent_code is not null then 'coreference'
            else 'unresolved'
        end as resolution_rule,
        case
            when own.agent_code is not null then own.sector_rule
            else referent.sector_rule
        end as sector_rule,
        coalesce(own.agent_code, referent.agent_code) is not null as is_resolved,
        mentions.start_char,
        mentions.end_char,
        mentions.place_country_code,
        mentions.place_admin1,
        mentions.latitude,
        mentions.longitude,
        mentions.place_precision,

        -- dates and lineage
        mentions.article_date,
        mentions.source_changed_at,
        (select coding_version.coding_version from coding_version) as coding_version,

        -- incremental bookkeeping (macros/incremental_window.sql)
        {{ current_snapshot_xmin() }} as watermark_xmin,
        {{ current_xact() }} as written_xact

    from mentions
    inner join with_agents as own
        on
            mentions.article_id = own.article_id
            and mentions.mention_index = own.mention_index
    left join with_agents as referent
        on
            mentions.article_id = referent.article_id
            and mentions.resolved_mention_index = referent.mention_index
            and mentions.resolved_mention_index <> mentions.mention_index

)

select * from final
