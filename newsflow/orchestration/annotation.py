"""Which articles still await annotation (the ``news_annotate`` work list).

The rule is :mod:`storage.annotations`' backlog (the one definition, which
``newsflow annotate`` uses as well): no ``raw.annotated_articles`` row with the
annotator's current version, exact duplicates excluded.  These helpers open a
connection and default the version to :data:`transforms.version.ANNOTATOR_VERSION`.
"""

from __future__ import annotations

from storage import annotations
from storage.connection import connect
from transforms.version import ANNOTATOR_VERSION

__all__ = ["pending_article_ids", "pending_count"]


def pending_article_ids(
    database_url: str,
    *,
    first: int | None = None,
    last: int | None = None,
    version: str | None = None,
) -> list[int]:
    """Ids of the articles awaiting annotation, optionally within ``[first, last]``."""
    with connect(database_url) as conn:
        return annotations.pending_article_ids(
            conn, version or ANNOTATOR_VERSION, first=first, last=last
        )


def pending_count(database_url: str, *, version: str | None = None) -> int:
    """How many articles await annotation."""
    with connect(database_url) as conn:
        return annotations.count_pending(conn, version or ANNOTATOR_VERSION)
