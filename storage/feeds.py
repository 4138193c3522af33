"""``raw.feeds``: the feed catalogue, each feed's validators, health and polling schedule.

The catalogue is merged by URL (one COPY into a temporary table and one
``INSERT ... ON CONFLICT (url)``); a poll's outcome is written by
:func:`record_poll` with values the caller computed (``ingest.catalog``
decides health and the next due time); extraction health per feed is
refreshed from ``raw.fetch_log`` and ``raw.articles``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

__all__ = [
    "FeedPoll",
    "FeedRow",
    "FeedValues",
    "all_feeds",
    "delete",
    "delete_by_url",
    "due",
    "ids_named",
    "record_poll",
    "refresh_extraction_health",
    "upsert",
]


@dataclass(frozen=True)
class FeedRow:
    """What the fetcher needs to poll one feed (a row of ``raw.feeds``)."""

    feed_id: int
    url: str
    name: str
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    consecutive_failures: int = 0
    unchanged_streak: int = 0
    poll_interval_s: int = 900
    ttl_s: int | None = None
    language: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class FeedValues:
    """The catalogue's part of a feed (what ``feeds.yaml`` or OPML says)."""

    url: str
    name: str
    language: str | None
    country: str | None
    tags: tuple[str, ...]
    poll_interval_s: int
    enabled: bool


@dataclass(frozen=True)
class FeedPoll:
    """A feed's state after one poll, as the caller decided it."""

    etag: str | None
    last_modified: str | None
    content_hash: str | None
    fetched_at: datetime
    success: bool
    status: int | None
    outcome: str
    error: str | None
    consecutive_failures: int
    unchanged_streak: int
    entries_new: int
    title: str | None
    site_url: str | None
    feed_format: str | None
    ttl_s: int | None
    gone: bool
    next_due_at: datetime


def upsert(conn: psycopg.Connection, feeds: Sequence[FeedValues], *, reenable: bool = False) -> int:
    """Insert or update feeds by URL (the last of a repeated URL wins); returns how many
    rows were inserted or changed.

    Health, validators and schedule are left alone, except that a feed whose
    interval shrinks becomes due no later than one new interval from now, and
    a disabled feed that is re-enabled is due at once with its failure count
    reset.  A feed disabled by a 410 Gone stays disabled unless ``reenable``.
    """
    if not feeds:
        return 0
    with conn.transaction():
        conn.execute(
            """
            create temp table if not exists _nf_feed_specs (
                ord integer, url text, name text, language text, country text,
                tags text[], poll_interval_s integer, enabled boolean
            ) on commit drop
            """
        )
        conn.execute("truncate _nf_feed_specs")
        with conn.cursor().copy(
            "copy _nf_feed_specs (ord, url, name, language, country, tags, poll_interval_s,"
            " enabled) from stdin"
        ) as copy:
            for i, s in enumerate(feeds):
                copy.write_row(
                    (i, s.url, s.name, s.language, s.country, list(s.tags), s.poll_interval_s,
                     s.enabled)
                )  # fmt: skip
        result = conn.execute(
            """
            insert into raw.feeds as f (
                url, name, language, country, tags, poll_interval_s, enabled
            )
            select distinct on (s.url)
                s.url, s.name, s.language, s.country, s.tags, s.poll_interval_s,
                case
                    when %(reenable)s or cur.feed_id is null then s.enabled
                    else s.enabled and cur.last_outcome is distinct from 'gone'
                end
            from _nf_feed_specs as s
            left join raw.feeds as cur on cur.url = s.url
            order by s.url, s.ord desc
            on conflict (url) do update set
                name = excluded.name,
                language = excluded.language,
                country = excluded.country,
                tags = excluded.tags,
                poll_interval_s = excluded.poll_interval_s,
                enabled = excluded.enabled,
                consecutive_failures = case when not f.enabled and excluded.enabled
                    then 0 else f.consecutive_failures end,
                next_due_at = case
                    when not f.enabled and excluded.enabled then now()
                    else least(
                        f.next_due_at,
                        now() + make_interval(secs => excluded.poll_interval_s)
                    )
                end,
                updated_at = now()
            where (f.name, f.language, f.country, f.tags, f.poll_interval_s, f.enabled)
                is distinct from (excluded.name, excluded.language, excluded.country,
                                  excluded.tags, excluded.poll_interval_s, excluded.enabled)
            returning 1
            """,
            {"reenable": reenable},
        )
        return len(result.fetchall())


