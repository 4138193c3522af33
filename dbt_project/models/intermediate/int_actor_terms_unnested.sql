-- Every name, alias, nationality adjective and capital of the actor
-- dictionary as one normalised term per row: what mention text is compared with.
{{ config(materialized='table', indexes=[{'columns': ['term']}]) }}

with

dictionary as (

    select * from {{ ref('actor_dictionary') }}

),

terms as (

    select
        actor_code,
        'name' as term_kind,
        name as term_text
    from dictionary

    union all

    select
        dictionary.actor_code,
        'alias' as term_kind,
        aliases.term_text
    from dictionary
    cross join lateral unnest(string_to_array(dictionary.aliases, '|')) as aliases (term_text)

    union all

    select
        dictionary.actor_code,
        'adjective' as term_kind,
        adjectives.term_text
    from dictionary
    cross join lateral unnest(string_to_array(dictionary.adjectives, '|')) as adjectives (term_text)

    union all

    select
        actor_code,
        'capital' as term_kind,
        capital as term_text
    from dictionary
    where actor_kind = 'country'

),

normalized as (

    select distinct on (term, actor_code, term_kind)
        actor_code,
        term_kind,
        trim(term_text) as term_text,
        {{ normalize_term('term_text') }} as term
    from terms
    where {{ normalize_term('term_text') }} is not null
    order by term asc, actor_code asc, term_kind asc, term_text asc

),

final as (

    select
        -- keys
        {{ surrogate_key(['normalized.term', 'normalized.actor_code', 'normalized.term_kind']) }}
            as actor_term_id,
        normalized.actor_code,

        -- attributes
        normalized.term,
        normalized.term_text,
        normalized.term_kind,
        dictionary.actor_kind,
        dictionary.country_code,
        case normalized.term_kind
            when 'name' then 1
            when 'alias' then 2
            when 'adjective' then 3
            else 4
        end as term_rank

    from normalized
    inner join dictionary
        on normalized.actor_code = dictionary.actor_code

)

select * from final
