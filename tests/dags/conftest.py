"""Fixtures for the orchestration tests: Airflow's metadata DB, its environment, the dbt manifest.

Airflow is configured by environment variables read when it is first imported,
so these tests never import Airflow's scheduler side in the pytest process:
DAG runs happen in child processes (``dag.test()`` through
:mod:`newsflow.orchestration.local`, or real Airflow services), each started
with the environment :class:`newsflow.airflow_home.LocalAirflow` builds.

One metadata database per test session, on the test PostgreSQL server
(``airflow db migrate`` on a fresh database takes a few seconds); every test
that runs DAGs gets its own warehouse database (``db_url``) and data dir.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from newsflow.airflow_home import LocalAirflow, airflow_bin, metadata_database_url

# Importing any part of Airflow creates $AIRFLOW_HOME/logs (default ~/airflow):
# keep that inside a temporary directory when the tests touch Airflow in-process.
_PYTEST_AIRFLOW_HOME = None
if "AIRFLOW_HOME" not in os.environ:
    _PYTEST_AIRFLOW_HOME = tempfile.mkdtemp(prefix="newsflow-airflow-pytest-")
    os.environ["AIRFLOW_HOME"] = _PYTEST_AIRFLOW_HOME


@pytest.fixture(scope="session", autouse=True)
def _cleanup_pytest_airflow_home() -> Iterator[None]:
    yield
    if _PYTEST_AIRFLOW_HOME:
        shutil.rmtree(_PYTEST_AIRFLOW_HOME, ignore_errors=True)


#: Fast retries for tests: the real schedule (60 s, doubling) would dominate the run time.
TEST_ENV = {
    "NEWSFLOW_RETRY_DELAY": "1",
    "NEWSFLOW_MAX_RETRY_DELAY": "4",
    "NEWSFLOW_TASK_RETRIES": "3",
    # Two loopback addresses serve the synthetic outlets (two hosts, two ingest batches).
    "NEWSFLOW_ALLOWED_HOSTS": "127.0.0.0/8",
    "NEWSFLOW_EXTRACT_WORKERS": "1",
    "NEWSFLOW_ANNOTATE_PROCESSES": "1",
    "NEWSFLOW_LOAD_FLUSH": "0.2",
    "NEWSFLOW_DBT_THREADS": "2",
}


def require(*targets: str) -> None:
    """Skip the test while a stage function it runs has not landed yet.

    ``targets`` are ``module:attribute``.  Only a missing module or attribute
    skips (with the reason); any other import failure is a real error.
    """
    for target in targets:
        module_name, _, attr = target.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            pytest.skip(f"stage not available yet: {target} ({exc})")
        if attr and not hasattr(module, attr):
            pytest.skip(f"stage not available yet: {target} (no attribute {attr!r})")


def _with_database(url: str, database: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + database))


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    """dbt's manifest for Cosmos: ``make install`` builds it; build it here if missing."""
    from newsflow.orchestration.cosmos_config import manifest_path

    path = manifest_path()
    if not path.is_file():
        proc = subprocess.run(
            [sys.executable, "-m", "newsflow.dbt_runner", "parse"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if proc.returncode != 0 or not path.is_file():
            pytest.fail(f"cannot build the dbt manifest:\n{proc.stdout}\n{proc.stderr}")
    return path


@pytest.fixture(scope="session")
def airflow_home() -> Iterator[Path]:
    home = Path(tempfile.mkdtemp(prefix="newsflow-airflow-test-"))
    try:
        yield home
    finally:
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def airflow_metadata_url(pg_admin_url: str, airflow_home: Path) -> Iterator[str]:
    """A migrated Airflow metadata database for the whole session."""
    name = "nf_airflow_" + uuid.uuid4().hex[:8]
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    url = metadata_database_url(pg_admin_url, name)
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(airflow_home),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": url,
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    }
    proc = subprocess.run(
        [str(airflow_bin()), "db", "migrate"], env=env, capture_output=True, text=True, timeout=600
    )
    if proc.returncode != 0:
        pytest.fail(f"airflow db migrate failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    try:
        yield url
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')


def make_local_airflow(
    database_url: str, data_dir: Path, home: Path, metadata_url: str, **kwargs: object
) -> LocalAirflow:
    return LocalAirflow(
        database_url=database_url,
        data_dir=data_dir,
        home=home,
        metadata_url=metadata_url,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
def airflow_env(
    db_env: str,
    tmp_path: Path,
    airflow_home: Path,
    airflow_metadata_url: str,
    dbt_manifest: Path,
) -> dict[str, str]:
    """Environment of a child process that runs the DAGs against this test's database."""
    data_dir = tmp_path / "data"
    data_dir.mkdir(exist_ok=True)
    local = make_local_airflow(db_env, data_dir, airflow_home, airflow_metadata_url)
    env = local.environment({**os.environ, **TEST_ENV})
    env.update(TEST_ENV)
    return env
