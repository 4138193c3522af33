"""Run newsflow's DAGs once, without Airflow's services, through ``dag.test()``.

``dag.test()`` is Airflow's own way to run one DAG run in a single process:
the real DAG, real task instances, retries, XCom and Asset events recorded
in the metadata database, no scheduler, API server or executor.  ``newsflow
run`` and the end-to-end tests use it, so what they exercise is exactly what
the scheduler runs.

Airflow reads its configuration when it is first imported, so the DAGs run in
a child process started with :func:`newsflow.airflow_home.airflow_environment`:
``python -m newsflow.orchestration.local [--follow-assets] --result FILE DAG_ID...``.
:func:`run_dags_once` starts that child and returns one :class:`DagRunReport`
per DAG run.

With ``follow_assets`` a DAG runs only when the one before it emitted an Asset
event (ingest -> ``raw_articles`` -> annotate -> ``raw_annotations`` ->
transform), as under the scheduler; without it every DAG named runs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["PIPELINE", "DagRunReport", "run_dags_in_process", "run_dags_once", "warm_up"]

#: The DAGs of one pass of the pipeline, in Asset order.
PIPELINE = ("news_ingest", "news_annotate", "news_transform")


@dataclass
class DagRunReport:
    dag_id: str
    state: str  # success, failed, or "not run" (follow_assets and nothing upstream)
    run_id: str = ""
    elapsed_s: float = 0.0
    #: task instance state -> how many
    tasks: dict[str, int] = field(default_factory=dict)
    #: names of the Assets this run emitted events for
    assets: list[str] = field(default_factory=list)
    #: XCom return values of the tasks (counts only), by task id (mapped: summed)
    results: dict[str, Any] = field(default_factory=dict)
    #: task id -> highest try number, for the tasks that needed more than one try
    retried: dict[str, int] = field(default_factory=dict)
    error: str = ""
    #: seconds this process spent before the run bringing up Airflow's in-process
    #: execution API (the first report of a process only; see :func:`warm_up`)
    startup_s: float = 0.0
    #: the failed tasks, first to fail first: ``{"task_id", "tries", "error"}``, where
    #: ``error`` holds the first lines of the task's error (see orchestration.failures)
    failures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.state in {"success", "not run"}


# --------------------------------------------------------------------------
# Parent side
# --------------------------------------------------------------------------
def run_dags_once(
    dag_ids: Sequence[str],
    *,
    env: dict[str, str],
    follow_assets: bool = False,
    log_file: Path | None = None,
    stream: bool = False,
    timeout_s: float | None = None,
) -> list[DagRunReport]:
    """Run the DAGs in a child process with ``env``; their reports in order.

    The child's log goes to ``log_file`` (or to this process's stderr with
    ``stream``).
    """
    import tempfile

    with tempfile.TemporaryDirectory(prefix="newsflow-run-") as tmp:
        result = Path(tmp) / "result.json"
        cmd = [sys.executable, "-m", "newsflow.orchestration.local", "--result", str(result)]
        if follow_assets:
            cmd.append("--follow-assets")
        cmd.extend(dag_ids)
        if stream:
            proc = subprocess.run(cmd, env=env, timeout=timeout_s, check=False)
        else:
            target = log_file or Path(tmp) / "run.log"
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "ab") as log:
                proc = subprocess.run(
                    cmd, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=timeout_s
                )
        if not result.exists():
            tail = ""
            if not stream:
                tail = (log_file or Path(tmp) / "run.log").read_text(errors="replace")[-4000:]
            raise RuntimeError(f"the DAG runner exited with {proc.returncode}:\n{tail}")
        data = json.loads(result.read_text())
    return [DagRunReport(**item) for item in data]


# --------------------------------------------------------------------------
# Child side (Airflow configured by the environment)
# --------------------------------------------------------------------------
def warm_up() -> float:
    """Bring up Airflow's in-process execution API now; the seconds it took.

    ``dag.test()`` talks to it for every task state and XCom; its first request
    builds the versioned FastAPI app (~5 s on a 2-core machine), which would
    otherwise land in the first task of the first run.  Done once per process,
    it makes each report's ``elapsed_s`` the run's own time, as under a
    scheduler whose API server is up.  Never fatal: the first task pays instead.
    """
    started = time.monotonic()
    try:
        from airflow.sdk.execution_time.supervisor import InProcessTestSupervisor

        InProcessTestSupervisor._api_client().get("health/ping")
    except Exception as exc:  # the runs still work without the warm-up
        print(f"newsflow: execution API warm-up skipped: {exc}", file=sys.stderr)
    return round(time.monotonic() - started, 2)


def run_dags_in_process(
    dag_ids: Sequence[str], *, follow_assets: bool = False, migrate: bool = True
) -> list[DagRunReport]:
    """Run each DAG with ``dag.test()`` in this process (Airflow must be configured)."""
    from airflow.dag_processing.dagbag import DagBag

    from newsflow.airflow_home import DAGS_FOLDER

    if migrate:
        from airflow.utils.db import upgradedb

        upgradedb()
    startup = warm_up()
    reports: list[DagRunReport] = []
    upstream_emitted = True
    for dag_id in dag_ids:
        if follow_assets and not upstream_emitted:
            reports.append(DagRunReport(dag_id=dag_id, state="not run"))
            continue
        path = DAGS_FOLDER / f"{dag_id}.py"
        bag = DagBag(dag_folder=str(path if path.exists() else DAGS_FOLDER))
        dag = bag.get_dag(dag_id)
        if dag is None:
            errors = "; ".join(f"{k}: {v}" for k, v in bag.import_errors.items())
            reports.append(DagRunReport(dag_id=dag_id, state="failed", error=errors))
            upstream_emitted = False
            continue
        started = time.monotonic()
        try:
            dag_run = dag.test()
        except Exception as exc:  # report, do not hide: the caller sets the exit code
            reports.append(
                DagRunReport(dag_id=dag_id, state="failed", error=f"{type(exc).__name__}: {exc}")
            )
            upstream_emitted = False
            continue
        report = _report(dag_id, dag_run, time.monotonic() - started)
        report.startup_s, startup = startup, 0.0
        reports.append(report)
        upstream_emitted = report.state == "success" and bool(report.assets)
    return reports


def _report(dag_id: str, dag_run: Any, elapsed: float) -> DagRunReport:
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.models.taskinstance import TaskInstance
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    from newsflow.orchestration.failures import ERROR_XCOM_KEY

    tasks: dict[str, int] = {}
    results: dict[str, Any] = {}
    retried: dict[str, int] = {}
    failed: list[Any] = []
    with create_session() as session:
        tis = session.scalars(
            select(TaskInstance).where(
                TaskInstance.dag_id == dag_id, TaskInstance.run_id == dag_run.run_id
            )
        ).all()
        for ti in tis:
            state = str(getattr(ti.state, "value", ti.state) or "none")
            tasks[state] = tasks.get(state, 0) + 1
            if (ti.try_number or 0) > 1:
                retried[ti.task_id] = max(retried.get(ti.task_id, 0), ti.try_number)
            if state == "failed":
                failed.append(ti)
        errors = dict(
            session.execute(
                select(XComModel.task_id, XComModel.value).where(
                    XComModel.dag_id == dag_id,
                    XComModel.run_id == dag_run.run_id,
                    XComModel.key == ERROR_XCOM_KEY,
                )
            ).all()
        )
        rows = session.execute(
            select(XComModel.task_id, XComModel.value).where(
                XComModel.dag_id == dag_id,
                XComModel.run_id == dag_run.run_id,
                XComModel.key == "return_value",
            )
        ).all()
        for task_id, value in rows:
            _merge(results, task_id, _decode(value))
        assets = session.scalars(
            select(AssetModel.name)
            .join(AssetEvent, AssetEvent.asset_id == AssetModel.id)
            .where(AssetEvent.source_dag_id == dag_id, AssetEvent.source_run_id == dag_run.run_id)
        ).all()
    state = str(getattr(dag_run.state, "value", dag_run.state))
    failures = [
        {
            "task_id": ti.task_id,
            "tries": ti.try_number or 1,
            "error": str(_decode(errors[ti.task_id])) if ti.task_id in errors else "",
        }
        for ti in sorted(failed, key=lambda ti: (ti.end_date is None, ti.end_date))
    ]
    # The first failure that says why, else the first one: the run's error.
    first = next((f for f in failures if f["error"]), failures[0] if failures else None)
    error = f"{first['task_id']}: {first['error'] or 'failed (see the task log)'}" if first else ""
    return DagRunReport(
        dag_id=dag_id,
        state=state,
        run_id=dag_run.run_id,
        elapsed_s=round(elapsed, 2),
        tasks=tasks,
        assets=sorted(set(assets)),
        results=results,
        retried=retried,
        error=error,
        failures=failures,
    )


def _decode(value: Any) -> Any:
    if isinstance(value, str | bytes):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _merge(results: dict[str, Any], task_id: str, value: Any) -> None:
    """Keep numbers only; mapped tasks (several values per task id) are summed."""
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int | float):
        results[task_id] = results.get(task_id, 0) + value
        return
    if isinstance(value, dict):
        merged = results.setdefault(task_id, {})
        if not isinstance(merged, dict):
            return
        for key, item in value.items():
            if isinstance(item, int | float) and not isinstance(item, bool):
                merged[key] = merged.get(key, 0) + item
        return
    if isinstance(value, list):
        results[f"{task_id}.items"] = results.get(f"{task_id}.items", 0) + len(value)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsflow.orchestration.local")
    parser.add_argument("dag_ids", nargs="+")
    parser.add_argument("--result", type=Path, required=True, help="write the reports here")
    parser.add_argument("--follow-assets", action="store_true")
    parser.add_argument("--no-migrate", action="store_true")
    args = parser.parse_args(argv)
    reports = run_dags_in_process(
        args.dag_ids, follow_assets=args.follow_assets, migrate=not args.no_migrate
    )
    args.result.write_text(json.dumps([asdict(r) for r in reports]))
    return 0 if all(r.ok for r in reports) else 1


if __name__ == "__main__":
    raise SystemExit(main())
