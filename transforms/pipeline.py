"""Incremental annotation of ``raw.articles`` (``newsflow annotate``, Airflow's task).

Work list: articles with no ``raw.annotated_articles`` row for the current
:data:`ANNOTATOR_VERSION` (exact duplicates excluded: they repeat their
original), oldest id first.  They are read, annotated and written in batches
of ``NEWSFLOW_ANNOTATE_BATCH_SIZE``; each batch is one transaction
(:mod:`transforms.store`), so a run killed mid-batch loses nothing that was
committed and duplicates nothing when run again, and a second run over
annotated articles does nothing.  An article that breaks the annotator is
stored with ``status='error'`` and its message, and the batch goes on.

With ``NEWSFLOW_ANNOTATE_PROCESSES`` > 1 and enough articles, each batch is
split over worker processes, each running ``nlp.pipe`` on its share: forked
when this process has no other thread (the loaded model is then shared
copy-on-write), else started clean from a fork server.  Inside a daemonic
process (some task runners) the work stays in-process.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import time
import uuid
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from newsflow.settings import Settings
from transforms.annotate import ArticleInput, annotate_many, get_pipeline
from transforms.config import AnnotateConfig
from transforms.store import write_batch
from transforms.topic import page_sections
from transforms.types import AnnotatedDocument
from transforms.version import ANNOTATOR_VERSION

__all__ = ["ANNOTATOR_VERSION", "AnnotateSummary", "pending_ids", "run_annotate"]

log = logging.getLogger(__name__)

#: fewer articles than this per worker are not worth a process
MIN_PER_WORKER = 16

ProgressCallback = Callable[[int, int], None]

_PENDING = """
select a.article_id
from raw.articles as a
where (%(ids)s::bigint[] is null or a.article_id = any(%(ids)s::bigint[]))
  and (%(ids)s::bigint[] is not null or a.duplicate_of is null)
  and not exists (
      select 1 from raw.annotated_articles as aa
      where aa.article_id = a.article_id and aa.annotator_version = %(version)s
  )
order by a.article_id
limit %(limit)s
"""
_FETCH = """
select
    a.article_id, a.text, a.published_at, a.language, a.url, a.title,
    coalesce(
        (
            select array_agg(distinct category order by category)
            from raw.article_sources as s
            inner join raw.feed_entries as e
                on e.feed_id = s.feed_id and e.entry_key = s.entry_key
            cross join lateral unnest(e.categories) as category
            where s.article_id = a.article_id
        ),
        '{}'
    ) as categories,
    substring(a.raw_html_gz from 1 for %(html_bytes)s) as html_head_gz
