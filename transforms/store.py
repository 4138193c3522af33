"""Writing annotations to ``raw``: COPY into temporary tables, one merge per batch.

A batch is one transaction: the rows of every table are COPYed into
temporary tables, then merged into ``raw`` in foreign-key order.  The parent
row (``raw.annotated_articles``) is inserted with ``ON CONFLICT DO NOTHING``
and only the articles it actually inserted get their sentences, mentions and
events, so a batch that another worker finished first, or that is re-run
after a crash, neither fails nor duplicates anything; an article deleted
meanwhile is skipped.  A crash before the commit leaves no trace of the batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import sql

from transforms.types import AnnotatedDocument, Place

__all__ = ["TABLES", "write_batch"]

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
#: table -> columns, in the order rows are merged (parents first)
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


def _clean(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", "")
    return value


def _place(place: Place | None) -> tuple[Any, ...]:
    if place is None:
        return (None, None, None, None, None, None)
    return (
        place.geonameid,
        place.country,
        place.admin1,
        place.latitude,
        place.longitude,
        place.precision,
    )


def rows_of(article_id: int, doc: AnnotatedDocument) -> dict[str, list[tuple[Any, ...]]]:
    """The rows ``doc`` contributes to each table."""
    version = doc.annotator_version
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in TABLES}
    rows["annotated_articles"].append(
        (
            article_id,
            version,
            doc.status,
            doc.language,
            doc.pipeline,
            len(doc.sentences),
            len(doc.mentions),
            len(doc.events),
            _clean(doc.error),
            doc.truncated_at,
            doc.topic,
            _clean(doc.topic_evidence),
        )
    )
    for s in doc.sentences:
        rows["sentences"].append((article_id, version, s.index, s.start, s.end, _clean(s.text)))
    for m in doc.mentions:
        rows["actor_mentions"].append(
            (
                article_id,
                version,
                m.index,
                m.sentence_index,
                m.start,
                m.end,
                _clean(m.text),
                m.label,
                m.method,
                m.dictionary_key,
                _clean(m.resolved_text),
                m.resolved_index,
                m.is_metonym,
                _clean(m.nationality),
                _clean(m.role),
                _clean(m.sponsor),
                *_place(m.place),
                m.is_descriptor,
            )
        )
    for e in doc.events:
        rows["event_mentions"].append(
            (
                article_id,
                version,
                e.index,
                e.sentence_index,
                e.trigger_start,
                e.trigger_end,
                _clean(e.trigger_text),
                e.trigger_lemma,
                e.predicate,
                list(e.sources),
                list(e.targets),
                _clean(e.source_text),
                _clean(e.target_text),
                e.attributed_to,
                e.negated,
                e.modality,
                e.is_background,
                _clean(e.place_text),
                e.place_source,
                e.place_mention_index,
                *_place(e.place),
                e.event_date,
                _clean(e.date_cue),
                _clean(e.sponsor_text),
                e.confidence,
            )
        )
    return rows


def copy_rows(
    conn: psycopg.Connection, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """COPY ``rows`` into the temporary twin of ``raw.<table>``."""
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


def write_batch(
    conn: psycopg.Connection, results: Sequence[tuple[int, AnnotatedDocument]]
) -> list[int]:
    """Store ``results`` in one transaction; return the article ids written.

    Articles that already have a row for the same annotator version (a rerun,
    or a concurrent worker) are left as they are.
    """
    if not results:
        return []
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in TABLES}
    for article_id, doc in results:
        for name, table_rows in rows_of(article_id, doc).items():
            rows[name].extend(table_rows)
    with conn.transaction():
        for name, columns in TABLES.items():
            copy_rows(conn, name, columns, rows[name])
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
