"""news_ingest: poll the feeds that are due; fetch, extract and load new articles.

Every ``NEWSFLOW_INGEST_SCHEDULE`` (cron, default every 2 minutes: see the freshness
bench in ``bench/README.md``):

1. ``plan``: the feeds due at the run's window end, grouped by host into at most
   ``NEWSFLOW_INGEST_MAX_BATCHES`` batches (one host is never split, so
   per-host politeness holds inside one task);
2. ``ingest``: one mapped task per batch fetches the feeds, then the new
   articles' pages, extracts and loads them (idempotent upserts);
3. ``publish``: emits the ``raw_articles`` Asset, which schedules
   ``news_annotate``, only when some article is new; skipped otherwise.

One run at a time (``max_active_runs=1``): a slow run delays the next one
instead of polling the same hosts twice.
"""

from __future__ import annotations

from typing import Any

from airflow.sdk import dag, get_current_context, task

from newsflow.orchestration.assets import RAW_ARTICLES
from newsflow.orchestration.dag_defaults import START_DATE, TAGS, default_args
from newsflow.orchestration.failures import fail_fast
from newsflow.settings import app as app_settings

CONFIG = app_settings.orchestration()


@dag(
    dag_id="news_ingest",
    schedule=CONFIG.ingest_schedule,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=[*TAGS, "ingest"],
    default_args=default_args(CONFIG),
    doc_md=__doc__,
)
def news_ingest() -> None:
    @task(execution_timeout=CONFIG.plan_timeout)
    def plan(**context: Any) -> list[list[int]]:
        from newsflow.orchestration import tasks
        from newsflow.orchestration.connection import task_database_url

        return tasks.plan_ingest(
            task_database_url(migrate=True),
            now=tasks.window_end(context),
            max_batches=CONFIG.ingest_max_batches,
        )

    @task(execution_timeout=CONFIG.task_timeout, map_index_template="{{ feed_count }} feeds")
    def ingest(feed_ids: list[int], **context: Any) -> dict[str, Any]:
        from newsflow.orchestration import tasks
        from newsflow.orchestration.connection import task_database_url

        get_current_context()["feed_count"] = len(feed_ids)
        return tasks.ingest_batch(
            task_database_url(),
            feed_ids,
            run_id=tasks.run_label(context),
            now=tasks.window_end(context),
        )

    @task(outlets=[RAW_ARTICLES], execution_timeout=CONFIG.plan_timeout)
    def publish(
        summaries: list[dict[str, Any]], *, outlet_events: Any = None, dag_run: Any = None
    ) -> int:
        from airflow.sdk.exceptions import AirflowSkipException

        from newsflow.orchestration.connection import task_database_url
        from newsflow.orchestration.tasks import new_articles

        since = getattr(dag_run, "start_date", None)
        articles_new = new_articles(task_database_url(), summaries, since=since)
        if articles_new == 0:
            raise AirflowSkipException("no new article: raw_articles not updated")
        outlet_events[RAW_ARTICLES].extra = {"articles_new": articles_new}
        return articles_new

    publish(ingest.expand(feed_ids=plan()))


fail_fast(news_ingest())
