with

source as (

    select * from {{ source('ingest', 'article_sources') }}

),

renamed as (

    select
        -- keys
        article_id,
        feed_id,
        entry_key,

        -- attributes
        linked_url,

        -- timestamps
        first_seen_at

    from source

)

select * from renamed
