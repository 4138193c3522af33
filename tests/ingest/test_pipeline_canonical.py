"""Articles are keyed by the page's own ``<link rel="canonical">`` when it can be trusted.

A real HTTP server on 127.0.0.1 serves one story at two addresses (a page and
its AMP copy, a mobile and a print copy) from two feeds, each copy declaring
the one canonical URL: that is one article row with two sources, on the
first pass and on every pass after it.  A canonical on another site, or one
pointing at the site's home page (a broken CMS template), is not trusted.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from ingest.pipeline import run_ingest
from newsflow.loopback import LoopbackServer, Route
from tests.ingest.site import HTML_TYPE, RSS_TYPE, article_html, item_for, make_story, rss20
from tests.ingest.test_pipeline import add_feeds, counts, counts_stamp, later, settings_for

STORY = make_story("canonical-story")
OTHER = make_story("canonical-other")
SYNDICATED = make_story("canonical-syndicated")
TEMPLATED = make_story("canonical-templated")


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as srv:
        url = srv.url
        pages = {
            # (path served, story, canonical declared by the page)
            "/news/story.html": (STORY, url("/news/story.html")),
            "/amp/story.html": (STORY, url("/news/story.html")),
            "/m/other.html": (OTHER, url("/stories/other?utm_source=amp")),
            "/print/other.html": (OTHER, url("/stories/other")),
            "/syndicated.html": (SYNDICATED, "https://wire.example.com/original-story"),
            "/templated.html": (TEMPLATED, url("/")),
        }
        for path, (story, canonical) in pages.items():
            html = article_html(story, url=canonical)
            srv.routes[path] = Route(html.encode(), HTML_TYPE)
        feed_a = [
            item_for(STORY, url("/news/story.html")),
            item_for(OTHER, url("/m/other.html")),
            item_for(SYNDICATED, url("/syndicated.html")),
        ]
        feed_b = [
            item_for(STORY, url("/amp/story.html")),
            item_for(OTHER, url("/print/other.html")),
            item_for(TEMPLATED, url("/templated.html")),
        ]
        srv.routes["/a.rss"] = Route(rss20(feed_a), RSS_TYPE)
        srv.routes["/b.rss"] = Route(rss20(feed_b), RSS_TYPE)
        srv.routes["/c.rss"] = Route(rss20([item_for(STORY, url("/amp/story.html"))]), RSS_TYPE)
        yield srv


def _articles(db_url: str) -> dict[str, list[str]]:
    """canonical_url -> the linked URLs of its sources."""
    with psycopg.connect(db_url) as conn:
        rows = conn.execute(
            "select a.canonical_url, s.linked_url from raw.articles a "
            "join raw.article_sources s using (article_id) order by 1, 2"
        ).fetchall()
    out: dict[str, list[str]] = {}
    for canonical, linked in rows:
        out.setdefault(canonical, []).append(linked)
    return out


def _page_requests(server: LoopbackServer) -> list[str]:
    return sorted(p for _, p in server.requests if p.endswith(".html"))


@pytest.mark.parametrize("batch_size", [1, 8])
def test_two_urls_with_one_canonical_are_one_article(
    db_url: str, server: LoopbackServer, batch_size: int
) -> None:
    """``batch_size=1`` loads the two copies in different transactions, 8 in one."""
    url = server.url
    add_feeds(db_url, [url("/a.rss"), url("/b.rss")])
    settings = settings_for(db_url, batch_size=batch_size)
    summary = run_ingest(db_url, config=settings)
    assert summary.pages_failed == 0 and summary.pages_fetched == 6
    assert summary.articles_new == 4
    assert _articles(db_url) == {
        url("/news/story.html"): [url("/amp/story.html"), url("/news/story.html")],
        url("/stories/other"): [url("/m/other.html"), url("/print/other.html")],
        # not trusted: another site, and the home page of this one
        url("/syndicated.html"): [url("/syndicated.html")],
        url("/templated.html"): [url("/templated.html")],
    }
    with psycopg.connect(db_url) as conn:
        statuses = conn.execute(
            "select article_status, count(*), count(distinct article_id) "
            "from raw.feed_entries group by 1"
        ).fetchall()
        assert statuses == [("ok", 6, 4)]
        fetched = conn.execute(
            "select url from raw.articles where canonical_url = %s", (url("/stories/other"),)
        ).fetchone()
        assert fetched is not None and fetched[0] in (
            url("/m/other.html"),
            url("/print/other.html"),
        )

    # A second pass changes nothing and fetches no page.
    before, stamp = counts(db_url), counts_stamp(db_url)
    server.requests.clear()
    again = run_ingest(db_url, config=settings, now=later())
    assert (again.entries_new, again.articles_new, again.articles_updated) == (0, 0, 0)
    assert counts(db_url) == before and counts_stamp(db_url) == stamp
    assert _page_requests(server) == []

    # A new feed linking the AMP copy joins the article without a download.
    add_feeds(db_url, [url("/a.rss"), url("/b.rss"), url("/c.rss")])
    third = run_ingest(db_url, config=settings, now=later(4))
    assert third.entries_new == 1 and third.articles_new == 0 and third.pages_fetched == 0
    assert _page_requests(server) == []
    assert len(_articles(db_url)[url("/news/story.html")]) == 3
    with psycopg.connect(db_url) as conn:
        assert conn.execute(
            "select count(*) from raw.feed_entries where article_status <> 'ok'"
        ).fetchone() == (0,)
