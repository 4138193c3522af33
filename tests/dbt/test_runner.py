"""newsflow.dbt_runner: settings from a URL, parse without a database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsflow.dbt_runner import PROJECT_DIR, dbt_env, parse


def test_dbt_env_from_url() -> None:
    env = dbt_env("postgresql://loader:s%40cret@db.example:6543/news?sslmode=require")
    assert env["NEWSFLOW_DB_HOST"] == "db.example"
    assert env["NEWSFLOW_DB_PORT"] == "6543"
    assert env["NEWSFLOW_DB_USER"] == "loader"
    assert env["NEWSFLOW_DB_PASSWORD"] == "s@cret"
    assert env["NEWSFLOW_DB_NAME"] == "news"
    assert env["NEWSFLOW_DB_SSLMODE"] == "require"


def test_dbt_env_defaults_and_socket_host() -> None:
    env = dbt_env("postgres://newsflow@/newsflow?host=/var/run/postgresql")
    assert env["NEWSFLOW_DB_HOST"] == "/var/run/postgresql"
    assert env["NEWSFLOW_DB_PORT"] == "5432"
    assert env["NEWSFLOW_DB_PASSWORD"] == ""
    assert dbt_env("postgresql+psycopg://u:p@h/d")["NEWSFLOW_DB_NAME"] == "d"
    with pytest.raises(ValueError):
        dbt_env("mysql://u:p@h/d")


def test_profile_reads_only_the_environment() -> None:
    profile = (PROJECT_DIR / "profiles.yml").read_text()
    for line in profile.splitlines():
        key, _, value = line.strip().partition(":")
        if key in {"host", "port", "user", "password", "dbname"}:
            assert "env_var(" in value, line


def test_parse_writes_a_manifest_without_a_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # nothing listens here: parse must not need the database
    monkeypatch.setenv("NEWSFLOW_DB_HOST", "127.0.0.1")
    monkeypatch.setenv("NEWSFLOW_DB_PORT", "9")
    result = parse(target_path=tmp_path)
    assert result.success, result.output[-2000:]
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    models = {node["name"] for node in manifest["nodes"].values()}
    assert {"fct_events", "dim_actors", "mart_source_health", "stg_ingest__articles"} <= models
    schemas = {
        node["schema"]
        for node in manifest["nodes"].values()
        if node["resource_type"] in {"model", "seed"}
    }
    assert schemas == {"staging", "intermediate", "marts", "seeds"}
    exposures = {e["name"] for e in manifest["exposures"].values()}
    assert "events_dashboard" in exposures
    unit_tests = {u["name"] for u in manifest.get("unit_tests", {}).values()}
    assert {"actor_resolution_rules", "event_coding_rules"} <= unit_tests


def test_builds_leave_the_manifest_to_parse() -> None:
    from newsflow.dbt_runner import _skip_manifest

    assert _skip_manifest(["build", "--selector", "frequent"], {})
    assert _skip_manifest(["test"], {})
    assert not _skip_manifest(["parse"], {})
    assert not _skip_manifest(["docs", "generate"], {})
    assert not _skip_manifest(["build"], {"NEWSFLOW_DBT_WRITE_MANIFEST": "1"})
