"""``newsflow status`` on hand-made raw rows: health, slowness, backlog, runs, lag."""

from __future__ import annotations

import json

import psycopg
from click.testing import CliRunner

from newsflow.cli import cli
from newsflow.report.status import StatusSettings, collect_status


def _seed(url: str) -> None:
    with psycopg.connect(url) as conn:
        conn.execute(
            """
            insert into raw.feeds (url, name, last_fetched_at, last_success_at, last_status,
                                   last_outcome, consecutive_failures, next_due_at)
            values
              ('http://127.0.0.1:1/ok.xml', 'Fine feed', now(), now(), 200, 'ok', 0,
               now() + interval '15 min'),
              ('http://127.0.0.1:1/slow.xml', 'Slow feed', now(), now(), 200, 'ok', 0,
               now() + interval '15 min'),
              ('http://127.0.0.1:1/broken.xml', 'Broken feed', now(), null, 200, 'not_a_feed', 2,
               now() + interval '1 hour')
            """
        )
        conn.execute(
            "update raw.feeds set last_error = 'an HTML page, not a feed' "
            "where name = 'Broken feed'"
        )
        ids = dict(conn.execute("select name, feed_id from raw.feeds").fetchall())
        for name, ms in (("Fine feed", 40), ("Slow feed", 3050), ("Broken feed", 30)):
            for _ in range(2):
                conn.execute(
                    "insert into raw.fetch_log (kind, url, feed_id, status, duration_ms, outcome)"
                    " values ('feed', 'u', %s, 200, %s, 'ok')",
                    (ids[name], ms),
                )
        conn.execute(
            """
            insert into raw.articles (canonical_url, url, feed_id, host, text, word_count,
                                      content_hash, extractor, extractor_version, fetched_at,
                                      published_at, loaded_at)
            values ('http://a/1', 'http://a/1', %(f)s, 'a', 'text', 1, 'h1', 't', '1', now(),
                    now() - interval '2 hours', now() - interval '10 min'),
                   ('http://a/2', 'http://a/2', %(f)s, 'a', 'text two', 2, 'h2', 't', '1', now(),
                    now() - interval '1 hour', now())
            """,
            {"f": ids["Fine feed"]},
        )
        conn.execute(
            "insert into raw.feed_entries (feed_id, entry_key, entry_hash, article_status) "
            "values (%s, 'e1', 'x', 'pending'), (%s, 'e2', 'y', 'failed')",
            (ids["Fine feed"], ids["Fine feed"]),
        )
        conn.execute(
            """
            insert into raw.runs (run_id, stage, started_at, finished_at, status)
            values ('r1', 'ingest', now() - interval '11 min', now() - interval '10 min', 'ok'),
                   ('r2', 'transform', now() - interval '6 min', now() - interval '5 min', 'ok')
            """
        )


def test_collect_status_flags_slow_and_failing(db_url: str) -> None:
    _seed(db_url)
    with psycopg.connect(db_url) as conn:
        status = collect_status(conn, StatusSettings(slow_feed_ms=2000))
    feeds = {f["name"]: f for f in status["feeds"]}
    assert feeds["Fine feed"]["state"] == "ok"
    assert feeds["Slow feed"]["slow"] and feeds["Slow feed"]["state"] == "slow"
    assert feeds["Slow feed"]["median_fetch_ms"] == 3050
    broken = feeds["Broken feed"]
    assert broken["failing"] and broken["last_outcome"] == "not_a_feed"
    assert broken["last_error"] == "an HTML page, not a feed"
    assert status["summary"] == {
        "feeds": 3,
        "feeds_enabled": 3,
        "feeds_failing": 1,
        "feeds_slow": 1,
        "slow_feed_ms": 2000,
    }
    backlog = status["backlog"]
    assert backlog["entries_pending"] == 1 and backlog["entries_retrying"] == 1
    assert backlog["articles_without_annotation"] == 2
    assert [r["stage"] for r in status["last_run_by_stage"]] == ["ingest", "transform"]
    lag = status["lag"]
    # article 1 landed before the transform run, article 2 after it
    assert lag["waiting_for_marts"] == 1
    assert 250 <= lag["landing_to_marts_median_s"] <= 350
    assert 3000 <= lag["publication_to_landing_median_s"] <= 6000


