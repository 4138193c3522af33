"""The poll stage of an ingest pass: due feeds in, pending entries out.

Each feed is fetched on the event loop (the shared client), then parsed and
recorded in one transaction in a worker thread: the poll, its new or changed
entries and its fetch-log row.  What comes out is the entries that need a
page, for the fetch stage's router.  It also reads the entries an earlier pass
left behind (``pending``, and ``failed`` ones now due).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import psycopg

from ingest import load
from ingest.catalog import (
    FeedRow,
    body_hash,
    due_feeds,
    entry_accounting,
    record_feed_fetch,
    upsert_entries,
)
from ingest.feed_parser import parse_feed
from ingest.pass_db import ConnectionPool
from ingest.pass_items import PassContext, Pending
from ingest.records import FetchResult, Outcome
from storage import feed_entries
from storage.feed_entries import PendingEntry

log = logging.getLogger(__name__)


class FeedPoller:
    def __init__(
        self,
        ctx: PassContext,
        db: ConnectionPool,
        *,
        feed_ids: Sequence[int] | None,
        retry_only: bool,
        max_attempts: int,
    ) -> None:
        self.ctx = ctx
        self.db = db
        self.feed_ids = list(feed_ids) if feed_ids is not None else None
        self.retry_only = retry_only
        self.max_attempts = max_attempts
        self.feeds_total = 0
        self.feeds_done = 0

    # -- reads (worker threads) ---------------------------------------------------
    def due_feeds(self) -> list[FeedRow]:
        with self.db.connection() as conn:
            return due_feeds(conn, self.ctx.now, feed_ids=self.feed_ids)

    def leftover_entries(self) -> list[Pending]:
        """Entries an earlier pass left: ``pending`` ones, and ``failed`` ones now due."""
        statuses = ["failed"] if self.retry_only else ["pending", "failed"]
        with self.db.connection() as conn:
            rows = feed_entries.waiting(
                conn,
                statuses=statuses,
                now=self.ctx.now,
                max_attempts=self.max_attempts,
                feed_ids=self.feed_ids,
            )
            return _with_existing(conn, rows)

    # -- one feed (event loop, then a worker thread) ----------------------------------
    async def poll(self, client: Any, feed: FeedRow) -> list[Pending]:
        """Fetch and record one feed; returns the entries that need a page."""
        result = await client.fetch(
            feed.url, kind="feed", etag=feed.etag, last_modified=feed.last_modified
        )
        s = self.ctx.summary
        s.feeds_polled += 1
        try:
            pending, outcome, changed, unchanged, skipped = await asyncio.to_thread(
                self._record, feed, result
            )
        except Exception as exc:
            log.exception("recording feed %s failed", feed.url)
            pending, outcome, changed, unchanged, skipped = (
                [],
                f"record_failed: {type(exc).__name__}",
                0,
                False,
                0,
            )
        self.ctx.outcomes[outcome] += 1
        if result.outcome is Outcome.NOT_MODIFIED or unchanged:
            s.feeds_not_modified += 1
        if outcome not in ("ok", "not_modified"):
            s.feeds_failed += 1
        s.entries_new += changed
        s.entries_skipped += skipped
        self.feeds_done += 1
        self.ctx.report("feeds", self.feeds_done, self.feeds_total)
        return pending

    def _record(
        self, feed: FeedRow, result: FetchResult
    ) -> tuple[list[Pending], str, int, bool, int]:
        """Parse (unless unchanged), record the poll, store entries; one transaction.

        Returns (pending entries, outcome, new or changed entries, body unchanged,
        items not stored).  The feed's fetch-log row counts the document's items:
        parsed, stored, changed and skipped by reason.
        """
        ctx = self.ctx
        parsed = None
        unchanged = False
        if result.ok:
            if feed.content_hash and body_hash(result.body) == feed.content_hash:
                unchanged = True  # 200 with the same bytes: nothing to parse
            else:
                parsed = parse_feed(
                    result.body,
                    url=result.final_url or feed.url,
                    content_type=result.content_type,
                    max_bytes=ctx.config.http.max_feed_bytes,
                    now=ctx.now,
                )
        outcome = str(result.outcome)
        error = result.error
        if parsed is not None and parsed.outcome is not Outcome.OK:
            outcome, error = str(parsed.outcome), parsed.error
        with self.db.connection() as conn, conn.transaction():
            changed = []
            skipped = 0
            fetch = ctx.fetch_row(result, "feed", feed.feed_id, outcome, error)
            if parsed is not None and parsed.outcome is Outcome.OK:
                changed = upsert_entries(conn, feed.feed_id, parsed.entries)
                counts = entry_accounting(conn, feed.feed_id, parsed, len(changed))
                skipped = sum(counts["entries_skipped"].values())
                fetch = replace(fetch, **counts)
            record_feed_fetch(
                conn, feed, result, parsed, len(changed), ctx.now, schedule=ctx.config.schedule
            )
            load.record_fetches(conn, [fetch])
            pending = _select_pending(conn, feed.feed_id, [e.entry_key for e in changed])
        return pending, outcome, len(changed), unchanged, skipped


def _select_pending(conn: psycopg.Connection, feed_id: int, keys: Sequence[str]) -> list[Pending]:
    """The entries among ``keys`` that need an article (new, or their link changed)."""
    if not keys:
        return []
    feed_entries.skip_linkless(conn, feed_id, keys)
    return _with_existing(conn, feed_entries.pending_among(conn, feed_id, keys))


def _with_existing(conn: psycopg.Connection, rows: Sequence[PendingEntry]) -> list[Pending]:
    """The rows, each marked with whether its URL is already an article."""
    existing = load.find_articles(conn, (r.canonical_url for r in rows if r.canonical_url))
    return [
        Pending(
            ref=r.ref,
            canonical_url=r.canonical_url,
            title=r.title,
            published_at=r.published_at,
            authors=r.authors,
            exists=r.canonical_url in existing,
        )
        for r in rows
    ]