def all_feeds(conn: psycopg.Connection) -> list[dict[str, Any]]:
    """Every feed with its health and schedule, by name (all columns)."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("select * from raw.feeds order by lower(name), feed_id")
        return list(cur.fetchall())


def delete_by_url(conn: psycopg.Connection, urls: Sequence[str]) -> bool:
    """Delete the feed (and its entries) with one of ``urls``; whether one was deleted."""
    row = conn.execute(
        "delete from raw.feeds where url = any(%s) returning feed_id", (list(urls),)
    ).fetchone()
    return row is not None


def ids_named(conn: psycopg.Connection, name: str) -> list[int]:
    return [
        row[0] for row in conn.execute("select feed_id from raw.feeds where name = %s", (name,))
    ]


def delete(conn: psycopg.Connection, feed_id: int) -> None:
    conn.execute("delete from raw.feeds where feed_id = %s", (feed_id,))


_FEED_ROW_COLUMNS = (
    "feed_id, url, name, etag, last_modified, content_hash, consecutive_failures,"
    " unchanged_streak, poll_interval_s, ttl_s, language, country"
)


def due(
    conn: psycopg.Connection,
    now: datetime,
    limit: int | None = None,
    feed_ids: Iterable[int] | None = None,
    *,
    force: bool = False,
) -> list[FeedRow]:
    """Enabled feeds with ``next_due_at <= now`` (any time with ``force``), most overdue
    first; ``feed_ids`` restricts the choice."""
    query = f"select {_FEED_ROW_COLUMNS} from raw.feeds where enabled"  # constant columns
    params: list[Any] = []
    if not force:
        query += " and next_due_at <= %s"
        params.append(now)
    if feed_ids is not None:
        query += " and feed_id = any(%s)"
        params.append(list(feed_ids))
    query += " order by next_due_at, feed_id"
    if limit is not None:
        query += " limit %s"
        params.append(limit)
    rows = conn.execute(query, params).fetchall()  # type: ignore[call-overload]
    return [FeedRow(*row) for row in rows]


def record_poll(conn: psycopg.Connection, feed_id: int, poll: FeedPoll) -> None:
    """Write a feed's validators, health, metadata and next due time after one poll
    (a 410 Gone disables it)."""
    conn.execute(
        """
        update raw.feeds set
            etag = %(etag)s,
            last_modified = %(last_modified)s,
            content_hash = %(content_hash)s,
            last_fetched_at = %(now)s,
            last_success_at = case when %(success)s then %(now)s else last_success_at end,
            last_status = %(status)s,
            last_outcome = %(outcome)s,
            last_error = %(error)s,
            consecutive_failures = %(failures)s,
            unchanged_streak = %(streak)s,
            entries_seen = entries_seen + %(new)s,
            title = coalesce(%(title)s, title),
            site_url = coalesce(%(site_url)s, site_url),
            feed_format = coalesce(%(format)s, feed_format),
            ttl_s = %(ttl_s)s,
            enabled = enabled and not %(gone)s,
            next_due_at = %(due)s,
            updated_at = %(now)s
        where feed_id = %(feed_id)s
        """,
        {
            "etag": poll.etag,
            "last_modified": poll.last_modified,
            "content_hash": poll.content_hash,
            "now": poll.fetched_at,
            "success": poll.success,
            "status": poll.status,
            "outcome": poll.outcome,
            "error": poll.error,
            "failures": poll.consecutive_failures,
            "streak": poll.unchanged_streak,
            "new": max(0, poll.entries_new),
            "title": poll.title,
            "site_url": poll.site_url,
            "format": poll.feed_format,
            "ttl_s": poll.ttl_s,
            "gone": poll.gone,
            "due": poll.next_due_at,
            "feed_id": feed_id,
        },
    )


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
