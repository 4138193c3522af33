{#-
    How the incremental models find what changed (see migration
    0030_change_xact.sql for the why).

    Each incremental model stores two numbers on every row it writes:
    watermark_xmin, the xmin of the snapshot its build read its inputs with
    (every transaction below it had finished), and written_xact, the id of
    the build's own transaction. Its next build takes the input rows written
    by transactions at or above its largest watermark_xmin: rows committed
    since, and rows of transactions still running then (read twice, which is
    harmless: the models delete and insert per article), never fewer.

    int_articles_annotated reads raw, whose rows carry change_xact; the models
    built on it read its written_xact, and so on down the chain. A model that
    failed keeps its old watermark and catches up on its next build.
    Everything is redone when the coding seeds changed since the model was
    built (an analyst edited the dictionary or the codebook).

    The watermark is read when the model compiles, so the filter is a
    constant: PostgreSQL plans it with the index on written_xact, and a
    500-article run as the small job it is.
-#}

{#-
    True when the model's table was built by this version of the project:
    a table from a release without the watermark columns (or a plain table
    that became incremental) has no watermark, and is redone in full once.
-#}
{% macro has_watermark() -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {{- return('watermark_xmin' in columns) -}}
{%- endmacro %}

{#- The largest watermark_xmin the model holds, as text; none on a full build, an empty or an older table. -#}
{% macro previous_watermark() -%}
    {%- if execute and is_incremental() and has_watermark() -%}
        {%- set state = run_query("select max(watermark_xmin)::text from " ~ this) -%}
        {{- return(state.columns[0].values()[0]) -}}
    {%- endif -%}
    {{- return(none) -}}
{%- endmacro %}

{#- The xmin of the snapshot the current statement reads with. -#}
{% macro current_snapshot_xmin() -%}
    pg_snapshot_xmin(pg_current_snapshot())::text::bigint
{%- endmacro %}

{#- The id of the current transaction (64-bit, never wraps). -#}
{% macro current_xact() -%}
    pg_current_xact_id()::text::bigint
{%- endmacro %}

{#-
    The models keyed by article (int_actor_mentions_resolved,
    int_event_mentions_coded, fct_event_mentions) rebuild the articles
    int_articles_annotated refreshed since their own last build: their
    pre-hook delete_reprocessed_articles() removes those articles' rows (an
    article annotated again may now have fewer mentions, or none), and their
    select, restricted by incremental_article_filter(), appends the new ones.
    article_watermark() is none when every article must be redone: a first
    build, or coding seeds edited since the model was built.
-#}
{% macro article_watermark() -%}
    {%- if execute and is_incremental() and has_watermark() -%}
        {#-
            the newest row (index on watermark_xmin): its watermark and coding
            version. The text cast gets another name: "order by watermark_xmin"
            would otherwise sort the text output column, and '988' > '1277'.
        -#}
        {%- set state = run_query(
            "select watermark_xmin::text as watermark, coding_version from " ~ this
            ~ " order by watermark_xmin desc limit 1"
        ) -%}
        {%- set fingerprint = run_query(
            "select coding_version from " ~ ref('int_coding_version')
        ) -%}
        {%- if state.rows | length > 0 and state.rows[0][1] == fingerprint.rows[0][0] -%}
            {{- return(state.rows[0][0]) -}}
        {%- endif -%}
    {%- endif -%}
    {{- return(none) -}}
{%- endmacro %}

{% macro reprocessed_articles(watermark) -%}
    select refreshed.article_id from {{ ref('int_articles_annotated') }} as refreshed
    where refreshed.written_xact >= {{ watermark }}
{%- endmacro %}

{% macro incremental_article_filter(article_column='article_id') -%}
    {%- set watermark = article_watermark() -%}
    {%- if watermark is none -%}
        true
    {%- else -%}
        {{ article_column }} = any(array({{ reprocessed_articles(watermark) }}))
    {%- endif -%}
{%- endmacro %}

{#-
    The rows of the batch's articles (the model's `articles` CTE) in a large
    table keyed by article: on incremental runs an index scan of the article
    ids as an array, whatever join method the planner may use (the models
    turn nested loops off), so a 500-article run reads 500 articles' rows,
    not the whole table; on full builds every row.
-#}
{% macro batch_articles_filter(article_column) -%}
    {%- if is_incremental() -%}
        {{ article_column }} = any(array(select articles.article_id from articles))
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#-
    withdrawn_log: a log_table the deleted rows' event_ids go to
    (int_event_mentions_coded -> int_event_mentions_withdrawn), so that
    fct_events recounts the events these articles no longer support.
-#}
{% macro delete_reprocessed_articles(withdrawn_log=none) -%}
    {%- if not is_incremental() -%}
        select 1
    {%- else -%}
        {%- set watermark = article_watermark() -%}
        {%- if withdrawn_log is not none %}
        with deleted as (
        {%- endif %}
            delete from {{ this }}
            {%- if watermark is not none %}
            {#- an array, not a join: the models' pre-hook turns nested loops off, and a
                hash join would scan the whole table to delete a batch's rows #}
            where article_id = any(array({{ reprocessed_articles(watermark) }}))
            {%- endif %}
        {%- if withdrawn_log is not none %}
            returning event_id
        )
        insert into {{ withdrawn_log }} (event_id, withdrawn_xact)
        select distinct event_id, {{ current_xact() }} from deleted
        {%- endif %}
    {%- endif -%}
{%- endmacro %}

{#-
    The dashboard marts (day grain) recount only the days a build touched:
    days of fct_events rows written, and of events retracted, since the mart's
    last build. recounted_days_filter() restricts the model's select to them;
    delete_recounted_days() is its pre-hook, emptying those days first (a day
    whose events all went away must not keep its old rows).
-#}
{% macro recounted_days(watermark) -%}
    select fct_events.event_date from {{ ref('fct_events') }} as fct_events
    where fct_events.written_xact >= {{ watermark }}
    union
    select retracted.event_date from {{ ref('int_events_retracted') }} as retracted
    where retracted.retracted_xact >= {{ watermark }}
{%- endmacro %}

{% macro recounted_days_filter(date_column='event_date') -%}
    {%- set watermark = previous_watermark() -%}
    {%- if watermark is none -%}
        true
    {%- else -%}
        {{ date_column }} in ({{ recounted_days(watermark) }})
    {%- endif -%}
{%- endmacro %}

{% macro delete_recounted_days() -%}
    {%- set watermark = previous_watermark() -%}
    {%- if not is_incremental() -%}
        select 1
    {%- elif watermark is none -%}
        delete from {{ this }}
    {%- else -%}
        delete from {{ this }} where event_date in ({{ recounted_days(watermark) }})
    {%- endif -%}
{%- endmacro %}
