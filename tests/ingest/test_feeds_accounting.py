"""An ingest pass over one feed of every format: each item stored or counted in the fetch log.

The feeds are served on 127.0.0.1 (their links rewritten to the same server,
where the pages are 404s, so no name is resolved) and polled by the real
pipeline.  For every feed the fetch log says how many items the document held,
how many are stored and why the rest are not, and the stored count is the
rows in ``raw.feed_entries``.  A re-poll of the same documents adds nothing.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import psycopg

from ingest.catalog import FeedSpec, upsert_feeds
from ingest.options import IngestConfig
from ingest.pipeline import run_ingest
from newsflow.loopback import LoopbackServer, Route
from tests.ingest.test_feeds_formats import FEEDS, FORMATS, items_in
from tests.ingest.test_pipeline import settings_for

_HOST = re.compile(rb"https?://(?:[a-z0-9-]+\.)*example\.(?:com|org|net|de)")


def _settings(db_url: str) -> IngestConfig:
    return settings_for(db_url, batch_size=8, respect_robots=False)


def _fetch_counts(conn: psycopg.Connection, run_id: str) -> dict[str, tuple]:
    rows = conn.execute(
        """
        select f.name, l.outcome, l.entries_parsed, l.entries_stored, l.entries_changed,
               l.entries_skipped,
               (select count(*) from raw.feed_entries e where e.feed_id = f.feed_id)
          from raw.fetch_log l join raw.feeds f using (feed_id)
         where l.kind = 'feed' and l.run_id = %s
        """,
        (run_id,),
    ).fetchall()
    return {name: tuple(rest) for name, *rest in rows}


def test_every_item_of_every_format_is_stored_or_recorded(db_url: str) -> None:
    with LoopbackServer() as server:
        base = server.base_url.rstrip("/").encode()
        for name, *_ in FORMATS:
            body = _HOST.sub(base, (FEEDS / name).read_bytes())
            kind = "application/feed+json" if name.endswith(".json") else "application/xml"
            server.routes[f"/feeds/{name}"] = Route(body, content_type=kind)
        with psycopg.connect(db_url, autocommit=True) as conn:
            upsert_feeds(
                conn, [FeedSpec(name=n, url=server.url(f"/feeds/{n}")) for n, *_ in FORMATS]
            )
        first = run_ingest(db_url, config=_settings(db_url), run_id="accounting-1")
        assert first.feeds_polled == len(FORMATS) and first.feeds_failed == 0

        with psycopg.connect(db_url, autocommit=True) as conn:
            got = _fetch_counts(conn, "accounting-1")
            for name, _version, count, skipped in FORMATS:
                outcome, parsed, stored, changed, skipped_log, rows = got[name]
                assert outcome == "ok", name
                assert parsed == items_in(name), name
                assert parsed == stored + sum(skipped_log.values()), name
                assert (stored, changed, rows, skipped_log) == (count, count, count, skipped), name
            total = sum(count for _, _, count, _ in FORMATS)
            assert first.entries_new == total
            assert first.entries_skipped == sum(sum(k.values()) for *_, k in FORMATS)
            # the same documents again, fetched and parsed in full (validators forgotten)
            conn.execute("update raw.feeds set content_hash = null, etag = null,"
                         " last_modified = null")  # fmt: skip

        later = datetime.now(UTC) + timedelta(days=2)
        second = run_ingest(db_url, config=_settings(db_url), run_id="accounting-2", now=later)
        assert second.entries_new == 0
        with psycopg.connect(db_url, autocommit=True) as conn:
            again = _fetch_counts(conn, "accounting-2")
            for name, _version, count, skipped in FORMATS:
                assert again[name][1:] == (items_in(name), count, 0, skipped, count), name
            assert conn.execute("select count(*) from raw.feed_entries").fetchone() == (total,)


def test_an_entry_missing_from_the_table_is_counted_not_lost(db_url: str) -> None:
    from ingest.catalog import entry_accounting, upsert_entries
    from tests.ingest.test_feeds_formats import parse

    feed = parse("jsonfeed11.json")
    with psycopg.connect(db_url, autocommit=True) as conn:
        upsert_feeds(conn, [FeedSpec(name="j", url="https://sounds.example.com/feed.json")])
        (feed_id,) = conn.execute("select feed_id from raw.feeds").fetchone()  # type: ignore[misc]
        upsert_entries(conn, feed_id, feed.entries[:3])  # one entry never stored
        counts = entry_accounting(conn, feed_id, feed, 3)
    assert counts["entries_parsed"] == 7 and counts["entries_stored"] == 3
    assert counts["entries_skipped"] == {
        "no_identity": 1,
        "not_an_object": 1,
        "not_stored": 1,
        "repeated_item": 1,
    }
