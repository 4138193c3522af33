"""Feed catalogue: feeds.yaml and OPML validation, raw.feeds and raw.feed_entries on PostgreSQL."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from ingest.catalog import (
    CatalogError,
    FeedRow,
    FeedSpec,
    body_hash,
    due_feeds,
    list_feeds,
    load_feeds_yaml,
    parse_duration,
    parse_opml,
    record_feed_fetch,
    remove_feed,
    upsert_entries,
    upsert_feeds,
)
from ingest.feed_parser import parse_feed
from ingest.records import FetchResult, Outcome

FEEDS = Path(__file__).parent / "resources" / "feeds"
NOW = datetime(2024, 12, 3, 12, 0, tzinfo=UTC)


# ---------------------------------------------------------------------------
# feeds.yaml
# ---------------------------------------------------------------------------
def test_load_feeds_yaml_with_defaults_and_normalisation() -> None:
    specs = load_feeds_yaml(
        textwrap.dedent(
            """
            defaults:
              language: en
              poll_interval: 15m
            feeds:
              - name: World
                url: https://News.Example.com:443/world/rss.xml
                country: gb
                tags: [world, uk]
              - url: http://other.example.org/feed?b=2&a=1
                poll_interval: 2h
                language: pt-BR
                enabled: false
            """
        )
    )
    assert specs == [
        FeedSpec(
            name="World",
            url="https://news.example.com/world/rss.xml",
            language="en",
            country="GBR",
            tags=("world", "uk"),
            poll_interval_s=900,
        ),
        FeedSpec(
            name="other.example.org",
            url="http://other.example.org/feed?a=1&b=2",
            language="pt-BR",
            poll_interval_s=7200,
            enabled=False,
        ),
    ]


def test_load_feeds_yaml_reports_every_problem_with_its_line() -> None:
    text = textwrap.dedent(
        """\
        feeds:
          - name: no url
          - url: ftp://files.example.com/feed
          - url: https://ok.example.com/rss
            colour: blue
          - url: https://ok.example.com/rss2
            country: Narnia
          - url: https://ok.example.com/rss2
          - url: https://ok.example.com/rss3
            poll_interval: 5s
          - url: https://ok.example.com/rss2
        """
    )
    with pytest.raises(CatalogError) as info:
        load_feeds_yaml(text)
    message = str(info.value)
    assert "<feeds.yaml>:2: feed 1: 'url' is required" in message
    assert ":3: feed 2: not an http(s) URL" in message
    assert ":4: feed 3: unknown key(s) 'colour'" in message
    assert ":6: feed 4: unknown country code 'Narnia'" in message
    assert ":9: feed 6: poll interval" in message
    assert ":11: feed 7: duplicate url https://ok.example.com/rss2 (first at line 8)" in message


def test_load_feeds_yaml_syntax_error_and_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r":3: not valid YAML: mapping values"):
        load_feeds_yaml("feeds:\n  - url: x\n    bad: indent: here\n")
    path = tmp_path / "feeds.yaml"
    path.write_text("- url: https://a.example.com/rss\n  name: A\n", encoding="utf-8")
    assert [s.name for s in load_feeds_yaml(path)] == ["A"]
    assert [s.name for s in load_feeds_yaml(str(path))] == ["A"]
    with pytest.raises(CatalogError, match="no such file"):
        load_feeds_yaml(str(tmp_path / "missing.yaml"))
    assert load_feeds_yaml("") == []


def test_default_feeds_example_is_valid() -> None:
    example = Path(__file__).parents[2] / "ingest" / "default_feeds.yaml"
    specs = load_feeds_yaml(example)
    assert len(specs) >= 5
    assert all(s.url.startswith("https://") for s in specs)


@pytest.mark.parametrize(
    ("value", "seconds"), [(600, 600), ("90s", 90), ("15m", 900), ("2h", 7200), ("1d", 86400)]
)
def test_parse_duration(value: object, seconds: int) -> None:
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("value", ["soon", "10s", "30d", True, -5])
def test_parse_duration_refuses(value: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(value)


# ---------------------------------------------------------------------------
# OPML
# ---------------------------------------------------------------------------
OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Subscriptions</title></head>
  <body>
    <outline text="News">
      <outline text="World">
        <outline type="rss" text="Daily Example" title="The Daily Example"
                 xmlUrl="https://news.example.com/world/rss.xml" htmlUrl="https://news.example.com/"/>
      </outline>
      <outline type="rss" text="Wire" xmlUrl="https://wire.example.com/feed"
               category="/Breaking,Agencies"/>
    </outline>
    <outline type="rss" text="Broken" xmlUrl="javascript:alert(1)"/>
    <outline type="rss" text="Wire again" xmlUrl="https://WIRE.example.com/feed"/>
    <outline text="No feed here"/>
  </body>
</opml>
"""


