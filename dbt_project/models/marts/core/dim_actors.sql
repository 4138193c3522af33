-- Actors: every dictionary actor, one row per role period where its roles
-- change over time (Bashar al-Assad, President of Syria until 2024-12-08),
-- with its aliases (Araghchi and Araqchi are one actor) and sponsor
-- (an Iran-backed militia -> IRN); plus the composite actors events are
-- keyed by: country + sector ("IRQPAR", Iraq paramilitary), sector alone
-- ("REB", rebels), country alone. Mentions take their country and sector
-- from the seeds only (dictionary, roles, role nouns), so every agent code
-- int_actor_mentions_resolved can produce is enumerated here from the seeds
-- (a test checks each batch's codes): this table changes when the seeds do,
-- not with every batch of articles.
with

dictionary as (

    select * from {{ ref('actor_dictionary') }}

),

actor_roles as (

    select * from {{ ref('actor_roles') }}

),

sectors as (

    select * from {{ ref('sectors') }}

),

role_nouns as (

    select * from {{ ref('role_nouns') }}

),

countries as (

    select distinct on (country_code)
        country_code,
        name as country_name
    from dictionary
    where actor_kind = 'country' and country_code is not null
    order by country_code asc, (actor_code = country_code) desc, actor_code asc

),

dictionary_periods as (

    select
        dictionary.actor_code,
        dictionary.name as actor_name,
        dictionary.actor_kind,
        coalesce(actor_roles.country_code, dictionary.country_code) as country_code,
        coalesce(actor_roles.sector, dictionary.sector) as sector,
        actor_roles.role as role_title,
        dictionary.sponsor_code,
        dictionary.aliases,
        dictionary.adjectives,
        dictionary.capital,
        dictionary.description,
        actor_roles.valid_from,
        actor_roles.valid_to,
        false as is_composite
    from dictionary
    left join actor_roles
        on dictionary.actor_code = actor_roles.actor_code

),

-- every country and sector a mention can be given
country_codes as (

    select dictionary.country_code from dictionary
    where dictionary.country_code is not null
    union
    select actor_roles.country_code from actor_roles
    where actor_roles.country_code is not null

),

sector_codes as (

    select sectors.sector_code from sectors
    union
    select dictionary.sector from dictionary
    where dictionary.sector is not null
    union
    select actor_roles.sector from actor_roles
    where actor_roles.sector is not null
    union
    select role_nouns.sector from role_nouns
    where role_nouns.sector is not null
    union
    -- a capital standing for its government
    select 'GOV'

),

composites as (

    select
        country_codes.country_code || sector_codes.sector_code as actor_code,
        coalesce(countries.country_name, country_codes.country_code)
        || ' ' || coalesce(sectors.name, sector_codes.sector_code) as actor_name,
        'composite' as actor_kind,
        country_codes.country_code,
        sector_codes.sector_code as sector
    from country_codes
    cross join sector_codes
    left join countries
        on country_codes.country_code = countries.country_code
    left join sectors
        on sector_codes.sector_code = sectors.sector_code

    union all

    select
        sector_codes.sector_code as actor_code,
        initcap(coalesce(sectors.name, sector_codes.sector_code)) as actor_name,
        'composite' as actor_kind,
        null as country_code,
        sector_codes.sector_code as sector
    from sector_codes
    left join sectors
        on sector_codes.sector_code = sectors.sector_code

    union all

    select
        country_codes.country_code as actor_code,
        coalesce(countries.country_name, country_codes.country_code) as actor_name,
        'composite' as actor_kind,
        country_codes.country_code,
        null as sector
    from country_codes
    left join countries
        on country_codes.country_code = countries.country_code

),

composite_rows as (

    select distinct on (composites.actor_code)
        composites.actor_code,
        composites.actor_name,
        composites.actor_kind,
        composites.country_code,
        composites.sector,
        null::text as role_title,
        null::text as sponsor_code,
        null::text as aliases,
        null::text as adjectives,
        null::text as capital,
        null::text as description,
        null::date as valid_from,
        null::date as valid_to,
        true as is_composite
    from composites
    left join dictionary
        on composites.actor_code = dictionary.actor_code
    where dictionary.actor_code is null
    order by composites.actor_code asc, composites.actor_name asc

),

all_rows as (

    select * from dictionary_periods
    union all
    select * from composite_rows

),

final as (

    select
        -- keys
        {{ surrogate_key([
            'all_rows.actor_code', 'all_rows.role_title', 'all_rows.valid_from',
        ]) }} as actor_key,
        all_rows.actor_code,
        all_rows.country_code,
        all_rows.sponsor_code,

        -- attributes
        all_rows.actor_name,
        all_rows.actor_kind,
        countries.country_name,
        all_rows.sector,
        sectors.name as sector_name,
        all_rows.role_title,
        coalesce(
            array_remove(string_to_array(all_rows.aliases, '|'), ''), array[]::text[]
        ) as aliases,
        coalesce(
            array_remove(string_to_array(all_rows.adjectives, '|'), ''), array[]::text[]
        ) as adjectives,
        all_rows.capital,
        all_rows.description,
        all_rows.is_composite,

        -- validity
        all_rows.valid_from,
        all_rows.valid_to,
        all_rows.valid_to is null or all_rows.valid_to >= current_date as is_current

    from all_rows
    left join countries
        on all_rows.country_code = countries.country_code
    left join sectors
        on all_rows.sector = sectors.sector_code

)

select * from final
