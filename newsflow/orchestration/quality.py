"""The nightly data-quality summary: counts and the checks they fail.

Counts only (they go to XCom and the task log); the window is the 24 hours
before the run's window end, so a re-run reports the same numbers for the same
night.  Tables that do not exist yet (a fresh database before the first dbt
build) count as zero rather than failing.  The counts are :mod:`storage.monitoring`'s;
a failing feed is :mod:`storage.health`'s definition.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from storage.connection import connect
from storage.monitoring import quality_counts

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

__all__ = ["quality_summary"]


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
    counts: dict[str, Any]
    with connect(database_url) as conn:
        counts = dict(quality_counts(conn, start=reference - window, end=reference))
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
