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
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import psycopg
from psycopg.types.json import Jsonb

from ingest import dedup

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
_INT4_MAX = 2**31 - 1
#: gzip level for raw HTML: level 1 is 5-10x faster than 6 and ~10 % larger.
HTML_GZIP_LEVEL = 1


# ---------------------------------------------------------------------------
# Sanitising values from the network
# ---------------------------------------------------------------------------
def clean_str(value: str | None) -> str | None:
    """Text PostgreSQL accepts: no NUL bytes, no lone surrogates."""
    if value is None:
        return None
    if "\x00" in value:
        value = value.replace("\x00", "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value


def clean_list(values: Iterable[str] | None) -> list[str]:
    return [v for v in (clean_str(x) for x in values or ()) if v]


def gzip_html(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=HTML_GZIP_LEVEL, mtime=0)


# ---------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class EntryRef:
    """A feed entry waiting for (or linked to) an article."""

    feed_id: int
    entry_key: str
    linked_url: str  # the entry's link as published
    attempts: int = 0


@dataclass(frozen=True)
class FetchLogRow:
    kind: str  # feed, page, robots
    url: str
    outcome: str
    fetched_at: datetime
    run_id: str | None = None
    final_url: str | None = None
    host: str | None = None
    feed_id: int | None = None
    status: int | None = None
    bytes: int | None = None
    duration_ms: int | None = None
    error: str | None = None
    #: a feed poll that parsed a document: items found, stored, new or changed,
    #: and the items not stored by reason (see ``raw.fetch_log``, migration 0040)
    entries_parsed: int | None = None
    entries_stored: int | None = None
    entries_changed: int | None = None
    entries_skipped: dict[str, int] | None = None


@dataclass(frozen=True)
class ArticleRow:
    canonical_url: str
    url: str
    feed_id: int | None
    host: str
    text: str
    word_count: int
    content_hash: str
    extractor: str
    extractor_version: str
    fetched_at: datetime
    title: str | None = None
    description: str | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    site_name: str | None = None
    language: str | None = None
    language_confidence: float | None = None
    raw_html_gz: bytes | None = None
    http_status: int | None = None

    def sanitised(self) -> ArticleRow:
        published = self.published_at
        if published is not None and published.tzinfo is None:
            published = published.replace(tzinfo=UTC)  # a page's local time without zone
        conf = self.language_confidence
        if conf is not None and not math.isfinite(conf):
            conf = None
        return replace(
            self,
            canonical_url=clean_str(self.canonical_url) or "",
            url=clean_str(self.url) or "",
            host=clean_str(self.host) or "",
            text=clean_str(self.text) or "",
            title=clean_str(self.title),
            description=clean_str(self.description),
            authors=tuple(clean_list(self.authors)),
            site_name=clean_str(self.site_name),
            language=clean_str(self.language),
            language_confidence=conf,
            published_at=published,
            word_count=max(0, min(self.word_count, _INT4_MAX)),
            http_status=self.http_status
            if self.http_status and 0 < self.http_status < 1000
            else None,
            extractor=clean_str(self.extractor) or "unknown",
            extractor_version=clean_str(self.extractor_version) or "",
        )


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
# Statements
# ---------------------------------------------------------------------------
_ARTICLE_COLUMNS = (
    ("canonical_url", "text"),
    ("url", "text"),
    ("feed_id", "int8"),
    ("title", "text"),
    ("description", "text"),
    ("authors", "text[]"),
    ("published_at", "timestamptz"),
    ("site_name", "text"),
    ("host", "text"),
    ("language", "text"),
    ("language_confidence", "float4"),
    ("text", "text"),
    ("word_count", "int4"),
    ("content_hash", "text"),
    ("extractor", "text"),
    ("extractor_version", "text"),
    ("raw_html_gz", "bytea"),
    ("http_status", "int4"),
    ("fetched_at", "timestamptz"),
)
_NAMES = ", ".join(name for name, _ in _ARTICLE_COLUMNS)
_UPDATED = [
    name for name, _ in _ARTICLE_COLUMNS if name not in ("canonical_url", "feed_id", "host")
]

_CREATE_TEMP = (
    "create temp table if not exists _nf_load_articles ("
    + ", ".join(f"{name} {typ}" for name, typ in _ARTICLE_COLUMNS)
    + ") on commit delete rows"
)

# Only rows whose content or extractor changed are rewritten: re-running a
# load is a no-op, and updated_at means what it says.
_MERGE = (
    f"insert into raw.articles ({_NAMES}) select {_NAMES} from _nf_load_articles "
    "on conflict (canonical_url) do update set "
    + ", ".join(f"{name} = excluded.{name}" for name in _UPDATED)
    + ", updated_at = now() "
    "where raw.articles.content_hash is distinct from excluded.content_hash "
    "or raw.articles.extractor_version is distinct from excluded.extractor_version "
    "or raw.articles.title is distinct from excluded.title "
    "or raw.articles.published_at is distinct from excluded.published_at "
    "returning article_id, canonical_url, (xmax = 0) as inserted"
)

_FETCH_COLUMNS = (
    ("run_id", "text"),
    ("kind", "text"),
    ("url", "text"),
    ("final_url", "text"),
    ("host", "text"),
    ("feed_id", "int8"),
    ("status", "int4"),
    ("bytes", "int8"),
    ("duration_ms", "int4"),
    ("outcome", "text"),
    ("error", "text"),
    ("fetched_at", "timestamptz"),
    ("entries_parsed", "int4"),
    ("entries_stored", "int4"),
    ("entries_changed", "int4"),
    ("entries_skipped", "jsonb"),
)


def _fetch_tuple(row: FetchLogRow) -> tuple[Any, ...]:
    return (
        clean_str(row.run_id),
        row.kind,
        clean_str(row.url) or "",
        clean_str(row.final_url),
        clean_str(row.host),
        row.feed_id,
        row.status,
        row.bytes,
        row.duration_ms,
        clean_str(row.outcome) or "unknown",
        clean_str(row.error[:2000] if row.error else None),
        row.fetched_at,
        row.entries_parsed,
        row.entries_stored,
        row.entries_changed,
        Jsonb(row.entries_skipped) if row.entries_skipped is not None else None,
    )


def _copy(
    conn: psycopg.Connection,
    table: str,
    columns: Sequence[tuple[str, str]],
    rows: Iterable[tuple[Any, ...]],
) -> None:
    """Binary ``COPY`` of ``rows`` into ``table``; ``columns`` are (name, PostgreSQL type)."""
    names = ", ".join(name for name, _ in columns)
    with (
        conn.cursor() as cur,
        cur.copy(f"copy {table} ({names}) from stdin (format binary)") as copy,
    ):
        copy.set_types([typ for _, typ in columns])
        for row in rows:
            copy.write_row(row)


def record_fetches(conn: psycopg.Connection, rows: Sequence[FetchLogRow]) -> None:
    """Append fetches to ``raw.fetch_log`` with one COPY (in the caller's transaction)."""
    if rows:
        _copy(conn, "raw.fetch_log", _FETCH_COLUMNS, map(_fetch_tuple, rows))


def _article_tuple(a: ArticleRow) -> tuple[Any, ...]:
    return (
        a.canonical_url,
        a.url,
        a.feed_id,
        a.title,
        a.description,
        list(a.authors),
        a.published_at,
        a.site_name,
        a.host,
        a.language,
        a.language_confidence,
        a.text,
        a.word_count,
        a.content_hash,
        a.extractor,
        a.extractor_version,
        a.raw_html_gz,
        a.http_status,
        a.fetched_at,
    )


def merge_articles(
    conn: psycopg.Connection, articles: Sequence[ArticleRow]
) -> tuple[dict[str, int], set[int], set[int]]:
    """COPY + one merge.  Returns (canonical_url -> article_id, inserted ids, updated ids)."""
    conn.execute(_CREATE_TEMP)
    _copy(conn, "_nf_load_articles", _ARTICLE_COLUMNS, map(_article_tuple, articles))
    inserted: set[int] = set()
    updated: set[int] = set()
    for article_id, _url, was_inserted in conn.execute(_MERGE).fetchall():
        (inserted if was_inserted else updated).add(article_id)
    ids = dict(
        conn.execute(
            "select canonical_url, article_id from raw.articles where canonical_url = any(%s)",
            ([a.canonical_url for a in articles],),
        ).fetchall()
    )
    return ids, inserted, updated


def link_sources(
    conn: psycopg.Connection, links: Sequence[tuple[int, EntryRef]], *, status: str = "ok"
) -> None:
    """Record (article, entry) links and mark the entries done."""
    if not links:
        return
    params = {
        "aids": [aid for aid, _ in links],
        "fids": [ref.feed_id for _, ref in links],
        "keys": [clean_str(ref.entry_key) or "" for _, ref in links],
        "urls": [clean_str(ref.linked_url) or "" for _, ref in links],
    }
    conn.execute(
        """
        insert into raw.article_sources (article_id, feed_id, entry_key, linked_url)
        select * from unnest(%(aids)s::bigint[], %(fids)s::bigint[], %(keys)s::text[],
                             %(urls)s::text[])
        on conflict do nothing
        """,
        params,
    )
    conn.execute(
        """
        update raw.feed_entries e
           set article_status = case when a.duplicate_of is null then %(status)s
                                     else 'duplicate' end,
               article_id = u.article_id, last_error = null, updated_at = now()
          from unnest(%(aids)s::bigint[], %(fids)s::bigint[], %(keys)s::text[])
               as u(article_id, feed_id, entry_key)
          join raw.articles a on a.article_id = u.article_id
         where e.feed_id = u.feed_id and e.entry_key = u.entry_key
        """,
        {**params, "status": status},
    )


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
    fids, keys, statuses, attempts, nexts, errors = [], [], [], [], [], []
    for ref, outcome, error, retry_after in failures:
        n = ref.attempts + 1
        give_up = outcome in PERMANENT_OUTCOMES or n >= policy.max_attempts
        fids.append(ref.feed_id)
        keys.append(clean_str(ref.entry_key) or "")
        statuses.append("gave_up" if give_up else "failed")
        attempts.append(n)
        nexts.append(now + timedelta(seconds=policy.next_delay(n, retry_after)))
        message = f"{outcome}: {error}" if error else outcome
        errors.append(clean_str(message[:2000]))
    conn.execute(
        """
        update raw.feed_entries e
           set article_status = u.status, attempts = u.attempts,
               next_attempt_at = u.next_at, last_error = u.error, updated_at = now()
          from unnest(%s::bigint[], %s::text[], %s::text[], %s::int[], %s::timestamptz[],
                      %s::text[]) as u(feed_id, entry_key, status, attempts, next_at, error)
         where e.feed_id = u.feed_id and e.entry_key = u.entry_key
        """,
        (fids, keys, statuses, attempts, nexts, errors),
    )


def find_articles(conn: psycopg.Connection, urls: Iterable[str]) -> dict[str, int]:
    """The article of each URL that already has one: url -> article_id.

    An article is keyed by its page's trusted canonical URL
    (:func:`ingest.urls.trusted_canonical`), which may differ from the link
    that led to it (an AMP or print copy).  So a URL is found either as an
    article's ``canonical_url``, or as the link of a feed entry already linked
    to an article: the second copy of a story is then linked, not fetched again.
    """
    wanted = sorted(set(urls))
    if not wanted:
        return {}
    rows = conn.execute(
        """
        select u.url, coalesce(
                 a.article_id,
                 (select e.article_id from raw.feed_entries e
                    join raw.articles linked on linked.article_id = e.article_id
                   where e.canonical_url = u.url and e.article_status in ('ok', 'duplicate')
                   order by e.article_id limit 1))
          from unnest(%s::text[]) as u(url)
          left join raw.articles a on a.canonical_url = u.url
        """,
        (wanted,),
    ).fetchall()
    return {url: article_id for url, article_id in rows if article_id is not None}


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
    """Per feed, over its last ``window`` pages that reached extraction: how many
    failed, and the median words of its last ``window`` articles.  A site
    redesign that silently breaks extraction shows up as a rising failure share
    or a falling median."""
    if not feed_ids:
        return
    conn.execute(
        """
        with pages as (
            select f.feed_id,
                   count(l.outcome) as attempts,
                   count(l.outcome) filter (where l.outcome <> 'ok') as failures
              from unnest(%(ids)s::bigint[]) as f(feed_id)
              left join lateral (
                    select outcome from raw.fetch_log
                     where kind = 'page' and feed_id = f.feed_id
                       and outcome in ('ok', 'extract_failed', 'extract_timeout',
                                       'extract_too_large', 'empty_article', 'not_html')
                     order by fetched_at desc limit %(window)s) l on true
             group by f.feed_id
        ), words as (
            select f.feed_id,
                   percentile_disc(0.5) within group (order by w.word_count) as median
              from unnest(%(ids)s::bigint[]) as f(feed_id)
              left join lateral (
                    select a.word_count from raw.article_sources s
                      join raw.articles a using (article_id)
                     where s.feed_id = f.feed_id
                     order by s.first_seen_at desc limit %(window)s) w on true
             group by f.feed_id
        )
        update raw.feeds t
           set extract_attempts = p.attempts, extract_failures = p.failures,
               median_words = w.median, updated_at = now()
          from pages p join words w using (feed_id)
         where t.feed_id = p.feed_id
           and (t.extract_attempts, t.extract_failures, t.median_words)
               is distinct from (p.attempts::int, p.failures::int, w.median)
        """,
        {"ids": list(feed_ids), "window": window},
    )
