"""news_annotate: sentences, actor mentions and event candidates for new articles.

Scheduled on the ``raw_articles`` Asset (``news_ingest`` emits it when articles
land; several events between runs make one run):

1. ``plan``: article id ranges covering every article not yet annotated by the
   current annotator version, in at most ``NEWSFLOW_ANNOTATE_MAX_BATCHES``
   ranges of at least ``NEWSFLOW_ANNOTATE_BATCH_SIZE`` articles;
2. ``annotate``: one mapped task per range annotates what is still pending in
   it (the model loaded once, one transaction per batch of
   ``NEWSFLOW_ANNOTATE_BATCH_SIZE``), so a retry resumes where a killed try
   stopped;
3. ``publish``: emits ``raw_annotations`` (schedules ``news_transform``) when
   something was annotated.
"""

from __future__ import annotations

from typing import Any

from airflow.sdk import dag, get_current_context, task

from newsflow.orchestration.assets import RAW_ANNOTATIONS, RAW_ARTICLES
from newsflow.orchestration.dag_defaults import START_DATE, TAGS, default_args
from newsflow.orchestration.failures import fail_fast
from newsflow.settings import app as app_settings

CONFIG = app_settings.orchestration()


@dag(
    dag_id="news_annotate",
    schedule=[RAW_ARTICLES],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=[*TAGS, "annotate"],
    default_args=default_args(CONFIG),
    doc_md=__doc__,
)
def news_annotate() -> None:
    @task(execution_timeout=CONFIG.plan_timeout)
    def plan() -> list[list[int]]:
        from newsflow.orchestration import tasks
        from newsflow.orchestration.connection import task_database_url
        from newsflow.settings import load

        return tasks.plan_annotation(
            task_database_url(migrate=True),
            batch_size=load().annotate.batch_size,
            max_batches=CONFIG.annotate_max_batches,
        )

    @task(execution_timeout=CONFIG.task_timeout, map_index_template="{{ id_range_label }}")
    def annotate(id_range: list[int]) -> dict[str, Any]:
        from newsflow.orchestration import tasks
        from newsflow.orchestration.connection import task_database_url

        get_current_context()["id_range_label"] = f"articles {id_range[0]}-{id_range[1]}"
        return tasks.annotate_range(task_database_url(), id_range)

    @task(outlets=[RAW_ANNOTATIONS], execution_timeout=CONFIG.plan_timeout)
    def publish(summaries: list[dict[str, Any]], *, outlet_events: Any = None) -> int:
        from airflow.sdk.exceptions import AirflowSkipException

        from newsflow.orchestration.tasks import sum_counts

        articles = sum_counts(summaries, "articles")
        if articles == 0:
            raise AirflowSkipException("nothing annotated: raw_annotations not updated")
        outlet_events[RAW_ANNOTATIONS].extra = {"articles": articles}
        return articles

    publish(annotate.expand(id_range=plan()))


fail_fast(news_annotate())
