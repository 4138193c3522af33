-- One row per article with its current annotation: the latest successful
-- annotator run. Older versions and failed runs stay in raw for audit.
-- A table with fresh statistics, so the joins of the incremental models on
-- (article, annotator version) are planned on real row counts.
{{
    config(
        materialized='table',
        indexes=[
            {'columns': ['article_id'], 'unique': true},
            {'columns': ['source_changed_at']},
        ],
        post_hook='analyze {{ this }}',
    )
}}

with

annotations as (

    select * from {{ ref('stg_nlp__annotated_articles') }}

),

articles as (

    select * from {{ ref('stg_ingest__articles') }}

),

current_annotations as (

    select distinct on (article_id)
        article_id,
        annotator_version,
        annotation_pipeline,
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
        -- what incremental models compare with their watermark
        greatest(current_annotations.annotated_at, articles.updated_at) as source_changed_at

    from current_annotations
    inner join articles
        on current_annotations.article_id = articles.article_id

)

select * from final
