"""Binary ``COPY`` of rows, the fast path of every bulk load into ``raw``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import psycopg


def copy_rows(
    conn: psycopg.Connection,
    table: str,
    columns: Sequence[tuple[str, str]],
    rows: Iterable[tuple[Any, ...]],
) -> None:
    """Binary ``COPY`` of ``rows`` into ``table``; ``columns`` are (name, PostgreSQL type)."""
    names = ", ".join(name for name, _ in columns)
    with (
        conn.cursor() as cur,
        cur.copy(f"copy {table} ({names}) from stdin (format binary)") as copy,
    ):
        copy.set_types([typ for _, typ in columns])
        for row in rows:
            copy.write_row(row)
