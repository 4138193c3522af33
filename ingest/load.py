"""Loading fetched pages into ``raw``: one transaction per batch.

A batch is a list of :class:`PageLoad` (one per canonical URL fetched: the
article, or why there is none, plus the feed entries that link to it).  One
transaction does all of it, so a crash leaves either the whole batch or none
of it, and the entries of a lost batch are still ``pending`` for the next run:

1. ``COPY`` the articles into a temporary table, then one
   ``INSERT … ON CONFLICT (canonical_url) DO UPDATE`` that only touches rows
   whose content or extractor changed (a re-run writes nothing);
2. exact and near-duplicate marking (:mod:`ingest.dedup`);
3. ``raw.article_sources`` (which entries point at which article);
4. the entries' download state (ok, or failed with back-off, or gave up at the cap);
5. ``COPY`` of every fetch into ``raw.fetch_log``.

Text from the network is sanitised on the way in (NUL bytes, lone surrogates
from undecodable bytes), and if a batch still fails, it is loaded page by page
so one bad article costs only itself: it is recorded as ``load_failed``.
"""

from __future__ import annotations

import gzip
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import numpy as np
import psycopg

from ingest import dedup
from storage import articles as article_rows
from storage import feed_entries, feeds, fetch_log
from storage.articles import ArticleRow
from storage.feed_entries import EntryFailure, EntryRef
from storage.fetch_log import FetchLogRow
from storage.text import clean_list, clean_str

__all__ = [
    "LOAD_FAILED",
    "PERMANENT_OUTCOMES",
    "ArticleRow",
    "BatchResult",
    "EntryRef",
    "FetchLogRow",
    "PageLoad",
    "RetryPolicy",
    "clean_list",
    "clean_str",
    "find_articles",
    "gzip_html",
    "link_existing",
    "link_sources",
    "load_batch",
    "mark_failed",
    "merge_articles",
    "record_fetches",
    "refresh_extraction_health",
    "reload_articles",
]

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

#: Outcomes that no retry will change: the entry gives up at once.
PERMANENT_OUTCOMES = frozenset(
    {
        "blocked_ssrf",
        "blocked_scheme",
        "gone",
        "extract_too_large",
        "not_html",
        "robots_disallowed",
        "load_failed",  # the database refused the row itself: a retry would too
    }
)
LOAD_FAILED = "load_failed"
#: gzip level for raw HTML: level 1 is 5-10x faster than 6 and ~10 % larger.
HTML_GZIP_LEVEL = 1


def gzip_html(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=HTML_GZIP_LEVEL, mtime=0)


# ---------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------
@dataclass
class PageLoad:
    """One canonical URL's fetch: the article, or the reason there is none."""

    canonical_url: str
    entries: list[EntryRef]
    fetch: FetchLogRow
    article: ArticleRow | None = None
    signature: np.ndarray | None = None
    retry_after_s: float | None = None

    @property
    def ok(self) -> bool:
        return self.article is not None


@dataclass
class BatchResult:
    articles_new: int = 0
    articles_updated: int = 0
    duplicates_exact: int = 0
    duplicates_near: int = 0
    pages_failed: int = 0
    entries_linked: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    article_ids: dict[str, int] = field(default_factory=dict)  # canonical_url -> id

    def add(self, other: BatchResult) -> None:
        self.articles_new += other.articles_new
        self.articles_updated += other.articles_updated
        self.duplicates_exact += other.duplicates_exact
        self.duplicates_near += other.duplicates_near
        self.pages_failed += other.pages_failed
        self.entries_linked += other.entries_linked
        for key, n in other.outcomes.items():
            self.outcomes[key] = self.outcomes.get(key, 0) + n
        self.article_ids.update(other.article_ids)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_s: float = 600.0  # first retry after 10 minutes, then doubling
    max_s: float = 24 * 3600.0

    def next_delay(self, attempts: int, retry_after_s: float | None = None) -> float:
        delay = min(self.base_s * (2 ** max(attempts - 1, 0)), self.max_s)
        if retry_after_s:
            delay = max(delay, min(retry_after_s, self.max_s))
        return delay


