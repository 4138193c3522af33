{#-
    post-hook of fct_events on incremental runs: an event whose last countable
    mention went away (its article was annotated again and now says something
    else) is removed, so incremental runs and a full refresh agree.
-#}
{% macro delete_orphan_events() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} as events
        where not exists (
            select 1
            from {{ ref('int_event_mentions_coded') }} as mentions
            where mentions.event_id = events.event_id and mentions.is_countable
        )
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
