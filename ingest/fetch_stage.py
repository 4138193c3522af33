"""The fetch stage of an ingest pass: pending entries in, pages out to extraction or loading.

Everything about URLs is decided here, on the event loop (no locks): one
download per canonical URL per pass however many feeds carry it; an entry
whose URL is already an article, or is being downloaded for another entry, is
sent to the loader as a :class:`~ingest.pass_items.Link`.  Pages wait in one
queue per host and a fixed set of fetchers takes hosts in turn, each host up
to its politeness limit.  A downloaded page goes on the extraction queue
(bounded by ``slots``, the pages held in memory before extraction); its
article comes back through :meth:`PageFetcher.on_extracted` and goes on the
load queue with every failure.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import queue
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ingest.pass_items import (
    Extracted,
    Failed,
    Link,
    PageJob,
    PassContext,
    Pending,
    host_key,
)
from ingest.records import ExtractedArticle, FetchResult, Outcome
from storage.feed_entries import EntryRef

log = logging.getLogger(__name__)

#: Content types that are certainly not article pages (podcast enclosures, PDFs).
BINARY_TYPES = (
    "audio/",
    "video/",
    "image/",
    "font/",
    "application/pdf",
    "application/zip",
    "application/octet-stream",
)


def is_binary(content_type: str) -> bool:
    ct = content_type.lower()
    return any(ct.startswith(prefix) for prefix in BINARY_TYPES)


class PageFetcher:
    def __init__(
        self,
        ctx: PassContext,
        *,
        extract_q: queue.Queue[Any],
        load_q: queue.Queue[Any],
    ) -> None:
        self.ctx = ctx
        self.extract_q = extract_q
        self.load_q = load_q
        http = ctx.config.http
        self.concurrency = max(1, http.concurrency)
        self.per_host = max(1, http.per_host_concurrency)
        limit = ctx.config.pipeline.extract_queue or (
            http.concurrency + 8 * max(1, ctx.config.extraction.workers)
        )
        self.slots = asyncio.Semaphore(max(1, limit))
        self.idle = asyncio.Event()  # nothing is being extracted
        self.idle.set()
        self.wake = asyncio.Event()  # a page was queued or a host slot freed
        self.jobs: dict[str, PageJob] = {}
        self.by_key: dict[int, PageJob] = {}
        # pages waiting for a download, per host, served round-robin (see _take_job)
        self.host_queues: dict[str, collections.deque[PageJob]] = {}
        self.ready_hosts: collections.deque[str] = collections.deque()
        self.host_active: Counter[str] = Counter()
        self.producing = True
        self.extracting = 0
        self.client: Any = None
        self._fetchers: list[asyncio.Future[None]] = []

    @property
    def pages_total(self) -> int:
        return len(self.by_key)

    # -- lifecycle (event loop) --------------------------------------------------------
    def start(self, client: Any) -> None:
        self.client = client
        self._fetchers = [asyncio.ensure_future(self._fetcher()) for _ in range(self.concurrency)]

    async def stop_fetching(self) -> None:
        """No more entries will come: the fetchers finish the queued pages and end."""
        self.producing = False
        self.wake.set()
        await asyncio.gather(*self._fetchers)

    async def drained(self) -> None:
        """Wait until the last page is back from the extraction thread."""
        await self.idle.wait()

    def log_robots(self, result: FetchResult) -> None:
        """Log the robots.txt fetches the client makes on its own (``on_robots_fetch``)."""
        self.ctx.outcomes[f"robots:{result.outcome}"] += 1
        self.load_q.put(self.ctx.fetch_row(result, "robots", None))

    # -- routing --------------------------------------------------------------------
    def route(self, pending: Sequence[Pending]) -> None:
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
            job = PageJob(
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
            host = host_key(url)
            queue_ = self.host_queues.get(host)
            if queue_ is None:
                queue_ = self.host_queues[host] = collections.deque()
                self.ready_hosts.append(host)
            queue_.append(job)
            self.wake.set()
        for url, refs in links.items():
            self.load_q.put(Link(url, refs))

    # -- downloads: a fixed set of fetchers, hosts served round-robin ----------------
    def _take_job(self) -> PageJob | None:
        """The next page of a host that has a free politeness slot, hosts in turn.

        Starting downloads in arrival order would queue a whole feed's pages
        behind its host's two slots (and hold memory slots meanwhile) while
        other hosts sit idle; taking hosts in turn keeps every host busy.
        """
        for _ in range(len(self.ready_hosts)):
            host = self.ready_hosts[0]
            self.ready_hosts.rotate(-1)
            if self.host_active[host] >= self.per_host:
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
        while True:
            job = self._take_job()
            if job is None:
                if not self.producing and not self.host_queues:
                    return
                self.wake.clear()
                await self.wake.wait()
                continue
            host = host_key(job.canonical_url)
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

    async def _page(self, job: PageJob) -> None:
        await self.slots.acquire()  # bounds pages held in memory before extraction
        job.state = "fetching"
        try:
            result = await self.client.fetch(job.canonical_url, kind="page")
        except BaseException:
            self.slots.release()
            raise
        job.result = result
        self.ctx.summary.pages_fetched += 1
        stages = self.ctx.summary.stage_seconds
        stages["fetch_busy"] = stages.get("fetch_busy", 0.0) + result.duration_ms / 1000
        content_type = result.content_type
        if result.ok and not is_binary(content_type) and result.body:
            job.state = "extracting"
            self.extracting += 1
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

    def _hand_failure(
        self, job: PageJob, result: FetchResult, outcome: str, error: str | None
    ) -> None:
        job.state = "handed"
        self.ctx.outcomes[outcome] += 1
        row = self.ctx.fetch_row(result, "page", job.feed_id, outcome, error)
        self.load_q.put(Failed(job, row, result.retry_after_s))

    # -- results of the extraction stage (event loop) -------------------------------
    def on_extracted(self, key: int, article: ExtractedArticle) -> None:
        job = self.by_key.get(key)
        if job is None or job.state != "extracting":
            return
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
        self.ctx.outcomes["ok"] += 1
        self.load_q.put(Extracted(job, article))

    def abort_extraction(self) -> None:
        """The extraction stage died: every page it held fails, so the pass can end."""
        for job in self.by_key.values():
            if job.state == "extracting":
                self.on_extracted(
                    job.key,
                    ExtractedArticle(Outcome.EXTRACT_FAILED, error="extraction pool failed"),
                )
