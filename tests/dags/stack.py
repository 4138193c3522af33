"""Real Airflow services for the scheduler tests: started as processes, stopped by id.

:class:`AirflowStack` starts the components named (``api-server``,
``scheduler``, ``dag-processor``, ``celery-worker``, ``triggerer``) with one
environment, each in its own session with its log in a file, and stops them
(SIGTERM to the process group it created, then SIGKILL).  :class:`RedisServer`
runs a throw-away ``redis-server`` on a free port for the Celery broker.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import psycopg

from newsflow.airflow_home import airflow_bin

COMMANDS: dict[str, list[str]] = {
    "api-server": ["api-server"],
    "scheduler": ["scheduler"],
    "dag-processor": ["dag-processor"],
    "triggerer": ["triggerer"],
    "celery-worker": [
        "celery",
        "worker",
        "--concurrency",
        "4",
        "--skip-serve-logs",
        "--without-gossip",
        "--without-mingle",
    ],
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for(
    check: Callable[[], Any], *, timeout: float, interval: float = 1.0, what: str = ""
) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what or check}")
        time.sleep(interval)


class RedisServer:
    """``redis-server`` on a free port of 127.0.0.1, no persistence."""

    def __init__(self, workdir: Path) -> None:
        self.binary = shutil.which("redis-server")
        self.workdir = workdir
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        assert self.binary
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: port_open(self.port), timeout=20, interval=0.1, what="redis-server")
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@dataclass
class AirflowStack:
    env: dict[str, str]
    log_dir: Path
    components: Sequence[str]
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _logs: list[IO[bytes]] = field(default_factory=list)

    def start(self) -> AirflowStack:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for name in self.components:
            log = open(self.log_dir / f"{name}.log", "wb")  # noqa: SIM115 - closed in stop()
            self._logs.append(log)
            self.procs[name] = subprocess.Popen(
                [str(airflow_bin()), *COMMANDS[name]],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped as a whole, by id
            )
        return self

    def check_alive(self) -> None:
        dead = {n: p.returncode for n, p in self.procs.items() if p.poll() is not None}
        if dead:
            raise RuntimeError(f"Airflow components exited: {dead}; logs in {self.log_dir}")

    def cli(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(airflow_bin()), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for proc in self.procs.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(max(0.1, deadline - time.monotonic()))
            # Children left in the group (task supervisors, Celery pool) go too.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(10)
        for log in self._logs:
            log.close()

    def tail(self, lines: int = 40) -> str:
        out = []
        for name in self.components:
            path = self.log_dir / f"{name}.log"
            if path.exists():
                text = path.read_text(errors="replace").splitlines()[-lines:]
                out.append(f"--- {name} ---\n" + "\n".join(text))
        return "\n".join(out)


class Metadata:
    """Read Airflow's metadata database (plain SQL on its tables)."""

    def __init__(self, sqlalchemy_url: str) -> None:
        self.url = sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.url) as conn:
            return conn.execute(sql, params).fetchall()  # type: ignore[arg-type]

    def dags(self) -> set[str]:
        rows = self.query("select dag_id from serialized_dag")
        return {r[0] for r in rows}

    def runs(self, dag_id: str) -> list[tuple[str, str, str]]:
        """(run_id, run_type, state) oldest first."""
        rows = self.query(
            "select run_id, run_type, state from dag_run where dag_id = %s order by id", (dag_id,)
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def task_instances(self, dag_id: str, run_id: str) -> list[dict[str, Any]]:
        rows = self.query(
            "select task_id, map_index, state, try_number, executor, external_executor_id,"
            " hostname from task_instance where dag_id = %s and run_id = %s",
            (dag_id, run_id),
        )
        keys = ("task_id", "map_index", "state", "try_number", "executor", "external_id", "host")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def history_states(self, dag_id: str, run_id: str, task_id: str) -> list[str]:
        rows = self.query(
            "select state from task_instance_history where dag_id = %s and run_id = %s"
            " and task_id = %s",
            (dag_id, run_id, task_id),
        )
        return [r[0] for r in rows]
