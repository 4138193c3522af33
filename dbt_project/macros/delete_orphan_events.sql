{#-
    post-hook of fct_events: an event whose last countable mention went away
    (its article was annotated again and now says something else) is removed,
    so incremental runs and a full refresh agree, and logged in
    int_events_retracted so the dashboard marts recount its day.

    Only the events in int_event_mentions_withdrawn can have lost mentions
    (int_event_mentions_coded's pre-hook logs the events of every row it
    deletes), so only they are checked, and the log is emptied: fct_events'
    select has just recounted them. A full build starts from every mention
    and only empties the log.
-#}
{% macro delete_orphan_events() -%}
    {%- set withdrawn = ref('int_event_mentions_withdrawn') -%}
    {%- if is_incremental() -%}
        with candidates as (
            delete from {{ withdrawn }}
            returning event_id
        ),

        retracted as (
            delete from {{ this }} as events
            where
                events.event_id in (select candidates.event_id from candidates)
                and not exists (
                    select 1
                    from {{ ref('int_event_mentions_coded') }} as mentions
                    where mentions.event_id = events.event_id and mentions.is_countable
                )
            returning events.event_id, events.event_date
        )

        insert into {{ ref('int_events_retracted') }} (event_id, event_date, retracted_xact)
        select event_id, event_date, {{ current_xact() }}
        from retracted
    {%- else -%}
        delete from {{ withdrawn }}
    {%- endif -%}
{%- endmacro %}
