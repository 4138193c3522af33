with

source as (

    select * from {{ source('ingest', 'fetch_log') }}

),

renamed as (

    select
        -- keys
        fetch_id,
        run_id,
        feed_id,

        -- attributes
        kind as fetch_kind,
        url as fetch_url,
        final_url,
        lower(host) as host,
        status as http_status,
        outcome,
        outcome in ('ok', 'not_modified') as is_success,
        error,

        -- measures
        bytes,
        duration_ms,
        entries_parsed,
        entries_stored,
        entries_changed,
        entries_skipped,

        -- timestamps
        fetched_at,
        (fetched_at at time zone 'UTC')::date as fetched_date

    from source

)

select * from renamed
