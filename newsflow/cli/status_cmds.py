"""``newsflow status``: feed health, backlog, last runs and lag, for people or scripts."""

from __future__ import annotations

import json
import sys
import textwrap
from datetime import UTC, datetime
from typing import Any

import click

from newsflow.cli.common import EXIT_OK, EXIT_PARTIAL, database_url, wide_console
from storage.connection import connect

#: Narrower consoles list the feeds' errors under the table, not in a column.
INLINE_ERRORS_MIN_WIDTH = 120


def _age(value: str | None, now: datetime) -> str:
    """'3 min ago', 'in 12 min' for an ISO timestamp; '-' when missing."""
    if not value:
        return "-"
    seconds = (now - datetime.fromisoformat(value)).total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 90:
        text = f"{seconds:.0f} s"
    elif seconds < 5400:
        text = f"{seconds / 60:.0f} min"
    elif seconds < 2 * 86400:
        text = f"{seconds / 3600:.1f} h"
    else:
        text = f"{seconds / 86400:.1f} d"
    return f"in {text}" if future else f"{text} ago"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def render_status(status: dict[str, Any], console: Any = None) -> None:
    """Print the status as rich tables (also used by ``newsflow demo``)."""
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    console = console or wide_console()
    now = datetime.now(UTC)
    summary = status["summary"]

    feeds = Table(
        title=f"Feeds ({summary['feeds']}, {summary['feeds_failing']} failing, "
        f"{summary['feeds_slow']} slow)",
        title_justify="left",
    )
    # Short values never wrap; a name wraps between words, never inside one.  The
    # error is the one column that folds (long URLs), and on a console too narrow
    # for it the errors are listed under the table instead.
    inline_errors = console.width >= INLINE_ERRORS_MIN_WIDTH
    feeds.add_column("feed", min_width=12)
    feeds.add_column("state", no_wrap=True)
    feeds.add_column("last success", no_wrap=True)
    feeds.add_column("fails", no_wrap=True, justify="right")
    if inline_errors:
        feeds.add_column("last error", overflow="fold", min_width=20)
    feeds.add_column("next due", no_wrap=True)
    feeds.add_column("fetch", no_wrap=True, justify="right")
    styles = {"ok": "green", "failing": "bold red", "slow": "yellow", "disabled": "dim"}
    errors: list[tuple[str, str]] = []
    for f in status["feeds"]:
        error = ""
        if f["failing"]:
            error = f"{f['last_outcome'] or ''}: {f['last_error'] or ''}".strip(": ")
            errors.append((f["name"], error))
        fetch = "-" if f["median_fetch_ms"] is None else f"{f['median_fetch_ms']} ms"
        cells = [
            escape(f["name"]),
            f"[{styles.get(f['state'], 'white')}]{f['state']}[/]",
            _age(f["last_success_at"], now),
            str(f["consecutive_failures"]),
            *([escape(error[:80])] if inline_errors else []),
            _age(f["next_due_at"], now),
            fetch,
        ]
        feeds.add_row(*cells)
    console.print(feeds)
    if errors and not inline_errors:
        console.print("Last errors of the failing feeds:")
        for name, error in errors:
            text = textwrap.fill(
                f"{name}: {error[:300]}",
                width=max(40, console.width),
                initial_indent="  ",
                subsequent_indent="    ",
            )
            console.print(Text(text), soft_wrap=True)

    b = status["backlog"]
    backlog = Table(title="Backlog", title_justify="left", show_header=False)
    backlog.add_column("what")
    backlog.add_column("count", justify="right")
    for label, key in (
        ("feed entries waiting for their article", "entries_pending"),
        ("feed entries failed, retrying later", "entries_retrying"),
        ("feed entries given up", "entries_gave_up"),
        ("articles", "articles"),
        ("articles not yet annotated", "articles_without_annotation"),
        ("articles skipped by the annotator (language)", "annotation_skipped_language"),
        ("articles the annotator failed on", "annotation_errors"),
    ):
        backlog.add_row(label, str(b.get(key, 0)))
    console.print(backlog)

    runs = Table(title="Last run of each stage", title_justify="left")
    for col in ("stage", "status", "started", "took", "run id"):
        runs.add_column(col, no_wrap=True)
    for r in status["last_run_by_stage"]:
        took = None
        if r["finished_at"]:
            took = (
                datetime.fromisoformat(r["finished_at"]) - datetime.fromisoformat(r["started_at"])
            ).total_seconds()
        runs.add_row(
            r["stage"], r["status"], _age(r["started_at"], now), _duration(took), r["run_id"]
        )
    if not status["last_run_by_stage"]:
        runs.add_row("-", "no runs recorded yet", "", "", "")
    console.print(runs)

    lag = status["lag"]
    console.print(
        "Lag (articles of the last 7 days): publication → landing median "
        f"{_duration(lag.get('publication_to_landing_median_s'))} "
        f"(p90 {_duration(lag.get('publication_to_landing_p90_s'))}); landing → marts median "
        f"{_duration(lag.get('landing_to_marts_median_s'))}; "
        f"{lag.get('waiting_for_marts') or 0} article(s) waiting for the next transform; "
        f"marts built {_age(lag.get('marts_built_at'), now)}."
    )


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.option(
    "--strict",
    is_flag=True,
    help="Exit with code 1 when an enabled feed is failing (for monitoring).",
)
def status(as_json: bool, strict: bool) -> None:
    """Feed health, backlog, last runs and lag from publication to the marts."""

    from newsflow.report.status import collect_status

    with connect(database_url()) as conn:
        data = collect_status(conn)
    if as_json:
        click.echo(json.dumps(data, indent=2))
    else:
        render_status(data)
    failing = any(f["failing"] and f["enabled"] for f in data["feeds"])
    sys.exit(EXIT_PARTIAL if strict and failing else EXIT_OK)
