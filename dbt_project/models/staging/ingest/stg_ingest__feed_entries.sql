with

source as (

    select * from {{ source('ingest', 'feed_entries') }}

),

renamed as (

    select
        -- keys
        feed_id,
        entry_key,
        article_id,

        -- attributes
        link,
        canonical_url,
        enclosure_url,
        title as entry_title,
        article_status,
        attempts as article_attempts,
        last_error,
        date_invalid as is_date_invalid,

        -- timestamps
        published_at,
        first_seen_at,
        updated_at

    from source

)

select * from renamed
