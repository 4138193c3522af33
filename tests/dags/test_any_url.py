"""Any database URL the CLI accepts works in the DAGs; a login retries cannot cure fails at once.

Unit tests: every spelling of a URL survives the trip to the Airflow connection
and back, and dbt's environment from the connection is the CLI's.  Then, on
embedded servers started for this module: one with trust authentication (no
password in the URL, as on many laptops) runs ``newsflow demo`` through
Cosmos; one with a password runs ``news_transform`` with it, and with a wrong
one fails in seconds, saying the database refused the login.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from click.testing import CliRunner

from newsflow.cli import cli
from newsflow.db.url import url_params
from newsflow.dbt_runner import dbt_env
from newsflow.orchestration.connection import (
    airflow_connection_uri,
    connection_params,
    database_url_from_connection,
)
from newsflow.orchestration.failures import permanent
from newsflow.orchestration.local import run_dags_once
from tests.dags.conftest import TEST_ENV, make_local_airflow, require

URLS = [
    "postgresql://postgres@127.0.0.1:5432/news",
    "postgresql://loader:s%40cr%3At%2Fx@db.internal:6543/warehouse",
    "postgresql:///news?host=/var/run/postgresql&port=5433&user=me",
    "postgresql://me@%2Ftmp%2FSockets/news",
    "postgresql+psycopg://u:p@h/d?sslmode=require&options=-c%20search_path%3Dmarts",
    "postgres://h/d?user=x&password=y&application_name=newsflow&connect_timeout=5",
]


@pytest.mark.parametrize("url", URLS)
def test_the_connection_carries_exactly_what_the_url_has(url: str) -> None:
    from airflow.sdk.definitions.connection import Connection

    conn = Connection.from_uri(airflow_connection_uri(url), conn_id="newsflow_db")
    assert connection_params(conn) == url_params(url)
    back = database_url_from_connection(conn)
    assert url_params(back) == url_params(url)
    # dbt's environment inside Airflow (NewsflowProfileMapping) is the CLI's
    assert dbt_env(back) == dbt_env(url)


def test_dbt_env_passes_options_and_libpq_keywords() -> None:
    env = dbt_env(URLS[4])
    assert env["NEWSFLOW_DB_PASSWORD"] == "p" and env["NEWSFLOW_DB_SSLMODE"] == "require"
    assert env["PGOPTIONS"].endswith("-c jit=off -c search_path=marts")
    env = dbt_env(URLS[5])
    assert env["PGAPPNAME"] == "newsflow" and env["NEWSFLOW_DB_CONNECT_TIMEOUT"] == "5"
    assert dbt_env(URLS[3])["NEWSFLOW_DB_HOST"] == "/tmp/Sockets"
    assert dbt_env(URLS[0])["NEWSFLOW_DB_PASSWORD"] == ""
    with pytest.raises(ValueError, match="keepalives"):
        dbt_env("postgresql://h/d?keepalives=1")


def test_profile_mapping_needs_no_password() -> None:
    from newsflow.orchestration.dbt_profile import NewsflowProfileMapping, committed_profile

    mapping = NewsflowProfileMapping(conn_id="newsflow_db")
    mapping._conn = SimpleNamespace(  # type: ignore[assignment]
        conn_type="postgres",
        host="127.0.0.1",
        port=5432,
        login="postgres",
        password=None,
        schema="news",
        extra_dejson={},
    )
    assert mapping.env_vars == dbt_env("postgresql://postgres@127.0.0.1:5432/news")
    assert mapping.profile == committed_profile()
    assert "env_var('NEWSFLOW_DB_PASSWORD'" in mapping.profile["password"]


@pytest.mark.parametrize(
    ("message", "cause"),
    [
        ('FATAL:  password authentication failed for user "postgres"', "refused the login"),
        ('FATAL:  database "nope" does not exist', "does not exist"),
        ("Compilation Error in model fct_events", "cannot compile"),
        ('relation "raw.articles" does not exist', "missing"),
        ("connection to server failed: Connection refused\n\tIs the server running", None),
        ("terminating connection due to administrator command", None),
        ("something odd happened", None),
    ],
)
def test_which_failures_are_permanent(message: str, cause: str | None) -> None:
    found = permanent(RuntimeError(message))
    assert (found is None) if cause is None else (found is not None and cause in found), found


def test_fail_fast_runs_the_copy_the_task_runner_executes() -> None:
    """The runner executes ``prepare_for_execution()``'s copy, XCom arguments resolved."""
    from airflow.sdk import DAG, task
    from airflow.sdk.exceptions import AirflowFailException

    from newsflow.orchestration.failures import fail_fast

    @task
    def produce() -> int:
        return 1

    @task
    def consume(value: int) -> int:
        if value == 2:
            raise RuntimeError('FATAL:  password authentication failed for user "x"')
        return value + 1

    with DAG("fail_fast_probe", schedule=None) as dag:
        consume(produce())
    fail_fast(dag)
    parsed = dag.task_dict["consume"]
    for value, expected in ((1, 2), (2, None)):
        runtime = parsed.prepare_for_execution()
        runtime.op_args = [value]  # what rendering the XComArg gives the copy
        context = {"task": runtime, "ti": None}
        if expected is None:
            with pytest.raises(AirflowFailException, match="refused the login"):
                runtime.execute(context=context)
        else:
            assert runtime.execute(context=context) == expected


