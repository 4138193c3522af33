"""The ``newsflow`` command line.

Sub-commands live in their own modules and are imported only when invoked,
so ``newsflow --help`` stays fast and one broken stage cannot break the rest.

Exit codes: 0 success, 1 partial failure (some inputs failed, the rest
landed), 2 usage or configuration error.
"""

from __future__ import annotations

import importlib
import logging
import sys

import click

from newsflow import __version__

#: name -> "module:attribute" of a click command or group
COMMANDS: dict[str, str] = {
    "db": "newsflow.cli.db_cmds:db",
    "feeds": "newsflow.cli.feeds_cmds:feeds",
    "ingest": "newsflow.cli.ingest_cmds:ingest",
    "extract": "newsflow.cli.extract_cmds:extract",
    "status": "newsflow.cli.status_cmds:status",
    "annotate": "newsflow.cli.annotate_cmds:annotate",
    "annotate-text": "newsflow.cli.annotate_cmds:annotate_text",
    "transform": "newsflow.cli.transform_cmds:transform",
    "eval": "newsflow.cli.eval_cmds:eval_group",
    "run": "newsflow.cli.run_cmds:run",
    "demo": "newsflow.cli.demo_cmds:demo",
    "report": "newsflow.cli.report_cmds:report",
    "airflow": "newsflow.cli.airflow_cmds:airflow",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        module = importlib.import_module(module_name)
        command = getattr(module, attr)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsflow")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def cli(verbose: int) -> None:
    """newsflow: news feeds to clean articles to actors and events in PostgreSQL."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def main() -> None:
    from newsflow.settings import SettingsError

    try:
        cli(standalone_mode=True)
    except SettingsError as exc:
        click.echo(f"configuration error: {exc}", err=True)
        sys.exit(2)
