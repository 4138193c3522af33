-- Indexes for the ingest pass's own queries (owned by ingest/pipeline.py and ingest/load.py).

-- Extraction health per feed reads each feed's most recent articles
-- (ingest.load.refresh_extraction_health): without this it scans every source row.
create index if not exists article_sources_feed_idx
    on raw.article_sources (feed_id, first_seen_at desc);

-- ... and each feed's most recent page fetches.
create index if not exists fetch_log_page_feed_idx
    on raw.fetch_log (feed_id, fetched_at desc) where kind = 'page';
