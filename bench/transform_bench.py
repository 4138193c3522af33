"""Per-batch transform: ``news_transform`` through Airflow against ``newsflow transform``.

One batch, measured side by side in one run:

- ``cli``: ``newsflow transform --selector frequent`` (one ``dbt build``);
- ``dag build``: ``news_transform`` with ``dag.test()`` as deployed
  (``NEWSFLOW_DBT_EXECUTION=build``): ``static_layers``, one ``dbt.build`` task
  running newsflow's own ``dbt build`` of the batch, ``publish``;
- ``dag watcher``: the same DAG in Cosmos' ``ExecutionMode.WATCHER`` (one
  ``dbt build`` in a producer task, one sensor per model and per model's tests);
- ``dag local`` (only with ``--variants``): Cosmos' ``ExecutionMode.LOCAL``, one
  dbt invocation per model and per model's tests.

Set-up (not timed): a template warehouse where the bundled demo corpus (120
articles) was ingested and annotated and the static layers (seeds, staging,
lookups) built, but no per-batch model ran.  Each variant gets its own clone
of it (``create database ... template``), so each builds the very same batch.
For the DAG variants the static-layer check is primed on the clone first, so
``static_layers`` is the quick check it is on every run but the first.  Each
variant runs twice on a clone of the same name, the first run untimed: it
leaves dbt's partial-parse cache (the CLI's target directory, the DAG task's,
Cosmos' cache directory) as every batch but a deployment's first finds it
(dbt's cache holds the profile, connection and ``--vars``, so a parse for
another database or other flags is no use).  ``--cold`` times the first runs.

What a DAG variant reports, from Airflow's metadata (task instances and the
DAG run of that ``dag.test()``):

- ``seconds``: the first task's start to the last task's end, what the run's
  tasks take on every batch (compared with the CLI's wall time);
- ``startup_s``: bringing up Airflow's in-process execution API before the run
  (:func:`newsflow.orchestration.local.warm_up`; else ``dag.test()`` pays it in
  the first task): once per ``newsflow run`` or ``newsflow demo`` process, not
  per batch under a running scheduler (which pays a task start per task
  instead: ``bench/freshness_bench.py``);
- ``dag_run_s``: the DAG run's start to end, as recorded in ``dag_run``;
- ``dbt_task_s``: the task(s) running dbt (``dbt.build``, or Cosmos' producer);
- ``wall_s``: with the child process and Airflow's import.

    PYTHONPATH=. .venv/bin/python bench/transform_bench.py [--admin-url URL]

``--admin-url`` (or ``NEWSFLOW_BENCH_ADMIN_URL``) names a server where
databases may be created; else an embedded server is started.  Prints a table
and writes ``bench/results/transform_bench.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import Databases  # noqa: E402
from newsflow.airflow_home import LocalAirflow, metadata_database_url  # noqa: E402

VARIANTS = ("cli", "dag build", "dag watcher", "dag local")
DEFAULT_VARIANTS = ("cli", "dag build", "dag watcher")
#: the tasks that run dbt, per DAG variant
DBT_TASKS = {"build": ("dbt.build",), "watcher": ("dbt.dbt_producer_watcher",)}
CLI_ARGS = ("transform", "--selector", "frequent", "--json")


def _with_db(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def _template(dbs: Databases, data_dir: Path) -> str:
    """A warehouse with one ingested and annotated batch and the static layers, no marts."""
    from ingest.pipeline import run_ingest
    from newsflow.demo.run import loopback_allowed, register_feeds
    from newsflow.demo.server import Corpus, DemoServer
    from newsflow.orchestration import tasks
    from newsflow.settings.ingest import ingest_config
    from newsflow.settings.transforms import annotate_config
    from transforms.pipeline import run_annotate

    url = dbs.fresh("tpl")
    os.environ["NEWSFLOW_DATA_DIR"] = str(data_dir)
    with loopback_allowed(), DemoServer(Corpus()) as server:
        with psycopg.connect(url) as conn:
            register_feeds(conn, server)
        ingest = run_ingest(url, config=ingest_config())  # inside: loopback allowed
    annotate = run_annotate(url, config=annotate_config())
    static = tasks.static_layers(url)
    print(f"template: ingest {getattr(ingest, 'to_dict', lambda: ingest)()}", file=sys.stderr)
    print(f"template: annotate {annotate if isinstance(annotate, dict) else ''}", file=sys.stderr)
    print(f"template: static layers {static}", file=sys.stderr)
    return urlsplit(url).path.lstrip("/")


def _clone(dbs: Databases, template: str, label: str) -> str:
    name = f"nf_bench_{label}_{os.getpid()}"
    with psycopg.connect(dbs.admin_url, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
        conn.execute(f'create database "{name}" template "{template}"')
    dbs.created.append(name)
    return _with_db(dbs.admin_url, name)


def _fct_rows(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("select count(*) from marts.fct_event_mentions").fetchone()
    return int(row[0]) if row else 0


def run_cli(url: str, work: Path) -> dict[str, Any]:
    # dbt's artifacts (and partial-parse cache) of its own, as a deployment has.
    env = {
        **os.environ,
        "NEWSFLOW_DATABASE_URL": url,
        "PYTHONPATH": str(ROOT),
        "NEWSFLOW_DBT_TARGET_PATH": str(work / "cli-target"),
    }
    started = time.monotonic()
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "newsflow"), *CLI_ARGS],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.monotonic() - started
    if proc.returncode != 0:
        print(proc.stdout[-2000:], proc.stderr[-2000:], file=sys.stderr)
        return {"seconds": round(wall, 1), "ok": False, "rows": 0}
    dbt_s = json.loads(proc.stdout).get("elapsed_s")
    return {"seconds": round(wall, 1), "dbt_s": dbt_s, "ok": True, "rows": _fct_rows(url)}


def _run_times(metadata: str, run_id: str, mode: str) -> dict[str, float]:
    """From Airflow's metadata: the run's tasks' span, the whole run, the dbt task(s)."""
    with psycopg.connect(metadata) as conn:
        run = conn.execute(
            "select start_date, end_date from dag_run where dag_id = 'news_transform'"
            " and run_id = %s",
            (run_id,),
        ).fetchone()
        tis = conn.execute(
            "select task_id, start_date, end_date from task_instance"
            " where dag_id = 'news_transform' and run_id = %s and start_date is not null",
            (run_id,),
        ).fetchall()
    if not run or not tis:
        return {}
    first = min(t[1] for t in tis)
    last = max(t[2] or t[1] for t in tis)
    dbt = [t for t in tis if t[0] in DBT_TASKS.get(mode, ()) and t[2]]
    times = {
        "seconds": round((last - first).total_seconds(), 1),
        "dag_run_s": round(((run[1] or last) - run[0]).total_seconds(), 1),
    }
    if dbt:
        times["dbt_task_s"] = round(sum((t[2] - t[1]).total_seconds() for t in dbt), 1)
    return times


