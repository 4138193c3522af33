"""The HTML report on hand-made marts: reader role, self-contained file, Chromium render.

The marts here are written by hand with the columns the report reads, so the
renderer is tested without the whole pipeline; the demo test builds the real
marts with dbt and renders the report from them too.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from newsflow.cli import cli
from newsflow.report.browser import dump_dom, find_chromium
from newsflow.report.builder import build_report, write_report
from newsflow.report.queries import MartsMissingError

MARTS_DDL = """
create schema marts;
create table marts.fct_events (
    event_id text primary key, event_date date, actor1_code text, actor2_code text,
    event_type text, action_country_code text, actor1_name text, actor1_country_code text,
    actor2_name text, actor2_country_code text, quad_class int, action_place_name text,
    num_mentions int, num_articles int, num_sources int, is_background boolean,
    first_article_id bigint, source_url text, sentence text, published_at timestamptz
);
create table marts.mart_daily_events (event_date date, country_code text, quad_class int,
    num_events int);
create table marts.mart_dyads (event_date date, actor1_country_code text,
    actor2_country_code text, event_type text, quad_class int, num_events int);
create table marts.mart_actor_activity (event_date date, actor_code text, actor_name text,
    country_code text, num_events_as_actor1 int, num_events_as_actor2 int,
    num_cooperative_events int, num_conflictual_events int);
create table marts.mart_source_health (health_scope text, source_name text, source_url text,
    health_status text, last_success_at timestamptz, consecutive_failures int,
    last_outcome text, last_error text, fetches_recent int, failures_recent int,
    articles_recent int, median_words_recent numeric, extraction_failures_recent int);
create table marts.dim_actors (actor_code text, actor_name text, actor_kind text,
    country_code text, country_name text);
