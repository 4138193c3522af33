"""``newsflow ingest``: poll the due feeds and load their articles.

Exit codes: 0 every feed and page landed; 1 partial failure (some feeds or
pages failed and are recorded in ``raw.fetch_log`` and ``raw.feed_entries``,
the rest landed); 2 usage or configuration error (bad catalogue file, no
feeds, no database).
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import click

from newsflow.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    ProgressBar,
    database_url,
    enabled_feeds,
    exits_cleanly,
    ingest_config,
    load_feeds_file,
    settings,
    sleep_until_due,
)

#: Shortest and longest sleep between passes without ``--once``.
MIN_SLEEP_S = 10.0
MAX_SLEEP_S = 900.0


def _load_catalogue(url: str, feeds_file: str) -> int:
    from ingest.catalog import CatalogError

    try:
        return load_feeds_file(url, feeds_file)
    except FileNotFoundError as exc:
        click.echo(f"error: {exc}", err=True)
    except CatalogError as exc:
        click.echo(f"error: {exc}\nFix the feeds file and run again.", err=True)
    sys.exit(EXIT_USAGE)


def _summary_table(summary: Any) -> Any:
    from rich.table import Table

    table = Table(title=f"ingest {summary.run_id}", show_header=True, header_style="bold")
    table.add_column("what")
    table.add_column("count", justify="right")
    rows = [
        ("feeds polled", summary.feeds_polled),
        ("  not modified", summary.feeds_not_modified),
        ("  failed", summary.feeds_failed),
        ("new or changed entries", summary.entries_new),
        ("pages fetched", summary.pages_fetched),
        ("articles new", summary.articles_new),
        ("articles updated", summary.articles_updated),
        ("exact duplicates", summary.duplicates_exact),
        ("near duplicates (same cluster)", summary.duplicates_near),
        ("pages failed (retried later)", summary.pages_failed),
    ]
    for label, value in rows:
        table.add_row(label, str(value))
    if summary.outcomes:
        table.add_section()
        for outcome, count in sorted(summary.outcomes.items(), key=lambda kv: (-kv[1], kv[0])):
            table.add_row(f"outcome: {outcome}", str(count))
    table.caption = f"{summary.seconds:.1f} s"
    return table


def _one_pass(url: str, *, as_json: bool) -> Any:
    from ingest.pipeline import run_ingest

    with ProgressBar(enabled=not as_json) as bar:
        summary = run_ingest(url, config=ingest_config(), progress=bar)
    if as_json:
        click.echo(json.dumps(summary.to_dict(), sort_keys=True))
    else:
        from rich.console import Console

        Console().print(_summary_table(summary))
    return summary


@click.command()
@click.option("--once", is_flag=True, help="One pass over the due feeds, then exit.")
@click.option(
    "--feeds-file",
    type=click.Path(dir_okay=False, path_type=str),
    help="Load (add or update) the feeds of this feeds.yaml first. "
    "Default: NEWSFLOW_FEEDS_FILE when set.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the summary as JSON (one line per pass)."
)
@exits_cleanly
def ingest(once: bool, feeds_file: str | None, as_json: bool) -> None:
    """Poll the due feeds, download and extract new articles, load them into raw.

    Without --once it keeps polling, sleeping until the next feed is due
    (Ctrl-C stops it).  Failed feeds and pages are recorded and retried later
    with back-off; running it again never duplicates anything.
    """
    url = database_url()
    feeds_file = feeds_file or settings().feeds_file or None
    if feeds_file:
        changed = _load_catalogue(url, feeds_file)
        if not as_json:
            click.echo(f"feeds file {feeds_file}: {changed} feed(s) added or changed", err=True)
    count, _ = enabled_feeds(url)
    if count == 0:
        click.echo(
            "error: no feeds to poll. Add one with 'newsflow feeds add URL', or pass "
            "--feeds-file feeds.yaml (or set NEWSFLOW_FEEDS_FILE).",
            err=True,
        )
        sys.exit(EXIT_USAGE)
    if once:
        summary = _one_pass(url, as_json=as_json)
        sys.exit(EXIT_PARTIAL if summary.partial_failure else EXIT_OK)
    try:
        while True:
            _one_pass(url, as_json=as_json)
            _, next_due = enabled_feeds(url)
            wait = sleep_until_due(next_due, MIN_SLEEP_S, MAX_SLEEP_S)
            if not as_json:
                click.echo(f"next pass in {wait:.0f} s (Ctrl-C to stop)", err=True)
            time.sleep(wait)
    except KeyboardInterrupt:
        sys.exit(EXIT_OK)
