"""raw.feed_entries through the storage layer: the ingest work queue."""

from __future__ import annotations

from datetime import timedelta

import psycopg

from storage import feed_entries
from storage.feed_entries import EntryFailure
from tests.storage.ingest_rows import NOW, add_feed, entry


def test_upsert_returns_new_and_changed_keys_only(db_url: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        feed_id = add_feed(conn)
        first = [entry("a", "https://news.example/a"), entry("b\x00", "https://news.example/b")]
        assert feed_entries.upsert(conn, feed_id, first) == {"a", "b"}
        assert feed_entries.upsert(conn, feed_id, first) == set()
        edited = [entry("a", "https://news.example/a", entry_hash="h2")]
        assert feed_entries.upsert(conn, feed_id, edited) == {"a"}
        assert feed_entries.count_stored(conn, feed_id, ["a", "b", "c"]) == 2
        assert feed_entries.count_stored(conn, feed_id, []) == 0


def test_pending_linkless_waiting_and_failures(db_url: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        feed_id = add_feed(conn)
        items = [entry("a", "https://news.example/a"), entry("nolink", None)]
        feed_entries.upsert(conn, feed_id, items)
        feed_entries.skip_linkless(conn, feed_id, ["a", "nolink"])
        (pending,) = feed_entries.pending_among(conn, feed_id, ["a", "nolink"])
        assert pending.ref.entry_key == "a" and pending.canonical_url == "https://news.example/a"
        assert pending.ref.linked_url == "https://news.example/a" and pending.title == "a title"

        def waiting(statuses: list[str], at: object = NOW) -> list[str]:
            rows = feed_entries.waiting(
                conn, statuses=statuses, now=at, max_attempts=3, feed_ids=None
            )
            return [r.ref.entry_key for r in rows]

        assert waiting(["pending", "failed"]) == ["a"]
        later = NOW + timedelta(hours=1)
        failure = EntryFailure(feed_id, "a", "failed", 1, later, "timeout\x00: slow")
        feed_entries.mark_failed(conn, [failure])
        assert waiting(["pending", "failed"]) == []
        assert waiting(["failed"], later) == ["a"]
        assert (
            feed_entries.waiting(
                conn, statuses=["failed"], now=later, max_attempts=3, feed_ids=[feed_id + 1]
            )
            == []
        )
        feed_entries.mark_failed(conn, [EntryFailure(feed_id, "a", "failed", 3, later, None)])
        assert waiting(["failed"], later) == []  # attempts reached the cap
        status = conn.execute(
            "select article_status from raw.feed_entries where entry_key = 'nolink'"
        ).fetchone()
        assert status == ("skipped",)
