"""Retention and VACUUM of the ``raw`` tables: the statements the nightly maintenance runs.

Deletes go in bounded batches so no single transaction holds locks for long on
a big table; each batch is its own transaction (the caller passes an
autocommit connection, which VACUUM needs anyway).
"""

from __future__ import annotations

from datetime import datetime

import psycopg
from psycopg import sql

__all__ = ["BATCH_ROWS", "drop_old_raw_html", "purge_fetch_log", "raw_tables", "vacuum"]

BATCH_ROWS = 20_000

_PURGE_FETCH_LOG = """
with doomed as (
    select fetch_id from raw.fetch_log
    where fetched_at < %(before)s
    order by fetch_id
    limit %(limit)s
)
delete from raw.fetch_log as f using doomed where f.fetch_id = doomed.fetch_id
"""

_DROP_RAW_HTML = """
with doomed as (
    select article_id from raw.articles
    where raw_html_gz is not null and fetched_at < %(before)s
    order by article_id
    limit %(limit)s
)
update raw.articles as a set raw_html_gz = null
from doomed where a.article_id = doomed.article_id
"""


def _batched(conn: psycopg.Connection, query: str, before: datetime, limit: int) -> int:
    total = 0
    while True:
        with conn.transaction():
            cur = conn.execute(query, {"before": before, "limit": limit})  # type: ignore[arg-type]
            done = cur.rowcount or 0
        total += done
        if done < limit:
            return total


def purge_fetch_log(
    conn: psycopg.Connection, *, before: datetime, batch_rows: int = BATCH_ROWS
) -> int:
    """Delete ``raw.fetch_log`` rows fetched before ``before``; return how many."""
    return _batched(conn, _PURGE_FETCH_LOG, before, batch_rows)


def drop_old_raw_html(
    conn: psycopg.Connection, *, before: datetime, batch_rows: int = BATCH_ROWS
) -> int:
    """Drop the raw HTML of articles fetched before ``before`` (text and metadata stay).

    Re-extraction needs the HTML, so articles older than the retention period
    are no longer re-extracted when the extractor changes.
    """
    return _batched(conn, _DROP_RAW_HTML, before, batch_rows)


def raw_tables(conn: psycopg.Connection) -> list[str]:
    rows = conn.execute(
        "select tablename from pg_tables where schemaname = 'raw' order by tablename"
    ).fetchall()
    return [str(r[0]) for r in rows]


def vacuum(conn: psycopg.Connection, table: str) -> None:
    """``VACUUM (ANALYZE) raw.<table>`` (autocommit connection; raises InsufficientPrivilege)."""
    conn.execute(sql.SQL("vacuum (analyze) {}").format(sql.Identifier("raw", table)))
