"""End to end: one ingest pass over a batch of ordinary and hostile feeds and pages.

A real HTTP server on 127.0.0.1 serves everything the issue lists: RSS 0.91,
1.0, 2.0, Atom, a podcast, non-English and non-UTF-8 feeds, feeds sharing a
story, ``utm_`` variants, and the hostile members (SSRF redirects, redirect
loop, gzip bomb, dripping body, a server that never answers, entity bomb,
HTML served as a feed, 304/404/410/429/5xx, NUL bytes and bad encodings,
duplicate GUIDs with edited titles, impossible dates).  For each, the test
checks the recorded outcome, and that the rest of the batch landed.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler

import psycopg
import pytest

from ingest.pipeline import run_ingest
from newsflow.loopback import LoopbackServer, Route
from tests.ingest import hostile as raw
from tests.ingest.site import (
    HTML_TYPE,
    RSS_TYPE,
    Item,
    article_html,
    build_corpus,
    item_for,
    make_story,
    podcast,
    rss091,
    rss20,
)
from tests.ingest.test_pipeline import add_feeds, counts, settings_for

ENTITY_BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b']>\n<rss version="2.0"><channel><title>&lol9;</title></channel></rss>'
)
GZIP_BOMB = gzip.compress(b"\0" * (12 * 1024 * 1024), compresslevel=9)

#: feed path -> the outcome recorded for it
FEED_OUTCOMES = {
    "/f/rss091.xml": "ok",
    "/f/podcast.xml": "ok",
    "/f/german.xml": "ok",
    "/f/latin1.xml": "ok",
    "/f/dupguid.xml": "ok",
    "/f/pages.xml": "ok",
    "/f/ssrf-metadata": "blocked_ssrf",
    "/f/ssrf-ipv6": "blocked_ssrf",
    "/f/loop": "too_many_redirects",
    "/f/bomb.xml": "too_large",
    "/f/drip.xml": "timeout",
    "/f/silent.xml": "timeout",
    "/f/entities.xml": "feed_refused",
    "/f/html.xml": "not_a_feed",
    "/f/empty.xml": "not_a_feed",
    "/f/missing.xml": "not_found",
    "/f/gone.xml": "gone",
    "/f/error.xml": "server_error",
    "/f/unavailable.xml": "server_error",
}
#: page path (linked from /f/pages.xml) -> (fetch outcome, entry status after the pass)
PAGE_OUTCOMES = {
    "/p/nul.html": ("ok", "ok"),
    "/p/latin1-as-utf8.html": ("ok", "ok"),
    "/p/bomb.html": ("too_large", "failed"),
    "/p/missing.html": ("not_found", "failed"),
    "/p/drip.html": ("timeout", "failed"),
    "/p/episode.mp3": ("not_html", "gave_up"),
    "/private/secret.html": ("robots_disallowed", "gave_up"),
    "http://169.254.169.254/latest/meta-data/": ("blocked_ssrf", "gave_up"),
    "http://2130706433/p/nul.html": ("blocked_ssrf", "gave_up"),
    "/p/to-metadata": ("blocked_ssrf", "gave_up"),
}


class Hostile:
    """Route handlers that misbehave; ``stop`` releases the ones that hang."""

    def __init__(self) -> None:
        self.stop = threading.Event()

    def redirect(self, location: str) -> object:
        def handler(h: BaseHTTPRequestHandler) -> None:
            h.send_response(302)
            h.send_header("Location", location)
            h.send_header("Content-Length", "0")
            h.end_headers()

        return handler

    def drip(self, content_type: str) -> object:
        def handler(h: BaseHTTPRequestHandler) -> None:
            h.send_response(200)
            h.send_header("Content-Type", content_type)
            h.send_header("Content-Length", "100000")
            h.end_headers()
            for _ in range(200):
                if self.stop.wait(0.4):
                    return
                try:
                    h.wfile.write(b" ")
                    h.wfile.flush()
                except OSError:
                    return

        return handler

    def silent(self, h: BaseHTTPRequestHandler) -> None:
        self.stop.wait(60)  # accepts, reads the request, never answers
        h.close_connection = True

    @staticmethod
    def bomb(content_type: str) -> Route:
        return Route(GZIP_BOMB, content_type, headers={"Content-Encoding": "gzip"}, etag=False)


#: on the raw server of tests/ingest/hostile.py: misbehaviour below HTTP's politeness
RAW_FEED_OUTCOMES = {
    "/f/endless.xml": "too_large",
    "/f/br-bomb.xml": "too_large",
    "/f/raw-pages.xml": "ok",
}
RAW_PAGE_OUTCOMES = {
    "/p/endless.html": ("too_large", "failed"),
    "/p/hang.html": ("timeout", "failed"),
    "/p/deflate-bomb.html": ("too_large", "failed"),
}


@pytest.fixture
def hostile_world() -> Iterator[tuple[LoopbackServer, LoopbackServer, dict[str, str]]]:
    hostile = Hostile()
    raw_routes = {
        "/f/endless.xml": raw.endless(content_type=RSS_TYPE),
        "/f/br-bomb.xml": raw.bomb("br", size=16 * 1024 * 1024, content_type=RSS_TYPE),
        "/p/endless.html": raw.endless(),
        "/p/hang.html": raw.hang(),
        "/p/deflate-bomb.html": raw.bomb("deflate", size=16 * 1024 * 1024),
    }
    with (
        LoopbackServer() as server,
        LoopbackServer() as limited,
        raw.serve(raw_routes) as rawserver,
    ):
        raw_items = [
            Item(f"raw {i}", rawserver.url(path), guid=f"raw-{i}")
            for i, path in enumerate(RAW_PAGE_OUTCOMES)
        ]
        rawserver.routes["/f/raw-pages.xml"] = raw.respond(rss20(raw_items), content_type=RSS_TYPE)
        base = server.base_url
        corpus = build_corpus(base, per_feed=2)
        routes: dict[str, object] = dict(corpus.routes)
        routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", "text/plain")

        def page(path: str, seed: str, lang: str = "en") -> str:
            story = make_story(seed, lang=lang)
            routes[path] = Route(article_html(story, url=base + path).encode(), HTML_TYPE)
            return path

        def items(prefix: str, n: int = 2, lang: str = "en") -> list[Item]:
            return [
                item_for(
                    make_story(f"{prefix}{i}", lang=lang),
                    base + page(f"/{prefix}/{i}.html", f"{prefix}{i}", lang),
                )
                for i in range(n)
            ]

        routes["/f/rss091.xml"] = Route(rss091(items("old")), "text/xml")
        routes["/f/podcast.xml"] = Route(podcast(items("pod")), RSS_TYPE)
        routes["/f/german.xml"] = Route(rss20(items("de", lang="de"), language="de"), RSS_TYPE)
        french = items("fr", lang="fr")
        french[0] = Item(**{**french[0].__dict__, "title": "Réforme: l'État à Noël"})
        routes["/f/latin1.xml"] = Route(
            rss20(french, language="fr", encoding="iso-8859-1"), "application/rss+xml"
        )
        dup = base + page("/dup/story.html", "dup")
        routes["/f/dupguid.xml"] = Route(
            rss20(
                [
                    Item("First title", dup, guid="same-guid"),
                    Item("Edited title", dup, guid="same-guid"),
                    Item(
                        "Impossible date",
                        base + page("/dup/date.html", "date"),
                        guid="date",
                        pub_raw="Fri, 31 Feb 2024 25:61:00 GMT",
                    ),
                ]
            ),
            RSS_TYPE,
        )
        # hostile pages, all linked from one feed
        nul_story = make_story("nul")
        nul_html = article_html(nul_story, url=base + "/p/nul.html").replace(
            "</h1>", "</h1>\n<p>Before the NUL \x00 after the NUL, a full sentence of text.</p>", 1
        )
        routes["/p/nul.html"] = Route(nul_html.encode(), HTML_TYPE)
        latin = article_html(make_story("latin"), url=base + "/p/latin1-as-utf8.html").replace(
            "</h1>",
            "</h1>\n<p>Caf\u00e9 cr\u00e8me served at the \u00e9lys\u00e9e palace today.</p>",
            1,
        )
        routes["/p/latin1-as-utf8.html"] = Route(latin.encode("latin-1", "replace"), HTML_TYPE)
        routes["/p/bomb.html"] = Hostile.bomb(HTML_TYPE)
        routes["/p/drip.html"] = hostile.drip(HTML_TYPE)
        routes["/p/episode.mp3"] = Route(b"ID3\x03\x00" + b"\x00" * 2000, "audio/mpeg")
        routes["/private/secret.html"] = Route(b"<html>secret</html>", HTML_TYPE)
        routes["/p/to-metadata"] = hostile.redirect("http://169.254.169.254/latest/meta-data/")
        page_items = [
            Item(
                f"hostile {i}",
                target if target.startswith("http") else base + target,
                guid=f"hostile-{i}",
            )
            for i, target in enumerate(PAGE_OUTCOMES)
        ]
        routes["/f/pages.xml"] = Route(rss20(page_items), RSS_TYPE)
        # hostile feeds
        routes["/f/ssrf-metadata"] = hostile.redirect("http://169.254.169.254/latest/meta-data/")
        routes["/f/ssrf-ipv6"] = hostile.redirect(f"http://[::1]:{server.port}/f/rss091.xml")
        routes["/f/loop"] = hostile.redirect("/f/loop")
        routes["/f/bomb.xml"] = Hostile.bomb(RSS_TYPE)
        routes["/f/drip.xml"] = hostile.drip(RSS_TYPE)
        routes["/f/silent.xml"] = hostile.silent
        routes["/f/entities.xml"] = Route(ENTITY_BOMB, RSS_TYPE)
        routes["/f/html.xml"] = Route(
            article_html(make_story("html"), url=base).encode(), HTML_TYPE
        )
        routes["/f/empty.xml"] = Route(b"", RSS_TYPE)
        routes["/f/gone.xml"] = Route(b"gone", "text/plain", status=410)
        routes["/f/error.xml"] = Route(b"oops", "text/plain", status=500)
        routes["/f/unavailable.xml"] = Route(b"later", "text/plain", status=503)
        server.routes.update(routes)  # type: ignore[arg-type]
        # a 429 makes the client hold back the whole host: its own server
        limited.routes["/f/limited.xml"] = Route(
            b"slow down", "text/plain", status=429, headers={"Retry-After": "3600"}
        )
        urls = {path: base + path for path in FEED_OUTCOMES}
        urls.update({f"corpus:{name}": base + path for name, path in corpus.feeds.items()})
        urls["/f/limited.xml"] = limited.url("/f/limited.xml")
        urls.update({path: rawserver.url(path) for path in RAW_FEED_OUTCOMES})
        try:
            yield server, limited, urls
        finally:
            hostile.stop.set()


def test_hostile_batch(
    db_url: str, hostile_world: tuple[LoopbackServer, LoopbackServer, dict[str, str]]
) -> None:
    server, _limited, urls = hostile_world
    base = server.base_url
    add_feeds(db_url, list(urls.values()))
    settings = settings_for(
        db_url,
        http_timeout_s=2.0,
        max_feed_bytes=4 * 1024 * 1024,
        max_page_bytes=4 * 1024 * 1024,
        per_host_concurrency=8,
        batch_size=6,
    )
    started = datetime.now(UTC)
    summary = run_ingest(db_url, config=settings)
    assert summary.feeds_polled == len(urls)

    with psycopg.connect(db_url) as conn:
        feeds = {
            url: (outcome, enabled, due)
            for url, outcome, enabled, due in conn.execute(
                "select url, last_outcome, enabled, next_due_at from raw.feeds"
            ).fetchall()
        }
        logged = {
            (kind, url): outcome
            for kind, url, outcome in conn.execute(
                "select kind, url, outcome from raw.fetch_log"
            ).fetchall()
        }
        # -- every feed: its outcome on the feed row and in the fetch log
        expected = {urls[p]: o for p, o in {**FEED_OUTCOMES, **RAW_FEED_OUTCOMES}.items()}
        expected[urls["/f/limited.xml"]] = "rate_limited"
        for name in ("planet", "herald", "wire"):
            expected[urls[f"corpus:{name}"]] = "ok"
        for url, outcome in expected.items():
            assert feeds[url][0] == outcome, url
            assert logged[("feed", url)] == outcome, url
        assert feeds[urls["/f/gone.xml"]][1] is False  # 410 disables the feed
        assert feeds[urls["/f/limited.xml"]][2] >= started + timedelta(seconds=3600)
        assert feeds[urls["/f/error.xml"]][1] is True
        assert summary.feeds_failed == sum(o != "ok" for o in expected.values())

        # -- every hostile page: fetch outcome and the entry's state
        entries = {
            link: (status, attempts, error)
            for link, status, attempts, error in conn.execute(
                "select link, article_status, attempts, last_error from raw.feed_entries"
            ).fetchall()
        }
        raw_base = urls["/f/raw-pages.xml"].rsplit("/f/", 1)[0]
        pages = {base + p if p.startswith("/") else p: o for p, o in PAGE_OUTCOMES.items()}
        pages.update({raw_base + p: o for p, o in RAW_PAGE_OUTCOMES.items()})
        for url, (outcome, status) in pages.items():
            assert logged.get(("page", url)) == outcome, url
            assert entries[url][0] == status, url
            if outcome != "ok":
                assert entries[url][2].startswith(outcome), url
        assert logged[("robots", base + "/robots.txt")] == "ok"
        assert logged[("robots", raw_base + "/robots.txt")] == "not_found"  # allow all

        # -- feed content: duplicate GUIDs, impossible dates, encodings
        dup = conn.execute(
            "select title from raw.feed_entries where entry_key = 'same-guid'"
        ).fetchall()
        assert dup == [("Edited title",)]
        bad_date = conn.execute(
            "select published_at, date_invalid, published_raw from raw.feed_entries "
            "where entry_key = 'date'"
        ).fetchone()
        assert bad_date == (None, True, "Fri, 31 Feb 2024 25:61:00 GMT")
        assert conn.execute(
            "select count(*) from raw.feed_entries where title = 'Réforme: l''État à Noël'"
        ).fetchone() == (1,)

        # -- articles: NUL and bad bytes sanitised, languages, the rest landed
        nul_text = conn.execute(
            "select text from raw.articles where canonical_url = %s", (base + "/p/nul.html",)
        ).fetchone()
        assert nul_text is not None and "\x00" not in nul_text[0]
        assert "Before the NUL" in nul_text[0]
        latin = conn.execute(
            "select text from raw.articles where canonical_url = %s",
            (base + "/p/latin1-as-utf8.html",),
        ).fetchone()
        assert latin is not None and "served at the" in latin[0]
        languages = dict(
            conn.execute(
                "select split_part(canonical_url, '/', 4), min(language) from raw.articles "
                "where canonical_url ~ '/(de|fr)/' group by 1"
            ).fetchall()
        )
        assert languages == {"de": "de", "fr": "fr"}
        good_links = [link for link, (status, _, _) in entries.items() if link not in pages]
        assert good_links and all(entries[link][0] in ("ok", "duplicate") for link in good_links)
        landed = conn.execute("select count(*) from raw.articles").fetchone()
        # corpus (5 shared/copy pages + 3 feeds x 2) + 2 old + 2 podcast + 4 de/fr + 2 dup
        # feed pages + the 2 hostile pages that are fine
        assert landed == (11 + 2 + 2 + 4 + 2 + 2,)
        shared = conn.execute(
            "select count(*) from raw.article_sources s join raw.articles a using (article_id) "
            "where a.canonical_url = %s",
            (base + "/planet/news/shared.html",),
        ).fetchone()
        assert shared == (3,)
        run = conn.execute(
            "select status from raw.runs where run_id = %s", (summary.run_id,)
        ).fetchone()
        assert run == ("partial",)

    # -- a second pass over the same server: nothing new, nothing duplicated
    before = counts(db_url)
    again = run_ingest(db_url, config=settings, now=datetime.now(UTC) + timedelta(days=3))
    assert again.articles_new == 0 and again.entries_new == 0
    assert counts(db_url) == before
    with psycopg.connect(db_url) as conn:
        outcomes = dict(conn.execute("select url, last_outcome from raw.feeds").fetchall())
    for name in ("planet", "herald", "wire"):  # ETag: 304, nothing parsed
        assert outcomes[urls[f"corpus:{name}"]] == "not_modified"
    assert outcomes[urls["/f/bomb.xml"]] == "too_large"  # and the hostile ones fail again
