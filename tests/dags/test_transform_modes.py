"""news_transform's dbt execution modes and the one-task build's results per model.

``NEWSFLOW_DBT_EXECUTION=build`` (the default, checked in test_dag_integrity.py
and run end to end by the demo in test_any_url.py) builds the batch in one
task; ``watcher`` and ``local`` render one Airflow task per model through
Cosmos.  The dbt commands themselves run in the slow DAG tests; here: the
Cosmos graph as parsed, and what the build task makes of dbt's results.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsflow.dbt_runner import DbtResult
from newsflow.orchestration.cosmos_config import execution_mode
from newsflow.orchestration.dbt_batch import BUILD_ARGS, failure_message, node_results
from newsflow.orchestration.failures import permanent
from newsflow.orchestration.warehouse import FREQUENT, FREQUENT_EXCLUDE
from newsflow.settings import SettingsError
from tests.dags.test_dag_integrity import _dags, parse_dags


@pytest.fixture(scope="module")
def watcher(dbt_manifest: Path) -> dict[str, dict[str, Any]]:
    parsed = parse_dags({"NEWSFLOW_DBT_EXECUTION": "watcher"})
    assert all(not f["import_errors"] for f in parsed["files"].values()), parsed["files"]
    return {t["task_id"]: t for t in _dags(parsed)["news_transform"]["tasks"]}


def test_execution_mode_default_and_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSFLOW_DBT_EXECUTION", raising=False)
    assert execution_mode() == "build"
    monkeypatch.setenv("NEWSFLOW_DBT_EXECUTION", "Watcher")
    assert execution_mode() == "watcher"
    monkeypatch.setenv("NEWSFLOW_DBT_EXECUTION", "subprocess")
    with pytest.raises(SettingsError, match="build, watcher, local"):
        execution_mode()


def test_the_build_task_selects_what_cosmos_renders() -> None:
    assert BUILD_ARGS[0] == "build"
    assert BUILD_ARGS[BUILD_ARGS.index("--select") + 1] == FREQUENT
    assert tuple(BUILD_ARGS[BUILD_ARGS.index("--exclude") + 1 :][: len(FREQUENT_EXCLUDE)]) == (
        FREQUENT_EXCLUDE
    )
    # as `--selector frequent` implies it: tests check the batch's rows only
    assert "per_batch_build: true" in BUILD_ARGS[-1]


def test_watcher_has_one_task_per_model_with_tests(watcher: dict[str, dict[str, Any]]) -> None:
    tasks = [t for t in watcher.values() if t["task_id"].startswith("dbt.")]
    runs = [t for t in tasks if t["task_id"].endswith("_run") or t["task_id"].endswith(".run")]
    # a model's own tests run in its group (model.test); a test with several
    # parents (relationships, the singular test) is detached: <test>_test
    tests = [t for t in tasks if t["task_id"].endswith((".test", "_test"))]
    assert runs, "Cosmos rendered no dbt model task"
    assert tests, "Cosmos rendered no test task (TestBehavior.AFTER_EACH)"
    assert all(t["operator"] == "DbtTestWatcherOperator" for t in tests)
    # (watcher mode adds an EmptyOperator gate after the producer: dbt_producer_watcher_done)
    operators = {t["operator"] for t in tasks} - {"EmptyOperator"}
    assert all(op.startswith("Dbt") for op in operators), operators


def test_watcher_sensors_start_after_the_dbt_build(watcher: dict[str, dict[str, Any]]) -> None:
    """dag.test() runs tasks one at a time: a sensor before its producer would wait forever."""
    tasks = watcher
    producer = "dbt.dbt_producer_watcher"
    assert producer in tasks

    def after_producer(task_id: str, seen: frozenset[str] = frozenset()) -> bool:
        upstream = set(tasks[task_id]["upstream"])
        if producer in upstream:
            return True
        return bool(upstream) and all(
            after_producer(u, seen | {task_id}) for u in upstream if u not in seen
        )

    sensors = [t for t in tasks if t.startswith("dbt.") and t != producer]
    assert sensors and all(after_producer(t) for t in sensors), sensors
    # the first sensors run whether the build succeeded or failed (they say which model failed)
    roots = [
        t
        for t in sensors
        if producer in tasks[t]["upstream"] and tasks[t]["operator"] != "EmptyOperator"
    ]
    assert roots and all(tasks[t]["trigger_rule"] == "one_done" for t in roots), roots


def _run_results(tmp_path: Path) -> Path:
    """The shape dbt 1.11 writes to run_results.json (the fields read), for two nodes."""
    results = [
        {
            "unique_id": "model.newsflow.fct_events",
            "status": "success",
            "execution_time": 0.561,
            "adapter_response": {"_message": "INSERT 0 96", "rows_affected": 96},
            "message": "INSERT 0 96",
            "failures": None,
        },
        {
            "unique_id": "test.newsflow.relationships_fct_events_actor1_code.81153d7357",
            "status": "fail",
            "execution_time": 0.1,
            "adapter_response": {"_message": "SELECT 3", "rows_affected": 3},
            "message": "Got 3 results, configured to fail if != 0",
            "failures": 3,
        },
    ]
    (tmp_path / "run_results.json").write_text(json.dumps({"results": results}))
    return tmp_path


def test_node_results_and_why_the_build_failed(tmp_path: Path) -> None:
    nodes = node_results(_run_results(tmp_path))
    assert [(n["name"], n["kind"], n["status"], n["rows"], n["seconds"]) for n in nodes] == [
        ("fct_events", "model", "success", 96, 0.56),
        ("relationships_fct_events_actor1_code", "test", "fail", 3, 0.1),
    ]
    result = DbtResult(["build"], 1, 4.2, counts={"success": 1, "fail": 1})
    message = failure_message(result, nodes)
    assert "test.newsflow.relationships_fct_events_actor1_code.81153d7357" in message
    assert "Got 3 results" in message and "fct_events:" not in message
    # a failing data test is no reason to retry the build
    assert permanent(RuntimeError(message)) == "a data test failed"
    assert node_results(tmp_path / "nowhere") == []


def test_dbt_that_could_not_run_says_why() -> None:
    result = DbtResult(
        ["build"], 2, 1.0, output="Running with dbt\nEncountered an error:\nDatabase Error"
    )
    message = failure_message(result, [])
    assert message.startswith("dbt could not build the batch (dbt build: no nodes")
    assert message.endswith("Database Error")
