"""``newsflow eval audit run`` end to end: served sites, the real chain, the exported files.

Three small pages and two stories (written for this test) go through
``feeds import-opml``, ``ingest --once``, ``annotate`` and ``transform`` in a
scratch database on the test server; then the kept database is annotated
again from scratch (``--reuse --reannotate``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsflow.eval.audit import run_audit
from newsflow.eval.audit_rows import normalise
from newsflow.eval.events import drop_database

HERE = Path(__file__).parent


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_audit_run_exports_consistent_rows_and_sentences(
    pg_admin_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSFLOW_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NEWSFLOW_DATABASE_URL", raising=False)
    out = tmp_path / "audit"
    run = run_audit(
        [HERE / "pages", HERE / "stories.jsonl"], out, server_url=pg_admin_url, keep=True
    )
    database_url = run["database_url"]
    try:
        counts = run["counts"]
        assert run["sites"] == 3 and run["pages"] == 5
        assert counts["articles"] == 5 and counts["english_articles"] == 5
        assert counts["candidates"] > 0 and counts["fct_events_rows"] > 0
        stages = run["stages"]
        assert stages["ingest"][0]["summary"]["articles_new"] == 5
        assert stages["transform"]["exit"] in (0, 1)

        rows = _jsonl(out / "rows.jsonl")
        sentences = _jsonl(out / "sentences.jsonl")
        mentions = _jsonl(out / "mentions.jsonl")
        assert len(rows) == counts["fct_events_rows"]
        assert sum(r["counted"] for r in rows) == counts["counted_rows"]
        assert len(sentences) == counts["sentences"]
        assert len(mentions) == counts["event_mentions"]
        ids = {"talks-page", "protest-page", "aid-page", "st-1", "st-2"}
        assert {s["story_id"] for s in sentences} == ids
        text_of = {(s["story_id"], s["sentence_index"]): s["text"] for s in sentences}
        for row in rows:
            assert row["story_id"] in ids
            story_file = row["story_id"].startswith("st-")
            assert row["input"] == ("stories.jsonl" if story_file else "pages")
            assert row["article_url"].startswith("http://127.0.0.1:")
            # the row's sentence is the sentence of its story it was coded from
            assert normalise(text_of[(row["story_id"], row["sentence_index"])]) == normalise(
                row["sentence"]
            )
            assert "actor1_code" in row and "event_type" in row and "confidence" in row
        per_input = run["counts_per_input"]
        assert sum(v["fct_events_rows"] for v in per_input.values()) == len(rows)
        assert per_input["stories.jsonl"]["english_articles"] == 2
        saved = json.loads((out / "run.json").read_text())
        assert saved["counts"] == counts and saved["database_url"] == database_url
        pages = json.loads((out / "pages.json").read_text())
        assert {p["id"] for p in pages} == ids

        # the kept database, annotated again from scratch: the same figures
        again = run_audit([], tmp_path / "again", reuse=out, reannotate=True)
        assert again["annotations_deleted"] == 5
        assert again["stages"]["annotate"]["summary"]["articles"] == 5
        assert again["counts"] == counts
        assert len(_jsonl(tmp_path / "again" / "rows.jsonl")) == len(rows)
    finally:
        drop_database(pg_admin_url, database_url)
