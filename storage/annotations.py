"""The annotation tables: ``raw.annotated_articles``, ``raw.sentences``,
``raw.actor_mentions``, ``raw.event_mentions``, and the annotation backlog.

**The backlog** ("which articles still need annotating") is defined here
once, and both the ``newsflow annotate`` command (``transforms.pipeline``) and
the ``news_annotate`` DAG's planner (``newsflow.orchestration.annotation``)
read it: an article is pending when ``raw.annotated_articles`` has no row for
it with the given annotator version, whatever the status of rows of older
versions (a new annotator version annotates everything again beside the old
output), and it is not an exact duplicate (``duplicate_of`` set: it repeats
its original, which is annotated instead).  Oldest id first.

**Writing** a batch: the rows of every table are COPYed into temporary
tables, then merged into ``raw`` in foreign-key order, inside the caller's
transaction.  The parent row (``raw.annotated_articles``) is inserted with
``ON CONFLICT DO NOTHING`` and only the articles it actually inserted get
their sentences, mentions and events, so a batch that another worker finished
first, or that is re-run after a crash, neither fails nor duplicates
anything; an article deleted meanwhile is skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql

__all__ = [
    "TABLES",
    "AnnotationSource",
    "copy_rows",
    "count_pending",
    "pending_article_ids",
    "read_sources",
    "write_rows",
]

ANNOTATED = (
    "article_id",
    "annotator_version",
    "status",
    "language",
    "pipeline",
    "n_sentences",
    "n_actor_mentions",
    "n_event_mentions",
    "error",
    "truncated_at",
    "topic",
    "topic_evidence",
)
SENTENCES = ("article_id", "annotator_version", "sentence_index", "start_char", "end_char", "text")
MENTIONS = (
    "article_id",
    "annotator_version",
    "mention_index",
    "sentence_index",
    "start_char",
    "end_char",
    "text",
    "label",
    "method",
    "dictionary_key",
    "resolved_text",
    "resolved_mention_index",
    "is_metonym",
    "nationality",
    "role",
    "sponsor",
    "geonameid",
    "place_country",
    "place_admin1",
    "latitude",
    "longitude",
    "place_precision",
    "is_descriptor",
)
EVENTS = (
    "article_id",
    "annotator_version",
    "event_index",
    "sentence_index",
    "trigger_start",
    "trigger_end",
    "trigger_text",
    "trigger_lemma",
    "predicate",
    "source_mentions",
    "target_mentions",
    "source_text",
    "target_text",
    "attributed_to",
    "negated",
    "modality",
    "is_background",
    "place_text",
    "place_source",
    "place_mention_index",
    "geonameid",
    "place_country",
    "place_admin1",
    "latitude",
    "longitude",
    "place_precision",
    "event_date",
    "date_cue",
    "sponsor_text",
    "confidence",
)
#: table -> columns, in the order rows are merged (parents first); rows given
#: to :func:`write_rows` are tuples in exactly this column order
TABLES: dict[str, tuple[str, ...]] = {
    "annotated_articles": ANNOTATED,
    "sentences": SENTENCES,
    "actor_mentions": MENTIONS,
    "event_mentions": EVENTS,
}
KEYS = {
    "annotated_articles": ("article_id", "annotator_version"),
    "sentences": ("article_id", "annotator_version", "sentence_index"),
    "actor_mentions": ("article_id", "annotator_version", "mention_index"),
    "event_mentions": ("article_id", "annotator_version", "event_index"),
}

# -- the backlog ------------------------------------------------------------------
_PENDING_WHERE = """
from raw.articles as a
where a.duplicate_of is null
  and (%(ids)s::bigint[] is null or a.article_id = any(%(ids)s::bigint[]))
  and (%(first)s::bigint is null or a.article_id >= %(first)s::bigint)
  and (%(last)s::bigint is null or a.article_id <= %(last)s::bigint)
  and not exists (
      select 1
      from raw.annotated_articles as aa
      where aa.article_id = a.article_id
        and aa.annotator_version = %(version)s
  )
