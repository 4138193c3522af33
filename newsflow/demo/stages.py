"""How the demo runs the pipeline: through the real DAGs, or the stage functions.

``via="dags"`` (the default) runs ``news_ingest``, ``news_annotate`` and
``news_transform`` with Airflow's ``dag.test()`` in a child process
(:func:`newsflow.orchestration.local.run_dags_once`): exactly what the
scheduler runs, with task instances, XCom and Asset events recorded in the
local Airflow metadata database.  ``via="direct"`` calls the same stage
functions the DAG tasks call, in this process, without Airflow: useful to
debug a stage.  Both return one :class:`StageReport` per stage.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsflow.dbt_runner import DbtResult

VIA = ("dags", "direct")


@dataclass
class StageReport:
    name: str  # news_ingest / ingest, ...
    ok: bool
    seconds: float
    detail: dict[str, Any] = field(default_factory=dict)
    error: str = ""


def downstream_complete(database_url: str) -> bool:
    """Whether annotation and the marts are up to date with what has already landed.

    Then the DAGs can follow the Asset chain as under the scheduler (annotate
    runs only if ingest emitted ``raw_articles``, and so on), so a second demo
    run that lands nothing costs seconds.  After a run that stopped half way
    (no marts, articles waiting for annotation, a failed build), every DAG runs.
    """
    from newsflow.orchestration.annotation import pending_count
    from storage import runs
    from storage.connection import connect
    from storage.monitoring import exists

    with connect(database_url) as conn:
        if not exists(conn, "marts.fct_events"):
            return False
        if runs.last_status(conn, "transform") != "ok":
            return False
    return pending_count(database_url) == 0


def run_via_dags(database_url: str, *, log_file: Path, timeout_s: float = 900) -> list[StageReport]:
    """The three DAGs with ``dag.test()``, in Asset order, in one child process."""
    from newsflow.airflow_home import LocalAirflow
    from newsflow.dbt_runner import ensure_manifest
    from newsflow.orchestration.local import PIPELINE, run_dags_once

    local = LocalAirflow.from_settings(database_url)
    local.prepare()
    ensure_manifest()
    reports = run_dags_once(
        PIPELINE,
        env=local.environment(),
        follow_assets=downstream_complete(database_url),
        log_file=log_file,
        timeout_s=timeout_s,
    )
    return [
        StageReport(
            name=r.dag_id,
            ok=r.ok,
            seconds=r.elapsed_s,
            detail={"state": r.state, "tasks": r.tasks, "assets": r.assets, **r.results},
            error=r.error,
        )
        for r in reports
    ]


#: what a stage function returned -> (ok, detail, error)
Outcome = tuple[bool, dict[str, Any], str]


def _summary_outcome(summary: Any) -> Outcome:
    """Ingest and annotate: their summary's counts (a failure raises)."""
    return True, summary.to_dict(), ""


def _dbt_outcome(result: DbtResult) -> Outcome:
    error = "; ".join(f"{node}: {message}" for node, message in result.failures[:3])
    return result.success, {"nodes": dict(result.counts)}, "" if result.success else error


def _timed(name: str, func: Callable[[], Any], outcome: Callable[[Any], Outcome]) -> StageReport:
    started = time.monotonic()
    try:
        ok, detail, error = outcome(func())
    except Exception as exc:  # shown to the user; the demo goes on to show what landed
        return StageReport(name, False, time.monotonic() - started, error=f"{exc}")
    return StageReport(name, ok, time.monotonic() - started, detail=detail, error=error)


def run_direct(database_url: str) -> list[StageReport]:
    """The stage functions the DAG tasks call, one after the other, in this process."""
    from ingest.pipeline import run_ingest
    from newsflow import dbt_runner
    from newsflow.settings.ingest import ingest_config
    from newsflow.settings.transforms import annotate_config
    from transforms.pipeline import run_annotate

    return [
        _timed(
            "ingest", lambda: run_ingest(database_url, config=ingest_config()), _summary_outcome
        ),
        _timed(
            "annotate",
            lambda: run_annotate(database_url, config=annotate_config()),
            _summary_outcome,
        ),
        _timed("transform", lambda: dbt_runner.build(database_url, capture=True), _dbt_outcome),
    ]


def record_transform_run(
    database_url: str, report: StageReport, started: datetime, *, since: datetime
) -> bool:
    """A ``raw.runs`` row for the dbt build, unless the stage wrote its own.

    ``newsflow status`` measures the lag from landing to the marts with the
    transform runs in ``raw.runs``; a dbt build run by Airflow through Cosmos
    may not record one.  Returns whether a row was written.
    """
    from storage import runs
    from storage.connection import connect

    with connect(database_url) as conn:
        if runs.finished_since(conn, "transform", since):
            return False
        runs.record(
            conn,
            f"demo:{report.name}:{started:%Y%m%dT%H%M%S}",
            "transform",
            "ok" if report.ok else "failed",
            {k: v for k, v in report.detail.items() if k in ("tasks", "nodes")},
            started_at=started,
            finished_at=started + timedelta(seconds=report.seconds),
            overwrite=False,
        )
    return True


def run_pipeline(database_url: str, *, via: str, log_file: Path) -> list[StageReport]:
    """The one switch between the two ways of running the stages."""
    started = datetime.now(UTC)
    if via == "dags":
        reports = run_via_dags(database_url, log_file=log_file)
    elif via == "direct":
        reports = run_direct(database_url)
    else:
        raise ValueError(f"via must be one of {VIA}, got {via!r}")
    transform = reports[-1]
    if transform.detail.get("state") != "not run":
        # when it ran: the last stage ended now, so it started `seconds` ago
        transform_started = max(started, datetime.now(UTC) - timedelta(seconds=transform.seconds))
        record_transform_run(database_url, transform, transform_started, since=started)
    return reports
