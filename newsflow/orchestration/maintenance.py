"""Nightly database maintenance: retention, then VACUUM (ANALYZE) of the raw tables.

Retention is anchored on the run's window end, not ``now()``, so a retried or
re-run nightly deletes exactly the same rows.  Deletes go in bounded batches so
no single transaction holds locks for long on a big table.  VACUUM cannot run
inside a transaction, so it uses an autocommit connection; a table the
connecting role does not own is reported and skipped, never a failure.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg import sql

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

__all__ = ["MaintenanceResult", "drop_old_raw_html", "purge_fetch_log", "run_maintenance"]

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


@dataclass
class MaintenanceResult:
    fetch_log_deleted: int = 0
    raw_html_dropped: int = 0
    vacuumed: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "fetch_log_deleted": self.fetch_log_deleted,
            "raw_html_dropped": self.raw_html_dropped,
            "tables_vacuumed": len(self.vacuumed),
            "tables_skipped": len(self.skipped),
        }


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


def run_maintenance(
    database_url: str,
    *,
    reference: datetime,
    fetch_log_retention_days: int,
    raw_html_retention_days: int,
    vacuum: bool = True,
) -> MaintenanceResult:
    """Retention (0 days = keep forever) and VACUUM (ANALYZE) of every ``raw`` table."""
    result = MaintenanceResult()
    with psycopg.connect(database_url, autocommit=True) as conn:
        if fetch_log_retention_days > 0:
            result.fetch_log_deleted = purge_fetch_log(
                conn, before=reference - timedelta(days=fetch_log_retention_days)
            )
        if raw_html_retention_days > 0:
            result.raw_html_dropped = drop_old_raw_html(
                conn, before=reference - timedelta(days=raw_html_retention_days)
            )
        if not vacuum:
            return result
        for table in raw_tables(conn):
            statement = sql.SQL("vacuum (analyze) {}").format(sql.Identifier("raw", table))
            try:
                conn.execute(statement)
                result.vacuumed.append(table)
            except psycopg.errors.InsufficientPrivilege as exc:
                result.skipped[table] = str(exc).strip()
        # VACUUM by a non-owner only warns; say so in the log rather than silently.
        if result.skipped:
            log.warning("not vacuumed (not the owner): %s", ", ".join(result.skipped))
    log.info("maintenance: %s", result.to_dict())
    return result
