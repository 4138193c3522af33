"""Duplicate detection: exact copies by content hash, wire copy by MinHash LSH.

Three levels, so that later counts of sources and articles are honest:

1. **Canonical URL** (handled by the loader's natural key): the same story
   linked from five feeds, or through ``utm_`` variants, or as AMP and print
   copies whose pages declare one ``<link rel="canonical">`` on their own
   site, is one row.
2. **Exact duplicates**: the same normalised text under another canonical URL
   (a site serving one story at two addresses).  ``duplicate_of`` points at
   the earliest article with that content hash.
3. **Near duplicates**: syndicated wire copy republished with small edits
   (a changed headline, a dropped paragraph, a local intro).  Each text gets a
   MinHash signature over 5-word shingles; signatures are split into bands and
   each band's hash is a bucket in ``raw.article_lsh_bands``, so candidates are
   found with an index lookup across batches, runs and processes.  Candidates
   are confirmed with the estimated Jaccard similarity of the full signatures.
   ``cluster_id`` is the article id of the cluster's first member (a singleton
   is its own cluster), so ``count(distinct cluster_id)`` counts stories.

Clusters are never merged after the fact: a new article joins the oldest
matching cluster.  That keeps ``cluster_id`` stable for downstream models.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import psycopg
from datasketch import MinHash

from storage import article_dedup

#: MinHash permutations; 32 bands of 4 rows: a pair with Jaccard 0.6 shares a
#: bucket with 99 % probability (0.5: 87 %), unrelated stories (J < 0.1) with
#: 0.3 %; candidates are then confirmed on the full signature.
NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE_WORDS = 5
#: Estimated Jaccard similarity from which a candidate counts as a near duplicate.
NEAR_THRESHOLD = 0.6
MINHASH_SEED = 1

_WORD = re.compile(r"\w+", re.UNICODE)
_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Case, Unicode form and whitespace folded: what "the same text" means."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def content_hash(text: str) -> str:
    """sha256 (hex) of the normalised text; the exact-duplicate key."""
    return hashlib.sha256(normalise_text(text).encode("utf-8", "replace")).hexdigest()


def shingles(text: str, k: int = SHINGLE_WORDS) -> list[bytes]:
    """Distinct k-word shingles of the text (the whole text when shorter)."""
    words = _WORD.findall(text.casefold())
    if not words:
        return []
    if len(words) < k:
        return [" ".join(words).encode("utf-8", "replace")]
    seen = {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}
    return [s.encode("utf-8", "replace") for s in seen]


_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit multiplier (golden ratio)


def shingle_hashes(text: str, k: int = SHINGLE_WORDS) -> np.ndarray:
    """Distinct 32-bit hashes of the text's k-word shingles, computed with numpy.

    Each word is hashed once (CRC-32 of its UTF-8 form), then every window of
    k word hashes is combined with a polynomial over 64-bit integers and
    folded to 32 bits.  Equal shingles get equal hashes in every process and
    run; distinct ones collide with probability ~2**-32.  Hashing each shingle
    string in Python cost about three times as much for an average article.
    """
    words = _WORD.findall(text.casefold())
    if not words:
        return np.zeros(0, dtype=np.uint64)
    cache: dict[str, int] = {}
    ids = np.fromiter(
        (
            cache.get(w) or cache.setdefault(w, zlib.crc32(w.encode("utf-8", "replace")) | 1)
            for w in words
        ),
        dtype=np.uint64,
        count=len(words),
    )
    n = max(1, len(words) - k + 1)
    span = min(k, len(words))
    acc = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(span):
            acc = acc * _MIX + ids[j : j + n]
    folded = (acc >> np.uint64(32)) ^ (acc & np.uint64(0xFFFFFFFF))
    return np.unique(folded)


def _identity(value: np.uint64) -> int:
    return int(value)


def signatures(texts: Sequence[str]) -> list[np.ndarray]:
    """MinHash signatures (uint64 arrays of NUM_PERM values) of the texts' 5-word
    shingles, computed with ``MinHash.bulk`` over the pre-hashed shingles."""
    sets = [shingle_hashes(t) for t in texts]
    minhashes = MinHash.bulk(sets, num_perm=NUM_PERM, seed=MINHASH_SEED, hashfunc=_identity)
    return [np.asarray(m.hashvalues, dtype=np.uint64) for m in minhashes]


def signature_to_bytes(signature: np.ndarray) -> bytes:
    return np.asarray(signature, dtype="<u8").tobytes()


def signature_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u8").astype(np.uint64)


def band_buckets(signature: np.ndarray) -> list[tuple[int, int]]:
    """(band, bucket) pairs; a bucket is a signed 64-bit hash of the band's rows."""
    raw = np.asarray(signature, dtype="<u8")
    out = []
    for band in range(BANDS):
        digest = hashlib.blake2b(raw[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=8)
        out.append((band, int.from_bytes(digest.digest(), "little", signed=True)))
    return out


def jaccard_estimate(a: np.ndarray, b: np.ndarray) -> float:
    if len(a) != len(b) or len(a) == 0:
        return 0.0
    return float(np.count_nonzero(a == b)) / len(a)


@dataclass(frozen=True)
class DedupResult:
    exact: int  # articles that got duplicate_of
    near: int  # articles that joined an existing cluster without being exact copies


def mark_exact_duplicates(conn: psycopg.Connection, article_ids: Sequence[int]) -> int:
    """Point each article at the earliest other article with the same content hash
    (:func:`storage.article_dedup.mark_exact_duplicates`); returns the duplicates."""
    return article_dedup.mark_exact_duplicates(conn, article_ids)


def assign_clusters(
    conn: psycopg.Connection, items: Iterable[tuple[int, np.ndarray]]
) -> dict[int, int]:
    """Index the signatures and give each article its near-duplicate cluster.

    ``items`` are (article_id, signature) for articles that were inserted or
    whose text changed in this batch.  Candidates come from the persisted
    band buckets (earlier batches and runs) and from the batch itself; an
    article joins the oldest cluster among candidates whose estimated Jaccard
    similarity reaches NEAR_THRESHOLD, else it starts its own.  Articles that
    already have a cluster keep it.  Returns article_id -> cluster_id.
    """
    batch = sorted(items, key=lambda item: item[0])
    if not batch:
        return {}
    ids = [aid for aid, _ in batch]
    buckets = {aid: band_buckets(sig) for aid, sig in batch}
    bands_col: list[int] = []
    bucket_col: list[int] = []
    for aid in ids:
        for band, bucket in buckets[aid]:
            bands_col.append(band)
            bucket_col.append(bucket)

    # Candidates indexed by earlier batches (not the articles being re-indexed).
    candidates: dict[tuple[int, int], set[int]] = {}
    rows = article_dedup.bucket_members(conn, bands_col, bucket_col, excluding=ids)
    for band, bucket, aid in rows:
        candidates.setdefault((band, bucket), set()).add(aid)
    known: dict[int, tuple[np.ndarray, int]] = {}
    other_ids = sorted({aid for s in candidates.values() for aid in s})
    if other_ids:
        for aid, sig, cluster in article_dedup.signatures_of(conn, other_ids):
            known[aid] = (signature_from_bytes(sig), cluster)
    existing = article_dedup.existing_clusters(conn, ids)

    result: dict[int, int] = {}
    for aid, sig in batch:
        best: int | None = None
        seen: set[int] = set()
        for key in buckets[aid]:
            for other in candidates.get(key, ()):
                if other in seen or other == aid or other not in known:
                    continue
                seen.add(other)
                other_sig, other_cluster = known[other]
                if jaccard_estimate(sig, other_sig) >= NEAR_THRESHOLD and (
                    best is None or other_cluster < best
                ):
                    best = other_cluster
        cluster = existing.get(aid) or best or aid
        result[aid] = cluster
        # Later members of this batch can match this one.
        known[aid] = (sig, cluster)
        for key in buckets[aid]:
            candidates.setdefault(key, set()).add(aid)

    article_dedup.index(
        conn,
        ids,
        (bands_col, bucket_col, [aid for aid in ids for _ in range(BANDS)]),
        [signature_to_bytes(sig) for _, sig in batch],
    )
    article_dedup.set_clusters(conn, ids, [result[aid] for aid in ids])
    return result


def count_near(conn: psycopg.Connection, article_ids: Sequence[int]) -> int:
    """Articles among ``article_ids`` that joined another article's cluster and
    are not exact copies."""
    return article_dedup.count_near(conn, article_ids)


def deduplicate(conn: psycopg.Connection, items: Sequence[tuple[int, np.ndarray]]) -> DedupResult:
    """Exact and near-duplicate marking for a loaded batch (same transaction)."""
    ids = [aid for aid, _ in items]
    exact = mark_exact_duplicates(conn, ids)
    assign_clusters(conn, items)
    return DedupResult(exact=exact, near=count_near(conn, ids))
