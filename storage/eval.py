"""The statements the evaluations run against ``raw`` on their scratch databases.

``newsflow eval events`` loads gold sentences as articles; the audit chain
(:mod:`newsflow.eval.audit_chain`) waits for pages, redoes annotations and
exports every event row with its article, sentence and input story.  The
joins to the marts are here too because they join ``raw`` tables; the column
lists of the marts come from the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import psycopg

__all__ = [
    "annotator_versions",
    "chain_counts",
    "delete_annotations",
    "due_entries",
    "event_rows",
    "insert_article",
    "mention_rows",
    "sentence_rows",
    "story_languages",
]

#: the current annotation of each article (dbt reads the same one)
_CURRENT = """
    select distinct on (article_id) article_id, annotator_version
    from raw.annotated_articles
    order by article_id, annotated_at desc, annotator_version desc
"""
#: article id -> the input id: the guid of the feed entry it was fetched for
_STORY_OF = """
    select article_id, min(entry_key) as story_id
    from raw.article_sources
    group by article_id
"""

#: the first report of an event, for diagnosis (``fct_event_mentions`` as ``m``)
_FIRST_MENTION = """(
    select to_jsonb(m) from marts.fct_event_mentions as m
    where m.event_id = e.event_id and m.article_id = e.first_article_id
    order by m.sentence_index, m.event_index, m.pair_index limit 1
)"""


def _first(row: Any) -> Any:
    """The first column of a row, whatever the row factory."""
    return next(iter(row.values())) if isinstance(row, dict) else row[0]


def insert_article(
    conn: psycopg.Connection[Any],
    *,
    canonical_url: str,
    title: str,
    published_at: datetime | None,
    host: str,
    text: str,
    content_hash: str,
    seen_at: datetime,
) -> int:
    """An English article made from a gold sentence (upserted by URL); its id."""
    row = conn.execute(
        """
        insert into raw.articles (
            canonical_url, url, title, published_at, host, language, text,
            word_count, content_hash, extractor, extractor_version, first_seen_at,
            fetched_at
        ) values (%s, %s, %s, %s, %s, 'en', %s, %s, %s, 'eval', '1', %s, %s)
        on conflict (canonical_url) do update set text = excluded.text
        returning article_id
        """,
        (
            canonical_url,
            canonical_url,
            title,
            published_at,
            host,
            text,
            len(text.split()),
            content_hash,
            seen_at,
            seen_at,
        ),
    ).fetchone()
    assert row is not None
    return int(_first(row))


def due_entries(conn: psycopg.Connection[Any]) -> int:
    """Feed entries whose page is waiting and due now."""
    row = conn.execute(
        "select count(*) from raw.feed_entries "
        "where article_status = 'pending' and next_attempt_at <= now()"
    ).fetchone()
    return int(_first(row)) if row else 0


def delete_annotations(conn: psycopg.Connection[Any]) -> int:
    """Delete every article annotation (sentences and mentions cascade); how many."""
    return int(conn.execute("delete from raw.annotated_articles").rowcount or 0)


def event_rows(
    conn: psycopg.Connection[Any], columns: Sequence[str], *, with_mention: bool
) -> list[Any]:
    """``marts.fct_events`` rows (these columns) with their first article and story.

    ``mention`` is the event's first report when ``with_mention``, else null.
    """
    select = ", ".join(f"e.{c}" for c in columns)
    mention = _FIRST_MENTION if with_mention else "null::jsonb"
    return conn.execute(
        f"""
        select {select},
            a.url as article_url, a.title as article_title, a.host as article_host,
            s.story_id, {mention} as mention
        from marts.fct_events as e
        left join raw.articles as a on a.article_id = e.first_article_id
        left join ({_STORY_OF}) as s on s.article_id = e.first_article_id
        order by e.first_article_id, e.event_id
        """  # type: ignore[arg-type]  # column names from information_schema
    ).fetchall()


def sentence_rows(conn: psycopg.Connection[Any]) -> list[Any]:
    """Every sentence of each article's current annotation, with its story."""
    return conn.execute(
        f"""
        select s.article_id, st.story_id, s.sentence_index, a.title as article_title,
            s.start_char, s.end_char, s.text
        from raw.sentences as s
        inner join ({_CURRENT}) as cur
            on cur.article_id = s.article_id and cur.annotator_version = s.annotator_version
        inner join raw.articles as a on a.article_id = s.article_id
        left join ({_STORY_OF}) as st on st.article_id = s.article_id
        order by s.article_id, s.sentence_index
        """  # type: ignore[arg-type]
    ).fetchall()


def mention_rows(conn: psycopg.Connection[Any]) -> list[Any]:
    """Every ``marts.fct_event_mentions`` row (``mention``) with its sentence and story."""
    return conn.execute(
        f"""
        select to_jsonb(m) as mention, s.text as sentence_text, st.story_id
        from marts.fct_event_mentions as m
        left join raw.sentences as s
            on s.article_id = m.article_id and s.annotator_version = m.annotator_version
            and s.sentence_index = m.sentence_index
        left join ({_STORY_OF}) as st on st.article_id = m.article_id
        order by m.article_id, m.event_index, m.pair_index
        """  # type: ignore[arg-type]
    ).fetchall()


def story_languages(conn: psycopg.Connection[Any]) -> list[Any]:
    """(``story_id``, ``language``) of every article."""
    return conn.execute(
        f"select st.story_id, a.language from raw.articles as a "
        f"left join ({_STORY_OF}) as st on st.article_id = a.article_id"  # type: ignore[arg-type]
    ).fetchall()


def chain_counts(conn: psycopg.Connection[Any]) -> dict[str, int]:
    """Articles, English articles, annotated articles, event candidates (current annotation)."""

    def one(query: str) -> int:
        found = conn.execute(query).fetchone()  # type: ignore[arg-type]
        return int(_first(found))

    return {
        "articles": one("select count(*) from raw.articles"),
        "english_articles": one(
            "select count(*) from raw.articles where language = 'en' or language like 'en-%'"
        ),
        "annotated_articles": one(f"select count(*) from ({_CURRENT}) as cur"),
        "candidates": one(
            f"select count(*) from raw.event_mentions as m inner join ({_CURRENT}) as cur "
            "on cur.article_id = m.article_id and cur.annotator_version = m.annotator_version"
        ),
    }


def annotator_versions(conn: psycopg.Connection[Any]) -> list[str]:
    """The annotator versions of the articles' current annotations."""
    rows = conn.execute(
        f"select distinct annotator_version from ({_CURRENT}) as cur order by 1"  # type: ignore[arg-type]
    ).fetchall()
    return [str(_first(r)) for r in rows]
