"""Duplicate state of ``raw.articles``: exact copies, MinHash signatures, LSH band buckets.

``raw.article_minhash`` keeps each article's signature (bytes) and
``raw.article_lsh_bands`` its band buckets, so later batches find candidates
without recomputing; ``raw.articles.duplicate_of`` and ``cluster_id`` hold the
verdicts.  The matching itself (Jaccard estimates, who joins which cluster) is
``ingest.dedup``'s; this module only reads and writes the rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

__all__ = [
    "bucket_members",
    "count_near",
    "existing_clusters",
    "index",
    "mark_exact_duplicates",
    "set_clusters",
    "signatures_of",
]


def mark_exact_duplicates(conn: psycopg.Connection, article_ids: Sequence[int]) -> int:
    """Point each article at the earliest other article with the same content hash.

    The earliest article (lowest id) is the original; it never points at a
    later one.  Returns how many of ``article_ids`` are exact duplicates.
    """
    if not article_ids:
        return 0
    row = conn.execute(
        """
        with firsts as (
            select a.article_id,
                   (select min(b.article_id) from raw.articles b
                     where b.content_hash = a.content_hash) as first_id
              from raw.articles a
             where a.article_id = any(%(ids)s)
        ), changed as (
            update raw.articles a
               set duplicate_of = case when f.first_id < a.article_id then f.first_id end
              from firsts f
             where a.article_id = f.article_id
               and a.duplicate_of is distinct from
                   (case when f.first_id < a.article_id then f.first_id end)
            returning a.article_id
        )
        select count(*) filter (where f.first_id < f.article_id) from firsts f
        """,
        {"ids": list(article_ids)},
    ).fetchone()
    return int(row[0]) if row else 0


def bucket_members(
    conn: psycopg.Connection,
    bands: Sequence[int],
    buckets: Sequence[int],
    *,
    excluding: Sequence[int],
) -> list[tuple[int, int, int]]:
    """(band, bucket, article_id) of the indexed articles in the given (band, bucket)
    pairs, except the articles ``excluding``."""
    return conn.execute(
        """
        select distinct l.band, l.bucket, l.article_id
          from raw.article_lsh_bands l
          join unnest(%(bands)s::smallint[], %(buckets)s::bigint[]) as q(band, bucket)
            on l.band = q.band and l.bucket = q.bucket
         where not (l.article_id = any(%(ids)s))
        """,
        {"bands": list(bands), "buckets": list(buckets), "ids": list(excluding)},
    ).fetchall()


def signatures_of(
    conn: psycopg.Connection, article_ids: Sequence[int]
) -> list[tuple[int, bytes, int]]:
    """(article_id, signature bytes, cluster: its cluster_id, else its own id)."""
    return conn.execute(
        """
        select m.article_id, m.signature, coalesce(a.cluster_id, a.article_id)
          from raw.article_minhash m join raw.articles a using (article_id)
         where m.article_id = any(%(ids)s)
        """,
        {"ids": list(article_ids)},
    ).fetchall()


def existing_clusters(conn: psycopg.Connection, article_ids: Sequence[int]) -> dict[int, int]:
    """article_id -> cluster_id of the articles that have one."""
    return dict(
        conn.execute(
            "select article_id, cluster_id from raw.articles "
            "where article_id = any(%(ids)s) and cluster_id is not null",
            {"ids": list(article_ids)},
        ).fetchall()
    )


def index(
    conn: psycopg.Connection,
    article_ids: Sequence[int],
    band_rows: tuple[Sequence[int], Sequence[int], Sequence[int]],
    signatures: Sequence[bytes],
) -> None:
    """Replace the band buckets of ``article_ids`` and store their signatures.

    ``band_rows`` are three parallel columns (band, bucket, article_id);
    ``signatures`` are parallel to ``article_ids``.
    """
    ids = list(article_ids)
    bands, buckets, aids = band_rows
    conn.execute("delete from raw.article_lsh_bands where article_id = any(%(ids)s)", {"ids": ids})
    conn.execute(
        """
        insert into raw.article_lsh_bands (band, bucket, article_id)
        select * from unnest(%(bands)s::smallint[], %(buckets)s::bigint[], %(aids)s::bigint[])
        on conflict do nothing
        """,
        {"bands": list(bands), "buckets": list(buckets), "aids": list(aids)},
    )
    conn.execute(
        """
        insert into raw.article_minhash (article_id, signature)
        select * from unnest(%(aids)s::bigint[], %(sigs)s::bytea[])
        on conflict (article_id) do update set signature = excluded.signature
        """,
        {"aids": ids, "sigs": list(signatures)},
    )


def set_clusters(
    conn: psycopg.Connection, article_ids: Sequence[int], clusters: Sequence[int]
) -> None:
    """Give each article its cluster (parallel sequences); unchanged rows are not written."""
    conn.execute(
        """
        update raw.articles a set cluster_id = u.cluster_id
          from unnest(%(aids)s::bigint[], %(clusters)s::bigint[]) as u(article_id, cluster_id)
         where a.article_id = u.article_id and a.cluster_id is distinct from u.cluster_id
        """,
        {"aids": list(article_ids), "clusters": list(clusters)},
    )


def count_near(conn: psycopg.Connection, article_ids: Sequence[int]) -> int:
    """Articles among ``article_ids`` that joined another article's cluster and are not
    exact copies."""
    if not article_ids:
        return 0
    row = conn.execute(
        """
        select count(*) from raw.articles
         where article_id = any(%(ids)s) and cluster_id <> article_id and duplicate_of is null
        """,
        {"ids": list(article_ids)},
    ).fetchone()
    return int(row[0]) if row else 0