def test_backlog_counts_the_current_annotator_version(db_url: str) -> None:
    """After an upgrade, articles annotated only by an older version are backlog, counted once."""
    from transforms.version import ANNOTATOR_VERSION

    _seed(db_url)
    with psycopg.connect(db_url) as conn:
        ids = [r[0] for r in conn.execute("select article_id from raw.articles order by 1")]
        conn.execute(
            """
            insert into raw.annotated_articles
                (article_id, annotator_version, status, pipeline, annotated_at)
            values (%s, 'old', 'skipped_language', 'rules', now() - interval '1 day'),
                   (%s, 'old', 'skipped_language', 'rules', now() - interval '1 day'),
                   (%s, %s, 'skipped_language', 'rules', now())
            """,
            (ids[0], ids[1], ids[0], ANNOTATOR_VERSION),
        )
        backlog = collect_status(conn)["backlog"]
    assert backlog["articles_without_annotation"] == 1  # the second article: old version only
    assert backlog["annotation_skipped_language"] == 2  # one per article, not per version


#: What a pipe looks like to rich: no COLUMNS, nothing forcing a terminal.
PIPED = {"COLUMNS": None, "FORCE_COLOR": None, "TTY_COMPATIBLE": None}
LONG_NAME = "Continental Observer [World] – International Edition"


def _line_with(output: str, text: str) -> str:
    lines = [line for line in output.splitlines() if text in line]
    assert len(lines) == 1, output
    return lines[0]


def test_status_cli_json_and_table(db_env: str) -> None:
    _seed(db_env)
    with psycopg.connect(db_env) as conn:
        conn.execute("update raw.feeds set name = %s where name = 'Broken feed'", (LONG_NAME,))
    runner = CliRunner()
    result = runner.invoke(cli, ["status", "--json"], env=PIPED)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["summary"]["feeds_failing"] == 1
    assert LONG_NAME in {f["name"] for f in data["feeds"]}
    # piped: the table keeps its natural width, one line per feed, error beside it
    result = runner.invoke(cli, ["status"], env=PIPED)
    assert result.exit_code == 0, result.output
    row = _line_with(result.output, LONG_NAME)  # the name is whole, brackets too
    assert "failing" in row and "not_a_feed: an HTML page, not a feed" in row
    assert "slow" in _line_with(result.output, "Slow feed")
    assert max(len(line.rstrip()) for line in result.output.splitlines()) <= 200
    strict = runner.invoke(cli, ["status", "--strict"], env=PIPED)
    assert strict.exit_code == 1


def test_status_on_a_narrow_console_keeps_words_and_lists_errors(db_env: str) -> None:
    _seed(db_env)
    with psycopg.connect(db_env) as conn:
        conn.execute("update raw.feeds set name = %s where name = 'Broken feed'", (LONG_NAME,))
    result = CliRunner().invoke(cli, ["status"], env={**PIPED, "COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    # names wrap between words, never inside one ("Continenta / l")
    words = {w for line in lines for w in line.replace("│", " ").split()}
    assert {"Continental", "Observer", "International", "Edition"} <= words
    # the error, with no room in the table, is listed under it
    assert "Last errors of the failing feeds:" in result.output
    flat = " ".join(result.output.split())
    assert f"{LONG_NAME}: not_a_feed: an HTML page, not a feed" in flat


def test_status_on_empty_database(db_env: str) -> None:
    result = CliRunner().invoke(cli, ["status", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["feeds"] == [] and data["summary"]["feeds"] == 0
