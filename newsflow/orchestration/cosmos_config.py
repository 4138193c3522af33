"""The dbt project as Airflow tasks, through astronomer-cosmos (opt-in).

``news_transform`` builds each batch in one task by default
(``NEWSFLOW_DBT_EXECUTION=build``, :mod:`newsflow.orchestration.dbt_batch`):
measured, Cosmos' per-model tasks cost 2-4x the CLI's build per batch
(``bench/README.md``).  ``watcher`` and ``local`` render the warehouse's
``frequent`` selection (the incremental models and everything built on them;
the static layers are checked by :mod:`newsflow.orchestration.warehouse`) as
one Airflow task per model instead, with ``LoadMode.DBT_MANIFEST``: the graph
comes from ``dbt_project/target/manifest.json``, which ``make install`` writes
(``python -m newsflow.dbt_runner parse``), so no dbt command runs while the
DAG processor parses the file.  In Cosmos' ``ExecutionMode.WATCHER`` one
producer task runs a single ``dbt build`` of the selection, and one sensor per
model and per model's tests (``TestBehavior.AFTER_EACH``; a test with several
parents gets its own) turns dbt's progress into task states
(:func:`sensors_after_producer`: the sensors start when the build is over).
``local`` runs one dbt invocation per task.

dbt's profile is the committed ``profiles.yml``, its variables derived from the
Airflow connection ``newsflow_db`` when a task runs
(:mod:`newsflow.orchestration.dbt_profile`): any URL the CLI accepts works.

Cosmos reads its settings when it is imported (Airflow imports it early, as a
plugin), so telemetry and the cache directory are set in the environment of
every Airflow process (:func:`cosmos_environment`, used by the local launcher
and docker-compose).  :func:`configure_cosmos` is the safety net for a bare
``airflow`` started without them: it switches telemetry off and moves the cache
into newsflow's data directory before the group is built.

| variable | default | meaning |
|---|---|---|
| ``NEWSFLOW_DBT_MANIFEST`` | ``dbt_project/target/manifest.json`` | manifest Cosmos renders |
| ``NEWSFLOW_DBT_THREADS`` | 4 | dbt threads inside one Cosmos task |
| ``NEWSFLOW_DBT_EXECUTION`` | ``build`` | ``build`` (one task), ``watcher``, ``local`` (Cosmos) |
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from newsflow.orchestration.connection import CONN_ID
from newsflow.orchestration.warehouse import FREQUENT, FREQUENT_EXCLUDE
from newsflow.settings import PROJECT_ROOT
from newsflow.settings import app as app_settings
from newsflow.settings import load as load_settings

__all__ = [
    "DBT_GROUP_ID",
    "DBT_PROJECT_DIR",
    "ManifestMissingError",
    "configure_cosmos",
    "cosmos_cache_dir",
    "cosmos_environment",
    "dbt_task_group",
    "manifest_path",
    "require_manifest",
    "sensors_after_producer",
]

DBT_GROUP_ID = "dbt"
#: ``build``: one task, newsflow's own ``dbt build`` (:mod:`newsflow.orchestration.dbt_batch`);
#: ``watcher`` and ``local``: Cosmos, one Airflow task per model and per model's tests.
EXECUTION_MODES = app_settings.DBT_EXECUTION_MODES
#: seconds between two looks of a watcher sensor at its producer's progress
WATCHER_POKE_S = 2
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
PROFILE_NAME = "newsflow"


class ManifestMissingError(FileNotFoundError):
    """The dbt manifest was never built: ``make install`` (or ``make manifest``) builds it."""


def manifest_path() -> Path:
    return app_settings.dbt_manifest_path()


def cosmos_cache_dir(data_dir: Path | None = None) -> Path:
    return (data_dir or load_settings().data_dir) / "cosmos"


def cosmos_environment(data_dir: Path) -> dict[str, str]:
    """Environment for every Airflow process: no telemetry, cache in the data dir."""
    return {
        "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
        "AIRFLOW__COSMOS__CACHE_DIR": str(cosmos_cache_dir(data_dir)),
        # Watcher mode: keep the producer's XCom backup in memory, written to an
        # Airflow Variable when the producer fails, not after each of its ~180
        # XCom pushes (measured: a third of those pushes' time in dag.test()).
        "AIRFLOW__COSMOS__ENABLE_WATCHER_RELIABLE_RETRY": "False",
        "DO_NOT_TRACK": "1",
        "SCARF_ANALYTICS": "false",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def execution_mode() -> str:
    """``build`` (one task), ``watcher`` (one ``dbt build``, a sensor per model) or ``local``."""
    return app_settings.dbt_execution()


def configure_cosmos() -> None:
    """Telemetry off and the cache in newsflow's data dir, even under a bare ``airflow``."""
    import cosmos.settings as cosmos_settings

    if "AIRFLOW__COSMOS__ENABLE_TELEMETRY" not in os.environ:
        cosmos_settings.enable_telemetry = False
    if "AIRFLOW__COSMOS__CACHE_DIR" not in os.environ:
        cosmos_settings.cache_dir = cosmos_cache_dir()
    if "AIRFLOW__COSMOS__ENABLE_WATCHER_RELIABLE_RETRY" not in os.environ:
        cosmos_settings.enable_watcher_reliable_retry = False