def test_parse_opml_nested_outlines_become_tags() -> None:
    problems: list[str] = []
    specs = parse_opml(OPML, problems=problems)
    assert specs == [
        FeedSpec(
            name="The Daily Example",
            url="https://news.example.com/world/rss.xml",
            tags=("News", "World"),
        ),
        FeedSpec(
            name="Wire", url="https://wire.example.com/feed", tags=("News", "Breaking", "Agencies")
        ),
    ]
    assert len(problems) == 1 and "Broken" in problems[0]


def test_parse_opml_refuses_entities_and_non_opml() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa">]><opml><body/></opml>'
    with pytest.raises(CatalogError, match="declares XML entities"):
        parse_opml(bomb)
    with pytest.raises(CatalogError, match="not an OPML document"):
        parse_opml(b"<rss><channel/></rss>")
    with pytest.raises(CatalogError, match="not an OPML document"):
        parse_opml(b"this is not xml")


# ---------------------------------------------------------------------------
# raw.feeds
# ---------------------------------------------------------------------------
def _connect(db_url: str) -> psycopg.Connection:
    conn = psycopg.connect(db_url, autocommit=True)
    conn.execute("set timezone = 'UTC'")
    return conn


def _feed_row(conn: psycopg.Connection, url: str) -> FeedRow:
    [row] = [f for f in due_feeds(conn, NOW, force=True) if f.url == url]
    return row


def test_upsert_list_remove_feeds(db_url: str) -> None:
    specs = [
        FeedSpec(name="A", url="https://a.example.com/rss", tags=("x",)),
        FeedSpec(name="B", url="https://b.example.com/rss", country="FRA"),
        FeedSpec(name="B", url="https://b2.example.com/rss"),
    ]
    with _connect(db_url) as conn:
        assert upsert_feeds(conn, specs) == 3
        assert upsert_feeds(conn, specs) == 0  # unchanged: nothing written
        assert upsert_feeds(conn, [replace(specs[0], tags=("x", "y"))]) == 1
        feeds = list_feeds(conn)
        assert [f["name"] for f in feeds] == ["A", "B", "B"]
        assert feeds[0]["tags"] == ["x", "y"]
        assert feeds[1]["country"] == "FRA"
        with pytest.raises(ValueError, match="2 feeds are named 'B'"):
            remove_feed(conn, "B")
        assert remove_feed(conn, "https://B.example.com:443/rss")
        assert remove_feed(conn, "B")
        assert not remove_feed(conn, "nothing")
        assert [f["name"] for f in list_feeds(conn)] == ["A"]


def test_due_feeds_order_limit_and_filter(db_url: str) -> None:
    with _connect(db_url) as conn:
        upsert_feeds(conn, [FeedSpec(name=n, url=f"https://{n}.example.com/rss") for n in "abc"])
        conn.execute(
            "update raw.feeds set next_due_at = %s where name = 'c'", (NOW + timedelta(hours=1),)
        )
        conn.execute(
            "update raw.feeds set next_due_at = %s where name = 'b'", (NOW - timedelta(1),)
        )
        conn.execute("update raw.feeds set next_due_at = %s where name = 'a'", (NOW,))
        due = due_feeds(conn, NOW)
        assert [f.name for f in due] == ["b", "a"]
        assert [f.name for f in due_feeds(conn, NOW, limit=1)] == ["b"]
        ids = {f.name: f.feed_id for f in due_feeds(conn, NOW, force=True)}
        assert [f.name for f in due_feeds(conn, NOW, feed_ids=[ids["a"]])] == ["a"]
        assert [f.name for f in due_feeds(conn, NOW, feed_ids=[ids["c"]], force=True)] == ["c"]
        conn.execute("update raw.feeds set enabled = false where name = 'a'")
        assert [f.name for f in due_feeds(conn, NOW)] == ["b"]


