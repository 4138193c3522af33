"""One ingest pass: due feeds → entries → pages → clean articles in ``raw``.

The database is the work queue, so a pass can die at any point and the next
one picks up where it stopped, without losing or duplicating anything:

* a feed's poll is recorded in one transaction with its new entries, which
  wait as ``pending`` in ``raw.feed_entries`` until their page is loaded;
* pages are loaded in batches, one transaction each (:mod:`ingest.load`),
  and a batch marks its entries done in the same transaction;
* a pass starts with the ``pending`` entries an earlier pass left behind and
  the ``failed`` ones whose back-off has passed.

Work overlaps so that the network and both cores stay busy::

    event loop (main thread)       extraction thread         loader thread
    feeds, pages: SafeHttpClient ─► ExtractionPool workers ─► gzip, MinHash,
    (concurrent, polite per host)   (processes, CPU caps)     COPY + merge per batch

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
import collections
import contextlib
import gzip
import logging
import queue
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import psycopg

from ingest import load
from ingest.dedup import content_hash, signatures
from ingest.load import ArticleRow, EntryRef, FetchLogRow, PageLoad, RetryPolicy
from ingest.options import IngestConfig, PipelineSettings
from ingest.types import ExtractedArticle, FetchResult, Outcome
from ingest.urls import host_of, trusted_canonical
from storage import articles as article_rows
from storage import feed_entries, runs
from storage.feed_entries import PendingEntry

__all__ = [
    "IngestConfig",
    "IngestSummary",
    "PipelineSettings",
    "new_run_id",
    "plan_batches",
    "reextract_outdated",
    "retry_failed_pages",
    "run_ingest",
]

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

Progress = Callable[[str, int, int], None]

#: Content types that are certainly not article pages (podcast enclosures, PDFs).
_BINARY_TYPES = (
    "audio/",
    "video/",
    "image/",
    "font/",
    "application/pdf",
    "application/zip",
    "application/octet-stream",
)


@dataclass
class IngestSummary:
    """What one pass did; ``to_dict`` is what ``raw.runs.counts`` and ``--json`` hold.

    ``outcomes`` counts the feed and page fetches of the pass by outcome code
    (``ok``, ``not_modified``, ``timeout``, ``extract_failed``...); robots.txt
    fetches are counted as ``robots:<outcome>``.
    """

    run_id: str
    feeds_polled: int = 0
    feeds_failed: int = 0
    feeds_not_modified: int = 0
    entries_new: int = 0
    #: feed items not stored as entries (repeats, items with nothing to key them by);
    #: per feed and reason in ``raw.fetch_log.entries_skipped``
    entries_skipped: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    duplicates_exact: int = 0
    duplicates_near: int = 0
    pages_failed: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    pages_fetched: int = 0
    entries_linked: int = 0
    seconds: float = 0.0
    #: where the time went: ``feeds`` (wall time until every feed was recorded),
    #: ``fetch_busy`` (summed page download time; downloads overlap),
    #: ``load_busy`` (loader thread: gzip, MinHash, COPY and merge)
    stage_seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["outcomes"] = dict(sorted(self.outcomes.items()))
        data["seconds"] = round(self.seconds, 3)
        data["stage_seconds"] = {k: round(v, 3) for k, v in sorted(self.stage_seconds.items())}
        return data

    @property
    def partial_failure(self) -> bool:
        return self.feeds_failed > 0 or self.pages_failed > 0


def new_run_id(stage: str = "ingest") -> str:
    return f"{stage}-{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


# ---------------------------------------------------------------------------
# Work items
# ---------------------------------------------------------------------------
@dataclass
class _Job:
    """One canonical URL to download in this pass, and the entries waiting for it."""

    key: int
    canonical_url: str
    entries: list[EntryRef]
    feed_id: int
    title: str | None = None  # the entry's, when the page has none
    published_at: datetime | None = None
    authors: tuple[str, ...] = ()
    state: str = "queued"  # queued -> fetching -> extracting -> handed (to the loader)
    result: FetchResult | None = None


@dataclass(frozen=True)
class _Pending:
    """A ``pending``/``failed`` entry row, as the router needs it."""

    ref: EntryRef
    canonical_url: str | None
    title: str | None
    published_at: datetime | None
    authors: tuple[str, ...]
    exists: bool  # the canonical URL is already an article


@dataclass
class _Extracted:
    job: _Job
    article: ExtractedArticle


@dataclass
class _Failed:
    job: _Job
    fetch: FetchLogRow
    retry_after_s: float | None = None


@dataclass
class _Link:
    canonical_url: str
    refs: list[EntryRef]


_DONE = object()


def _fetch_row(
    result: FetchResult,
    kind: str,
    run_id: str,
    feed_id: int | None,
    outcome: str | None = None,
    error: str | None = None,
) -> FetchLogRow:
    return FetchLogRow(
        kind=kind,
        url=result.url,
        outcome=outcome or str(result.outcome),
        fetched_at=datetime.now(UTC),
        run_id=run_id,
        final_url=result.final_url,
        host=host_of(result.final_url or result.url) or None,
        feed_id=feed_id,
        status=result.status,
        bytes=len(result.body),
        duration_ms=result.duration_ms,
        error=error if error is not None else result.error,
    )


def _host_key(url: str) -> str:
    """scheme://host:port, the unit of the client's politeness limits."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2].lower()}"


