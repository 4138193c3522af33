"""The DAGs end to end with Airflow's ``dag.test()``: real PostgreSQL, feeds on 127.0.0.x.

Each test runs the DAGs in a child process (:func:`run_dags_once`), exactly as
``newsflow run --once`` does, against its own warehouse database and the
synthetic outlets of ``resources/site.json`` (two hosts, five articles).
"""

from __future__ import annotations

import psycopg
import pytest

from newsflow.orchestration.local import PIPELINE, DagRunReport, run_dags_once
from tests.dags.conftest import require
from tests.dags.site import serve_site

ARTICLES = 5  # resources/site.json


def _by_dag(reports: list[DagRunReport]) -> dict[str, list[DagRunReport]]:
    out: dict[str, list[DagRunReport]] = {}
    for report in reports:
        out.setdefault(report.dag_id, []).append(report)
    return out


def _raw_counts(db_url: str) -> dict[str, int]:
    with psycopg.connect(db_url) as conn:
        return {
            table: int(conn.execute(f"select count(*) from raw.{table}").fetchone()[0])  # type: ignore[index]
            for table in ("articles", "article_sources", "feed_entries")
        }


def test_ingest_lands_articles_and_emits_only_when_something_is_new(
    airflow_env: dict[str, str], db_env: str, tmp_path
) -> None:
    require("ingest.pipeline:run_ingest", "ingest.pipeline:plan_batches")
    from tests.dags.site import register_feeds

    with serve_site() as site:
        register_feeds(db_env, site)
        reports = run_dags_once(
            ["news_ingest", "news_ingest"], env=airflow_env, log_file=tmp_path / "run.log"
        )
    first, second = reports
    assert first.state == "success", first
    assert first.assets == ["raw_articles"]
    assert first.results["plan.items"] == 2  # two hosts, two mapped ingest tasks
    assert first.results["ingest"]["articles_new"] == ARTICLES
    assert first.results["publish"] == ARTICLES
    # Nothing due any more: the run succeeds, maps nothing and emits no Asset event.
    assert second.state == "success", second
    assert second.assets == []
    assert second.tasks.get("skipped", 0) >= 1
    assert _raw_counts(db_env) == {
        "articles": ARTICLES,
        "article_sources": ARTICLES,
        "feed_entries": ARTICLES,
    }


def test_pipeline_end_to_end_fills_fct_events(
    airflow_env: dict[str, str], db_env: str, tmp_path
) -> None:
    require(
        "ingest.pipeline:run_ingest",
        "transforms.pipeline:run_annotate",
    )
    from tests.dags.site import register_feeds

    with serve_site() as site:
        register_feeds(db_env, site)
        reports = _by_dag(run_dags_once(PIPELINE, env=airflow_env, log_file=tmp_path / "run.log"))
    ingest, annotate, transform = (reports[d][0] for d in PIPELINE)
    assert ingest.state == "success" and ingest.assets == ["raw_articles"], ingest
    assert annotate.state == "success" and annotate.assets == ["raw_annotations"], annotate
    assert annotate.results["annotate"]["articles"] == ARTICLES
    assert transform.state == "success", (transform.tasks, transform.error)
    assert transform.assets == ["marts"]
    assert set(transform.tasks) == {"success"}
    with psycopg.connect(db_env) as conn:
        events = conn.execute("select count(*) from marts.fct_events").fetchone()
        annotated = conn.execute(
            "select count(distinct article_id) from raw.annotated_articles"
        ).fetchone()
    assert annotated == (ARTICLES,)
    assert events and events[0] > 0


@pytest.mark.parametrize("dag_id", ["news_nightly"])
def test_nightly_runs_on_an_empty_warehouse(
    airflow_env: dict[str, str], db_env: str, tmp_path, dag_id: str
) -> None:
    require("ingest.pipeline:retry_failed_pages", "ingest.pipeline:reextract_outdated")
    require("ingest.sandbox:ExtractionPool")
    (report,) = run_dags_once([dag_id], env=airflow_env, log_file=tmp_path / "run.log")
    assert report.state == "success", (report.tasks, report.error)
    summary = report.results["quality_summary"]
    assert summary["articles_total"] == 0 and summary["fct_events"] == 0
    # An empty warehouse has no fresh source: the only problem it may report.
    assert summary["problems"] <= 1, summary
    assert report.results["source_freshness"], report.results
    assert report.results["dbt_build"].get("error", 0) == 0
    assert "publish_raw" not in report.results  # nothing changed: no raw_articles event
    assert report.assets == []