# --------------------------------------------------------------------------
# real servers
# --------------------------------------------------------------------------
def _with_db(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


@pytest.fixture(scope="module")
def password_server() -> Iterator[object]:
    """An embedded server with password (scram-sha-256) authentication, this module only."""
    from newsflow.db.embedded import EmbeddedServer

    data_dir = Path(tempfile.mkdtemp(prefix="newsflow-url-"))
    os.chmod(data_dir, 0o755)
    server = EmbeddedServer(data_dir)
    server.ensure()
    try:
        yield server
    finally:
        try:
            server.stop()
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def trust_server() -> Iterator[str]:
    """An embedded server that asks no password (trust); yields its admin URL without one."""
    from newsflow.db.embedded import EmbeddedServer

    data_dir = Path(tempfile.mkdtemp(prefix="newsflow-trust-"))
    os.chmod(data_dir, 0o755)
    server = EmbeddedServer(data_dir)
    server.ensure()
    hba = server.pgdata / "pg_hba.conf"
    hba.write_text(hba.read_text().replace("scram-sha-256", "trust"))
    server.stop()
    server.ensure()
    parts = urlsplit(server.admin_url())
    netloc = f"{parts.username}@{parts.hostname}:{parts.port}"
    try:
        yield urlunsplit(parts._replace(netloc=netloc))
    finally:
        try:
            server.stop()
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)


def _fresh(admin_url: str) -> str:
    name = "nf_url_" + uuid.uuid4().hex[:8]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    return _with_db(admin_url, name)


def _demo_env(monkeypatch: pytest.MonkeyPatch, url: str, tmp_path: Path, metadata: str) -> None:
    monkeypatch.setenv("NEWSFLOW_DATABASE_URL", url)
    monkeypatch.setenv("NEWSFLOW_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", metadata)
    monkeypatch.delenv("NEWSFLOW_ALLOWED_HOSTS", raising=False)
    for key, value in TEST_ENV.items():
        monkeypatch.setenv(key, value)


@pytest.mark.timeout(1200)  # the whole demo through Airflow, as tests/demo/test_demo.py
def test_demo_with_a_passwordless_url_on_a_fresh_database(
    trust_server: str,
    tmp_path: Path,
    airflow_metadata_url: str,
    dbt_manifest: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    require("ingest.pipeline:run_ingest", "transforms.pipeline:run_annotate")
    url = _fresh(trust_server)
    assert urlsplit(url).password is None
    _demo_env(monkeypatch, url, tmp_path, airflow_metadata_url)
    result = CliRunner().invoke(cli, ["demo", "--json", "--no-report"])
    assert result.exit_code == 0, result.output[-5000:]
    data = json.loads(result.stdout)
    stages = {s["name"]: s for s in data["stages"]}
    transform = stages["news_transform"]
    assert transform["ok"] and transform["detail"]["assets"] == ["marts"], transform
    # static_layers, dbt.build, publish (NEWSFLOW_DBT_EXECUTION=build), all successful
    assert transform["detail"]["tasks"] == {"success": 3}, transform
    # the build task's counts (its XCom; each model's result is there too), and its raw.runs row
    build = transform["detail"]["dbt.build"]
    assert build["success"] >= 10 and build["pass"] >= 10 and "error" not in build, build
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "select status, counts from raw.runs where stage = 'transform'"
            " and run_id like 'airflow:news_transform:%'"
        ).fetchone()
    assert row and row[0] == "ok" and row[1]["success"] == build["success"], row
    assert data["counts"]["events"] > 0


def test_demo_with_a_wrong_password_fails_at_once(
    password_server: object,
    tmp_path: Path,
    airflow_metadata_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    admin = server_url = password_server.admin_url()  # type: ignore[attr-defined]
    parts = urlsplit(_fresh(admin))
    wrong = urlunsplit(parts._replace(netloc=parts.netloc.replace(":" + parts.password, ":wrong")))
    assert wrong != server_url
    _demo_env(monkeypatch, wrong, tmp_path, airflow_metadata_url)
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["demo", "--no-report"])
    assert time.monotonic() - started < 60
    assert result.exit_code != 0
    assert "the database refused the login" in result.output, result.output


def test_news_transform_with_a_password_and_fail_fast_with_a_wrong_one(
    password_server: object,
    tmp_path: Path,
    airflow_home: Path,
    airflow_metadata_url: str,
    dbt_manifest: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newsflow.db.migrate import apply_migrations

    url = _fresh(password_server.admin_url())  # type: ignore[attr-defined]
    with psycopg.connect(url, autocommit=True) as conn:
        apply_migrations(conn)
    monkeypatch.setenv("NEWSFLOW_DATABASE_URL", url)
    local = make_local_airflow(url, tmp_path / "data", airflow_home, airflow_metadata_url)
    env = local.environment({**os.environ, **TEST_ENV})
    env.update(TEST_ENV)
    (report,) = run_dags_once(["news_transform"], env=env, log_file=tmp_path / "ok.log")
    assert report.state == "success", (report.tasks, report.error)
    assert report.assets == ["marts"]

    # The same DAG with a wrong password in the connection: failed at once, no retry,
    # though retries are due only after a minute.
    parts = urlsplit(url)
    wrong = urlunsplit(parts._replace(netloc=parts.netloc.replace(":" + parts.password, ":bad")))
    env.update(local.environment({**os.environ, **TEST_ENV}) | {"NEWSFLOW_RETRY_DELAY": "60"})
    env.update(make_local_airflow(wrong, tmp_path / "data", airflow_home, airflow_metadata_url)
               .environment({**env}))  # fmt: skip
    env["NEWSFLOW_RETRY_DELAY"] = "60"
    (failed,) = run_dags_once(["news_transform"], env=env, log_file=tmp_path / "bad.log")
    assert failed.state == "failed"
    assert failed.elapsed_s < 60, failed
    assert not failed.retried, failed
    assert failed.failures and failed.failures[0]["task_id"] == "static_layers", failed
    assert "the database refused the login" in failed.error, failed
    assert "password authentication failed" in failed.error, failed