"""
_PENDING = "select a.article_id" + _PENDING_WHERE + "order by a.article_id limit %(limit)s"
_PENDING_COUNT = "select count(*)" + _PENDING_WHERE


def _backlog_params(
    version: str,
    article_ids: Sequence[int] | None,
    first: int | None,
    last: int | None,
    limit: int | None = None,
) -> dict[str, Any]:
    return {
        "version": version,
        "ids": [int(i) for i in article_ids] if article_ids is not None else None,
        "first": first,
        "last": last,
        "limit": limit,
    }


def pending_article_ids(
    conn: psycopg.Connection,
    version: str,
    *,
    article_ids: Sequence[int] | None = None,
    first: int | None = None,
    last: int | None = None,
    limit: int | None = None,
) -> list[int]:
    """Ids of the articles awaiting annotation by ``version``, oldest first.

    ``article_ids`` keeps only those ids, ``first``/``last`` only ids in that
    closed range, ``limit`` at most that many; the rule itself is the module's.
    """
    params = _backlog_params(version, article_ids, first, last, limit)
    return [int(row[0]) for row in conn.execute(_PENDING, params).fetchall()]


def count_pending(
    conn: psycopg.Connection,
    version: str,
    *,
    first: int | None = None,
    last: int | None = None,
) -> int:
    """How many articles await annotation by ``version`` (same rule as the ids)."""
    row = conn.execute(_PENDING_COUNT, _backlog_params(version, None, first, last)).fetchone()
    return int(row[0]) if row else 0


# -- what the annotator reads -----------------------------------------------------
_SOURCES = """
select
    a.article_id, a.text, a.published_at, a.language, a.url, a.title,
    coalesce(
        (
            select array_agg(distinct category order by category)
            from raw.article_sources as s
            inner join raw.feed_entries as e
                on e.feed_id = s.feed_id and e.entry_key = s.entry_key
            cross join lateral unnest(e.categories) as category
            where s.article_id = a.article_id
        ),
        '{}'
    ) as categories,
    substring(a.raw_html_gz from 1 for %(html_bytes)s) as html_head_gz
from raw.articles as a
where a.article_id = any(%(ids)s)
order by a.article_id
"""


@dataclass(frozen=True, slots=True)
class AnnotationSource:
    """One article as the annotator reads it."""

    article_id: int
    text: str
    published_at: datetime | None
    language: str | None
    url: str | None
    title: str | None
    #: the feed categories of every entry that led to the article, sorted, distinct
    categories: tuple[str, ...]
    #: the first ``html_bytes`` bytes of the stored gzipped page (``None``: no page)
    html_head_gz: bytes | None


def read_sources(
    conn: psycopg.Connection, article_ids: Sequence[int], *, html_bytes: int
) -> list[AnnotationSource]:
    """The articles ``article_ids`` (those that exist), by id."""
    rows = conn.execute(_SOURCES, {"ids": list(article_ids), "html_bytes": html_bytes})
    return [
        AnnotationSource(
            int(article_id),
            text or "",
            published_at,
            language,
            url,
            title,
            tuple(categories or ()),
            bytes(html) if html is not None else None,
        )
        for article_id, text, published_at, language, url, title, categories, html in rows
    ]


# -- writing ----------------------------------------------------------------------
def copy_rows(
    conn: psycopg.Connection, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """COPY ``rows`` into the temporary twin of ``raw.<table>`` (dropped at commit)."""
    temp = sql.Identifier(f"tmp_{table}")
    conn.execute(
        sql.SQL(
            "create temp table if not exists {} (like {} including defaults) on commit drop"
        ).format(temp, sql.Identifier("raw", table))
    )
    statement = sql.SQL("copy {} ({}) from stdin").format(
        temp, sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )
    with conn.cursor() as cur, cur.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _merge(conn: psycopg.Connection, table: str, columns: Sequence[str]) -> list[int]:
    cols = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    keys = sql.SQL(", ").join(sql.Identifier(c) for c in KEYS[table])
    temp = sql.Identifier(f"tmp_{table}")
    target = sql.Identifier("raw", table)
    if table == "annotated_articles":
        query = sql.SQL(
            "insert into {target} ({cols}) select {cols} from {temp} as t "
            "where exists (select 1 from raw.articles as a where a.article_id = t.article_id) "
            "on conflict ({keys}) do nothing returning article_id"
        ).format(target=target, cols=cols, temp=temp, keys=keys)
        return [int(row[0]) for row in conn.execute(query).fetchall()]
    query = sql.SQL(
        "insert into {target} ({cols}) select {cols} from {temp} as t "
        "where t.article_id in (select article_id from tmp_inserted) "
        "on conflict ({keys}) do nothing"
    ).format(target=target, cols=cols, temp=temp, keys=keys)
    conn.execute(query)
    return []


def write_rows(
    conn: psycopg.Connection, rows: Mapping[str, Sequence[tuple[Any, ...]]]
) -> list[int]:
    """Store one batch of annotation rows in one transaction; return the article ids written.

    ``rows`` maps each table of :data:`TABLES` to its rows (tuples in that
    table's column order; a missing table has none).  Articles that already
    have a row for the same annotator version (a rerun, or a concurrent
    worker) are left as they are, with all their rows of the batch.
    """
    if not rows.get("annotated_articles"):
        return []
    with conn.transaction():
        for name, columns in TABLES.items():
            copy_rows(conn, name, columns, rows.get(name, ()))
        inserted = _merge(conn, "annotated_articles", ANNOTATED)
        conn.execute(
            "create temp table if not exists tmp_inserted (article_id bigint) on commit drop"
        )
        with conn.cursor() as cur, cur.copy("copy tmp_inserted (article_id) from stdin") as copy:
            for article_id in inserted:
                copy.write_row((article_id,))
        for name, columns in list(TABLES.items())[1:]:
            _merge(conn, name, columns)
    return inserted
