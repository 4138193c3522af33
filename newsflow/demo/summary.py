"""What landed: the figures ``newsflow demo`` prints after the pipeline ran.

Ingestion figures are restricted to the demo's own feeds (a user's database
may hold other feeds too); the event figures come from the marts, which are
the warehouse as a whole.  Everything is plain JSON types (``--json``).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import psycopg
from psycopg.rows import dict_row

from newsflow.report.queries import QUAD_LABELS
from storage import health, monitoring

QUADS_SQL = """
select quad_class, count(*) as events, coalesce(sum(num_mentions), 0) as mentions
from marts.fct_events
where not is_background
group by quad_class
order by quad_class
"""

EVENT_TOTALS_SQL = """
select
    count(*) filter (where not is_background) as events,
    count(*) filter (where is_background) as background_events,
    coalesce(sum(num_mentions) filter (where not is_background), 0) as mentions,
    count(distinct event_type) as event_types
from marts.fct_events
"""

ACTORS_SQL = """
select
    actor_code,
    coalesce(min(actor_name), actor_code) as actor_name,
    sum(num_events_as_actor1 + num_events_as_actor2) as events
from marts.mart_actor_activity
group by actor_code
order by events desc, actor_code
limit 10
"""

ACTOR_COUNT_SQL = """
select count(distinct code) from (
    select actor1_code as code from marts.fct_events
    union
    select actor2_code from marts.fct_events
) as codes
where code is not null
"""

DYADS_SQL = """
select
    actor1_country_code as source,
    actor2_country_code as target,
    sum(num_events) as events,
    string_agg(distinct event_type, ', ' order by event_type) as event_types
from marts.mart_dyads
where actor1_country_code <> actor2_country_code
group by actor1_country_code, actor2_country_code
order by events desc, source, target
limit 10
"""

UNRESOLVED_SQL = """
select mention_term, entity_label, num_mentions, num_articles
from marts.mart_unresolved_actors
order by num_mentions desc, mention_term
limit 8
"""


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def collect(conn: psycopg.Connection[Any], feed_urls: list[str]) -> dict[str, Any]:
    """The demo's figures: ingestion (demo feeds), annotation, events (marts)."""
    out: dict[str, Any] = {
        "ingest": monitoring.demo_ingest(conn, feed_urls),
        "page_failures": monitoring.demo_page_failures(conn, feed_urls),
        "feed_failures": [asdict(f) for f in health.failing_feeds(conn, feed_urls)],
        "annotation": monitoring.demo_annotations(conn, feed_urls),
        "marts_built": monitoring.exists(conn, "marts.fct_events"),
    }
    with conn.cursor(row_factory=dict_row) as cur:
        if out["marts_built"]:
            out["events"] = cur.execute(EVENT_TOTALS_SQL).fetchone()
            out["quad_classes"] = [
                {**r, "label": QUAD_LABELS.get(r["quad_class"], str(r["quad_class"]))}
                for r in cur.execute(QUADS_SQL).fetchall()
            ]
            out["actors"] = cur.execute(ACTORS_SQL).fetchall()
            row = conn.execute(ACTOR_COUNT_SQL).fetchone()
            out["actor_count"] = int(row[0]) if row else 0
            out["dyads"] = cur.execute(DYADS_SQL).fetchall()
            out["unresolved_actors"] = (
                cur.execute(UNRESOLVED_SQL).fetchall()
                if monitoring.exists(conn, "marts.mart_unresolved_actors")
                else []
            )
    return _plain(out)


def counts(summary: dict[str, Any]) -> dict[str, int]:
    """The figures a second run must leave unchanged (idempotence)."""
    ingest = summary["ingest"]
    out = {
        k: int(ingest[k])
        for k in (
            "feeds",
            "feed_entries",
            "articles",
            "exact_duplicates",
            "near_duplicate_clusters",
            "near_duplicate_copies",
        )
    }
    if summary.get("marts_built"):
        out["events"] = int(summary["events"]["events"])
        out["mentions"] = int(summary["events"]["mentions"])
        out["actors"] = int(summary["actor_count"])
    return out
