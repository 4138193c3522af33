"""docker-compose.yml, checked without Docker: structure, and agreement with the project.

Docker cannot run here, so these tests read the compose file (with the
variables of ``.env.example`` substituted as compose would), the Dockerfile and
the Postgres init script, and check them against the code: Airflow commands
parse with Airflow's own CLI parser, the DAG folder is where the image copies
``dags/``, the connection and the CLI's database URL are the same database,
the execution API URL names the API server, no secret is written in the file.
"""

from __future__ import annotations

import re
import shlex
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from newsflow.airflow_home import DAGS_FOLDER
from newsflow.orchestration.connection import CONN_ENV, airflow_connection_uri
from newsflow.settings import PROJECT_ROOT

COMPOSE = PROJECT_ROOT / "docker-compose.yml"
ENV_EXAMPLE = PROJECT_ROOT / ".env.example"
DOCKERFILE = PROJECT_ROOT / "docker" / "Dockerfile"
INIT_SQL = PROJECT_ROOT / "docker" / "postgres" / "init.sh"

AIRFLOW_SERVICES = {
    "airflow-init",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
}
LONG_RUNNING = {
    "postgres",
    "redis",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
    "metabase",
}
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def read_env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip('"')
    return values


def substitute(value: Any, env: dict[str, str], missing: set[str]) -> Any:
    """Compose's interpolation: ${X}, ${X:-default}, ${X:?error}; $$ is a literal $."""
    if isinstance(value, dict):
        return {k: substitute(v, env, missing) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, env, missing) for v in value]
    if not isinstance(value, str):
        return value

    def repl(match: re.Match[str]) -> str:
        name, op, arg = match.group(1), match.group(2), match.group(3)
        if env.get(name):
            return env[name]
        if op in (":-", "-"):
            return arg
        missing.add(name)
        return ""

    return _VAR.sub(repl, value.replace("$$", "\0")).replace("\0", "$")


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def compose(raw: dict[str, Any]) -> dict[str, Any]:
    missing: set[str] = set()
    example = read_env_example()
    env = {k: (v if v != "change-me" else f"test-{k.lower()}") for k, v in example.items()}
    resolved = substitute(raw, env, missing)
    assert missing == set(), f"required but absent from .env.example: {missing}"
    return resolved


