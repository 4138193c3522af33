"""What the application reads about the pipeline's state: backlog, lag, counts, summaries.

``newsflow status``, the nightly quality summary, the demo's summary, the DAG
tasks and the CLI ask these read-only questions of the ``raw`` tables.  Feed
health has its own module (:mod:`storage.health`), runs theirs
(:mod:`storage.runs`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from storage import annotations

__all__ = [
    "articles_since",
    "backlog",
    "demo_annotations",
    "demo_ingest",
    "demo_page_failures",
    "enabled_feeds",
    "exists",
    "feed_known",
    "feed_urls_like",
    "lag",
    "landing_times",
    "quality_counts",
]


def exists(conn: psycopg.Connection[Any], relation: str) -> bool:
    """Whether a table or view (``schema.name``) exists yet."""
    row = conn.execute("select to_regclass(%s) is not null", (relation,)).fetchone()
    return bool(row and row[0])


# --- newsflow status -----------------------------------------------------------

_BACKLOG_SQL = """
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
    -- outcomes of each article's latest annotation (older versions stay for audit)
    (select count(*) from latest_annotations where status = 'error') as annotation_errors,
    (
        select count(*) from latest_annotations where status = 'skipped_language'
    ) as annotation_skipped_language
"""

# Publication -> landing: how long after an article was published it landed.
# Landing -> marts: from landing to the end of the first successful transform
# run after it; articles landed since the last such run are still waiting.
_LAG_SQL = """
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


#: the annotator's backlog: articles without an annotation by its current version.
#: The annotation family (``storage.annotations``, issue 13's transforms helper) owns
#: this definition; when it lands, :func:`backlog` counts with it and this goes.
def backlog(conn: psycopg.Connection[Any], *, annotator_version: str) -> dict[str, Any]:
    """Entries waiting for their page, articles waiting for ``annotator_version``, errors."""
    with conn.cursor(row_factory=dict_row) as cur:
        counts = dict(cur.execute(_BACKLOG_SQL).fetchone() or {})
    waiting = annotations.count_pending(conn, annotator_version)
    # the keys in the order `newsflow status --json` has always printed them
    order = ["entries_pending", "entries_retrying", "entries_gave_up", "articles"]
    return {
        **{k: counts[k] for k in order},
        "articles_without_annotation": waiting,
        **{k: v for k, v in counts.items() if k not in order},
    }


