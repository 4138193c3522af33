"""Bulk loading of already extracted articles into ``raw.articles`` with COPY.

For benchmarks and scratch databases that need many articles fast without
running ingestion (the annotate benchmark).  Ingestion itself writes
articles through ``storage.articles``; this module only adds rows, with no
deduplication: the caller gives unique URLs and content hashes.  (Kept apart
from ``storage.articles``, which another part of the team owns; the two may
merge.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import psycopg

__all__ = ["ExtractedArticle", "copy_articles"]


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    url: str
    host: str
    text: str
    content_hash: str
    fetched_at: datetime | str
    language: str | None = None
    extractor: str = "bulk"
    extractor_version: str = "1"
    #: default: ``url``
    canonical_url: str | None = None


_COPY = (
    "copy raw.articles (canonical_url, url, host, text, word_count, content_hash,"
    " extractor, extractor_version, fetched_at, language) from stdin"
)


def copy_articles(conn: psycopg.Connection, articles: Iterable[ExtractedArticle]) -> int:
    """COPY ``articles`` into ``raw.articles``; returns how many were written."""
    written = 0
    with conn.cursor() as cur, cur.copy(_COPY) as copy:
        for a in articles:
            copy.write_row(
                (
                    a.canonical_url or a.url,
                    a.url,
                    a.host,
                    a.text,
                    len(a.text.split()),
                    a.content_hash,
                    a.extractor,
                    a.extractor_version,
                    a.fetched_at,
                    a.language,
                )
            )
            written += 1
    return written
