"""news_transform: the dbt project, one Airflow task per model with its tests.

Scheduled on the ``raw_annotations`` Asset.  astronomer-cosmos renders
``dbt_project/`` from the manifest that ``make install`` builds
(``LoadMode.DBT_MANIFEST``: no dbt command while this file is parsed); each
model runs, then its tests (``TestBehavior.AFTER_EACH``), so a failing test
stops only what depends on that model.  dbt's profile comes from the Airflow
connection ``newsflow_db``.  At the end the ``marts`` Asset is emitted for
whatever reads the marts (dashboards, reports).
"""

from __future__ import annotations

from airflow.sdk import dag, task

from newsflow.orchestration.assets import MARTS, RAW_ANNOTATIONS
from newsflow.orchestration.config import START_DATE, TAGS, OrchestrationSettings, default_args
from newsflow.orchestration.cosmos_config import dbt_task_group

CONFIG = OrchestrationSettings.from_env()


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
    dbt = dbt_task_group()

    @task(outlets=[MARTS], execution_timeout=CONFIG.plan_timeout)
    def publish() -> None:
        """Every model and test above succeeded: the marts are current."""

    dbt >> publish()


news_transform()