def _env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def test_services_and_health_checks(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == LONG_RUNNING | {"airflow-init"}
    for name in LONG_RUNNING:
        check = services[name].get("healthcheck", {})
        assert check.get("test"), f"{name} has no health check"
        assert services[name].get("restart") in {"unless-stopped", "always"}, name
    assert services["airflow-init"]["restart"] == "no"


def test_workers_scale(compose: dict[str, Any]) -> None:
    worker = compose["services"]["airflow-worker"]
    # `docker compose up --scale airflow-worker=N` needs no fixed name and no host port.
    assert "container_name" not in worker and "ports" not in worker
    assert not any("container_name" in s for s in compose["services"].values())


def test_start_order(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in AIRFLOW_SERVICES:
        deps = services[name]["depends_on"]
        assert deps["postgres"]["condition"] == "service_healthy", name
        assert deps["redis"]["condition"] == "service_healthy", name
        if name != "airflow-init":
            assert deps["airflow-init"]["condition"] == "service_completed_successfully", name
    assert services["metabase"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_airflow_commands_parse(compose: dict[str, Any]) -> None:
    from airflow.cli.cli_parser import get_parser

    parser = get_parser()
    services = compose["services"]
    for name in AIRFLOW_SERVICES - {"airflow-init"}:
        command = services[name]["command"]
        assert command[0] == "airflow", name
        parser.parse_args(command[1:])  # SystemExit on an unknown command or option
    init = services["airflow-init"]["command"]
    steps = [shlex.split(step) for step in init[-1].split("&&")]
    assert ["airflow", "db", "migrate"] in steps
    assert ["newsflow", "db", "migrate"] in steps
    parser.parse_args(["db", "migrate"])
    from newsflow.cli import cli

    db_group = cli.get_command(None, "db")  # type: ignore[arg-type]
    assert db_group is not None and db_group.get_command(None, "migrate") is not None  # type: ignore[attr-defined]


def test_one_image_built_from_the_dockerfile(raw: dict[str, Any], compose: dict[str, Any]) -> None:
    common = raw["x-airflow-common"]
    assert (PROJECT_ROOT / common["build"]["context"] / common["build"]["dockerfile"]) == DOCKERFILE
    images = {compose["services"][s]["image"] for s in AIRFLOW_SERVICES}
    assert len(images) == 1


def test_dag_folder_is_where_the_image_copies_dags(compose: dict[str, Any]) -> None:
    text = DOCKERFILE.read_text()
    workdir = re.findall(r"^WORKDIR\s+(\S+)", text, re.M)[-1]
    copies = dict((src, dst) for src, dst in re.findall(r"^COPY\s+(\S+)\s+(\S+)", text, re.M))
    assert copies["dags"] == "./dags" and copies["dbt_project"] == "./dbt_project"
    for name in AIRFLOW_SERVICES:
        env = _env(compose["services"][name])
        assert env["AIRFLOW__CORE__DAGS_FOLDER"] == f"{workdir}/dags"
    # The editable install keeps PROJECT_ROOT (dags/, dbt_project/) at the WORKDIR.
    assert re.search(r"pip install .*-e ", text)
    assert "python -m newsflow.dbt_runner parse" in text
    assert DAGS_FOLDER == PROJECT_ROOT / "dags" and any(DAGS_FOLDER.glob("news_*.py"))
    assert "constraints.txt" in text


def test_environment_agrees_with_the_project(compose: dict[str, Any]) -> None:
    services = compose["services"]
    env = _env(services["airflow-scheduler"])
    for name in AIRFLOW_SERVICES:
        assert (
            _env(services[name]).items()
            >= {k: v for k, v in env.items() if k != "DUMB_INIT_SETSID"}.items()
        ), name
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert env["AIRFLOW__CORE__LOAD_EXAMPLES"].lower() == "false"
    # One database for the CLI and the Airflow connection newsflow_db.
    assert env[CONN_ENV] == airflow_connection_uri(env["NEWSFLOW_DATABASE_URL"])
    warehouse = urlsplit(env["NEWSFLOW_DATABASE_URL"])
    metadata = urlsplit(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
    assert metadata.scheme == "postgresql+psycopg"
    assert (warehouse.hostname, warehouse.port) == (metadata.hostname, metadata.port)
    assert warehouse.hostname == "postgres" and warehouse.path == "/newsflow"
    assert metadata.path == "/newsflow_airflow"
    backend = env["AIRFLOW__CELERY__RESULT_BACKEND"]
    assert backend == "db+" + env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    assert urlsplit(env["AIRFLOW__CELERY__BROKER_URL"]).hostname == "redis"
    # Tasks reach the execution API on the API server's container port.
    execution = urlsplit(env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"])
    assert execution.hostname == "airflow-apiserver" and execution.path == "/execution/"
    ports = services["airflow-apiserver"]["ports"]
    assert any(p.endswith(f":{execution.port}") for p in ports)
    assert all(p.startswith("127.0.0.1:") for p in ports)
    # Cosmos: no telemetry, cache on the data volume; the data dir is a volume.
    assert env["AIRFLOW__COSMOS__ENABLE_TELEMETRY"].lower() == "false"
    mounts = {m.split(":")[1]: m.split(":")[0] for m in services["airflow-scheduler"]["volumes"]}
    assert env["NEWSFLOW_DATA_DIR"] in mounts
    assert env["AIRFLOW__COSMOS__CACHE_DIR"].startswith(env["NEWSFLOW_DATA_DIR"] + "/")
    assert set(mounts.values()) <= set(compose["volumes"])


def test_no_secret_in_the_file(raw: dict[str, Any]) -> None:
    secrets = {
        "AIRFLOW__CORE__FERNET_KEY",
        "AIRFLOW__API__SECRET_KEY",
        "AIRFLOW__API_AUTH__JWT_SECRET",
        "POSTGRES_PASSWORD",
        "MB_DB_PASS",
        "NEWSFLOW_READER_PASSWORD",
    }
    seen = set()
    for service in [raw["x-airflow-common"], *raw["services"].values()]:
        for key, value in _env(service).items():
            if key in secrets:
                seen.add(key)
                assert value.startswith("${"), f"{key} is written in the file"
            if "://" in value and "@" in value:
                userinfo = urlsplit(value.split("+", 1)[-1] if value.startswith("db+") else value)
                assert userinfo.password is None or userinfo.password.startswith("${"), key
    assert seen == secrets
    assert ".env" in (PROJECT_ROOT / ".gitignore").read_text().split()


def test_metabase_reads_the_marts_as_the_reader_role(compose: dict[str, Any]) -> None:
    services = compose["services"]
    postgres_env = _env(services["postgres"])
    assert any(
        v.endswith(":/docker-entrypoint-initdb.d/10-newsflow.sh:ro")
        for v in services["postgres"]["volumes"]
    )
    init = INIT_SQL.read_text()
    # The dashboards' login is a member of the role migration 0003 grants the marts to.
    assert "in role newsflow_reader" in init
    roles = (PROJECT_ROOT / "newsflow" / "db" / "migrations" / "0003_roles.sql").read_text()
    assert "newsflow_reader" in roles
    # ...and dbt grants SELECT on the marts to (its default reader role).
    assert "newsflow_reader" in (PROJECT_ROOT / "dbt_project" / "dbt_project.yml").read_text()
    assert postgres_env["AIRFLOW_DB_NAME"] == "newsflow_airflow"
    mb = _env(services["metabase"])
    assert mb["MB_DB_DBNAME"] == postgres_env["METABASE_DB_NAME"]
    assert mb["NEWSFLOW_READER_USER"] == postgres_env["NEWSFLOW_READER_USER"]
    assert all(p.startswith("127.0.0.1:") for p in services["metabase"]["ports"])
