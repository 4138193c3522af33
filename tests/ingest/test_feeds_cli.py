"""``newsflow feeds ...`` through click's CliRunner, against the test database."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsflow.cli import cli

FEEDS = Path(__file__).parent / "resources" / "feeds"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


# ---------------------------------------------------------------------------
# feeds parse (no database)
# ---------------------------------------------------------------------------
def test_parse_single_file_json() -> None:
    code, out, _ = run("feeds", "parse", str(FEEDS / "rss20.xml"), "--json")
    assert code == 0
    record = json.loads(out)
    assert record["id"] == "rss20" and record["outcome"] == "ok"
    assert record["version"] == "rss20" and record["entry_count"] == 3
    first = record["entries"][0]
    assert first["entry_key"] == "daily-example-1001"
    assert first["published_at"] == "2024-12-02T20:35:00+00:00"
    assert first["categories"] == ["World", "Diplomacy"]


def test_parse_directory_one_line_per_file_and_broken_files_do_not_stop_the_rest() -> None:
    code, out, _ = run("feeds", "parse", str(FEEDS), "--jsonl")
    assert code == 1  # some inputs are not feeds
    records = {r["id"]: r for r in map(json.loads, out.splitlines())}
    expected = {
        "atom03": "ok",
        "atom10": "ok",
        "bad_dates": "ok",
        "billion_laughs": "feed_refused",
        "cp1251_declared": "ok",
        "duplicate_guids": "ok",
        "empty": "not_a_feed",
        "html_page": "not_a_feed",
        "jsonfeed10": "ok",
        "jsonfeed11": "ok",
        "latin1_nodecl": "ok",
        "podcast": "ok",
        "podcast_shared_links": "ok",
        "rss090": "ok",
        "rss091": "ok",
        "rss092": "ok",
        "rss10": "ok",
        "rss20": "ok",
        "shiftjis_declared": "ok",
        "xxe": "feed_refused",
    }
    assert {k: r["outcome"] for k, r in records.items()} == expected
    assert records["latin1_nodecl"]["title"] == "Notícias do Sertão"


def test_parse_json_feed_with_its_item_accounting() -> None:
    code, out, _ = run("feeds", "parse", str(FEEDS / "jsonfeed11.json"), "--json")
    assert code == 0
    record = json.loads(out)
    assert record["version"] == "json11" and record["entry_count"] == 4
    assert record["items_found"] == 7
    assert record["skipped"] == {"no_identity": 1, "not_an_object": 1, "repeated_item": 1}
    assert record["entries"][0]["enclosure_url"] == "https://cdn.example.com/hs/12.mp3"
    code, out, _ = run("feeds", "parse", str(FEEDS / "jsonfeed11.json"))
    assert ": ok (json11, 4 entries)" in out
    assert "7 items; not entries: 1 no_identity, 1 not_an_object, 1 repeated_item" in out


def test_parse_missing_and_oversized_files(tmp_path: Path) -> None:
    shutil.copy(FEEDS / "rss20.xml", tmp_path / "big.xml")
    shutil.copy(FEEDS / "atom10.xml", tmp_path / "small.xml")
    (tmp_path / "small.xml").write_bytes((tmp_path / "small.xml").read_bytes()[:1400])
    missing = str(tmp_path / "missing.xml")
    code, out, _ = run(
        "feeds", "parse", str(tmp_path / "big.xml"), missing, str(tmp_path / "small.xml"),
        "--jsonl", "--max-bytes", "1600",
    )  # fmt: skip
    assert code == 1
    outcomes = [(r["id"], r["outcome"]) for r in map(json.loads, out.splitlines())]
    assert outcomes == [("big", "feed_refused"), ("missing", "error"), ("small", "ok")]


def test_parse_human_output_and_base_url() -> None:
    code, out, _ = run(
        "feeds", "parse", str(FEEDS / "rss20.xml"), "--base-url", "https://news.example.com/x/"
    )
    assert code == 0
    assert "rss20 (rss20, 3 entries)" in out or ": ok (rss20, 3 entries)" in out
    assert "https://news.example.com/x/opinion/why-talks-matter.html" in out


def test_parse_usage_error() -> None:
    code, _, _ = run("feeds", "parse")
    assert code == 2


def test_parse_url_through_the_safe_http_client(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsflow.loopback import LoopbackServer, Route

    monkeypatch.setenv("NEWSFLOW_ALLOWED_HOSTS", "127.0.0.1")
    monkeypatch.setenv("NEWSFLOW_RESPECT_ROBOTS", "0")
    routes = {
        "/latin1.xml": Route(
            (FEEDS / "latin1_nodecl.xml").read_bytes(), content_type="application/rss+xml"
        ),
        "/page.html": Route((FEEDS / "html_page.html").read_bytes()),
    }
    with LoopbackServer(routes) as server:
        code, out, _ = run(
            "feeds", "parse", server.url("/latin1.xml"), server.url("/page.html"),
            server.url("/missing.xml"), "--jsonl",
        )  # fmt: skip
    assert code == 1
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["outcome"] for r in records] == ["ok", "not_a_feed", "not_found"]
    assert records[0]["entries"][0]["title"].startswith("Eleição em São João")


# ---------------------------------------------------------------------------
# Catalogue commands (database)
# ---------------------------------------------------------------------------
def test_add_list_remove(db_env: str) -> None:
    code, out, _ = run(
        "feeds", "add", "https://News.Example.com/rss.xml", "--name", "News",
        "--language", "en", "--country", "gb", "--tag", "world", "--tag", "uk",
        "--interval", "10m",
    )  # fmt: skip
    assert code == 0 and "added: News <https://news.example.com/rss.xml>" in out
    code, out, _ = run("feeds", "add", "https://news.example.com/rss.xml", "--name", "News")
    assert code == 0 and out.startswith("updated")
    code, out, _ = run("feeds", "list", "--json")
    [feed] = json.loads(out)
    assert feed["name"] == "News" and feed["country"] is None and feed["poll_interval_s"] == 900
    code, out, _ = run("feeds", "list")
    assert code == 0 and "news.example.com" in out
    assert run("feeds", "remove", "News")[0] == 0
    assert run("feeds", "remove", "News")[0] == 1
    assert json.loads(run("feeds", "list", "--json")[1]) == []


def test_add_usage_errors(db_env: str) -> None:
    assert run("feeds", "add", "ftp://x.example.com/feed")[0] == 2
    assert run("feeds", "add", "https://x.example.com/feed", "--country", "XX")[0] == 2
    assert run("feeds", "add", "https://x.example.com/feed", "--interval", "1s")[0] == 2


def test_load_yaml_and_import_opml(db_env: str, tmp_path: Path) -> None:
    catalogue = tmp_path / "feeds.yaml"
    catalogue.write_text(
        "feeds:\n"
        "  - {name: A, url: 'https://a.example.com/rss', tags: [x]}\n"
        "  - {name: B, url: 'https://b.example.com/rss', country: FRA}\n",
        encoding="utf-8",
    )
    code, out, _ = run("feeds", "load", str(catalogue))
    assert code == 0 and "2 feeds in feeds.yaml, 2 new or changed" in out
    code, out, _ = run("feeds", "load", str(catalogue))
    assert code == 0 and "0 new or changed" in out

    broken = tmp_path / "broken.yaml"
    broken.write_text("feeds:\n  - name: no url\n", encoding="utf-8")
    code, _, err = run("feeds", "load", str(broken))
    assert code == 2 and "broken.yaml:2: feed 1: 'url' is required" in err

    opml = tmp_path / "subs.opml"
    opml.write_bytes(
        b'<opml version="2.0"><body><outline text="World">'
        b'<outline text="C" xmlUrl="https://c.example.com/rss"/>'
        b'<outline text="Bad" xmlUrl="nonsense"/></outline></body></opml>'
    )
    code, out, err = run("feeds", "import-opml", str(opml))
    assert code == 1 and "1 feeds in subs.opml, 1 new or changed" in out and "Bad" in err
    names = [f["name"] for f in json.loads(run("feeds", "list", "--json")[1])]
    assert names == ["A", "B", "C"]

    bomb = tmp_path / "bomb.opml"
    bomb.write_bytes(b'<!DOCTYPE opml [<!ENTITY a "b">]><opml><body/></opml>')
    assert run("feeds", "import-opml", str(bomb))[0] == 2


def test_load_needs_a_file(db_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSFLOW_FEEDS_FILE", raising=False)
    assert run("feeds", "load")[0] == 2
