"""The batch loader: COPY + one merge, sanitising, back-off, one bad row costs only itself."""

from __future__ import annotations

import gzip
import uuid
from dataclasses import replace
from datetime import timedelta

import psycopg

from ingest import load
from ingest.load import FetchLogRow, PageLoad, RetryPolicy, load_batch
from tests.ingest.test_dedup import NOW, _entry, _feed, page


def test_clean_str_removes_nul_and_lone_surrogates() -> None:
    assert load.clean_str("a\x00b") == "ab"
    bad = b"caf\xe9 ok".decode("utf-8", "surrogateescape")
    cleaned = load.clean_str(bad)
    assert cleaned is not None
    cleaned.encode("utf-8")
    assert cleaned.endswith(" ok")
    assert load.clean_list(["x\x00", "\x00", None]) == ["x"]  # type: ignore[list-item]


def test_gzip_html_round_trips() -> None:
    body = b"<html>" + b"x" * 10_000 + b"</html>"
    packed = load.gzip_html(body)
    assert len(packed) < len(body) // 10
    assert gzip.decompress(packed) == body


def test_nul_and_bad_utf8_do_not_fail_the_batch(db_url: str) -> None:
    with psycopg.connect(db_url) as conn:
        fid = _feed(conn)
        refs = [_entry(conn, fid, f"http://127.0.0.1:1/p{i}") for i in range(4)]
        bad_text = "Body with a NUL \x00 byte and " + b"\xff\xfe".decode("utf-8", "surrogateescape")
        pages = [
            page(fid, refs[0], "A perfectly ordinary article about the harbour."),
            page(fid, refs[1], bad_text, title="Title \x00 with NUL"),
            page(fid, refs[2], "Another ordinary article about the railway."),
        ]
        pages[1].article = replace(
            pages[1].article,  # type: ignore[arg-type]
            authors=("Ann\x00 Author",),
            raw_html_gz=load.gzip_html(b"<p>\x00\xff</p>"),
        )
        # a value no sanitising fixes: this page alone must fail, the rest land
        # (a canonical URL longer than a btree index entry may be)
        pages.append(page(fid, refs[3], "Too long an address."))
        huge = "http://127.0.0.1:1/" + "".join(uuid.uuid4().hex for _ in range(300))
        pages[3].article = replace(pages[3].article, canonical_url=huge)  # type: ignore[arg-type]
        pages[3].canonical_url = huge
        result = load_batch(conn, pages, now=NOW)
        assert result.articles_new == 3
        assert result.pages_failed == 1
        texts = dict(conn.execute("select canonical_url, text from raw.articles").fetchall())
        assert "\x00" not in texts[refs[1].entry_key]
        assert texts[refs[1].entry_key].startswith("Body with a NUL  byte")
        statuses = {
            r[0]: r[1:]
            for r in conn.execute(
                "select entry_key, article_status, last_error from raw.feed_entries"
            ).fetchall()
        }
        assert statuses[refs[1].entry_key][0] == "ok"
        assert statuses[refs[3].entry_key][0] == "gave_up"
        assert statuses[refs[3].entry_key][1].startswith("load_failed")
        outcomes = conn.execute(
            "select outcome, count(*) from raw.fetch_log group by 1 order by 1"
        ).fetchall()
        assert outcomes == [("load_failed", 1), ("ok", 3)]


def test_reloading_the_same_batch_changes_nothing(db_url: str) -> None:
    with psycopg.connect(db_url) as conn:
        fid = _feed(conn)
        refs = [_entry(conn, fid, f"http://127.0.0.1:1/r{i}") for i in range(2)]
        pages = [page(fid, refs[0], "First text here."), page(fid, refs[1], "Second text.")]
        first = load_batch(conn, pages, now=NOW)
        assert first.articles_new == 2
        stamp = conn.execute("select max(updated_at) from raw.articles").fetchone()
        again = load_batch(conn, pages, now=NOW)
        assert (again.articles_new, again.articles_updated) == (0, 0)
        assert conn.execute("select max(updated_at) from raw.articles").fetchone() == stamp
        assert conn.execute("select count(*) from raw.article_sources").fetchone() == (2,)
        # an edited text updates the row in place
        edited = [page(fid, refs[0], "First text, corrected.")]
        changed = load_batch(conn, edited, now=NOW)
        assert (changed.articles_new, changed.articles_updated) == (0, 1)
        assert conn.execute("select count(*) from raw.articles").fetchone() == (2,)


def test_failed_pages_back_off_then_give_up(db_url: str) -> None:
    policy = RetryPolicy(max_attempts=3, base_s=60)
    with psycopg.connect(db_url) as conn:
        fid = _feed(conn)
        ref = _entry(conn, fid, "http://127.0.0.1:1/down")
        gone = _entry(conn, fid, "http://127.0.0.1:1/gone")

        def failure(r: load.EntryRef, outcome: str, attempts: int) -> PageLoad:
            fetch = FetchLogRow(kind="page", url=r.entry_key, outcome=outcome, fetched_at=NOW)
            return PageLoad(r.entry_key, [replace(r, attempts=attempts)], fetch)

        load_batch(
            conn,
            [failure(ref, "server_error", 0), failure(gone, "gone", 0)],
            now=NOW,
            policy=policy,
        )
        rows = {
            r[0]: r[1:]
            for r in conn.execute(
                "select entry_key, article_status, attempts, next_attempt_at from raw.feed_entries"
            ).fetchall()
        }
        assert rows[ref.entry_key] == ("failed", 1, NOW + timedelta(seconds=60))
        assert rows[gone.entry_key][:2] == ("gave_up", 1)  # 410: no retry will help
        load_batch(conn, [failure(ref, "timeout", 1)], now=NOW, policy=policy)
        status = conn.execute(
            "select article_status, attempts, next_attempt_at from raw.feed_entries "
            "where entry_key = %s",
            (ref.entry_key,),
        ).fetchone()
        assert status == ("failed", 2, NOW + timedelta(seconds=120))
        load_batch(conn, [failure(ref, "timeout", 2)], now=NOW, policy=policy)
        status = conn.execute(
            "select article_status, attempts from raw.feed_entries where entry_key = %s",
            (ref.entry_key,),
        ).fetchone()
        assert status == ("gave_up", 3)
        assert conn.execute("select count(*) from raw.fetch_log").fetchone() == (4,)
        assert conn.execute("select count(*) from raw.articles").fetchone() == (0,)
