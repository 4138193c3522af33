"""Helpers shared by the CLI modules: settings, database URL, error handling,
the feed catalogue's state, and a progress bar."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from newsflow.settings import Settings, SettingsError, load

if TYPE_CHECKING:
    from ingest.options import IngestConfig

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2


def settings() -> Settings:
    try:
        return load()
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from exc


def ingest_config() -> IngestConfig:
    """The ingest library's config from the environment; a usage error when a value is bad."""
    from newsflow.settings.ingest import ingest_config as build

    try:
        return build()
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
        from newsflow.orchestration.failures import permanent

        cause = permanent(exc) or "cannot reach the database"
        click.echo(
            f"error: {cause} ({exc.__class__.__name__}: {str(exc).strip()}).\n"
            "Check NEWSFLOW_DATABASE_URL, or unset it to use the embedded server.",
            err=True,
        )
        sys.exit(EXIT_USAGE)


def exits_cleanly(func: F) -> F:
    """Turn configuration errors into exit code 2 with a readable message."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SettingsError as exc:
            raise click.UsageError(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


# -- the feed catalogue, for the commands that poll it (ingest, run) -------------------
def load_feeds_file(url: str, feeds_file: str | Path) -> int:
    """Add or update the feeds of a feeds.yaml; returns how many changed.

    Raises ``FileNotFoundError`` when the file is missing and
    :class:`ingest.catalog.CatalogError` (a ``ValueError``) when it is invalid.
    """
    from ingest.catalog import load_feeds_yaml, upsert_feeds
    from newsflow.db import connect

    path = Path(feeds_file).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"feeds file {path} does not exist")
    specs = load_feeds_yaml(path)
    with connect(url) as conn:
        changed = upsert_feeds(conn, specs)
        conn.commit()
    return changed


def enabled_feeds(url: str) -> tuple[int, datetime | None]:
    """(enabled feeds, the earliest ``next_due_at`` among them)."""
    from newsflow.db import connect
    from storage.monitoring import enabled_feeds as count_enabled

    with connect(url) as conn:
        return count_enabled(conn)


def sleep_until_due(next_due: datetime | None, min_s: float, max_s: float) -> float:
    """Seconds to wait before the next pass: until ``next_due``, within [min_s, max_s]."""
    wait = max_s
    if next_due is not None:
        wait = (next_due - datetime.now(UTC)).total_seconds()
    return min(max(wait, min_s), max_s)


# -- output -----------------------------------------------------------------------------
#: Width for tables written to a pipe or a file when ``COLUMNS`` is not set.
PIPED_WIDTH = 200


def wide_console(**kwargs: Any) -> Any:
    """A rich ``Console`` for tables, as wide off a terminal as the tables need.

    On a terminal it has the terminal's width.  Piped or redirected, rich
    would assume 80 columns and wrap every cell ("Continenta / l Observer");
    here it takes ``COLUMNS`` when set, else :data:`PIPED_WIDTH` (a table is
    only as wide as its content, so nothing is padded to that width).
    """
    from rich.console import Console

    console = Console(**kwargs)
    if not console.is_terminal and not os.environ.get("COLUMNS", "").strip().isdigit():
        console.width = PIPED_WIDTH
    return console


# -- progress ---------------------------------------------------------------------------
class ProgressBar:
    """Rich progress bars on stderr, one per stage; shown only on a terminal.

    A ``(stage, done, total)`` callback (``run_ingest``'s ``progress``);
    :meth:`stage` gives the ``(done, total)`` callback of one stage
    (``run_annotate``'s).  Disabled (``enabled=False``, for ``--json``) or
    off a terminal, it does nothing.
    """

    def __init__(self, enabled: bool = True) -> None:
        self.progress: Any = None
        self.tasks: dict[str, Any] = {}
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        console = Console(stderr=True)
        if not console.is_terminal:
            return
        self.progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )

    def __enter__(self) -> ProgressBar:
        if self.progress is not None:
            self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.progress is None:
            return
        task = self.tasks.get(stage)
        if task is None:
            task = self.tasks[stage] = self.progress.add_task(stage, total=total)
        self.progress.update(task, completed=done, total=max(total, done))

    def stage(self, name: str) -> Callable[[int, int], None]:
        """The ``(done, total)`` callback of stage ``name``."""
        return functools.partial(self, name)
