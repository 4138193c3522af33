"""Unit and database tests of the logic the DAG tasks call (no Airflow run)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psycopg
import pytest

from newsflow.airflow_home import (
    DAGS_FOLDER,
    LocalAirflow,
    ensure_metadata_database,
    metadata_database_url,
)
from newsflow.orchestration import tasks
from newsflow.orchestration.annotation import pending_article_ids
from newsflow.orchestration.connection import (
    CONN_ENV,
    airflow_connection_uri,
    database_url_from_connection,
    describe,
)
from newsflow.orchestration.dag_defaults import default_args
from newsflow.orchestration.maintenance import run_maintenance
from newsflow.orchestration.quality import quality_summary
from newsflow.settings import Env, SettingsError
from newsflow.settings import app as app_settings

T0 = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


# --------------------------------------------------------------------------
# connection
# --------------------------------------------------------------------------
def _airflow_connection(uri: str) -> Any:
    from airflow.sdk.definitions.connection import Connection

    return Connection.from_uri(uri, conn_id="newsflow_db")


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://newsflow:s3cr%40t%2Fx@127.0.0.1:5433/newsflow",
        "postgresql+psycopg://loader@db.internal/warehouse?sslmode=require",
        "postgres://u:p@localhost/db",
    ],
)
def test_connection_round_trip(url: str) -> None:
    from urllib.parse import urlsplit

    uri = airflow_connection_uri(url)
    assert uri.startswith("postgres://")
    conn = _airflow_connection(uri)
    assert conn.conn_type == "postgres"
    back = database_url_from_connection(conn)
    a, b = urlsplit(url), urlsplit(back)
    assert (a.hostname, a.port, a.username, a.password, a.path, a.query) == (
        b.hostname,
        b.port,
        b.username,
        b.password,
        b.path,
        b.query,
    )
    assert psycopg.conninfo.conninfo_to_dict(back)["host"] == a.hostname  # psycopg reads it


def test_connection_from_fields_with_socket_host() -> None:
    conn = SimpleNamespace(
        host="/var/run/postgresql",
        port=None,
        login="me",
        password=None,
        schema="news",
        extra_dejson={"sslmode": "disable"},
    )
    url = database_url_from_connection(conn)
    info = psycopg.conninfo.conninfo_to_dict(url)
    assert info["host"] == "/var/run/postgresql"
    assert info["dbname"] == "news" and info["user"] == "me"


def test_rejects_non_postgres_and_masks_passwords() -> None:
    with pytest.raises(ValueError):
        airflow_connection_uri("mysql://u:p@h/db")
    assert describe("postgresql://u:secret@h:1/db") == "postgresql://u:***@h:1/db"


# --------------------------------------------------------------------------
# config
# --------------------------------------------------------------------------
def test_settings_defaults_and_validation() -> None:
    cfg = app_settings.orchestration(Env({}))
    assert cfg.ingest_schedule == "*/2 * * * *" and cfg.retries >= 2
    args = default_args(cfg)
    assert args["retries"] >= 2 and args["retry_exponential_backoff"] > 1
    assert args["execution_timeout"] == timedelta(seconds=cfg.task_timeout_s)
    env = {"NEWSFLOW_INGEST_SCHEDULE": "*/5 * * * *"}
    assert app_settings.orchestration(Env(env)).ingest_schedule == "*/5 * * * *"
    with pytest.raises(SettingsError):
        app_settings.orchestration(Env({**env, "NEWSFLOW_TASK_RETRIES": "1"}))
    with pytest.raises(SettingsError):
        app_settings.orchestration(
            Env({"NEWSFLOW_TASK_RETRIES": "2", "NEWSFLOW_INGEST_MAX_BATCHES": "500"})
        )


# --------------------------------------------------------------------------
# task helpers
# --------------------------------------------------------------------------
def test_window_end_prefers_the_data_interval() -> None:
    later = T0 + timedelta(minutes=10)
    assert tasks.window_end({"data_interval_end": later, "logical_date": T0}) == later
    assert tasks.window_end({"data_interval_end": None, "logical_date": T0}) == T0
    run = SimpleNamespace(run_after=datetime(2025, 6, 1, 12, 5))  # naive: read as UTC
    assert tasks.window_end({"dag_run": run}).tzinfo is not None
    with pytest.raises(ValueError):
        tasks.window_end({})


def test_run_label_is_stable_per_mapped_task() -> None:
    ti = SimpleNamespace(dag_id="news_ingest", task_id="ingest", map_index=3)
    run_id = "scheduled__2025-06-01T12:00:00+00:00"
    ctx = {"ti": ti, "run_id": run_id}
    assert tasks.run_label(ctx) == f"airflow:news_ingest:{run_id}:ingest:3"
    ti.map_index = -1
    assert tasks.run_label(ctx).endswith(":ingest")


def test_counts_only_and_sums() -> None:
    class Summary:
        articles_new = 2

        def to_dict(self) -> dict[str, Any]:
            return {"articles_new": 2, "outcomes": {"ok": 3}, "errors": ["x"], "seconds": 1.5}

    assert tasks.counts_only(Summary()) == {"articles_new": 2, "seconds": 1.5}
    assert tasks.sum_counts([{"articles_new": 2}, None, {"articles_new": 3}], "articles_new") == 5
    assert tasks.changed_articles({"articles_new": 1, "articles_reextracted": 2}) == 3
    assert tasks.changed_articles(None) == 0


def test_mapped_results_never_reads_past_the_end() -> None:
    class LazySequence:  # like Airflow's lazy XCom sequence: indexing past the end fails
        def __init__(self, items: list[Any]) -> None:
            self.items = items

        def __len__(self) -> int:
            return len(self.items)

        def __getitem__(self, index: int) -> Any:
            if index >= len(self.items):
                raise AssertionError("read past the end")
            return self.items[index]

        def __iter__(self) -> Any:
            raise AssertionError("iterated (probes one item too many)")

    lazy = LazySequence([{"articles_new": 1}, None, {"articles_new": 2}])
    assert tasks.mapped_results(lazy) == lazy.items
    assert tasks.sum_counts(lazy, "articles_new") == 3  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# database: annotation work list, maintenance, quality
# --------------------------------------------------------------------------
def _insert_article(conn: psycopg.Connection, n: int, *, fetched_at: datetime) -> int:
    row = conn.execute(
        """
        insert into raw.articles (canonical_url, url, host, text, word_count, content_hash,
                                  extractor, extractor_version, fetched_at, raw_html_gz)
        values (%(u)s, %(u)s, 'example.org', 'text', 1, %(h)s, 'trafilatura', 't1', %(f)s, %(g)s)
        returning article_id
        """,
        {"u": f"https://example.org/{n}", "h": f"h{n}", "f": fetched_at, "g": b"\x1f\x8b"},
    ).fetchone()
    assert row
    return int(row[0])


def test_annotation_plan_covers_the_backlog_in_ranges(db_url: str) -> None:
    with psycopg.connect(db_url) as conn:
        ids = [_insert_article(conn, n, fetched_at=T0) for n in range(10)]
        conn.execute(
            "insert into raw.annotated_articles (article_id, annotator_version, status, pipeline)"
            " values (%s, 'v1', 'ok', 'rules'), (%s, 'v0', 'ok', 'rules')",
            (ids[0], ids[1]),
        )
        conn.commit()
    pending = pending_article_ids(db_url, version="v1")
    assert pending == ids[1:]  # an older version's row does not count
    plan = tasks.plan_annotation(db_url, batch_size=2, max_batches=3, version="v1")
    assert len(plan) == 3
    assert plan[0][0] == ids[1] and plan[-1][1] == ids[-1]
    covered = [i for lo, hi in plan for i in pending if lo <= i <= hi]
    assert covered == pending  # every pending article in exactly one range
    assert pending_article_ids(db_url, first=plan[1][0], last=plan[1][1], version="v1") == [
        i for i in pending if plan[1][0] <= i <= plan[1][1]
    ]
    assert tasks.plan_annotation(db_url, batch_size=100, max_batches=3, version="v1") == [
        [ids[1], ids[-1]]
    ]
    assert tasks.plan_annotation(db_url, batch_size=2, max_batches=3, version="none-yet") != []


def test_maintenance_retention_is_idempotent(db_url: str) -> None:
    old, recent = T0 - timedelta(days=200), T0 - timedelta(days=1)
    with psycopg.connect(db_url) as conn:
        for n, when in enumerate([old, old, recent]):
            conn.execute(
                "insert into raw.fetch_log (kind, url, outcome, fetched_at) values"
                " ('page', %s, 'ok', %s)",
                (f"https://example.org/{n}", when),
            )
        _insert_article(conn, 1, fetched_at=old)
        _insert_article(conn, 2, fetched_at=recent)
        conn.commit()
    first = run_maintenance(
        db_url, reference=T0, fetch_log_retention_days=90, raw_html_retention_days=180
    )
    assert (first.fetch_log_deleted, first.raw_html_dropped) == (2, 1)
    assert "articles" in first.vacuumed and not first.skipped
    again = run_maintenance(
        db_url, reference=T0, fetch_log_retention_days=90, raw_html_retention_days=180
    )
    assert (again.fetch_log_deleted, again.raw_html_dropped) == (0, 0)
    with psycopg.connect(db_url) as conn:
        assert conn.execute("select count(*) from raw.fetch_log").fetchone() == (1,)
        assert conn.execute(
            "select count(*) from raw.articles where raw_html_gz is not null"
        ).fetchone() == (1,)
    kept = run_maintenance(
        db_url, reference=T0, fetch_log_retention_days=0, raw_html_retention_days=0, vacuum=False
    )
    assert kept.to_dict()["fetch_log_deleted"] == 0


def test_quality_summary_counts_and_checks(db_url: str) -> None:
    empty = quality_summary(db_url, reference=T0)
    assert empty["articles_total"] == 0 and empty["fct_events"] == 0
    assert empty["problems"] == 0
    with psycopg.connect(db_url) as conn:
        conn.execute("insert into raw.feeds (url, name) values ('https://example.org/f', 'F')")
        _insert_article(conn, 1, fetched_at=T0 - timedelta(days=3))
        conn.commit()
    summary = quality_summary(db_url, reference=T0, extra={"pass": 2, "error": 1})
    assert summary["feeds_enabled"] == 1 and summary["articles_total"] == 1
    assert summary["freshness_error"] == 1
    assert "no new article" in summary["problem_list"]
    assert summary["problems"] == 2


def test_new_articles_falls_back_to_what_landed(db_url: str) -> None:
    assert tasks.new_articles(db_url, [{"articles_new": 2}], since=None) == 2
    start = datetime.now(UTC) - timedelta(minutes=1)
    with psycopg.connect(db_url) as conn:
        _insert_article(conn, 1, fetched_at=T0)
        conn.commit()
    assert tasks.new_articles(db_url, [{"articles_new": 0}, None], since=start) == 1
    assert tasks.new_articles(db_url, [], since=datetime.now(UTC) + timedelta(hours=1)) == 0


# --------------------------------------------------------------------------
# local Airflow environment
# --------------------------------------------------------------------------
def test_airflow_environment(tmp_path: Path) -> None:
    url = "postgresql://newsflow:pw@127.0.0.1:5999/newsflow"
    local = LocalAirflow(database_url=url, data_dir=tmp_path, home=tmp_path / "af", port=8123)
    env = local.environment({"PATH": "/usr/bin", "AIRFLOW__CORE__PARALLELISM": "7"})
    assert env["AIRFLOW_HOME"] == str(tmp_path / "af")
    assert env["AIRFLOW__CORE__DAGS_FOLDER"] == str(DAGS_FOLDER)
    assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "False"
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] == (
        "postgresql+psycopg://newsflow:pw@127.0.0.1:5999/newsflow_airflow"
    )
    # The execution API follows the API server's port.
    assert env["AIRFLOW__API__PORT"] == "8123"
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://127.0.0.1:8123/execution/"
    assert env["AIRFLOW__API__HOST"] == "127.0.0.1"
    assert env[CONN_ENV] == "postgres://newsflow:pw@127.0.0.1:5999/newsflow"
    assert env["NEWSFLOW_DATABASE_URL"] == url
    assert env["AIRFLOW__COSMOS__ENABLE_TELEMETRY"] == "False"
    assert env["AIRFLOW__COSMOS__CACHE_DIR"].startswith(str(tmp_path))
    assert env["AIRFLOW__CORE__PARALLELISM"] == "7"  # the user's own setting wins
    assert env["PATH"].split(":")[-1] == "/usr/bin"
    assert metadata_database_url(url, "x") == "postgresql+psycopg://newsflow:pw@127.0.0.1:5999/x"


def test_metadata_database_is_created_once(pg_admin_url: str) -> None:
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    name = "nf_meta_" + uuid.uuid4().hex[:8]
    url = urlunsplit(urlsplit(pg_admin_url)._replace(path="/postgres"))
    try:
        assert ensure_metadata_database(url, name) is True
        assert ensure_metadata_database(url, name) is False
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{name}"')


# --------------------------------------------------------------------------
# process pools inside Celery's daemonic pool processes
# --------------------------------------------------------------------------
@pytest.mark.parametrize("allowed", [False, True])
def test_child_processes_from_a_daemonic_worker(allowed: bool) -> None:
    import billiard

    from tests.dags.mp_targets import start_pool_in_daemon

    ctx = billiard.get_context("fork")
    result = ctx.Queue()
    proc = ctx.Process(target=start_pool_in_daemon, args=(result, allowed), daemon=True)
    proc.start()
    status, value = result.get(timeout=120)
    proc.join(30)
    if allowed:
        assert (status, value) == ("ok", 49)
    else:  # what the stages hit under Celery without it
        assert status == "error" and "daemonic" in value


# --------------------------------------------------------------------------
# the warehouse's two speeds
# --------------------------------------------------------------------------
def _node(
    uid: str, kind: str, materialized: str, schema: str, checksum: str = "c"
) -> dict[str, Any]:
    name = uid.rsplit(".", 1)[-1]
    return {
        "unique_id": uid,
        "resource_type": kind,
        "name": name,
        "alias": name,
        "schema": schema,
        "config": {"materialized": materialized},
        "checksum": {"checksum": checksum},
    }


def _manifest(seed_checksum: str = "s1") -> dict[str, Any]:
    nodes = [
        _node("seed.p.codes", "seed", "seed", "seeds", seed_checksum),
        _node("model.p.stg_a", "model", "view", "staging"),
        _node("model.p.eph", "model", "ephemeral", "staging"),
        _node("model.p.int_inc", "model", "incremental", "intermediate"),
        _node("model.p.fct", "model", "table", "marts"),
        _node("test.p.not_null_fct", "test", "test", "marts"),
    ]
    return {
        "nodes": {n["unique_id"]: n for n in nodes},
        "child_map": {
            "seed.p.codes": ["model.p.int_inc"],
            "model.p.stg_a": ["model.p.int_inc"],
            "model.p.int_inc": ["model.p.fct"],
            "model.p.fct": ["test.p.not_null_fct"],
        },
    }


def test_frequent_and_static_nodes() -> None:
    from newsflow.orchestration.warehouse import frequent_nodes, static_nodes

    manifest = _manifest()
    assert frequent_nodes(manifest) == {"model.p.int_inc", "model.p.fct", "test.p.not_null_fct"}
    assert [n["unique_id"] for n in static_nodes(manifest)] == ["model.p.stg_a", "seed.p.codes"]


def test_static_layers_are_checked_not_rebuilt(db_url: str, tmp_path: Path) -> None:
    import json

    from newsflow.orchestration import warehouse

    manifest_path = tmp_path / "manifest.json"
    manifest_path.write_text(json.dumps(_manifest()))
    nodes = warehouse.static_nodes(_manifest())
    assert warehouse._missing_relations(db_url, nodes) == ['"staging"."stg_a"', '"seeds"."codes"']
    with psycopg.connect(db_url) as conn:
        conn.execute("create schema staging; create view staging.stg_a as select 1 as x")
        conn.execute("create schema seeds; create table seeds.codes (code text)")
        conn.commit()
    state = tmp_path / "state"
    state.mkdir()
    (state / "static-layers.json").write_text(
        json.dumps({"fingerprint": warehouse._fingerprint(nodes, db_url)})
    )
    result = warehouse.ensure_static_layers(
        db_url, manifest_path=manifest_path, state_dir=state, target_path=tmp_path / "t"
    )
    assert result == {"static_nodes": 2, "built": 0}
    # An edited seed changes the fingerprint: the next run would build the static layers.
    changed = warehouse.static_nodes(_manifest(seed_checksum="s2"))
    assert warehouse._fingerprint(changed, db_url) != warehouse._fingerprint(nodes, db_url)
