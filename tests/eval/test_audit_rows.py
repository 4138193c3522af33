"""Sampling, judging sheets and scoring of ``newsflow eval audit`` (no database)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsflow.eval import audit_rows as ar
from newsflow.eval.audit import main as audit_cli


def _row(i: int, **extra: Any) -> dict[str, Any]:
    row = {
        "event_id": f"ev{i:04d}",
        "sentence": f"Country {i} met country {i + 1} in the capital on Monday.",
        "actor1_code": "IRNGOV",
        "actor1_name": "Iran government",
        "actor1_country_code": "IRN",
        "actor1_sector": "GOV",
        "actor2_code": "SYRGOV" if i % 2 else None,
        "actor2_name": "Syria government" if i % 2 else None,
        "actor2_country_code": "SYR" if i % 2 else None,
        "actor2_sector": "GOV" if i % 2 else None,
        "event_type": "CONSULT" if i % 3 else "ACCUSE",
        "event_mode": "visit" if i % 5 == 0 else None,
        "confidence": 0.7,
        "mention": {"predicate": "meet", "coding_rule": "predicate"},
        "article_title": f"Story {i}",
        "input": "pages" if i % 4 else "stories.jsonl",
        "is_background": i % 7 == 0,
        "counted": i % 7 != 0,
    }
    row.update(extra)
    return row


@pytest.fixture
def audit_dir(tmp_path: Path) -> Path:
    rows = [_row(i) for i in range(200)]
    with (tmp_path / "rows.jsonl").open("w") as fh:
        for row in rows:
            fh.write(json.dumps(row) + "\n")
    counted = sum(r["counted"] for r in rows)
    ar.write_json(
        tmp_path / "run.json",
        {
            "counts": {"counted_rows": counted, "english_articles": 50},
            "counts_per_input": {
                "pages": {"counted_rows": 100, "english_articles": 30},
                "stories.jsonl": {"counted_rows": counted - 100, "english_articles": 20},
            },
        },
    )
    return tmp_path


def test_wilson_interval_matches_the_formula() -> None:
    assert ar.wilson(6, 60) == [0.047, 0.201]
    assert ar.wilson(0, 10) == [0.0, 0.278]
    assert ar.wilson(10, 10) == [0.722, 1.0]
    assert ar.wilson(0, 0) is None


def test_seeded_sample_is_deterministic_and_order_free() -> None:
    items = list(range(500))
    first = ar.seeded_sample(items, 50, seed=1, key=lambda x: x)
    again = ar.seeded_sample(list(reversed(items)), 50, seed=1, key=lambda x: x)
    other = ar.seeded_sample(items, 50, seed=2, key=lambda x: x)
    assert first == again
    assert first != other
    assert len(set(first)) == 50
    assert ar.seeded_sample(items[:10], 50, seed=1) == ar.seeded_sample(items[:10], 50, seed=1)
    assert len(ar.seeded_sample(items[:10], 50, seed=1)) == 10


def test_batches_are_about_the_size_asked() -> None:
    sizes = [len(b) for b in ar.batches(list(range(100)), 30)]
    assert sorted(sizes) == [33, 33, 34]
    assert [len(b) for b in ar.batches(list(range(10)), 30)] == [10]
    assert ar.batches([], 30) == []


def test_sample_writes_sheets_without_the_coders_reasoning(audit_dir: Path) -> None:
    result = ar.sample(audit_dir, 100, seed=1, batch=30)
    assert result["sampled"] == 100 and result["to_judge"] == 100
    assert result["sheets"] == ["audit_sheet_1.json", "audit_sheet_2.json", "audit_sheet_3.json"]
    key = json.loads((audit_dir / "audit_key.json").read_text())["rows"]
    assert sorted(key) == [f"e{i:03d}" for i in range(100)]
    assert all(row["counted"] for row in key.values())
    items: dict[str, Any] = {}
    for sheet in result["sheets"]:
        data = json.loads((audit_dir / sheet).read_text())
        assert data["write_to"] == sheet.replace("sheet", "verdicts")
        items.update(data["rows"])
    assert set(items) == set(key)
    text = json.dumps(items)
    for hidden in ("predicate", "coding_rule", "confidence", "mention", "is_background"):
        assert hidden not in text
    one = items["e000"]
    assert set(one) <= {"sentence", "article_title", "actor1", "actor2", "event_type", "event_mode"}
    assert set(one["actor1"]) == {"name", "code", "country", "sector"}
    brief = (audit_dir / "audit_brief.md").read_text()
    assert "AUDIT.md" in brief and "audit_verdicts_1.json" in brief
    # the same seed gives the same sheets
    first = (audit_dir / "audit_sheet_1.json").read_text()
    ar.sample(audit_dir, 100, seed=1, batch=30)
    assert (audit_dir / "audit_sheet_1.json").read_text() == first


def _judge(audit_dir: Path, verdict_of: Any) -> None:
    key = json.loads((audit_dir / "audit_key.json").read_text())["rows"]
    by_sheet: dict[int, dict[str, Any]] = {}
    for row_id, row in key.items():
        if "sheet" in row:
            by_sheet.setdefault(row["sheet"], {})[row_id] = verdict_of(row)
    for number, verdicts in by_sheet.items():
        ar.write_json(audit_dir / f"audit_verdicts_{number}.json", verdicts)


def _verdict(row: dict[str, Any]) -> dict[str, Any]:
    right = row["event_type"] == "CONSULT"
    return {
        "is_event": True,
        "source_ok": True,
        "target_ok": right,
        "type_ok": right,
        "correct": right,
        "note": "" if right else "wrong type",
    }


def test_score_reports_shares_parts_types_and_yield(audit_dir: Path) -> None:
    ar.sample(audit_dir, 60, seed=3, batch=30)
    _judge(audit_dir, _verdict)
    result = ar.score(audit_dir)
    key = json.loads((audit_dir / "audit_key.json").read_text())["rows"]
    right = sum(r["event_type"] == "CONSULT" for r in key.values())
    assert result["n"] == 60 and result["missing_verdicts"] == []
    assert result["fully_right"]["right"] == right
    assert result["fully_right"]["ci95"] == ar.wilson(right, 60)
    assert result["parts"]["is_event"]["share"] == 1.0
    assert result["per_type"]["ACCUSE"]["right"] == 0
    assert result["per_type"]["CONSULT"]["share"] == 1.0
    counted = json.loads((audit_dir / "run.json").read_text())["counts"]["counted_rows"]
    assert result["yield_per_100_english_articles"] == round(right / 60 * counted / 50 * 100, 2)
    assert result["yield_inputs"] == {
        "share_fully_right": round(right / 60, 3),
        "counted_rows": counted,
        "english_articles": 50,
    }
    assert set(result["per_input"]) == {"pages", "stories.jsonl"}
    pages = result["per_input"]["pages"]
    assert pages["yield_inputs"]["english_articles"] == 30
    judged = json.loads((audit_dir / "audit_judged.json").read_text())
    assert judged["fully_right"] == right and len(judged["rows"]) == 60


def test_score_counts_missing_verdicts(audit_dir: Path) -> None:
    ar.sample(audit_dir, 10, seed=1, batch=30)
    ar.write_json(audit_dir / "audit_verdicts_1.json", {"e000": _verdict({"event_type": "X"})})
    result = ar.score(audit_dir)
    assert result["n"] == 1 and len(result["missing_verdicts"]) == 9


def test_cached_verdicts_leave_rows_off_the_sheets(audit_dir: Path, tmp_path: Path) -> None:
    ar.sample(audit_dir, 40, seed=1, batch=30)
    _judge(audit_dir, _verdict)
    ar.score(audit_dir)
    judged = audit_dir / "audit_judged.json"
    result = ar.sample(audit_dir, 60, seed=1, batch=30, cache=judged)
    assert result["from_cache"] == 40 and result["to_judge"] == 20
    key = json.loads((audit_dir / "audit_key.json").read_text())["rows"]
    cached = [r for r in key.values() if "cached_verdict" in r]
    assert len(cached) == 40 and all("sheet" not in r for r in cached)
    for path in audit_dir.glob("audit_verdicts_*.json"):
        path.unlink()
    _judge(audit_dir, _verdict)
    scored = ar.score(audit_dir)
    assert scored["n"] == 60 and scored["from_cache"] == 40


def test_cli_sample_and_score(audit_dir: Path) -> None:
    runner = CliRunner()
    sampled = runner.invoke(audit_cli, ["sample", str(audit_dir), "--rows", "20", "--seed", "1"])
    assert sampled.exit_code == 0, sampled.output
    assert json.loads(sampled.output)["sampled"] == 20
    _judge(audit_dir, _verdict)
    scored = runner.invoke(audit_cli, ["score", str(audit_dir)])
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.output)["n"] == 20
    missing = runner.invoke(audit_cli, ["score", str(audit_dir / "nowhere")])
    assert missing.exit_code == 2
