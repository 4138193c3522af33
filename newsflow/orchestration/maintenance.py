"""Nightly database maintenance: retention, then VACUUM (ANALYZE) of the raw tables.

The statements are :mod:`storage.retention`'s; this module decides what runs.

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

from storage import retention
from storage.connection import connect
from storage.retention import drop_old_raw_html, purge_fetch_log, raw_tables

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

__all__ = ["MaintenanceResult", "drop_old_raw_html", "purge_fetch_log", "run_maintenance"]


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
    with connect(database_url, autocommit=True) as conn:
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
            try:
                retention.vacuum(conn, table)
                result.vacuumed.append(table)
            except psycopg.errors.InsufficientPrivilege as exc:
                result.skipped[table] = str(exc).strip()
        # VACUUM by a non-owner only warns; say so in the log rather than silently.
        if result.skipped:
            log.warning("not vacuumed (not the owner): %s", ", ".join(result.skipped))
    log.info("maintenance: %s", result.to_dict())
    return result
