"""The body of every Airflow task, as plain functions.

The DAG files call these from inside their ``@task`` functions, so the stage
packages (ingest, transforms, dbt) are imported when a task runs, never when
the DAG processor parses a file.  Every function takes explicit inputs (a
database URL, ids, a reference time) and returns small JSON-able counts for
XCom, never article bodies.

Idempotence: planning reads the state of the database as of the run's window
end; work is done by ids (feed ids, article id ranges) and written with
upserts, so a retry or an overlapping backfill repeats nothing.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsflow.orchestration.connection import describe

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

__all__ = [
    "annotate_range",
    "changed_articles",
    "child_processes_allowed",
    "counts_only",
    "dbt_build_all",
    "dbt_source_freshness",
    "ingest_batch",
    "mapped_results",
    "new_articles",
    "nightly_target_path",
    "plan_annotation",
    "plan_ingest",
    "reextract",
    "retry_failed",
    "run_label",
    "static_layers",
    "sum_counts",
    "window_end",
]


# --------------------------------------------------------------------------
# Airflow context helpers (the context is a mapping; no Airflow import needed)
# --------------------------------------------------------------------------
def window_end(context: Mapping[str, Any]) -> datetime:
    """The run's reference time: the data interval's end.

    Manual runs in Airflow 3 may have no data interval; they fall back to the
    logical date, then to the run's ``run_after``.  Never the wall clock, so a
    retry plans exactly what the first try planned.
    """
    for key in ("data_interval_end", "logical_date"):
        value = context.get(key)
        if value is not None:
            return _aware(value)
    dag_run = context.get("dag_run")
    run_after = getattr(dag_run, "run_after", None)
    if run_after is not None:
        return _aware(run_after)
    raise ValueError("the task context has no data interval, logical date or run_after")


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def run_label(context: Mapping[str, Any]) -> str:
    """A stable id for ``raw.runs``: the same on every retry of one mapped task."""
    ti = context.get("ti") or context.get("task_instance")
    dag_id = getattr(ti, "dag_id", None) or getattr(context.get("dag"), "dag_id", "dag")
    task_id = getattr(ti, "task_id", "task")
    map_index = getattr(ti, "map_index", -1)
    run_id = context.get("run_id") or getattr(context.get("dag_run"), "run_id", "run")
    label = f"airflow:{dag_id}:{run_id}:{task_id}"
    return label if map_index in (None, -1) else f"{label}:{map_index}"


def counts_only(summary: Any) -> dict[str, Any]:
    """The numbers of a stage summary (``to_dict()`` or a mapping), for XCom.

    Lists and nested structures (error samples, ids) stay out: XCom carries
    counts, the database carries the rest.
    """
    data = summary.to_dict() if hasattr(summary, "to_dict") else dict(summary or {})
    return {
        str(k): v for k, v in data.items() if isinstance(v, int | float | str | bool) or v is None
    }


def mapped_results(results: Any) -> list[Any]:
    """The values of a mapped task's results, read by index.

    Airflow's lazy XCom sequence finds its end by asking for one item too many,
    which logs an error for every run; ``len()`` and indexing do not.
    """
    if isinstance(results, list | tuple):
        return list(results)
    return [results[i] for i in range(len(results))]


def sum_counts(summaries: Iterable[Mapping[str, Any] | None], key: str) -> int:
    """Sum one count over the results of a mapped task (skipped ones are None)."""
    total = 0
    for summary in mapped_results(summaries) if hasattr(summaries, "__len__") else summaries:
        if summary:
            value = summary.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                total += int(value)
    return total


@contextlib.contextmanager
def child_processes_allowed() -> Iterator[None]:
    """Let the task start worker processes (extraction sandbox, annotation pool).

    Three things stop ``multiprocessing`` inside an Airflow task on a Celery
    worker, all undone when the stage call returns:

    - Celery's prefork pool (billiard) runs tasks in daemonic processes, and
      "daemonic processes are not allowed to have children";
    - billiard's authentication key cannot be sent to a forkserver/spawn child;
    - spawn/forkserver children re-import the parent's ``__main__`` by path,
      here the ``airflow`` script, whose import fails in a task process (Airflow 3
      withholds the metadata database from tasks).  The children's targets are
      importable by module name, so ``__main__`` is not needed there.

    In Airflow 3 the task runs in a process the task supervisor forked, owns
    and reaps, so it may own a pool.
    """
    from multiprocessing.process import AuthenticationString

    config = multiprocessing.current_process()._config  # no public setter once started
    saved = dict(config)
    config["daemon"] = False
    authkey = config.get("authkey")
    if not isinstance(authkey, AuthenticationString):
        config["authkey"] = AuthenticationString(bytes(authkey) if authkey else os.urandom(32))
    main = sys.modules.get("__main__")
    main_file = getattr(main, "__file__", None)
    hide_main = main is not None and main_file is not None and _runs_airflow_cli(main)
    if hide_main:
        del main.__file__  # type: ignore[union-attr]
    try:
        yield
    finally:
        config.clear()
        config.update(saved)
        if hide_main:
            main.__file__ = main_file  # type: ignore[union-attr]


def _runs_airflow_cli(main: Any) -> bool:
    """Whether ``__main__`` is the ``airflow`` command (a worker or a task runner)."""
    spec = getattr(main, "__spec__", None)
    if spec is not None:  # python -m ...: children import it by name, which is fine
        return False
    return Path(str(getattr(main, "__file__", ""))).name in {"airflow", "celery"}


# --------------------------------------------------------------------------
# news_ingest
# --------------------------------------------------------------------------
def plan_ingest(database_url: str, *, now: datetime, max_batches: int) -> list[list[int]]:
    """Feed ids due at ``now``, grouped by host into at most ``max_batches`` batches."""
    from ingest.pipeline import plan_batches

    batches = plan_batches(database_url, now=now, max_batches=max_batches)
    plan = [sorted(int(feed_id) for feed_id in batch) for batch in batches if batch]
    log.info(
        "%d feeds due at %s in %d batches on %s",
        sum(len(b) for b in plan),
        now.isoformat(),
        len(plan),
        describe(database_url),
    )
    return plan


def ingest_batch(
    database_url: str, feed_ids: Sequence[int], *, run_id: str, now: datetime
) -> dict[str, Any]:
    """Fetch, extract and load the feeds of one batch; return its counts.

    ``now`` is the run's window end, as in :func:`plan_ingest`: a retry polls
    the feeds of the batch that are still due then, and finishes the pages a
    killed try left pending.
    """
    from ingest.pipeline import run_ingest
    from newsflow.settings.ingest import ingest_config

    with child_processes_allowed():
        summary = run_ingest(
            database_url, feed_ids=list(feed_ids), run_id=run_id, now=now, config=ingest_config()
        )
    counts = counts_only(summary)
    counts["feeds"] = len(feed_ids)
    return counts


def new_articles(
    database_url: str, summaries: Iterable[Mapping[str, Any] | None], *, since: datetime | None
) -> int:
    """New articles of an ingest run: the batches' counts, else what landed since ``since``.

    A try killed after loading its articles but before returning its counts
    leaves a retry that finds nothing new; the articles loaded since the run
    started still mean ``raw_articles`` changed.
    """
    total = sum_counts(summaries, "articles_new")
    if total or since is None:
        return total
    from storage.connection import connect
    from storage.monitoring import articles_since

    with connect(database_url) as conn:
        return articles_since(conn, since)


# --------------------------------------------------------------------------
# news_annotate
# --------------------------------------------------------------------------
def plan_annotation(
    database_url: str, *, batch_size: int, max_batches: int, version: str | None = None
) -> list[list[int]]:
    """Article id ranges ``[first, last]`` covering every article awaiting annotation.

    Ranges, not id lists: XCom stays small however large the backlog, and the
    annotate task re-reads what is still pending inside its range, so a retry
    resumes where the killed try stopped.  At most ``max_batches`` ranges; each
    holds at least ``batch_size`` pending articles unless the backlog is smaller.
    """
    from newsflow.orchestration.annotation import pending_article_ids

    ids = pending_article_ids(database_url, version=version)
    if not ids:
        return []
    per_batch = max(batch_size, -(-len(ids) // max_batches))
    return [
        [ids[start], ids[min(start + per_batch, len(ids)) - 1]]
        for start in range(0, len(ids), per_batch)
    ]


def annotate_range(
    database_url: str, id_range: Sequence[int], *, version: str | None = None
) -> dict[str, Any]:
    """Annotate the articles still pending with ids in ``[first, last]``.

    One ``run_annotate`` call: it loads the model once and commits batch by
    batch (``NEWSFLOW_ANNOTATE_BATCH_SIZE``), so a retry only does what the
    killed try had not committed.
    """
    from newsflow.orchestration.annotation import pending_article_ids
    from newsflow.settings import Env
    from newsflow.settings.transforms import annotate_config
    from transforms.pipeline import run_annotate

    first, last = int(id_range[0]), int(id_range[1])
    ids = pending_article_ids(database_url, first=first, last=last, version=version)
    if not ids:
        return {"articles": 0, "range": f"{first}-{last}"}
    config = annotate_config(Env())
    with child_processes_allowed():
        summary = counts_only(run_annotate(database_url, article_ids=ids, config=config))
    summary["range"] = f"{first}-{last}"
    return summary


# --------------------------------------------------------------------------
# news_nightly
# --------------------------------------------------------------------------
def retry_failed(database_url: str, *, run_id: str, now: datetime) -> dict[str, Any]:
    """Fetch again the article pages whose earlier attempts failed (back-off passed at ``now``)."""
    from ingest.pipeline import retry_failed_pages
    from newsflow.settings.ingest import ingest_config

    with child_processes_allowed():
        summary = retry_failed_pages(database_url, run_id=run_id, now=now, config=ingest_config())
        return counts_only(summary)


def reextract(database_url: str) -> dict[str, Any]:
    """Extract again the articles stored by an older extractor version."""
    from ingest.pipeline import reextract_outdated
    from newsflow.settings.ingest import ingest_config

    with child_processes_allowed():
        done = reextract_outdated(database_url, config=ingest_config())
        return {"articles_reextracted": int(done)}


def changed_articles(counts: Mapping[str, Any] | None) -> int:
    """Articles a nightly step added or rewrote."""
    keys = ("articles_new", "articles_updated", "articles_reextracted")
    return sum(sum_counts([counts], key) for key in keys)


def static_layers(database_url: str) -> dict[str, Any]:
    """First task of news_transform: see ``warehouse.ensure_static_layers``."""
    from newsflow.orchestration.cosmos_config import manifest_path
    from newsflow.orchestration.warehouse import ensure_static_layers
    from newsflow.settings import load

    dbt_dir = load().data_dir / "dbt"
    return ensure_static_layers(
        database_url,
        manifest_path=manifest_path(),
        state_dir=dbt_dir,
        target_path=dbt_dir / "static-target",
    )


def nightly_target_path() -> Path:
    """Where the nightly dbt commands write their artifacts (the data dir)."""
    from newsflow.settings import load

    path = load().data_dir / "dbt" / "nightly-target"
    path.mkdir(parents=True, exist_ok=True)
    return path


def dbt_build_all(database_url: str, *, target_path: Path) -> dict[str, Any]:
    """``dbt build`` of the whole project (seeds, models, tests); fails on errors.

    ``target_path`` keeps the nightly's artifacts away from
    ``dbt_project/target``, whose ``manifest.json`` Cosmos reads while the DAG
    processor parses ``news_transform``.
    """
    from newsflow.dbt_runner import build

    result = build(database_url, capture=True, target_path=target_path)
    log.info("%s", result.summary())
    if not result.success:
        details = "; ".join(f"{uid}: {msg}" for uid, msg in result.failures[:10])
        raise RuntimeError(
            f"dbt build failed ({result.summary()}): {details or result.output[-2000:]}"
        )
    return {"elapsed_s": round(result.elapsed_s, 1), **result.counts}


def dbt_source_freshness(database_url: str, *, target_path: Path) -> dict[str, Any]:
    """``dbt source freshness``: counts per status (pass, warn, error, runtime error).

    Stale sources are reported, not raised: retrying cannot make news arrive,
    and the quality summary carries the result.  dbt failing to run at all (no
    ``sources.json``) fails the task.
    """
    import json

    from newsflow.dbt_runner import run_dbt

    sources_json = target_path / "sources.json"
    sources_json.unlink(missing_ok=True)
    result = run_dbt(
        ["source", "freshness"], database_url=database_url, capture=True, target_path=target_path
    )
    try:
        data = json.loads(sources_json.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RuntimeError(
            f"dbt source freshness did not run ({exc}):\n{result.output[-2000:]}"
        ) from exc
    counts: dict[str, Any] = {}
    for entry in data.get("results", []):
        status = str(entry.get("status", "unknown"))
        counts[status] = counts.get(status, 0) + 1
    if counts.get("error") or counts.get("warn") or counts.get("runtime error"):
        log.warning("source freshness: %s", counts)
    return {"elapsed_s": round(result.elapsed_s, 1), **counts}
