"""raw.articles and raw.article_sources through the storage layer, and dedup state."""

from __future__ import annotations

import psycopg

from storage import article_dedup, articles, feed_entries
from tests.storage.ingest_rows import add_feed, article, entry


def test_merge_rewrites_only_changed_rows(db_url: str) -> None:
    with psycopg.connect(db_url) as conn, conn.transaction():
        rows = [article("https://news.example/a"), article("https://news.example/b")]
        ids, inserted, updated = articles.merge(conn, rows)
        assert set(ids) == {r.canonical_url for r in rows} and inserted == set(ids.values())
        again = articles.merge(conn, rows)
        assert again == (ids, set(), set())
        changed = article("https://news.example/a", text="other words")
        _, inserted, updated = articles.merge(conn, [changed])
        assert inserted == set() and updated == {ids["https://news.example/a"]}


def test_links_are_found_by_canonical_url_or_entry_link(db_url: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        feed_id = add_feed(conn)
        feed_entries.upsert(conn, feed_id, [entry("amp", "https://news.example/a.amp")])
        (pending,) = feed_entries.pending_among(conn, feed_id, ["amp"])
        with conn.transaction():
            ids, _, _ = articles.merge(conn, [article("https://news.example/a")])
        aid = ids["https://news.example/a"]
        assert articles.find_by_url(conn, ["https://news.example/a.amp"]) == {}
        articles.link_entries(conn, [(aid, pending.ref)])
        found = articles.find_by_url(conn, ["https://news.example/a.amp", "https://x.example/"])
        assert found == {"https://news.example/a.amp": aid}
        assert articles.find_by_url(conn, []) == {}
        assert feed_entries.pending_among(conn, feed_id, ["amp"]) == []


def test_outdated_pages_by_id(db_url: str) -> None:
    with psycopg.connect(db_url) as conn, conn.transaction():
        rows = [
            article(f"https://news.example/{i}", text=f"text {i}", raw_html_gz=b"gz")
            for i in range(3)
        ]
        rows.append(article("https://news.example/nohtml", text="no html"))
        rows.append(article("https://news.example/new", text="new", extractor_version="v2"))
        ids, _, _ = articles.merge(conn, rows)
        first = articles.outdated(conn, "v2", after_id=0, limit=2)
        assert [r.canonical_url for r in first] == [
            "https://news.example/0",
            "https://news.example/1",
        ]
        rest = articles.outdated(conn, "v2", after_id=first[-1].article_id, limit=10)
        assert [r.article_id for r in rest] == [ids["https://news.example/2"]]
        assert rest[0].raw_html_gz == b"gz"


def test_dedup_state(db_url: str) -> None:
    with psycopg.connect(db_url) as conn, conn.transaction():
        ids, _, _ = articles.merge(
            conn,
            [
                article("https://news.example/a", text="same"),
                article("https://news.example/b", text="same"),
                article("https://news.example/c", text="near"),
            ],
        )
        a, b, c = (ids[f"https://news.example/{k}"] for k in "abc")
        assert article_dedup.mark_exact_duplicates(conn, [a, b, c]) == 1
        article_dedup.index(conn, [a, c], ([0, 0], [7, 7], [a, c]), [b"sa", b"sc"])
        members = article_dedup.bucket_members(conn, [0], [7], excluding=[c])
        assert members == [(0, 7, a)]
        assert article_dedup.signatures_of(conn, [a]) == [(a, b"sa", a)]
        article_dedup.set_clusters(conn, [a, c], [a, a])
        assert article_dedup.existing_clusters(conn, [a, b, c]) == {a: a, c: a}
        assert article_dedup.count_near(conn, [a, b, c]) == 1
        assert article_dedup.count_near(conn, []) == 0


def test_profile_counts_what_was_stored(db_url: str) -> None:
    with psycopg.connect(db_url) as conn, conn.transaction():
        empty = articles.profile(conn)
        assert (empty.articles, empty.sources) == (0, 0)
        articles.merge(conn, [article("https://news.example/a"), article("https://news.example/b")])
        stored = articles.profile(conn)
        assert stored.articles == 2 and stored.table_size
