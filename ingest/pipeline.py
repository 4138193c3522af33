"""One ingest pass: due feeds → entries → pages → clean articles in ``raw``.

The database is the work queue, so a pass can die at any point and the next
one picks up where it stopped, without losing or duplicating anything:

* a feed's poll is recorded in one transaction with its new entries, which
  wait as ``pending`` in ``raw.feed_entries`` until their page is loaded;
* pages are loaded in batches, one transaction each (:mod:`ingest.load`),
  and a batch marks its entries done in the same transaction;
* a pass starts with the ``pending`` entries an earlier pass left behind and
  the ``failed`` ones whose back-off has passed.

The pass is four stages with explicit queues between them, overlapping so
that the network and both cores stay busy::

    poll (event loop)     fetch (event loop)      extract (thread)      load (thread)
    due feeds, entries ─► per-host page queues ─► extraction queue ──► load queue:
    ingest.poll_stage     ingest.fetch_stage      ExtractionPool        gzip, MinHash,
                          (polite per host)       workers, CPU caps     COPY + merge per batch
                                 ▲                       │
                                 └─── articles back ─────┘

(:mod:`ingest.pass_items` has what travels on the queues; the articles come
back to the fetch stage, which sends them and every failure to the loader.)
:class:`_Pass` below wires the stages together and runs them.

The event loop decides everything about URLs (one download per canonical URL
per pass, however many feeds carry it; entries whose article already exists
are linked without a download); the loader thread is the only writer of
articles, and it processes its queue in order, so a link that arrives after
its page is always resolved.  An article is keyed by the canonical URL its
page declares when :func:`ingest.urls.trusted_canonical` accepts it, else by
the entry's link: two links to copies of one story (AMP, print) are one row,
and a link already seen is linked to that row on later passes
(:func:`ingest.load.find_articles`).

The pass takes an :class:`ingest.options.IngestConfig` (the application
builds it from its environment; the library defaults otherwise).
"""

from __future__ import annotations

import asyncio
import queue
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from ingest.extract_stage import ExtractionStage
from ingest.fetch_stage import PageFetcher
from ingest.load import RetryPolicy
from ingest.load_stage import Loader
from ingest.options import IngestConfig, PipelineSettings
from ingest.pass_db import ConnectionPool
from ingest.pass_items import IngestSummary, PassContext, Progress, new_run_id
from ingest.poll_stage import FeedPoller
from ingest.reextract import reextract_outdated
from ingest.urls import host_of
from storage import runs
from storage.connection import connect

__all__ = [
    "IngestConfig",
    "IngestSummary",
    "PipelineSettings",
    "Progress",
    "new_run_id",
    "plan_batches",
    "reextract_outdated",
    "retry_failed_pages",
    "run_ingest",
]


class _Pass:
    """The coordinator: builds the stages and their queues, runs them, records the run."""

    def __init__(
        self,
        database_url: str,
        *,
        config: IngestConfig,
        run_id: str,
        now: datetime,
        progress: Progress | None,
        feed_ids: Sequence[int] | None,
        poll_feeds: bool,
        retry_only: bool,
    ) -> None:
        self.database_url = database_url
        self.config = config
        self.poll_feeds = poll_feeds
        options = config.pipeline
        policy = RetryPolicy(
            max_attempts=max(1, options.max_page_attempts),
            base_s=options.retry_base_s,
            max_s=options.retry_max_s,
        )
        self.summary = IngestSummary(run_id=run_id)
        self.ctx = PassContext(run_id, now, config, self.summary, progress)
        self.extract_q: queue.Queue[Any] = queue.Queue()
        self.load_q: queue.Queue[Any] = queue.Queue()
        self.db = ConnectionPool(database_url)
        self.poller = FeedPoller(
            self.ctx,
            self.db,
            feed_ids=feed_ids,
            retry_only=retry_only,
            max_attempts=policy.max_attempts,
        )
        self.fetcher = PageFetcher(self.ctx, extract_q=self.extract_q, load_q=self.load_q)
        self.loader = Loader(
            self.ctx,
            database_url,
            self.load_q,
            policy=policy,
            pages_total=lambda: self.fetcher.pages_total,
        )

    def run(self) -> IngestSummary:
        started = time.monotonic()
        with connect(self.database_url, autocommit=True) as conn:
            runs.start(conn, self.ctx.run_id, "ingest")
        status = "failed"
        try:
            self._run_stages()
            status = "partial" if self.summary.partial_failure else "ok"
        finally:
            self.summary.outcomes = dict(self.ctx.outcomes)
            self.summary.seconds = time.monotonic() - started
            with connect(self.database_url, autocommit=True) as conn:
                runs.finish(conn, self.ctx.run_id, status, self.summary.to_dict())
        return self.summary

    def _run_stages(self) -> None:
        from ingest.sandbox import ExtractionPool

        extraction: ExtractionStage | None = None
        self.loader.start()
        try:
            with ExtractionPool(settings=self.config.extraction) as pool:
                extraction = ExtractionStage(pool, self.extract_q)
                extraction.start()
                try:
                    asyncio.run(self._event_loop(extraction))
                finally:
                    extraction.stop()
        finally:
            self.loader.stop()
            self.db.close()
        for error in (extraction.error if extraction else None, self.loader.error):
            if error is not None:
                raise error

    async def _event_loop(self, extraction: ExtractionStage) -> None:
        """The poll and fetch stages; returns when every page is extracted or failed."""
        from ingest.http import SafeHttpClient

        fetcher, poller = self.fetcher, self.poller
        extraction.deliver_to(
            asyncio.get_running_loop(), fetcher.on_extracted, fetcher.abort_extraction
        )
        started = time.monotonic()
        async with SafeHttpClient(self.config.http, on_robots_fetch=fetcher.log_robots) as client:
            fetcher.start(client)
            try:
                fetcher.route(await asyncio.to_thread(poller.leftover_entries))
                if self.poll_feeds:
                    feeds = await asyncio.to_thread(poller.due_feeds)
                    poller.feeds_total = len(feeds)
                    self.ctx.report("feeds", 0, poller.feeds_total)
                    await asyncio.gather(*(self._poll(client, feed) for feed in feeds))
                self.summary.stage_seconds["feeds"] = time.monotonic() - started
            finally:
                await fetcher.stop_fetching()
            # the last pages come back from the extraction thread through the loop
            await fetcher.drained()

    async def _poll(self, client: Any, feed: Any) -> None:
        self.fetcher.route(await self.poller.poll(client, feed))


