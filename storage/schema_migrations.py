"""``raw.schema_migrations``: which migrations of the ``raw`` schema have been applied.

The migration runner (:mod:`newsflow.db.migrate`) owns the DDL files and the
order they run in; this module owns the bookkeeping table's statements.
"""

from __future__ import annotations

import psycopg

__all__ = ["applied", "current_version", "ensure_table", "record"]


def ensure_table(conn: psycopg.Connection) -> None:
    """Create the ``raw`` schema and the bookkeeping table if they do not exist."""
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


def current_version(conn: psycopg.Connection) -> int:
    """The newest applied version (0: none, or no table yet)."""
    row = conn.execute("select to_regclass('raw.schema_migrations') is not null").fetchone()
    if not row or not row[0]:
        return 0
    row = conn.execute("select coalesce(max(version), 0) from raw.schema_migrations").fetchone()
    return int(row[0]) if row else 0


def applied(conn: psycopg.Connection) -> set[int]:
    return {int(r[0]) for r in conn.execute("select version from raw.schema_migrations")}


def record(conn: psycopg.Connection, version: int, name: str) -> None:
    conn.execute(
        "insert into raw.schema_migrations (version, name) values (%s, %s)", (version, name)
    )
