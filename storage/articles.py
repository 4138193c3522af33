"""``raw.articles`` and ``raw.article_sources``: the clean articles and which entries link them.

An article is keyed by its canonical URL.  Articles are written with one binary
COPY into a temporary table and one merge that rewrites only rows whose
content, extractor, title or date changed (a re-run writes nothing, and
``updated_at`` means what it says).  Near-duplicate state is in
:mod:`storage.article_dedup`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import psycopg

from storage.bulk import copy_rows
from storage.feed_entries import EntryRef
from storage.text import clean_list, clean_str

__all__ = [
    "ArticleRow",
    "OutdatedArticle",
    "find_by_url",
    "link_entries",
    "merge",
    "outdated",
]

_INT4_MAX = 2**31 - 1


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
        """The row with values the database accepts (text cleaned, numbers in range)."""
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


_COLUMNS = (
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
_NAMES = ", ".join(name for name, _ in _COLUMNS)
_UPDATED = [name for name, _ in _COLUMNS if name not in ("canonical_url", "feed_id", "host")]

_CREATE_TEMP = (
    "create temp table if not exists _nf_load_articles ("
    + ", ".join(f"{name} {typ}" for name, typ in _COLUMNS)
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


def _tuple(a: ArticleRow) -> tuple[Any, ...]:
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


def merge(
    conn: psycopg.Connection, articles: Sequence[ArticleRow]
) -> tuple[dict[str, int], set[int], set[int]]:
    """COPY + one merge (in the caller's transaction; rows already sanitised, one per URL).

    Returns (canonical_url -> article_id, inserted ids, updated ids).
    """
    conn.execute(_CREATE_TEMP)
    copy_rows(conn, "_nf_load_articles", _COLUMNS, map(_tuple, articles))
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


def find_by_url(conn: psycopg.Connection, urls: Iterable[str]) -> dict[str, int]:
    """The article of each URL that already has one: url -> article_id.

    A URL is found either as an article's ``canonical_url``, or as the link of a
    feed entry already linked to an article (the page behind it declared
    another canonical URL: an AMP or print copy).
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


def link_entries(
    conn: psycopg.Connection, links: Sequence[tuple[int, EntryRef]], *, status: str = "ok"
) -> None:
    """Record (article, entry) links in ``raw.article_sources`` and mark the entries done
    (``duplicate`` when their article is an exact copy of an earlier one)."""
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


@dataclass(frozen=True)
class OutdatedArticle:
    """An article stored by another extractor version, with its raw HTML."""

    article_id: int
    canonical_url: str
    url: str
    feed_id: int | None
    host: str
    raw_html_gz: bytes
    http_status: int | None
    fetched_at: datetime
    title: str | None
    published_at: datetime | None


def outdated(
    conn: psycopg.Connection, extractor_version: str, *, after_id: int, limit: int
) -> list[OutdatedArticle]:
    """Up to ``limit`` articles after ``after_id`` (by id) whose extractor version differs
    and whose raw HTML is kept."""
    rows = conn.execute(
        "select article_id, canonical_url, url, feed_id, host, raw_html_gz, "
        "http_status, fetched_at, title, published_at from raw.articles "
        "where extractor_version is distinct from %s and raw_html_gz is not null "
        "and article_id > %s order by article_id limit %s",
        (extractor_version, after_id, limit),
    ).fetchall()
    return [OutdatedArticle(*row) for row in rows]


@dataclass(frozen=True)
class ArticlesProfile:
    """What the stored articles look like, for benchmarks and health checks."""

    articles: int
    clusters: int
    with_raw_html: int
    with_language: int
    with_published_at: int
    sources: int
    table_size: str


def profile(conn: psycopg.Connection) -> ArticlesProfile:
    """Counts over ``raw.articles`` and ``raw.article_sources`` and the articles' table size."""
    row = conn.execute(
        "select count(*), count(distinct cluster_id), "
        "count(*) filter (where raw_html_gz is not null), "
        "count(*) filter (where language is not null), "
        "count(*) filter (where published_at is not null), "
        "(select count(*) from raw.article_sources), "
        "pg_size_pretty(pg_total_relation_size('raw.articles')) from raw.articles"
    ).fetchone()
    assert row is not None
    return ArticlesProfile(*row)