grant usage on schema marts to newsflow_reader;
grant select on all tables in schema marts to newsflow_reader;
"""

EVENTS = [
    # day, a1, a2, type, quad, sentence
    (1, "ARM", "AZE", "CONSULT", 1, "Armenia's foreign minister met Azerbaijan's in Brussels."),
    (3, "ARM", "AZE", "AGREE", 1, "Armenia and Azerbaijan signed an agreement on the border."),
    (2, "ZAF", "MOZ", "AID", 2, "South Africa sent aid to Mozambique on Monday."),
    (6, "AZE", "ARM", "ACCUSE", 3, "Azerbaijan accused Armenia of violating the ceasefire."),
    (7, "AZE", "ARM", "ASSAULT", 4, "Azerbaijani forces shelled Armenian positions <near Sotk>."),
    (2, "USA", "IRN", "SANCTION", 4, "The United States imposed sanctions on shipping firms."),
    (5, "EUR", "RUS", "SANCTION", 4, "The European Union imposed new sanctions on Russia."),
]
NAMES = {
    "ARM": "Armenia",
    "AZE": "Azerbaijan",
    "ZAF": "South Africa",
    "MOZ": "Mozambique",
    "USA": "United States",
    "IRN": "Iran",
    "EUR": "European Union",
    "RUS": "Russia",
}


def _seed_marts(url: str) -> None:
    day0 = date(2026, 3, 1)
    with psycopg.connect(url) as conn:
        conn.execute(MARTS_DDL)
        for i, (day, a1, a2, etype, quad, sentence) in enumerate(EVENTS):
            d = day0 + timedelta(days=day - 1)
            conn.execute(
                "insert into marts.fct_events values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
                " %s, %s, 2, 2, 1, false, %s, %s, %s, now())",
                (
                    f"e{i}",
                    d,
                    a1,
                    a2,
                    etype,
                    a2,
                    NAMES[a1],
                    a1,
                    NAMES[a2],
                    a2,
                    quad,
                    "Brussels",
                    i,
                    f"http://127.0.0.1:1/a/{i}.html",
                    sentence,
                ),
            )
            conn.execute(
                "insert into marts.mart_dyads values (%s, %s, %s, %s, %s, 1)",
                (d, a1, a2, etype, quad),
            )
            for code, as1 in ((a1, 1), (a2, 0)):
                conn.execute(
                    "insert into marts.mart_actor_activity values (%s, %s, %s, %s, %s, %s, %s, %s)",
                    (d, code, NAMES[code], code, as1, 1 - as1, int(quad < 3), int(quad > 2)),
                )
        conn.execute(
            "insert into marts.fct_events (event_id, event_date, event_type, quad_class,"
            " is_background, sentence) values ('bg', '2020-09-27', 'ASSAULT', 4, true,"
            " 'Armenia and Azerbaijan fought a war in 2020.')"
        )
        conn.cursor().executemany(
            "insert into marts.dim_actors values (%s, %s, 'country', %s, %s)",
            [(c, n, c, n) for c, n in NAMES.items()],
        )
        conn.execute(
            """
            insert into marts.mart_source_health values
            ('feed', 'Global Wire Service: World', 'u1', 'ok', now(), 0, 'ok', null, 1, 0, 19,
             210, 0),
            ('feed', 'Northern Gazette: World (broken feed)', 'u2', 'failing', null, 3,
             'not_a_feed', 'HTML page, not a feed', 1, 1, 0, null, 0)
            """
        )


def test_report_needs_marts(db_env: str, tmp_path: Path) -> None:
    with psycopg.connect(db_env) as conn, pytest.raises(MartsMissingError):
        build_report(conn)
    result = CliRunner().invoke(cli, ["report", "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert "newsflow transform" in result.output


def test_report_as_reader_role(db_env: str, tmp_path: Path) -> None:
    _seed_marts(db_env)
    out = tmp_path / "sub" / "report.html"
    result = CliRunner().invoke(cli, ["report", "--out", str(out), "--role", "newsflow_reader"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    # self-contained: plotly.js inline, no external scripts or stylesheets
    assert "Plotly" in html and len(html) > 1_000_000
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+stylesheet", html)
    for key in ("daily", "actors", "dyads", "types", "health"):
        assert f'data-chart="{key}"' in html
    # the latest-events table, escaped, without background events
    assert "Azerbaijani forces shelled Armenian positions &lt;near Sotk&gt;." in html
    assert "fought a war in 2020" not in html
    assert "not_a_feed: HTML page, not a feed" in html


def test_reader_cannot_read_raw(db_env: str) -> None:
    _seed_marts(db_env)
    with psycopg.connect(db_env) as conn:
        conn.execute("set role newsflow_reader")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("select count(*) from raw.articles")


@pytest.mark.skipif(
    find_chromium() is None,
    reason="Chromium is not installed (Debian: apt-get install chromium); "
    "the report's browser check needs it",
)
def test_report_renders_in_chromium(db_env: str, tmp_path: Path) -> None:
    _seed_marts(db_env)
    out = write_report(db_env, tmp_path / "report.html", role="newsflow_reader")
    run = dump_dom(out)
    assert run.returncode == 0, run.stderr[-2000:]
    assert_report_rendered(run.stdout, run.console_errors(), charts=5)


def assert_report_rendered(dom: str, console_errors: list[str], *, charts: int) -> None:
    """Every chart drawn with data, and no script errors (page probe or Chromium log)."""
    assert console_errors == []
    body = re.search(r"<body[^>]*>", dom)
    assert body, dom[:500]
    attrs = dict(re.findall(r'data-([a-z-]+)="(\d+)"', body.group(0)))
    assert attrs.get("errors") == "0", re.search(r'id="render-status">[^<]*', dom)
    assert attrs.get("charts") == str(charts)
    assert attrs.get("charts-drawn") == str(charts)
    points = re.findall(r'data-chart="(\w+)" data-points="(\d+)"', dom)
    assert len(points) == charts and all(int(n) > 0 for _, n in points), points
    assert "main-svg" in dom  # plotly drew SVG
