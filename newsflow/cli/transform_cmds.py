"""``newsflow transform``: build the warehouse (``dbt build`` on ``dbt_project/``).

Seeds, staging, intermediate and mart models and their tests run in dependency
order; incremental models take only what changed since the last run (after a
seed edit they recode everything by themselves; ``--full-refresh`` rebuilds
from scratch).  A progress bar while it runs, a summary at the end, one row
in ``raw.runs``.

Exit codes: 0 everything built and every test passed (warnings allowed);
1 some models or tests failed (the rest were built); 2 dbt could not run at
all (no database, a project that does not compile).
"""

from __future__ import annotations

import json
import logging
import sys
import uuid
from datetime import UTC, datetime
from typing import Any

import click

from newsflow.cli.common import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, database_url, exits_cleanly

log = logging.getLogger(__name__)


def _record_run(
    url: str, run_id: str, started: datetime, status: str, counts: dict[str, Any]
) -> None:
    """One row in raw.runs so `newsflow status` sees the transform stage; never fatal."""
    from newsflow.db import connect
    from storage import runs

    try:
        with connect(url) as conn:
            runs.record(conn, run_id, "transform", status, counts, started_at=started)
            conn.commit()
    except Exception:  # the build result matters more than its log row
        log.warning("could not record the transform run", exc_info=True)


def _summary(result: Any) -> dict[str, Any]:
    counts = dict(result.counts)
    return {
        "success": result.success,
        "returncode": result.returncode,
        "elapsed_s": round(result.elapsed_s, 1),
        "counts": counts,
        "failures": [{"node": node, "message": message} for node, message in result.failures],
    }


def _print_summary(summary: dict[str, Any], full_refresh: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=False)
    title = "transform (full refresh)" if full_refresh else "transform"
    table = Table(title=title, show_header=True, header_style="bold")
    table.add_column("status")
    table.add_column("nodes", justify="right")
    for status, n in sorted(summary["counts"].items()):
        table.add_row(status, str(n))
    table.add_row("elapsed", f"{summary['elapsed_s']}s")
    console.print(table)
    for failure in summary["failures"]:
        first_line = (failure["message"] or "").strip().splitlines()[:3]
        console.print(f"[red]failed[/red] {failure['node']}: {' '.join(first_line)}")


@click.command()
@click.option(
    "-s",
    "--select",
    "select",
    multiple=True,
    help="dbt node selection, passed through (e.g. -s marts, -s +fct_events). Repeatable.",
)
@click.option("--exclude", multiple=True, help="dbt nodes to leave out. Repeatable.")
@click.option(
    "--selector",
    default=None,
    help="A selector of dbt_project/selectors.yml: 'frequent' (incremental models and what "
    "is built on them, with their data tests) or 'nightly' (everything).",
)
@click.option("--full-refresh", is_flag=True, help="Rebuild incremental models from scratch.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@exits_cleanly
def transform(
    select: tuple[str, ...],
    exclude: tuple[str, ...],
    selector: str | None,
    full_refresh: bool,
    as_json: bool,
) -> None:
    """Build the warehouse: dbt build on dbt_project/ (seeds, models, tests)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from newsflow.dbt_runner import DbtError, build

    url = database_url()
    run_id = f"transform-{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    started = datetime.now(UTC)
    progress = Progress(
        TextColumn("[bold]dbt build"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        transient=True,
        disable=as_json or not sys.stderr.isatty(),
        console=None,
    )
    with progress:
        task = progress.add_task("starting", total=None)

        def on_node(done: int, total: int, name: str, status: str) -> None:
            progress.update(task, completed=done, total=total, description=f"{name} {status}")

        try:
            result = build(
                url,
                select=list(select) or None,
                exclude=list(exclude) or None,
                selector=selector,
                full_refresh=full_refresh,
                progress=on_node,
                capture=True,
            )
        except DbtError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_USAGE)

    summary = _summary(result)
    if result.returncode == 0:
        code, status = EXIT_OK, "ok"
    elif result.returncode == 1 and result.counts:
        code, status = EXIT_PARTIAL, "partial"
    else:
        code, status = EXIT_USAGE, "failed"
    _record_run(url, run_id, started, status, summary["counts"])
    if as_json:
        click.echo(json.dumps({"run_id": run_id, "status": status, **summary}, indent=2))
    else:
        _print_summary(summary, full_refresh)
        if code == EXIT_USAGE:
            # dbt stopped before running anything: show why
            tail = "\n".join(result.output.strip().splitlines()[-15:])
            click.echo(tail, err=True)
    sys.exit(code)
