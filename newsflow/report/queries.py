"""What the report shows, read from the ``marts`` schema only.

The report must work for the reader role (``newsflow_reader``: SELECT on
``marts`` and nothing else), so every query here names ``marts`` tables and
nothing from ``raw``, ``staging`` or ``intermediate``.  Background events
(history an article recalls) are left out, as in the dashboard marts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

QUAD_LABELS = {
    1: "Verbal cooperation",
    2: "Material cooperation",
    3: "Verbal conflict",
    4: "Material conflict",
}

MART_TABLES = (
    "fct_events",
    "mart_daily_events",
    "mart_dyads",
    "mart_actor_activity",
    "mart_source_health",
    "dim_actors",
)

TOTALS_SQL = """
select
    count(*)::int as events,
    coalesce(sum(num_mentions), 0)::int as mentions,
    count(distinct first_article_id)::int as first_reports,
    min(event_date) as first_day,
    max(event_date) as last_day,
    count(distinct actor1_code) filter (where actor1_code is not null)::int as source_actors
from marts.fct_events
where not is_background
"""

DAILY_SQL = """
select event_date, quad_class, count(*)::int as events
from marts.fct_events
where not is_background and event_date is not null
group by event_date, quad_class
order by event_date, quad_class
"""

ACTORS_SQL = """
select
    actor_code,
    coalesce(min(actor_name), actor_code) as actor_name,
    min(country_code) as country_code,
    sum(num_cooperative_events)::int as cooperative,
    sum(num_conflictual_events)::int as conflictual,
    sum(num_events_as_actor1 + num_events_as_actor2)::int as events
from marts.mart_actor_activity
group by actor_code
order by events desc, actor_code
limit %(limit)s
"""

DYADS_SQL = """
select actor1_country_code, actor2_country_code, sum(num_events)::int as events
from marts.mart_dyads
where actor1_country_code <> actor2_country_code
group by actor1_country_code, actor2_country_code
"""

EVENT_TYPES_SQL = """
select event_type, min(quad_class) as quad_class, count(*)::int as events
from marts.fct_events
where not is_background
group by event_type
order by events desc, event_type
"""

LATEST_SQL = """
select
    event_date,
    actor1_name,
    actor1_country_code,
    event_type,
    quad_class,
    actor2_name,
    actor2_country_code,
    action_place_name,
    action_country_code,
    num_articles,
    num_sources,
    sentence,
    source_url
from marts.fct_events
where not is_background
order by event_date desc nulls last, published_at desc nulls last, event_id
limit %(limit)s
"""

COUNTRY_NAMES_SQL = """
select distinct on (country_code) country_code, country_name
from marts.dim_actors
where country_code is not null and country_name is not null
order by country_code, (actor_kind = 'country') desc
"""

HEALTH_SQL = """
select
    source_name,
    source_url,
    health_status,
    last_success_at,
    consecutive_failures,
    last_outcome,
    last_error,
    fetches_recent,
    failures_recent,
    articles_recent,
    median_words_recent,
    extraction_failures_recent
from marts.mart_source_health
where health_scope = 'feed'
order by source_name
"""


@dataclass
class ReportData:
    generated_at: datetime
    totals: dict[str, Any]
    daily: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    dyads: list[dict[str, Any]] = field(default_factory=list)
    event_types: list[dict[str, Any]] = field(default_factory=list)
    latest: list[dict[str, Any]] = field(default_factory=list)
    health: list[dict[str, Any]] = field(default_factory=list)
    country_names: dict[str, str] = field(default_factory=dict)

    def country(self, code: str | None) -> str:
        if not code:
            return "?"
        return self.country_names.get(code, code)

    @property
    def first_day(self) -> date | None:
        value = self.totals.get("first_day")
        return value if isinstance(value, date) else None

    @property
    def last_day(self) -> date | None:
        value = self.totals.get("last_day")
        return value if isinstance(value, date) else None


class MartsMissingError(RuntimeError):
    """The marts have not been built in this database yet."""


def check_marts(conn: psycopg.Connection[Any]) -> None:
    missing = [
        t
        for t in MART_TABLES
        if conn.execute("select to_regclass(%s)", (f"marts.{t}",)).fetchone() == (None,)
    ]
    if missing:
        raise MartsMissingError(
            "the marts are not built yet (missing: "
            + ", ".join(f"marts.{t}" for t in missing)
            + "); run `newsflow transform` (or `newsflow demo`) first"
        )


def load(conn: psycopg.Connection[Any], *, top_actors: int = 15, latest: int = 25) -> ReportData:
    """Everything the report needs, in a handful of queries over the marts."""
    check_marts(conn)
    with conn.cursor(row_factory=dict_row) as cur:
        totals = cur.execute(TOTALS_SQL).fetchone() or {}
        data = ReportData(
            generated_at=cur.execute("select now() as now").fetchone()["now"],  # type: ignore[index]
            totals=dict(totals),
            daily=cur.execute(DAILY_SQL).fetchall(),
            actors=cur.execute(ACTORS_SQL, {"limit": top_actors}).fetchall(),
            dyads=cur.execute(DYADS_SQL).fetchall(),
            event_types=cur.execute(EVENT_TYPES_SQL).fetchall(),
            latest=cur.execute(LATEST_SQL, {"limit": latest}).fetchall(),
            health=cur.execute(HEALTH_SQL).fetchall(),
        )
        data.country_names = {
            r["country_code"]: r["country_name"] for r in cur.execute(COUNTRY_NAMES_SQL).fetchall()
        }
    return data
