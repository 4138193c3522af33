with

source as (

    select * from {{ source('nlp', 'annotated_articles') }}

),

renamed as (

    select
        -- keys
        article_id,
        annotator_version,

        -- attributes
        status as annotation_status,
        language as annotation_language,
        pipeline as annotation_pipeline,
        error as annotation_error,
        topic as article_topic,
        topic_evidence as article_topic_evidence,

        -- measures
        n_sentences,
        n_actor_mentions,
        n_event_mentions,

        -- timestamps
        annotated_at,

        -- incremental bookkeeping: the transaction that last wrote the row
        change_xact

    from source

)

select * from renamed
