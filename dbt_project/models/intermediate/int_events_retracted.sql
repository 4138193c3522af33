-- Events that left fct_events on an incremental build: their last countable
-- mention went away (the article was annotated again and now says something
-- else). fct_events' post-hook (macros/delete_orphan_events.sql) appends them
-- here as it deletes them, so the dashboard marts know to recount their days.
-- This select writes nothing: the table is created once, and a full refresh
-- starts the log empty, as it rebuilds fct_events and the marts from scratch
-- (macros/materializations/log_table.sql).
{{
    config(
        materialized='log_table',
        indexes=[{'columns': ['retracted_xact']}],
    )
}}

with

final as (

    select
        null::text as event_id,
        null::date as event_date,
        null::bigint as retracted_xact

)

select * from final
where false
