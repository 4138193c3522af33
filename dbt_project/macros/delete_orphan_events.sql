{#-
    post-hook of fct_events on incremental runs: an event whose last countable
    mention went away (its article was annotated again and now says something
    else) is removed, so incremental runs and a full refresh agree, and logged
    in int_events_retracted so the dashboard marts recount its day.
-#}
{% macro delete_orphan_events() -%}
    {%- if is_incremental() -%}
        with retracted as (
            delete from {{ this }} as events
            where not exists (
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
        select 1
    {%- endif -%}
{%- endmacro %}
