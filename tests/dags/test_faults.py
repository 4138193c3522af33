"""Faults during ``news_ingest``: the warehouse restarts in the middle of a run.

The warehouse is an embedded PostgreSQL started for this test alone (Airflow's
metadata database stays on the session server), so stopping it hurts only the
tasks.  When the first article page is requested the server is stopped; it
comes back two seconds later.  The ingest tasks that were writing fail, Airflow
retries them (exponential back-off, 1 s base in tests), the retries succeed,
and every article lands exactly once.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from newsflow.orchestration.local import run_dags_once
from tests.dags.conftest import TEST_ENV, make_local_airflow, require
from tests.dags.site import serve_site

ARTICLES = 5


@pytest.fixture
def own_server() -> Iterator[tuple[object, str]]:
    from newsflow.db.embedded import EmbeddedServer
    from newsflow.db.migrate import apply_migrations

    data_dir = Path(tempfile.mkdtemp(prefix="newsflow-fault-"))
    os.chmod(data_dir, 0o755)
    server = EmbeddedServer(data_dir)
    url = server.ensure()
    with psycopg.connect(url, autocommit=True) as conn:
        apply_migrations(conn)
    try:
        yield server, url
    finally:
        try:
            server.stop()
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)


def test_postgres_restart_during_ingest_loses_nothing(
    own_server: tuple[object, str],
    tmp_path: Path,
    airflow_home: Path,
    airflow_metadata_url: str,
    dbt_manifest: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    require("ingest.pipeline:run_ingest")
    from tests.dags.site import register_feeds

    server, url = own_server
    monkeypatch.setenv("NEWSFLOW_DATABASE_URL", url)
    local = make_local_airflow(url, tmp_path / "data", airflow_home, airflow_metadata_url)
    env = local.environment({**os.environ, **TEST_ENV})
    env.update(TEST_ENV)

    restarted = threading.Event()
    outage: dict[str, float] = {}

    def restart_soon() -> None:
        time.sleep(2.0)
        server.ensure()  # type: ignore[attr-defined]
        outage["up"] = time.monotonic()
        restarted.set()

    def stop_on_first_page(outlet: object, handler: object) -> None:
        if "down" in outage:
            return
        outage["down"] = time.monotonic()
        server.stop()  # type: ignore[attr-defined]
        threading.Thread(target=restart_soon, daemon=True).start()

    with serve_site() as site:
        register_feeds(url, site)
        site.page_hooks.append(stop_on_first_page)
        (report,) = run_dags_once(["news_ingest"], env=env, log_file=tmp_path / "run.log")
    assert restarted.wait(30), "the server was never restarted"
    log = (tmp_path / "run.log").read_text(errors="replace")
    assert report.state == "success", (report, log[-3000:])
    # Tasks failed while the server was down and succeeded on a later try.
    assert report.retried.get("ingest", 0) >= 2, report
    assert "OperationalError" in log or "AdminShutdown" in log
    with psycopg.connect(url) as conn:
        counts = conn.execute(
            "select (select count(*) from raw.articles),"
            " (select count(distinct canonical_url) from raw.articles),"
            " (select count(*) from raw.article_sources),"
            " (select count(*) from raw.feed_entries where article_status = 'ok')"
        ).fetchone()
    assert counts == (ARTICLES, ARTICLES, ARTICLES, ARTICLES)
