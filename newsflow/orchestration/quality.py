"""The nightly data-quality summary: counts and the checks they fail.

Counts only (they go to XCom and the task log); the window is the 24 hours
before the run's window end, so a re-run reports the same numbers for the same
night.  Tables that do not exist yet (a fresh database before the first dbt
build) count as zero rather than failing.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import psycopg

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

__all__ = ["quality_summary"]

#: name -> (relation that must exist, query); %(start)s/%(end)s bound the window.
_COUNTS: dict[str, tuple[str, str]] = {
    "feeds_enabled": ("raw.feeds", "select count(*) from raw.feeds where enabled"),
    "feeds_failing": (
        "raw.feeds",
        "select count(*) from raw.feeds where enabled and consecutive_failures > 0",
    ),
    "feeds_never_succeeded": (
        "raw.feeds",
        "select count(*) from raw.feeds where enabled and last_success_at is null",
    ),
    "entries_pending": (
        "raw.feed_entries",
        "select count(*) from raw.feed_entries where article_status in ('pending', 'failed')",
    ),
    "entries_gave_up": (
        "raw.feed_entries",
        "select count(*) from raw.feed_entries where article_status = 'gave_up'",
    ),
    "articles_total": ("raw.articles", "select count(*) from raw.articles"),
    "articles_in_window": (
        "raw.articles",
        "select count(*) from raw.articles where loaded_at >= %(start)s and loaded_at < %(end)s",
    ),
    "articles_duplicate": (
        "raw.articles",
        "select count(*) from raw.articles where duplicate_of is not null",
    ),
    "fetches_in_window": (
        "raw.fetch_log",
        "select count(*) from raw.fetch_log where fetched_at >= %(start)s and fetched_at < %(end)s",
    ),
    "fetches_failed_in_window": (
        "raw.fetch_log",
        "select count(*) from raw.fetch_log where fetched_at >= %(start)s"
        " and fetched_at < %(end)s and outcome not in ('ok', 'not_modified')",
    ),
    "annotations_ok": (
        "raw.annotated_articles",
        "select count(*) from raw.annotated_articles where status = 'ok'",
    ),
    "annotations_error": (
        "raw.annotated_articles",
        "select count(*) from raw.annotated_articles where status = 'error'",
    ),
    "event_mentions": ("raw.event_mentions", "select count(*) from raw.event_mentions"),
    "fct_events": ("marts.fct_events", "select count(*) from marts.fct_events"),
}


def quality_summary(
    database_url: str,
    *,
    reference: datetime,
    window: timedelta = timedelta(days=1),
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Counts over the database and the checks that fail, as one flat dict.

    ``extra`` (e.g. the source-freshness counts) is merged in under ``freshness_*``.
    """
    params = {"start": reference - window, "end": reference}
    counts: dict[str, Any] = {}
    with psycopg.connect(database_url) as conn:
        for name, (relation, query) in _COUNTS.items():
            exists = conn.execute("select to_regclass(%s) is not null", (relation,)).fetchone()
            if not exists or not exists[0]:
                counts[name] = 0
                continue
            row = conn.execute(query, params).fetchone()  # type: ignore[arg-type]
            counts[name] = int(row[0]) if row else 0
    for key, value in (extra or {}).items():
        counts[f"freshness_{key}".replace(" ", "_")] = value
    problems = _checks(counts)
    counts["problems"] = len(problems)
    counts["problem_list"] = "; ".join(problems)
    if problems:
        log.warning("data quality: %s", "; ".join(problems))
    return counts


def _checks(c: dict[str, Any]) -> list[str]:
    problems = []
    if c["feeds_enabled"] and not c["articles_in_window"]:
        problems.append("no new article in the last day")
    if c["fetches_in_window"] and c["fetches_failed_in_window"] * 2 > c["fetches_in_window"]:
        problems.append(
            f"{c['fetches_failed_in_window']} of {c['fetches_in_window']} fetches failed"
        )
    if c["feeds_enabled"] and c["feeds_failing"] * 2 > c["feeds_enabled"]:
        problems.append(f"{c['feeds_failing']} of {c['feeds_enabled']} feeds are failing")
    if c["annotations_error"] and c["annotations_error"] * 10 > c["annotations_ok"]:
        problems.append(f"{c['annotations_error']} annotation errors")
    if c.get("freshness_error") or c.get("freshness_runtime_error"):
        problems.append("dbt source freshness reports stale or unreadable sources")
    return problems
