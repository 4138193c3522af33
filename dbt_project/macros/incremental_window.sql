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
    Everything is reread when the coding seeds changed since the model was
    built (an analyst edited the dictionary or the codebook).

    The watermark is read when the model compiles, so the filter is a
    constant: PostgreSQL estimates it from the index on written_xact and
    plans a 500-article run as the small job it is.
-#}

{#- The largest watermark_xmin the model holds, as text; none on a full build or an empty table. -#}
{% macro previous_watermark() -%}
    {%- if execute and is_incremental() -%}
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

{#- The filter the models downstream of int_articles_annotated put on the rows they read. -#}
{% macro incremental_article_filter(written_column='written_xact') -%}
    {%- if execute -%}
        {%- set state = run_query(
            "select max(watermark_xmin)::text, max(coding_version) from " ~ this
        ) -%}
        {%- set fingerprint = run_query(
            "select coding_version from " ~ ref('int_coding_version')
        ) -%}
        {%- set watermark = state.columns[0].values()[0] -%}
        {%- set built_with = state.columns[1].values()[0] -%}
        {%- set current = fingerprint.columns[0].values()[0] -%}
        {%- if watermark is none or built_with != current -%}
            true
        {%- else -%}
            {{ written_column }} >= {{ watermark }}
        {%- endif -%}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