# ---------------------------------------------------------------------------
# Statements (the SQL is the storage layer's)
# ---------------------------------------------------------------------------
def record_fetches(conn: psycopg.Connection, rows: Sequence[FetchLogRow]) -> None:
    """Append fetches to ``raw.fetch_log`` with one COPY (in the caller's transaction)."""
    fetch_log.append(conn, rows)


def merge_articles(
    conn: psycopg.Connection, articles: Sequence[ArticleRow]
) -> tuple[dict[str, int], set[int], set[int]]:
    """COPY + one merge.  Returns (canonical_url -> article_id, inserted ids, updated ids)."""
    return article_rows.merge(conn, articles)


def link_sources(
    conn: psycopg.Connection, links: Sequence[tuple[int, EntryRef]], *, status: str = "ok"
) -> None:
    """Record (article, entry) links and mark the entries done."""
    article_rows.link_entries(conn, links, status=status)


def mark_failed(
    conn: psycopg.Connection,
    failures: Sequence[tuple[EntryRef, str, str | None, float | None]],
    *,
    now: datetime,
    policy: RetryPolicy,
) -> None:
    """Entries whose page failed: back-off, or ``gave_up`` at the cap or for good reasons.

    ``failures`` are (entry, outcome, error, retry_after_s).
    """
    if not failures:
        return
    rows = []
    for ref, outcome, error, retry_after in failures:
        n = ref.attempts + 1
        give_up = outcome in PERMANENT_OUTCOMES or n >= policy.max_attempts
        message = f"{outcome}: {error}" if error else outcome
        rows.append(
            EntryFailure(
                feed_id=ref.feed_id,
                entry_key=ref.entry_key,
                status="gave_up" if give_up else "failed",
                attempts=n,
                next_attempt_at=now + timedelta(seconds=policy.next_delay(n, retry_after)),
                error=message[:2000],
            )
        )
    feed_entries.mark_failed(conn, rows)


def find_articles(conn: psycopg.Connection, urls: Iterable[str]) -> dict[str, int]:
    """The article of each URL that already has one: url -> article_id.

    An article is keyed by its page's trusted canonical URL
    (:func:`ingest.urls.trusted_canonical`), which may differ from the link
    that led to it (an AMP or print copy).  So a URL is found either as an
    article's ``canonical_url``, or as the link of a feed entry already linked
    to an article: the second copy of a story is then linked, not fetched again.
    """
    return article_rows.find_by_url(conn, urls)


def link_existing(conn: psycopg.Connection, refs: Sequence[tuple[str, EntryRef]]) -> set[str]:
    """Link entries whose URL already has an article (:func:`find_articles`), without fetching.

    ``refs`` are (canonical_url, entry).  Returns the URLs that were linked;
    the others need a download.
    """
    if not refs:
        return set()
    found = find_articles(conn, (url for url, _ in refs))
    links = [(found[url], ref) for url, ref in refs if url in found]
    link_sources(conn, links)
    return set(found)


