{#-
    How the incremental models find what changed (see migration
    0030_change_xact.sql for the why).

    Every raw article and annotation row carries change_xact, the id of the
    transaction that last wrote it. int_articles_annotated reads raw and
    stores, on each row it writes, watermark_xmin: the xmin of the snapshot it
    read raw with (every transaction below it had finished). Its next run
    takes the raw rows with change_xact >= the largest stored watermark_xmin:
    rows committed since, and rows of transactions still running then.

    The models built on it carry watermark_xmin from the article's row in
    int_articles_annotated and take the rows whose watermark_xmin >= their
    own largest: every article int_articles_annotated refreshed since they
    last ran (>=, not >: a long transaction can hold the xmin still over
    several runs; rereading is harmless, skipping is not). A model that
    failed keeps its old watermark and catches up on its next run. Everything is reread when the coding seeds changed since
    the model was built (an analyst edited the dictionary or the codebook).

    The watermark is read when the model compiles, so the filter is a
    constant: PostgreSQL estimates it from the index on watermark_xmin and plans
    a 500-article run as the small job it is.
-#}

{#- The largest watermark_xmin the model holds, as text; none on a full build or an empty table. -#}
{% macro previous_watermark() -%}
    {%- if execute and is_incremental() -%}
        {%- set state = run_query("select max(watermark_xmin)::text from " ~ this) -%}
        {{- return(state.columns[0].values()[0]) -}}
    {%- endif -%}
    {{- return(none) -}}
{%- endmacro %}

{#- The xmin of the snapshot the current statement reads with (int_articles_annotated). -#}
{% macro current_snapshot_xmin() -%}
    pg_snapshot_xmin(pg_current_snapshot())::text::bigint
{%- endmacro %}

{#- The filter the models built on int_articles_annotated put on the rows they read. -#}
{% macro incremental_article_filter(watermark_column='watermark_xmin') -%}
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
            {{ watermark_column }} >= {{ watermark }}
        {%- endif -%}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
