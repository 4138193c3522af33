"""raw.runs through the storage layer: idempotent on run_id, readable by stage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg

from storage import runs


def test_start_finish_and_retry_keep_one_row(db_url: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        runs.start(conn, "ingest:1", "ingest")
        assert runs.last_status(conn, "ingest") == "running"
        runs.finish(conn, "ingest:1", "ok", {"articles": 3})
        runs.start(conn, "ingest:1", "ingest")  # a retry of the same task
        runs.finish(conn, "ingest:1", "partial", {"articles": 4})
        rows = [r for r in runs.recent(conn) if r.run_id == "ingest:1"]
        assert len(rows) == 1
        assert rows[0].status == "partial" and rows[0].counts == {"articles": 4}


def test_record_without_overwrite_keeps_the_first_row(db_url: str) -> None:
    since = datetime.now(UTC) - timedelta(seconds=5)
    with psycopg.connect(db_url, autocommit=True) as conn:
        assert runs.record(conn, "t:1", "transform", "ok", {"nodes": 2})
        assert not runs.record(conn, "t:1", "transform", "failed", {}, overwrite=False)
        assert runs.finished_since(conn, "transform", since)
        latest = {r.stage: r for r in runs.latest_per_stage(conn)}
        assert latest["transform"].status == "ok"


def test_a_running_record_has_no_finish_time(db_url: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        runs.record(conn, "a:1", "annotate", "running", {})
        (row,) = [r for r in runs.recent(conn) if r.run_id == "a:1"]
        assert row.finished_at is None
        assert runs.last_status(conn, "annotate") == "running"
