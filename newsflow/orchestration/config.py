"""Schedules, retries and time-outs of the DAGs, from the environment.

Read when the DAG processor parses a DAG file (environment only: no database,
no network), so a deployment changes them without editing ``dags/``.

| variable | default | meaning |
|---|---|---|
| ``NEWSFLOW_INGEST_SCHEDULE`` | ``*/2 * * * *`` | cron of ``news_ingest`` (see bench/README.md) |
| ``NEWSFLOW_NIGHTLY_SCHEDULE`` | ``0 2 * * *`` | cron of ``news_nightly`` (UTC) |
| ``NEWSFLOW_TASK_RETRIES`` | 3 | retries of every task (at least 2) |
| ``NEWSFLOW_RETRY_DELAY`` | 60 | first retry delay, seconds; doubles each try |
| ``NEWSFLOW_MAX_RETRY_DELAY`` | 1800 | cap of the retry delay, seconds |
| ``NEWSFLOW_TASK_TIMEOUT`` | 3600 | execution time-out of the working tasks, seconds |
| ``NEWSFLOW_PLAN_TIMEOUT`` | 300 | execution time-out of planning/publishing tasks |
| ``NEWSFLOW_INGEST_MAX_BATCHES`` | 16 | most mapped ingest tasks per run (host batches) |
| ``NEWSFLOW_ANNOTATE_MAX_BATCHES`` | 8 | most mapped annotate tasks per run |
| ``NEWSFLOW_FETCH_LOG_RETENTION_DAYS`` | 90 | nightly deletes older fetch log rows (0: keep) |
| ``NEWSFLOW_RAW_HTML_RETENTION_DAYS`` | 180 | nightly drops older raw HTML (0: keep) |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from newsflow.settings import SettingsError, env_int, env_str

__all__ = ["START_DATE", "TAGS", "OrchestrationSettings", "default_args"]

#: Static start date of every DAG (never ``now()``: the DAG would change on each parse).
START_DATE = datetime(2025, 1, 1, tzinfo=UTC)

#: Tags every newsflow DAG carries, plus its own.
TAGS = ("newsflow",)

MIN_RETRIES = 2


@dataclass(frozen=True)
class OrchestrationSettings:
    ingest_schedule: str = "*/2 * * * *"
    nightly_schedule: str = "0 2 * * *"
    retries: int = 3
    retry_delay_s: int = 60
    max_retry_delay_s: int = 1800
    task_timeout_s: int = 3600
    plan_timeout_s: int = 300
    ingest_max_batches: int = 16
    annotate_max_batches: int = 8
    fetch_log_retention_days: int = 90
    raw_html_retention_days: int = 180

    @classmethod
    def from_env(cls) -> OrchestrationSettings:
        d = cls()
        settings = cls(
            ingest_schedule=env_str("NEWSFLOW_INGEST_SCHEDULE", d.ingest_schedule),
            nightly_schedule=env_str("NEWSFLOW_NIGHTLY_SCHEDULE", d.nightly_schedule),
            retries=env_int("NEWSFLOW_TASK_RETRIES", d.retries),
            retry_delay_s=env_int("NEWSFLOW_RETRY_DELAY", d.retry_delay_s),
            max_retry_delay_s=env_int("NEWSFLOW_MAX_RETRY_DELAY", d.max_retry_delay_s),
            task_timeout_s=env_int("NEWSFLOW_TASK_TIMEOUT", d.task_timeout_s),
            plan_timeout_s=env_int("NEWSFLOW_PLAN_TIMEOUT", d.plan_timeout_s),
            ingest_max_batches=env_int("NEWSFLOW_INGEST_MAX_BATCHES", d.ingest_max_batches),
            annotate_max_batches=env_int("NEWSFLOW_ANNOTATE_MAX_BATCHES", d.annotate_max_batches),
            fetch_log_retention_days=env_int(
                "NEWSFLOW_FETCH_LOG_RETENTION_DAYS", d.fetch_log_retention_days
            ),
            raw_html_retention_days=env_int(
                "NEWSFLOW_RAW_HTML_RETENTION_DAYS", d.raw_html_retention_days
            ),
        )
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.retries < MIN_RETRIES:
            raise SettingsError(
                f"NEWSFLOW_TASK_RETRIES must be at least {MIN_RETRIES}, got {self.retries}"
            )
        for name in ("retry_delay_s", "max_retry_delay_s", "task_timeout_s", "plan_timeout_s"):
            if getattr(self, name) <= 0:
                raise SettingsError(f"{name} must be positive")
        for name in ("ingest_max_batches", "annotate_max_batches"):
            if not 1 <= getattr(self, name) <= 64:
                raise SettingsError(f"{name} must be between 1 and 64 (mapped tasks per run)")
        for name in ("fetch_log_retention_days", "raw_html_retention_days"):
            if getattr(self, name) < 0:
                raise SettingsError(f"{name} must be 0 (keep) or a number of days")

    @property
    def task_timeout(self) -> timedelta:
        return timedelta(seconds=self.task_timeout_s)

    @property
    def plan_timeout(self) -> timedelta:
        return timedelta(seconds=self.plan_timeout_s)


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
