"""``newsflow airflow``: Airflow (``airflow standalone``) with newsflow's DAGs, locally.

Everything runs on this machine: the API server and UI on 127.0.0.1, the
scheduler, the DAG processor and the triggerer, with the LocalExecutor.  The
metadata database lives in the same PostgreSQL as the warehouse (its own
database, ``newsflow_airflow``), ``AIRFLOW_HOME`` in newsflow's data directory
(see :mod:`newsflow.airflow_home`).

The four DAGs are created unpaused (``--paused`` keeps Airflow's default of
paused): ``news_ingest`` runs at once and then on its schedule, the Asset chain
runs ``news_annotate`` and ``news_transform`` after it, and ``news_nightly``
runs its latest missed slot once, then nightly at 02:00 UTC.  A DAG you pause
in the UI stays paused.  With ``--demo`` the bundled demo feeds are served on
127.0.0.1 while Airflow runs (and registered): trigger ``news_ingest`` in the
UI and the chain follows.  The admin user is ``admin``; Airflow generates its
password on first start in ``<AIRFLOW_HOME>/simple_auth_manager_passwords.json.generated``.
"""

from __future__ import annotations

import contextlib
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import click

from newsflow.cli.common import EXIT_USAGE, database_url, settings
from storage.connection import connect


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def ensure_manifest() -> Path:
    """Build dbt's manifest if ``make install`` has not; a failed parse is a CLI error."""
    from newsflow.dbt_runner import ManifestError
    from newsflow.dbt_runner import ensure_manifest as build_manifest

    try:
        return build_manifest(notify=lambda message: click.echo(message, err=True))
    except ManifestError as exc:
        click.echo(exc.output, err=True)
        raise click.ClickException(str(exc)) from exc


def _announce_when_ready(proc: subprocess.Popen[bytes], url: str, password_file: Path) -> None:
    deadline = time.monotonic() + 600
    port = int(url.rsplit(":", 1)[1])
    while proc.poll() is None and time.monotonic() < deadline:
        if _port_open(port) and password_file.exists():
            click.secho(
                f"\nnewsflow | Airflow UI: {url}  (user: admin; password in {password_file})\n",
                fg="green",
                err=True,
            )
            return
        time.sleep(1)


def _restore_sigint() -> None:
    """In the child: Ctrl-C must reach ``airflow standalone`` even if we were started
    with SIGINT ignored (a background job): its clean shutdown hangs on it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextlib.contextmanager
def _demo_feeds(database_url: str, env: dict[str, str]) -> Iterator[str]:
    """Serve the bundled demo corpus on 127.0.0.1 and register its feeds (``--demo``)."""

    from newsflow.demo.run import register_feeds, stored_port
    from newsflow.demo.server import Corpus, DemoServer

    corpus = Corpus()
    with connect(database_url) as conn:
        port = stored_port(conn, corpus)
    with DemoServer(corpus, required_port=port) as server:
        with connect(database_url) as conn:
            urls, _ = register_feeds(conn, server)
        from newsflow.settings import Env, load
        from newsflow.settings.env import with_host_allowed

        allowed = load(Env(env)).ingest.http.allowed_hosts
        env["NEWSFLOW_ALLOWED_HOSTS"] = with_host_allowed(allowed, "127.0.0.1")
        yield f"{len(urls)} demo feeds served on {server.base_url}"


@click.command()
@click.option("--port", type=int, default=None, help="UI/API port (default 8080, else a free one).")
@click.option("--paused", is_flag=True, help="Create the DAGs paused (Airflow's default).")
@click.option(
    "--demo",
    is_flag=True,
    help="Also serve the bundled demo feeds on 127.0.0.1 (registered in the catalogue).",
)
@click.option(
    "--print-env",
    is_flag=True,
    help="Print the Airflow environment as shell exports (password masked) and exit.",
)
def airflow(port: int | None, paused: bool, demo: bool, print_env: bool) -> None:
    """Start Airflow locally (airflow standalone) with the newsflow DAGs."""
    from newsflow.airflow_home import LocalAirflow, airflow_bin
    from newsflow.orchestration.connection import describe

    cfg = settings()
    url = database_url()
    if port is None:
        port = 8080 if _port_free(8080) else _free_port()
    elif not _port_free(port):
        click.echo(
            f"error: port {port} on 127.0.0.1 is in use; choose another with --port", err=True
        )
        sys.exit(EXIT_USAGE)
    local = LocalAirflow.from_settings(url, cfg, port=port, paused_at_creation=paused)
    env = local.environment()
    if print_env:
        for key in sorted(k for k in env if k.startswith(("AIRFLOW", "NEWSFLOW_"))):
            value = env[key]
            if key in {"AIRFLOW_CONN_NEWSFLOW_DB", "NEWSFLOW_DATABASE_URL"} or "SQL_ALCHEMY" in key:
                value = describe(value)
            click.echo(f"export {key}={shlex.quote(value)}")
        return
    local.prepare()
    ensure_manifest()
    with contextlib.ExitStack() as stack:
        if demo:
            click.echo(f"newsflow | {stack.enter_context(_demo_feeds(url, env))}", err=True)
        click.echo(
            f"newsflow | AIRFLOW_HOME={local.home}\n"
            f"newsflow | warehouse and metadata: {describe(local.metadata_url)}\n"
            f"newsflow | UI: {local.api_url} (user admin; password in {local.password_file})\n"
            f"newsflow | DAGs {'paused' if paused else 'unpaused'} at creation; "
            "Ctrl-C stops Airflow",
            err=True,
        )
        code = _run_standalone([str(airflow_bin()), "standalone"], env, local)
    sys.exit(0 if code in (0, -2, 130) else code)


def _run_standalone(cmd: list[str], env: dict[str, str], local: object) -> int:
    proc = subprocess.Popen(cmd, env=env, preexec_fn=_restore_sigint)
    threading.Thread(
        target=_announce_when_ready,
        args=(proc, local.api_url, local.password_file),  # type: ignore[attr-defined]
        daemon=True,
    ).start()

    def stop(signum: int, frame: object) -> None:
        # A process manager's SIGTERM: ask standalone for its clean shutdown (SIGINT).
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)

    signal.signal(signal.SIGTERM, stop)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        # The terminal sent SIGINT to the whole group: standalone stops its components.
        try:
            return proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.terminate()
            return proc.wait()
