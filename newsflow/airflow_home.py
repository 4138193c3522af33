"""Airflow for newsflow on one machine: its home, metadata database and environment.

``newsflow airflow`` (``airflow standalone``), ``newsflow run`` (``dag.test()``),
the tests and the benchmarks all start Airflow with :func:`airflow_environment`:

- ``AIRFLOW_HOME`` in newsflow's data directory (``<data dir>/airflow``, or
  ``NEWSFLOW_AIRFLOW_HOME``), never a global ``~/airflow`` shared with other work;
- the metadata database in the same PostgreSQL as the warehouse, in its own
  database (``newsflow_airflow``), created on first use;
- the DAGs folder is this repository's ``dags/``; example DAGs off;
- parallelism sized for a small machine (``2 x cores``, at least 2; override
  with ``NEWSFLOW_AIRFLOW_PARALLELISM``), one DAG-parsing process, one API worker;
- the API server on 127.0.0.1, and ``execution_api_server_url`` following its
  port (tasks talk to that API in Airflow 3);
- the connection ``newsflow_db`` (``AIRFLOW_CONN_NEWSFLOW_DB``) from the same
  database URL the CLI uses; Cosmos telemetry off and its cache in the data dir.

Any ``AIRFLOW__SECTION__KEY`` already in the caller's environment wins over
these defaults, so a user can still change one setting without editing code.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

from newsflow.orchestration.connection import airflow_connection_env
from newsflow.orchestration.cosmos_config import cosmos_environment
from newsflow.settings import PROJECT_ROOT, Env, Settings, SettingsError, load
from newsflow.settings import app as app_settings
from storage.connection import connect

__all__ = [
    "DAGS_FOLDER",
    "METADATA_DATABASE",
    "LocalAirflow",
    "airflow_bin",
    "airflow_environment",
    "ensure_metadata_database",
    "metadata_database_url",
]

DAGS_FOLDER = PROJECT_ROOT / "dags"
METADATA_DATABASE = "newsflow_airflow"
DEFAULT_PORT = 8080
PASSWORD_FILE = "simple_auth_manager_passwords.json.generated"


def airflow_bin() -> Path:
    """The ``airflow`` script of this interpreter's environment."""
    candidate = Path(sys.executable).parent / "airflow"
    if candidate.exists():
        return candidate
    found = shutil.which("airflow")
    if not found:
        raise SettingsError("the 'airflow' command is not installed in this environment")
    return Path(found)


def default_parallelism(cpus: int | None = None) -> int:
    """Tasks at once: fetching waits on the network, so twice the cores, at least 2."""
    return app_settings.airflow_parallelism(cpus=cpus)


def metadata_database_url(database_url: str, database: str = METADATA_DATABASE) -> str:
    """SQLAlchemy URL of Airflow's metadata database: same server, own database."""
    parts = urlsplit(database_url)
    if parts.scheme.split("+", 1)[0] not in {"postgres", "postgresql"}:
        raise SettingsError(f"not a PostgreSQL URL: {parts.scheme!r}")
    return urlunsplit(parts._replace(scheme="postgresql+psycopg", path="/" + quote(database)))


def _plain_url(database_url: str, database: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(scheme="postgresql", path="/" + quote(database)))


def ensure_metadata_database(database_url: str, database: str = METADATA_DATABASE) -> bool:
    """Create Airflow's metadata database beside the warehouse; True when created.

    Needs the CREATEDB privilege (the embedded server's user has it).  Without
    it, create the database once by hand or point
    ``AIRFLOW__DATABASE__SQL_ALCHEMY_CONN`` at another database.
    """
    with connect(_plain_url(database_url, "postgres"), autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", (database,))
        if exists.fetchone():
            return False
        try:
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(database)))
        except psycopg.errors.DuplicateDatabase:
            return False
        except psycopg.errors.InsufficientPrivilege as exc:
            raise SettingsError(
                f"cannot create Airflow's metadata database {database!r} ({exc}); create it "
                "by hand or set AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"
            ) from exc
    return True


@dataclass
class LocalAirflow:
    """One local Airflow installation for newsflow."""

    database_url: str
    data_dir: Path
    home: Path
    port: int = DEFAULT_PORT
    executor: str = "LocalExecutor"
    parallelism: int = field(default_factory=default_parallelism)
    paused_at_creation: bool = False
    metadata_url: str = ""

    def __post_init__(self) -> None:
        if not self.metadata_url:
            self.metadata_url = metadata_database_url(self.database_url)

    @classmethod
    def from_settings(
        cls, database_url: str, settings: Settings | None = None, **kwargs: object
    ) -> LocalAirflow:
        settings = settings or load()
        env = Env()
        kwargs.setdefault("port", env.int("AIRFLOW__API__PORT", DEFAULT_PORT))
        # An explicit metadata database wins over the default beside the warehouse.
        kwargs.setdefault("metadata_url", env.str("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"))
        return cls(
            database_url=database_url,
            data_dir=settings.data_dir,
            home=app_settings.airflow_home(settings.data_dir, env),
            **kwargs,  # type: ignore[arg-type]
        )

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def password_file(self) -> Path:
        return self.home / PASSWORD_FILE

    def environment(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """The full environment for Airflow processes (``base`` defaults to ``os.environ``)."""
        return airflow_environment(self, base)

    def prepare(self) -> None:
        """Create the home and the metadata database (not the tables: see :meth:`migrate`)."""
        self.home.mkdir(parents=True, exist_ok=True)
        if self.metadata_url == metadata_database_url(self.database_url):
            ensure_metadata_database(self.database_url)

    def migrate(self, env: dict[str, str] | None = None, *, timeout: float = 600) -> None:
        """``airflow db migrate``: creates or upgrades the metadata tables (seconds)."""
        proc = subprocess.run(
            [str(airflow_bin()), "db", "migrate"],
            env=env or self.environment(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"airflow db migrate failed:\n{proc.stdout[-3000:]}{proc.stderr}")


def airflow_environment(local: LocalAirflow, base: dict[str, str] | None = None) -> dict[str, str]:
    base = dict(os.environ if base is None else base)
    bindir = str(Path(sys.executable).parent)
    ours: dict[str, str] = {
        "AIRFLOW_HOME": str(local.home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": local.executor,
        "AIRFLOW__CORE__PARALLELISM": str(local.parallelism),
        "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": str(local.parallelism),
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": str(local.paused_at_creation),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": local.metadata_url,
        "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(local.port),
        "AIRFLOW__API__BASE_URL": local.api_url,
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{local.api_url}/execution/",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(local.home / "logs"),
        "NEWSFLOW_DATABASE_URL": local.database_url,
        "NEWSFLOW_DATA_DIR": str(local.data_dir),
        # `airflow standalone` starts its components as `airflow ...` from PATH.
        "PATH": bindir + os.pathsep + base.get("PATH", os.defpath),
        **airflow_connection_env(local.database_url),
        **cosmos_environment(local.data_dir),
    }
    env = {**base, **ours}
    # The user's own AIRFLOW__SECTION__KEY settings win over these defaults.
    env.update({k: v for k, v in base.items() if k.startswith("AIRFLOW__")})
    return env
