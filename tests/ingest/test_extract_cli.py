"""``newsflow extract`` through click's CliRunner: files, directories, URLs, exit codes."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsflow.cli import cli
from newsflow.loopback import LoopbackServer, Route

PAGES = Path(__file__).parent / "resources" / "pages"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["extract", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_single_file_plain_output() -> None:
    code, out, _ = run(str(PAGES / "world_desk_article.html"))
    assert code == 0
    header, _, text = out.partition("\n\n")
    assert "title:    Flood Barrier Vote Delayed as Council Seeks Second Opinion" in header
    assert "date:     2025-03-14T09:05:00-05:00" in header
    assert (
        "url:      https://news.example.org/europe/2025/03/14/flood-barrier-vote-delayed/" in header
    )
    assert "language: en" in header and "words:" in header
    assert text.startswith("The city council on Thursday postponed a vote")
    assert "commenting" not in text


def test_single_file_json() -> None:
    code, out, _ = run(str(PAGES / "world_desk_article.html"), "--json")
    assert code == 0
    record = json.loads(out)
    assert record["id"] == "world_desk_article"
    assert record["outcome"] == "ok"
    assert record["published_at"] == "2025-03-14T09:05:00-05:00"
    assert record["authors"] == ["Maria Keller"]
    assert record["text"].endswith("along a stretch of nearly two kilometres.")
    assert "COMMENTS" not in record["text"]


def test_directory_jsonl_one_line_per_page_in_order(tmp_path: Path) -> None:
    for name in ("world_desk_article.html", "short_notice.html", "time_element.html"):
        shutil.copy(PAGES / name, tmp_path / name)
    (tmp_path / "split_body.html.gz").write_bytes(
        gzip.compress((PAGES / "split_body.html").read_bytes())
    )
    (tmp_path / "notes.txt").write_text("not a page")
    code, out, _ = run(str(tmp_path), "--jsonl", "--workers", "2")
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == [
        "short_notice",
        "split_body",
        "time_element",
        "world_desk_article",
    ]
    outcomes = {r["id"]: r["outcome"] for r in records}
    assert outcomes == {
        "short_notice": "empty_article",
        "split_body": "ok",
        "time_element": "ok",
        "world_desk_article": "ok",
    }
    assert code == 1  # one page failed, the others are printed


def test_missing_file_is_a_failed_input_not_a_crash(tmp_path: Path) -> None:
    code, out, err = run(str(tmp_path / "nope.html"), str(PAGES / "time_element.html"))
    assert code == 1
    assert "no such file" in err
    assert "Library reopens after two-year renovation" in out


def test_usage_errors() -> None:
    assert run()[0] == 2
    assert run(str(PAGES / "time_element.html"), "--json", "--jsonl")[0] == 2


def test_url_is_fetched_with_the_safe_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFLOW_ALLOWED_HOSTS", "127.0.0.1")
    routes = {
        "/story": Route((PAGES / "world_desk_article.html").read_bytes()),
        "/robots.txt": Route(b"User-agent: *\nAllow: /\n", content_type="text/plain"),
    }
    with LoopbackServer(routes) as server:
        code, out, _ = run(server.url("/story"), server.url("/missing"), "--jsonl")
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert records[0]["outcome"] == "ok" and records[0]["title"].startswith("Flood Barrier")
    assert records[1]["outcome"] != "ok" and records[1]["error"]


def test_private_address_is_refused_without_the_allow_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NEWSFLOW_ALLOWED_HOSTS", raising=False)
    with LoopbackServer({"/story": Route(b"<html></html>")}) as server:
        code, out, _ = run(server.url("/story"), "--jsonl")
    assert code == 1
    assert json.loads(out)["outcome"] == "blocked_ssrf"


# --- the evaluation command -----------------------------------------------------------------
def test_eval_extraction_cross_validation_on_a_dataset_of_our_own(tmp_path: Path) -> None:
    """``newsflow eval extraction DIR --cv --json``: F1, speed, both halves, both folds."""
    from newsflow.eval.extraction import fold_of
    from tests.ingest.site import paragraphs

    (tmp_path / "html").mkdir()
    truth = {}
    for i in range(6):
        body = paragraphs(f"eval{i}", n=4)
        html = (
            f"<html><head><title>Story {i}</title></head><body><nav><a href='/'>Home</a></nav>"
            "<article>" + "".join(f"<p>{p}</p>" for p in body) + "</article></body></html>"
        )
        (tmp_path / "html" / f"page{i}.html.gz").write_bytes(gzip.compress(html.encode()))
        truth[f"page{i}"] = {"articleBody": "\n".join(body), "url": f"https://example.org/{i}"}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "extraction", str(tmp_path), "--cv", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["pages"] == 6 and report["f1"] > 0.95
    assert report["pages_per_second"] > 0 and report["cpu_ms_per_page"] > 0
    assert set(report["halves"]) == {"half 0", "half 1"}
    folds = report["cross_validation"]["folds"]
    assert [f["measured_on"] for f in folds] == ["half 0", "half 1"]
    assert sum(f["pages"] for f in folds) == 6
    for fold in folds:
        assert fold["f1_held_out"] > 0.95 and set(fold["settings"]) == set(
            report["cross_validation"]["grid"]
        )
    halves = {f"half {fold_of(k)}" for k in truth}
    assert halves == {f["measured_on"] for f in folds if f["pages"]}
