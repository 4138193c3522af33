-- newsflow raw schema, part 1: what ingestion writes.
-- Natural keys everywhere so every load can be an INSERT ... ON CONFLICT.

create schema if not exists raw;

-- ---------------------------------------------------------------------------
-- Feed catalogue, validators, health and scheduling
-- ---------------------------------------------------------------------------
create table raw.feeds (
    feed_id               bigint generated always as identity primary key,
    url                   text not null unique,          -- natural key
    name                  text not null,
    language              text,                          -- declared by the catalogue (BCP 47)
    country               text,                          -- ISO 3166-1 alpha-3 of the outlet
    tags                  text[] not null default '{}',
    poll_interval_s       integer not null default 900 check (poll_interval_s > 0),
    enabled               boolean not null default true,
    -- what the feed says about itself
    title                 text,
    site_url              text,
    feed_format           text,                          -- feedparser version: rss20, atom10, ...
    ttl_s                 integer,                       -- <ttl>, sy:updatePeriod, Cache-Control max-age
    -- HTTP validators for conditional GET
    etag                  text,
    last_modified         text,
    content_hash          text,                          -- of the last body, to spot "200 but unchanged"
    -- health
    last_fetched_at       timestamptz,
    last_success_at       timestamptz,
    last_status           integer,
    last_outcome          text,
    last_error            text,
    consecutive_failures  integer not null default 0,
    unchanged_streak      integer not null default 0,    -- polls in a row with nothing new
    entries_seen          bigint not null default 0,
    -- extraction health of the feed's site (refreshed after each batch)
    extract_attempts      integer not null default 0,
    extract_failures      integer not null default 0,
    median_words          integer,
    -- scheduling
    next_due_at           timestamptz not null default now(),
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now()
);
create index feeds_due_idx on raw.feeds (next_due_at) where enabled;

-- ---------------------------------------------------------------------------
-- Feed entries: one row per (feed, entry key); only new or changed items go on
-- ---------------------------------------------------------------------------
create table raw.feed_entries (
    feed_id               bigint not null references raw.feeds (feed_id) on delete cascade,
    entry_key             text not null,                 -- guid, else link
    guid                  text,
    link                  text,                          -- as published
    canonical_url         text,                          -- tracking parameters and fragment removed
    title                 text,
    summary               text,
    authors               text[] not null default '{}',
    categories            text[] not null default '{}',
    published_at          timestamptz,                   -- UTC; NULL when absent or impossible
    published_raw         text,                          -- the date string as found
    date_invalid          boolean not null default false,
    entry_hash            text not null,                 -- of the normalised fields: detects edits
    -- article download state for this entry
    article_status        text not null default 'pending'
        check (article_status in ('pending', 'ok', 'duplicate', 'failed', 'gave_up', 'skipped')),
    article_id            bigint,
    attempts              integer not null default 0,
    next_attempt_at       timestamptz not null default now(),
    last_error            text,
    first_seen_at         timestamptz not null default now(),
    updated_at            timestamptz not null default now(),
    primary key (feed_id, entry_key)
);
create index feed_entries_pending_idx on raw.feed_entries (next_attempt_at)
    where article_status in ('pending', 'failed');
create index feed_entries_canonical_idx on raw.feed_entries (canonical_url);

-- ---------------------------------------------------------------------------
-- Articles: one row per canonical URL
-- ---------------------------------------------------------------------------
create table raw.articles (
    article_id            bigint generated always as identity primary key,
    canonical_url         text not null unique,          -- natural key
    url                   text not null,                 -- final URL fetched (after redirects)
    feed_id               bigint references raw.feeds (feed_id) on delete set null,  -- first feed seen
    title                 text,
    description           text,
    authors               text[] not null default '{}',
    published_at          timestamptz,                   -- with time and zone where the page gives it
    site_name             text,
    host                  text not null,
    language              text,                          -- ISO 639-1 detected from the text
    language_confidence   real,
    text                  text not null,
    word_count            integer not null,
    content_hash          text not null,                 -- sha256 of normalised text
    duplicate_of          bigint references raw.articles (article_id),  -- exact copy of an earlier article
    cluster_id            bigint,                        -- near-duplicate cluster (article_id of its first member)
    extractor             text not null,                 -- e.g. 'trafilatura'
    extractor_version     text not null,                 -- bumped when extraction changes: re-extract older rows
    raw_html_gz           bytea,                         -- gzip of the bytes fetched
    http_status           integer,
    first_seen_at         timestamptz not null default now(),
    fetched_at            timestamptz not null,
    loaded_at             timestamptz not null default now(),
    updated_at            timestamptz not null default now()
);
create index articles_content_hash_idx on raw.articles (content_hash);
create index articles_cluster_idx on raw.articles (cluster_id);
create index articles_loaded_brin on raw.articles using brin (loaded_at);
create index articles_published_idx on raw.articles (published_at);
alter table raw.articles alter column raw_html_gz set storage external;  -- already compressed

-- lz4 is much cheaper than pglz for the text column; older or minimal builds lack it.
do $$
begin
    execute 'alter table raw.articles alter column text set compression lz4';
exception when others then
    raise notice 'lz4 compression unavailable, keeping the default: %', sqlerrm;
end
$$;

-- Which feed entries point at an article (a story carried by five feeds is one
-- article with five sources).
create table raw.article_sources (
    article_id            bigint not null references raw.articles (article_id) on delete cascade,
    feed_id               bigint not null references raw.feeds (feed_id) on delete cascade,
    entry_key             text not null,
    linked_url            text not null,                 -- the entry's link before canonicalisation
    first_seen_at         timestamptz not null default now(),
    primary key (article_id, feed_id, entry_key)
);

-- MinHash LSH index kept in the database so near-duplicate detection works
-- across batches and processes: one row per (band, bucket, article).
create table raw.article_lsh_bands (
    band                  smallint not null,
    bucket                bigint not null,
    article_id            bigint not null references raw.articles (article_id) on delete cascade,
    primary key (band, bucket, article_id)
);
create index article_lsh_bands_article_idx on raw.article_lsh_bands (article_id);

create table raw.article_minhash (
    article_id            bigint primary key references raw.articles (article_id) on delete cascade,
    signature             bytea not null                 -- uint64 hash values, little endian
);

-- ---------------------------------------------------------------------------
-- Every fetch, feed, page or robots.txt, with its outcome
-- ---------------------------------------------------------------------------
create table raw.fetch_log (
    fetch_id              bigint generated always as identity primary key,
    run_id                text,
    kind                  text not null check (kind in ('feed', 'page', 'robots')),
    url                   text not null,
    final_url             text,
    host                  text,
    feed_id               bigint,
    status                integer,                       -- HTTP status, NULL when none was received
    bytes                 bigint,
    duration_ms           integer,
    outcome               text not null,                 -- ok, not_modified, blocked_ssrf, robots_disallowed,
                                                         -- too_large, timeout, not_a_feed, extract_failed, ...
    error                 text,
    fetched_at            timestamptz not null default now()
);
create index fetch_log_fetched_brin on raw.fetch_log using brin (fetched_at);
create index fetch_log_feed_idx on raw.fetch_log (feed_id, fetched_at);

-- One row per pipeline run (CLI or Airflow task), for status and lag reporting.
create table raw.runs (
    run_id                text primary key,
    stage                 text not null,                 -- ingest, annotate, transform, ...
    started_at            timestamptz not null default now(),
    finished_at           timestamptz,
    status                text not null default 'running',
    counts                jsonb not null default '{}'::jsonb
);
