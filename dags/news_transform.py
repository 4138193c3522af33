"""news_transform: the per-batch dbt build of the warehouse.

Scheduled on the ``raw_annotations`` Asset.

1. ``static_layers``: seeds, staging views and lookup tables must exist and
   match the deployed project; one plain ``dbt build`` of them when they do
   not (first run, edited seed, new release), else a quick check;
2. ``dbt.build`` (``NEWSFLOW_DBT_EXECUTION=build``, the default): one ``dbt
   build`` of the warehouse's ``frequent`` selection (incremental models and
   everything built on them, with their data tests), as ``newsflow transform
   --selector frequent`` runs it; the task log, its XCom and ``raw.runs`` say
   what each model and test did (:mod:`newsflow.orchestration.dbt_batch`).
   With ``watcher`` or ``local`` astronomer-cosmos renders the same selection
   as one Airflow task per model and per model's tests instead (measured 2-4x
   the CLI's time: ``bench/transform_bench.py``).  dbt's database is the
   Airflow connection ``newsflow_db``;
3. ``publish``: emits the ``marts`` Asset for whatever reads the marts.

``news_nightly`` builds everything, seeds and unit tests included.
"""

from __future__ import annotations

from typing import Any

from airflow.sdk import TaskGroup, dag, task

from newsflow.orchestration.assets import MARTS, RAW_ANNOTATIONS
from newsflow.orchestration.cosmos_config import (
    DBT_GROUP_ID,
    dbt_task_group,
    execution_mode,
    require_manifest,
)
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

    if execution_mode() == "build":
        require_manifest()
        with TaskGroup(group_id=DBT_GROUP_ID) as dbt:

            @task(task_id="build", execution_timeout=CONFIG.task_timeout)
            def build(**context: Any) -> dict[str, Any]:
                """dbt build of the batch; each model's result in the log and XCom."""
                from newsflow.orchestration.connection import task_database_url
                from newsflow.orchestration.dbt_batch import build_batch
                from newsflow.orchestration.tasks import run_label

                return build_batch(task_database_url(), run_id=run_label(context))

            build()
    else:
        dbt = dbt_task_group()

    @task(outlets=[MARTS], execution_timeout=CONFIG.plan_timeout)
    def publish() -> None:
        """Every model and test above succeeded: the marts are current."""

    static_layers() >> dbt >> publish()


fail_fast(news_transform())
