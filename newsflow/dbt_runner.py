"""Run dbt on the newsflow warehouse project (``dbt_project/``).

One place turns a database URL into the environment ``dbt_project/profiles.yml``
reads (``NEWSFLOW_DB_*``), so the CLI, Airflow (Cosmos or a plain task) and a
user typing ``dbt`` in the project folder all use the same settings.

dbt runs in a subprocess of the same interpreter (dbt's ``cli()``):
dbt keeps global state and reads ``env_var()`` from ``os.environ``, so a child
process is the only way to give each run its own database without touching the
caller's environment, and a crash or a ``sys.exit`` inside dbt cannot take the
caller down.  Progress comes from dbt's JSON log lines; the summary from
``run_results.json``.

``python -m newsflow.dbt_runner parse`` writes ``dbt_project/target/manifest.json``
without a reachable database (``make install`` runs it so Airflow's Cosmos can
render the dbt graph with ``LoadMode.DBT_MANIFEST``).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsflow.settings import PROJECT_ROOT, Env, load
from newsflow.settings import app as app_settings

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

#: The dbt project; also its profiles directory (profiles.yml uses env_var() only).
PROJECT_DIR = PROJECT_ROOT / "dbt_project"
TARGET_DIR = PROJECT_DIR / "target"
MANIFEST_PATH = TARGET_DIR / "manifest.json"

#: Called as progress(done, total, node_name, status) after each node finishes.
ProgressCallback = Callable[[int, int, str, str], None]

#: dbt's own entry point, run by this interpreter (so the venv's dbt, wherever it lives).
#: Once dbt has returned (artifacts written, log lines flushed) the process ends at once:
#: tearing down dbt's module graph and thread pools costs a few tenths of a second for nothing.
#: Its first argument, ``skip-manifest`` or ``write-manifest``, is newsflow's (see _skip_manifest).
_DBT_MAIN = """
import os, sys
skip_manifest = sys.argv.pop(1) == "skip-manifest"
sys.argv[0] = "dbt"
from dbt.cli.main import cli
if skip_manifest:
    import dbt.parser.manifest, dbt.task.runnable
    dbt.parser.manifest.write_manifest = dbt.task.runnable.write_manifest = lambda *a, **k: None