# ---------------------------------------------------------------------------
# The batch
# ---------------------------------------------------------------------------
def _load(
    conn: psycopg.Connection,
    pages: Sequence[PageLoad],
    *,
    now: datetime,
    policy: RetryPolicy,
) -> BatchResult:
    result = BatchResult()
    # One row per canonical URL (the merge cannot touch a row twice); the last wins.
    by_url: dict[str, PageLoad] = {}
    for page in pages:
        if page.ok:
            by_url[page.canonical_url] = page
    articles = [p.article.sanitised() for p in by_url.values() if p.article is not None]
    ids: dict[str, int] = {}
    changed: set[int] = set()
    if articles:
        ids, inserted, updated = merge_articles(conn, articles)
        result.articles_new = len(inserted)
        result.articles_updated = len(updated)
        changed = inserted | updated
        items = []
        for url, page in by_url.items():
            aid = ids.get(url)
            if aid in changed:
                sig = page.signature
                if sig is None and page.article is not None:
                    sig = dedup.signatures([page.article.text])[0]
                items.append((aid, sig))
        found = dedup.deduplicate(conn, items)
        result.duplicates_exact = found.exact
        result.duplicates_near = found.near
    links = []
    failures = []
    for page in pages:
        aid = ids.get(page.canonical_url) if page.ok else None
        if aid is not None:
            links.extend((aid, ref) for ref in page.entries)
        else:
            result.pages_failed += 1
            error = page.fetch.error
            failures.extend(
                (ref, page.fetch.outcome, error, page.retry_after_s) for ref in page.entries
            )
    link_sources(conn, links)
    result.entries_linked = len(links)
    mark_failed(conn, failures, now=now, policy=policy)
    record_fetches(conn, [p.fetch for p in pages])
    for page in pages:
        result.outcomes[page.fetch.outcome] = result.outcomes.get(page.fetch.outcome, 0) + 1
    result.article_ids = {url: ids[url] for url in by_url if url in ids}
    return result


def load_batch(
    conn: psycopg.Connection,
    pages: Sequence[PageLoad],
    *,
    now: datetime,
    policy: RetryPolicy | None = None,
) -> BatchResult:
    """Load one batch in one transaction; on a data error, page by page.

    ``conn`` must not be in a transaction.  A page that cannot be loaded even
    alone is recorded as ``load_failed`` (fetch logged, entries back off).
    """
    policy = policy or RetryPolicy()
    if not pages:
        return BatchResult()
    try:
        with conn.transaction():
            return _load(conn, pages, now=now, policy=policy)
    except Exception as exc:  # data the database or the driver refuses, whatever the type
        if conn.closed or conn.broken:
            raise  # the connection is gone: nothing page by page would do better
        if len(pages) == 1:
            return _record_load_failure(conn, pages[0], exc, now=now, policy=policy)
        log.warning("batch of %d failed to load (%s); loading page by page", len(pages), exc)
    total = BatchResult()
    for page in pages:
        total.add(load_batch(conn, [page], now=now, policy=policy))
    return total


def _record_load_failure(
    conn: psycopg.Connection,
    page: PageLoad,
    exc: Exception,
    *,
    now: datetime,
    policy: RetryPolicy,
) -> BatchResult:
    log.warning("cannot load %s: %s", page.canonical_url, exc)
    failed = PageLoad(
        canonical_url=page.canonical_url,
        entries=page.entries,
        fetch=replace(page.fetch, outcome=LOAD_FAILED, error=f"{type(exc).__name__}: {exc}"),
    )
    with conn.transaction():
        return _load(conn, [failed], now=now, policy=policy)


def reload_articles(conn: psycopg.Connection, articles: Sequence[ArticleRow]) -> int:
    """Rewrite existing articles (re-extraction) with the same merge and dedup, one
    transaction.  Returns how many rows changed."""
    if not articles:
        return 0
    rows = [a.sanitised() for a in articles]
    with conn.transaction():
        ids, inserted, updated = merge_articles(conn, rows)
        changed = inserted | updated
        texts = {a.canonical_url: a.text for a in rows}
        items = [(aid, url) for url, aid in ids.items() if aid in changed]
        sigs = dedup.signatures([texts[url] for _, url in items])
        dedup.deduplicate(conn, [(aid, sig) for (aid, _), sig in zip(items, sigs, strict=True)])
    return len(changed)


def refresh_extraction_health(
    conn: psycopg.Connection, feed_ids: Sequence[int], *, window: int = 200
) -> None:
    """Per feed, the extraction failures and median words of its recent pages
    (:func:`storage.feeds.refresh_extraction_health`)."""
    feeds.refresh_extraction_health(conn, feed_ids, window=window)
