"""Operational status of a newsflow database: what ``newsflow status`` shows.

Everything comes from the ``raw`` schema through the storage layer (feed
health: :mod:`storage.health`; backlog and lag: :mod:`storage.monitoring`; runs:
:mod:`storage.runs`), plus the time the marts were last rebuilt, so it works
before dbt has ever run.  Values are plain JSON types so ``--json``
output can be read by scripts and monitoring.

Thresholds: :class:`~newsflow.settings.app.StatusSettings` (a feed whose median
fetch time over its recent fetches reaches ``NEWSFLOW_SLOW_FEED_MS`` is slow;
``NEWSFLOW_STATUS_RECENT_FETCHES`` fetches per feed make the median).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

import psycopg

from newsflow.settings import app as app_settings
from newsflow.settings.app import StatusSettings
from storage import health, monitoring
from storage import runs as storage_runs
from transforms.version import ANNOTATOR_VERSION


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 1)
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value


def collect_status(conn: psycopg.Connection[Any], settings: StatusSettings | None = None) -> dict:
    """Feed health, backlog, recent runs and lag, as JSON-ready values."""
    settings = settings or app_settings.status()
    feeds = health.feed_health(conn, recent_fetches=settings.recent_fetches)
    backlog = monitoring.backlog(conn, annotator_version=ANNOTATOR_VERSION)
    runs = [asdict(r) for r in storage_runs.recent(conn, limit=10)]
    last_runs = [asdict(r) for r in storage_runs.latest_per_stage(conn)]
    lag = monitoring.lag(conn)

    out_feeds = []
    for f in feeds:
        failing = bool(f["failing"])
        median_ms = f["median_ms"]
        slow = median_ms is not None and median_ms >= settings.slow_feed_ms
        extract_failure_rate = (
            f["extract_failures"] / f["extract_attempts"] if f["extract_attempts"] else None
        )
        state = "failing" if failing else "slow" if slow else "never fetched"
        if not failing and not slow and f["last_fetched_at"] is not None:
            state = "ok"
        if not f["enabled"]:
            state = "disabled"
        out_feeds.append(
            {
                **{k: f[k] for k in f if k not in ("median_ms", "max_ms", "failing")},
                "median_fetch_ms": None if median_ms is None else int(median_ms),
                "max_fetch_ms": f["max_ms"],
                "extract_failure_rate": extract_failure_rate,
                "failing": failing,
                "slow": slow,
                "state": state,
            }
        )

    lag_out = dict(lag)

    summary = {
        "feeds": len(out_feeds),
        "feeds_enabled": sum(1 for f in out_feeds if f["enabled"]),
        "feeds_failing": sum(1 for f in out_feeds if f["failing"]),
        "feeds_slow": sum(1 for f in out_feeds if f["slow"]),
        "slow_feed_ms": settings.slow_feed_ms,
    }
    return _json(
        {
            "summary": summary,
            "feeds": out_feeds,
            "backlog": dict(backlog),
            "last_run_by_stage": [dict(r) for r in last_runs],
            "runs": [dict(r) for r in runs],
            "lag": lag_out,
        }
    )