def run_dag(
    url: str, mode: str, work: Path, metadata: str, metadata_url: str, logs: Path, log: str
) -> dict[str, Any]:
    from newsflow.orchestration import tasks
    from newsflow.orchestration.local import run_dags_once

    data_dir = work / f"data-{mode}"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["NEWSFLOW_DATA_DIR"] = str(data_dir)
    tasks.static_layers(url)  # primes the check: the quick path of every later run
    local = LocalAirflow(
        database_url=url, data_dir=data_dir, home=work / "airflow", metadata_url=metadata_url
    )
    env = local.environment({**os.environ, "NEWSFLOW_DBT_EXECUTION": mode})
    env["NEWSFLOW_DBT_EXECUTION"] = mode
    env["PYTHONPATH"] = str(ROOT)
    started = time.monotonic()
    (report,) = run_dags_once(["news_transform"], env=env, log_file=logs / f"{log}.log")
    wall = time.monotonic() - started
    return {
        "seconds": report.elapsed_s,  # replaced by the tasks' span when the metadata has it
        **_run_times(metadata, report.run_id, mode),
        "dag_test_s": report.elapsed_s,  # dag.test() as the runner timed it
        "startup_s": report.startup_s,  # the process's execution API bring-up, before the run
        "wall_s": round(wall, 1),  # with the child's start and Airflow's import
        "ok": report.state == "success",
        "tasks": report.tasks,
        "error": report.error,
        "rows": _fct_rows(url),
    }


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Per number of the runs' results, the median (the others from the last run)."""
    out = dict(runs[-1])
    for key, value in runs[-1].items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            out[key] = statistics.median(r[key] for r in runs if key in r)
    out["ok"] = all(r["ok"] for r in runs)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--admin-url", default=os.environ.get("NEWSFLOW_BENCH_ADMIN_URL"))
    parser.add_argument("--variants", nargs="+", default=list(DEFAULT_VARIANTS), choices=VARIANTS)
    parser.add_argument("--log-dir", type=Path, help="keep each variant's log here")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="time each variant's first run (dbt parses the whole project); by default a "
        "first, untimed run on a clone of the same name warms dbt's partial-parse cache",
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="timed runs of each variant, in turn (median)"
    )
    args = parser.parse_args()
    if args.cold:
        args.rounds = 1  # only a variant's first run is cold
    os.environ.setdefault("NEWSFLOW_ALLOWED_HOSTS", "127.0.0.1")
    results: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="newsflow-transform-bench-") as tmp:
        work = Path(tmp)
        os.chmod(work, 0o755)
        logs = args.log_dir or work
        logs.mkdir(parents=True, exist_ok=True)
        with Databases(args.admin_url) as dbs:
            template = _template(dbs, work / "data-template")
            metadata = dbs.fresh("airflow", migrate=False)
            metadata_url = metadata_database_url(metadata, urlsplit(metadata).path.lstrip("/"))
            LocalAirflow(
                database_url=metadata, data_dir=work, home=work / "airflow",
                metadata_url=metadata_url,
            ).migrate()  # fmt: skip

            def run(variant: str, log: str) -> dict[str, Any]:
                # The same database name every time: dbt's partial-parse state
                # includes the connection, as it would on a deployment.
                url = _clone(dbs, template, variant.replace("dag ", ""))
                if variant == "cli":
                    return run_cli(url, work)
                mode = variant.split()[1]
                return run_dag(url, mode, work, metadata, metadata_url, logs, f"{mode}-{log}")

            if not args.cold:
                for variant in args.variants:
                    print(f"{variant:12} warm-up {run(variant, 'warm-up')}", file=sys.stderr)
            # Rounds of every variant in turn: a load change on the shared machine
            # hits all of them, and the medians compare runs of the same rounds.
            for n in range(args.rounds):
                for variant in args.variants:
                    result = run(variant, f"round{n + 1}")
                    result["load_avg"] = round(os.getloadavg()[0], 1)
                    results.setdefault(variant, []).append(result)
                    print(f"{variant:12} round {n + 1} {result}", file=sys.stderr)
    summary = {v: _median(runs) for v, runs in results.items()}
    cli = summary.get("cli", {}).get("seconds")
    print(f"\nmedian of {args.rounds} round(s); seconds: the CLI's wall time, a DAG's tasks")
    print(f"{'variant':12} {'seconds':>8} {'x cli':>6} {'dbt':>6} {'startup':>8} {'ok':>5}  runs")
    for variant, r in summary.items():
        ratio = f"{r['seconds'] / cli:.2f}" if cli else "-"
        dbt = r.get("dbt_task_s", r.get("dbt_s"))
        dbt_ = f"{dbt:6.1f}" if dbt is not None else f"{'-':>6}"
        start = f"{r['startup_s']:8.1f}" if "startup_s" in r else f"{'-':>8}"
        runs = " ".join(f"{x['seconds']:.1f}" for x in results[variant])
        print(f"{variant:12} {r['seconds']:8.1f} {ratio:>6} {dbt_} {start} {r['ok']!s:>5}  {runs}")
    for variant in (v for v in results if v != "cli" and "cli" in results):
        pairs = zip(results[variant], results["cli"], strict=True)
        ratios = [r["seconds"] / c["seconds"] for r, c in pairs]
        print(f"{variant} x cli per round: " + ", ".join(f"{x:.2f}" for x in ratios))
    out = ROOT / "bench" / "results" / "transform_bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"median": summary, "runs": results}, indent=2))
    return 0 if all(r["ok"] for runs in results.values() for r in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