def _is_binary(content_type: str) -> bool:
    ct = content_type.lower()
    return any(ct.startswith(prefix) for prefix in _BINARY_TYPES)


# ---------------------------------------------------------------------------
# The pass
# ---------------------------------------------------------------------------
class _Pass:
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
        self.http = config.http
        self.options = config.pipeline
        self.policy = RetryPolicy(
            max_attempts=max(1, self.options.max_page_attempts),
            base_s=self.options.retry_base_s,
            max_s=self.options.retry_max_s,
        )
        self.run_id = run_id
        self.now = now
        self.progress = progress
        self.feed_ids = list(feed_ids) if feed_ids is not None else None
        self.poll_feeds = poll_feeds
        self.retry_only = retry_only
        self.summary = IngestSummary(run_id=run_id)
        self.outcomes: Counter[str] = Counter()
        self.jobs: dict[str, _Job] = {}
        self.by_key: dict[int, _Job] = {}
        # pages waiting for a download, per host, served round-robin (see _take_job)
        self.host_queues: dict[str, collections.deque[_Job]] = {}
        self.ready_hosts: collections.deque[str] = collections.deque()
        self.host_active: Counter[str] = Counter()
        self.producing = True
        self.wake: asyncio.Event | None = None
        self.feeds_total = 0
        self.feeds_done = 0
        self.pages_loaded = 0
        self.touched_feeds: set[int] = set()
        self.db_lock = threading.Lock()  # the loader's connection vs. the final health refresh
        self.conns: queue.LifoQueue[psycopg.Connection] = queue.LifoQueue()
        self.failed_urls: dict[str, tuple[str, str | None, float | None]] = {}
        self.extracting = 0
        self.idle: asyncio.Event | None = None
        self.client: Any = None
        self.extract_q: queue.Queue[Any] = queue.Queue()
        self.load_q: queue.Queue[Any] = queue.Queue()
        self.loader_error: BaseException | None = None
        self.loader_done = False
        self.extractor_error: BaseException | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.slots: asyncio.Semaphore | None = None

    # -- progress ------------------------------------------------------------
    def _report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            with contextlib.suppress(Exception):
                self.progress(stage, done, total)

    # -- entry point -----------------------------------------------------------
    def run(self) -> IngestSummary:
        started = time.monotonic()
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            runs.start(conn, self.run_id, "ingest")
        status = "failed"
        try:
            self._run_threads()
            status = "partial" if self.summary.partial_failure else "ok"
        finally:
            self.summary.outcomes = dict(self.outcomes)
            self.summary.seconds = time.monotonic() - started
            with psycopg.connect(self.database_url, autocommit=True) as conn:
                runs.finish(conn, self.run_id, status, self.summary.to_dict())
        return self.summary

    def _run_threads(self) -> None:
        from ingest.sandbox import ExtractionPool

        loader = threading.Thread(target=self._loader_main, name="newsflow-loader", daemon=True)
        loader.start()
        try:
            with ExtractionPool(settings=self.config.extraction) as pool:
                extractor = threading.Thread(
                    target=self._extractor_main, args=(pool,), name="newsflow-extract", daemon=True
                )
                extractor.start()
                try:
                    asyncio.run(self._main())
                finally:
                    self.extract_q.put(_DONE)
                    extractor.join()
        finally:
            self.load_q.put(_DONE)
            loader.join()
            self._close_conns()
        for error in (self.extractor_error, self.loader_error):
            if error is not None:
                raise error

    # -- extraction thread -------------------------------------------------
    def _extract_inputs(self) -> Iterator[tuple[int, bytes, str]]:
        while True:
            item = self.extract_q.get()
            if item is _DONE:
                return
            yield item

    def _extractor_main(self, pool: Any) -> None:
        try:
            for key, article in pool.extract_many(self._extract_inputs()):
                assert self.loop is not None
                self.loop.call_soon_threadsafe(self._on_extracted, key, article)
        except BaseException as exc:  # surfaced by run(); the loop must not wait forever
            log.exception("extraction thread failed")
            self.extractor_error = exc
            if self.loop is not None:
                with contextlib.suppress(RuntimeError):
                    self.loop.call_soon_threadsafe(self._abort_extraction)

    def _abort_extraction(self) -> None:
        for job in self.by_key.values():
            if job.state == "extracting":
                self._on_extracted(
                    job.key,
                    ExtractedArticle(Outcome.EXTRACT_FAILED, error="extraction pool failed"),
                )

    # -- event loop ------------------------------------------------------------
    async def _main(self) -> None:
        from ingest.http import SafeHttpClient

        self.loop = asyncio.get_running_loop()
        started = time.monotonic()
        limit = self.options.extract_queue or (
            self.http.concurrency + 8 * max(1, self.config.extraction.workers)
        )
        self.slots = asyncio.Semaphore(max(1, limit))
        self.idle = asyncio.Event()
        self.idle.set()
        self.wake = asyncio.Event()
        async with SafeHttpClient(self.http, on_robots_fetch=self._log_robots) as client:
            self.client = client
            fetchers = [
                asyncio.ensure_future(self._fetcher()) for _ in range(max(1, self.http.concurrency))
            ]
            try:
                leftovers = await asyncio.to_thread(self._leftover_entries)
                self._route(leftovers)
                if self.poll_feeds:
                    feeds = await asyncio.to_thread(self._due_feeds)
                    self.feeds_total = len(feeds)
                    self._report("feeds", 0, self.feeds_total)
                    await asyncio.gather(*(self._poll(client, feed) for feed in feeds))
                self.summary.stage_seconds["feeds"] = time.monotonic() - started
            finally:
                self.producing = False
                self.wake.set()
                await asyncio.gather(*fetchers)
            # the last pages come back from the extraction thread through the loop
            await self.idle.wait()

    def _log_robots(self, result: FetchResult) -> None:
        """Log the robots.txt fetches the client makes on its own (``on_robots_fetch``)."""
        self.outcomes[f"robots:{result.outcome}"] += 1
        self.load_q.put(_fetch_row(result, "robots", self.run_id, None))

    # -- feeds ---------------------------------------------------------------
    def _connect(self) -> psycopg.Connection:
        conn = psycopg.connect(self.database_url)
        conn.execute("set timezone = 'UTC'")
        conn.commit()
        return conn

    @contextlib.contextmanager
    def _conn(self) -> Iterator[psycopg.Connection]:
        """A connection for one feed step (they run in parallel worker threads)."""
        try:
            conn = self.conns.get_nowait()
        except queue.Empty:
            conn = self._connect()
        try:
            yield conn
        except BaseException:
            conn.close()
            raise
        if conn.closed or conn.broken:
            return
        conn.rollback()
        self.conns.put(conn)

    def _close_conns(self) -> None:
        while True:
            try:
                conn = self.conns.get_nowait()
            except queue.Empty:
                return
            with contextlib.suppress(Exception):
                conn.close()

    def _due_feeds(self) -> list[Any]:
        from ingest.catalog import due_feeds

        with self._conn() as conn:
            return due_feeds(conn, self.now, feed_ids=self.feed_ids)

    async def _poll(self, client: Any, feed: Any) -> None:
        result = await client.fetch(
            feed.url, kind="feed", etag=feed.etag, last_modified=feed.last_modified
        )
        s = self.summary
        s.feeds_polled += 1
        try:
            pending, outcome, changed, unchanged, skipped = await asyncio.to_thread(
                self._record_feed, feed, result
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
        self.outcomes[outcome] += 1
        if result.outcome is Outcome.NOT_MODIFIED or unchanged:
            s.feeds_not_modified += 1
        if outcome not in ("ok", "not_modified"):
            s.feeds_failed += 1
        s.entries_new += changed
        s.entries_skipped += skipped
        self.feeds_done += 1
        self._report("feeds", self.feeds_done, self.feeds_total)
        self._route(pending)

    def _record_feed(
        self, feed: Any, result: FetchResult
    ) -> tuple[list[_Pending], str, int, bool, int]:
        """Parse (unless unchanged), record the poll, store entries; one transaction.

        Returns (pending entries, outcome, new or changed entries, body unchanged,
        items not stored).  The feed's fetch-log row counts the document's items:
        parsed, stored, changed and skipped by reason.
        """
        from ingest.catalog import body_hash, entry_accounting, record_feed_fetch, upsert_entries
        from ingest.feeds import parse_feed

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
                    max_bytes=self.http.max_feed_bytes,
                    now=self.now,
                )
        outcome = str(result.outcome)
        error = result.error
        if parsed is not None and parsed.outcome is not Outcome.OK:
            outcome, error = str(parsed.outcome), parsed.error
        with self._conn() as conn, conn.transaction():
            changed = []
            skipped = 0
            fetch = _fetch_row(result, "feed", self.run_id, feed.feed_id, outcome, error)
            if parsed is not None and parsed.outcome is Outcome.OK:
                changed = upsert_entries(conn, feed.feed_id, parsed.entries)
                counts = entry_accounting(conn, feed.feed_id, parsed, len(changed))
                skipped = sum(counts["entries_skipped"].values())
                fetch = replace(fetch, **counts)
            record_feed_fetch(
                conn, feed, result, parsed, len(changed), self.now, schedule=self.config.schedule
            )
            load.record_fetches(conn, [fetch])
            pending = self._select_pending(conn, feed.feed_id, [e.entry_key for e in changed])
        return pending, outcome, len(changed), unchanged, skipped

    def _select_pending(
        self, conn: psycopg.Connection, feed_id: int, keys: Sequence[str]
    ) -> list[_Pending]:
        """The entries among ``keys`` that need an article (new, or their link changed)."""
        if not keys:
            return []
        feed_entries.skip_linkless(conn, feed_id, keys)
        return self._pending_rows(conn, feed_entries.pending_among(conn, feed_id, keys))

    def _pending_rows(
        self, conn: psycopg.Connection, rows: Sequence[PendingEntry]
    ) -> list[_Pending]:
        existing = load.find_articles(conn, (r.canonical_url for r in rows if r.canonical_url))
        return [
            _Pending(
                ref=r.ref,
                canonical_url=r.canonical_url,
                title=r.title,
                published_at=r.published_at,
                authors=r.authors,
                exists=r.canonical_url in existing,
            )
            for r in rows
        ]

    def _leftover_entries(self) -> list[_Pending]:
        """Entries an earlier pass left: ``pending`` ones, and ``failed`` ones now due."""
        statuses = ["failed"] if self.retry_only else ["pending", "failed"]
        with self._conn() as conn:
            rows = feed_entries.waiting(
                conn,
                statuses=statuses,
                now=self.now,
                max_attempts=self.policy.max_attempts,
                feed_ids=self.feed_ids,
            )
            return self._pending_rows(conn, rows)

    # -- routing (event loop only: no locks needed) --------------------------------
    def _route(self, pending: Sequence[_Pending]) -> None:
        links: dict[str, list[EntryRef]] = {}
        for item in pending:
            url = item.canonical_url
            if not url:
                continue
            job = self.jobs.get(url)
            if job is not None:
                if job.state == "handed":
                    links.setdefault(url, []).append(item.ref)  # resolved by the loader
                elif not any(
                    r.feed_id == item.ref.feed_id and r.entry_key == item.ref.entry_key
                    for r in job.entries
                ):
                    job.entries.append(item.ref)
                continue
            if item.exists:
                links.setdefault(url, []).append(item.ref)
                continue
            job = _Job(
                key=len(self.by_key),
                canonical_url=url,
                entries=[item.ref],
                feed_id=item.ref.feed_id,
                title=item.title,
                published_at=item.published_at,
                authors=item.authors,
            )
            self.jobs[url] = job
            self.by_key[job.key] = job
            host = _host_key(url)
            queue_ = self.host_queues.get(host)
            if queue_ is None:
                queue_ = self.host_queues[host] = collections.deque()
                self.ready_hosts.append(host)
            queue_.append(job)
            assert self.wake is not None
            self.wake.set()
        for url, refs in links.items():
            self.load_q.put(_Link(url, refs))

    # -- downloads: a fixed set of fetchers, hosts served round-robin ----------------
    def _take_job(self) -> _Job | None:
        """The next page of a host that has a free politeness slot, hosts in turn.

        Starting downloads in arrival order would queue a whole feed's pages
        behind its host's two slots (and hold memory slots meanwhile) while
        other hosts sit idle; taking hosts in turn keeps every host busy.
        """
        limit = max(1, self.http.per_host_concurrency)
        for _ in range(len(self.ready_hosts)):
            host = self.ready_hosts[0]
            self.ready_hosts.rotate(-1)
            if self.host_active[host] >= limit:
                continue
            queue_ = self.host_queues[host]
            job = queue_.popleft()
            if not queue_:
                del self.host_queues[host]
                self.ready_hosts.remove(host)
            self.host_active[host] += 1
            return job
        return None

    async def _fetcher(self) -> None:
        assert self.wake is not None
        while True:
            job = self._take_job()
            if job is None:
                if not self.producing and not self.host_queues:
                    return
                self.wake.clear()
                await self.wake.wait()
                continue
            host = _host_key(job.canonical_url)
            try:
                await self._page(job)
            except Exception as exc:  # a bug must not leave the entries unaccounted for
                log.exception("page %s failed", job.canonical_url)
                failed = FetchResult(
                    job.canonical_url,
                    job.canonical_url,
                    Outcome.HTTP_ERROR,
                    error=f"internal error: {exc!r}",
                )
                if job.state == "fetching":
                    self._hand_failure(job, failed, "http_error", failed.error)
            finally:
                self.host_active[host] -= 1
                self.wake.set()

    async def _page(self, job: _Job) -> None:
        assert self.slots is not None
        await self.slots.acquire()  # bounds pages held in memory before extraction
        job.state = "fetching"
        try:
            result = await self._fetch_page(job)
        except BaseException:
            self.slots.release()
            raise
        job.result = result
        self.summary.pages_fetched += 1
        stages = self.summary.stage_seconds
        stages["fetch_busy"] = stages.get("fetch_busy", 0.0) + result.duration_ms / 1000
        content_type = result.content_type
        if result.ok and not _is_binary(content_type) and result.body:
            job.state = "extracting"
            self.extracting += 1
            assert self.idle is not None
            self.idle.clear()
            self.extract_q.put((job.key, result.body, result.final_url or job.canonical_url))
            return
        self.slots.release()
        outcome = str(result.outcome)
        error = result.error
        if result.ok:
            outcome = str(Outcome.NOT_HTML if result.body else Outcome.EMPTY_ARTICLE)
            error = f"content type {content_type or 'unknown'}" if result.body else "empty body"
        self._hand_failure(job, result, outcome, error)

    async def _fetch_page(self, job: _Job) -> FetchResult:
        return await self.client.fetch(job.canonical_url, kind="page")  # type: ignore[no-any-return]

    def _hand_failure(
        self, job: _Job, result: FetchResult, outcome: str, error: str | None
    ) -> None:
        job.state = "handed"
        self.outcomes[outcome] += 1
        row = _fetch_row(result, "page", self.run_id, job.feed_id, outcome, error)
        self.load_q.put(_Failed(job, row, result.retry_after_s))

    def _on_extracted(self, key: int, article: ExtractedArticle) -> None:
        job = self.by_key.get(key)
        if job is None or job.state != "extracting":
            return
        assert self.slots is not None and self.idle is not None
        self.slots.release()
        self.extracting -= 1
        if self.extracting == 0:
            self.idle.set()
        assert job.result is not None
        if article.outcome is not Outcome.OK or not article.text.strip():
            outcome = str(article.outcome if article.outcome is not Outcome.OK else "empty_article")
            self._hand_failure(job, job.result, outcome, article.error)
            return
        job.state = "handed"
        self.outcomes["ok"] += 1
        self.load_q.put(_Extracted(job, article))

    # -- loader thread -----------------------------------------------------------
    def _loader_main(self) -> None:
        try:
            with self._connect() as conn:
                self._load_loop(conn)
                with self.db_lock:
                    load.refresh_extraction_health(conn, sorted(self.touched_feeds))
                    conn.commit()
        except BaseException as exc:
            log.exception("loader thread failed")
            self.loader_error = exc
            # keep draining so the producers never block on a dead consumer
            while not self.loader_done and self.load_q.get() is not _DONE:
                pass

    def _load_loop(self, conn: psycopg.Connection) -> None:
        pages: list[PageLoad] = []
        links: list[_Link] = []
        logs: list[FetchLogRow] = []
        size = max(1, self.options.batch_size)
        finished = False
        oldest: float | None = None  # when the batch being filled got its first item
        while not finished:
            wait = self.options.flush_s
            if oldest is not None:
                wait = max(0.0, oldest + self.options.flush_s - time.monotonic())
            try:
                item = self.load_q.get(timeout=wait)
            except queue.Empty:
                item = None
            if item is not None and oldest is None:
                oldest = time.monotonic()
            if item is _DONE:
                finished = self.loader_done = True
            elif isinstance(item, _Extracted):
                pages.append(self._article_page(item))
            elif isinstance(item, _Failed):
                self.failed_urls[item.job.canonical_url] = (
                    item.fetch.outcome,
                    item.fetch.error,
                    item.retry_after_s,
                )
                pages.append(
                    PageLoad(
                        item.job.canonical_url,
                        item.job.entries,
                        item.fetch,
                        None,
                        retry_after_s=item.retry_after_s,
                    )
                )
            elif isinstance(item, _Link):
                links.append(item)
            elif isinstance(item, FetchLogRow):
                logs.append(item)
            full = len(pages) + len(links) >= size
            due = oldest is not None and time.monotonic() - oldest >= self.options.flush_s
            if (pages or links or logs) and (full or finished or due):
                self._flush(conn, pages, links, logs)
                pages, links, logs = [], [], []
                oldest = None

    def _article_page(self, item: _Extracted) -> PageLoad:
        job, art = item.job, item.article
        result = job.result
        assert result is not None
        fetched_at = datetime.now(UTC)
        page_url = result.final_url or result.url
        # The page's own canonical URL keys the article when it can be trusted, so
        # the AMP and print copies of a story linked from two feeds are one row.
        key = trusted_canonical(art.canonical_url, page_url) or job.canonical_url
        row = ArticleRow(
            canonical_url=key,
            url=page_url,
            feed_id=job.feed_id,
            host=host_of(key) or host_of(page_url) or "",
            text=art.text,
            word_count=art.word_count or len(art.text.split()),
            content_hash=content_hash(art.text),
            extractor=art.extractor,
            extractor_version=art.extractor_version,
            fetched_at=fetched_at,
            title=art.title or job.title,
            description=art.description,
            authors=art.authors or job.authors,
            published_at=art.published_at or job.published_at,
            site_name=art.site_name,
            language=art.language,
            language_confidence=art.language_confidence,
            raw_html_gz=load.gzip_html(result.body),
            http_status=result.status,
        )
        job.result = None  # the body is in raw_html_gz now; free the memory
        fetch = _fetch_row(result, "page", self.run_id, job.feed_id, "ok", None)
        return PageLoad(key, job.entries, fetch, row)

    def _flush(
        self,
        conn: psycopg.Connection,
        pages: list[PageLoad],
        links: list[_Link],
        logs: list[FetchLogRow],
    ) -> None:
        started = time.monotonic()
        texts = [p.article.text for p in pages if p.article is not None]
        if texts:
            sigs = iter(signatures(texts))
            for p in pages:
                if p.article is not None:
                    p.signature = next(sigs)
        with self.db_lock:
            result = load.load_batch(conn, pages, now=self.now, policy=self.policy)
            self._resolve_links(conn, links)
            if logs:
                with conn.transaction():
                    load.record_fetches(conn, logs)
        s = self.summary
        s.articles_new += result.articles_new
        s.articles_updated += result.articles_updated
        s.duplicates_exact += result.duplicates_exact
        s.duplicates_near += result.duplicates_near
        s.pages_failed += result.pages_failed
        s.entries_linked += result.entries_linked
        for page in pages:
            self.touched_feeds.update(ref.feed_id for ref in page.entries)
        self.pages_loaded += len(pages)
        stages = self.summary.stage_seconds
        stages["load_busy"] = stages.get("load_busy", 0.0) + time.monotonic() - started
        self._report("pages", self.pages_loaded, len(self.by_key))

    def _resolve_links(self, conn: psycopg.Connection, links: list[_Link]) -> None:
        """Entries whose canonical URL was (or was being) downloaded by another entry."""
        if not links:
            return
        with conn.transaction():
            refs = [(link.canonical_url, ref) for link in links for ref in link.refs]
            linked = load.link_existing(conn, refs)
            failures = []
            for url, ref in refs:
                if url in linked:
                    continue
                outcome, error, retry = self.failed_urls.get(
                    url, (load.LOAD_FAILED, "the article could not be stored", None)
                )
                failures.append((ref, outcome, error, retry))
            load.mark_failed(conn, failures, now=self.now, policy=self.policy)
        self.summary.entries_linked += sum(1 for url, _ in refs if url in linked)


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

    with psycopg.connect(database_url) as conn:
        feeds = due_feeds(conn, now or datetime.now(UTC))
    by_host: dict[str, list[int]] = {}
    for feed in feeds:
        by_host.setdefault(host_of(feed.url) or feed.url, []).append(feed.feed_id)
    groups: list[list[int]] = [[] for _ in range(max(1, min(max_batches, len(by_host))))]
    for _host, ids in sorted(by_host.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        min(groups, key=len).extend(sorted(ids))
    return [sorted(g) for g in groups if g]


def reextract_outdated(
    database_url: str, *, config: IngestConfig | None = None, limit: int | None = None
) -> int:
    """Re-run extraction from ``raw_html_gz`` for articles of an older extractor version.

    Rows whose re-extraction fails keep their current text.  Returns the
    number of articles rewritten.
    """
    from ingest.extract import EXTRACTOR_VERSION
    from ingest.sandbox import ExtractionPool

    config = config or IngestConfig()
    done = 0
    batch_size = max(1, config.pipeline.batch_size)
    with psycopg.connect(database_url) as conn:
        conn.execute("set timezone = 'UTC'")
        last_id = 0
        with ExtractionPool(settings=config.extraction) as pool:
            while limit is None or done < limit:
                take = batch_size if limit is None else min(batch_size, limit - done)
                rows = article_rows.outdated(conn, EXTRACTOR_VERSION, after_id=last_id, limit=take)
                conn.commit()
                if not rows:
                    break
                last_id = rows[-1].article_id
                by_id = {r.article_id: r for r in rows}
                items = []
                for r in rows:
                    try:
                        items.append((r.article_id, gzip.decompress(r.raw_html_gz), r.url))
                    except (OSError, EOFError) as exc:
                        log.warning("article %s: raw HTML unreadable (%s)", r.article_id, exc)
                articles: list[ArticleRow] = []
                for aid, art in pool.extract_many(items):
                    if art.outcome is not Outcome.OK or not art.text.strip():
                        continue
                    r = by_id[aid]
                    articles.append(
                        ArticleRow(
                            canonical_url=r.canonical_url,
                            url=r.url,
                            feed_id=r.feed_id,
                            host=r.host,
                            text=art.text,
                            word_count=art.word_count or len(art.text.split()),
                            content_hash=content_hash(art.text),
                            extractor=art.extractor,
                            extractor_version=art.extractor_version or EXTRACTOR_VERSION,
                            fetched_at=r.fetched_at,
                            title=art.title or r.title,
                            description=art.description,
                            authors=art.authors,
                            published_at=art.published_at or r.published_at,
                            site_name=art.site_name,
                            language=art.language,
                            language_confidence=art.language_confidence,
                            raw_html_gz=r.raw_html_gz,
                            http_status=r.http_status,
                        )
                    )
                done += load.reload_articles(conn, articles)
    return done
