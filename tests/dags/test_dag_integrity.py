"""DAG integrity (after the Astro project template's test), in a guarded child process.

Every DAG file must import without errors, cheaply, without touching the
database or the network, and every DAG must follow the house rules: tags, a
static start date, no catch-up, retries >= 2 with exponential back-off and an
execution time-out on every task.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from newsflow.airflow_home import DAGS_FOLDER

EXPECTED = {"news_ingest", "news_annotate", "news_transform", "news_nightly"}
#: CPU seconds (not wall: the box is shared) for one file, Airflow itself already imported.
MAX_PARSE_CPU_S = 1.0


def parse_dags(extra_env: dict[str, str] | None = None) -> dict[str, Any]:
    """Every DAG file parsed in a guarded child process (``parse_probe.py``)."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "AIRFLOW_HOME": tmp,
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{tmp}/airflow.db",
            # A database that does not answer: parsing must not need one.
            "NEWSFLOW_DATABASE_URL": "postgresql://nobody:secret@127.0.0.1:9/none",
            "AIRFLOW_CONN_NEWSFLOW_DB": "postgres://nobody:secret@127.0.0.1:9/none",
            "NEWSFLOW_DATA_DIR": tmp,
            **(extra_env or {}),
        }
        proc = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("parse_probe.py")), str(DAGS_FOLDER)],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def parsed(dbt_manifest: Path) -> dict[str, Any]:
    return parse_dags()


def _dags(parsed: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["dag_id"]: d for f in parsed["files"].values() for d in f["dags"]}


def test_every_file_imports_without_errors(parsed: dict[str, Any]) -> None:
    errors = {name: f["import_errors"] for name, f in parsed["files"].items() if f["import_errors"]}
    assert errors == {}


def test_one_dag_per_file_and_the_four_dags(parsed: dict[str, Any]) -> None:
    for name, info in parsed["files"].items():
        assert len(info["dags"]) == 1, name
        assert info["dags"][0]["dag_id"] == name.removesuffix(".py")
    assert set(_dags(parsed)) == EXPECTED


def test_parsing_is_cheap(parsed: dict[str, Any]) -> None:
    slow = {n: f["cpu_s"] for n, f in parsed["files"].items() if f["cpu_s"] > MAX_PARSE_CPU_S}
    assert slow == {}


def test_no_database_or_network_access_at_parse_time(parsed: dict[str, Any]) -> None:
    assert parsed["network_attempts"] == []
    # The stages (and their heavy dependencies) load when a task runs, never at parse time.
    assert parsed["stage_modules_imported"] == []


@pytest.mark.parametrize("dag_id", sorted(EXPECTED))
def test_house_rules(parsed: dict[str, Any], dag_id: str) -> None:
    dag = _dags(parsed)[dag_id]
    assert "newsflow" in dag["tags"] and len(dag["tags"]) >= 2
    assert dag["catchup"] is False
    assert dag["start_date"] == "2025-01-01T00:00:00+00:00"
    assert dag["max_active_runs"] == 1
    assert dag["default_args"]["retries"] >= 2
    for task in dag["tasks"]:
        assert task["retries"] >= 2, task
        assert task["retry_exponential_backoff"] > 1, task
        assert task["execution_timeout_s"], task


def test_schedules_and_assets(parsed: dict[str, Any]) -> None:
    dags = _dags(parsed)
    assert not dags["news_ingest"]["asset_triggered"]
    assert dags["news_annotate"]["asset_triggered"]
    assert dags["news_transform"]["asset_triggered"]
    assert "2 * * *" in dags["news_nightly"]["schedule"]
    outlets = {
        dag_id: sorted({o for t in d["tasks"] for o in t["outlets"]}) for dag_id, d in dags.items()
    }
    assert outlets["news_ingest"] == ["raw_articles"]
    assert outlets["news_annotate"] == ["raw_annotations"]
    assert outlets["news_transform"] == ["marts"]


def test_ingest_maps_over_host_batches(parsed: dict[str, Any]) -> None:
    tasks = {t["task_id"]: t for t in _dags(parsed)["news_ingest"]["tasks"]}
    assert set(tasks) == {"plan", "ingest", "publish"}
    assert (
        tasks["ingest"]["operator"].startswith("_PythonDecoratedOperator")
        or "Mapped" in (tasks["ingest"]["operator"])
    )


def test_transform_builds_the_batch_in_one_dbt_task(parsed: dict[str, Any]) -> None:
    """The default (NEWSFLOW_DBT_EXECUTION=build); Cosmos' modes: test_transform_modes.py."""
    tasks = {t["task_id"]: t for t in _dags(parsed)["news_transform"]["tasks"]}
    assert set(tasks) == {"static_layers", "dbt.build", "publish"}
    assert tasks["dbt.build"]["upstream"] == ["static_layers"]
    assert tasks["publish"]["upstream"] == ["dbt.build"]
