"""``raw.feed_entries``: the items of every feed and the download state of their pages.

The table is the ingest work queue: an entry waits as ``pending`` until its
page is loaded (``ok``/``duplicate``, see :func:`storage.articles.link_entries`),
``failed`` with a back-off, or ``gave_up``/``skipped``.  Entries are written
with one COPY into a temporary table and one merge that returns only the new
or changed ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import psycopg

from storage.text import clean_str, nul_free

__all__ = [
    "EntryFailure",
    "EntryLike",
    "EntryRef",
    "PendingEntry",
    "count_stored",
    "mark_failed",
    "pending_among",
    "skip_linkless",
    "upsert",
    "waiting",
]


@dataclass(frozen=True)
class EntryRef:
    """A feed entry waiting for (or linked to) an article."""

    feed_id: int
    entry_key: str
    linked_url: str  # the entry's link as published
    attempts: int = 0


class EntryLike(Protocol):
    """The values of one parsed feed item (``ingest.records.FeedEntry``)."""

    entry_key: str
    guid: str | None
    link: str | None
    canonical_url: str | None
    title: str | None
    summary: str | None
    authors: Sequence[str]
    categories: Sequence[str]
    published_at: datetime | None
    published_raw: str | None
    date_invalid: bool
    entry_hash: str
    enclosure_url: str | None


@dataclass(frozen=True)
class PendingEntry:
    """An entry whose page is wanted, with what the feed said about it."""

    ref: EntryRef
    canonical_url: str | None
    title: str | None
    published_at: datetime | None
    authors: tuple[str, ...]


@dataclass(frozen=True)
class EntryFailure:
    """The new download state of an entry whose page failed."""

    feed_id: int
    entry_key: str
    status: str  # failed or gave_up
    attempts: int
    next_attempt_at: datetime
    error: str | None


def upsert(conn: psycopg.Connection, feed_id: int, entries: Iterable[EntryLike]) -> set[str]:
    """Store a feed's entries (one per key); return the keys of the NEW or CHANGED ones.

    Changed means a different ``entry_hash``.  A changed entry goes back to
    ``pending`` only when its canonical URL changed (a new page to fetch); an
    edited title on the same page keeps its article.  Keys come back as stored
    (NUL bytes removed).
    """
    with conn.transaction():
        conn.execute(
            """
            create temp table if not exists _nf_feed_entries (
                entry_key text, guid text, link text, canonical_url text, title text,
                summary text, authors text[], categories text[], published_at timestamptz,
                published_raw text, date_invalid boolean, entry_hash text, enclosure_url text
            ) on commit drop
            """
        )
        conn.execute("truncate _nf_feed_entries")
        with conn.cursor().copy(
            "copy _nf_feed_entries (entry_key, guid, link, canonical_url, title, summary,"
            " authors, categories, published_at, published_raw, date_invalid, entry_hash,"
            " enclosure_url) from stdin"
        ) as copy:
            for e in entries:
                copy.write_row(
                    (
                        nul_free(e.entry_key),
                        nul_free(e.guid),
                        nul_free(e.link),
                        nul_free(e.canonical_url),
                        nul_free(e.title),
                        nul_free(e.summary),
                        [a.replace("\x00", "") for a in e.authors],
                        [c.replace("\x00", "") for c in e.categories],
                        e.published_at,
                        nul_free(e.published_raw),
                        e.date_invalid,
                        e.entry_hash,
                        nul_free(e.enclosure_url),
                    )
                )
        rows = conn.execute(
            """
            insert into raw.feed_entries as fe (
                feed_id, entry_key, guid, link, canonical_url, title, summary, authors,
                categories, published_at, published_raw, date_invalid, entry_hash, enclosure_url
            )
            select %(feed_id)s, entry_key, guid, link, canonical_url, title, summary,
                   coalesce(authors, '{}'), coalesce(categories, '{}'), published_at,
                   published_raw, date_invalid, entry_hash, enclosure_url
            from _nf_feed_entries
            on conflict (feed_id, entry_key) do update set
                guid = excluded.guid,
                link = excluded.link,
                canonical_url = excluded.canonical_url,
                title = excluded.title,
                summary = excluded.summary,
                authors = excluded.authors,
                categories = excluded.categories,
                published_at = excluded.published_at,
                published_raw = excluded.published_raw,
                date_invalid = excluded.date_invalid,
                entry_hash = excluded.entry_hash,
                enclosure_url = excluded.enclosure_url,
                article_status = case
                    when fe.canonical_url is distinct from excluded.canonical_url then 'pending'
                    else fe.article_status end,
                article_id = case
                    when fe.canonical_url is distinct from excluded.canonical_url then null
                    else fe.article_id end,
                attempts = case
                    when fe.canonical_url is distinct from excluded.canonical_url then 0
                    else fe.attempts end,
                next_attempt_at = case
                    when fe.canonical_url is distinct from excluded.canonical_url then now()
                    else fe.next_attempt_at end,
                last_error = case
                    when fe.canonical_url is distinct from excluded.canonical_url then null
                    else fe.last_error end,
                updated_at = now()
            where fe.entry_hash is distinct from excluded.entry_hash
            returning entry_key
            """,
            {"feed_id": feed_id},
        ).fetchall()
    return {row[0] for row in rows}


def count_stored(conn: psycopg.Connection, feed_id: int, keys: Sequence[str]) -> int:
    """How many of ``keys`` are rows of the feed."""
    if not keys:
        return 0
    row = conn.execute(
        "select count(*) from raw.feed_entries where feed_id = %s and entry_key = any(%s)",
        (feed_id, list(keys)),
    ).fetchone()
    return int(row[0]) if row else 0


_PENDING_COLUMNS = (
    "feed_id, entry_key, coalesce(link, canonical_url, ''), canonical_url, attempts, "
    "title, published_at, authors"
)


def _pending(rows: Iterable[tuple]) -> list[PendingEntry]:  # type: ignore[type-arg]
    return [
        PendingEntry(
            ref=EntryRef(feed_id, key, link, attempts),
            canonical_url=canonical,
            title=title,
            published_at=published,
            authors=tuple(authors or ()),
        )
        for feed_id, key, link, canonical, attempts, title, published, authors in rows
    ]


def skip_linkless(conn: psycopg.Connection, feed_id: int, keys: Sequence[str]) -> None:
    """Pending entries among ``keys`` without a link: ``skipped`` (no page to fetch)."""
    conn.execute(
        "update raw.feed_entries set article_status = 'skipped', "
        "last_error = 'entry has no link', updated_at = now() "
        "where feed_id = %s and entry_key = any(%s) and article_status = 'pending' "
        "and coalesce(canonical_url, '') = ''",
        (feed_id, list(keys)),
    )


def pending_among(
    conn: psycopg.Connection, feed_id: int, keys: Sequence[str]
) -> list[PendingEntry]:
    """The entries among ``keys`` still ``pending``."""
    rows = conn.execute(
        f"select {_PENDING_COLUMNS} from raw.feed_entries "
        "where feed_id = %s and entry_key = any(%s) and article_status = 'pending'",
        (feed_id, list(keys)),
    ).fetchall()
    return _pending(rows)


def waiting(
    conn: psycopg.Connection,
    *,
    statuses: Sequence[str],
    now: datetime,
    max_attempts: int,
    feed_ids: Sequence[int] | None,
) -> list[PendingEntry]:
    """Entries with a link in ``statuses``: ``pending`` ones, and ``failed`` ones whose
    back-off has passed at ``now`` with attempts below the cap; oldest first."""
    rows = conn.execute(
        f"select {_PENDING_COLUMNS} from raw.feed_entries "
        "where article_status = any(%(statuses)s) "
        "and coalesce(canonical_url, '') <> '' "
        "and (article_status = 'pending' "
        "     or (next_attempt_at <= %(now)s and attempts < %(max)s)) "
        "and (%(ids)s::bigint[] is null or feed_id = any(%(ids)s::bigint[])) "
        "order by first_seen_at, feed_id, entry_key",
        {
            "statuses": list(statuses),
            "now": now,
            "max": max_attempts,
            "ids": list(feed_ids) if feed_ids is not None else None,
        },
    ).fetchall()
    return _pending(rows)


def mark_failed(conn: psycopg.Connection, failures: Sequence[EntryFailure]) -> None:
    """Write the download state of entries whose page failed."""
    if not failures:
        return
    conn.execute(
        """
        update raw.feed_entries e
           set article_status = u.status, attempts = u.attempts,
               next_attempt_at = u.next_at, last_error = u.error, updated_at = now()
          from unnest(%s::bigint[], %s::text[], %s::text[], %s::int[], %s::timestamptz[],
                      %s::text[]) as u(feed_id, entry_key, status, attempts, next_at, error)
         where e.feed_id = u.feed_id and e.entry_key = u.entry_key
        """,
        (
            [f.feed_id for f in failures],
            [clean_str(f.entry_key) or "" for f in failures],
            [f.status for f in failures],
            [f.attempts for f in failures],
            [f.next_attempt_at for f in failures],
            [clean_str(f.error) for f in failures],
        ),
    )
