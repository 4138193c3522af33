"""Incremental annotation of ``raw.articles`` (``newsflow annotate``, Airflow's task).

Work list: the annotation backlog of :mod:`storage.annotations` (articles
with no ``raw.annotated_articles`` row for the current
:data:`ANNOTATOR_VERSION`, exact duplicates excluded: they repeat their
original), oldest id first.  They are read, annotated and written in batches
of ``config.batch_size``; each batch is one transaction
(:mod:`transforms.store`), so a run killed mid-batch loses nothing that was
committed and duplicates nothing when run again, and a second run over
annotated articles does nothing.  An article that breaks the annotator is
stored with ``status='error'`` and its message, and the batch goes on.

With ``config.processes`` > 1 and enough articles, each batch is
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

from storage import annotations, runs
from storage.connection import connect
from transforms.annotate import ArticleInput, annotate_many, get_pipeline
from transforms.config import AnnotateConfig
from transforms.document import AnnotatedDocument
from transforms.store import write_batch
from transforms.topic import page_sections
from transforms.version import ANNOTATOR_VERSION

__all__ = ["ANNOTATOR_VERSION", "AnnotateSummary", "run_annotate"]

log = logging.getLogger(__name__)

#: fewer articles than this per worker are not worth a process
MIN_PER_WORKER = 16

ProgressCallback = Callable[[int, int], None]

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


def _html_head(gz: bytes | None) -> str:
    """The start of a stored page, decompressed from the first bytes of its gzip."""
    if not gz:
        return ""
    try:
        inflater = zlib.decompressobj(wbits=31)
        return inflater.decompress(bytes(gz), 300_000).decode("utf-8", "replace")
    except zlib.error:
        return ""


def _article_input(source: annotations.AnnotationSource) -> ArticleInput:
    return ArticleInput(
        source.article_id,
        source.text,
        source.published_at,
        source.language,
        url=source.url,
        title=source.title,
        categories=source.categories,
        page_sections=tuple(page_sections(_html_head(source.html_head_gz))),
    )


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
    # bookkeeping must not fail the run
    runs.record_quietly(conn, summary.run_id, "annotate", status, summary.to_dict())


def run_annotate(
    database_url: str,
    *,
    article_ids: Sequence[int] | None = None,
    config: AnnotateConfig | None = None,
    limit: int | None = None,
    progress: ProgressCallback | None = None,
) -> AnnotateSummary:
    """Annotate the articles not yet annotated by this annotator version.

    ``article_ids`` restricts the run to those articles (still only the ones
    pending); ``limit`` caps how many are done; ``progress(done, total)`` is
    called after every batch.  ``config`` defaults to :class:`AnnotateConfig`'s
    defaults (the application passes the one it built from its settings).
    """
    config = config or AnnotateConfig()
    started = time.monotonic()
    run_id = f"annotate-{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    summary = AnnotateSummary(run_id=run_id)
    with connect(database_url, autocommit=True) as conn:
        conn.execute("set timezone = 'UTC'")
        todo = annotations.pending_article_ids(
            conn, ANNOTATOR_VERSION, article_ids=article_ids, limit=limit
        )
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
                sources = annotations.read_sources(conn, ids, html_bytes=HTML_HEAD_BYTES)
                items = [_article_input(source) for source in sources]
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
