"""``newsflow demo`` end to end: serve the corpus, register its feeds, run the
pipeline, collect what landed and write the report.

Idempotent: feeds are upserted by URL, the server keeps the port the stored
URLs use (:mod:`newsflow.demo.server`), and every stage upserts on natural
keys, so a second run adds nothing.  ``NEWSFLOW_ALLOWED_HOSTS`` gets
``127.0.0.1`` for this process and its children only, while the demo runs.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg

from newsflow.demo import summary as summary_mod
from newsflow.demo.server import Corpus, DemoServer
from newsflow.demo.stages import StageReport, run_pipeline
from newsflow.settings import load
from newsflow.settings.env import exported, with_host_allowed
from storage.connection import connect
from storage.monitoring import feed_urls_like

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

Notify = Callable[[str], None]


@dataclass
class DemoResult:
    via: str
    port: int
    feed_urls: list[str]
    feeds_changed: int
    stages: list[StageReport]
    summary: dict[str, Any]
    report_path: Path | None
    report_error: str = ""
    seconds: float = 0.0
    log_file: Path | None = None
    corpus_stats: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        # --no-report asks for no report: only a report asked for and not written fails
        return all(s.ok for s in self.stages) and not self.report_error


def loopback_allowed() -> contextlib.AbstractContextManager[None]:
    """Exempt 127.0.0.1 from the SSRF guard for this process (and its children) only."""
    hosts = with_host_allowed(load().ingest.http.allowed_hosts, "127.0.0.1")
    return exported(NEWSFLOW_ALLOWED_HOSTS=hosts)


def stored_port(conn: psycopg.Connection[Any], corpus: Corpus) -> int | None:
    """The port of the demo feed URLs already in ``raw.feeds``, if any."""
    paths = [f.path for f in corpus.feeds]
    for url in feed_urls_like(conn, "http://127.0.0.1:%"):
        parts = urlsplit(url)
        if parts.path in paths and parts.port:
            return parts.port
    return None


def register_feeds(conn: psycopg.Connection[Any], server: DemoServer) -> tuple[list[str], int]:
    """Upsert the demo feeds into the catalogue; (their URLs, rows changed)."""
    from ingest.catalog import FeedSpec, upsert_feeds

    specs = [
        FeedSpec(
            name=f.name,
            url=server.feed_url(f),
            language=f.language,
            country=f.country,
            tags=f.tags,
            poll_interval_s=f.poll_interval_s,
        )
        for f in server.corpus.feeds
    ]
    changed = upsert_feeds(conn, specs)
    conn.commit()
    return [s.url for s in specs], changed


def run_demo(
    database_url: str,
    *,
    via: str = "dags",
    report_path: Path | None,
    log_file: Path,
    notify: Notify | None = None,
) -> DemoResult:
    """Everything ``newsflow demo`` does, without the printing."""
    say = notify or (lambda message: log.info("%s", message))
    started = time.monotonic()
    corpus = Corpus()
    with connect(database_url) as conn:
        port = stored_port(conn, corpus)
    with loopback_allowed(), DemoServer(corpus, required_port=port) as server:
        actual_port = server.port
        say(
            f"serving {corpus.stats['pages']} pages and {len(corpus.feeds)} feeds "
            f"on {server.base_url}"
        )
        with connect(database_url) as conn:
            feed_urls, changed = register_feeds(conn, server)
        say(f"registered {len(feed_urls)} demo feeds ({changed} new or changed)")
        stages = run_pipeline(database_url, via=via, log_file=log_file)
    with connect(database_url) as conn:
        figures = summary_mod.collect(conn, feed_urls)

    written: Path | None = None
    report_error = ""
    if report_path is not None and figures.get("marts_built"):
        from newsflow.report.builder import write_report

        try:
            written = write_report(database_url, report_path)
        except Exception as exc:  # the summary is still worth printing
            report_error = f"{type(exc).__name__}: {exc}"
    elif report_path is not None:
        report_error = "the marts were not built, so there is nothing to report"
    return DemoResult(
        via=via,
        port=actual_port,
        feed_urls=feed_urls,
        feeds_changed=changed,
        stages=stages,
        summary=figures,
        report_path=written,
        report_error=report_error,
        seconds=time.monotonic() - started,
        log_file=log_file if via == "dags" else None,
        corpus_stats=dict(corpus.stats),
    )