def run_ingest(
    database_url: str,
    *,
    feed_ids: Sequence[int] | None = None,
    config: IngestConfig | None = None,
    run_id: str | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> IngestSummary:
    """One pass: poll the due feeds (or ``feed_ids`` among them), download and
    extract their new pages, deduplicate and load.  Also finishes the pages an
    earlier pass left ``pending`` and retries ``failed`` ones whose back-off
    has passed (restricted to ``feed_ids`` when given).

    ``now`` is the pass's logical time (Airflow passes its data interval end):
    it decides which feeds are due and stamps schedules; it defaults to the
    clock.  ``progress(stage, done, total)`` is called with stage ``feeds``
    and ``pages``.
    """
    return _run(
        database_url,
        config=config,
        run_id=run_id,
        now=now,
        progress=progress,
        feed_ids=feed_ids,
        poll_feeds=True,
        retry_only=False,
    )


def retry_failed_pages(
    database_url: str,
    *,
    config: IngestConfig | None = None,
    now: datetime | None = None,
    run_id: str | None = None,
    progress: Progress | None = None,
) -> IngestSummary:
    """Download again the pages whose back-off has passed (attempts below the cap)."""
    return _run(
        database_url,
        config=config,
        run_id=run_id,
        now=now,
        progress=progress,
        feed_ids=None,
        poll_feeds=False,
        retry_only=True,
    )


def _run(
    database_url: str,
    *,
    config: IngestConfig | None,
    run_id: str | None,
    now: datetime | None,
    progress: Progress | None,
    feed_ids: Sequence[int] | None,
    poll_feeds: bool,
    retry_only: bool,
) -> IngestSummary:
    the_pass = _Pass(
        database_url,
        config=config or IngestConfig(),
        run_id=run_id or new_run_id(),
        now=now or datetime.now(UTC),
        progress=progress,
        feed_ids=feed_ids,
        poll_feeds=poll_feeds,
        retry_only=retry_only,
    )
    return the_pass.run()


def plan_batches(
    database_url: str, *, now: datetime | None = None, max_batches: int = 16
) -> list[list[int]]:
    """Due feed ids grouped by host into at most ``max_batches`` groups.

    One host's feeds stay in one group, so per-host politeness holds when the
    groups run in parallel (Airflow dynamic task mapping).  Groups are
    balanced greedily by feed count, largest hosts first.
    """
    from ingest.catalog import due_feeds

    with connect(database_url) as conn:
        feeds = due_feeds(conn, now or datetime.now(UTC))
    by_host: dict[str, list[int]] = {}
    for feed in feeds:
        by_host.setdefault(host_of(feed.url) or feed.url, []).append(feed.feed_id)
    groups: list[list[int]] = [[] for _ in range(max(1, min(max_batches, len(by_host))))]
    for _host, ids in sorted(by_host.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        min(groups, key=len).extend(sorted(ids))
    return [sorted(g) for g in groups if g]
