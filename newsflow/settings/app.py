"""The application's own settings: orchestration, status, dbt, report, demo, Airflow, database.

Each builder takes an :class:`~newsflow.settings.env.Env` (the process
environment by default) and returns a typed value; nothing else in ``newsflow``
reads a ``NEWSFLOW_*`` variable.  The settings dataclasses live here too, so
this module imports nothing from the rest of the application (the settings
package sits below everything that uses it).

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
| ``NEWSFLOW_SLOW_FEED_MS`` | 2000 | ``newsflow status``: median fetch time of a slow feed |
| ``NEWSFLOW_STATUS_RECENT_FETCHES`` | 20 | ``newsflow status``: fetches per feed the timing uses |
| ``NEWSFLOW_DBT_MANIFEST`` | ``dbt_project/target/manifest.json`` | manifest Cosmos renders |
| ``NEWSFLOW_DBT_THREADS`` | 4 | dbt threads |
| ``NEWSFLOW_DBT_EXECUTION`` | ``build`` | ``build`` (one task), ``watcher``/``local`` (Cosmos) |
| ``NEWSFLOW_DBT_WRITE_MANIFEST`` | 0 | 1: every dbt command rewrites manifest.json |
| ``NEWSFLOW_DBT_TARGET_PATH`` | ``dbt_project/target`` | where dbt writes its artifacts |
| ``NEWSFLOW_REPORT_PATH`` | ``<data dir>/reports/newsflow-report.html`` | ``newsflow report`` |
| ``NEWSFLOW_CHROMIUM`` | first on PATH | browser that renders the report's images |
| ``NEWSFLOW_DEMO_PORT`` | 8765 | port of the demo's corpus server |
| ``NEWSFLOW_AIRFLOW_HOME`` | ``<data dir>/airflow`` | the local Airflow's home |
| ``NEWSFLOW_AIRFLOW_PARALLELISM`` | 2 x cores | tasks at once in the local Airflow |
| ``NEWSFLOW_PG_BINDIR`` | found | directory of initdb/pg_ctl for the embedded server |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from newsflow.settings.env import Env, SettingsError
from newsflow.settings.paths import PROJECT_ROOT

__all__ = [
    "DBT_EXECUTION_MODES",
    "OrchestrationSettings",
    "StatusSettings",
    "airflow_home",
    "airflow_parallelism",
    "chromium",
    "dbt_execution",
    "dbt_manifest_path",
    "dbt_target_path",
    "dbt_threads",
    "dbt_write_manifest",
    "demo_port",
    "orchestration",
    "pg_bindir",
    "report_path",
    "status",
]

MIN_RETRIES = 2
DBT_EXECUTION_MODES = ("build", "watcher", "local")
DBT_TARGET_DIR = PROJECT_ROOT / "dbt_project" / "target"
DEFAULT_DEMO_PORT = 8765


def _env(env: Env | None) -> Env:
    return Env() if env is None else env


# --- orchestration ------------------------------------------------------------


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


def orchestration(env: Env | None = None) -> OrchestrationSettings:
    """Schedules, retries, time-outs and retention of the DAGs (validated)."""
    env = _env(env)
    d = OrchestrationSettings()
    settings = OrchestrationSettings(
        ingest_schedule=env.str("NEWSFLOW_INGEST_SCHEDULE", d.ingest_schedule),
        nightly_schedule=env.str("NEWSFLOW_NIGHTLY_SCHEDULE", d.nightly_schedule),
        retries=env.int("NEWSFLOW_TASK_RETRIES", d.retries),
        retry_delay_s=env.int("NEWSFLOW_RETRY_DELAY", d.retry_delay_s),
        max_retry_delay_s=env.int("NEWSFLOW_MAX_RETRY_DELAY", d.max_retry_delay_s),
        task_timeout_s=env.int("NEWSFLOW_TASK_TIMEOUT", d.task_timeout_s),
        plan_timeout_s=env.int("NEWSFLOW_PLAN_TIMEOUT", d.plan_timeout_s),
        ingest_max_batches=env.int("NEWSFLOW_INGEST_MAX_BATCHES", d.ingest_max_batches),
        annotate_max_batches=env.int("NEWSFLOW_ANNOTATE_MAX_BATCHES", d.annotate_max_batches),
        fetch_log_retention_days=env.int(
            "NEWSFLOW_FETCH_LOG_RETENTION_DAYS", d.fetch_log_retention_days
        ),
        raw_html_retention_days=env.int(
            "NEWSFLOW_RAW_HTML_RETENTION_DAYS", d.raw_html_retention_days
        ),
    )
    settings.validate()
    return settings


# --- status -------------------------------------------------------------------


@dataclass(frozen=True)
class StatusSettings:
    slow_feed_ms: int = 2000
    recent_fetches: int = 20


def status(env: Env | None = None) -> StatusSettings:
    """Thresholds of ``newsflow status``."""
    env = _env(env)
    d = StatusSettings()
    return StatusSettings(
        slow_feed_ms=env.int("NEWSFLOW_SLOW_FEED_MS", d.slow_feed_ms),
        recent_fetches=env.int("NEWSFLOW_STATUS_RECENT_FETCHES", d.recent_fetches),
    )


# --- dbt ----------------------------------------------------------------------


def dbt_manifest_path(env: Env | None = None) -> Path:
    """The manifest Cosmos renders (``python -m newsflow.dbt_runner parse`` writes it)."""
    default = DBT_TARGET_DIR / "manifest.json"
    return Path(_env(env).str("NEWSFLOW_DBT_MANIFEST", str(default))).expanduser()


def dbt_execution(env: Env | None = None) -> str:
    """``build`` (one task, newsflow's ``dbt build``), or Cosmos: ``watcher`` or ``local``."""
    mode = _env(env).str("NEWSFLOW_DBT_EXECUTION", "build").lower()
    if mode not in DBT_EXECUTION_MODES:
        raise SettingsError(
            f"NEWSFLOW_DBT_EXECUTION must be one of {', '.join(DBT_EXECUTION_MODES)}, got {mode!r}"
        )
    return mode


def dbt_threads(env: Env | None = None) -> int:
    return _env(env).int("NEWSFLOW_DBT_THREADS", 4)


def dbt_write_manifest(env: Env | None = None) -> bool:
    """Whether every dbt command rewrites ``manifest.json`` (default: only those that change it)."""
    return _env(env).bool("NEWSFLOW_DBT_WRITE_MANIFEST", False)


def dbt_target_path(env: Env | None = None) -> Path:
    return Path(_env(env).str("NEWSFLOW_DBT_TARGET_PATH", str(DBT_TARGET_DIR)))


# --- report, demo -------------------------------------------------------------


def report_path(data_dir: Path, env: Env | None = None) -> Path:
    """``NEWSFLOW_REPORT_PATH``, else ``<data dir>/reports/newsflow-report.html``."""
    configured = _env(env).str("NEWSFLOW_REPORT_PATH")
    if configured:
        return Path(configured).expanduser()
    return data_dir / "reports" / "newsflow-report.html"


def chromium(env: Env | None = None) -> str:
    """The browser the user named (empty: look on PATH)."""
    return _env(env).str("NEWSFLOW_CHROMIUM")


def demo_port(env: Env | None = None) -> int:
    return _env(env).int("NEWSFLOW_DEMO_PORT", DEFAULT_DEMO_PORT)


# --- local Airflow, embedded database ----------------------------------------


def airflow_home(data_dir: Path, env: Env | None = None) -> Path:
    return Path(_env(env).str("NEWSFLOW_AIRFLOW_HOME", str(data_dir / "airflow"))).expanduser()


def airflow_parallelism(env: Env | None = None, cpus: int | None = None) -> int:
    """Tasks at once: fetching waits on the network, so twice the cores, at least 2."""
    cpus = cpus or os.cpu_count() or 1
    return _env(env).int("NEWSFLOW_AIRFLOW_PARALLELISM", max(2, 2 * cpus))


def pg_bindir(env: Env | None = None) -> str:
    """Where the user says initdb/pg_ctl are (empty: search)."""
    return _env(env).str("NEWSFLOW_PG_BINDIR")
