"""The annotation tables through the storage layer: the one backlog rule, the
annotator's read of an article, and idempotent batch writes."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterator

import psycopg
import pytest

from storage import annotations


@pytest.fixture
def conn(db_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(db_url, autocommit=True) as connection:
        yield connection


def add_article(
    conn: psycopg.Connection,
    n: int,
    *,
    duplicate_of: int | None = None,
    html: bytes | None = None,
) -> int:
    digest = hashlib.sha256(f"article {n}".encode()).hexdigest()
    row = conn.execute(
        """
        insert into raw.articles (
            canonical_url, url, host, text, word_count, content_hash, extractor,
            extractor_version, fetched_at, language, duplicate_of, raw_html_gz
        ) values (%s, %s, 'example.test', %s, 2, %s, 'test', '1', now(), 'en', %s, %s)
        returning article_id
        """,
        (
            f"http://example.test/{n}",
            f"http://example.test/{n}",
            f"article {n}",
            digest,
            duplicate_of,
            gzip.compress(html) if html is not None else None,
        ),
    ).fetchone()
    assert row is not None
    return int(row[0])


def annotated(article_id: int, version: str) -> tuple[object, ...]:
    return (article_id, version, "ok", "en", "rules", 0, 0, 0, None, None, None, None)


def test_the_backlog_is_current_version_non_duplicates_oldest_first(
    conn: psycopg.Connection,
) -> None:
    ids = [add_article(conn, n) for n in range(6)]
    duplicate = add_article(conn, 99, duplicate_of=ids[0])
    annotations.write_rows(
        conn,
        {
            "annotated_articles": [
                annotated(ids[0], "v1"),
                annotated(ids[1], "v0"),  # an older version does not count
            ]
        },
    )
    pending = annotations.pending_article_ids(conn, "v1")
    assert pending == ids[1:]
    assert duplicate not in pending
    assert annotations.count_pending(conn, "v1") == len(pending)
    assert annotations.pending_article_ids(conn, "v1", first=ids[2], last=ids[3]) == ids[2:4]
    assert annotations.count_pending(conn, "v1", first=ids[2], last=ids[3]) == 2
    assert annotations.pending_article_ids(conn, "v1", limit=2) == ids[1:3]
    # asking for given ids keeps the rule: done and duplicate ones stay out
    asked = annotations.pending_article_ids(conn, "v1", article_ids=[ids[0], ids[4], duplicate])
    assert asked == [ids[4]]
    assert annotations.pending_article_ids(conn, "v1", article_ids=[]) == []
    assert annotations.pending_article_ids(conn, "v0") == [i for i in ids if i != ids[1]]


def test_read_sources_gives_categories_and_the_page_head(conn: psycopg.Connection) -> None:
    with_page = add_article(conn, 1, html=b"<html><body>hello</body></html>")
    bare = add_article(conn, 2)
    feed = conn.execute(
        "insert into raw.feeds (url, name) values ('http://example.test/feed', 'f')"
        " returning feed_id"
    ).fetchone()
    assert feed is not None
    for key, categories in (("a", ["World", "Politics"]), ("b", ["World"])):
        conn.execute(
            "insert into raw.feed_entries (feed_id, entry_key, categories, entry_hash)"
            " values (%s, %s, %s, 'h')",
            (feed[0], key, categories),
        )
        conn.execute(
            "insert into raw.article_sources (article_id, feed_id, entry_key, linked_url)"
            " values (%s, %s, %s, 'http://example.test/1')",
            (with_page, feed[0], key),
        )
    sources = annotations.read_sources(conn, [bare, with_page, 10_000], html_bytes=65536)
    assert [s.article_id for s in sources] == [with_page, bare]  # by id; unknown ids left out
    first, second = sources
    assert first.categories == ("Politics", "World")
    assert first.html_head_gz is not None
    assert gzip.decompress(first.html_head_gz).startswith(b"<html>")
    assert second.categories == () and second.html_head_gz is None
    assert second.text == "article 2" and second.language == "en"


def test_write_rows_writes_a_batch_once_and_skips_unknown_articles(
    conn: psycopg.Connection,
) -> None:
    article = add_article(conn, 1)
    rows = {
        "annotated_articles": [annotated(article, "v1"), annotated(10_000, "v1")],
        "sentences": [(article, "v1", 0, 0, 9, "article 1"), (10_000, "v1", 0, 0, 1, "x")],
    }
    assert annotations.write_rows(conn, rows) == [article]

    def count(table: str) -> int:
        row = conn.execute(f"select count(*) from raw.{table}").fetchone()
        return int(row[0]) if row else 0

    assert (count("annotated_articles"), count("sentences")) == (1, 1)
    changed = {**rows, "sentences": [(article, "v1", 1, 0, 7, "article")]}
    assert annotations.write_rows(conn, changed) == []  # already there: nothing added
    assert (count("annotated_articles"), count("sentences")) == (1, 1)
    assert annotations.write_rows(conn, {}) == []
