-- Role nouns ready for matching inside a role phrase: normalised, with the
-- padded form used for a whole-word search and their length (longest wins).
{{ config(materialized='table') }}

with

role_nouns as (

    select * from {{ ref('role_nouns') }}

),

normalized as (

    select distinct on (term)
        trim(regexp_replace(lower(term), '[^a-z0-9]+', ' ', 'g')) as term,
        upper(trim(sector)) as sector
    from role_nouns
    where nullif(trim(term), '') is not null
    order by term asc, sector asc

),

final as (

    select
        term,
        sector,
        '% ' || term || ' %' as term_like,
        '% ' || term || 's %' as plural_like,
        length(term) as term_length
    from normalized
    where term <> ''

)

select * from final
