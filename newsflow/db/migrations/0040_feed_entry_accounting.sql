-- Feed items accounted for, and the enclosure that tells podcast episodes apart
-- (owned by ingest/feeds.py, ingest/catalog.py and ingest/pipeline.py).

-- The first enclosure of an entry (podcast audio, a JSON Feed attachment).
-- Items that share a link (every episode pointing at the show's page) are
-- separate entries; the enclosure is what separates them, so it is kept.
alter table raw.feed_entries add column if not exists enclosure_url text;

-- Per feed poll that parsed a document: how many items it held, how many are
-- stored in raw.feed_entries (new, changed or already there), how many of
-- those were new or changed, and the rest by reason (repeated_item,
-- no_identity, not_an_object).  entries_parsed = entries_stored + the sum of
-- entries_skipped.  NULL when nothing was parsed (304, unchanged body, a
-- failed fetch, or a page fetch).
alter table raw.fetch_log add column if not exists entries_parsed integer;
alter table raw.fetch_log add column if not exists entries_stored integer;
alter table raw.fetch_log add column if not exists entries_changed integer;
alter table raw.fetch_log add column if not exists entries_skipped jsonb;
