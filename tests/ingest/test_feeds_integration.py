"""Every fixture feed served on 127.0.0.1, fetched, parsed and recorded in PostgreSQL.

The catalogue, parser and loader together: each hostile feed ends with its
outcome in ``raw.feeds`` and the good feeds' entries land in the same pass;
a second pass (conditional GET) changes nothing.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from ingest.catalog import FeedSpec, due_feeds, record_feed_fetch, upsert_entries, upsert_feeds
from ingest.feed_parser import parse_feed
from ingest.http import HttpOptions, fetch_sync
from newsflow.loopback import LoopbackServer, Route

FEEDS = Path(__file__).parent / "resources" / "feeds"

EXPECTED = {
    # name: (last_outcome, entries stored)
    "atom03.xml": ("ok", 2),
    "atom10.xml": ("ok", 2),
    "bad_dates.xml": ("ok", 8),
    "billion_laughs.xml": ("feed_refused", 0),
    "cp1251_declared.xml": ("ok", 1),
    "duplicate_guids.xml": ("ok", 2),
    "empty.xml": ("not_a_feed", 0),
    "html_page.html": ("not_a_feed", 0),
    "jsonfeed10.json": ("ok", 3),
    "jsonfeed11.json": ("ok", 4),
    "latin1_nodecl.xml": ("ok", 2),
    "podcast.xml": ("ok", 2),
    "podcast_shared_links.xml": ("ok", 10),
    "rss090.rdf": ("ok", 3),
    "rss091.xml": ("ok", 2),
    "rss092.xml": ("ok", 3),
    "rss10.rdf": ("ok", 2),
    "rss20.xml": ("ok", 3),
    "shiftjis_declared.xml": ("ok", 1),
    "xxe.xml": ("feed_refused", 0),
    "gone.xml": ("gone", 0),
    "missing.xml": ("not_found", 0),
    "oversized.xml": ("feed_refused", 0),
}


def _poll_all(conn: psycopg.Connection, fetch_sync: object, now: datetime) -> int:
    total = 0
    for feed in due_feeds(conn, now, force=True):
        result = fetch_sync(  # type: ignore[operator]
            feed.url, kind="feed", etag=feed.etag, last_modified=feed.last_modified
        )
        parsed = None
        new: list[object] = []
        if result.ok:
            parsed = parse_feed(
                result.body, url=result.final_url, content_type=result.content_type, max_bytes=4000
            )
            if parsed.entries:
                new = list(upsert_entries(conn, feed.feed_id, parsed.entries))
        record_feed_fetch(conn, feed, result, parsed, len(new), now)
        total += len(new)
    return total


def test_every_feed_gets_its_outcome_and_the_rest_lands(
    db_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = HttpOptions(allowed_hosts=("127.0.0.1",), respect_robots=False)
    fetch = functools.partial(fetch_sync, options=options)
    routes: dict[str, Route] = {
        f"/{p.name}": Route(p.read_bytes(), content_type="application/xml") for p in FEEDS.iterdir()
    }
    routes["/html_page.html"] = Route(
        (FEEDS / "html_page.html").read_bytes(), content_type="text/html"
    )
    routes["/gone.xml"] = Route(b"gone", status=410, content_type="text/plain")
    routes["/oversized.xml"] = Route(
        b'<rss version="2.0"><channel><title>big</title>' + b" " * 5000 + b"</channel></rss>",
        content_type="application/rss+xml",
    )
    now = datetime.now(UTC)
    with LoopbackServer(routes) as server, psycopg.connect(db_env, autocommit=True) as conn:
        upsert_feeds(conn, [FeedSpec(name=name, url=server.url(f"/{name}")) for name in EXPECTED])
        first = _poll_all(conn, fetch, now)
        rows = conn.execute(
            "select f.name, f.last_outcome, count(e.entry_key), f.enabled"
            " from raw.feeds f left join raw.feed_entries e using (feed_id)"
            " group by f.name, f.last_outcome, f.enabled"
        ).fetchall()
        got = {name: (outcome, count) for name, outcome, count, _ in rows}
        assert got == EXPECTED
        assert first == sum(count for _, count in EXPECTED.values())
        assert {name for name, *_, enabled in rows if not enabled} == {"gone.xml"}

        # second pass: 304s and unchanged bodies, nothing new, same rows
        second = _poll_all(conn, fetch, now)
        assert second == 0
        outcomes = dict(conn.execute("select name, last_outcome from raw.feeds").fetchall())
        assert outcomes["rss20.xml"] == "not_modified"
        assert conn.execute("select count(*) from raw.feed_entries").fetchone() == (first,)
