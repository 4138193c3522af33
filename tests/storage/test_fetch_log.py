"""raw.fetch_log through the storage layer: one COPY, text from the network made safe."""

from __future__ import annotations

import psycopg

from storage import fetch_log
from storage.fetch_log import FetchLogRow
from tests.storage.ingest_rows import NOW


def test_append_cleans_text_and_keeps_counts(db_url: str) -> None:
    rows = [
        FetchLogRow(
            "feed",
            "https://news.example/f\x00",
            "ok",
            NOW,
            run_id="r1",
            error="bad \udcff byte " + "x" * 3000,
            entries_parsed=3,
            entries_stored=2,
            entries_changed=1,
            entries_skipped={"no_key": 1},
        ),
        FetchLogRow("robots", "https://news.example/robots.txt", "", NOW),
    ]
    with psycopg.connect(db_url, autocommit=True) as conn:
        fetch_log.append(conn, rows)
        fetch_log.append(conn, [])
        got = conn.execute(
            "select url, outcome, length(error), entries_skipped from raw.fetch_log order by kind"
        ).fetchall()
    assert got == [
        ("https://news.example/f", "ok", 2000, {"no_key": 1}),
        ("https://news.example/robots.txt", "unknown", None, None),
    ]
