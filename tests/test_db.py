"""The embedded server, migrations and roles."""

from __future__ import annotations

import psycopg

from newsflow.db.migrate import apply_migrations, available_migrations, current_version


def test_migrations_are_idempotent(db_url: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        before = current_version(conn)
        assert before == available_migrations()[-1].version
        assert apply_migrations(conn) == []
        assert current_version(conn) == before


def test_raw_tables_exist(db_url: str) -> None:
    expected = {
        "feeds",
        "feed_entries",
        "articles",
        "article_sources",
        "fetch_log",
        "runs",
        "annotated_articles",
        "sentences",
        "actor_mentions",
        "event_mentions",
    }
    with psycopg.connect(db_url) as conn:
        rows = conn.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'"
        ).fetchall()
    assert expected <= {r[0] for r in rows}


def test_roles_created(db_url: str) -> None:
    with psycopg.connect(db_url) as conn:
        roles = {
            r[0]
            for r in conn.execute("select rolname from pg_roles where rolname like 'newsflow_%'")
        }
        assert {"newsflow_loader", "newsflow_transformer", "newsflow_reader"} <= roles
        can_insert = conn.execute(
            "select has_table_privilege('newsflow_loader', 'raw.articles', 'insert')"
        ).fetchone()
        reader_raw = conn.execute(
            "select has_schema_privilege('newsflow_reader', 'raw', 'usage')"
        ).fetchone()
    assert can_insert and can_insert[0]
    assert reader_raw and not reader_raw[0]


def test_article_text_uses_lz4(db_url: str) -> None:
    with psycopg.connect(db_url) as conn:
        row = conn.execute(
            """
            select attcompression from pg_attribute
            where attrelid = 'raw.articles'::regclass and attname = 'text'
            """
        ).fetchone()
    assert row is not None and row[0] in ("l", "")  # '' only where the server lacks lz4