from raw.articles as a
where a.article_id = any(%(ids)s)
order by a.article_id
"""
#: compressed bytes of the stored page read for its declared sections (the head)
HTML_HEAD_BYTES = 65536


@dataclass
class AnnotateSummary:
    """What one run did (``to_dict()`` for XCom and ``--json``)."""

    run_id: str
    annotator_version: str = ANNOTATOR_VERSION
    pipeline: str = ""
    articles: int = 0
    ok: int = 0
    empty: int = 0
    skipped_language: int = 0
    errors: int = 0
    already_done: int = 0
    sentences: int = 0
    actor_mentions: int = 0
    event_mentions: int = 0
    batches: int = 0
    seconds: float = 0.0
    error_samples: list[dict[str, Any]] = field(default_factory=list)

    def add(self, article_id: int, doc: AnnotatedDocument) -> None:
        self.articles += 1
        if doc.status == "ok":
            self.ok += 1
        elif doc.status == "empty":
            self.empty += 1
        elif doc.status == "skipped_language":
            self.skipped_language += 1
        else:
            self.errors += 1
            if len(self.error_samples) < 10:
                self.error_samples.append({"article_id": article_id, "error": doc.error})
        self.sentences += len(doc.sentences)
        self.actor_mentions += len(doc.mentions)
        self.event_mentions += len(doc.events)

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["seconds"] = round(self.seconds, 3)
        data["articles_per_second"] = round(self.articles_per_second, 2)
        return data


def pending_ids(
    conn: psycopg.Connection,
    *,
    article_ids: Sequence[int] | None = None,
    limit: int | None = None,
    version: str = ANNOTATOR_VERSION,
) -> list[int]:
    params = {
        "ids": list(article_ids) if article_ids is not None else None,
        "version": version,
        "limit": limit,
    }
    return [int(r[0]) for r in conn.execute(_PENDING, params).fetchall()]


def _html_head(gz: bytes | None) -> str:
    """The start of a stored page, decompressed from the first bytes of its gzip."""
    if not gz:
        return ""
    try:
        inflater = zlib.decompressobj(wbits=31)
        return inflater.decompress(bytes(gz), 300_000).decode("utf-8", "replace")
    except zlib.error:
        return ""


def _article_input(row: Sequence[Any]) -> ArticleInput:
    article_id, text, published_at, language, url, title, categories, html_gz = row
    return ArticleInput(
        int(article_id),
        text or "",
        published_at,
        language,
        url=url,
        title=title,
        categories=tuple(categories or ()),
        page_sections=tuple(page_sections(_html_head(html_gz))),
    )


def _config(settings: Any) -> AnnotateConfig:
    if isinstance(settings, AnnotateConfig):
        return settings
    if settings is None or isinstance(settings, Settings):
        return AnnotateConfig.from_env(settings)
    raise TypeError(f"settings must be Settings or AnnotateConfig, not {type(settings).__name__}")


# -- worker processes -------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def _worker_init(config: AnnotateConfig) -> None:
    import logging as _logging

    _logging.getLogger("transforms").setLevel(_logging.WARNING)
    _WORKER["config"] = config
    _WORKER["pipeline"] = get_pipeline(config=config)


def _worker_annotate(items: list[ArticleInput]) -> list[tuple[Any, AnnotatedDocument]]:
    return list(annotate_many(items, pipeline=_WORKER["pipeline"], config=_WORKER["config"]))


class _Annotator:
    """Annotates batches in this process or over a pool of forked workers."""

    def __init__(self, config: AnnotateConfig) -> None:
        self.config = config
        self.pipeline = get_pipeline(config=config)
        processes = config.processes
        if multiprocessing.current_process().daemon:
            processes = 1
        if "fork" not in multiprocessing.get_all_start_methods():
            processes = 1
        self.processes = processes
        self.pool: ProcessPoolExecutor | None = None

    def _get_pool(self) -> ProcessPoolExecutor:
        if self.pool is None:
            if threading.active_count() == 1:
                # forked workers share the model loaded above (copy-on-write)
                _WORKER["config"] = self.config
                _WORKER["pipeline"] = self.pipeline
                self.pool = ProcessPoolExecutor(
                    max_workers=self.processes, mp_context=multiprocessing.get_context("fork")
                )
            else:
                # other threads (a task runner's heartbeat) make fork unsafe:
                # clean workers that load the pipeline themselves
                self.pool = ProcessPoolExecutor(
                    max_workers=self.processes,
                    mp_context=multiprocessing.get_context("forkserver"),
                    initializer=_worker_init,
                    initargs=(self.config,),
                )
        return self.pool

    def annotate(self, items: list[ArticleInput]) -> list[tuple[Any, AnnotatedDocument]]:
        if self.processes <= 1 or len(items) < 2 * MIN_PER_WORKER:
            return list(annotate_many(items, pipeline=self.pipeline, config=self.config))
        share = -(-len(items) // self.processes)
        parts = [items[i : i + share] for i in range(0, len(items), share)]
        try:
            results: list[tuple[Any, AnnotatedDocument]] = []
            for part in self._get_pool().map(_worker_annotate, parts):
                results.extend(part)
            return results
        except BrokenProcessPool as exc:  # a worker died (memory, signal): do it here
            log.warning("annotation worker died (%s); annotating the batch in-process", exc)
            self.close()
            self.processes = 1
            return list(annotate_many(items, pipeline=self.pipeline, config=self.config))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def _record_run(conn: psycopg.Connection, summary: AnnotateSummary, status: str) -> None:
    try:
        conn.execute(
            """
            insert into raw.runs (run_id, stage, status, counts, finished_at)
            values (%s, 'annotate', %s, %s, case when %s <> 'running' then now() end)
            on conflict (run_id) do update set
                status = excluded.status, counts = excluded.counts,
                finished_at = excluded.finished_at
            """,
            (summary.run_id, status, Jsonb(summary.to_dict()), status),
        )
    except psycopg.Error as exc:  # bookkeeping must not fail the run
        log.warning("cannot record the annotate run: %s", exc)


def run_annotate(
    database_url: str,
    *,
    article_ids: Sequence[int] | None = None,
    settings: Settings | AnnotateConfig | None = None,
    limit: int | None = None,
    progress: ProgressCallback | None = None,
) -> AnnotateSummary:
    """Annotate the articles not yet annotated by this annotator version.

    ``article_ids`` restricts the run to those articles (still only the ones
    pending); ``limit`` caps how many are done; ``progress(done, total)`` is
    called after every batch.
    """
    config = _config(settings)
    started = time.monotonic()
    run_id = f"annotate-{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    summary = AnnotateSummary(run_id=run_id)
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("set timezone = 'UTC'")
        todo = pending_ids(conn, article_ids=article_ids, limit=limit)
        if not todo:
            summary.seconds = time.monotonic() - started
            if progress:
                progress(0, 0)
            return summary
        annotator = _Annotator(config)
        summary.pipeline = annotator.pipeline.name
        _record_run(conn, summary, "running")
        status = "failed"
        try:
            done = 0
            for start in range(0, len(todo), config.batch_size):
                ids = todo[start : start + config.batch_size]
                rows = conn.execute(_FETCH, {"ids": ids, "html_bytes": HTML_HEAD_BYTES}).fetchall()
                items = [_article_input(row) for row in rows]
                results = annotator.annotate(items)
                written = set(write_batch(conn, results))
                for article_id, doc in results:
                    if article_id in written:
                        summary.add(article_id, doc)
                    else:
                        summary.already_done += 1
                summary.batches += 1
                done += len(ids)
                summary.seconds = time.monotonic() - started
                if progress:
                    progress(done, len(todo))
            status = "partial" if summary.errors else "ok"
        finally:
            annotator.close()
            summary.seconds = time.monotonic() - started
            _record_run(conn, summary, status)
    log.info(
        "annotated %d articles (%d ok, %d errors) in %.1f s",
        summary.articles,
        summary.ok,
        summary.errors,
        summary.seconds,
    )
    return summary