def lag(conn: psycopg.Connection[Any]) -> dict[str, Any]:
    """Publication -> landing and landing -> marts over the last week of articles."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(_LAG_SQL).fetchone() or {}


# --- nightly quality -----------------------------------------------------------

#: name -> (relation that must exist, query); %(start)s/%(end)s bound the window.
#: ``feeds_failing`` is :mod:`storage.health`'s and added by :func:`quality_counts`.
_COUNTS: dict[str, tuple[str, str]] = {
    "feeds_enabled": ("raw.feeds", "select count(*) from raw.feeds where enabled"),
    "feeds_never_succeeded": (
        "raw.feeds",
        "select count(*) from raw.feeds where enabled and last_success_at is null",
    ),
    "entries_pending": (
        "raw.feed_entries",
        "select count(*) from raw.feed_entries where article_status in ('pending', 'failed')",
    ),
    "entries_gave_up": (
        "raw.feed_entries",
        "select count(*) from raw.feed_entries where article_status = 'gave_up'",
    ),
    "articles_total": ("raw.articles", "select count(*) from raw.articles"),
    "articles_in_window": (
        "raw.articles",
        "select count(*) from raw.articles where loaded_at >= %(start)s and loaded_at < %(end)s",
    ),
    "articles_duplicate": (
        "raw.articles",
        "select count(*) from raw.articles where duplicate_of is not null",
    ),
    "fetches_in_window": (
        "raw.fetch_log",
        "select count(*) from raw.fetch_log where fetched_at >= %(start)s and fetched_at < %(end)s",
    ),
    "fetches_failed_in_window": (
        "raw.fetch_log",
        "select count(*) from raw.fetch_log where fetched_at >= %(start)s"
        " and fetched_at < %(end)s and outcome not in ('ok', 'not_modified')",
    ),
    "annotations_ok": (
        "raw.annotated_articles",
        "select count(*) from raw.annotated_articles where status = 'ok'",
    ),
    "annotations_error": (
        "raw.annotated_articles",
        "select count(*) from raw.annotated_articles where status = 'error'",
    ),
    "event_mentions": ("raw.event_mentions", "select count(*) from raw.event_mentions"),
    "fct_events": ("marts.fct_events", "select count(*) from marts.fct_events"),
}


def quality_counts(
    conn: psycopg.Connection[Any], *, start: datetime, end: datetime
) -> dict[str, int]:
    """The nightly counts; a table that does not exist yet counts as zero."""
    from storage import health

    params = {"start": start, "end": end}
    counts: dict[str, int] = {}
    for name, (relation, query) in _COUNTS.items():
        if not exists(conn, relation):
            counts[name] = 0
            continue
        row = conn.execute(query, params).fetchone()  # type: ignore[arg-type]
        counts[name] = int(row[0]) if row else 0
    failing = health.failing_count(conn) if exists(conn, "raw.feeds") else 0
    first, *rest = counts.items()
    return dict([first, ("feeds_failing", failing), *rest])


# --- the CLI and the DAG tasks -----------------------------------------------------


def enabled_feeds(conn: psycopg.Connection[Any]) -> tuple[int, datetime | None]:
    """(enabled feeds, the earliest ``next_due_at`` among them)."""
    row = conn.execute("select count(*), min(next_due_at) from raw.feeds where enabled").fetchone()
    return (int(row[0]), row[1]) if row else (0, None)


def feed_known(conn: psycopg.Connection[Any], url: str) -> bool:
    return conn.execute("select 1 from raw.feeds where url = %s", (url,)).fetchone() is not None


def feed_urls_like(conn: psycopg.Connection[Any], pattern: str) -> list[str]:
    """URLs of the catalogue matching a SQL ``like`` pattern."""
    rows = conn.execute("select url from raw.feeds where url like %s", (pattern,)).fetchall()
    return [str(url) for (url,) in rows]


def articles_since(conn: psycopg.Connection[Any], since: datetime) -> int:
    """Articles first seen at or after ``since``."""
    row = conn.execute(
        "select count(*) from raw.articles where first_seen_at >= %s", (since,)
    ).fetchone()
    return int(row[0]) if row else 0


def landing_times(
    conn: psycopg.Connection[Any], links: Sequence[str]
) -> list[tuple[str, int, float | None, bool, float | None]]:
    """For each article linked from these entry URLs: (link, article id, loaded at,
    whether it is an exact duplicate, first annotated at), times as epoch seconds."""
    return conn.execute(
        "select s.linked_url, a.article_id, extract(epoch from a.loaded_at),"
        " a.duplicate_of is not null,"
        " extract(epoch from (select min(annotated_at) from raw.annotated_articles aa"
        "                      where aa.article_id = a.article_id))"
        " from raw.article_sources s join raw.articles a using (article_id)"
        " where s.linked_url = any(%s)",
        (list(links),),
    ).fetchall()


# --- newsflow demo's summary (the demo's own feeds only) ----------------------------

_DEMO_INGEST_SQL = """
with demo_feeds as (
    select feed_id from raw.feeds where url = any(%(urls)s)
),
demo_articles as (
    select distinct s.article_id
    from raw.article_sources as s
    join demo_feeds using (feed_id)
),
articles as (
    select a.*
    from raw.articles as a
    join demo_articles using (article_id)
),
clusters as (
    select cluster_id, count(*) as members
    from articles
    where cluster_id is not null
    group by cluster_id
    having count(*) > 1
)
select
    (select count(*) from demo_feeds) as feeds,
    (select count(*) from raw.feed_entries where feed_id in (select feed_id from demo_feeds))
        as feed_entries,
    (select count(*) from articles) as articles,
    (select count(*) from articles where language = 'en') as articles_english,
    (select count(*) from articles where language is distinct from 'en') as articles_other_language,
    (
        select count(*) from raw.article_sources
        where feed_id in (select feed_id from demo_feeds)
    ) - (select count(*) from articles) as entries_same_url,
    (select count(*) from articles where duplicate_of is not null) as exact_duplicates,
    (select count(*) from clusters) as near_duplicate_clusters,
    (select coalesce(sum(members - 1), 0) from clusters) as near_duplicate_copies,
    (select coalesce(sum(word_count), 0) from articles) as words
"""

_DEMO_PAGE_FAILURES_SQL = """
select outcome, count(*) as n, min(error) as example
from raw.fetch_log
where kind = 'page' and outcome not in ('ok', 'not_modified')
  and feed_id in (select feed_id from raw.feeds where url = any(%(urls)s))
group by outcome
order by n desc
"""

_DEMO_ANNOTATION_SQL = """
-- each article's latest annotation (an upgrade annotates again beside the old rows)
select n.status, count(*) as n, min(n.error) as example
from (
    select distinct on (a.article_id) a.article_id, a.status, a.error
    from raw.annotated_articles as a
    where a.article_id in (
        select s.article_id from raw.article_sources as s
        join raw.feeds as f using (feed_id)
        where f.url = any(%(urls)s)
    )
    order by a.article_id, a.annotated_at desc, a.annotator_version desc
) as n
group by n.status
order by n.status
"""


def _rows(conn: psycopg.Connection[Any], query: str, urls: Sequence[str]) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(query, {"urls": list(urls)}).fetchall()


def demo_ingest(conn: psycopg.Connection[Any], urls: Sequence[str]) -> dict[str, Any]:
    """Feeds, entries, articles, duplicates and words of the feeds with these URLs."""
    return _rows(conn, _DEMO_INGEST_SQL, urls)[0]


def demo_page_failures(conn: psycopg.Connection[Any], urls: Sequence[str]) -> list[dict[str, Any]]:
    """Failed page fetches of these feeds by outcome (``outcome``, ``n``, ``example``)."""
    return _rows(conn, _DEMO_PAGE_FAILURES_SQL, urls)


def demo_annotations(conn: psycopg.Connection[Any], urls: Sequence[str]) -> list[dict[str, Any]]:
    """Latest annotation outcomes of these feeds' articles (``status``, ``n``, ``example``)."""
    return _rows(conn, _DEMO_ANNOTATION_SQL, urls)
