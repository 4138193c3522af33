"""news_nightly: the heavy work, once a day (``NEWSFLOW_NIGHTLY_SCHEDULE``, 02:00 UTC).

1. ``retry_failed_pages`` and ``reextract_outdated``: fetch again the article
   pages that failed earlier, and extract again the articles stored by an older
   extractor version; ``publish_raw`` emits ``raw_articles`` when either
   changed something, so annotation and dbt follow through the Asset chain;
2. ``maintenance``: retention of ``raw.fetch_log`` and of raw HTML (by the
   run's window end), then VACUUM (ANALYZE) of the raw tables;
3. ``dbt_build``: ``dbt build`` of the whole project with every test, then
   ``dbt source freshness``;
4. ``quality_summary``: counts and failed checks (XCom and the task log).

The full build may meet a ``news_transform`` run replacing the same tables;
dbt then fails on a relation the other run holds, and the task's retries
(exponential back-off) run it again once the other is done.
"""

from __future__ import annotations

from typing import Any

from airflow.sdk import dag, task

from newsflow.orchestration.assets import RAW_ARTICLES
from newsflow.orchestration.dag_defaults import START_DATE, TAGS, default_args
from newsflow.orchestration.failures import fail_fast
from newsflow.settings import app as app_settings

CONFIG = app_settings.orchestration()


@dag(
    dag_id="news_nightly",
    schedule=CONFIG.nightly_schedule,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=[*TAGS, "nightly", "maintenance"],
    default_args=default_args(CONFIG),
    doc_md=__doc__,
)
def news_nightly() -> None:
    @task(execution_timeout=CONFIG.task_timeout)
    def retry_failed_pages(**context: Any) -> dict[str, Any]:
        from newsflow.orchestration import tasks
        from newsflow.orchestration.connection import task_database_url

        url = task_database_url(migrate=True)
        return tasks.retry_failed(
            url, run_id=tasks.run_label(context), now=tasks.window_end(context)
        )

    @task(execution_timeout=CONFIG.task_timeout)
    def reextract_outdated() -> dict[str, Any]:
        from newsflow.orchestration import tasks
        from newsflow.orchestration.connection import task_database_url

        return tasks.reextract(task_database_url())

    @task(outlets=[RAW_ARTICLES], execution_timeout=CONFIG.plan_timeout)
    def publish_raw(
        retried: dict[str, Any], reextracted: dict[str, Any], *, outlet_events: Any = None
    ) -> int:
        from airflow.sdk.exceptions import AirflowSkipException

        from newsflow.orchestration.tasks import changed_articles

        changed = changed_articles(retried) + changed_articles(reextracted)
        if changed == 0:
            raise AirflowSkipException("no article changed: raw_articles not updated")
        outlet_events[RAW_ARTICLES].extra = {"articles_changed": changed}
        return changed

    @task(execution_timeout=CONFIG.task_timeout)
    def maintenance(**context: Any) -> dict[str, Any]:
        from newsflow.orchestration import tasks
        from newsflow.orchestration.connection import task_database_url
        from newsflow.orchestration.maintenance import run_maintenance

        return run_maintenance(
            task_database_url(),
            reference=tasks.window_end(context),
            fetch_log_retention_days=CONFIG.fetch_log_retention_days,
            raw_html_retention_days=CONFIG.raw_html_retention_days,
        ).to_dict()

    @task(execution_timeout=CONFIG.task_timeout)
    def dbt_build() -> dict[str, Any]:
        from newsflow.orchestration import tasks
        from newsflow.orchestration.connection import task_database_url

        return tasks.dbt_build_all(task_database_url(), target_path=tasks.nightly_target_path())

    @task(execution_timeout=CONFIG.task_timeout)
    def source_freshness() -> dict[str, Any]:
        from newsflow.orchestration import tasks
        from newsflow.orchestration.connection import task_database_url

        url = task_database_url()
        return tasks.dbt_source_freshness(url, target_path=tasks.nightly_target_path())

    @task(execution_timeout=CONFIG.plan_timeout)
    def quality_summary(freshness: dict[str, Any], **context: Any) -> dict[str, Any]:
        from newsflow.orchestration import tasks
        from newsflow.orchestration.connection import task_database_url
        from newsflow.orchestration.quality import quality_summary as summarise

        statuses = {k: v for k, v in freshness.items() if k != "elapsed_s"}
        return summarise(task_database_url(), reference=tasks.window_end(context), extra=statuses)

    retried = retry_failed_pages()
    reextracted = reextract_outdated()
    # A side branch: when nothing changed it is skipped, and nothing waits on it.
    publish_raw(retried, reextracted)
    cleaned = maintenance()
    freshness = source_freshness()
    [retried, reextracted] >> cleaned >> dbt_build() >> freshness
    quality_summary(freshness)


fail_fast(news_nightly())
