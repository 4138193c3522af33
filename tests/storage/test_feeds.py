"""raw.feeds through the storage layer: merge by URL, removal, due order, polls, health."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import psycopg

from storage import feeds, fetch_log
from storage.fetch_log import FetchLogRow
from tests.storage.ingest_rows import NOW, add_feed

POLL = feeds.FeedPoll(
    etag='"e1"',
    last_modified=None,
    content_hash="c1",
    fetched_at=NOW,
    success=True,
    status=200,
    outcome="ok",
    error=None,
    consecutive_failures=0,
    unchanged_streak=0,
    entries_new=3,
    title="News",
    site_url="https://news.example/",
    feed_format="rss20",
    ttl_s=None,
    gone=False,
    next_due_at=NOW + timedelta(minutes=15),
)


def test_upsert_counts_only_real_changes(db_url: str) -> None:
    spec = feeds.FeedValues("https://a.example/f", "a", "en", None, ("x",), 900, True)
    with psycopg.connect(db_url, autocommit=True) as conn:
        assert feeds.upsert(conn, [spec, replace(spec, name="later wins")]) == 1
        assert feeds.upsert(conn, [replace(spec, name="later wins")]) == 0
        assert feeds.upsert(conn, []) == 0
        (row,) = feeds.all_feeds(conn)
        assert row["name"] == "later wins" and row["tags"] == ["x"]


def test_delete_by_url_and_name(db_url: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        first = add_feed(conn, "https://a.example/f", "same")
        add_feed(conn, "https://b.example/f", "same")
        assert sorted(feeds.ids_named(conn, "same"))[0] == first
        assert feeds.delete_by_url(conn, ["https://nope.example/", "https://b.example/f"])
        assert not feeds.delete_by_url(conn, ["https://b.example/f"])
        feeds.delete(conn, first)
        assert feeds.all_feeds(conn) == []


def test_due_and_record_poll(db_url: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        feed_id = add_feed(conn)
        conn.execute("update raw.feeds set next_due_at = %s", (NOW - timedelta(minutes=1),))
        (due,) = feeds.due(conn, NOW)
        assert due.feed_id == feed_id and due.etag is None
        feeds.record_poll(conn, feed_id, POLL)
        assert feeds.due(conn, NOW) == []
        assert [f.etag for f in feeds.due(conn, NOW, force=True)] == ['"e1"']
        assert feeds.due(conn, NOW, force=True, feed_ids=[feed_id + 1]) == []
        feeds.record_poll(conn, feed_id, replace(POLL, gone=True, success=False, outcome="gone"))
        (row,) = feeds.all_feeds(conn)
        assert not row["enabled"] and row["entries_seen"] == 6 and row["title"] == "News"


def test_extraction_health_counts_recent_page_outcomes(db_url: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        feed_id = add_feed(conn)
        rows = [
            FetchLogRow("page", f"https://news.example/{i}", outcome, NOW, feed_id=feed_id)
            for i, outcome in enumerate(["ok", "extract_failed", "timeout", "not_html"])
        ]
        fetch_log.append(conn, rows)
        feeds.refresh_extraction_health(conn, [feed_id])
        (row,) = feeds.all_feeds(conn)
        assert (row["extract_attempts"], row["extract_failures"]) == (3, 2)  # timeouts don't count
