with

source as (

    select * from {{ source('ingest', 'feeds') }}

),

renamed as (

    select
        -- keys
        feed_id,
        url as feed_url,

        -- attributes
        name as feed_name,
        coalesce(title, name) as feed_title,
        language as feed_language,
        upper(country) as feed_country_code,
        tags as feed_tags,
        site_url,
        lower(
            substring(coalesce(site_url, url) from '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/:?#]+)')
        ) as site_host,
        feed_format,
        enabled as is_enabled,
        poll_interval_s,
        last_status,
        last_outcome,
        last_error,

        -- measures
        consecutive_failures,
        unchanged_streak,
        entries_seen,
        extract_attempts,
        extract_failures,
        median_words,

        -- timestamps
        last_fetched_at,
        last_success_at,
        next_due_at,
        created_at,
        updated_at

    from source

)

select * from renamed
