"""The storage modules the application reads through: health, status, maintenance, migrations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg

from storage import eval as storage_eval
from storage import health, monitoring, retention, schema_migrations
from storage.connection import connect

T0 = datetime(2026, 1, 10, 12, tzinfo=UTC)


def _feeds(conn: psycopg.Connection) -> None:
    conn.execute(
        """
        insert into raw.feeds (url, name, enabled, consecutive_failures, last_outcome)
        values ('https://a.test/f', 'fine', true, 0, 'ok'),
               ('https://b.test/f', 'piling', true, 2, 'ok'),
               ('https://c.test/f', 'broken', true, 0, 'not_a_feed'),
               ('https://d.test/f', 'never', true, 0, null),
               ('https://e.test/f', 'off', false, 5, 'http_error')
        """
    )


def _article(conn: psycopg.Connection, n: int, *, fetched_at: datetime) -> int:
    return storage_eval.insert_article(
        conn,
        canonical_url=f"https://a.test/{n}",
        title=f"article {n}",
        published_at=None,
        host="a.test",
        text="one two three",
        content_hash=f"hash-{n}",
        seen_at=fetched_at,
    )


def test_one_definition_of_a_failing_feed(db_url: str) -> None:
    with connect(db_url) as conn:
        _feeds(conn)
        rows = {r["name"]: r for r in health.feed_health(conn, recent_fetches=20)}
        assert {n for n, r in rows.items() if r["failing"]} == {"piling", "broken", "off"}
        for row in rows.values():
            assert row["failing"] == health.is_failing(
                row["consecutive_failures"], row["last_outcome"]
            )
        assert health.failing_count(conn) == 2  # enabled ones only
        failures = health.failing_feeds(conn, ["https://b.test/f", "https://a.test/f"])
        assert [f.name for f in failures] == ["piling"]


def test_quality_counts_zero_before_the_marts_and_keep_their_order(db_url: str) -> None:
    with connect(db_url) as conn:
        _feeds(conn)
        _article(conn, 1, fetched_at=T0 - timedelta(hours=2))
        counts = monitoring.quality_counts(conn, start=T0 - timedelta(days=1), end=T0)
    assert list(counts)[:2] == ["feeds_enabled", "feeds_failing"]
    assert counts["feeds_enabled"] == 4 and counts["feeds_failing"] == 2
    assert counts["articles_total"] == 1 and counts["fct_events"] == 0


def test_backlog_lag_and_lookups(db_url: str) -> None:
    with connect(db_url) as conn:
        _feeds(conn)
        _article(conn, 1, fetched_at=T0)
        backlog = monitoring.backlog(conn, annotator_version="v-test")
        assert backlog["articles"] == 1 and backlog["articles_without_annotation"] == 1
        assert monitoring.lag(conn)["waiting_for_marts"] == 1
        assert monitoring.feed_known(conn, "https://a.test/f")
        assert not monitoring.feed_known(conn, "https://z.test/f")
        assert monitoring.feed_urls_like(conn, "https://c.%") == ["https://c.test/f"]
        assert monitoring.enabled_feeds(conn)[0] == 4
        assert monitoring.articles_since(conn, T0 - timedelta(minutes=1)) == 1
        assert monitoring.exists(conn, "raw.articles") and not monitoring.exists(
            conn, "marts.nothing"
        )


def test_retention_deletes_only_older_rows(db_url: str) -> None:
    with connect(db_url, autocommit=True) as conn:
        _article(conn, 1, fetched_at=T0 - timedelta(days=400))
        _article(conn, 2, fetched_at=T0)
        conn.execute("update raw.articles set raw_html_gz = 'x'::bytea")
        assert retention.drop_old_raw_html(conn, before=T0 - timedelta(days=1)) == 1
        assert retention.drop_old_raw_html(conn, before=T0 - timedelta(days=1)) == 0
        assert retention.purge_fetch_log(conn, before=T0) == 0
        assert "articles" in retention.raw_tables(conn)
        retention.vacuum(conn, "articles")


def test_schema_migrations_bookkeeping(db_url: str) -> None:
    with connect(db_url) as conn:
        version = schema_migrations.current_version(conn)
        assert version >= 1 and version in schema_migrations.applied(conn)


def test_synthetic_loads_for_the_warehouse_benchmark(db_url: str) -> None:
    from storage import synthetic

    with connect(db_url) as conn:
        synthetic.add_feeds(conn, [("https://x.test/1", "one"), ("https://x.test/2", "two")])
        assert len(synthetic.feed_ids(conn)) == 2
        synthetic.reserve_article_ids(conn, 100)
        assert synthetic.row_counts(conn, ("raw.feeds", "raw.articles")) == {
            "raw.feeds": 2,
            "raw.articles": 0,
        }
