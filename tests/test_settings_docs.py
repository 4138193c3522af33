"""``.env.example`` and ``docs/operations.md`` list every setting the settings package reads.

The names come from the string literals of ``newsflow/settings/*.py`` (whatever
modules are there: the application's, and the libraries' builders beside them),
so a new variable fails this test until it is documented in both places.  The
other way round, a documented variable must still be read somewhere (or be one
of the few read by something other than Python: ``profiles.yml``, docker compose).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "newsflow" / "settings"
NAME = re.compile(r"NEWSFLOW_[A-Z0-9_]+")

#: documented, but read by dbt's profiles.yml, docker compose or the tests, not newsflow/settings
NOT_READ_BY_SETTINGS = {
    # dbt_project/profiles.yml (newsflow.dbt_runner derives them from the database URL)
    "NEWSFLOW_DB_HOST",
    "NEWSFLOW_DB_PORT",
    "NEWSFLOW_DB_USER",
    "NEWSFLOW_DB_PASSWORD",
    "NEWSFLOW_DB_NAME",
    "NEWSFLOW_DB_SSLMODE",
    "NEWSFLOW_DB_SCHEMA",
    "NEWSFLOW_DB_CONNECT_TIMEOUT",
    "NEWSFLOW_DBT_TARGET",
    "NEWSFLOW_READER_ROLE",
    # docker compose
    "NEWSFLOW_READER_USER",
    "NEWSFLOW_READER_PASSWORD",
    "NEWSFLOW_IMAGE",
    # the test suite and the benchmarks
    "NEWSFLOW_TEST_DATABASE_URL",
    "NEWSFLOW_BENCH_DATABASE_URL",
    "NEWSFLOW_BENCH_ZYTE_DIR",
    "NEWSFLOW_BENCH_ADMIN_URL",
    "NEWSFLOW_EXTRACT_TEST_HOOKS",
}


def settings_names() -> set[str]:
    """Every ``NEWSFLOW_*`` name a string literal of the settings package spells out."""
    names: set[str] = set()
    for path in sorted(SETTINGS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and NAME.fullmatch(node.value)
            ):
                names.add(node.value)
    return names


def documented() -> set[str]:
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    return set(NAME.findall(text))


def in_env_example() -> set[str]:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#?\s*(NEWSFLOW_[A-Z0-9_]+)=", text, re.MULTILINE))


def read_anywhere() -> set[str]:
    """Names spelled out in any Python file of the product (libraries included)."""
    names: set[str] = set()
    for package in ("newsflow", "ingest", "transforms", "storage", "dags", "bench", "tests"):
        for path in (ROOT / package).rglob("*.py"):
            names.update(NAME.findall(path.read_text(encoding="utf-8")))
    return names


def test_the_scan_finds_the_settings() -> None:
    names = settings_names()
    assert {"NEWSFLOW_DATABASE_URL", "NEWSFLOW_INGEST_SCHEDULE", "NEWSFLOW_DBT_MANIFEST"} <= names


def test_every_setting_is_in_the_operations_guide() -> None:
    missing = sorted(settings_names() - documented())
    assert not missing, f"add to docs/operations.md: {missing}"


def test_every_setting_is_in_env_example() -> None:
    missing = sorted(settings_names() - in_env_example())
    assert not missing, f"add to .env.example: {missing}"


def test_env_example_lists_what_the_guide_documents() -> None:
    extra = sorted(in_env_example() - documented())
    missing = sorted(documented() - in_env_example() - NOT_READ_BY_SETTINGS)
    assert not extra, f"in .env.example but not in docs/operations.md: {extra}"
    assert not missing, f"documented but not in .env.example: {missing}"


def test_no_documented_setting_is_stale() -> None:
    stale = sorted(documented() - read_anywhere() - NOT_READ_BY_SETTINGS)
    assert not stale, f"documented but read nowhere: {stale}"


def test_every_documented_setting_is_read_by_the_settings_package() -> None:
    elsewhere = sorted(documented() - settings_names() - NOT_READ_BY_SETTINGS)
    assert not elsewhere, f"read outside newsflow/settings: {elsewhere}"
