-- The text and the raw HTML stay in raw: the warehouse needs the metadata,
-- and the sentences come from the annotators.
with

source as (

    select * from {{ source('ingest', 'articles') }}

),

renamed as (

    select
        -- keys
        article_id,
        canonical_url,
        feed_id,
        duplicate_of as duplicate_of_article_id,
        cluster_id,
        -- syndicated copies share one key: the near-duplicate cluster, else
        -- the exact original, else the article itself
        coalesce(cluster_id, duplicate_of, article_id) as cluster_key,

        -- attributes
        url as article_url,
        title as article_title,
        description as article_description,
        authors,
        site_name,
        lower(host) as host,
        language as article_language,
        language_confidence,
        content_hash,
        extractor,
        extractor_version,
        http_status,
        duplicate_of is not null as is_exact_duplicate,

        -- measures
        word_count,

        -- dates: the article's own date is its publication date where the
        -- page gives one, else the day newsflow first saw it
        (coalesce(published_at, first_seen_at) at time zone 'UTC')::date as article_date,

        -- timestamps
        published_at,
        first_seen_at,
        fetched_at,
        loaded_at,
        updated_at,

        -- incremental bookkeeping: the transaction that last wrote the row
        change_xact

    from source

)

select * from renamed
