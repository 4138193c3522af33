-- Day x actor: what each actor (the composite code events are keyed by, or a
-- named organisation) did and had done to it.
-- Incremental by day (dbt_project.yml): only the days a build touched are
-- recounted. depends_on: {{ ref('int_events_retracted') }}

with

events as (

    select * from {{ ref('fct_events') }}
    where
        {{ recounted_days_filter() }}
        and not is_background and event_date is not null

),

actors as (

    select * from {{ ref('dim_actors') }}

),

sides as (

    select
        event_date,
        actor1_code as actor_code,
        actor1_country_code as country_code,
        actor1_sector as sector,
        true as is_actor1,
        quad_class,
        goldstein,
        num_mentions,
        num_articles
    from events

    union all

    select
        event_date,
        actor2_code as actor_code,
        actor2_country_code as country_code,
        actor2_sector as sector,
        false as is_actor1,
        quad_class,
        goldstein,
        num_mentions,
        num_articles
    from events
    where actor2_code is not null

),

actor_names as (

    select distinct on (actor_code)
        actor_code,
        actor_name
    from actors
    order by actor_code asc, is_current desc, valid_from desc nulls last

),

final as (

    select
        -- keys
        {{ surrogate_key(['sides.event_date', 'sides.actor_code']) }} as actor_activity_id,
        sides.event_date,
        sides.actor_code,

        -- attributes
        min(actor_names.actor_name) as actor_name,
        min(sides.country_code) as country_code,
        min(sides.sector) as sector,

        -- measures
        (count(*) filter (where sides.is_actor1))::integer as num_events_as_actor1,
        (count(*) filter (where not sides.is_actor1))::integer as num_events_as_actor2,
        (count(*) filter (where sides.quad_class in (1, 2)))::integer as num_cooperative_events,
        (count(*) filter (where sides.quad_class in (3, 4)))::integer as num_conflictual_events,
        sum(sides.num_mentions)::integer as num_mentions,
        sum(sides.num_articles)::integer as num_articles,
        round(avg(sides.goldstein) filter (where sides.is_actor1), 2)::numeric(5, 2)
            as avg_goldstein_as_actor1,
        round(avg(sides.goldstein) filter (where not sides.is_actor1), 2)::numeric(5, 2)
            as avg_goldstein_as_actor2,

        -- incremental bookkeeping (macros/incremental_window.sql)
        {{ current_snapshot_xmin() }} as watermark_xmin

    from sides
    left join actor_names
        on sides.actor_code = actor_names.actor_code
    group by sides.event_date, sides.actor_code

)

select * from final
