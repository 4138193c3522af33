"""The load stage of an ingest pass: a thread that turns the load queue into batches.

The loader is the only writer of articles and takes its queue in order, so a
:class:`~ingest.pass_items.Link` that arrives after its page is always
resolved.  A batch is flushed when it holds ``batch_size`` pages and links or
when its first item has waited ``flush_s`` seconds; each batch is one
transaction (:func:`ingest.load.load_batch`), robots.txt fetches are logged
alongside.  At the end it refreshes the extraction health of the feeds it
touched.  If it fails it keeps draining its queue, so the producers never
block on a dead consumer; the error is raised by the pass when it ends.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import psycopg

from ingest import load
from ingest.dedup import content_hash, signatures
from ingest.load import ArticleRow, FetchLogRow, PageLoad, RetryPolicy
from ingest.pass_db import connect_utc
from ingest.pass_items import DONE, Extracted, Failed, Link, PassContext
from ingest.urls import host_of, trusted_canonical

log = logging.getLogger(__name__)


class Loader:
    def __init__(
        self,
        ctx: PassContext,
        database_url: str,
        load_q: queue.Queue[Any],
        *,
        policy: RetryPolicy,
        pages_total: Callable[[], int],
    ) -> None:
        self.ctx = ctx
        self.database_url = database_url
        self.load_q = load_q
        self.policy = policy
        self.pages_total = pages_total
        self.error: BaseException | None = None
        self.pages_loaded = 0
        self.touched_feeds: set[int] = set()
        #: outcome, error and Retry-After of every page that failed, for links to it
        self.failed_urls: dict[str, tuple[str, str | None, float | None]] = {}
        self._done = False
        self._thread = threading.Thread(target=self._main, name="newsflow-loader", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Close the queue and wait until everything on it is loaded."""
        self.load_q.put(DONE)
        self._thread.join()

    def _main(self) -> None:
        try:
            with connect_utc(self.database_url) as conn:
                self._loop(conn)
                load.refresh_extraction_health(conn, sorted(self.touched_feeds))
                conn.commit()
        except BaseException as exc:
            log.exception("loader thread failed")
            self.error = exc
            # keep draining so the producers never block on a dead consumer
            while not self._done and self.load_q.get() is not DONE:
                pass

    def _loop(self, conn: psycopg.Connection) -> None:
        flush_s = self.ctx.config.pipeline.flush_s
        size = max(1, self.ctx.config.pipeline.batch_size)
        pages: list[PageLoad] = []
        links: list[Link] = []
        logs: list[FetchLogRow] = []
        finished = False
        oldest: float | None = None  # when the batch being filled got its first item
        while not finished:
            wait = flush_s
            if oldest is not None:
                wait = max(0.0, oldest + flush_s - time.monotonic())
            try:
                item = self.load_q.get(timeout=wait)
            except queue.Empty:
                item = None
            if item is not None and oldest is None:
                oldest = time.monotonic()
            if item is DONE:
                finished = self._done = True
            elif isinstance(item, Extracted):
                pages.append(self._article_page(item))
            elif isinstance(item, Failed):
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
            elif isinstance(item, Link):
                links.append(item)
            elif isinstance(item, FetchLogRow):
                logs.append(item)
            full = len(pages) + len(links) >= size
            due = oldest is not None and time.monotonic() - oldest >= flush_s
            if (pages or links or logs) and (full or finished or due):
                self._flush(conn, pages, links, logs)
                pages, links, logs = [], [], []
                oldest = None

    def _article_page(self, item: Extracted) -> PageLoad:
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
        fetch = self.ctx.fetch_row(result, "page", job.feed_id, "ok", None)
        return PageLoad(key, job.entries, fetch, row)

    def _flush(
        self,
        conn: psycopg.Connection,
        pages: list[PageLoad],
        links: list[Link],
        logs: list[FetchLogRow],
    ) -> None:
        started = time.monotonic()
        texts = [p.article.text for p in pages if p.article is not None]
        if texts:
            sigs = iter(signatures(texts))
            for p in pages:
                if p.article is not None:
                    p.signature = next(sigs)
        result = load.load_batch(conn, pages, now=self.ctx.now, policy=self.policy)
        self._resolve_links(conn, links)
        if logs:
            with conn.transaction():
                load.record_fetches(conn, logs)
        s = self.ctx.summary
        s.articles_new += result.articles_new
        s.articles_updated += result.articles_updated
        s.duplicates_exact += result.duplicates_exact
        s.duplicates_near += result.duplicates_near
        s.pages_failed += result.pages_failed
        s.entries_linked += result.entries_linked
        for page in pages:
            self.touched_feeds.update(ref.feed_id for ref in page.entries)
        self.pages_loaded += len(pages)
        stages = s.stage_seconds
        stages["load_busy"] = stages.get("load_busy", 0.0) + time.monotonic() - started
        self.ctx.report("pages", self.pages_loaded, self.pages_total())

    def _resolve_links(self, conn: psycopg.Connection, links: list[Link]) -> None:
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
            load.mark_failed(conn, failures, now=self.ctx.now, policy=self.policy)
        self.ctx.summary.entries_linked += sum(1 for url, _ in refs if url in linked)
