"""``newsflow db``: the database the CLI uses (embedded or configured)."""

from __future__ import annotations

import click

from newsflow.cli.common import database_url, settings
from storage.connection import connect


@click.group()
def db() -> None:
    """Database set-up: URL, migrations, the embedded server."""


@db.command()
def url() -> None:
    """Print the database URL (starting the embedded server if needed)."""
    click.echo(database_url())


@db.command()
def migrate() -> None:
    """Apply pending migrations to the raw schema."""

    from newsflow.db.migrate import apply_migrations, current_version

    target = database_url()
    with connect(target, autocommit=True) as conn:
        applied = apply_migrations(conn)
        click.echo(f"schema version {current_version(conn)} ({len(applied)} applied now)")


@db.command()
def stop() -> None:
    """Stop the embedded server (no effect with NEWSFLOW_DATABASE_URL)."""
    from newsflow.db.embedded import EmbeddedServer

    stopped = EmbeddedServer(settings().data_dir).stop()
    click.echo("stopped" if stopped else "not running")
