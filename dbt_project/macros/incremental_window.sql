{#-
    The filter incremental models put on int_articles_annotated: articles
    whose annotation or metadata changed since the newest change already in
    the model, minus the lookback window (annotation transactions may commit
    out of order), or every article when the coding seeds changed since the
    model was built (an analyst edited the dictionary or the codebook, so old
    mentions must be coded again).
-#}
{% macro incremental_article_filter(changed_at_column='source_changed_at') -%}
    (
        {{ changed_at_column }} > (
            select coalesce(max(this_model.source_changed_at), '-infinity'::timestamptz)
            from {{ this }} as this_model
        ) - interval '{{ var("lookback_hours") }} hours'
        or (
            select coding_version.coding_version
            from {{ ref('int_coding_version') }} as coding_version
        ) is distinct from (
            select max(this_model.coding_version) from {{ this }} as this_model
        )
    )
{%- endmacro %}
