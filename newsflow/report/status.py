"""Operational status of a newsflow database: what ``newsflow status`` shows.

Everything comes from the ``raw`` schema (feed health, the fetch log, the
backlog, the runs table), plus the time the marts were last rebuilt, so it
works before dbt has ever run.  Values are plain JSON types so ``--json``
output can be read by scripts and monitoring.

Settings (environment):

* ``NEWSFLOW_SLOW_FEED_MS`` (default 2000): a feed whose median fetch time over
  its recent fetches reaches this is reported as slow;
* ``NEWSFLOW_STATUS_RECENT_FETCHES`` (default 20): how many recent fetches per
  feed the timing uses.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from newsflow.settings import app as app_settings
from newsflow.settings.app import StatusSettings
from transforms.version import ANNOTATOR_VERSION

#: outcomes of a feed fetch that are not failures
HEALTHY_OUTCOMES = ("ok", "not_modified")


FEEDS_SQL = """
with recent as (
    select
        feed_id,
        duration_ms,
        row_number() over (partition by feed_id order by fetched_at desc, fetch_id desc) as rn
    from raw.fetch_log
    where kind = 'feed' and feed_id is not null and duration_ms is not null
),
timing as (
    select
        feed_id,
        count(*) as fetches,
        percentile_cont(0.5) within group (order by duration_ms) as median_ms,
        max(duration_ms) as max_ms
    from recent
    where rn <= %(recent)s
    group by feed_id
)
select
    f.feed_id,
    f.name,
    f.url,
    f.enabled,
    f.tags,
    f.last_fetched_at,
    f.last_success_at,
    f.last_status,
    f.last_outcome,
    f.last_error,
    f.consecutive_failures,
    f.next_due_at,
    f.entries_seen,
    f.extract_attempts,
    f.extract_failures,
    f.median_words,
    coalesce(t.fetches, 0) as recent_fetches,
    t.median_ms,
    t.max_ms
from raw.feeds as f
left join timing as t on t.feed_id = f.feed_id
order by f.name, f.feed_id
"""

BACKLOG_SQL = """
with latest_annotations as (
    select distinct on (article_id) article_id, status
    from raw.annotated_articles
    order by article_id, annotated_at desc, annotator_version desc
)
select
    (select count(*) from raw.feed_entries where article_status = 'pending') as entries_pending,
    (select count(*) from raw.feed_entries where article_status = 'failed') as entries_retrying,
    (select count(*) from raw.feed_entries where article_status = 'gave_up') as entries_gave_up,
    (select count(*) from raw.articles) as articles,
    -- the annotator's backlog: articles without an annotation by its current version
    (
        select count(*)
        from raw.articles as a
        where a.duplicate_of is null
          and not exists (
              select 1 from raw.annotated_articles as n
              where n.article_id = a.article_id and n.annotator_version = %(annotator_version)s
          )
    ) as articles_without_annotation,
    -- outcomes of each article's latest annotation (older versions stay for audit)
    (select count(*) from latest_annotations where status = 'error') as annotation_errors,
    (
        select count(*) from latest_annotations where status = 'skipped_language'
    ) as annotation_skipped_language
"""

RUNS_SQL = """
select run_id, stage, started_at, finished_at, status, counts
from raw.runs
order by started_at desc
limit %(limit)s
"""

LAST_RUNS_SQL = """
select distinct on (stage) stage, run_id, started_at, finished_at, status
from raw.runs
order by stage, started_at desc
"""

# Publication -> landing: how long after an article was published it landed.
# Landing -> marts: from landing to the end of the first successful transform
# run after it; articles landed since the last such run are still waiting.
LAG_SQL = """
with recent as (
    select article_id, published_at, loaded_at
    from raw.articles
    where duplicate_of is null
      and loaded_at >= (select max(loaded_at) from raw.articles) - interval '7 days'
),
transforms as (
    select finished_at
    from raw.runs
    where stage = 'transform'
      and status in ('ok', 'success', 'succeeded')
      and finished_at is not null
),
marts as (
    select
        r.article_id,
        r.loaded_at,
        (select min(t.finished_at) from transforms as t where t.finished_at >= r.loaded_at)
            as in_marts_at
    from recent as r
)
select
    (select count(*) from recent) as articles,
    (
        select percentile_cont(0.5) within group (
            order by extract(epoch from loaded_at - published_at)
        )
        from recent where published_at is not null and published_at <= loaded_at
    ) as publication_to_landing_median_s,
    (
        select percentile_cont(0.9) within group (
            order by extract(epoch from loaded_at - published_at)
        )
        from recent where published_at is not null and published_at <= loaded_at
    ) as publication_to_landing_p90_s,
    (
        select percentile_cont(0.5) within group (
            order by extract(epoch from in_marts_at - loaded_at)
        )
        from marts where in_marts_at is not null
    ) as landing_to_marts_median_s,
    (select count(*) from marts where in_marts_at is null) as waiting_for_marts,
    (select max(loaded_at) from raw.articles) as last_article_loaded_at,
    (select max(finished_at) from transforms) as marts_built_at
"""


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 1)
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value


def collect_status(conn: psycopg.Connection[Any], settings: StatusSettings | None = None) -> dict:
    """Feed health, backlog, recent runs and lag, as JSON-ready values."""
    settings = settings or app_settings.status()
    with conn.cursor(row_factory=dict_row) as cur:
        feeds = cur.execute(FEEDS_SQL, {"recent": settings.recent_fetches}).fetchall()
        backlog = (
            cur.execute(BACKLOG_SQL, {"annotator_version": ANNOTATOR_VERSION}).fetchone() or {}
        )
        runs = cur.execute(RUNS_SQL, {"limit": 10}).fetchall()
        last_runs = cur.execute(LAST_RUNS_SQL).fetchall()
        lag = cur.execute(LAG_SQL).fetchone() or {}

    out_feeds = []
    for f in feeds:
        failing = f["consecutive_failures"] > 0 or (
            f["last_outcome"] is not None and f["last_outcome"] not in HEALTHY_OUTCOMES
        )
        median_ms = f["median_ms"]
        slow = median_ms is not None and median_ms >= settings.slow_feed_ms
        extract_failure_rate = (
            f["extract_failures"] / f["extract_attempts"] if f["extract_attempts"] else None
        )
        state = "failing" if failing else "slow" if slow else "never fetched"
        if not failing and not slow and f["last_fetched_at"] is not None:
            state = "ok"
        if not f["enabled"]:
            state = "disabled"
        out_feeds.append(
            {
                **{k: f[k] for k in f if k not in ("median_ms", "max_ms")},
                "median_fetch_ms": None if median_ms is None else int(median_ms),
                "max_fetch_ms": f["max_ms"],
                "extract_failure_rate": extract_failure_rate,
                "failing": failing,
                "slow": slow,
                "state": state,
            }
        )

    lag_out = dict(lag)

    summary = {
        "feeds": len(out_feeds),
        "feeds_enabled": sum(1 for f in out_feeds if f["enabled"]),
        "feeds_failing": sum(1 for f in out_feeds if f["failing"]),
        "feeds_slow": sum(1 for f in out_feeds if f["slow"]),
        "slow_feed_ms": settings.slow_feed_ms,
    }
    return _json(
        {
            "summary": summary,
            "feeds": out_feeds,
            "backlog": dict(backlog),
            "last_run_by_stage": [dict(r) for r in last_runs],
            "runs": [dict(r) for r in runs],
            "lag": lag_out,
        }
    )
