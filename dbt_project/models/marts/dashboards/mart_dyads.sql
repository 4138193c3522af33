-- Day x (actor 1 country, actor 2 country) x event type: who did what to
-- whom. Both sides must have a country; background events are left out.
-- Incremental by day (dbt_project.yml): only the days a build touched are
-- recounted. depends_on: {{ ref('int_events_retracted') }}

with

events as (

    select * from {{ ref('fct_events') }}
    where
        {{ recounted_days_filter() }}
        and not is_background
        and event_date is not null
        and actor1_country_code is not null
        and actor2_country_code is not null

),

final as (

    select
        -- keys
        {{ surrogate_key([
            'event_date', 'actor1_country_code', 'actor2_country_code', 'event_type',
        ]) }} as dyad_id,
        event_date,
        actor1_country_code,
        actor2_country_code,
        event_type,

        -- attributes
        min(quad_class) as quad_class,
        min(cameo_root) as cameo_root,

        -- measures
        count(*)::integer as num_events,
        sum(num_mentions)::integer as num_mentions,
        sum(num_articles)::integer as num_articles,
        sum(num_sources)::integer as num_sources,
        round(avg(goldstein), 2)::numeric(5, 2) as avg_goldstein,

        -- incremental bookkeeping (macros/incremental_window.sql)
        {{ current_snapshot_xmin() }} as watermark_xmin

    from events
    group by event_date, actor1_country_code, actor2_country_code, event_type

)

select * from final
