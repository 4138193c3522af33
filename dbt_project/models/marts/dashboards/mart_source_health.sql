-- Per feed and per site: is it still delivering? Last success, failures,
-- articles per day and median words per article in the recent window against
-- the source's own history, so silent breakage (a feed that stops carrying
-- items, a site whose extraction starts returning stubs) shows up.
{% set recent_days = var('health_recent_days') %}
{% set history_days = var('health_history_days') %}

with

feeds as (

    select * from {{ ref('stg_ingest__feeds') }}

),

fetch_log as (

    select * from {{ ref('stg_ingest__fetch_log') }}

),

articles as (

    select * from {{ ref('stg_ingest__articles') }}

),

feed_entries as (

    select * from {{ ref('stg_ingest__feed_entries') }}

),

annotated as (

    select * from {{ ref('int_articles_annotated') }}

),

article_topics as (

    select * from {{ ref('article_topics') }}

),

bounds as (

    select
        now() as measured_at,
        now() - interval '{{ recent_days }} days' as recent_start,
        now() - interval '{{ recent_days + history_days }} days' as history_start

),

-- articles and fetches with the window they fall in and the feed and site
-- they count for: an article for both; a fetch of a feed document for its
-- feed, a fetch of a page for its site
windowed_articles as (

    select
        articles.feed_id,
        articles.host,
        articles.word_count,
        -- annotated, but of a topic whose events are not coded (seed article_topics)
        coalesce(not article_topics.is_coded, false) as is_not_coded,
        articles.first_seen_at >= bounds.recent_start as is_recent
    from articles
    cross join bounds
    left join annotated
        on articles.article_id = annotated.article_id
    left join article_topics
        on annotated.article_topic = article_topics.topic
    where articles.first_seen_at >= bounds.history_start

),

windowed_fetches as (

    select
        case when fetch_log.fetch_kind = 'feed' then fetch_log.feed_id end as feed_id,
        case when fetch_log.fetch_kind = 'page' then fetch_log.host end as host,
        fetch_log.is_success,
        fetch_log.outcome,
        fetch_log.fetched_at,
        fetch_log.fetched_at >= bounds.recent_start as is_recent
    from fetch_log
    cross join bounds
    where fetch_log.fetched_at >= bounds.history_start

),

-- the same measures per feed and per site, in one pass (grouping sets): a
-- row has a feed_id or a host, never both; rows whose key is null (articles
-- of no feed, fetches of neither kind) match no feed and no site
article_counts as (

    select
        feed_id,
        host,
        (count(*) filter (where is_recent))::integer as articles_recent,
        (count(*) filter (where not is_recent))::integer as articles_history,
        (count(*) filter (where is_recent and is_not_coded))::integer as articles_not_coded_recent,
        percentile_cont(0.5) within group (order by word_count) filter (where is_recent)
            as median_words_recent,
        percentile_cont(0.5) within group (order by word_count) filter (where not is_recent)
            as median_words_history
    from windowed_articles
    group by grouping sets ((feed_id), (host))

),

fetch_counts as (

    select
        feed_id,
        host,
        (count(*) filter (where is_recent))::integer as fetches_recent,
        (count(*) filter (where is_recent and not is_success))::integer as failures_recent,
        (count(*) filter (
            where is_recent and outcome like 'extract%'
        ))::integer as extraction_failures_recent,
        max(fetched_at) as last_fetched_at,
        max(fetched_at) filter (where is_success) as last_success_at
    from windowed_fetches
    group by grouping sets ((feed_id), (host))

),

feed_extraction as (

    select
        feed_entries.feed_id,
        (count(*) filter (
            where feed_entries.article_status in ('failed', 'gave_up')
        ))::integer as extraction_failures_recent
    from feed_entries
    cross join bounds
    where feed_entries.updated_at >= bounds.recent_start
    group by feed_entries.feed_id

),

