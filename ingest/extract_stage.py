"""The extraction stage of an ingest pass: a thread between the extraction queue and the pool.

It feeds ``(key, body, url)`` items from the queue to
:meth:`ingest.sandbox.ExtractionPool.extract_many` (worker processes with CPU
and memory caps) and hands each article back to the event loop.  If the
thread dies, the loop is told (``on_broken``) so that no page waits forever;
the error is raised by the pass when it ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any

from ingest.pass_items import DONE
from ingest.records import ExtractedArticle

log = logging.getLogger(__name__)


class ExtractionStage:
    def __init__(self, pool: Any, extract_q: queue.Queue[Any]) -> None:
        self.pool = pool
        self.extract_q = extract_q
        self.error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._deliver: Callable[[int, ExtractedArticle], None] | None = None
        self._on_broken: Callable[[], None] | None = None
        self._thread = threading.Thread(target=self._main, name="newsflow-extract", daemon=True)

    def deliver_to(
        self,
        loop: asyncio.AbstractEventLoop,
        deliver: Callable[[int, ExtractedArticle], None],
        on_broken: Callable[[], None],
    ) -> None:
        """Where the articles go: ``deliver(key, article)`` called on ``loop``.

        Set before the first page is queued (pages are queued from that loop).
        """
        self._loop, self._deliver, self._on_broken = loop, deliver, on_broken

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Close the queue and wait for the thread (it finishes the queued pages)."""
        self.extract_q.put(DONE)
        self._thread.join()

    def _inputs(self) -> Iterator[tuple[int, bytes, str]]:
        while True:
            item = self.extract_q.get()
            if item is DONE:
                return
            yield item

    def _main(self) -> None:
        try:
            for key, article in self.pool.extract_many(self._inputs()):
                assert self._loop is not None and self._deliver is not None
                self._loop.call_soon_threadsafe(self._deliver, key, article)
        except BaseException as exc:  # surfaced by the pass; the loop must not wait forever
            log.exception("extraction thread failed")
            self.error = exc
            if self._loop is not None and self._on_broken is not None:
                with contextlib.suppress(RuntimeError):
                    self._loop.call_soon_threadsafe(self._on_broken)
