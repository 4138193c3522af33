"""The report's charts, drawn with plotly from :class:`~newsflow.report.queries.ReportData`.

Colours come from the Okabe-Ito palette, which stays distinguishable for the
common forms of colour blindness and in greyscale print; the dyad matrix uses
a single-hue sequential scale with the numbers written in the cells, so it
does not depend on colour at all.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import plotly.graph_objects as go

from newsflow.report.queries import QUAD_LABELS, ReportData

#: Okabe & Ito (2008), "Color Universal Design"
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
    "grey": "#999999",
}
QUAD_COLOURS = {
    1: OKABE_ITO["sky_blue"],
    2: OKABE_ITO["blue"],
    3: OKABE_ITO["orange"],
    4: OKABE_ITO["vermillion"],
}
HEALTH_COLOURS = {
    "ok": OKABE_ITO["bluish_green"],
    "degraded": OKABE_ITO["orange"],
    "silent": OKABE_ITO["reddish_purple"],
    "failing": OKABE_ITO["vermillion"],
    "disabled": OKABE_ITO["grey"],
}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def _layout(fig: go.Figure, *, height: int, **kwargs: Any) -> go.Figure:
    fig.update_layout(
        template="simple_white",
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        font={"family": FONT, "size": 13, "color": "#222"},
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "x": 0,
            "traceorder": "normal",
        },
        **kwargs,
    )
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    return fig


def daily_by_quad(data: ReportData) -> go.Figure | None:
    if not data.daily:
        return None
    days = sorted({r["event_date"] for r in data.daily})
    counts: dict[int, dict[Any, int]] = defaultdict(dict)
    for r in data.daily:
        counts[r["quad_class"]][r["event_date"]] = r["events"]
    fig = go.Figure()
    for quad, label in QUAD_LABELS.items():
        fig.add_bar(
            name=label,
            x=days,
            y=[counts[quad].get(d, 0) for d in days],
            marker_color=QUAD_COLOURS[quad],
            marker_line={"color": "#fff", "width": 0.5},
            hovertemplate="%{x|%a %d %b}: %{y} events<extra>" + label + "</extra>",
        )
    _layout(fig, height=340, barmode="stack", bargap=0.25)
    fig.update_xaxes(tickformat="%a\n%d %b", dtick=86400000)
    fig.update_yaxes(title_text="events")
    return fig


def busiest_actors(data: ReportData) -> go.Figure | None:
    if not data.actors:
        return None
    rows = list(reversed(data.actors))  # largest at the top
    names = [f"{r['actor_name']} ({r['actor_code']})" for r in rows]
    fig = go.Figure()
    fig.add_bar(
        name="Cooperation (quad 1-2)",
        y=names,
        x=[r["cooperative"] for r in rows],
        orientation="h",
        marker_color=OKABE_ITO["blue"],
        hovertemplate="%{y}: %{x} cooperative<extra></extra>",
    )
    fig.add_bar(
        name="Conflict (quad 3-4)",
        y=names,
        x=[r["conflictual"] for r in rows],
        orientation="h",
        marker_color=OKABE_ITO["vermillion"],
        hovertemplate="%{y}: %{x} conflictual<extra></extra>",
    )
    _layout(fig, height=max(260, 26 * len(rows) + 80), barmode="stack")
    fig.update_xaxes(title_text="events (as actor 1 or actor 2)")
    return fig


def dyad_matrix(data: ReportData, *, limit: int = 14) -> go.Figure | None:
    if not data.dyads:
        return None
    activity: dict[str, int] = defaultdict(int)
    for r in data.dyads:
        activity[r["actor1_country_code"]] += r["events"]
        activity[r["actor2_country_code"]] += r["events"]
    codes = sorted(activity, key=lambda c: (-activity[c], c))[:limit]
    index = {c: i for i, c in enumerate(codes)}
    z: list[list[int | None]] = [[None] * len(codes) for _ in codes]
    for r in data.dyads:
        a, b = r["actor1_country_code"], r["actor2_country_code"]
        if a in index and b in index:
            z[index[a]][index[b]] = (z[index[a]][index[b]] or 0) + r["events"]
    labels = [data.country(c) for c in codes]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=labels,
            y=labels,
            colorscale=[[0.0, "#EEF5FB"], [1.0, OKABE_ITO["blue"]]],
            zmin=0,
            texttemplate="%{z}",
            hoverongaps=False,
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": "events"}, "thickness": 12},
            hovertemplate="%{y} → %{x}: %{z} events<extra></extra>",
        )
    )
    _layout(fig, height=max(360, 34 * len(codes) + 140))
    fig.update_yaxes(autorange="reversed", title_text="actor 1 (source)")
    fig.update_xaxes(title_text="actor 2 (target)", tickangle=-40, side="bottom")
    return fig


def event_type_mix(data: ReportData) -> go.Figure | None:
    if not data.event_types:
        return None
    rows = list(reversed(data.event_types))
    fig = go.Figure()
    for quad, label in QUAD_LABELS.items():
        part = [r for r in rows if r["quad_class"] == quad]
        if not part:
            continue
        fig.add_bar(
            name=label,
            y=[r["event_type"] for r in part],
            x=[r["events"] for r in part],
            orientation="h",
            marker_color=QUAD_COLOURS[quad],
            hovertemplate="%{y}: %{x} events<extra>" + label + "</extra>",
        )
    _layout(fig, height=max(260, 24 * len(rows) + 80))
    fig.update_yaxes(categoryorder="array", categoryarray=[r["event_type"] for r in rows])
    fig.update_xaxes(title_text="events")
    return fig


def feed_health(data: ReportData) -> go.Figure | None:
    if not data.health:
        return None
    rows = list(reversed(data.health))
    fig = go.Figure()
    statuses = sorted({r["health_status"] for r in rows}, key=list(HEALTH_COLOURS).index)
    for status in statuses:
        part = [r for r in rows if r["health_status"] == status]
        fig.add_bar(
            name=status,
            y=[r["source_name"] for r in part],
            x=[max(r["articles_recent"], 0) for r in part],
            orientation="h",
            marker_color=HEALTH_COLOURS.get(status, OKABE_ITO["grey"]),
            text=[
                (f"{r['last_outcome']}" if status == "failing" and r["last_outcome"] else "")
                for r in part
            ],
            textposition="outside",
            hovertemplate="%{y}: %{x} articles in the last 7 days<extra>" + status + "</extra>",
        )
    _layout(fig, height=max(240, 28 * len(rows) + 80))
    fig.update_yaxes(categoryorder="array", categoryarray=[r["source_name"] for r in rows])
    fig.update_xaxes(title_text="articles landed in the last 7 days")
    return fig


CHARTS = (
    ("daily", "Events per day by quad class", daily_by_quad),
    ("actors", "The busiest actors", busiest_actors),
    ("dyads", "Who acts on whom: country × country", dyad_matrix),
    ("types", "Event-type mix", event_type_mix),
    ("health", "Feed health", feed_health),
)
