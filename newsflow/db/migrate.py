"""Versioned SQL migrations for the ``raw`` schema.

Files ``migrations/NNNN_name.sql`` are applied in order, each in its own
transaction, under an advisory lock so two processes starting at once do not
race.  Applying twice is a no-op.  Which versions are applied is recorded in
``raw.schema_migrations`` through :mod:`storage.schema_migrations`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources

import psycopg

from storage import schema_migrations
from storage.schema_migrations import current_version

__all__ = ["Migration", "apply_migrations", "available_migrations", "current_version"]

log = logging.getLogger(__name__)

_LOCK_KEY = 0x6E657773  # 'news'
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    folder = resources.files("newsflow.db") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"duplicate migration versions: {versions}")
    return found


def apply_migrations(conn: psycopg.Connection) -> list[int]:
    """Apply every migration not yet recorded; return the versions applied."""
    applied: list[int] = []
    with conn.transaction():
        conn.execute("select pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        schema_migrations.ensure_table(conn)
        done = schema_migrations.applied(conn)
        for migration in available_migrations():
            if migration.version in done:
                continue
            log.info("applying migration %04d_%s", migration.version, migration.name)
            with conn.transaction():
                conn.execute(migration.sql)  # type: ignore[arg-type]  # trusted file shipped in the package
                schema_migrations.record(conn, migration.version, migration.name)
            applied.append(migration.version)
    return applied
