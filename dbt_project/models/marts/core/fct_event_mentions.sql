-- Every event candidate pair with its provenance: article, sentence,
-- character offsets, the pattern and rule that coded it, how each actor was
-- resolved, and why it does or does not count. The evidence behind fct_events.
-- depends_on: {{ ref('int_coding_version') }}
-- depends_on: {{ ref('int_articles_annotated') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook='{{ delete_reprocessed_articles() }}',
        on_schema_change='append_new_columns',
        indexes=[
            {'columns': ['event_id']},
            {'columns': ['article_id']},
            {'columns': ['watermark_xmin']},
        ],
    )
}}

with

coded as (

    select * from {{ ref('int_event_mentions_coded') }}
    {% if is_incremental() -%}
        where {{ incremental_article_filter() }}
    {%- endif %}

),

final as (

    select
        {#- the columns of the contract (fct_event_mentions.yml), in its order:
            int_event_mentions_coded derives them all, this model only keeps them -#}
        {%- for column in model.columns if column != 'watermark_xmin' %}
            {{ column }},
        {%- endfor %}

        -- incremental bookkeeping (macros/incremental_window.sql)
        {{ current_snapshot_xmin() }} as watermark_xmin

    from coded

)

select * from final