try:
    cli()
    code = 0
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
"""
#: Commands whose manifest.json would only repeat the one ``parse`` wrote.
_MANIFEST_UNCHANGED = {"build", "run", "test", "seed", "snapshot"}
_RESULT_EVENTS = {"LogModelResult", "LogTestResult", "LogSeedResult", "LogSnapshotResult"}
_FAILED = {"error", "fail", "runtime error"}


class DbtError(RuntimeError):
    """dbt could not be started at all (not a failing model: see ``DbtResult.success``)."""


class ManifestError(DbtError):
    """``dbt parse`` failed, so the dbt graph cannot be rendered; ``output`` says why."""

    def __init__(self, message: str, output: str = "") -> None:
        super().__init__(message)
        self.output = output


@dataclass
class DbtResult:
    """What one dbt invocation did."""

    args: list[str]
    returncode: int
    elapsed_s: float
    #: status -> count over the nodes of run_results.json (success, pass, error, fail, ...)
    counts: dict[str, int] = field(default_factory=dict)
    #: unique_id and message of every node that errored or failed
    failures: list[tuple[str, str]] = field(default_factory=list)
    #: dbt's own output (human lines) when the caller asked to capture it
    output: str = ""

    @property
    def success(self) -> bool:
        return self.returncode == 0

    def summary(self) -> str:
        parts = ", ".join(f"{status}={n}" for status, n in sorted(self.counts.items()))
        command = self.args[0] if self.args else ""
        return f"dbt {command}: {parts or 'no nodes'} in {self.elapsed_s:.1f}s"


#: libpq keywords profiles.yml has no field for: libpq reads them from these
#: variables when dbt connects (https://www.postgresql.org/docs/current/libpq-envars.html).
_LIBPQ_ENV = {
    "application_name": "PGAPPNAME",
    "channel_binding": "PGCHANNELBINDING",
    "client_encoding": "PGCLIENTENCODING",
    "gssencmode": "PGGSSENCMODE",
    "hostaddr": "PGHOSTADDR",
    "krbsrvname": "PGKRBSRVNAME",
    "load_balance_hosts": "PGLOADBALANCEHOSTS",
    "passfile": "PGPASSFILE",
    "requirepeer": "PGREQUIREPEER",
    "require_auth": "PGREQUIREAUTH",
    "service": "PGSERVICE",
    "sslcert": "PGSSLCERT",
    "sslcrl": "PGSSLCRL",
    "sslkey": "PGSSLKEY",
    "sslnegotiation": "PGSSLNEGOTIATION",
    "sslrootcert": "PGSSLROOTCERT",
    "ssl_max_protocol_version": "PGSSLMAXPROTOCOLVERSION",
    "ssl_min_protocol_version": "PGSSLMINPROTOCOLVERSION",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}
#: Keywords profiles.yml has a field for, and ``options`` (merged into PGOPTIONS).
_PROFILE_KEYWORDS = {
    "host", "port", "user", "password", "dbname", "sslmode", "connect_timeout", "options",
}  # fmt: skip


def dbt_env(database_url: str) -> dict[str, str]:
    """The ``NEWSFLOW_DB_*`` variables profiles.yml reads, from a PostgreSQL URL.

    Any URL libpq accepts: with or without a password, a Unix socket
    (``?host=/run/postgresql`` or a percent-encoded host), ``sslmode``,
    ``options`` (added to ``PGOPTIONS``) and the other libpq keywords (as their
    ``PG*`` variables), in the netloc or the query string; also the
    ``postgres://`` and ``postgresql+psycopg://`` spellings.  A keyword dbt
    could not pass on is an error, not silently dropped.
    """
    from newsflow.db.url import DatabaseURLError, url_params

    params = url_params(database_url)
    unknown = sorted(set(params) - _PROFILE_KEYWORDS - set(_LIBPQ_ENV))
    if unknown:
        raise DatabaseURLError(f"database URL parameter(s) dbt cannot use: {', '.join(unknown)}")
    # JIT compiles the wide CTE queries of the models for seconds and wins
    # nothing at warehouse sizes; libpq passes this to every dbt session.
    options = [os.environ.get("PGOPTIONS", ""), "-c jit=off", params.get("options", "")]
    env = {
        "NEWSFLOW_DB_HOST": params.get("host", "127.0.0.1"),
        "NEWSFLOW_DB_PORT": params.get("port", "5432"),
        "NEWSFLOW_DB_USER": params.get("user", "postgres"),
        "NEWSFLOW_DB_PASSWORD": params.get("password", ""),
        "NEWSFLOW_DB_NAME": params.get("dbname", "postgres"),
        "NEWSFLOW_DB_SSLMODE": params.get("sslmode", "prefer"),
        "NEWSFLOW_DBT_THREADS": str(app_settings.dbt_threads()),
        "PGOPTIONS": " ".join(filter(None, options)),
    }
    if "connect_timeout" in params:
        env["NEWSFLOW_DB_CONNECT_TIMEOUT"] = params["connect_timeout"]
    env.update({var: params[key] for key, var in _LIBPQ_ENV.items() if key in params})
    return env


def _base_env() -> dict[str, str]:
    env = dict(os.environ)
    # No network here and no telemetry anywhere: dbt must not phone home.
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    env.setdefault("DO_NOT_TRACK", "1")
    env.setdefault("DBT_VERSION_CHECK", "false")
    env.setdefault("DBT_USE_COLORS", "false")
    # dbt's file log at debug holds every statement of every model: 4.5 MB per
    # per-batch build, and 0.3 s of its run. DBT_LOG_LEVEL_FILE=debug brings it back.
    env.setdefault("DBT_LOG_LEVEL_FILE", "info")
    env["DBT_PROFILES_DIR"] = str(PROJECT_DIR)
    env["DBT_PROJECT_DIR"] = str(PROJECT_DIR)
    return env


def _skip_manifest(args: Sequence[str], env: dict[str, str]) -> bool:
    """Whether this run can leave manifest.json alone.

    dbt writes the whole manifest (1.3 MB here) twice per ``build``, 0.4 s of a
    per-batch build, though the project did not change: ``parse`` (``make
    install``), ``docs generate`` and ``compile`` still write it, as does any
    command with ``NEWSFLOW_DBT_WRITE_MANIFEST=1``. run_results.json is kept.
    """
    wanted = app_settings.dbt_write_manifest(Env(env))
    return bool(args) and args[0] in _MANIFEST_UNCHANGED and not wanted


def _resolve_url(database_url: str | None) -> str:
    if database_url:
        return database_url
    from newsflow.db import resolve_database_url

    return resolve_database_url()


def _read_run_results(target_path: Path) -> tuple[dict[str, int], list[tuple[str, str]]]:
    path = target_path / "run_results.json"
    counts: dict[str, int] = {}
    failures: list[tuple[str, str]] = []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return counts, failures
    for result in data.get("results", []):
        status = str(result.get("status", "unknown"))
        counts[status] = counts.get(status, 0) + 1
        if status in _FAILED:
            failures.append((str(result.get("unique_id")), str(result.get("message") or "")))
    return counts, failures


def _handle_line(
    line: str, progress: ProgressCallback | None, human: list[str], done: list[int]
) -> None:
    """One JSON log line from dbt: keep its text, report finished nodes."""
    try:
        event = json.loads(line)
    except ValueError:
        human.append(line)
        return
    info = event.get("info", {})
    message = info.get("msg", "")
    if message:
        human.append(message)
    name = info.get("name")
    if progress is None or name not in _RESULT_EVENTS:
        return
    data = event.get("data", {})
    node = data.get("node_info", {}) or {}
    total = int(data.get("total") or data.get("num_models") or 0)
    done[0] += 1
    status = str(data.get("status") or node.get("node_status") or "")
    label = str(node.get("node_name") or data.get("name") or data.get("description") or "")
    try:
        progress(done[0], max(total, done[0]), label, status)
    except Exception:  # a broken progress bar must not break the build
        log.debug("progress callback failed", exc_info=True)


def run_dbt(
    args: Sequence[str],
    *,
    database_url: str | None = None,
    capture: bool = False,
    progress: ProgressCallback | None = None,
    target_path: Path | None = None,
    extra_env: dict[str, str] | None = None,
    timeout_s: float | None = None,
) -> DbtResult:
    """Run one dbt command (``["build", "--select", "marts"]``) on the warehouse.

    ``database_url`` defaults to the configured or embedded database. Without
    ``capture`` dbt's lines go to this process's stderr as they come; with it
    they are returned in ``DbtResult.output``. ``target_path`` keeps the
    artifacts of concurrent runs apart (tests, benchmarks); default
    ``$NEWSFLOW_DBT_TARGET_PATH``, else ``dbt_project/target``.
    """
    args = list(args)
    env = _base_env()
    if args and args[0] not in {"parse", "deps", "clean", "debug", "--version", "list", "ls"}:
        env.update(dbt_env(_resolve_url(database_url)))
    elif database_url:
        env.update(dbt_env(database_url))
    if extra_env:
        env.update(extra_env)
    if target_path is None:
        target_path = app_settings.dbt_target_path()
    target = Path(target_path)
    env["DBT_TARGET_PATH"] = str(target)
    env.setdefault("DBT_LOG_PATH", str(target / "logs"))

    manifest = "skip-manifest" if _skip_manifest(args, env) else "write-manifest"
    cmd = [sys.executable, "-c", _DBT_MAIN, manifest, "--log-format", "json", *args]
    log.info("running dbt %s", " ".join(args))
    human: list[str] = []
    done = [0]
    started = time.monotonic()
    try:
        proc = subprocess.Popen(
            cmd,
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
    except OSError as exc:
        raise DbtError(f"cannot start dbt: {exc}") from exc
    assert proc.stdout is not None
    try:
        for raw in proc.stdout:
            line = raw.rstrip("\n")
            if not line:
                continue
            before = len(human)
            _handle_line(line, progress, human, done)
            if not capture:
                for text in human[before:]:
                    print(text, file=sys.stderr, flush=True)
            if timeout_s is not None and time.monotonic() - started > timeout_s:
                proc.kill()
                break
        returncode = proc.wait()
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    elapsed = time.monotonic() - started
    counts, failures = _read_run_results(target) if args and args[0] != "parse" else ({}, [])
    return DbtResult(
        args=args,
        returncode=returncode,
        elapsed_s=elapsed,
        counts=counts,
        failures=failures,
        output="\n".join(human) if capture else "",
    )


def build(
    database_url: str | None = None,
    *,
    select: Sequence[str] | str | None = None,
    full_refresh: bool = False,
    progress: ProgressCallback | None = None,
    capture: bool = False,
    target_path: Path | None = None,
    exclude: Sequence[str] | str | None = None,
    selector: str | None = None,
) -> DbtResult:
    """``dbt build``: seeds, models, snapshots and tests in dependency order.

    ``selector`` names a selector of ``dbt_project/selectors.yml``:
    ``frequent`` (the incremental models and what is built on them, with their
    data tests; for runs after each annotation batch) or ``nightly`` (all).
    """
    args = ["build"]
    if selector:
        args += ["--selector", selector]
    if select:
        args += ["--select", *([select] if isinstance(select, str) else select)]
    if exclude:
        args += ["--exclude", *([exclude] if isinstance(exclude, str) else exclude)]
    if full_refresh:
        args.append("--full-refresh")
    return run_dbt(
        args,
        database_url=database_url,
        capture=capture,
        progress=progress,
        target_path=target_path,
    )


def parse(*, target_path: Path | None = None) -> DbtResult:
    """Write ``manifest.json`` without connecting to a database."""
    return run_dbt(["parse"], capture=True, target_path=target_path)


def ensure_manifest(
    path: Path | None = None, *, notify: Callable[[str], None] | None = None
) -> Path:
    """Build dbt's manifest if ``make install`` has not (no database needed).

    ``path`` defaults to the configured manifest (``NEWSFLOW_DBT_MANIFEST``).
    Raises :class:`ManifestError` when ``dbt parse`` fails.
    """
    path = path or app_settings.dbt_manifest_path()
    if not path.is_file():
        if notify is not None:
            notify(f"building the dbt manifest ({path}) ...")
        result = parse()
        if not result.success:
            raise ManifestError(
                "dbt parse failed: news_transform cannot be rendered", output=result.output
            )
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m newsflow.dbt_runner parse`` or ``... <any dbt command>``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        print("usage: python -m newsflow.dbt_runner parse | <dbt command> [args]", file=sys.stderr)
        return 2
    if argv == ["parse"]:
        result = parse()
        if not result.success:
            print(result.output, file=sys.stderr)
            return 1
        print(str(MANIFEST_PATH))
        return 0
    url = load().database_url or None
    return run_dbt(argv, database_url=url).returncode


if __name__ == "__main__":
    raise SystemExit(main())
