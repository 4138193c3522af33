"""What every DAG shares: start date, tags, and ``default_args`` from the orchestration settings.

The settings themselves (schedules, retries, time-outs, retention: the
``NEWSFLOW_*`` table in :mod:`newsflow.settings.app`) are read when the DAG
processor parses a DAG file (environment only: no database, no network), so a
deployment changes them without editing ``dags/``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from newsflow.settings.app import OrchestrationSettings  # the type default_args reads

__all__ = ["START_DATE", "TAGS", "default_args"]

#: Static start date of every DAG (never ``now()``: the DAG would change on each parse).
START_DATE = datetime(2025, 1, 1, tzinfo=UTC)

#: Tags every newsflow DAG carries, plus its own.
TAGS = ("newsflow",)


def default_args(settings: OrchestrationSettings) -> dict[str, Any]:
    """``default_args`` of every DAG: retries with exponential back-off, a time-out.

    Each task sets its own ``execution_timeout`` too (planning tasks are short);
    the default here covers any task added later without one.
    """
    return {
        "owner": "newsflow",
        "retries": settings.retries,
        "retry_delay": timedelta(seconds=settings.retry_delay_s),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(seconds=settings.max_retry_delay_s),
        "execution_timeout": settings.task_timeout,
    }
