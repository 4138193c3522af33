"""Shared fixtures: a real PostgreSQL for integration tests.

The server is the same embedded cluster the CLI uses (machine binaries or the
pgserver wheel), created in a temporary directory for the test session, unless
``NEWSFLOW_TEST_DATABASE_URL`` names an existing server (an admin URL; test
databases are created and dropped on it).  Each test that asks for ``db_url``
gets a fresh database cloned from a migrated template, so tests are isolated
and fast.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

TEMPLATE = "newsflow_test_template"


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """URL of a database on a server where tests may create databases."""
    external = os.environ.get("NEWSFLOW_TEST_DATABASE_URL")
    if external:
        yield external
        return
    from newsflow.db.embedded import EmbeddedServer

    # Not pytest's tmp_path: it is mode 700, and when tests run as root the
    # server runs as an unprivileged user who must reach the directory.
    data_dir = Path(tempfile.mkdtemp(prefix="newsflow-test-"))
    os.chmod(data_dir, 0o755)
    server = EmbeddedServer(data_dir)
    server.ensure()
    try:
        yield server.admin_url()
    finally:
        try:
            server.stop()
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def _template_db(pg_admin_url: str) -> str:
    from newsflow.db.migrate import apply_migrations

    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{TEMPLATE}"')
        conn.execute(f'create database "{TEMPLATE}"')
    with psycopg.connect(_with_database(pg_admin_url, TEMPLATE), autocommit=True) as conn:
        apply_migrations(conn)
    return TEMPLATE


def create_test_database(admin_url: str, template: str) -> str:
    name = "nf_test_" + uuid.uuid4().hex[:12]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'create database "{name}" template "{template}"')
    return name


def drop_test_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')


@pytest.fixture
def db_url(pg_admin_url: str, _template_db: str) -> Iterator[str]:
    """A fresh, migrated database for one test."""
    name = create_test_database(pg_admin_url, _template_db)
    try:
        yield _with_database(pg_admin_url, name)
    finally:
        drop_test_database(pg_admin_url, name)


@pytest.fixture
def db_env(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """Point the CLI and library settings at the fresh test database."""
    monkeypatch.setenv("NEWSFLOW_DATABASE_URL", db_url)
    monkeypatch.setenv("NEWSFLOW_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSFLOW_ALLOWED_HOSTS", "127.0.0.1")
    return db_url
