"""What one ingest pass shares between its stages: the summary, and the items on its queues.

The stages (:mod:`ingest.poll_stage`, :mod:`ingest.fetch_stage`,
:mod:`ingest.extract_stage`, :mod:`ingest.load_stage`) each own their own
state; what crosses from one to the next is one of the items below, put on an
explicit queue:

* poll → fetch: :class:`Pending` entries, routed into per-host page queues;
* fetch → extract: ``(key, body, url)`` on the extraction queue;
* extract → fetch: the article, handed back on the event loop;
* fetch → load: :class:`Extracted`, :class:`Failed`, :class:`Link` and robots.txt
  :class:`~storage.fetch_log.FetchLogRow` on the load queue.

:data:`DONE` closes a queue.
"""

from __future__ import annotations

import contextlib
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from ingest.options import IngestConfig
from ingest.records import ExtractedArticle, FetchResult
from ingest.urls import host_of
from storage.feed_entries import EntryRef
from storage.fetch_log import FetchLogRow

Progress = Callable[[str, int, int], None]

#: Closes a queue between two stages.
DONE = object()


@dataclass
class IngestSummary:
    """What one pass did; ``to_dict`` is what ``raw.runs.counts`` and ``--json`` hold.

    ``outcomes`` counts the feed and page fetches of the pass by outcome code
    (``ok``, ``not_modified``, ``timeout``, ``extract_failed``...); robots.txt
    fetches are counted as ``robots:<outcome>``.
    """

    run_id: str
    feeds_polled: int = 0
    feeds_failed: int = 0
    feeds_not_modified: int = 0
    entries_new: int = 0
    #: feed items not stored as entries (repeats, items with nothing to key them by);
    #: per feed and reason in ``raw.fetch_log.entries_skipped``
    entries_skipped: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    duplicates_exact: int = 0
    duplicates_near: int = 0
    pages_failed: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    pages_fetched: int = 0
    entries_linked: int = 0
    seconds: float = 0.0
    #: where the time went: ``feeds`` (wall time until every feed was recorded),
    #: ``fetch_busy`` (summed page download time; downloads overlap),
    #: ``load_busy`` (loader thread: gzip, MinHash, COPY and merge)
    stage_seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["outcomes"] = dict(sorted(self.outcomes.items()))
        data["seconds"] = round(self.seconds, 3)
        data["stage_seconds"] = {k: round(v, 3) for k, v in sorted(self.stage_seconds.items())}
        return data

    @property
    def partial_failure(self) -> bool:
        return self.feeds_failed > 0 or self.pages_failed > 0


def new_run_id(stage: str = "ingest") -> str:
    return f"{stage}-{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


@dataclass
class PassContext:
    """The pass-wide values every stage reads, and the counters they add to.

    ``summary`` fields are each written by one stage only; ``outcomes`` only
    on the event loop.
    """

    run_id: str
    now: datetime
    config: IngestConfig
    summary: IngestSummary
    progress: Progress | None = None
    outcomes: Counter[str] = field(default_factory=Counter)

    def report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            with contextlib.suppress(Exception):
                self.progress(stage, done, total)

    def fetch_row(
        self,
        result: FetchResult,
        kind: str,
        feed_id: int | None,
        outcome: str | None = None,
        error: str | None = None,
    ) -> FetchLogRow:
        """The fetch-log row of one fetch of this pass."""
        return FetchLogRow(
            kind=kind,
            url=result.url,
            outcome=outcome or str(result.outcome),
            fetched_at=datetime.now(UTC),
            run_id=self.run_id,
            final_url=result.final_url,
            host=host_of(result.final_url or result.url) or None,
            feed_id=feed_id,
            status=result.status,
            bytes=len(result.body),
            duration_ms=result.duration_ms,
            error=error if error is not None else result.error,
        )


@dataclass(frozen=True)
class Pending:
    """A ``pending``/``failed`` entry, as the router needs it."""

    ref: EntryRef
    canonical_url: str | None
    title: str | None
    published_at: datetime | None
    authors: tuple[str, ...]
    exists: bool  # the canonical URL is already an article


@dataclass
class PageJob:
    """One canonical URL to download in this pass, and the entries waiting for it."""

    key: int
    canonical_url: str
    entries: list[EntryRef]
    feed_id: int
    title: str | None = None  # the entry's, when the page has none
    published_at: datetime | None = None
    authors: tuple[str, ...] = ()
    state: str = "queued"  # queued -> fetching -> extracting -> handed (to the loader)
    result: FetchResult | None = None


@dataclass
class Extracted:
    """fetch → load: a page with its article."""

    job: PageJob
    article: ExtractedArticle


@dataclass
class Failed:
    """fetch → load: a page without an article, and why."""

    job: PageJob
    fetch: FetchLogRow
    retry_after_s: float | None = None


@dataclass
class Link:
    """fetch → load: entries whose URL was (or is being) downloaded for another entry."""

    canonical_url: str
    refs: list[EntryRef]


def host_key(url: str) -> str:
    """scheme://host:port, the unit of the client's politeness limits."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2].lower()}"
