"""Build the self-contained HTML report from the marts.

One file, no network: plotly.js is embedded once, each chart is a ``<div>``
with its data, and the tables are plain HTML, so the report can be mailed,
archived or opened offline.  The SQL lives in :mod:`newsflow.report.queries`,
the figures in :mod:`newsflow.report.charts`.
"""

from __future__ import annotations

from html import escape
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import urlsplit

import plotly.graph_objects as go
import psycopg
from plotly.offline import get_plotlyjs
from psycopg import sql

from newsflow.report import charts
from newsflow.report.queries import QUAD_LABELS, ReportData, load
from storage.connection import connect

PLOT_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}


def _template() -> Template:
    text = resources.files("newsflow.report").joinpath("template.html").read_text("utf-8")
    return Template(text)


def _chart_html(key: str, fig: go.Figure | None) -> str:
    if fig is None:
        return (
            f'<div class="empty" data-chart-empty="{key}">No data yet: the marts hold no rows '
            "for this chart.</div>"
        )
    body = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=f"chart-{key}",
        config=PLOT_CONFIG,
    )
    return f'<div class="chart" data-chart="{key}">{body}</div>'


def _kpis(data: ReportData) -> str:
    t = data.totals
    countries = {
        r[k] for r in data.dyads for k in ("actor1_country_code", "actor2_country_code") if r[k]
    }
    failing = sum(1 for r in data.health if r["health_status"] == "failing")
    items = [
        (t.get("events", 0), "events"),
        (t.get("mentions", 0), "mentions behind them"),
        (len(countries), "countries in dyads"),
        (t.get("source_actors", 0), "distinct source actors"),
        (len(data.health), f"feeds ({failing} failing)"),
    ]
    return "".join(
        f"<div class='kpi'><b>{value}</b><span>{label}</span></div>" for value, label in items
    )


def _quad(q: int | None) -> str:
    if q is None:
        return ""
    return f'<span class="quad q{q}">{escape(QUAD_LABELS.get(q, str(q)))}</span>'


def _actor(name: str | None, country: str | None) -> str:
    text = escape(name or "?")
    return f"{text} <small>({escape(country)})</small>" if country else text


def _latest_table(data: ReportData) -> str:
    if not data.latest:
        return '<div class="empty">No events yet.</div>'
    rows = []
    for r in data.latest:
        url = r["source_url"] or ""
        host = urlsplit(url).netloc or "source"
        place = r["action_place_name"] or ""
        if r["action_country_code"]:
            place = f"{place} ({r['action_country_code']})" if place else r["action_country_code"]
        rows.append(
            "<tr>"
            f"<td>{escape(str(r['event_date'] or '?'))}</td>"
            f"<td>{_actor(r['actor1_name'], r['actor1_country_code'])}</td>"
            f"<td><b>{escape(r['event_type'] or '')}</b><br>{_quad(r['quad_class'])}</td>"
            f"<td>{_actor(r['actor2_name'], r['actor2_country_code'])}</td>"
            f"<td>{escape(place)}</td>"
            f"<td class='num'>{r['num_articles']}/{r['num_sources']}</td>"
            f"<td class='sentence'>{escape(r['sentence'] or '')}"
            + (f" <a href='{escape(url)}'>{escape(host)}</a>" if url else "")
            + "</td></tr>"
        )
    return (
        "<table><thead><tr><th>date</th><th>actor 1</th><th>event</th><th>actor 2</th>"
        "<th>place</th><th>articles/ sources</th><th>sentence and source</th></tr></thead>"
        "<tbody>" + "".join(rows) + "</tbody></table>"
    )


def _health_table(data: ReportData) -> str:
    if not data.health:
        return ""
    rows = []
    for r in data.health:
        status = r["health_status"]
        problem = ""
        if status != "ok" and (r["last_outcome"] or r["last_error"]):
            problem = f"{r['last_outcome'] or ''}: {r['last_error'] or ''}".strip(": ")
        last = r["last_success_at"]
        words = "" if r["median_words_recent"] is None else str(int(r["median_words_recent"]))
        rows.append(
            "<tr>"
            f"<td>{escape(r['source_name'])}</td>"
            f"<td class='status-{escape(status)}'>{escape(status)}</td>"
            f"<td>{escape(last.strftime('%Y-%m-%d %H:%M UTC') if last else 'never')}</td>"
            f"<td class='num'>{r['consecutive_failures'] or 0}</td>"
            f"<td class='num'>{r['articles_recent']}</td>"
            f"<td class='num'>{words}</td>"
            f"<td>{escape(problem[:160])}</td>"
            "</tr>"
        )
    return (
        "<table><thead><tr><th>feed</th><th>health</th><th>last success</th><th>failures in a row"
        "</th><th>articles (7 days)</th><th>median words</th><th>last problem</th></tr></thead>"
        "<tbody>" + "".join(rows) + "</tbody></table>"
    )


def _period(data: ReportData) -> str:
    if data.first_day and data.last_day:
        return f"events from {data.first_day:%d %b %Y} to {data.last_day:%d %b %Y}"
    return "no events yet"


def _database_label(conn: psycopg.Connection[Any]) -> str:
    info = conn.info
    return f"database {info.dbname} on {info.host}:{info.port}"


def render(data: ReportData, *, database: str = "") -> str:
    """The report as one HTML document."""
    values: dict[str, str] = {
        "period": escape(_period(data)),
        "generated_at": escape(data.generated_at.strftime("%Y-%m-%d %H:%M UTC")),
        "database": escape(database),
        "plotly_js": get_plotlyjs(),
        "kpis": _kpis(data),
        "latest_table": _latest_table(data),
        "health_table": _health_table(data),
    }
    for key, _title, make in charts.CHARTS:
        values[f"chart_{key}"] = _chart_html(key, make(data))
    return _template().substitute(values)


def build_report(conn: psycopg.Connection[Any], *, role: str | None = None) -> str:
    """Read the marts over ``conn`` (optionally as ``role``, e.g. the reader) and render."""
    if role:
        conn.execute(sql.SQL("set role {}").format(sql.Identifier(role)))
    conn.execute("set timezone = 'UTC'")
    data = load(conn)
    return render(data, database=_database_label(conn))


def write_report(database_url: str, out: Path, *, role: str | None = None) -> Path:
    """Build the report and write it to ``out`` (parent folders created)."""
    with connect(database_url) as conn:
        html = build_report(conn, role=role)
    out = out.expanduser()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(out)
    return out
