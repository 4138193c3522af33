"""Rows for the storage tests of ingest's tables (no tests here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg

from storage import feeds
from storage.articles import ArticleRow

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Entry:
    """The fields of a parsed feed item that ``storage.feed_entries.upsert`` stores."""

    entry_key: str
    link: str | None
    entry_hash: str = "h1"
    guid: str | None = None
    canonical_url: str | None = None
    title: str | None = "a title"
    summary: str | None = None
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    published_at: datetime | None = None
    published_raw: str | None = None
    date_invalid: bool = False
    enclosure_url: str | None = None


def entry(key: str, link: str | None, entry_hash: str = "h1") -> Entry:
    return Entry(key, link, entry_hash=entry_hash, canonical_url=link)


def add_feed(
    conn: psycopg.Connection, url: str = "https://news.example/feed", name: str = "n"
) -> int:
    feeds.upsert(conn, [feeds.FeedValues(url, name, "en", None, (), 900, True)])
    return next(f["feed_id"] for f in feeds.all_feeds(conn) if f["url"] == url)


def article(url: str, text: str = "some words here", **kw: object) -> ArticleRow:
    values: dict[str, object] = dict(
        canonical_url=url,
        url=url,
        feed_id=None,
        host="news.example",
        text=text,
        word_count=len(text.split()),
        content_hash=f"hash:{text}",
        extractor="test",
        extractor_version="v1",
        fetched_at=NOW,
    )
    values.update(kw)
    return ArticleRow(**values)  # type: ignore[arg-type]