def require_manifest() -> Path:
    """The manifest's path; :class:`ManifestMissingError` when it was never built.

    Raised while ``news_transform`` is parsed in every mode (an import error in
    the DAG list that says what to do): Cosmos renders the graph from it, and
    the ``static_layers`` check reads the static nodes from it.
    """
    manifest = manifest_path()
    if not manifest.is_file():
        raise ManifestMissingError(
            f"dbt manifest not found at {manifest}: run `make manifest` "
            "(python -m newsflow.dbt_runner parse) or set NEWSFLOW_DBT_MANIFEST"
        )
    return manifest


def dbt_task_group(**task_group_kwargs: Any) -> Any:
    """The ``DbtTaskGroup`` of the whole project (call inside a DAG context).

    Raises :class:`ManifestMissingError` (an import error in the DAG list that
    says what to do) when the manifest has not been built.
    """
    from cosmos import (
        DbtTaskGroup,
        ExecutionConfig,
        ProfileConfig,
        ProjectConfig,
        RenderConfig,
    )
    from cosmos.constants import (
        ExecutionMode,
        InvocationMode,
        LoadMode,
        TestBehavior,
        TestIndirectSelection,
    )

    from newsflow.orchestration.dbt_profile import PROFILE_TARGET, NewsflowProfileMapping

    manifest = require_manifest()
    configure_cosmos()
    mode = ExecutionMode(execution_mode())
    operator_args: dict[str, Any] = {}
    if mode is ExecutionMode.WATCHER:
        # The per-model sensors poll the producer's XCom; deferred to the triggerer.
        operator_args["poke_interval"] = WATCHER_POKE_S
    profile = ProfileConfig(
        profile_name=PROFILE_NAME,
        target_name=PROFILE_TARGET,
        profile_mapping=NewsflowProfileMapping(conn_id=CONN_ID),
    )
    group = DbtTaskGroup(
        group_id=task_group_kwargs.pop("group_id", DBT_GROUP_ID),
        project_config=ProjectConfig(
            dbt_project_path=DBT_PROJECT_DIR,
            manifest_path=manifest,
            project_name=PROFILE_NAME,
        ),
        profile_config=profile,
        execution_config=ExecutionConfig(
            execution_mode=mode,
            # dbt is installed beside Airflow: run it in the task process, no interpreter start.
            invocation_mode=InvocationMode.DBT_RUNNER,
            # A model's test task runs only the tests whose parents are all built...
            test_indirect_selection=TestIndirectSelection.CAUTIOUS,
        ),
        render_config=RenderConfig(
            load_method=LoadMode.DBT_MANIFEST,
            # The warehouse's `frequent` selector: incremental models and what is
            # built on them (see newsflow.orchestration.warehouse for the rest).
            select=[FREQUENT],
            exclude=list(FREQUENT_EXCLUDE),
            test_behavior=TestBehavior.AFTER_EACH,
            # ...and a test with several parents (relationships to a seed or
            # another model) gets its own task after all of them.
            should_detach_multiple_parents_tests=True,
            # One Asset (marts) at the end of news_transform, not one per model.
            emit_datasets=False,
        ),
        operator_args={
            **operator_args,
            "install_deps": False,  # no network at run time; packages ship with the project
            # Cosmos reads results in memory (dbtRunner); writing manifest.json and
            # run_results.json (1.5 MB) for every model costs ~0.5 s per task.
            "dbt_cmd_global_flags": ["--no-write-json"],
            # A per-batch build, as `dbt build --selector frequent` is: data tests
            # check the rows the batch wrote, and incremental tables keep their
            # comments (dbt_project/macros/data_test_rows.sql, persist_docs.sql);
            # news_nightly tests and documents everything.
            "vars": {"per_batch_build": True},
        },
        **task_group_kwargs,
    )
    if mode is ExecutionMode.WATCHER:
        sensors_after_producer(group)
    return group


def _group_tasks(group: Any) -> list[Any]:
    out = []
    for child in group.children.values():
        out.extend(_group_tasks(child) if hasattr(child, "children") else [child])
    return out


def sensors_after_producer(group: Any) -> None:
    """Start the watcher's model sensors once its ``dbt build`` is over.

    Cosmos lets the first sensors of a task group start beside the producer
    and wait for its progress (deferred to the triggerer).  ``dag.test()``
    (``newsflow run``, ``newsflow demo``) runs one task at a time, in no set
    order: a sensor that starts first waits forever for a producer that never
    starts.  Under a scheduler each waiting sensor takes two task starts and a
    triggerer round trip while dbt needs the two cores.  Once the build is
    over, a sensor's first look at the producer's XCom finds its node's state:
    one short task, no deferral.  ``one_done``: they also run when the build
    failed, so the graph still shows which model failed and which never ran.
    """
    from airflow.sdk import TriggerRule
    from cosmos.operators.watcher import DbtProducerWatcherOperator

    tasks = _group_tasks(group)
    producers = [t for t in tasks if isinstance(t, DbtProducerWatcherOperator)]
    if len(producers) != 1:
        return
    (producer,) = producers
    ids = {t.task_id for t in tasks}
    for task in tasks:
        if task is producer or task.task_id in producer.downstream_task_ids:
            continue
        if not task.upstream_task_ids & ids:
            producer >> task
            task.trigger_rule = TriggerRule.ONE_DONE