def _result(outcome: Outcome, status: int | None, body: bytes = b"", **kw: object) -> FetchResult:
    return FetchResult(
        url="https://a.example.com/rss",
        final_url="https://a.example.com/rss",
        outcome=outcome,
        status=status,
        body=body,
        **kw,  # type: ignore[arg-type]
    )


def test_record_feed_fetch_health_validators_and_schedule(db_url: str) -> None:
    url = "https://a.example.com/rss"
    body = (FEEDS / "rss20.xml").read_bytes()
    with _connect(db_url) as conn:
        upsert_feeds(conn, [FeedSpec(name="A", url=url, poll_interval_s=600)])
        feed = _feed_row(conn, url)

        parsed = parse_feed(body, url=url)
        ok = _result(
            Outcome.OK,
            200,
            body,
            headers={"etag": '"v1"', "last-modified": "Tue, 03 Dec 2024 10:00:00 GMT"},
        )
        record_feed_fetch(conn, feed, ok, parsed, 3, NOW)
        row = list_feeds(conn)[0]
        assert row["etag"] == '"v1"' and row["content_hash"] == body_hash(body)
        assert row["last_outcome"] == "ok" and row["last_status"] == 200
        assert row["last_success_at"] == NOW and row["entries_seen"] == 3
        assert row["title"] == "The Daily Example — World" and row["feed_format"] == "rss20"
        assert row["ttl_s"] == 1800  # <ttl>30</ttl>
        # never sooner than the feed's ttl, at most 10 % jitter on top
        assert NOW + timedelta(seconds=1800) <= row["next_due_at"] <= NOW + timedelta(seconds=1980)

        # 304: validators kept, unchanged streak grows, the ttl still holds
        feed = _feed_row(conn, url)
        record_feed_fetch(conn, feed, _result(Outcome.NOT_MODIFIED, 304), None, 0, NOW)
        row = list_feeds(conn)[0]
        assert row["etag"] == '"v1"' and row["unchanged_streak"] == 1
        assert row["last_outcome"] == "not_modified" and row["ttl_s"] == 1800

        # HTML served as the feed: a failure with the parser's reason, backing off
        feed = _feed_row(conn, url)
        html = (FEEDS / "html_page.html").read_bytes()
        record_feed_fetch(
            conn, feed, _result(Outcome.OK, 200, html), parse_feed(html, url=url), 0, NOW
        )
        row = list_feeds(conn)[0]
        assert row["last_outcome"] == "not_a_feed" and "HTML page" in row["last_error"]
        assert row["consecutive_failures"] == 1 and row["last_success_at"] == NOW
        assert row["etag"] == '"v1"'  # a failure never replaces the validators

        # 404 twice: failures count up, back-off grows
        for expected in (2, 3):
            feed = _feed_row(conn, url)
            record_feed_fetch(conn, feed, _result(Outcome.NOT_FOUND, 404), None, 0, NOW)
            row = list_feeds(conn)[0]
            assert row["consecutive_failures"] == expected and row["enabled"]
        assert row["next_due_at"] >= NOW + timedelta(seconds=600 * 4)

        # 429 with Retry-After: at least that long
        feed = _feed_row(conn, url)
        limited = _result(Outcome.RATE_LIMITED, 429, retry_after_s=7200.0)
        record_feed_fetch(conn, feed, limited, None, 0, NOW)
        assert list_feeds(conn)[0]["next_due_at"] >= NOW + timedelta(hours=2)

        # success resets failures and the error
        feed = _feed_row(conn, url)
        record_feed_fetch(conn, feed, ok, parsed, 0, NOW)
        row = list_feeds(conn)[0]
        assert row["consecutive_failures"] == 0 and row["last_error"] is None

        # 410 Gone disables the feed; loading the catalogue again does not revive it
        feed = _feed_row(conn, url)
        record_feed_fetch(conn, feed, _result(Outcome.GONE, 410), None, 0, NOW)
        row = list_feeds(conn)[0]
        assert not row["enabled"] and row["last_outcome"] == "gone"
        assert due_feeds(conn, NOW + timedelta(days=30)) == []
        assert upsert_feeds(conn, [FeedSpec(name="A", url=url, poll_interval_s=600)]) == 0
        assert not list_feeds(conn)[0]["enabled"]
        # ... but an explicit re-enable does, and makes it due at once
        upsert_feeds(conn, [FeedSpec(name="A", url=url, poll_interval_s=600)], reenable=True)
        row = list_feeds(conn)[0]
        assert row["enabled"] and row["consecutive_failures"] == 0


