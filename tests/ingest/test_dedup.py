"""Duplicate detection: content hash, MinHash signatures, LSH clusters in PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import psycopg

from ingest import dedup
from ingest.load import ArticleRow, EntryRef, FetchLogRow, PageLoad, load_batch
from tests.ingest.site import make_story, syndicated_copy

NOW = datetime(2024, 12, 3, 12, 0, tzinfo=UTC)


def test_content_hash_ignores_case_and_spacing() -> None:
    assert dedup.content_hash("Hello  World\n") == dedup.content_hash("hello world")
    assert dedup.content_hash("Hello world") != dedup.content_hash("Hello world!")


def test_shingles_are_five_words_and_short_texts_are_one() -> None:
    sh = dedup.shingles("one two three four five six")
    assert sorted(sh) == [b"one two three four five", b"two three four five six"]
    assert dedup.shingles("just three words") == [b"just three words"]
    assert dedup.shingles("") == []


def test_shingle_hashes_are_one_per_distinct_shingle_and_stable() -> None:
    text = make_story("h").text
    hashes = dedup.shingle_hashes(text)
    assert len(hashes) == len(dedup.shingles(text))
    assert np.array_equal(hashes, dedup.shingle_hashes(text.upper()))  # case-folded
    assert len(dedup.shingle_hashes("two words")) == 1
    assert len(dedup.shingle_hashes("")) == 0
    # a fixed value: signatures persisted by one run must match the next run's
    assert int(dedup.shingle_hashes("one two three four five")[0]) == EXPECTED_HASH


EXPECTED_HASH = 911870833


def test_signatures_separate_wire_copy_from_other_stories() -> None:
    story = make_story("a")
    copy = syndicated_copy(story, slug="copy")
    other = make_story("b")
    sig_story, sig_copy, sig_other = dedup.signatures([story.text, copy.text, other.text])
    assert sig_story.dtype == np.uint64 and len(sig_story) == dedup.NUM_PERM
    assert dedup.jaccard_estimate(sig_story, sig_copy) >= dedup.NEAR_THRESHOLD
    assert dedup.jaccard_estimate(sig_story, sig_other) < 0.2
    # near copies share at least one band bucket, unrelated stories none
    buckets = set(dedup.band_buckets(sig_story))
    assert buckets & set(dedup.band_buckets(sig_copy))
    assert not buckets & set(dedup.band_buckets(sig_other))
    again = dedup.signature_from_bytes(dedup.signature_to_bytes(sig_story))
    assert np.array_equal(again, sig_story)


def _feed(conn: psycopg.Connection, url: str = "http://127.0.0.1:1/feed") -> int:
    row = conn.execute(
        "insert into raw.feeds (url, name) values (%s, 'test') returning feed_id", (url,)
    ).fetchone()
    assert row
    conn.commit()
    return int(row[0])


def _entry(conn: psycopg.Connection, feed_id: int, key: str) -> EntryRef:
    conn.execute(
        "insert into raw.feed_entries (feed_id, entry_key, link, canonical_url, entry_hash) "
        "values (%s, %s, %s, %s, 'h')",
        (feed_id, key, key, key),
    )
    conn.commit()
    return EntryRef(feed_id, key, key)


def page(feed_id: int, ref: EntryRef, text: str, *, title: str = "t") -> PageLoad:
    url = ref.entry_key
    article = ArticleRow(
        canonical_url=url,
        url=url,
        feed_id=feed_id,
        host="127.0.0.1",
        text=text,
        word_count=len(text.split()),
        content_hash=dedup.content_hash(text),
        extractor="test",
        extractor_version="1",
        fetched_at=NOW,
        title=title,
    )
    fetch = FetchLogRow(kind="page", url=url, outcome="ok", fetched_at=NOW, status=200)
    return PageLoad(url, [ref], fetch, article)


def test_clusters_persist_across_batches(db_url: str) -> None:
    story = make_story("x")
    copy = syndicated_copy(story, slug="copy")
    other = make_story("y")
    with psycopg.connect(db_url) as conn:
        fid = _feed(conn)
        refs = [_entry(conn, fid, f"http://127.0.0.1:1/{i}") for i in range(5)]
        first = load_batch(conn, [page(fid, refs[0], story.text)], now=NOW)
        assert (first.articles_new, first.duplicates_near, first.duplicates_exact) == (1, 0, 0)
        # a later batch (another run, another process): the copy joins the first cluster
        second = load_batch(
            conn,
            [page(fid, refs[1], copy.text), page(fid, refs[2], other.text)],
            now=NOW,
        )
        assert second.articles_new == 2
        assert second.duplicates_near == 1
        # an exact copy under a third address: duplicate_of, and in the cluster too
        third = load_batch(conn, [page(fid, refs[3], story.text.upper())], now=NOW)
        assert third.duplicates_exact == 1 and third.duplicates_near == 0
        rows = {
            r[0]: r[1:]
            for r in conn.execute(
                "select canonical_url, article_id, cluster_id, duplicate_of from raw.articles"
            ).fetchall()
        }
        a0, a1, a2, a3 = (rows[r.entry_key] for r in refs[:4])
        assert a0[1] == a0[0] and a0[2] is None
        assert a1[1] == a0[0] and a1[2] is None
        assert a2[1] == a2[0]
        assert a3[1] == a0[0] and a3[2] == a0[0]
        assert conn.execute("select count(*) from raw.article_lsh_bands").fetchone() == (
            4 * dedup.BANDS,
        )
        statuses = dict(
            conn.execute("select entry_key, article_status from raw.feed_entries").fetchall()
        )
        assert statuses[refs[3].entry_key] == "duplicate"
        assert statuses[refs[1].entry_key] == "ok"


def test_same_batch_near_duplicates_cluster_on_the_first(db_url: str) -> None:
    story = make_story("z")
    with psycopg.connect(db_url) as conn:
        fid = _feed(conn)
        refs = [_entry(conn, fid, f"http://127.0.0.1:1/s{i}") for i in range(3)]
        copies = [
            story,
            syndicated_copy(story, slug="c1"),
            syndicated_copy(story, slug="c2", seed=2),
        ]
        result = load_batch(
            conn, [page(fid, ref, s.text) for ref, s in zip(refs, copies, strict=True)], now=NOW
        )
        assert result.articles_new == 3 and result.duplicates_near == 2
        clusters = {r[0] for r in conn.execute("select cluster_id from raw.articles").fetchall()}
        first = conn.execute("select min(article_id) from raw.articles").fetchone()
        assert clusters == {first[0] if first else None}
