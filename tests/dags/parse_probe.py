"""Parse every DAG file the way the DAG processor does, under a network guard.

Run as a script in a fresh interpreter (Airflow reads its configuration when
first imported, and the guard must be in place before anything connects):

    python tests/dags/parse_probe.py DAGS_DIR

Every TCP/UDP connection attempt is refused and recorded (Unix sockets are
allowed: nothing here uses them for the network).  Prints one JSON document:
per file the import errors, the CPU time of the parse and the DAGs with their
schedule, tags, default args and every task's retries and time-out; plus the
connection attempts and the stage modules that got imported.
"""

from __future__ import annotations

import json
import socket
import sys
import time
from pathlib import Path

ATTEMPTS: list[str] = []
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _guard(sock: socket.socket, address: object) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        ATTEMPTS.append(repr(address))
        raise ConnectionRefusedError(f"network access while parsing DAGs: {address!r}")


def _connect(self: socket.socket, address: object) -> None:
    _guard(self, address)
    _real_connect(self, address)  # type: ignore[arg-type]


def _connect_ex(self: socket.socket, address: object) -> int:
    _guard(self, address)
    return _real_connect_ex(self, address)  # type: ignore[arg-type]


socket.socket.connect = _connect  # type: ignore[method-assign]
socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]

STAGE_MODULES = ("ingest.pipeline", "transforms.pipeline", "spacy", "trafilatura", "dbt.cli.main")


def describe_dag(dag: object) -> dict[str, object]:
    tasks = []
    for task in dag.tasks:  # type: ignore[attr-defined]
        timeout = task.execution_timeout
        tasks.append(
            {
                "task_id": task.task_id,
                "retries": task.retries,
                "retry_exponential_backoff": float(task.retry_exponential_backoff or 0),
                "execution_timeout_s": timeout.total_seconds() if timeout else None,
                "outlets": [getattr(o, "name", str(o)) for o in task.outlets],
                "operator": type(task).__name__,
                "upstream": sorted(task.upstream_task_ids),
                "trigger_rule": str(getattr(task.trigger_rule, "value", task.trigger_rule)),
            }
        )
    timetable = dag.timetable  # type: ignore[attr-defined]
    return {
        "dag_id": dag.dag_id,  # type: ignore[attr-defined]
        "tags": sorted(dag.tags),  # type: ignore[attr-defined]
        "catchup": dag.catchup,  # type: ignore[attr-defined]
        "start_date": dag.start_date.isoformat() if dag.start_date else None,  # type: ignore[attr-defined]
        "schedule": getattr(timetable, "summary", str(timetable)),
        "asset_triggered": bool(getattr(timetable, "asset_condition", None)),
        "max_active_runs": dag.max_active_runs,  # type: ignore[attr-defined]
        "default_args": {
            k: (v.total_seconds() if hasattr(v, "total_seconds") else v)
            for k, v in dag.default_args.items()  # type: ignore[attr-defined]
        },
        "tasks": tasks,
    }


def main(dags_dir: str) -> None:
    import tempfile

    from airflow.dag_processing.dagbag import DagBag

    files = sorted(Path(dags_dir).glob("*.py"))
    # Warm up Airflow's own imports (a DAG file with no DAG), so the figures
    # below are each file's own cost, as in the DAG processor.
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "warm_up.py"
        empty.write_text("from airflow.sdk import dag  # DAG\n")
        DagBag(dag_folder=str(empty))
    result: dict[str, object] = {"files": {}}
    for path in files:
        cpu = time.process_time()
        wall = time.perf_counter()
        bag = DagBag(dag_folder=str(path))
        result["files"][path.name] = {  # type: ignore[index]
            "cpu_s": round(time.process_time() - cpu, 3),
            "wall_s": round(time.perf_counter() - wall, 3),
            "import_errors": {str(k): str(v) for k, v in bag.import_errors.items()},
            "dags": [describe_dag(d) for d in bag.dags.values()],
        }
    result["network_attempts"] = ATTEMPTS
    result["stage_modules_imported"] = [m for m in STAGE_MODULES if m in sys.modules]
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1])
