"""``newsflow annotate`` and ``newsflow annotate-text`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from newsflow.cli import cli
from tests.transforms.conftest import SEEDS
from tests.transforms.test_pipeline import insert_article

TEXT = (
    "Iranian Foreign Minister Abbas Araqchi met with Assad in Damascus on Sunday.\n"
    "Araghchi later said Tehran would stand by Damascus.\n"
)


def test_annotate_text_json_from_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "annotate-text",
            str(path),
            "--json",
            "--pipeline",
            "rules",
            "--published",
            "2024-12-02T22:35:00+00:00",
            "--seeds",
            str(SEEDS),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["status"] == "ok" and data["pipeline"] == "rules"
    texts = [m["text"] for m in data["mentions"]]
    assert "Abbas Araqchi" in texts and "Araghchi" in texts
    meeting = next(e for e in data["events"] if e["predicate"] == "meet with")
    assert meeting["event_date"] == "2024-12-01"
    assert meeting["place"]["country"] == "SYR"
    for m in data["mentions"]:
        assert TEXT[m["start"] : m["end"]] == m["text"]


def test_annotate_text_reads_html_from_stdin() -> None:
    html = (
        "<!doctype html><html><head><title>t</title><script>var x = 1;</script></head>"
        "<body><article><p>Iranian Foreign Minister Abbas Araqchi met with Assad in "
        "Damascus on Sunday.</p><p>Russia did not attack Turkey.</p></article></body></html>"
    )
    result = CliRunner().invoke(
        cli,
        ["annotate-text", "-", "--pipeline", "rules", "--seeds", str(SEEDS)],
        input=html,
    )
    assert result.exit_code == 0, result.output
    assert "meet with" in result.output
    assert "var x" not in result.output
    assert "negated" in result.output


def test_annotate_text_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["annotate-text", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2


def test_annotate_command_is_incremental(db_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFLOW_ANNOTATE_PIPELINE", "rules")
    with psycopg.connect(db_env, autocommit=True) as conn:
        insert_article(conn, TEXT)
        insert_article(conn, "")
    runner = CliRunner()
    first = runner.invoke(cli, ["annotate", "--json"])
    assert first.exit_code == 0, first.output
    summary = json.loads(first.output)
    assert (summary["articles"], summary["ok"], summary["empty"]) == (2, 1, 1)
    second = runner.invoke(cli, ["annotate"])
    assert second.exit_code == 0, second.output
    assert "nothing to do" in second.output
