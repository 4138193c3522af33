"""news_transform: the dbt project, one Airflow task per model with its tests.

Scheduled on the ``raw_annotations`` Asset.

1. ``static_layers``: seeds, staging views and lookup tables must exist and
   match the deployed project; one plain ``dbt build`` of them when they do
   not (first run, edited seed, new release), else a quick check;
2. ``dbt``: astronomer-cosmos renders the warehouse's ``frequent`` selection
   (incremental models and everything built on them) from the manifest that
   ``make install`` builds (``LoadMode.DBT_MANIFEST``: no dbt command while
   this file is parsed); one ``dbt build`` runs it (watcher mode) and, once it
   is over, one short task per model and per model's tests shows its state.
   dbt's profile comes from the Airflow connection ``newsflow_db``;
3. ``publish``: emits the ``marts`` Asset for whatever reads the marts.

``news_nightly`` builds everything, seeds and unit tests included.
"""

from __future__ import annotations

from typing import Any

from airflow.sdk import dag, task

from newsflow.orchestration.assets import MARTS, RAW_ANNOTATIONS
from newsflow.orchestration.cosmos_config import dbt_task_group
from newsflow.orchestration.dag_defaults import START_DATE, TAGS, default_args
from newsflow.orchestration.failures import fail_fast
from newsflow.settings import app as app_settings

CONFIG = app_settings.orchestration()


@dag(
    dag_id="news_transform",
    schedule=[RAW_ANNOTATIONS],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=[*TAGS, "dbt"],
    default_args=default_args(CONFIG),
    doc_md=__doc__,
)
def news_transform() -> None:
    @task(execution_timeout=CONFIG.task_timeout)
    def static_layers() -> dict[str, Any]:
        """Seeds, staging views and lookups exist and match the deployed project."""
        from newsflow.orchestration import tasks
        from newsflow.orchestration.connection import task_database_url

        return tasks.static_layers(task_database_url(migrate=True))

    dbt = dbt_task_group()

    @task(outlets=[MARTS], execution_timeout=CONFIG.plan_timeout)
    def publish() -> None:
        """Every model and test above succeeded: the marts are current."""

    static_layers() >> dbt >> publish()


fail_fast(news_transform())
