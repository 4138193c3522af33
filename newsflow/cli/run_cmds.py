"""``newsflow run [--once]``: the pipeline against the configured feeds, without Airflow's services.

Each pass runs the real DAGs with Airflow's ``dag.test()`` (one process, no
scheduler or API server; task instances, retries, XCom and Asset events are
recorded in the local Airflow metadata database, see
:mod:`newsflow.orchestration.local`):

- ``--once``: ``news_ingest``, ``news_annotate`` and ``news_transform`` once
  each, in that order, whatever the first ones found; exit code 0 when every
  run succeeded, 1 otherwise.
- without ``--once``: a foreground loop for one machine.  Each pass runs
  ``news_ingest``; ``news_annotate`` runs only when it emitted ``raw_articles``
  and ``news_transform`` only when annotation emitted ``raw_annotations`` (the
  Asset chain, as under the scheduler).  Then it sleeps until the next feed is
  due (``raw.feeds.next_due_at``), at least ``--min-sleep`` and at most
  ``--max-sleep`` seconds.  Ctrl-C stops it between or during passes.

For production use Airflow itself (``newsflow airflow`` or docker-compose):
the scheduler, retries across restarts, the nightly DAG and scale-out are
Airflow's.  ``NEWSFLOW_FEEDS_FILE`` (a feeds.yaml) is loaded into the catalogue
before each pass when set.
"""

from __future__ import annotations

import json
import sys
import textwrap
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from newsflow.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    database_url,
    enabled_feeds,
    load_feeds_file,
    settings,
    sleep_until_due,
)

#: ``newsflow run`` prints for an 80-column terminal, at most this many failed tasks per run.
WIDTH = 80
MAX_FAILURES = 3


def _describe(report: Any) -> str:
    results = report.results
    if report.dag_id == "news_ingest":
        counts = results.get("ingest", {}) if isinstance(results.get("ingest"), dict) else {}
        detail = (
            f"{counts.get('feeds', 0)} feeds, {counts.get('articles_new', 0)} new articles, "
            f"{counts.get('pages_failed', 0)} pages failed"
        )
    elif report.dag_id == "news_annotate":
        counts = results.get("annotate", {}) if isinstance(results.get("annotate"), dict) else {}
        detail = f"{counts.get('articles', 0)} articles annotated"
    else:
        detail = ", ".join(f"{n} {state}" for state, n in sorted(report.tasks.items()))
    line = f"{report.dag_id:15} {report.state:8} {report.elapsed_s:6.1f}s  {detail}"
    lines = textwrap.wrap(line, WIDTH, subsequent_indent=" " * 34, break_long_words=False)
    failures = report.failures or ([{"task_id": "", "error": report.error}] if report.error else [])
    for failure in failures[:MAX_FAILURES]:
        # The failing task and the first lines of its error, whole, below the run.
        head = f"  failed: {failure['task_id']}" if failure["task_id"] else "  failed"
        lines.append(head)
        for text in (failure["error"] or "no error recorded (see the Airflow log)").splitlines():
            lines += textwrap.wrap(
                text, WIDTH, initial_indent="    ", subsequent_indent="    ",
                break_long_words=False, break_on_hyphens=False,
            )  # fmt: skip
    return "\n".join(lines)


def _one_pass(env: dict[str, str], log_file: Path, *, follow: bool, verbose: bool) -> list[Any]:
    from newsflow.orchestration.local import PIPELINE, run_dags_once

    return run_dags_once(PIPELINE, env=env, follow_assets=follow, log_file=log_file, stream=verbose)


@click.command()
@click.option("--once", is_flag=True, help="One pass: ingest, annotate, transform, then exit.")
@click.option("--json", "as_json", is_flag=True, help="Print each pass as one JSON line.")
@click.option("--min-sleep", default=60, show_default=True, help="Loop: shortest pause, s.")
@click.option("--max-sleep", default=900, show_default=True, help="Loop: longest pause, s.")
@click.option("--max-passes", default=0, help="Loop: stop after this many passes (0: never).")
@click.pass_context
def run(
    ctx: click.Context,
    once: bool,
    as_json: bool,
    min_sleep: int,
    max_sleep: int,
    max_passes: int,
) -> None:
    """Run the pipeline against the configured feeds (the DAGs, through dag.test)."""
    from newsflow.airflow_home import LocalAirflow
    from newsflow.cli.airflow_cmds import ensure_manifest

    cfg = settings()
    url = database_url()
    verbose = (ctx.find_root().params.get("verbose") or 0) > 0
    if cfg.feeds_file:
        try:
            load_feeds_file(url, cfg.feeds_file)
        except (OSError, ValueError) as exc:
            click.echo(f"error: cannot load NEWSFLOW_FEEDS_FILE: {exc}", err=True)
            sys.exit(EXIT_USAGE)
    feeds, _ = enabled_feeds(url)
    if feeds == 0:
        click.echo(
            "warning: no enabled feeds; add some with `newsflow feeds add URL` "
            "or set NEWSFLOW_FEEDS_FILE",
            err=True,
        )
    local = LocalAirflow.from_settings(url, cfg)
    local.prepare()
    ensure_manifest()
    env = local.environment()
    log_file = local.home / "logs" / "newsflow-run.log"
    if not verbose and not as_json:
        click.echo(f"Airflow log: {log_file}", err=True)

    passes = 0
    while True:
        passes += 1
        started = time.monotonic()
        reports = _one_pass(env, log_file, follow=not once, verbose=verbose)
        ok = all(r.ok for r in reports)
        if as_json:
            click.echo(json.dumps({"pass": passes, "ok": ok, "runs": [asdict(r) for r in reports]}))
        else:
            for report in reports:
                click.echo(_describe(report))
            click.echo(
                f"pass {passes}: {'ok' if ok else 'FAILED'} in {time.monotonic() - started:.1f}s"
            )
        if once:
            sys.exit(EXIT_OK if ok else EXIT_PARTIAL)
        if max_passes and passes >= max_passes:
            sys.exit(EXIT_OK if ok else EXIT_PARTIAL)
        _, next_due = enabled_feeds(url)
        wait = sleep_until_due(next_due, float(min_sleep), float(max_sleep))
        if not as_json:
            click.echo(f"next pass in {wait:.0f}s (Ctrl-C to stop)", err=True)
        try:
            time.sleep(wait)
        except KeyboardInterrupt:
            sys.exit(EXIT_OK)
