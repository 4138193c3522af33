"""An embedded PostgreSQL server for users with no database set up.

When ``NEWSFLOW_DATABASE_URL`` is unset, the CLI (and the test suite) call
:func:`ensure_embedded_server`, which creates a cluster in the data directory
on first use and starts it on a free port on 127.0.0.1, then reuses it.

Binaries: the machine's PostgreSQL when present (``pg_config``, Debian's
``/usr/lib/postgresql/N/bin``, ``initdb`` on PATH), else the ``pgserver``
wheel.  PostgreSQL refuses to run as root, so a root caller runs only the
server binaries as an unprivileged user (``postgres`` when it exists) with a
data directory that user can reach.  The superuser password is random and
kept in ``connection.json`` (mode 600) beside the cluster.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import json
import logging
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from storage.connection import connect

log = logging.getLogger(__name__)

SUPERUSER = "newsflow"
DATABASE = "newsflow"


class EmbeddedServerError(RuntimeError):
    """The embedded server could not be created or started; the message says why."""


def find_bindir() -> Path:
    """Directory holding initdb, pg_ctl and postgres."""
    candidates: list[Path] = []
    from newsflow.settings import app as app_settings

    override = app_settings.pg_bindir()
    if override:
        candidates.append(Path(override))
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
            ).stdout.strip()
            candidates.append(Path(out))
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        versions = sorted(
            (p for p in debian.iterdir() if p.name.isdigit()),
            key=lambda p: int(p.name),
            reverse=True,
        )
        candidates.extend(v / "bin" for v in versions)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).parent)
    # The pgserver wheel bundles PostgreSQL; find it without importing it.
    spec = importlib.util.find_spec("pgserver")
    if spec and spec.origin:
        candidates.append(Path(spec.origin).parent / "pginstall" / "bin")
    for bindir in candidates:
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    raise EmbeddedServerError(
        "no PostgreSQL binaries found: install PostgreSQL (e.g. 'apt-get install postgresql'), "
        "or 'pip install pgserver', or set NEWSFLOW_DATABASE_URL to an existing server"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class EmbeddedServer:
    """A PostgreSQL cluster under ``<data_dir>/postgres``."""

    data_dir: Path

    @property
    def root(self) -> Path:
        return self.data_dir / "postgres"

    @property
    def pgdata(self) -> Path:
        return self.root / "data"

    @property
    def state_file(self) -> Path:
        return self.data_dir / "postgres-connection.json"

    @property
    def logfile(self) -> Path:
        return self.root / "server.log"

    # -- running commands as the right user ---------------------------------
    def _run_as(self) -> str | None:
        """The unprivileged user that runs the server when we are root."""
        if os.geteuid() != 0:
            return None
        for name in ("postgres", "nobody"):
            with contextlib.suppress(KeyError):
                pwd.getpwnam(name)
                return name
        raise EmbeddedServerError("running as root and no unprivileged 'postgres' user exists")

    def _cmd(self, args: list[str]) -> list[str]:
        user = self._run_as()
        if user is None:
            return args
        runuser = shutil.which("runuser")
        if runuser:
            return [runuser, "-u", user, "--", *args]
        return ["su", "-s", "/bin/sh", user, "-c", " ".join(map(_shell_quote, args))]

    def _exec(self, args: list[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            self._cmd(args), capture_output=True, text=True, timeout=timeout, cwd="/"
        )
        return proc

    def _chown(self, path: Path) -> None:
        user = self._run_as()
        if user is None:
            return
        entry = pwd.getpwnam(user)
        os.chown(path, entry.pw_uid, entry.pw_gid)

    # -- state ------------------------------------------------------------------
    def _load_state(self) -> dict[str, object] | None:
        if not self.state_file.exists():
            return None
        return json.loads(self.state_file.read_text())

    def _save_state(self, state: dict[str, object]) -> None:
        tmp = self.state_file.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(state, fh)
        tmp.replace(self.state_file)

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.data_dir / "postgres.lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    # -- lifecycle ----------------------------------------------------------------
    def url(self, state: dict[str, object], database: str = DATABASE) -> str:
        return f"postgresql://{SUPERUSER}:{state['password']}@127.0.0.1:{state['port']}/{database}"

    def _check_reachable(self) -> None:
        if self._run_as() is None:
            return
        # The unprivileged user must be able to walk down to the cluster directory.
        probe = self._exec(["test", "-x", str(self.root)])
        if probe.returncode != 0:
            raise EmbeddedServerError(
                f"the '{self._run_as()}' user cannot reach {self.root}: choose a data directory "
                "outside root's home with NEWSFLOW_DATA_DIR (default for root: /var/lib/newsflow)"
            )

    def _usable_bindir(self, bindir: Path) -> Path:
        """Binaries the server user can execute.

        A root user's virtualenv (with the pgserver wheel) sits in a home
        directory other users cannot enter: copy the install tree beside the
        cluster once, where the server user can reach it.
        """
        if self._run_as() is None:
            return bindir
        if self._exec(["test", "-x", str(bindir / "initdb")]).returncode == 0:
            return bindir
        target = self.data_dir / "pginstall"
        prefix = bindir.parent
        # pgserver's binaries find their libraries at $ORIGIN/../../../pgserver.libs
        wheel_libs = prefix.parent.parent / "pgserver.libs"
        copies = [(prefix, target)]
        if wheel_libs.is_dir():
            copies = [
                (prefix, target / "pgserver" / "pginstall"),
                (wheel_libs, target / "pgserver.libs"),
            ]
        new_bindir = copies[0][1] / "bin"
        if not (new_bindir / "initdb").exists():
            for source, destination in copies:
                shutil.copytree(source, destination, symlinks=True, dirs_exist_ok=True)
            for path in [target, *target.rglob("*")]:
                mode = path.stat().st_mode
                path.chmod(mode | 0o055 if path.is_dir() or mode & 0o100 else mode | 0o044)
        return new_bindir

    def _init(self, bindir: Path) -> dict[str, object]:
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.data_dir, 0o755)
        os.chmod(self.root, 0o700 if self._run_as() is None else 0o755)
        self._chown(self.root)
        self._check_reachable()
        bindir = self._usable_bindir(bindir)
        password = secrets.token_urlsafe(24)
        pwfile = self.root / "pwfile"
        pwfile.write_text(password + "\n")
        os.chmod(pwfile, 0o600)
        self._chown(pwfile)
        try:
            proc = self._exec(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(self.pgdata),
                    "-U",
                    SUPERUSER,
                    "--pwfile",
                    str(pwfile),
                    "--auth-local=scram-sha-256",
                    "--auth-host=scram-sha-256",
                    "--encoding=UTF8",
                    "--locale=C",
                ]
            )
        finally:
            pwfile.unlink(missing_ok=True)
        if proc.returncode != 0:
            raise EmbeddedServerError(
                f"initdb failed: {proc.stderr.strip() or proc.stdout.strip()}"
            )
        state: dict[str, object] = {
            "password": password,
            "port": _free_port(),
            "bindir": str(bindir),
        }
        self._save_state(state)
        return state

    def _write_conf(self, port: int) -> None:
        conf = self.pgdata / "newsflow.conf"
        conf.write_text(
            "# written by newsflow; overwritten on start\n"
            f"port = {port}\n"
            "listen_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{self.root}'\n"
            "max_connections = 200\n"
            "shared_buffers = '256MB'\n"
            "synchronous_commit = off\n"
            "log_min_messages = warning\n"
        )
        self._chown(conf)
        main_conf = self.pgdata / "postgresql.conf"
        text = main_conf.read_text()
        if "include_if_exists = 'newsflow.conf'" not in text:
            main_conf.write_text(text + "\ninclude_if_exists = 'newsflow.conf'\n")

    def is_running(self) -> bool:
        if not (self.pgdata / "postmaster.pid").exists():
            return False
        state = self._load_state()
        if not state:
            return False
        proc = self._exec(
            [str(Path(str(state["bindir"])) / "pg_ctl"), "status", "-D", str(self.pgdata)]
        )
        return proc.returncode == 0

    def ensure(self) -> str:
        """Create and start the cluster if needed; return the database URL."""
        with self._lock():
            state = self._load_state()
            if state is None or not (self.pgdata / "PG_VERSION").exists():
                bindir = find_bindir()
                state = self._init(bindir)
            bindir = Path(str(state["bindir"]))
            if not (bindir / "pg_ctl").exists():
                bindir = find_bindir()
                state["bindir"] = str(bindir)
                self._save_state(state)
            if not self.is_running():
                port = int(state["port"])  # type: ignore[arg-type]
                if _port_in_use(port):
                    port = _free_port()
                    state["port"] = port
                    self._save_state(state)
                self._write_conf(port)
                if self.logfile.exists():
                    self._chown(self.logfile)
                proc = self._exec(
                    [
                        str(bindir / "pg_ctl"),
                        "start",
                        "-D",
                        str(self.pgdata),
                        "-l",
                        str(self.logfile),
                        "-w",
                        "-t",
                        "60",
                    ],
                )
                if proc.returncode != 0:
                    tail = ""
                    with contextlib.suppress(OSError):
                        tail = self.logfile.read_text()[-2000:]
                    raise EmbeddedServerError(
                        f"PostgreSQL did not start: {proc.stderr.strip()}\n{tail}"
                    )
            self._ensure_database(state)
            return self.url(state)

    def _ensure_database(self, state: dict[str, object]) -> None:
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                with connect(self.url(state, "postgres"), autocommit=True) as conn:
                    exists = conn.execute(
                        "select 1 from pg_database where datname = %s", (DATABASE,)
                    ).fetchone()
                    if not exists:
                        conn.execute(f'create database "{DATABASE}"')
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self) -> bool:
        """Stop the server if it runs; return whether it was running."""
        with self._lock():
            state = self._load_state()
            if not state or not self.is_running():
                return False
            bindir = Path(str(state["bindir"]))
            proc = self._exec(
                [str(bindir / "pg_ctl"), "stop", "-D", str(self.pgdata), "-m", "fast", "-w"]
            )
            if proc.returncode != 0:
                raise EmbeddedServerError(f"pg_ctl stop failed: {proc.stderr.strip()}")
            return True

    def admin_url(self) -> str:
        state = self._load_state()
        if not state:
            raise EmbeddedServerError("the embedded server was never initialised")
        return self.url(state, "postgres")


def _shell_quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


def ensure_embedded_server(data_dir: Path) -> str:
    return EmbeddedServer(data_dir).ensure()
