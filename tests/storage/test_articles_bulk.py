"""Bulk COPY of extracted articles: every row lands with its word count."""

from __future__ import annotations

import psycopg

from storage.articles_bulk import ExtractedArticle, copy_articles


def test_copy_articles_writes_every_row(db_url: str) -> None:
    articles = [
        ExtractedArticle(
            url=f"http://bulk.test/{n}",
            host="bulk.test",
            text=f"Iran met Iraq {n}.",
            content_hash=f"hash-{n}",
            fetched_at="2024-12-02T12:00:00Z",
            language="en",
        )
        for n in range(3)
    ]
    with psycopg.connect(db_url, autocommit=True) as conn:
        assert copy_articles(conn, iter(articles)) == 3
        rows = conn.execute(
            "select canonical_url, word_count, extractor, language from raw.articles"
            " order by article_id"
        ).fetchall()
    assert rows == [(f"http://bulk.test/{n}", 4, "bulk", "en") for n in range(3)]
