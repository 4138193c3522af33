"""Synthetic news outlets served on loopback addresses, for the orchestration tests.

``resources/site.json`` holds the outlets (one loopback address each, so the
ingest planner sees two hosts and maps two batches) and their articles; this
module renders an RSS feed and one HTML page per article and serves them with
:class:`newsflow.loopback.LoopbackServer`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from newsflow.loopback import LoopbackServer, Route

RESOURCES = Path(__file__).parent / "resources"


@dataclass
class Outlet:
    slug: str
    name: str
    host: str
    articles: list[dict[str, Any]]
    server: LoopbackServer | None = None

    @property
    def base_url(self) -> str:
        assert self.server is not None
        return f"http://{self.host}:{self.server.port}"

    @property
    def feed_url(self) -> str:
        return f"{self.base_url}/feed.xml"

    def article_url(self, article: dict[str, Any]) -> str:
        return f"{self.base_url}/news/{article['slug']}.html"


@dataclass
class NewsSite:
    outlets: list[Outlet]
    #: called with (outlet, request handler) before a page is served; tests hook faults here
    page_hooks: list[Callable[[Outlet, BaseHTTPRequestHandler], None]] = field(default_factory=list)

    @property
    def articles(self) -> int:
        return sum(len(o.articles) for o in self.outlets)

    def feed_specs(self) -> list[Any]:
        from ingest.catalog import FeedSpec

        return [
            FeedSpec(name=o.name, url=o.feed_url, language="en", poll_interval_s=600)
            for o in self.outlets
        ]

    def page_requests(self) -> int:
        return sum(
            1
            for o in self.outlets
            if o.server
            for _method, path in o.server.requests
            if path.startswith("/news/")
        )


def load_outlets() -> list[Outlet]:
    data = json.loads((RESOURCES / "site.json").read_text(encoding="utf-8"))
    return [
        Outlet(slug=o["slug"], name=o["name"], host=o["host"], articles=o["articles"])
        for o in data["outlets"]
    ]


def render_feed(outlet: Outlet) -> bytes:
    items = []
    for article in outlet.articles:
        url = outlet.article_url(article)
        items.append(
            "<item>"
            f"<title>{escape(article['title'])}</title>"
            f"<link>{escape(url)}</link>"
            f'<guid isPermaLink="true">{escape(url)}</guid>'
            f"<pubDate>{article['published']}</pubDate>"
            f"<description>{escape(article['paragraphs'][0][:200])}</description>"
            "</item>"
        )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rss version="2.0"><channel>'
        f"<title>{escape(outlet.name)}</title><link>{escape(outlet.base_url)}/</link>"
        f"<description>{escape(outlet.name)} top stories</description><language>en</language>"
        + "".join(items)
        + "</channel></rss>"
    )
    return xml.encode("utf-8")


def render_page(outlet: Outlet, article: dict[str, Any]) -> bytes:
    body = "".join(f"<p>{escape(p)}</p>" for p in article["paragraphs"])
    html = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(article['title'])} | {escape(outlet.name)}</title>"
        f"<link rel='canonical' href='{escape(outlet.article_url(article))}'>"
        f"<meta property='og:site_name' content='{escape(outlet.name)}'>"
        f"<meta property='article:published_time' content='{escape(article['published'])}'>"
        "</head><body>"
        f"<header><nav><a href='/'>{escape(outlet.name)}</a> | <a href='/world'>World</a>"
        " | <a href='/business'>Business</a></nav></header>"
        f"<main><article><h1>{escape(article['title'])}</h1>"
        f"<p class='byline'>By Staff Reporter</p>{body}</article></main>"
        "<footer><p>Copyright Synthetic Media. All rights reserved.</p></footer>"
        "</body></html>"
    )
    return html.encode("utf-8")


def _page_handler(site: NewsSite, outlet: Outlet, page: bytes) -> Callable[..., None]:
    def handle(handler: BaseHTTPRequestHandler) -> None:
        drop = [hook(outlet, handler) for hook in site.page_hooks]
        if any(drop):
            handler.close_connection = True
            return
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(page)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(page)

    return handle


@contextmanager
def serve_site() -> Iterator[NewsSite]:
    """Start one loopback server per outlet; routes are filled once ports are known."""
    outlets = load_outlets()
    site = NewsSite(outlets=outlets)
    with ExitStack() as stack:
        for outlet in outlets:
            outlet.server = stack.enter_context(LoopbackServer(host=outlet.host))
        for outlet in outlets:
            assert outlet.server is not None
            outlet.server.routes["/feed.xml"] = Route(
                render_feed(outlet), content_type="application/rss+xml; charset=utf-8"
            )
            for article in outlet.articles:
                page = render_page(outlet, article)
                path = f"/news/{article['slug']}.html"
                outlet.server.routes[path] = _page_handler(site, outlet, page)
        yield site


def register_feeds(database_url: str, site: NewsSite, *, due_since: str | None = None) -> int:
    """Add the outlets' feeds to ``raw.feeds``.

    ``due_since`` (a PostgreSQL interval, e.g. ``'1 hour'``) makes them due that
    long ago: a scheduled run plans with its window end, which precedes "now".
    """
    import psycopg

    from ingest.catalog import upsert_feeds

    with psycopg.connect(database_url) as conn:
        count = upsert_feeds(conn, site.feed_specs())
        if due_since:
            conn.execute("update raw.feeds set next_due_at = now() - %s::interval", (due_since,))
        conn.commit()
    return count
