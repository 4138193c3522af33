-- Day x country x quad class: how many events each country took part in, as
-- actor 1, as actor 2 or as the place of action. Background events (history
-- recalled in an article) are left out.
-- Incremental by day (dbt_project.yml): only the days a build touched are
-- recounted. depends_on: {{ ref('int_events_retracted') }}

with

events as (

    select * from {{ ref('fct_events') }}
    where
        {{ recounted_days_filter() }}
        and not is_background and event_date is not null

),

-- each country an event involves, one row per part it plays in the event
participations as (

    select
        events.event_id,
        events.event_date,
        events.quad_class,
        events.goldstein,
        events.num_mentions,
        events.num_articles,
        events.num_sources,
        parts.country_code,
        parts.participation
    from events
    cross join
        lateral (
            values
            ('actor1', events.actor1_country_code),
            ('actor2', events.actor2_country_code),
            ('place', events.action_country_code)
        ) as parts (participation, country_code)
    where parts.country_code is not null

),

-- one row per (event, country), whatever its parts
event_countries as (

    select
        event_id,
        event_date,
        country_code,
        quad_class,
        min(goldstein) as goldstein,
        min(num_mentions) as num_mentions,
        min(num_articles) as num_articles,
        min(num_sources) as num_sources,
        bool_or(participation = 'actor1') as as_actor1,
        bool_or(participation = 'actor2') as as_actor2,
        bool_or(participation = 'place') as as_place
    from participations
    group by event_id, event_date, country_code, quad_class

),

final as (

    select
        -- keys
        {{ surrogate_key(['event_date', 'country_code', 'quad_class']) }} as daily_event_id,
        event_date,
        country_code,
        quad_class,

        -- measures
        count(*)::integer as num_events,
        (count(*) filter (where as_actor1))::integer as num_events_as_actor1,
        (count(*) filter (where as_actor2))::integer as num_events_as_actor2,
        (count(*) filter (where as_place))::integer as num_events_in_country,
        sum(num_mentions)::integer as num_mentions,
        sum(num_articles)::integer as num_articles,
        round(avg(goldstein), 2)::numeric(5, 2) as avg_goldstein,
        round(
            sum(goldstein * num_articles) / nullif(sum(num_articles), 0), 2
        )::numeric(5, 2) as weighted_goldstein,

        -- incremental bookkeeping (macros/incremental_window.sql)
        {{ current_snapshot_xmin() }} as watermark_xmin

    from event_countries
    group by event_date, country_code, quad_class

)

select * from final
