"""Crash safety: ``newsflow ingest`` killed mid-batch, then run again, loses and
duplicates nothing.

The server answers the first pages at once and holds the rest until the test
opens a gate, so the kill lands after some batches were committed and while
others were in flight (fetched, being extracted, or waiting for the loader).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler

import psycopg

from newsflow.loopback import LoopbackServer, Route
from tests.ingest.site import build_corpus, expected_counts
from tests.ingest.test_pipeline import add_feeds, counts

FREE_PAGES = 6


def _cli(db_url: str, *args: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        NEWSFLOW_DATABASE_URL=db_url,
        NEWSFLOW_ALLOWED_HOSTS="127.0.0.1",
        NEWSFLOW_BATCH_SIZE="2",
        NEWSFLOW_LOAD_FLUSH="0.2",
        NEWSFLOW_EXTRACT_WORKERS="1",
        NEWSFLOW_HTTP_TIMEOUT="90",  # the held pages must not time out first
    )
    return subprocess.Popen(
        [sys.executable, "-c", "from newsflow.cli import main; main()", "ingest", "--once", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its extraction workers die with it
    )


def _wait_for(db_url: str, sql: str, minimum: int, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while True:
        with psycopg.connect(db_url) as conn:
            row = conn.execute(sql).fetchone()
        value = int(row[0]) if row else 0
        if value >= minimum or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def test_kill_mid_batch_then_resume(db_url: str) -> None:
    gate = threading.Event()
    served: list[str] = []
    lock = threading.Lock()
    with LoopbackServer() as server:
        corpus = build_corpus(server.base_url, per_feed=6)

        def gated(route: Route, path: str) -> object:
            def handler(h: BaseHTTPRequestHandler) -> None:
                with lock:
                    served.append(path)
                    free = len(served) <= FREE_PAGES
                if not free:
                    gate.wait(120)
                h.send_response(200)
                h.send_header("Content-Type", route.content_type)
                h.send_header("Content-Length", str(len(route.body)))
                h.end_headers()
                h.wfile.write(route.body)

            return handler

        for path, route in corpus.routes.items():
            server.routes[path] = route if path.startswith("/feeds/") else gated(route, path)  # type: ignore[assignment]
        add_feeds(db_url, corpus.feed_urls)
        want = expected_counts(corpus)

        first = _cli(db_url)
        try:
            landed = _wait_for(db_url, "select count(*) from raw.articles", 2)
            assert landed >= 2, first.stderr.read() if first.poll() is not None else landed
            # more pages are in flight, held by the server: kill now
            assert first.poll() is None
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(10)
        finally:
            if first.poll() is None:
                os.killpg(first.pid, signal.SIGKILL)
                first.wait(10)
        gate.set()

        mid = counts(db_url)
        assert 2 <= mid["raw.articles"] < want["articles"]
        assert mid["raw.feed_entries"] == want["entries"]  # the feeds' polls were committed
        with psycopg.connect(db_url) as conn:
            waiting = conn.execute(
                "select count(*) from raw.feed_entries where article_status = 'pending'"
            ).fetchone()
            run = conn.execute("select status from raw.runs").fetchone()
        assert waiting is not None and waiting[0] > 0
        assert run == ("running",)  # the killed run never finished

        second = _cli(db_url)
        _out, err = second.communicate(timeout=120)
        assert second.returncode == 0, err.decode()

    final = counts(db_url)
    assert final["raw.articles"] == want["articles"]
    assert final["raw.article_sources"] == want["sources"]
    assert final["raw.feed_entries"] == want["entries"]
    assert final["raw.article_minhash"] == want["articles"]
    with psycopg.connect(db_url) as conn:
        statuses = dict(
            conn.execute(
                "select article_status, count(*) from raw.feed_entries group by 1"
            ).fetchall()
        )
        assert set(statuses) <= {"ok", "duplicate"}
        # an article loaded before the kill was not downloaded again
        twice = conn.execute(
            "select count(*) from (select url from raw.fetch_log where kind = 'page' "
            "and outcome = 'ok' group by url having count(*) > 1) t"
        ).fetchone()
        assert twice == (0,)
        lost = conn.execute(
            "select count(*) from raw.feed_entries e left join raw.article_sources s "
            "using (feed_id, entry_key) where s.article_id is null"
        ).fetchone()
        assert lost == (0,)
