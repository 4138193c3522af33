"""Serve the bundled demo corpus on 127.0.0.1.

The pipeline keys articles by their canonical URL, and the demo's URLs carry
the server's port, so the port must stay the same from one run to the next or
a second run would land every article again under new URLs.  The port is
chosen in this order: the one the demo feeds already registered in the
database use, else ``NEWSFLOW_DEMO_PORT`` (default 8765), else (fresh
database only) any free port.
"""

from __future__ import annotations

import errno
import json
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import Any

from newsflow.loopback import LoopbackServer, Route
from newsflow.settings import app as app_settings

DEFAULT_PORT = 8765


class PortBusyError(RuntimeError):
    """The port the demo's stored URLs use is taken by another program."""


@dataclass(frozen=True)
class DemoFeed:
    key: str
    name: str
    path: str
    format: str
    language: str
    country: str
    tags: tuple[str, ...]
    poll_interval_s: int
    delay_s: float
    behaviour: str  # ok | slow | broken
    outlet: str
    items: int


def default_corpus_dir() -> Path:
    """The generated corpus in the data directory (built on first use, under a second)."""
    from newsflow.demo.build_corpus import ensure_built
    from newsflow.settings import load

    return ensure_built(load().data_dir / "demo")


class Corpus:
    """The corpus files and their manifest (written by ``build_corpus``).

    ``root`` defaults to :func:`default_corpus_dir`.
    """

    def __init__(self, root: Path | None = None) -> None:
        self.root = default_corpus_dir() if root is None else root

    @cached_property
    def manifest(self) -> dict[str, Any]:
        path = self.root / "manifest.json"
        if not path.exists():
            raise FileNotFoundError(
                f"demo corpus missing at {self.root}; generate it with "
                f"`python -m newsflow.demo.build_corpus {self.root}`"
            )
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    @property
    def feeds(self) -> list[DemoFeed]:
        return [
            DemoFeed(
                key=f["key"],
                name=f["name"],
                path=f["path"],
                format=f["format"],
                language=f["language"],
                country=f["country"],
                tags=tuple(f["tags"]),
                poll_interval_s=int(f["poll_interval_s"]),
                delay_s=float(f["delay_s"]),
                behaviour=f["behaviour"],
                outlet=f["outlet"],
                items=int(f["items"]),
            )
            for f in self.manifest["feeds"]
        ]

    @property
    def stats(self) -> dict[str, Any]:
        stats: dict[str, Any] = self.manifest["stats"]
        return stats

    def routes(self, base_url: str) -> dict[str, Route]:
        token = self.manifest["base_token"]
        routes: dict[str, Route] = {}
        for r in self.manifest["routes"]:
            body = (self.root / r["file"]).read_bytes()
            if r.get("base_token"):
                body = body.replace(token.encode(), base_url.encode())
            routes[r["path"]] = Route(
                body=body,
                content_type=r["content_type"],
                delay_s=float(r.get("delay_s") or 0.0),
            )
        return routes


def preferred_port() -> int:
    return app_settings.demo_port()


def _bind(port: int, attempts: int = 10) -> LoopbackServer:
    """Bind ``port``, waiting a little if a previous demo is still letting go of it."""
    for attempt in range(attempts):
        try:
            return LoopbackServer({}, port=port)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE or attempt == attempts - 1:
                raise
            time.sleep(0.3)
    raise AssertionError("unreachable")


class DemoServer:
    """``with DemoServer(required_port=None) as srv: srv.feed_url(feed)``"""

    def __init__(self, corpus: Corpus | None = None, *, required_port: int | None = None) -> None:
        self.corpus = corpus or Corpus()
        self.required_port = required_port
        self._server: LoopbackServer | None = None

    def _start_server(self) -> LoopbackServer:
        if self.required_port is not None:
            try:
                return _bind(self.required_port)
            except OSError as exc:
                raise PortBusyError(
                    f"port {self.required_port} on 127.0.0.1 is in use, and the demo feeds "
                    "in this database were registered with it (articles are keyed by URL, "
                    "so another port would land them twice). Stop the program using it and "
                    "run the demo again."
                ) from exc
        try:
            return _bind(preferred_port(), attempts=2)
        except OSError:
            return LoopbackServer({}, port=0)  # fresh database: any port will do

    def start(self) -> DemoServer:
        server = self._start_server()
        server.routes.update(self.corpus.routes(server.base_url))
        server.start()
        self._server = server
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    @property
    def server(self) -> LoopbackServer:
        if self._server is None:
            raise RuntimeError("demo server not started")
        return self._server

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def feed_url(self, feed: DemoFeed) -> str:
        return self.server.url(feed.path)

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
