"""``newsflow ingest``: exit codes, JSON summary, and running it twice changes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from newsflow.cli import cli
from newsflow.loopback import LoopbackServer, Route
from tests.ingest.site import Corpus, build_corpus, expected_counts
from tests.ingest.test_pipeline import counts


@pytest.fixture
def world(db_env: str, tmp_path: Path) -> Iterator[tuple[LoopbackServer, Corpus, Path]]:
    with LoopbackServer() as server:
        corpus = build_corpus(server.base_url, per_feed=2)
        server.routes.update(corpus.routes)
        feeds_file = tmp_path / "feeds.yaml"
        feeds_file.write_text(
            "feeds:\n"
            + "".join(
                f"  - name: {name}\n    url: {server.url(path)}\n    language: en\n"
                for name, path in corpus.feeds.items()
            )
        )
        yield server, corpus, feeds_file


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["ingest", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def _small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFLOW_EXTRACT_WORKERS", "1")
    monkeypatch.setenv("NEWSFLOW_BATCH_SIZE", "5")
    monkeypatch.setenv("NEWSFLOW_LOAD_FLUSH", "0.5")


def test_ingest_twice_leaves_identical_row_counts(
    db_env: str, world: tuple[LoopbackServer, Corpus, Path]
) -> None:
    _server, corpus, feeds_file = world
    code, out, err = invoke("--once", "--feeds-file", str(feeds_file), "--json")
    assert code == 0, err
    summary = json.loads(out)
    want = expected_counts(corpus)
    assert summary["feeds_polled"] == 3
    assert summary["articles_new"] == want["articles"]
    assert summary["duplicates_exact"] == 1 and summary["duplicates_near"] == 1
    first = counts(db_env)
    # the feeds are not due yet: nothing is fetched, nothing changes
    code, out, _ = invoke("--once", "--feeds-file", str(feeds_file), "--json")
    assert code == 0 and json.loads(out)["feeds_polled"] == 0
    assert counts(db_env) == first
    # made due again, the server answers 304 or the same bytes: still nothing changes
    with psycopg.connect(db_env) as conn:
        conn.execute("update raw.feeds set next_due_at = now() - interval '1 minute'")
    code, out, _ = invoke("--once")
    assert code == 0
    again = json.loads(out) if out.startswith("{") else None
    assert again is None  # without --json a table is printed
    assert "articles new" in out
    assert counts(db_env) == first


def test_partial_failure_exits_1_and_reports(
    db_env: str, world: tuple[LoopbackServer, Corpus, Path]
) -> None:
    server, corpus, feeds_file = world
    server.routes["/feeds/broken.xml"] = Route(b"<html><body>not a feed</body></html>", "text/html")
    with feeds_file.open("a") as f:
        f.write(f"  - name: broken\n    url: {server.url('/feeds/broken.xml')}\n")
    code, out, err = invoke("--once", "--feeds-file", str(feeds_file), "--json")
    assert code == 1, err
    summary = json.loads(out)
    assert summary["feeds_failed"] == 1
    assert summary["outcomes"]["not_a_feed"] == 1
    assert summary["articles_new"] == expected_counts(corpus)["articles"]  # the rest landed


def test_usage_errors_exit_2(db_env: str, tmp_path: Path) -> None:
    code, _, err = invoke("--once")
    assert code == 2 and "newsflow feeds add" in err
    bad = tmp_path / "bad.yaml"
    bad.write_text("feeds:\n  - name: x\n    url: ftp://example.org/feed\n")
    code, _, err = invoke("--once", "--feeds-file", str(bad))
    assert code == 2 and "bad.yaml" in err
    code, _, err = invoke("--once", "--feeds-file", str(tmp_path / "missing.yaml"))
    assert code == 2 and "does not exist" in err
    code, _, _ = invoke("--no-such-option")
    assert code == 2
