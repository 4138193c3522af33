"""``newsflow airflow`` and ``newsflow run``: the commands users type."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsflow.cli import cli
from tests.dags.conftest import TEST_ENV, require


@pytest.fixture
def cli_env(
    db_env: str,
    tmp_path: Path,
    airflow_home: Path,
    airflow_metadata_url: str,
    dbt_manifest: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> str:
    for key, value in TEST_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("NEWSFLOW_AIRFLOW_HOME", str(airflow_home))
    monkeypatch.setenv("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", airflow_metadata_url)
    return db_env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_airflow_print_env(cli_env: str) -> None:
    # a port nothing listens on: the command refuses a port in use
    port = _free_port()
    result = CliRunner().invoke(cli, ["airflow", "--print-env", "--port", str(port)])
    assert result.exit_code == 0, result.output
    lines = dict(line.removeprefix("export ").split("=", 1) for line in result.output.splitlines())
    assert lines["AIRFLOW__API__PORT"] == str(port)
    assert lines["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == f"http://127.0.0.1:{port}/execution/"
    assert lines["AIRFLOW__CORE__LOAD_EXAMPLES"] == "False"
    assert lines["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"] == "False"
    password = cli_env.split(":")[2].split("@")[0]
    assert password not in result.output  # printed with the password masked
    assert "***" in lines["AIRFLOW_CONN_NEWSFLOW_DB"]


def test_run_loop_follows_the_asset_chain(cli_env: str) -> None:
    """One pass of `newsflow run` (loop mode) with nothing to fetch: ingest runs,
    emits nothing, so annotate and transform do not run."""
    require("ingest.pipeline:run_ingest")
    result = CliRunner().invoke(cli, ["run", "--max-passes", "1", "--json"])
    assert result.exit_code == 0, result.output
    line = [x for x in result.output.splitlines() if x.startswith("{")][-1]
    data = json.loads(line)
    states = {run["dag_id"]: run["state"] for run in data["runs"]}
    assert states == {
        "news_ingest": "success",
        "news_annotate": "not run",
        "news_transform": "not run",
    }
    assert data["ok"] is True
    assert os.environ["NEWSFLOW_DATABASE_URL"] == cli_env
