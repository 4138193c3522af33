"""Which articles still await annotation (the ``news_annotate`` work list).

An article is pending when ``raw.annotated_articles`` has no row for it with
the annotator's current version, whatever the status of older versions: a new
annotator version annotates everything again beside the old output.  Exact
duplicates (``duplicate_of`` set) are not annotated: they repeat their original.
"""

from __future__ import annotations

import psycopg

__all__ = ["annotator_version", "pending_article_ids", "pending_count"]

_PENDING = """
select a.article_id
from raw.articles as a
where a.duplicate_of is null
  and (%(first)s::bigint is null or a.article_id >= %(first)s::bigint)
  and (%(last)s::bigint is null or a.article_id <= %(last)s::bigint)
  and not exists (
      select 1
      from raw.annotated_articles as aa
      where aa.article_id = a.article_id
        and aa.annotator_version = %(version)s
  )
order by a.article_id
"""


def annotator_version() -> str:
    """The annotator version the transforms stage writes (its public constant)."""
    import transforms
    import transforms.pipeline as pipeline

    for module in (pipeline, transforms):
        for name in ("ANNOTATOR_VERSION", "annotator_version"):
            value = getattr(module, name, None)
            if callable(value):
                value = value()
            if isinstance(value, str) and value:
                return value
    raise RuntimeError("transforms does not expose ANNOTATOR_VERSION")


def pending_article_ids(
    database_url: str,
    *,
    first: int | None = None,
    last: int | None = None,
    version: str | None = None,
) -> list[int]:
    """Ids of the articles awaiting annotation, optionally within ``[first, last]``."""
    params = {"first": first, "last": last, "version": version or annotator_version()}
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(_PENDING, params).fetchall()  # type: ignore[arg-type]
    return [int(row[0]) for row in rows]


def pending_count(database_url: str, *, version: str | None = None) -> int:
    return len(pending_article_ids(database_url, version=version))
