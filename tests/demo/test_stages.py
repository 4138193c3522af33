"""How the demo's direct mode turns each stage's result into a report (no database)."""

from __future__ import annotations

from typing import Any

from newsflow.dbt_runner import DbtResult
from newsflow.demo.stages import _dbt_outcome, _summary_outcome, _timed


class _Summary:
    def to_dict(self) -> dict[str, Any]:
        return {"articles_new": 3}


def test_a_stage_summary_becomes_its_counts() -> None:
    report = _timed("ingest", _Summary, _summary_outcome)
    assert report.ok and report.detail == {"articles_new": 3} and not report.error


def test_a_failed_dbt_build_names_its_failing_nodes() -> None:
    failed = DbtResult(["build"], 1, 1.0, {"success": 4, "error": 1}, [("model.x", "boom")])
    report = _timed("transform", lambda: failed, _dbt_outcome)
    assert not report.ok and report.detail == {"nodes": {"success": 4, "error": 1}}
    assert report.error == "model.x: boom"
    assert _timed("transform", lambda: DbtResult(["build"], 0, 1.0), _dbt_outcome).ok


def test_a_stage_that_raises_is_a_failed_report() -> None:
    def boom() -> None:
        raise RuntimeError("no database")

    report = _timed("annotate", boom, _summary_outcome)
    assert not report.ok and report.error == "no database"
