"""Annotations to rows: an :class:`AnnotatedDocument` becomes the rows of the
annotation tables, written by :func:`storage.annotations.write_rows`.

A batch is one transaction (COPY into temporary tables, one merge per table;
see :mod:`storage.annotations`): a batch that another worker finished first,
or that is re-run after a crash, neither fails nor duplicates anything, and a
crash before the commit leaves no trace of the batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg

from storage import annotations
from storage.annotations import TABLES
from transforms.document import AnnotatedDocument, Place

__all__ = ["TABLES", "rows_of", "write_batch"]


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
    """The rows ``doc`` contributes to each table, in :data:`TABLES`' column order."""
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
    return annotations.write_rows(conn, rows)
