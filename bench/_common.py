"""Shared by the benchmark scripts: fresh PostgreSQL databases to measure in.

The scripts run as files (``.venv/bin/python bench/ingest_bench.py``) with the
repository root on ``sys.path``, and import this as ``bench._common``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from storage.connection import connect


class Databases:
    """Fresh databases on a given server (an admin URL), or on an embedded one.

    Without ``admin_url`` an embedded PostgreSQL is started in a temporary
    directory; :meth:`close` drops every database made here and stops it.
    """

    def __init__(self, admin_url: str | None, *, prefix: str = "newsflow-bench-") -> None:
        self._tmp: str | None = None
        self._server: Any = None
        if admin_url:
            self.admin_url = admin_url
        else:
            from newsflow.db.embedded import EmbeddedServer

            self._tmp = tempfile.mkdtemp(prefix=prefix)
            os.chmod(self._tmp, 0o755)  # run as root, the server runs as another user
            self._server = EmbeddedServer(Path(self._tmp))
            self._server.ensure()
            self.admin_url = self._server.admin_url()
        self.created: list[str] = []

    def fresh(self, label: str, *, migrate: bool = True) -> str:
        """A new empty database ``nf_bench_<label>_<random>`` (migrated unless told not)."""
        name = f"nf_bench_{label}_{uuid.uuid4().hex[:6]}"
        with connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'create database "{name}"')
        self.created.append(name)
        url = urlunsplit(urlsplit(self.admin_url)._replace(path="/" + name))
        if migrate:
            from newsflow.db.migrate import apply_migrations

            with connect(url, autocommit=True) as conn:
                apply_migrations(conn)
        return url

    def close(self) -> None:
        with (
            contextlib.suppress(Exception),
            connect(self.admin_url, autocommit=True) as conn,
        ):
            for name in self.created:
                conn.execute(f'drop database if exists "{name}" with (force)')
        if self._server is not None:
            with contextlib.suppress(Exception):
                self._server.stop()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)

    def __enter__(self) -> Databases:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
