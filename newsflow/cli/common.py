"""Helpers shared by the CLI modules: settings, database URL, error handling."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from newsflow.settings import Settings, SettingsError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2


def settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from exc


def database_url() -> str:
    """The configured or embedded database, migrated; a clear message on failure."""
    from newsflow.db import resolve_database_url
    from newsflow.db.embedded import EmbeddedServerError

    try:
        return resolve_database_url(settings())
    except EmbeddedServerError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as exc:  # psycopg.OperationalError and friends
        click.echo(
            f"error: cannot reach the database ({exc.__class__.__name__}: {exc}).\n"
            "Check NEWSFLOW_DATABASE_URL, or unset it to use the embedded server.",
            err=True,
        )
        sys.exit(EXIT_USAGE)


def not_yet(name: str) -> click.Command:
    """Placeholder for a command whose stage is still being built."""

    @click.command(name=name, context_settings={"ignore_unknown_options": True})
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def _cmd(args: tuple[str, ...]) -> None:
        click.echo(f"newsflow {name}: not available yet in this version", err=True)
        sys.exit(EXIT_USAGE)

    return _cmd


def exits_cleanly(func: F) -> F:
    """Turn configuration errors into exit code 2 with a readable message."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SettingsError as exc:
            raise click.UsageError(str(exc)) from exc

    return wrapper  # type: ignore[return-value]
