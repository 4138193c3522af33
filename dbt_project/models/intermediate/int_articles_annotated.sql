-- One row per article with its current annotation: the latest successful
-- annotator run. Older versions and failed runs stay in raw for audit.
-- Incremental: each run refreshes the articles whose raw article or
-- annotation rows changed since the raw snapshot it last read (see
-- macros/incremental_window.sql), so the per-batch build reads a batch, not
-- the archive. The models built on it take the articles it refreshed.
{%- set watermark = previous_watermark() %}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='article_id',
        on_schema_change='append_new_columns',
        indexes=[
            {'columns': ['written_xact']},
            {'columns': ['watermark_xmin']},
        ],
        post_hook='{{ analyze_after_full_build() }}',
    )
}}

with

all_annotations as (

    select * from {{ ref('stg_nlp__annotated_articles') }}

),

all_articles as (

    select * from {{ ref('stg_ingest__articles') }}

),

-- the articles to (re)build: on an incremental run those with a raw change
-- the last run could not see, else all
changed_articles as (

    {% if watermark is not none -%}
        select all_annotations.article_id from all_annotations
        where all_annotations.change_xact >= {{ watermark }}
        union
        select all_articles.article_id from all_articles
        where all_articles.change_xact >= {{ watermark }}
    {%- else -%}
        select all_articles.article_id from all_articles
    {%- endif %}

),

annotations as (

    select all_annotations.*
    from all_annotations
    inner join changed_articles
        on all_annotations.article_id = changed_articles.article_id

),

articles as (

    select all_articles.*
    from all_articles
    inner join changed_articles
        on all_articles.article_id = changed_articles.article_id

),

current_annotations as (

    select distinct on (article_id)
        article_id,
        annotator_version,
        annotation_pipeline,
        article_topic,
        article_topic_evidence,
        annotated_at
    from annotations
    where annotation_status = 'ok'
    order by article_id asc, annotated_at desc, annotator_version desc

),

final as (

    select
        -- keys
        current_annotations.article_id,
        current_annotations.annotator_version,
        articles.feed_id,
        articles.cluster_key,

        -- attributes
        current_annotations.annotation_pipeline,
        current_annotations.article_topic,
        current_annotations.article_topic_evidence,
        articles.article_url,
        articles.article_title,
        articles.site_name,
        articles.host,
        articles.article_language,
        articles.word_count,

        -- dates and timestamps
        articles.article_date,
        articles.published_at,
        articles.first_seen_at,
        articles.loaded_at,
        current_annotations.annotated_at,
        greatest(current_annotations.annotated_at, articles.updated_at) as source_changed_at,

        -- incremental bookkeeping (macros/incremental_window.sql)
        {{ current_snapshot_xmin() }} as watermark_xmin,
        {{ current_xact() }} as written_xact

    from current_annotations
    inner join articles
        on current_annotations.article_id = articles.article_id

)

select * from final
