"""Feed health from the ``raw`` tables: the one definition of "a failing feed".

``newsflow status``, the nightly quality summary and the demo's summary all
ask this module; they must work before dbt has ever built a mart (a fresh
deployment, a broken warehouse), so the definition is a raw-level query here.
The dashboards' ``marts.mart_source_health`` measures something else over a
time window (a feed that went *silent*, extraction that *degraded*), on top of
the same raw rows.

A feed is failing when its failures are piling up (``consecutive_failures``) or
its last poll ended in anything but ``ok``/``not_modified``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.rows import dict_row

__all__ = [
    "HEALTHY_OUTCOMES",
    "FeedFailure",
    "failing_count",
    "failing_feeds",
    "feed_health",
    "is_failing",
]

#: outcomes of a feed fetch that are not failures
HEALTHY_OUTCOMES = ("ok", "not_modified")

#: SQL predicate over ``raw.feeds as f``: the definition above
_FAILING = (
    "(f.consecutive_failures > 0 or coalesce(f.last_outcome not in ('ok', 'not_modified'), false))"
)


def is_failing(consecutive_failures: int, last_outcome: str | None) -> bool:
    """The same definition, in Python, for a row already read."""
    return consecutive_failures > 0 or (
        last_outcome is not None and last_outcome not in HEALTHY_OUTCOMES
    )


@dataclass(frozen=True)
class FeedFailure:
    name: str
    last_outcome: str | None
    last_error: str | None
    consecutive_failures: int


_FEEDS_SQL = f"""
with recent as (
    select
        feed_id,
        duration_ms,
        row_number() over (partition by feed_id order by fetched_at desc, fetch_id desc) as rn
    from raw.fetch_log
    where kind = 'feed' and feed_id is not null and duration_ms is not null
),
timing as (
    select
        feed_id,
        count(*) as fetches,
        percentile_cont(0.5) within group (order by duration_ms) as median_ms,
        max(duration_ms) as max_ms
    from recent
    where rn <= %(recent)s
    group by feed_id
)
select
    f.feed_id,
    f.name,
    f.url,
    f.enabled,
    f.tags,
    f.last_fetched_at,
    f.last_success_at,
    f.last_status,
    f.last_outcome,
    f.last_error,
    f.consecutive_failures,
    f.next_due_at,
    f.entries_seen,
    f.extract_attempts,
    f.extract_failures,
    f.median_words,
    coalesce(t.fetches, 0) as recent_fetches,
    t.median_ms,
    t.max_ms,
    {_FAILING} as failing
from raw.feeds as f
left join timing as t on t.feed_id = f.feed_id
order by f.name, f.feed_id
"""


def feed_health(conn: psycopg.Connection[Any], *, recent_fetches: int) -> list[dict[str, Any]]:
    """Every feed with its state, ``failing``, and the timing of its last ``recent_fetches``."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(_FEEDS_SQL, {"recent": recent_fetches}).fetchall()


def failing_feeds(conn: psycopg.Connection[Any], urls: Sequence[str]) -> list[FeedFailure]:
    """The failing feeds among those with these URLs, by name."""
    rows = conn.execute(
        "select f.name, f.last_outcome, f.last_error, f.consecutive_failures "
        f"from raw.feeds as f where f.url = any(%s) and {_FAILING} order by f.name",
        (list(urls),),
    ).fetchall()
    return [FeedFailure(*row) for row in rows]


def failing_count(conn: psycopg.Connection[Any]) -> int:
    """How many enabled feeds are failing."""
    row = conn.execute(
        f"select count(*) from raw.feeds as f where f.enabled and {_FAILING}"
    ).fetchone()
    return int(row[0]) if row else 0
