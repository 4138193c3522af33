"""``newsflow report``: one self-contained HTML file with charts, built from the marts."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from newsflow.cli.common import EXIT_USAGE, database_url, settings
from newsflow.settings import app as app_settings


def default_report_path() -> Path:
    """``NEWSFLOW_REPORT_PATH``, else ``<data dir>/reports/newsflow-report.html``."""
    return app_settings.report_path(settings().data_dir)


@click.command()
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the HTML file [default: NEWSFLOW_REPORT_PATH or "
    "<data dir>/reports/newsflow-report.html].",
)
@click.option(
    "--role",
    default=None,
    help="Read the marts as this database role (e.g. newsflow_reader, to check the "
    "dashboards' grants).",
)
def report(out: Path | None, role: str | None) -> None:
    """Write the HTML report: events per day, busiest actors, dyads, event types, feeds."""
    import psycopg

    from newsflow.report.builder import write_report
    from newsflow.report.queries import MartsMissingError

    target = out or default_report_path()
    try:
        path = write_report(database_url(), target, role=role)
    except MartsMissingError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except psycopg.errors.InsufficientPrivilege as exc:
        click.echo(f"error: the role cannot read the marts: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"report written to {path}")
    click.echo(f"open it in a browser: file://{path.resolve()}")
