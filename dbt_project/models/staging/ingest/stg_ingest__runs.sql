with

source as (

    select * from {{ source('ingest', 'runs') }}

),

renamed as (

    select
        -- keys
        run_id,

        -- attributes
        stage,
        status as run_status,
        counts as run_counts,

        -- timestamps
        started_at,
        finished_at,
        extract(epoch from finished_at - started_at) as duration_s

    from source

)

select * from renamed
