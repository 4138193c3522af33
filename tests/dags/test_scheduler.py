"""Airflow's real services: the CeleryExecutor, a task killed mid-batch, the Asset chain.

One stack for the whole test (its start is the expensive part): an API server,
a scheduler, a DAG processor and a Celery worker, with Redis on 127.0.0.1 as
the broker and a fresh PostgreSQL metadata database (also Celery's result
backend).  Then, with nothing triggered by hand:

1. unpausing ``news_ingest`` makes the scheduler run its latest slot; every
   task of it runs on the Celery worker;
2. the process fetching the second article page is SIGKILLed mid-batch; Airflow
   retries that task, and the row counts are those of an undisturbed run;
3. the ``raw_articles`` Asset runs ``news_annotate``, whose ``raw_annotations``
   runs ``news_transform``: its static-layer check and its first Cosmos model
   tasks succeed on the worker (the full dbt graph is the end-to-end test's).
"""

from __future__ import annotations

import os
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path

import psutil
import psycopg
import pytest

from newsflow.airflow_home import LocalAirflow, metadata_database_url
from tests.dags.conftest import TEST_ENV, require
from tests.dags.site import Outlet, register_feeds, serve_site
from tests.dags.stack import AirflowStack, Metadata, RedisServer, free_port, port_open, wait_for

pytestmark = pytest.mark.slow

ARTICLES = 5
CHAIN = ("news_ingest", "news_annotate", "news_transform")


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    if not server.binary:
        pytest.skip(
            "redis-server is not installed: the CeleryExecutor test needs a Redis broker "
            "(e.g. apt-get install redis-server)"
        )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def stack_metadata_url(pg_admin_url: str) -> Iterator[str]:
    """A metadata database of its own: DAGs here must start paused (the default)."""
    name = "nf_airflow_stack_" + uuid.uuid4().hex[:8]
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    try:
        yield metadata_database_url(pg_admin_url, name)
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')


def _kill_fetcher(killed: list[int]) -> object:
    """A page hook: SIGKILL the process whose socket asks for the 2nd page, once."""
    seen = [0]

    def hook(outlet: Outlet, handler: object) -> bool:
        seen[0] += 1
        if seen[0] != 2 or killed:
            return False
        host, port = handler.client_address  # type: ignore[attr-defined]
        for conn in psutil.net_connections(kind="tcp"):
            if conn.laddr and conn.laddr.port == port and conn.laddr.ip == host and conn.pid:
                os.kill(conn.pid, signal.SIGKILL)
                killed.append(conn.pid)
                return True
        return False

    return hook


def _finished_run(meta: Metadata, dag_id: str, run_type: str | None = None) -> object:
    def check() -> tuple[str, str] | None:
        for run_id, rtype, state in meta.runs(dag_id):
            if run_type and rtype != run_type:
                continue
            if state == "failed":
                raise AssertionError(f"{dag_id} run {run_id} failed")
            if state == "success":
                return run_id, rtype
        return None

    return check


def test_celery_runs_the_dags_and_the_asset_chain(
    redis: RedisServer,
    stack_metadata_url: str,
    db_env: str,
    tmp_path: Path,
    dbt_manifest: Path,
) -> None:
    require("ingest.pipeline:run_ingest")
    local = LocalAirflow(
        database_url=db_env,
        data_dir=tmp_path / "data",
        home=tmp_path / "airflow",
        port=free_port(),
        executor="CeleryExecutor",
        paused_at_creation=True,
        metadata_url=stack_metadata_url,
    )
    local.home.mkdir(parents=True)
    env = local.environment({**os.environ, **TEST_ENV})
    env.update(TEST_ENV)
    env.update(
        {
            "AIRFLOW__CELERY__BROKER_URL": redis.url,
            "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + stack_metadata_url,
            "AIRFLOW__CELERY__WORKER_CONCURRENCY": "4",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
        }
    )
    local.migrate(env)
    meta = Metadata(stack_metadata_url)
    killed: list[int] = []
    stack = AirflowStack(
        env, tmp_path / "logs", ["api-server", "scheduler", "dag-processor", "celery-worker"]
    )
    with serve_site() as site:
        register_feeds(db_env, site, due_since="1 hour")
        site.page_hooks.append(_kill_fetcher(killed))  # type: ignore[arg-type]
        stack.start()
        try:
            wait_for(lambda: port_open(local.port), timeout=180, what="the API server")
            wait_for(lambda: meta.dags() >= set(CHAIN), timeout=180, what="the DAGs parsed")
            stack.check_alive()
            # Nothing is triggered by hand: unpaused, the scheduler runs the latest slot.
            pattern = "^news_(ingest|annotate|transform)$"
            stack.cli("dags", "unpause", "--treat-dag-id-as-regex", "-y", pattern)
            ingest_run, _ = wait_for(
                _finished_run(meta, "news_ingest"), timeout=240, interval=2, what="news_ingest"
            )
            ingest_tis = meta.task_instances("news_ingest", ingest_run)
            with psycopg.connect(db_env) as conn:
                counts = conn.execute(
                    "select (select count(*) from raw.articles),"
                    " (select count(distinct canonical_url) from raw.articles),"
                    " (select count(*) from raw.article_sources),"
                    " (select count(*) from raw.feed_entries where article_status = 'ok')"
                ).fetchone()
            celery_ok = meta.query("select count(*) from celery_taskmeta where status = 'SUCCESS'")[
                0
            ][0]

            # 1. CeleryExecutor: every task went through Celery and the worker ran it.
            assert {ti["state"] for ti in ingest_tis} == {"success"}, ingest_tis
            assert all(ti["external_id"] for ti in ingest_tis), ingest_tis
            assert celery_ok >= len(ingest_tis)
            # 2. The killed try was retried, and nothing is missing or doubled.
            assert killed, "the page hook never found the fetching process"
            retried = [t for t in ingest_tis if t["task_id"] == "ingest" and t["try_number"] > 1]
            assert retried, ingest_tis
            assert counts == (ARTICLES, ARTICLES, ARTICLES, ARTICLES)

            # 3. The Asset chain, without any manual trigger.
            require("transforms.pipeline:run_annotate")
            wait_for(
                _finished_run(meta, "news_annotate", "asset_triggered"),
                timeout=300,
                interval=2,
                what="news_annotate after raw_articles",
            )

            # news_transform follows raw_annotations; its first dbt model tasks
            # succeed on the worker.  The whole dbt graph is proven by the
            # dag.test end-to-end test: here, 30-odd more Celery tasks would
            # only cost CI minutes.
            def transform_started() -> bool:
                runs = [r for r in meta.runs("news_transform") if r[1] == "asset_triggered"]
                if not runs:
                    return False
                tis = meta.task_instances("news_transform", runs[0][0])
                if any(ti["state"] == "failed" for ti in tis):
                    raise AssertionError(f"news_transform task failed: {tis}")
                done = {ti["task_id"] for ti in tis if ti["state"] == "success"}
                return "static_layers" in done and any(t.startswith("dbt.") for t in done)

            wait_for(transform_started, timeout=600, interval=3, what="news_transform")
        except BaseException:
            print(stack.tail())
            raise
        finally:
            stack.stop()
