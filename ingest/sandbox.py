"""Extraction in worker processes that can be limited and killed.

A hostile or just broken page can make an HTML parser spin for minutes or
allocate gigabytes.  :class:`ExtractionPool` runs :func:`ingest.extract.extract_guarded`
in worker processes, each started (``forkserver``, else ``spawn``: never a plain
``fork`` of a multi-threaded parent) with

* ``RLIMIT_AS`` = ``extract_memory_mb``: an allocation beyond it fails with
  ``MemoryError``, the page is ``extract_too_large`` ("memory limit") and the
  worker is replaced;
* ``RLIMIT_CPU``: before each page the soft limit is moved to the CPU time
  used so far plus ``extract_cpu_seconds``; the kernel's ``SIGXCPU`` raises
  :class:`CpuTimeExceeded` in the worker (a ``BaseException``, so library code
  that catches ``Exception`` cannot swallow it), the page is
  ``extract_timeout`` and the worker is replaced;
* a wall-clock limit (``wall_seconds``) watched by the parent: a worker that
  stays on one page longer (stuck inside C code, or starved) is killed with
  ``SIGKILL``; the page is ``extract_timeout``.

A worker that dies for any other reason (a crash in C code, the OOM killer)
costs only the page it was working on (``extract_failed`` with the exit
status); the pool starts a replacement and the rest of that worker's batch is
handed to other workers.  No page is ever answered with an empty ``ok``
article.

Throughput: workers are started and warmed up (models loaded) when the pool
is created; pages go to them in small batches over one pipe per worker, and
results come back one by one as they are ready, so a slow page never holds up
the results of the others.  ``extract_many`` reads its input lazily (the
pipeline feeds it from a queue) with a bound on pages in flight, so memory
stays flat however long the input is.

The worker's extract function is :func:`ingest.extract.extract_guarded`
unless the pool is given another (``extract=``, a module-level function the
workers can import): the tests pass one that misbehaves on purpose, so the real
worker code path meets real CPU spins, allocations, crashes and hangs.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import logging
import math
import multiprocessing
import os
import queue
import signal
import socket
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from ingest.extraction_settings import ExtractionSettings
from ingest.records import ExtractedArticle, Outcome

__all__ = ["CpuTimeExceeded", "ExtractFn", "ExtractionPool"]

log = logging.getLogger(__name__)

#: What a worker runs per page: (html, url, settings) -> article; ``MemoryError`` and
#: :class:`CpuTimeExceeded` propagate, every other error is an ``extract_failed`` article.
ExtractFn = Callable[[bytes | str, str | None, ExtractionSettings], ExtractedArticle]

#: Pages sent to a worker at once (fewer when the queue is short).
MAX_BATCH = 8
#: A worker is replaced after this many pages, which bounds slow growth of its heap.
MAX_PAGES_PER_WORKER = 2000
#: Workers that die before they are ready this many times in a row: the pool gives up.
MAX_START_FAILURES = 3
#: Seconds a new worker may take to import and warm up.
START_TIMEOUT_S = 120.0


#: Modules the fork server imports once, so that new workers start warm.
PRELOAD = ["ingest.extract", "ingest.sandbox", "trafilatura", "readability", "py3langid.langid"]


class CpuTimeExceeded(BaseException):
    """Raised in a worker by SIGXCPU when a page used up its CPU time."""


class PoolBroken(RuntimeError):
    """The workers cannot be started (see the message); pages get ``extract_failed``."""


# --- worker side -----------------------------------------------------------------------
def _on_sigxcpu(signum: int, frame: Any) -> None:
    raise CpuTimeExceeded()


def _cpu_used() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _set_limits(cfg: ExtractionSettings) -> bool:
    """Memory cap and SIGXCPU handler; False where the platform has no rlimits."""
    try:
        import resource
    except ImportError:  # not POSIX: the wall-clock limit still applies
        return False
    if cfg.memory_mb > 0:
        limit = cfg.memory_mb * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    signal.signal(signal.SIGXCPU, _on_sigxcpu)
    return True


def _arm_cpu_limit(cfg: ExtractionSettings) -> None:
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = math.ceil(_cpu_used()) + max(1, cfg.cpu_seconds)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _worker_main(conn: Connection, cfg: ExtractionSettings, extract: ExtractFn | None) -> None:
    """Worker loop: receive batches, send one result per page, retire when asked or hurt."""
    # library warnings about broken pages are expected here and would flood the logs
    for name in ("trafilatura", "readability", "htmldate", "courlan", "charset_normalizer"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    limited = _set_limits(cfg)
    from ingest.extract import extract_guarded, warm_up

    extract = extract or extract_guarded
    warm_up()
    conn.send(("ready", os.getpid()))
    done = 0
    while True:
        try:
            batch = conn.recv()
        except (EOFError, OSError):
            return
        if batch is None:
            return
        for task_id, html, url in batch:
            retire = False
            try:
                if limited:
                    _arm_cpu_limit(cfg)
                article = extract(html, url, cfg)
            except CpuTimeExceeded:
                article = _failure(
                    Outcome.EXTRACT_TIMEOUT, f"CPU time limit ({cfg.cpu_seconds} s) exceeded"
                )
                retire = True
            except MemoryError:
                article = _failure(
                    Outcome.EXTRACT_TOO_LARGE, f"memory limit ({cfg.memory_mb} MB) exceeded"
                )
                retire = True
            del html
            conn.send(("result", task_id, article))
            done += 1
            if retire:
                conn.send(("retire", "after a limit was hit"))
                return
        if done >= MAX_PAGES_PER_WORKER:
            conn.send(("retire", f"{done} pages done"))
            return


def _failure(outcome: Outcome, error: str) -> ExtractedArticle:
    from ingest.extract import EXTRACTOR, EXTRACTOR_VERSION

    return ExtractedArticle(
        outcome=outcome, extractor=EXTRACTOR, extractor_version=EXTRACTOR_VERSION, error=error
    )


# --- parent side -------------------------------------------------------------------------
@dataclass
class _Task:
    task_id: int
    key: Hashable
    html: bytes | str
    url: str | None
    deliver: Callable[[Hashable, ExtractedArticle], None]
    cancelled: bool = False


@dataclass
class _Worker:
    process: Any
    conn: Connection
    started: float = field(default_factory=time.monotonic)
    ready: bool = False
    batch: collections.deque[_Task] = field(default_factory=collections.deque)
    since: float = 0.0  # when the current page started (last result or batch sent)
    retiring: bool = False

    @property
    def busy(self) -> bool:
        return bool(self.batch)


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _exit_reason(exitcode: int | None) -> str:
    if exitcode is None:
        return "worker vanished"
    if exitcode < 0:
        with contextlib.suppress(ValueError):
            return f"worker killed by {signal.Signals(-exitcode).name}"
        return f"worker killed by signal {-exitcode}"
    return f"worker exited with status {exitcode}"


class ExtractionPool:
    """Extract pages in limited, replaceable worker processes (see the module docstring).

    ``settings`` defaults to :class:`~ingest.extraction_settings.ExtractionSettings`'s
    defaults; ``workers`` overrides its worker count; ``extract`` replaces the
    workers' extract function (see the module docstring).  Use as a context
    manager, or call :meth:`close`.
    """

    def __init__(
        self,
        workers: int | None = None,
        settings: ExtractionSettings | None = None,
        *,
        extract: ExtractFn | None = None,
    ) -> None:
        self.settings = settings or ExtractionSettings()
        self.workers = max(1, workers if workers is not None else self.settings.workers)
        self._extract = extract
        self._ctx = _context()
        if self._ctx.get_start_method() == "forkserver":
            # imported once in the fork server, inherited by every worker
            self._ctx.set_forkserver_preload(PRELOAD)
        self._lock = threading.Lock()
        self._pending: collections.deque[_Task] = collections.deque()
        self._ids = itertools.count(1)
        self._closed = False
        self._broken: str | None = None
        self._start_failures = 0
        self._ready_event = threading.Event()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._pool: list[_Worker] = []
        self._manager = threading.Thread(target=self._run, name="extraction-pool", daemon=True)
        self._manager.start()

    # --- public API -------------------------------------------------------------------
    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block until every worker has started and warmed up (or the pool broke)."""
        return self._ready_event.wait(timeout)

    def extract_many(
        self, items: Iterable[tuple[Hashable, bytes | str, str | None]]
    ) -> Iterator[tuple[Hashable, ExtractedArticle]]:
        """Yield ``(key, article)`` for every ``(key, html, url)``, in completion order.

        ``items`` is read lazily from a helper thread, at most
        ``workers * MAX_BATCH * 2`` pages ahead of the results consumed.  An
        exception raised by ``items`` is re-raised here once the pages read
        before it have been yielded.
        """
        results: queue.Queue[tuple[Hashable, ExtractedArticle]] = queue.Queue()
        window = threading.BoundedSemaphore(self.workers * MAX_BATCH * 2)
        stop = threading.Event()
        state: dict[str, Any] = {"submitted": 0, "done": False, "error": None}
        submitted_tasks: list[_Task] = []

        def deliver(key: Hashable, article: ExtractedArticle) -> None:
            results.put((key, article))

        def feed() -> None:
            try:
                for key, html, url in items:
                    while not window.acquire(timeout=0.2):
                        if stop.is_set():
                            return
                    if stop.is_set():
                        return
                    task = self._submit(key, html, url, deliver)
                    submitted_tasks.append(task)
                    with self._lock:
                        state["submitted"] += 1
            except BaseException as exc:  # handed to the consumer
                state["error"] = exc
            finally:
                state["done"] = True
                results.put((_FEEDER_DONE, _NO_ARTICLE))

        feeder = threading.Thread(target=feed, name="extraction-feed", daemon=True)
        feeder.start()
        received = 0
        try:
            while True:
                key, article = results.get()
                if key is _FEEDER_DONE:
                    if received >= state["submitted"]:
                        break
                    continue
                received += 1
                window.release()
                yield key, article
                if state["done"] and received >= state["submitted"]:
                    break
            if state["error"] is not None:
                raise state["error"]
        finally:
            stop.set()
            for task in submitted_tasks:
                task.cancelled = True
            feeder.join(timeout=5)

    async def extract(self, key: Hashable, html: bytes | str, url: str | None) -> ExtractedArticle:
        """Extract one page from asyncio code without blocking the event loop."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[ExtractedArticle] = loop.create_future()

        def deliver(_key: Hashable, article: ExtractedArticle) -> None:
            def settle() -> None:
                if not future.done():
                    future.set_result(article)

            loop.call_soon_threadsafe(settle)

        task = self._submit(key, html, url, deliver)
        try:
            return await future
        finally:
            task.cancelled = True

    def close(self) -> None:
        """Stop the workers (pages still queued are answered ``extract_failed``)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._wake()
        self._manager.join(timeout=30)
        self._wake_r.close()
        self._wake_w.close()

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- submission ----------------------------------------------------------------------
    def _submit(
        self,
        key: Hashable,
        html: bytes | str,
        url: str | None,
        deliver: Callable[[Hashable, ExtractedArticle], None],
    ) -> _Task:
        task = _Task(next(self._ids), key, html, url, deliver)
        with self._lock:
            closed, broken = self._closed, self._broken
            if not closed and broken is None:
                self._pending.append(task)
        if closed or broken is not None:
            task.deliver(key, _failure(Outcome.EXTRACT_FAILED, broken or "extraction pool closed"))
        else:
            self._wake()
        return task

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")

    # --- the manager thread ------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._loop()
        except Exception as exc:  # the manager must answer every page even when it breaks
            log.exception("extraction pool manager failed")
            self._broken = f"extraction pool failed: {exc}"
        finally:
            self._shutdown()

    def _loop(self) -> None:
        while True:
            with self._lock:
                closed = self._closed
            if closed:
                return
            self._top_up()
            self._dispatch()
            if all(w.ready for w in self._pool):
                self._ready_event.set()
            waitables: list[Any] = [self._wake_r]
            for worker in self._pool:
                waitables.append(worker.conn)
                waitables.append(worker.process.sentinel)
            for ready in wait(waitables, timeout=self._next_timeout()):
                if ready is self._wake_r:
                    with contextlib.suppress(BlockingIOError, OSError):
                        while self._wake_r.recv(4096):
                            pass
            for worker in list(self._pool):
                self._drain(worker)
            self._check_deadlines()
            self._reap()
            if self._broken is not None:
                self._fail_pending(self._broken)
                self._ready_event.set()

    def _next_timeout(self) -> float:
        now = time.monotonic()
        timeout = 1.0
        for worker in self._pool:
            if worker.busy:
                timeout = min(timeout, max(0.0, worker.since + self.settings.wall_seconds - now))
            elif not worker.ready:
                timeout = min(timeout, max(0.0, worker.started + START_TIMEOUT_S - now))
        return max(timeout, 0.01)

    def _top_up(self) -> None:
        if self._broken is not None:
            return
        while len(self._pool) < self.workers:
            parent_conn, child_conn = self._ctx.Pipe(duplex=True)
            process = self._ctx.Process(
                target=_worker_main,
                args=(child_conn, self.settings, self._extract),
                name="newsflow-extract-worker",
                daemon=True,
            )
            process.start()
            child_conn.close()
            self._pool.append(_Worker(process, parent_conn))

    def _dispatch(self) -> None:
        idle = [w for w in self._pool if w.ready and not w.busy and not w.retiring]
        if not idle:
            return
        with self._lock:
            for worker in idle:
                while self._pending and self._pending[0].cancelled:
                    self._pending.popleft()
                if not self._pending:
                    break
                size = max(1, min(MAX_BATCH, len(self._pending) // len(self._pool)))
                batch: list[_Task] = []
                while self._pending and len(batch) < size:
                    task = self._pending.popleft()
                    if not task.cancelled:
                        batch.append(task)
                if not batch:
                    continue
                worker.batch.extend(batch)
                worker.since = time.monotonic()
                # a dead worker fails the send; _reap finds out and hands the batch on
                with contextlib.suppress(OSError, ValueError):
                    worker.conn.send([(t.task_id, t.html, t.url) for t in batch])

    def _drain(self, worker: _Worker) -> None:
        """Read every message the worker has sent."""
        try:
            while worker.conn.poll():
                message = worker.conn.recv()
                kind = message[0]
                if kind == "ready":
                    worker.ready = True
                    self._start_failures = 0
                elif kind == "result":
                    _, task_id, article = message
                    if worker.batch and worker.batch[0].task_id == task_id:
                        task = worker.batch.popleft()
                        worker.since = time.monotonic()
                        self._deliver(task, article)
                elif kind == "retire":
                    worker.retiring = True
        except (EOFError, OSError):
            pass  # the worker died; _reap handles it

    def _deliver(self, task: _Task, article: ExtractedArticle) -> None:
        task.html = b""  # free the page now, not when the caller drops the task
        if task.cancelled:
            return
        try:
            task.deliver(task.key, article)
        except Exception:  # a consumer's bug must not stop the pool
            log.exception("delivering an extraction result failed")

    def _check_deadlines(self) -> None:
        now = time.monotonic()
        for worker in self._pool:
            if worker.busy and now - worker.since > self.settings.wall_seconds:
                task = worker.batch.popleft()
                self._deliver(
                    task,
                    _failure(
                        Outcome.EXTRACT_TIMEOUT,
                        f"no result after {self.settings.wall_seconds:g} s (wall clock); "
                        "worker killed",
                    ),
                )
                worker.retiring = True  # the rest of its batch never started: no blame
                self._kill(worker)
            elif not worker.ready and now - worker.started > START_TIMEOUT_S:
                log.warning("extraction worker did not start within %s s", START_TIMEOUT_S)
                self._kill(worker)

    def _kill(self, worker: _Worker) -> None:
        with contextlib.suppress(Exception):
            worker.process.kill()
        worker.process.join(timeout=5)

    def _reap(self) -> None:
        for worker in list(self._pool):
            process = worker.process
            if process.is_alive() and not worker.retiring:
                continue
            if worker.retiring and process.is_alive():
                process.join(timeout=5)
                if process.is_alive():
                    self._kill(worker)
            self._drain(worker)  # results sent just before it exited
            self._pool.remove(worker)
            with contextlib.suppress(OSError):
                worker.conn.close()
            if not worker.ready:
                self._start_failures += 1
                if self._start_failures >= MAX_START_FAILURES:
                    self._broken = (
                        "extraction workers cannot start "
                        f"({_exit_reason(process.exitcode)}; memory limit "
                        f"{self.settings.memory_mb} MB)"
                    )
            elif worker.batch and not worker.retiring:
                # the page it was working on killed it; the rest go back to the queue
                task = worker.batch.popleft()
                self._deliver(task, self._death_article(process.exitcode))
            with self._lock:
                self._pending.extendleft(reversed(worker.batch))
            worker.batch.clear()
            if not process.is_alive():
                process.close()

    def _death_article(self, exitcode: int | None) -> ExtractedArticle:
        reason = _exit_reason(exitcode)
        if exitcode == -signal.SIGXCPU:
            return _failure(Outcome.EXTRACT_TIMEOUT, f"CPU time limit exceeded ({reason})")
        return _failure(Outcome.EXTRACT_FAILED, reason)

    def _fail_pending(self, reason: str) -> None:
        with self._lock:
            tasks = list(self._pending)
            self._pending.clear()
        for worker in self._pool:
            tasks.extend(worker.batch)
            worker.batch.clear()
        for task in tasks:
            self._deliver(task, _failure(Outcome.EXTRACT_FAILED, reason))

    def _shutdown(self) -> None:
        for worker in self._pool:
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(None)
        deadline = time.monotonic() + 5
        for worker in self._pool:
            worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                self._kill(worker)
            with contextlib.suppress(OSError):
                worker.conn.close()
        self._fail_pending(self._broken or "extraction pool closed")
        self._pool.clear()
        self._ready_event.set()


_FEEDER_DONE = object()
_NO_ARTICLE = ExtractedArticle(outcome=Outcome.EXTRACT_FAILED)
