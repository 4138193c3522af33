"""``raw.runs``: one row per run of a pipeline stage (CLI, Airflow task, demo).

``newsflow status`` and the lag report read these rows; every stage writes them
through this module only.  Writes are idempotent on ``run_id`` (a retried
Airflow task reuses its id and overwrites its own row).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

log = logging.getLogger(__name__)

#: Statuses a finished run may have.  ``running`` is the status of a started run.
FINISHED_STATUSES = ("ok", "partial", "failed")


@dataclass(frozen=True)
class RunRow:
    run_id: str
    stage: str
    started_at: datetime | None
    finished_at: datetime | None
    status: str
    counts: dict[str, Any]


def start(conn: psycopg.Connection, run_id: str, stage: str) -> None:
    """Mark a run as started now (a retry of the same id starts it again)."""
    conn.execute(
        "insert into raw.runs (run_id, stage, started_at) values (%s, %s, now()) "
        "on conflict (run_id) do update set started_at = now(), status = 'running', "
        "finished_at = null",
        (run_id, stage),
    )


def finish(conn: psycopg.Connection, run_id: str, status: str, counts: Mapping[str, Any]) -> None:
    """Mark a started run finished now with its status and counts."""
    conn.execute(
        "update raw.runs set finished_at = now(), status = %s, counts = %s where run_id = %s",
        (status, Jsonb(dict(counts)), run_id),
    )


def record(
    conn: psycopg.Connection,
    run_id: str,
    stage: str,
    status: str,
    counts: Mapping[str, Any],
    *,
    started_at: datetime | None = None,
    finished_at: datetime | None = None,
    overwrite: bool = True,
) -> bool:
    """Write a whole run row at once; returns whether a row was written.

    ``started_at`` defaults to now; ``finished_at`` defaults to now unless the
    status is ``running``.  With ``overwrite=False`` an existing row of the same
    id is left alone.
    """
    conflict = (
        "do update set status = excluded.status, counts = excluded.counts, "
        "finished_at = excluded.finished_at"
        if overwrite
        else "do nothing"
    )
    cur = conn.execute(
        f"""
        insert into raw.runs (run_id, stage, started_at, finished_at, status, counts)
        values (
            %(run_id)s, %(stage)s, coalesce(%(started_at)s, now()),
            case when %(status)s = 'running' then null
                 else coalesce(%(finished_at)s, now()) end,
            %(status)s, %(counts)s
        )
        on conflict (run_id) {conflict}
        """,
        {
            "run_id": run_id,
            "stage": stage,
            "started_at": started_at,
            "finished_at": finished_at,
            "status": status,
            "counts": Jsonb(dict(counts)),
        },
    )
    return cur.rowcount > 0


def record_quietly(conn: psycopg.Connection, *args: Any, **kwargs: Any) -> bool:
    """:func:`record`, but bookkeeping never fails the run that it records."""
    try:
        return record(conn, *args, **kwargs)
    except psycopg.Error as exc:
        log.warning("cannot record the run: %s", exc)
        return False


def finished_since(conn: psycopg.Connection, stage: str, since: datetime) -> bool:
    """Whether a run of ``stage`` finished at or after ``since``."""
    row = conn.execute(
        "select 1 from raw.runs where stage = %s and finished_at >= %s limit 1", (stage, since)
    ).fetchone()
    return row is not None


def last_status(conn: psycopg.Connection, stage: str) -> str | None:
    """Status of the most recent run of ``stage`` (an unfinished run counts as latest)."""
    row = conn.execute(
        "select status from raw.runs where stage = %s "
        "order by finished_at desc nulls first limit 1",
        (stage,),
    ).fetchone()
    return None if row is None else str(row[0])


def recent(conn: psycopg.Connection, limit: int = 20) -> list[RunRow]:
    """The newest runs of every stage, newest first."""
    rows = conn.execute(
        "select run_id, stage, started_at, finished_at, status, counts "
        "from raw.runs order by started_at desc limit %s",
        (limit,),
    ).fetchall()
    return [RunRow(*row) for row in rows]


def latest_per_stage(conn: psycopg.Connection) -> list[RunRow]:
    """The newest run of each stage."""
    rows = conn.execute(
        "select distinct on (stage) run_id, stage, started_at, finished_at, status, counts "
        "from raw.runs order by stage, started_at desc"
    ).fetchall()
    return [RunRow(*row) for row in rows]
