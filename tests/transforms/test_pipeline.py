"""run_annotate on a real PostgreSQL: increments, statuses, crashes, big articles.

Articles are inserted straight into ``raw.articles``; most tests use the rule
path (fast, and what CI without a model runs), one uses the model end to end.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime

import psycopg
import pytest
from psycopg import sql

from storage import annotations as annotation_tables
from tests.transforms.conftest import ARTICLE, PUBLISHED, SEEDS, needs_model
from transforms import annotate as annotate_module
from transforms import store
from transforms.article_builder import ArticleBuilder
from transforms.config import AnnotateConfig
from transforms.pipeline import run_annotate
from transforms.version import ANNOTATOR_VERSION

RULES = AnnotateConfig(pipeline="rules", seeds_dir=SEEDS, batch_size=3, processes=1)


def insert_article(
    conn: psycopg.Connection,
    text: str,
    *,
    language: str | None = "en",
    published_at: datetime | None = PUBLISHED,
    duplicate_of: int | None = None,
) -> int:
    digest = hashlib.sha256(f"{text}{datetime.now(UTC).timestamp()}".encode()).hexdigest()
    row = conn.execute(
        """
        insert into raw.articles (
            canonical_url, url, host, text, word_count, content_hash, extractor,
            extractor_version, fetched_at, language, published_at, duplicate_of
        ) values (%s, %s, 'example.test', %s, %s, %s, 'test', '1', now(), %s, %s, %s)
        returning article_id
        """,
        (
            f"http://example.test/{digest}",
            f"http://example.test/{digest}",
            text,
            len(text.split()),
            digest,
            language,
            published_at,
            duplicate_of,
        ),
    ).fetchone()
    assert row is not None
    return int(row[0])


def counts(conn: psycopg.Connection) -> dict[str, int]:
    out = {}
    for table in store.TABLES:
        query = sql.SQL("select count(*) from {}").format(sql.Identifier("raw", table))
        row = conn.execute(query).fetchone()
        out[table] = int(row[0]) if row else 0
    return out


def consistent(conn: psycopg.Connection) -> None:
    """The per-article counts match the child rows: nothing lost, nothing doubled."""
    rows = conn.execute(
        """
        select a.article_id, a.n_sentences, a.n_actor_mentions, a.n_event_mentions,
            (select count(*) from raw.sentences s where s.article_id = a.article_id),
            (select count(*) from raw.actor_mentions m where m.article_id = a.article_id),
            (select count(*) from raw.event_mentions e where e.article_id = a.article_id)
        from raw.annotated_articles a
        """
    ).fetchall()
    for article_id, ns, nm, ne, cs, cm, ce in rows:
        assert (ns, nm, ne) == (cs, cm, ce), article_id


@pytest.fixture
def conn(db_url: str):
    with psycopg.connect(db_url, autocommit=True) as connection:
        yield connection


def test_statuses_and_a_rerun_that_does_nothing(db_url: str, conn: psycopg.Connection) -> None:
    ok = insert_article(conn, ARTICLE)
    empty = insert_article(conn, "")
    german = insert_article(
        conn,
        "Die Regierung in Berlin hat am Sonntag Gespräche mit Russland angekündigt, "
        "sagte ein Sprecher der Bundesregierung am Montag in einer Pressekonferenz.",
        language=None,
    )
    french = insert_article(conn, "Russia attacked Turkey.", language="fr")
    original = insert_article(conn, "Russia attacked Turkey on Sunday.")
    insert_article(conn, "Russia attacked Turkey on Sunday.", duplicate_of=original)
    calls: list[tuple[int, int]] = []

    summary = run_annotate(db_url, config=RULES, progress=lambda d, t: calls.append((d, t)))

    assert summary.articles == 5  # the exact duplicate repeats its original
    assert (summary.ok, summary.empty, summary.skipped_language, summary.errors) == (2, 1, 2, 0)
    assert summary.pipeline == "rules"
    assert calls[-1] == (5, 5) and summary.batches == 2
    statuses = dict(
        conn.execute(
            "select article_id, status from raw.annotated_articles where annotator_version = %s",
            (ANNOTATOR_VERSION,),
        ).fetchall()
    )
    assert statuses == {
        ok: "ok",
        empty: "empty",
        german: "skipped_language",
        french: "skipped_language",
        original: "ok",
    }
    language = conn.execute(
        "select language from raw.annotated_articles where article_id = %s", (german,)
    ).fetchone()
    assert language == ("de",)
    consistent(conn)
    # offsets are indexes into the stored text
    rows = conn.execute(
        """
        select m.text, substr(a.text, m.start_char + 1, m.end_char - m.start_char)
        from raw.actor_mentions m join raw.articles a using (article_id)
        """
    ).fetchall()
    assert rows and all(stored == cut for stored, cut in rows)
    events = conn.execute(
        "select predicate, source_mentions, target_mentions, modality from raw.event_mentions"
        " where article_id = %s and predicate = 'join talks with'",
        (ok,),
    ).fetchall()
    assert len(events) == 1 and len(events[0][2]) == 2
    run = conn.execute(
        "select status, counts->>'articles' from raw.runs where run_id = %s", (summary.run_id,)
    ).fetchone()
    assert run == ("ok", "5")

    before = counts(conn)
    again = run_annotate(db_url, config=RULES)
    assert again.articles == 0 and again.batches == 0
    assert counts(conn) == before


def test_an_article_that_breaks_the_annotator_is_recorded_and_skipped(
    db_url: str, conn: psycopg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = insert_article(conn, "Russia attacked Turkey on Sunday.")
    bad = insert_article(conn, "Russia met Turkey. POISON")
    also_good = insert_article(conn, "Iran met Iraq on Monday.")
    real = ArticleBuilder.add_chunk

    def add_chunk(self, doc, offset):  # type: ignore[no-untyped-def]
        if "POISON" in doc.text:
            raise ValueError("this text breaks the annotator")
        return real(self, doc, offset)

    monkeypatch.setattr(ArticleBuilder, "add_chunk", add_chunk)
    summary = run_annotate(db_url, config=RULES)
    assert (summary.ok, summary.errors) == (2, 1)
    assert summary.error_samples[0]["article_id"] == bad
    rows = dict(conn.execute("select article_id, status from raw.annotated_articles").fetchall())
    assert rows == {good: "ok", bad: "error", also_good: "ok"}
    error = conn.execute(
        "select error from raw.annotated_articles where article_id = %s", (bad,)
    ).fetchone()
    assert error is not None and "breaks the annotator" in error[0]
    run = conn.execute("select status from raw.runs where run_id = %s", (summary.run_id,))
    assert run.fetchone() == ("partial",)


def test_a_crash_mid_batch_loses_and_duplicates_nothing(
    db_url: str, conn: psycopg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [
        insert_article(conn, f"Russia attacked Turkey on Sunday. Iran met Iraq {n}.")
        for n in range(7)
    ]
    real = annotation_tables.copy_rows
    calls = {"n": 0}

    def copy_rows(connection, table, columns, rows):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 7:  # second batch, third table: the process "dies" here
            raise RuntimeError("killed mid-batch")
        return real(connection, table, columns, rows)

    monkeypatch.setattr(annotation_tables, "copy_rows", copy_rows)
    with pytest.raises(RuntimeError, match="killed"):
        run_annotate(db_url, config=RULES)
    done = [r[0] for r in conn.execute("select article_id from raw.annotated_articles")]
    assert sorted(done) == ids[:3]  # the first batch committed, nothing of the second
    consistent(conn)
    run = conn.execute("select status from raw.runs where stage = 'annotate'").fetchone()
    assert run == ("failed",)

    monkeypatch.setattr(annotation_tables, "copy_rows", real)
    summary = run_annotate(db_url, config=RULES)
    assert summary.articles == 4
    done = [r[0] for r in conn.execute("select article_id from raw.annotated_articles")]
    assert sorted(done) == ids
    consistent(conn)


def test_a_batch_written_twice_is_written_once(db_url: str, conn: psycopg.Connection) -> None:
    """Two workers finishing the same articles (or a retried task): one set of rows."""
    article_id = insert_article(conn, "Russia attacked Turkey on Sunday.")
    doc = annotate_module.annotate_text(
        "Russia attacked Turkey on Sunday.", dictionary=SEEDS, use_model=False
    )
    assert store.write_batch(conn, [(article_id, doc)]) == [article_id]
    before = counts(conn)
    assert store.write_batch(conn, [(article_id, doc)]) == []
    assert counts(conn) == before
    assert store.write_batch(conn, [(999_999, doc)]) == []  # no such article: skipped


def test_article_ids_and_limit(db_url: str, conn: psycopg.Connection) -> None:
    ids = [insert_article(conn, f"Iran met Iraq {n}.") for n in range(5)]
    first = run_annotate(db_url, config=RULES, article_ids=[ids[3], ids[4]])
    assert first.articles == 2
    second = run_annotate(db_url, config=RULES, limit=2)
    assert second.articles == 2
    done = {r[0] for r in conn.execute("select article_id from raw.annotated_articles")}
    assert done == {ids[0], ids[1], ids[3], ids[4]}


def test_a_two_megabyte_article(db_url: str, conn: psycopg.Connection) -> None:
    paragraph = (
        "Iraqi officials said Iran-backed fighters crossed into Syria on Sunday to help "
        "President Bashar Assad, and Turkey joined talks with Russia and Iran in Ankara.\n"
    )
    body = paragraph * (2 * 1024 * 1024 // len(paragraph) + 1)
    text = body + "Finally, Jordan met with Lebanon in Amman on Monday.\n"
    assert len(text.encode()) > 2 * 1024 * 1024
    article_id = insert_article(conn, text)
    config = replace(RULES, max_chars=4_000_000, batch_size=1)
    summary = run_annotate(db_url, config=config)
    assert summary.ok == 1
    last = conn.execute(
        "select text, start_char, end_char from raw.actor_mentions where article_id = %s"
        " order by start_char desc limit 1",
        (article_id,),
    ).fetchone()
    assert last is not None
    assert last[0] == "Amman" and text[last[1] : last[2]] == "Amman"
    meeting = conn.execute(
        "select e.trigger_start, e.trigger_text, s.text from raw.event_mentions e"
        " join raw.sentences s using (article_id, annotator_version, sentence_index)"
        " where e.article_id = %s and e.predicate = 'meet with'",
        (article_id,),
    ).fetchone()
    assert meeting is not None
    assert text[meeting[0] : meeting[0] + len(meeting[1])] == meeting[1] == "met"
    assert meeting[2].startswith("Finally, Jordan met with Lebanon")
    truncated = conn.execute(
        "select truncated_at from raw.annotated_articles where article_id = %s", (article_id,)
    ).fetchone()
    assert truncated == (None,)


def test_an_article_over_the_limit_is_truncated_and_says_so(
    db_url: str, conn: psycopg.Connection
) -> None:
    text = "Russia attacked Turkey on Sunday.\n" * 200
    article_id = insert_article(conn, text)
    run_annotate(db_url, config=replace(RULES, max_chars=1000))
    row = conn.execute(
        "select status, truncated_at, (select max(end_char) from raw.sentences"
        " where article_id = %s) from raw.annotated_articles where article_id = %s",
        (article_id, article_id),
    ).fetchone()
    assert row is not None and row[0] == "ok" and row[1] == 1000 and row[2] <= 1000


@needs_model
def test_model_pipeline_end_to_end(db_url: str, conn: psycopg.Connection) -> None:
    article_id = insert_article(conn, ARTICLE)
    config = AnnotateConfig(pipeline="model", seeds_dir=SEEDS, processes=1)
    summary = run_annotate(db_url, config=config)
    assert summary.ok == 1 and summary.pipeline.startswith("model:")
    row = conn.execute(
        """
        select e.event_date, e.place_country, e.place_precision, e.geonameid,
            array(select m.text from raw.actor_mentions m where m.article_id = e.article_id
                  and m.mention_index = any(e.source_mentions) order by m.mention_index)
        from raw.event_mentions e
        where e.article_id = %s and e.predicate = 'meet with'
        """,
        (article_id,),
    ).fetchone()
    assert row is not None
    assert str(row[0]) == "2024-11-30" and row[1:4] == ("SYR", "city", 170654)
    assert row[4] == ["Abbas Araqchi"]
    consistent(conn)
