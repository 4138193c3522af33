"""``raw.fetch_log``: one row per HTTP fetch (feed, page or robots.txt) and its outcome.

Append-only: the loader appends a batch's fetches with one binary COPY in the
caller's transaction.  Feed and extraction health are computed from these rows
(:func:`storage.feeds.refresh_extraction_health`, the dbt marts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from storage.bulk import copy_rows
from storage.text import clean_str

__all__ = ["FetchLogRow", "append"]


@dataclass(frozen=True)
class FetchLogRow:
    kind: str  # feed, page, robots
    url: str
    outcome: str
    fetched_at: datetime
    run_id: str | None = None
    final_url: str | None = None
    host: str | None = None
    feed_id: int | None = None
    status: int | None = None
    bytes: int | None = None
    duration_ms: int | None = None
    error: str | None = None
    #: a feed poll that parsed a document: items found, stored, new or changed,
    #: and the items not stored by reason (see ``raw.fetch_log``, migration 0040)
    entries_parsed: int | None = None
    entries_stored: int | None = None
    entries_changed: int | None = None
    entries_skipped: dict[str, int] | None = None


_COLUMNS = (
    ("run_id", "text"),
    ("kind", "text"),
    ("url", "text"),
    ("final_url", "text"),
    ("host", "text"),
    ("feed_id", "int8"),
    ("status", "int4"),
    ("bytes", "int8"),
    ("duration_ms", "int4"),
    ("outcome", "text"),
    ("error", "text"),
    ("fetched_at", "timestamptz"),
    ("entries_parsed", "int4"),
    ("entries_stored", "int4"),
    ("entries_changed", "int4"),
    ("entries_skipped", "jsonb"),
)


def _tuple(row: FetchLogRow) -> tuple[Any, ...]:
    return (
        clean_str(row.run_id),
        row.kind,
        clean_str(row.url) or "",
        clean_str(row.final_url),
        clean_str(row.host),
        row.feed_id,
        row.status,
        row.bytes,
        row.duration_ms,
        clean_str(row.outcome) or "unknown",
        clean_str(row.error[:2000] if row.error else None),
        row.fetched_at,
        row.entries_parsed,
        row.entries_stored,
        row.entries_changed,
        Jsonb(row.entries_skipped) if row.entries_skipped is not None else None,
    )


def append(conn: psycopg.Connection, rows: Sequence[FetchLogRow]) -> None:
    """Append fetches with one COPY (in the caller's transaction)."""
    if rows:
        copy_rows(conn, "raw.fetch_log", _COLUMNS, map(_tuple, rows))
