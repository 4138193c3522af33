{#-
    The filter incremental models put on the rows they read: rows whose
    article changed (new annotation, re-extracted article) since the newest
    change already in the model, minus the lookback window (annotation
    transactions may commit out of order), or every row when the coding seeds
    changed since the model was built (an analyst edited the dictionary or
    the codebook, so old mentions must be coded again).

    The watermark and the seed fingerprint are read when the model compiles,
    so the filter is a constant: PostgreSQL then estimates it from the column
    statistics and the index on source_changed_at, and plans a 500-article
    run as the small job it is.
-#}
{% macro incremental_article_filter(changed_at_column='source_changed_at') -%}
    {%- if execute -%}
        {%- set state = run_query(
            "select max(source_changed_at)::text, max(coding_version) from " ~ this
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
            {{ changed_at_column }} > '{{ watermark }}'::timestamptz
            - interval '{{ var("lookback_minutes") }} minutes'
        {%- endif -%}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
