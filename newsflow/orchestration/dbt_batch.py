"""news_transform's per-batch ``dbt build`` in one task, with a result per model.

The default of ``news_transform`` (``NEWSFLOW_DBT_EXECUTION=build``): one task
runs the build the way ``newsflow transform --selector frequent`` does, through
:func:`newsflow.dbt_runner.run_dbt` (dbt in a child process, JSON log lines
read as they come, ``run_results.json`` at the end), on the selection Cosmos
renders (:data:`~newsflow.orchestration.warehouse.FREQUENT`: the ``frequent``
selector's models and data tests, and the models tagged ``daily`` beside them,
so a new deployment has every mart after its first batch).

Measured against Cosmos (``bench/transform_bench.py``): Cosmos' watcher mode
runs the same ``dbt build`` in dbt's in-process runner, but pushes ~180 XComs
from dbt's threads (four per node, each a round trip through Airflow's
execution API, plus an Airflow Variable holding a backup of them all), which
made its build about twice the CLI's, and then starts one short task per model
and per test, each a task start of its own (a new process under a scheduler).
Here the per-model result stays visible without paying per model:

- the task log has one line per node as it finishes and, at the end, a table of
  every node (status, rows, seconds) and the message of each failure;
- the task's XCom (``return_value``) has the counts per status and, per model,
  its status, rows and seconds; ``failures`` names the failing nodes;
- ``raw.runs`` gets a ``transform`` row with the counts, as the CLI writes, so
  ``newsflow status`` sees the batch.

A model that errors or a data test that fails fails the task with the nodes and
dbt's messages (:mod:`newsflow.orchestration.failures` then decides whether a
retry can help; a retry builds again what is left: the incremental models take
only rows they have not taken).  ``NEWSFLOW_DBT_EXECUTION=watcher`` or
``local`` bring back one Airflow task per model (Cosmos) at their measured cost.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsflow.orchestration.warehouse import FREQUENT, FREQUENT_EXCLUDE
from storage.connection import connect

__all__ = ["BUILD_ARGS", "batch_target_path", "build_batch", "failure_message", "node_results"]

log = logging.getLogger(__name__)

#: The per-batch selection as dbt arguments: what Cosmos renders, and
#: ``per_batch_build`` as ``--selector frequent`` implies it (dbt_project/macros).
BUILD_ARGS = (
    "build",
    "--select",
    FREQUENT,
    "--exclude",
    *FREQUENT_EXCLUDE,
    "--vars",
    "{per_batch_build: true}",
)
#: dbt's lines worth keeping in the task log besides the per-node table
_TIMING_LINES = ("Found ", "Finished running", "Concurrency:")
#: run_results statuses that fail the batch
_FAILED = {"error", "fail", "runtime error"}
#: dbt's resource types by the first part of a unique_id, as the log shows them
_KINDS = {
    "model": "model",
    "test": "test",
    "seed": "seed",
    "snapshot": "snap",
    "unit_test": "unit",
    "exposure": "expo",
    "operation": "hook",
}


def batch_target_path() -> Path:
    """dbt's artifacts and partial-parse cache for the per-batch builds (the data dir).

    Kept apart from ``dbt_project/target`` (Cosmos renders its manifest) and from
    the nightly's and the static layers' targets: dbt's partial-parse cache holds
    the profile and ``--vars``, so one cache per kind of build stays valid.
    """
    from newsflow.settings import load as load_settings

    path = load_settings().data_dir / "dbt" / "batch-target"
    path.mkdir(parents=True, exist_ok=True)
    return path


def node_results(target_path: Path) -> list[dict[str, Any]]:
    """Every node of the last run's ``run_results.json``: name, kind, status, rows, seconds."""
    try:
        data = json.loads((target_path / "run_results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    nodes = []
    for result in data.get("results", []):
        unique_id = str(result.get("unique_id", ""))
        parts = unique_id.split(".")
        kind = _KINDS.get(parts[0], parts[0]) if parts else ""
        # tests: the name without dbt's hash suffix (kept in unique_id)
        name = parts[2] if len(parts) > 2 else unique_id
        rows = (result.get("adapter_response") or {}).get("rows_affected")
        if kind == "test":
            rows = result.get("failures")
        nodes.append(
            {
                "unique_id": unique_id,
                "name": name,
                "kind": kind,
                "status": str(result.get("status", "unknown")),
                "rows": rows if isinstance(rows, int) and rows >= 0 else None,
                "seconds": round(float(result.get("execution_time") or 0.0), 2),
                "message": str(result.get("message") or ""),
            }
        )
    return nodes


def _log_table(nodes: list[dict[str, Any]]) -> None:
    """One line per node: what each model and test did (the per-model view of the build)."""
    log.info("%-10s %-5s %-52s %8s %7s", "status", "kind", "node", "rows", "seconds")
    for node in nodes:
        rows = "" if node["rows"] is None else str(node["rows"])
        log.info(
            "%-10s %-5s %-52s %8s %7.2f",
            node["status"],
            node["kind"],
            node["name"][:52],
            rows,
            node["seconds"],
        )


def failure_message(result: Any, nodes: list[dict[str, Any]]) -> str:
    """Why the build failed: the failing nodes and dbt's messages, else dbt's last lines."""
    failures = [n for n in nodes if n["status"] in _FAILED]
    if failures:
        details = "; ".join(
            f"{n['unique_id']}: {' '.join(n['message'].split())[:300]}" for n in failures[:10]
        )
        return f"dbt build of the batch failed ({result.summary()}): {details}"
    tail = "\n".join(result.output.strip().splitlines()[-15:])
    return f"dbt could not build the batch ({result.summary()}):\n{tail}"


def _record(database_url: str, run_id: str, started: datetime, status: str, counts: Any) -> None:
    """The ``transform`` row of ``raw.runs`` (as ``newsflow transform`` writes); never fatal."""
    import psycopg

    from storage import runs

    try:
        with connect(database_url, connect_timeout=10) as conn:
            runs.record_quietly(conn, run_id, "transform", status, counts, started_at=started)
    except psycopg.Error as exc:
        log.warning("cannot record the transform run: %s", exc)


def build_batch(
    database_url: str, *, run_id: str, target_path: Path | None = None
) -> dict[str, Any]:
    """Build the batch; return counts per status and each model's result (XCom).

    Raises ``RuntimeError`` naming the failing nodes and dbt's messages when a
    node failed, or with dbt's last lines when dbt could not run at all.
    """
    from newsflow.dbt_runner import run_dbt

    target = target_path or batch_target_path()
    started = datetime.now(UTC)

    def progress(done: int, total: int, name: str, status: str) -> None:
        log.info("dbt %d/%d %s %s", done, total, status, name)

    (target / "run_results.json").unlink(missing_ok=True)
    result = run_dbt(
        list(BUILD_ARGS),
        database_url=database_url,
        capture=True,
        progress=progress,
        target_path=target,
    )
    nodes = node_results(target) if result.counts else []
    _log_table(nodes)
    for line in result.output.splitlines():
        # how dbt spent its time: a full parse (and why) or not, the nodes' run
        text = line.strip()
        if text.startswith(_TIMING_LINES) or "partial pars" in text.lower():
            log.info("dbt: %s", text)
    log.info("%s", result.summary())
    counts = dict(result.counts)
    if result.success:
        status = "ok"
    elif result.returncode == 1 and counts:
        status = "partial"
    else:
        status = "failed"
    _record(
        database_url, run_id, started, status, {"elapsed_s": round(result.elapsed_s, 1), **counts}
    )
    if not result.success:
        raise RuntimeError(failure_message(result, nodes))
    models = {
        n["name"]: {"status": n["status"], "rows": n["rows"], "seconds": n["seconds"]}
        for n in nodes
        if n["kind"] in {"model", "seed", "snap"}
    }
    return {"elapsed_s": round(result.elapsed_s, 1), **counts, "models": models}