def test_record_feed_fetch_refused_feed(db_url: str) -> None:
    url = "https://bomb.example.com/rss"
    body = (FEEDS / "billion_laughs.xml").read_bytes()
    with _connect(db_url) as conn:
        upsert_feeds(conn, [FeedSpec(name="Bomb", url=url)])
        feed = _feed_row(conn, url)
        parsed = parse_feed(body, url=url)
        record_feed_fetch(conn, feed, _result(Outcome.OK, 200, body), parsed, 0, NOW)
        row = list_feeds(conn)[0]
        assert row["last_outcome"] == "feed_refused" and "ENTITY" in row["last_error"]
        assert row["consecutive_failures"] == 1


# ---------------------------------------------------------------------------
# raw.feed_entries
# ---------------------------------------------------------------------------
def test_upsert_entries_new_changed_and_unchanged(db_url: str) -> None:
    url = "https://wire.example.com/rss"
    parsed = parse_feed((FEEDS / "rss20.xml").read_bytes(), url=url, now=NOW)
    entries = list(parsed.entries)
    with _connect(db_url) as conn:
        upsert_feeds(conn, [FeedSpec(name="Wire", url=url)])
        feed_id = _feed_row(conn, url).feed_id

        assert upsert_entries(conn, feed_id, entries) == entries
        assert upsert_entries(conn, feed_id, entries) == []  # re-run: nothing new
        conn.execute(
            "update raw.feed_entries set article_status = 'ok', attempts = 1, article_id = 99"
        )

        # an edited title on the same page: changed, but the article is kept
        edited = replace(entries[0], title="Edited title", entry_hash="edited")
        # a new link: changed, and back to pending
        moved = replace(
            entries[1],
            link="https://news.example.com/moved",
            canonical_url="https://news.example.com/moved",
            entry_hash="moved",
        )
        changed = upsert_entries(conn, feed_id, [edited, moved, entries[2]])
        assert changed == [edited, moved]
        rows = dict(
            conn.execute(
                "select entry_key, (title, article_status, article_id, attempts)::text"
                " from raw.feed_entries"
            ).fetchall()
        )
        assert rows[edited.entry_key] == '("Edited title",ok,99,1)'
        assert rows[moved.entry_key] == '("Floods close the northern highway",pending,,0)'
        assert rows[entries[2].entry_key].endswith(",ok,99,1)")


def test_upsert_entries_hostile_values_and_duplicates(db_url: str) -> None:
    url = "https://dup.example.com/rss"
    dup = parse_feed((FEEDS / "duplicate_guids.xml").read_bytes(), url=url, now=NOW)
    dates = parse_feed((FEEDS / "bad_dates.xml").read_bytes(), url=url, now=NOW)
    nul = replace(dup.entries[1], entry_key="nul-1", title="A\x00B", summary="\x00")
    with _connect(db_url) as conn:
        upsert_feeds(conn, [FeedSpec(name="Dup", url=url)])
        feed_id = _feed_row(conn, url).feed_id
        # the same key twice in one batch: the last occurrence is stored
        batch = [*dup.entries, replace(dup.entries[0], title="Later", entry_hash="later")]
        stored = upsert_entries(conn, feed_id, [*batch, *dates.entries, nul])
        assert len(stored) == 2 + 8 + 1
        title = conn.execute(
            "select title from raw.feed_entries where entry_key = 'wire-555'"
        ).fetchone()
        assert title == ("Later",)
        invalid = conn.execute(
            "select count(*) filter (where date_invalid and published_at is null"
            " and published_raw is not null), count(*) filter (where published_at is not null)"
            " from raw.feed_entries where entry_key like 'https://clock%'"
        ).fetchone()
        assert invalid == (6, 1)
        assert conn.execute(
            "select title, summary from raw.feed_entries where entry_key = 'nul-1'"
        ).fetchone() == ("AB", "")
