"""Orchestration overhead: what Airflow and Cosmos add on top of the work itself.

Two questions, each answered with ``dag.test()`` (one process, as ``newsflow
run`` does) and, with ``--scheduler``, under Airflow's real services
(API server, scheduler, DAG processor, LocalExecutor):

1. How long does one ``news_ingest`` run take when no feed is due?  The target
   is 10 s or less: the run happens every 10 minutes.
2. How much does rendering dbt as one Airflow task per model (Cosmos) cost,
   compared with one plain ``dbt build`` of the same selection?

Set-up: a throw-away warehouse and metadata database (on
``NEWSFLOW_DATABASE_URL``'s server when set, else an embedded server), the
synthetic outlets of ``tests/dags/resources/site.json`` served on 127.0.0.x,
one ingest (and annotate, when the stage is installed) run to land data, one
transform run to build the static layers.  Then the timed runs.

    .venv/bin/python bench/airflow_bench.py [--repeat 3] [--scheduler]

Prints a table and writes ``bench/results/airflow_bench.json``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsflow.airflow_home import LocalAirflow, metadata_database_url  # noqa: E402
from newsflow.db.migrate import apply_migrations  # noqa: E402
from newsflow.orchestration.local import run_dags_once  # noqa: E402
from newsflow.orchestration.warehouse import FREQUENT  # noqa: E402
from storage.connection import connect  # noqa: E402

FAST_RETRIES = {
    "NEWSFLOW_RETRY_DELAY": "1",
    "NEWSFLOW_MAX_RETRY_DELAY": "4",
    "NEWSFLOW_ALLOWED_HOSTS": "127.0.0.0/8",
}


def _with_db(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def _admin_url(tmp: Path) -> tuple[str, Any]:
    from newsflow.settings import load

    external = load().database_url
    if external:
        return _with_db(external, "postgres"), None
    from newsflow.db.embedded import EmbeddedServer

    os.chmod(tmp, 0o755)
    server = EmbeddedServer(tmp / "pg")
    server.ensure()
    return server.admin_url(), server


def _metadata_rows(metadata_url: str, query: str, *params: str) -> list[tuple[Any, ...]]:
    url = metadata_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with connect(url) as conn:
        return conn.execute(query, params).fetchall()


def _task_durations(metadata_url: str, dag_id: str, run_id: str) -> list[float]:
    rows = _metadata_rows(
        metadata_url,
        "select extract(epoch from end_date - start_date) from task_instance"
        " where dag_id = %s and run_id = %s and start_date is not null",
        dag_id,
        run_id,
    )
    return [float(r[0]) for r in rows if r[0] is not None]


def _run_window(metadata_url: str, dag_id: str, run_id: str) -> float:
    rows = _metadata_rows(
        metadata_url,
        "select extract(epoch from end_date - start_date) from dag_run"
        " where dag_id = %s and run_id = %s",
        dag_id,
        run_id,
    )
    return float(rows[0][0]) if rows and rows[0][0] is not None else float("nan")


def bench_dag_test(env: dict[str, str], meta: str, repeat: int, log: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    # news_ingest with nothing due (the feeds were polled during set-up), several
    # runs in one process: the first pays the imports (Airflow, the ingest stage,
    # psycopg), the others are what a long-lived worker pays.
    started = time.monotonic()
    reports = run_dags_once(["news_ingest"] * (repeat + 1), env=env, log_file=log)
    process_wall = time.monotonic() - started
    for report in reports:
        assert report.state == "success", report
        assert not report.assets, "something was due"
    runs = [_run_window(meta, "news_ingest", r.run_id) for r in reports]
    out["ingest_nothing_due_dag_test"] = {
        "first_run_s": round(runs[0], 2),
        "next_runs_s_median": round(statistics.median(runs[1:]), 2),
        "child_process_total_s": round(process_wall, 1),
        "runs": len(runs),
        "task_instances": sum(reports[-1].tasks.values()),
    }
    # news_transform (static layers already built): Cosmos, one task per model.
    (report,) = run_dags_once(["news_transform"], env=env, log_file=log)
    assert report.state == "success", report
    durations = _task_durations(meta, "news_transform", report.run_id)
    dbt_tasks = sum(report.tasks.values()) - 2  # minus static_layers and publish
    out["transform_cosmos_dag_test"] = {
        "dag_run_s": round(_run_window(meta, "news_transform", report.run_id), 1),
        "dbt_tasks": dbt_tasks,
        "task_s_median": round(statistics.median(durations), 2),
        "task_s_sum": round(sum(durations), 1),
    }
    return out


def bench_plain_dbt(url: str, target: Path, repeat: int) -> dict[str, Any]:
    from newsflow.dbt_runner import build

    build(url, select=FREQUENT, capture=True, target_path=target)  # warm the parse cache
    walls = []
    for _ in range(repeat):
        result = build(url, select=FREQUENT, capture=True, target_path=target)
        assert result.success, result.output[-2000:]
        walls.append(result.elapsed_s)
    return {"select": FREQUENT, "wall_s": round(statistics.median(walls), 1), **result.counts}


def bench_scheduler(local: LocalAirflow, env: dict[str, str], log_dir: Path) -> dict[str, Any]:
    from tests.dags.stack import AirflowStack, Metadata, port_open, wait_for

    meta = Metadata(local.metadata_url)
    stack = AirflowStack(env, log_dir, ["api-server", "scheduler", "dag-processor"]).start()
    out: dict[str, Any] = {}
    try:
        wait_for(lambda: port_open(local.port), timeout=300, what="API server")
        wait_for(lambda: meta.dags() >= {"news_ingest", "news_transform"}, timeout=300)
        for dag_id in ("news_ingest", "news_transform"):
            stack.cli("dags", "unpause", dag_id)
            run_id = f"bench__{uuid.uuid4().hex[:8]}"
            started = time.monotonic()
            stack.cli("dags", "trigger", dag_id, "--run-id", run_id)

            def done(dag_id: str = dag_id, run_id: str = run_id) -> str | None:
                stack.check_alive()
                states = {r[0]: r[2] for r in meta.runs(dag_id)}
                return states.get(run_id) if states.get(run_id) in {"success", "failed"} else None

            state = wait_for(done, timeout=900, interval=0.5, what=dag_id)
            latency = time.monotonic() - started
            durations = _task_durations(local.metadata_url, dag_id, run_id)
            out[dag_id] = {
                "state": state,
                "trigger_to_done_s": round(latency, 1),
                "dag_run_s": round(_run_window(local.metadata_url, dag_id, run_id), 1),
                "task_instances": len(durations),
                "task_s_median": round(statistics.median(durations), 2) if durations else None,
            }
    finally:
        stack.stop()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scheduler", action="store_true", help="also time the real services")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="newsflow-airflow-bench-"))
    admin, server = _admin_url(tmp)
    suffix = uuid.uuid4().hex[:8]
    warehouse_db, meta_db = f"bench_wh_{suffix}", f"bench_af_{suffix}"
    with connect(admin, autocommit=True) as conn:
        conn.execute(f'create database "{warehouse_db}"')
        conn.execute(f'create database "{meta_db}"')
    url = _with_db(admin, warehouse_db)
    results: dict[str, Any] = {"cpus": os.cpu_count(), "load_avg_start": os.getloadavg()[0]}
    try:
        with connect(url, autocommit=True) as conn:
            apply_migrations(conn)
        from tests.dags.site import register_feeds, serve_site

        port = 0
        if args.scheduler:
            from tests.dags.stack import free_port

            port = free_port()
        local = LocalAirflow(
            database_url=url,
            data_dir=tmp / "data",
            home=tmp / "airflow",
            metadata_url=metadata_database_url(admin, meta_db),
            paused_at_creation=True,
            parallelism=4,
            **({"port": port} if port else {}),
        )
        local.home.mkdir(parents=True)
        env = local.environment({**os.environ, **FAST_RETRIES})
        env.update(FAST_RETRIES)
        local.migrate(env)
        log = tmp / "run.log"
        with serve_site() as site:
            register_feeds(url, site)
            setup = ["news_ingest"]
            if importlib.util.find_spec("transforms.pipeline"):
                setup.append("news_annotate")
            setup.append("news_transform")
            for report in run_dags_once(setup, env=env, log_file=log):
                assert report.state == "success", (report, log.read_text()[-3000:])
            results.update(bench_dag_test(env, local.metadata_url, args.repeat, log))
            results["plain_dbt_build"] = bench_plain_dbt(url, tmp / "dbt-target", args.repeat)
            if args.scheduler:
                results["scheduler_local_executor"] = bench_scheduler(local, env, tmp / "logs")
        cosmos = results["transform_cosmos_dag_test"]
        plain = results["plain_dbt_build"]
        cosmos["overhead_per_dbt_task_s"] = round(
            (cosmos["dag_run_s"] - plain["wall_s"]) / max(1, cosmos["dbt_tasks"]), 2
        )
        results["load_avg_end"] = os.getloadavg()[0]
    finally:
        with connect(admin, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{warehouse_db}" with (force)')
            conn.execute(f'drop database if exists "{meta_db}" with (force)')
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    out = ROOT / "bench" / "results" / "airflow_bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
