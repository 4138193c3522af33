"""Versioned SQL migrations for the ``raw`` schema.

Files ``migrations/NNNN_name.sql`` are applied in order, each in its own
transaction, under an advisory lock so two processes starting at once do not
race.  Applying twice is a no-op.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources

import psycopg

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


def current_version(conn: psycopg.Connection) -> int:
    row = conn.execute("select to_regclass('raw.schema_migrations') is not null").fetchone()
    if not row or not row[0]:
        return 0
    row = conn.execute("select coalesce(max(version), 0) from raw.schema_migrations").fetchone()
    return int(row[0]) if row else 0


def apply_migrations(conn: psycopg.Connection) -> list[int]:
    """Apply every migration not yet recorded; return the versions applied."""
    applied: list[int] = []
    with conn.transaction():
        conn.execute("select pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        conn.execute("create schema if not exists raw")
        conn.execute(
            """
            create table if not exists raw.schema_migrations (
                version    integer primary key,
                name       text not null,
                applied_at timestamptz not null default now()
            )
            """
        )
        done = {r[0] for r in conn.execute("select version from raw.schema_migrations")}
        for migration in available_migrations():
            if migration.version in done:
                continue
            log.info("applying migration %04d_%s", migration.version, migration.name)
            with conn.transaction():
                conn.execute(migration.sql)  # type: ignore[arg-type]  # trusted file shipped in the package
                conn.execute(
                    "insert into raw.schema_migrations (version, name) values (%s, %s)",
                    (migration.version, migration.name),
                )
            applied.append(migration.version)
    return applied
