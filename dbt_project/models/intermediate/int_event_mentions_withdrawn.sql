-- Events whose mentions left int_event_mentions_coded: an article annotated
-- again (or every article, after the coding seeds changed) has its old coded
-- mentions deleted by that model's pre-hook (macros/incremental_window.sql),
-- which logs their events here. fct_events recomputes these events with the
-- ones the batch mentions, so an event that lost one of its articles is
-- counted again and one that lost all of them is retracted, then empties the
-- log (macros/delete_orphan_events.sql). Without it those events would keep
-- counts nothing supports any more, or need a scan of every event per batch.
-- This select writes nothing (macros/materializations/log_table.sql).
{{
    config(
        materialized='log_table',
    )
}}

with

final as (

    select
        null::text as event_id,
        null::bigint as withdrawn_xact

)

select * from final
where false
