"""The settings package builds typed settings from a mapping, never from the caller's globals."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsflow.settings import Env, SettingsError, load
from newsflow.settings import app as app_settings
from newsflow.settings.env import exported, with_host_allowed


def test_load_reads_only_the_mapping_it_is_given() -> None:
    settings = load(Env({"NEWSFLOW_DATA_DIR": "/srv/nf", "NEWSFLOW_ALLOWED_HOSTS": "a, b,"}))
    assert settings.data_dir == Path("/srv/nf") and settings.ingest.http.allowed_hosts == ("a", "b")
    assert settings.database_url == "" and settings.ingest.http.concurrency == 32
    with pytest.raises(SettingsError, match="NEWSFLOW_CONCURRENCY"):
        load(Env({"NEWSFLOW_CONCURRENCY": "many"}))


def test_application_builders_have_defaults_and_read_their_variables(tmp_path: Path) -> None:
    empty = Env({})
    assert app_settings.status(empty) == app_settings.StatusSettings()
    assert app_settings.status(Env({"NEWSFLOW_SLOW_FEED_MS": "10"})).slow_feed_ms == 10
    assert app_settings.dbt_manifest_path(empty).name == "manifest.json"
    assert app_settings.dbt_manifest_path(Env({"NEWSFLOW_DBT_MANIFEST": "/m.json"})) == Path(
        "/m.json"
    )
    assert app_settings.dbt_execution(empty) == "build"
    with pytest.raises(SettingsError, match="NEWSFLOW_DBT_EXECUTION"):
        app_settings.dbt_execution(Env({"NEWSFLOW_DBT_EXECUTION": "remote"}))
    assert app_settings.dbt_threads(Env({"NEWSFLOW_DBT_THREADS": "8"})) == 8
    assert not app_settings.dbt_write_manifest(empty)
    assert app_settings.dbt_write_manifest(Env({"NEWSFLOW_DBT_WRITE_MANIFEST": "yes"}))
    assert app_settings.report_path(tmp_path, empty) == tmp_path / "reports/newsflow-report.html"
    assert app_settings.report_path(tmp_path, Env({"NEWSFLOW_REPORT_PATH": "/r.html"})) == Path(
        "/r.html"
    )
    assert app_settings.demo_port(empty) == 8765
    assert app_settings.airflow_home(tmp_path, empty) == tmp_path / "airflow"
    assert app_settings.airflow_parallelism(empty, cpus=1) == 2
    assert app_settings.airflow_parallelism(Env({"NEWSFLOW_AIRFLOW_PARALLELISM": "3"})) == 3
    assert app_settings.chromium(empty) == "" and app_settings.pg_bindir(empty) == ""


def test_exported_sets_and_restores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFLOW_ALLOWED_HOSTS", "10.0.0.0/8")
    monkeypatch.delenv("NEWSFLOW_DEMO_PORT", raising=False)
    with exported(NEWSFLOW_ALLOWED_HOSTS="x", NEWSFLOW_DEMO_PORT="9"):
        assert os.environ["NEWSFLOW_ALLOWED_HOSTS"] == "x"
        assert app_settings.demo_port() == 9
    assert os.environ["NEWSFLOW_ALLOWED_HOSTS"] == "10.0.0.0/8"
    assert "NEWSFLOW_DEMO_PORT" not in os.environ
    assert with_host_allowed(("a", "127.0.0.1"), "127.0.0.1") == "a,127.0.0.1"
