"""One ingest pass against a real HTTP server on 127.0.0.1 and a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from ingest.catalog import FeedSpec, upsert_feeds
from ingest.options import IngestConfig
from ingest.pipeline import (
    IngestSummary,
    plan_batches,
    reextract_outdated,
    retry_failed_pages,
    run_ingest,
)
from newsflow.loopback import LoopbackServer, Route
from tests.ingest.site import Corpus, build_corpus, expected_counts

COUNTED = (
    "raw.feeds",
    "raw.feed_entries",
    "raw.articles",
    "raw.article_sources",
    "raw.article_lsh_bands",
    "raw.article_minhash",
)


def settings_for(db_url: str, **overrides: object) -> IngestConfig:
    """A small, fast config; ``overrides`` name fields of any of its parts."""
    values: dict[str, object] = dict(
        allowed_hosts=("127.0.0.1",),
        http_timeout_s=5.0,
        connect_timeout_s=2.0,
        workers=1,
        batch_size=4,
    )
    values.update(overrides)
    return config_with(IngestConfig(), **values)


def config_with(config: IngestConfig, **values: object) -> IngestConfig:
    """``config`` with each value set on the part that has a field of its name."""
    parts = {}
    for part in fields(config):
        current = getattr(config, part.name)
        names = {f.name for f in fields(current)}
        mine = {k: v for k, v in values.items() if k in names}
        parts[part.name] = replace(current, **mine) if mine else current
        values = {k: v for k, v in values.items() if k not in names}
    if values:
        raise TypeError(f"no config field named {sorted(values)}")
    return replace(config, **parts)  # type: ignore[arg-type]


def counts(db_url: str, tables: tuple[str, ...] = COUNTED) -> dict[str, int]:
    with psycopg.connect(db_url) as conn:
        return {
            t: conn.execute(f"select count(*) from {t}").fetchone()[0]  # type: ignore[index]
            for t in tables
        }


def add_feeds(db_url: str, urls: list[str]) -> None:
    with psycopg.connect(db_url) as conn:
        upsert_feeds(conn, [FeedSpec(name=f"feed {i}", url=u) for i, u in enumerate(urls)])


@pytest.fixture
def corpus_server() -> Iterator[tuple[LoopbackServer, Corpus]]:
    with LoopbackServer() as server:
        corpus = build_corpus(server.base_url)
        server.routes.update(corpus.routes)
        yield server, corpus


def later(days: int = 2) -> datetime:
    """A logical time at which every feed is due again."""
    return datetime.now(UTC) + timedelta(days=days)


def test_one_pass_lands_one_article_per_canonical_url(
    db_url: str, corpus_server: tuple[LoopbackServer, Corpus]
) -> None:
    server, corpus = corpus_server
    add_feeds(db_url, corpus.feed_urls)
    seen: list[tuple[str, int, int]] = []
    summary = run_ingest(db_url, config=settings_for(db_url), progress=lambda *a: seen.append(a))
    want = expected_counts(corpus)
    assert summary.feeds_polled == 3 and summary.feeds_failed == 0
    assert summary.entries_new == want["entries"]
    assert summary.articles_new == want["articles"]
    assert summary.duplicates_exact == 1 and summary.duplicates_near == 1
    assert summary.pages_failed == 0
    assert ("feeds", 3, 3) in seen and seen[-1][0] == "pages"
    # every page downloaded once, although three feeds carry the shared story
    page_requests = [p for m, p in server.requests if "/news/" in p or "/print/" in p]
    assert len(page_requests) == len(set(page_requests)) == want["articles"]

    with psycopg.connect(db_url) as conn:
        shared = corpus.url("/planet/news/shared.html")
        row = conn.execute(
            "select article_id, title, published_at, host, language, word_count, raw_html_gz "
            "is not null, extractor_version from raw.articles where canonical_url = %s",
            (shared,),
        ).fetchone()
        assert row is not None
        story = corpus.stories["/planet/news/shared.html"]
        assert row[1] == story.title and row[2] == story.published
        assert row[3] == "127.0.0.1" and row[4] == "en" and row[5] > 100 and row[6] and row[7]
        sources = conn.execute(
            "select linked_url from raw.article_sources where article_id = %s order by 1",
            (row[0],),
        ).fetchall()
        assert len(sources) == 3  # plain, utm_ variant, #fragment: one article
        assert any("utm_source" in s[0] for s in sources)
        # which copy came first depends on the network; one points at the other
        pairs = conn.execute(
            "select a.canonical_url, d.canonical_url from raw.articles a join raw.articles d "
            "on d.article_id = a.duplicate_of"
        ).fetchall()
        copies = {corpus.url("/planet/news/copied.html"), corpus.url("/planet/print/copied.html")}
        assert len(pairs) == 1 and set(pairs[0]) == copies
        clusters = conn.execute(
            "select canonical_url, cluster_id from raw.articles where cluster_id in "
            "(select cluster_id from raw.articles group by 1 having count(*) > 1)"
        ).fetchall()
        wires = {corpus.url("/herald/news/wire-copy.html"), corpus.url("/planet/news/wire.html")}
        assert {c[0] for c in clusters} == wires | copies
        assert len({c[1] for c in clusters}) == 2
        statuses = dict(
            conn.execute(
                "select article_status, count(*) from raw.feed_entries group by 1"
            ).fetchall()
        )
        assert statuses == {"ok": want["entries"] - 1, "duplicate": 1}
        health = conn.execute(
            "select count(*) from raw.feeds where extract_attempts > 0 and extract_failures = 0 "
            "and median_words > 100"
        ).fetchone()
        assert health == (3,)
        run = conn.execute(
            "select status, counts->>'articles_new' from raw.runs where run_id = %s",
            (summary.run_id,),
        ).fetchone()
        assert run == ("ok", str(want["articles"]))
        logged = dict(
            conn.execute("select kind, count(*) from raw.fetch_log group by 1").fetchall()
        )
        assert logged == {"feed": 3, "page": want["articles"], "robots": 1}


def test_second_pass_changes_nothing_and_304_costs_nothing(
    db_url: str, corpus_server: tuple[LoopbackServer, Corpus]
) -> None:
    server, corpus = corpus_server
    add_feeds(db_url, corpus.feed_urls)
    settings = settings_for(db_url)
    run_ingest(db_url, config=settings)
    before = counts(db_url)
    stamp = counts_stamp(db_url)
    server.requests.clear()
    again = run_ingest(db_url, config=settings, now=later())
    assert again.feeds_polled == 3 and again.feeds_not_modified == 3
    assert (again.entries_new, again.articles_new, again.articles_updated) == (0, 0, 0)
    assert counts(db_url) == before and counts_stamp(db_url) == stamp
    assert all(p.startswith("/feeds/") for _, p in server.requests)  # no page fetched
    # a server without validators: same bytes, nothing parsed or stored either
    for path in corpus.feeds.values():
        server.routes[path] = Route(server.routes[path].body, "application/xml", etag=False)  # type: ignore[union-attr]
    third = run_ingest(db_url, config=settings, now=later(4))
    assert third.feeds_not_modified == 3 and third.entries_new == 0
    assert counts(db_url) == before


def counts_stamp(db_url: str) -> tuple[object, ...]:
    with psycopg.connect(db_url) as conn:
        row = conn.execute("select max(updated_at), max(loaded_at) from raw.articles").fetchone()
        assert row is not None
        return tuple(row)


def test_new_items_and_edited_titles_on_a_later_pass(
    db_url: str, corpus_server: tuple[LoopbackServer, Corpus]
) -> None:
    from tests.ingest.site import item_for, make_story, rss20

    server, corpus = corpus_server
    add_feeds(db_url, corpus.feed_urls)
    settings = settings_for(db_url)
    run_ingest(db_url, config=settings)
    items = list(corpus.items["planet"])
    items[0] = type(items[0])(**{**items[0].__dict__, "title": "Edited headline"})
    fresh = make_story("fresh")
    corpus.add_page("/planet/news/fresh.html", fresh)
    server.routes.update(corpus.routes)
    items.append(item_for(fresh, corpus.url("/planet/news/fresh.html?utm_campaign=x")))
    server.routes[corpus.feeds["planet"]] = Route(rss20(items), "application/rss+xml")
    summary = run_ingest(db_url, config=settings, now=later())
    assert summary.entries_new == 2  # the new item and the edited one
    assert summary.articles_new == 1 and summary.pages_fetched == 1
    with psycopg.connect(db_url) as conn:
        title = conn.execute(
            "select title from raw.feed_entries where title = 'Edited headline'"
        ).fetchone()
        assert title is not None
        assert conn.execute(
            "select count(*) from raw.articles where canonical_url = %s",
            (corpus.url("/planet/news/fresh.html"),),
        ).fetchone() == (1,)


def test_failed_pages_are_retried_with_back_off(
    db_url: str, corpus_server: tuple[LoopbackServer, Corpus]
) -> None:
    server, corpus = corpus_server
    broken = "/planet/news/story-0-planet-1.html"
    good = server.routes[broken]
    server.routes[broken] = Route(b"busy", "text/plain", status=500)
    add_feeds(db_url, corpus.feed_urls)
    settings = settings_for(db_url, max_page_attempts=3)
    first = run_ingest(db_url, config=settings)
    assert first.pages_failed == 1 and first.outcomes.get("server_error") == 1
    with psycopg.connect(db_url) as conn:
        row = conn.execute(
            "select article_status, attempts, last_error, next_attempt_at from raw.feed_entries "
            "where canonical_url = %s",
            (corpus.url(broken),),
        ).fetchone()
        assert row is not None and row[:2] == ("failed", 1) and "server_error" in row[2]
        due = row[3]
        run = conn.execute(
            "select status from raw.runs where run_id = %s", (first.run_id,)
        ).fetchone()
        assert run == ("partial",)
    # not yet due: nothing happens
    early = retry_failed_pages(db_url, config=settings, now=due - timedelta(seconds=1))
    assert early.pages_fetched == 0
    server.routes[broken] = good
    retried = retry_failed_pages(db_url, config=settings, now=due)
    assert retried.articles_new == 1 and retried.pages_failed == 0
    assert retried.feeds_polled == 0
    with psycopg.connect(db_url) as conn:
        assert conn.execute(
            "select article_status, article_id is not null from raw.feed_entries "
            "where canonical_url = %s",
            (corpus.url(broken),),
        ).fetchone() == ("ok", True)


def test_pages_give_up_at_the_cap(db_url: str) -> None:
    from tests.ingest.site import Item, rss20

    with LoopbackServer() as server:
        server.routes["/feed.xml"] = Route(
            rss20([Item("Down", server.url("/down.html"), guid="down")]), "application/rss+xml"
        )
        server.routes["/down.html"] = Route(b"no", "text/plain", status=503)
        add_feeds(db_url, [server.url("/feed.xml")])
        settings = settings_for(db_url, max_page_attempts=2)
        run_ingest(db_url, config=settings)
        with psycopg.connect(db_url) as conn:
            due = conn.execute("select next_attempt_at from raw.feed_entries").fetchone()
        assert due is not None
        retry_failed_pages(db_url, config=settings, now=due[0])
        with psycopg.connect(db_url) as conn:
            assert conn.execute(
                "select article_status, attempts from raw.feed_entries"
            ).fetchone() == ("gave_up", 2)
        final = retry_failed_pages(db_url, config=settings, now=later(30))
        assert final.pages_fetched == 0
        with psycopg.connect(db_url) as conn:
            assert conn.execute(
                "select outcome, count(*) from raw.fetch_log where kind = 'page' group by 1"
            ).fetchall() == [("server_error", 2)]


def test_feed_ids_restrict_the_pass_and_plan_batches_groups_by_host(
    db_url: str, corpus_server: tuple[LoopbackServer, Corpus]
) -> None:
    _server, corpus = corpus_server
    add_feeds(db_url, [*corpus.feed_urls, "http://127.0.0.2:1/other.xml"])
    batches = plan_batches(db_url, max_batches=8)
    assert len(batches) == 2  # two hosts
    assert sorted(len(b) for b in batches) == [1, 3]
    assert plan_batches(db_url, max_batches=1) == [sorted(i for b in batches for i in b)]
    with psycopg.connect(db_url) as conn:
        planet = conn.execute(
            "select feed_id from raw.feeds where url = %s", (corpus.feed_urls[0],)
        ).fetchone()
    assert planet is not None
    summary = run_ingest(db_url, config=settings_for(db_url), feed_ids=[planet[0]])
    assert summary.feeds_polled == 1
    assert counts(db_url, ("raw.feed_entries",))["raw.feed_entries"] == len(corpus.items["planet"])


def test_reextract_outdated_rewrites_from_raw_html(
    db_url: str, corpus_server: tuple[LoopbackServer, Corpus]
) -> None:
    server, corpus = corpus_server
    add_feeds(db_url, corpus.feed_urls[:1])
    run_ingest(db_url, config=settings_for(db_url))
    with psycopg.connect(db_url) as conn:
        conn.execute("update raw.articles set extractor_version = 'old', text = 'stale'")
        n = conn.execute("select count(*) from raw.articles").fetchone()
        conn.commit()
    assert n is not None
    server.requests.clear()
    done = reextract_outdated(db_url, config=settings_for(db_url), limit=3)
    assert done == 3
    assert reextract_outdated(db_url, config=settings_for(db_url)) == n[0] - 3
    with psycopg.connect(db_url) as conn:
        assert conn.execute(
            "select count(*) from raw.articles where text = 'stale' or extractor_version = 'old'"
        ).fetchone() == (0,)
    assert reextract_outdated(db_url, config=settings_for(db_url)) == 0
    assert server.requests == []  # the stored HTML was enough


def test_summary_is_json_able() -> None:
    import json

    s = IngestSummary(run_id="r", outcomes={"ok": 2})
    assert json.loads(json.dumps(s.to_dict()))["outcomes"] == {"ok": 2}