feed_rows as (

    select
        'feed' as health_scope,
        feeds.feed_id,
        feeds.site_host,
        feeds.feed_name as source_name,
        feeds.feed_url as source_url,
        feeds.is_enabled,
        feeds.last_fetched_at,
        coalesce(feeds.last_success_at, feed_fetches.last_success_at) as last_success_at,
        feeds.consecutive_failures,
        feeds.last_outcome,
        feeds.last_error,
        coalesce(feed_fetches.fetches_recent, 0) as fetches_recent,
        coalesce(feed_fetches.failures_recent, 0) as failures_recent,
        coalesce(feed_extraction.extraction_failures_recent, 0) as extraction_failures_recent,
        coalesce(feed_articles.articles_recent, 0) as articles_recent,
        coalesce(feed_articles.articles_history, 0) as articles_history,
        coalesce(feed_articles.articles_not_coded_recent, 0) as articles_not_coded_recent,
        feed_articles.median_words_recent,
        feed_articles.median_words_history
    from feeds
    left join fetch_counts as feed_fetches
        on feeds.feed_id = feed_fetches.feed_id
    left join article_counts as feed_articles
        on feeds.feed_id = feed_articles.feed_id
    left join feed_extraction
        on feeds.feed_id = feed_extraction.feed_id

),

sites as (

    select article_counts.host from article_counts
    where article_counts.host is not null
    union
    select fetch_counts.host from fetch_counts
    where fetch_counts.host is not null

),

site_rows as (

    select
        'site' as health_scope,
        null::bigint as feed_id,
        sites.host as site_host,
        sites.host as source_name,
        null::text as source_url,
        true as is_enabled,
        site_fetches.last_fetched_at,
        site_fetches.last_success_at,
        null::integer as consecutive_failures,
        null::text as last_outcome,
        null::text as last_error,
        coalesce(site_fetches.fetches_recent, 0) as fetches_recent,
        coalesce(site_fetches.failures_recent, 0) as failures_recent,
        coalesce(site_fetches.extraction_failures_recent, 0) as extraction_failures_recent,
        coalesce(site_articles.articles_recent, 0) as articles_recent,
        coalesce(site_articles.articles_history, 0) as articles_history,
        coalesce(site_articles.articles_not_coded_recent, 0) as articles_not_coded_recent,
        site_articles.median_words_recent,
        site_articles.median_words_history
    from sites
    left join article_counts as site_articles
        on sites.host = site_articles.host
    left join fetch_counts as site_fetches
        on sites.host = site_fetches.host

),

all_rows as (

    select * from feed_rows
    union all
    select * from site_rows

),

measured as (

    select
        all_rows.*,
        round(all_rows.articles_recent::numeric / {{ recent_days }}, 2) as articles_per_day_recent,
        round(all_rows.articles_history::numeric / {{ history_days }}, 2) as articles_per_day_history,
        round(
            (all_rows.median_words_recent / nullif(all_rows.median_words_history, 0))::numeric, 2
        ) as median_words_ratio,
        round(all_rows.failures_recent::numeric / nullif(all_rows.fetches_recent, 0), 3)
            as failure_rate_recent,
        bounds.measured_at
    from all_rows
    cross join bounds

),

final as (

    select
        -- keys
        {{ surrogate_key(['health_scope', 'coalesce(feed_id::text, site_host)']) }}
            as source_health_id,
        health_scope,
        feed_id,
        site_host,

        -- attributes
        source_name,
        source_url,
        is_enabled,
        last_outcome,
        last_error,
        case
            when not is_enabled then 'disabled'
            when
                coalesce(consecutive_failures, 0) >= 3
                or (fetches_recent > 0 and failures_recent = fetches_recent)
                then 'failing'
            when articles_recent = 0 and articles_history > 0 then 'silent'
            when
                median_words_ratio < 0.5
                or extraction_failures_recent > greatest(articles_recent, 1)
                or failure_rate_recent >= 0.5
                then 'degraded'
            else 'ok'
        end as health_status,

        -- measures
        consecutive_failures,
        fetches_recent,
        failures_recent,
        failure_rate_recent,
        extraction_failures_recent,
        articles_recent,
        articles_history,
        articles_not_coded_recent,
        articles_per_day_recent,
        articles_per_day_history,
        median_words_recent::numeric(10, 1) as median_words_recent,
        median_words_history::numeric(10, 1) as median_words_history,
        median_words_ratio,

        -- timestamps
        last_fetched_at,
        last_success_at,
        measured_at

    from measured

)

select * from final
