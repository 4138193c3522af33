"""Bulk loads of synthetic rows into ``raw``, for the warehouse benchmark (``bench/dbt_bench.py``).

COPY, not row inserts: the benchmark loads tens of thousands of annotated
articles and times dbt on them, not the load.  The rows are tuples in the
column orders below (the benchmark builds them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import psycopg
from psycopg import sql

__all__ = [
    "add_feeds",
    "copy_annotated_articles",
    "feed_ids",
    "reserve_article_ids",
    "row_counts",
]

#: the tables the benchmark reports the size of, raw and built
COUNTED = (
    "raw.articles",
    "raw.actor_mentions",
    "raw.event_mentions",
    "marts.fct_event_mentions",
    "marts.fct_events",
)

ARTICLE_COLUMNS = (
    "article_id, canonical_url, url, feed_id, title, published_at, host, text, word_count,"
    " content_hash, cluster_id, extractor, extractor_version, first_seen_at, fetched_at,"
    " loaded_at, updated_at"
)
ANNOTATED_COLUMNS = (
    "article_id, annotator_version, status, language, pipeline, n_sentences,"
    " n_actor_mentions, n_event_mentions, annotated_at"
)
ACTOR_MENTION_COLUMNS = (
    "article_id, annotator_version, mention_index, sentence_index, start_char, end_char, text,"
    " label, method, dictionary_key, is_metonym, nationality, role, sponsor"
)
EVENT_MENTION_COLUMNS = (
    "article_id, annotator_version, event_index, sentence_index, trigger_start, trigger_end,"
    " trigger_text, trigger_lemma, predicate, source_mentions, target_mentions, attributed_to,"
    " negated, modality, is_background, event_date, confidence"
)


def add_feeds(conn: psycopg.Connection[Any], feeds: Iterable[tuple[str, str]]) -> None:
    """(url, name) feeds into the catalogue."""
    for url, name in feeds:
        conn.execute("insert into raw.feeds (url, name) values (%s, %s)", (url, name))


def feed_ids(conn: psycopg.Connection[Any]) -> list[int]:
    return [int(r[0]) for r in conn.execute("select feed_id from raw.feeds order by feed_id")]


def reserve_article_ids(conn: psycopg.Connection[Any], upto: int) -> None:
    """Move the article id sequence past ids the caller assigns itself."""
    conn.execute("select setval(pg_get_serial_sequence('raw.articles', 'article_id'), %s)", (upto,))


def _copy(cur: psycopg.Cursor[Any], statement: str, rows: Iterable[Sequence[Any]]) -> None:
    with cur.copy(statement) as copy:  # type: ignore[arg-type]
        for row in rows:
            copy.write_row(row)


def copy_annotated_articles(
    conn: psycopg.Connection[Any],
    *,
    articles: Iterable[Sequence[Any]],
    annotated: Iterable[Sequence[Any]],
    sentences: Iterable[Sequence[Any]],
    actor_mentions: Iterable[Sequence[Any]],
    event_mentions: Iterable[Sequence[Any]],
) -> None:
    """Articles with their own ids, and their annotations, with COPY (caller commits)."""
    with conn.cursor() as cur:
        # raw.articles.article_id is GENERATED ALWAYS: copy into a look-alike,
        # then insert with OVERRIDING SYSTEM VALUE
        cur.execute(
            "create temp table bench_articles (like raw.articles including defaults) on commit drop"
        )
        _copy(cur, f"copy bench_articles ({ARTICLE_COLUMNS}) from stdin", articles)
        cur.execute("insert into raw.articles overriding system value select * from bench_articles")
        _copy(cur, f"copy raw.annotated_articles ({ANNOTATED_COLUMNS}) from stdin", annotated)
        _copy(cur, "copy raw.sentences from stdin", sentences)
        _copy(cur, f"copy raw.actor_mentions ({ACTOR_MENTION_COLUMNS}) from stdin", actor_mentions)
        _copy(cur, f"copy raw.event_mentions ({EVENT_MENTION_COLUMNS}) from stdin", event_mentions)


def row_counts(conn: psycopg.Connection[Any], tables: Sequence[str] = COUNTED) -> dict[str, int]:
    """Rows in each table (``schema.name``)."""
    counts = {}
    for table in tables:
        schema, name = table.split(".")
        row = conn.execute(
            sql.SQL("select count(*) from {}").format(sql.Identifier(schema, name))
        ).fetchone()
        counts[table] = int(row[0]) if row else 0
    return counts
