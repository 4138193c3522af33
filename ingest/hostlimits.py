"""Politeness and back-pressure per host: concurrency, pacing and ``Retry-After``.

One :class:`HostLimiter` is shared by every fetch of a client.  A request first
waits for a slot on its host (at most ``per_host_concurrency`` in flight, starts
spaced by the host's delay), then for a slot in the global pool
(``concurrency``).  The host slot comes first so that requests queued behind a
slow host do not hold global slots that other hosts could use.

``Retry-After`` from a 429 or 503 is remembered per host: until it passes,
:meth:`HostLimiter.retry_wait` tells the caller how long is left, so the
client answers ``rate_limited`` without touching the server.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

#: Longest ``Retry-After`` honoured; a server asking for more gets this much.
MAX_RETRY_AFTER_S = 24 * 3600.0
#: Back-off after a 429 that gives no ``Retry-After``.
DEFAULT_RETRY_AFTER_S = 60.0
#: Longest robots.txt ``Crawl-delay`` honoured (a larger one would stall a run).
MAX_CRAWL_DELAY_S = 10.0

HostKey = tuple[str, int]


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or HTTP-date), capped.

    Returns ``None`` when the header is missing or unreadable, ``0.0`` for a date
    in the past.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return min(float(text), MAX_RETRY_AFTER_S)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    delta = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(delta, 0.0), MAX_RETRY_AFTER_S)


@dataclass
class _HostState:
    slots: asyncio.Semaphore
    crawl_delay_s: float = 0.0
    next_start: float = 0.0
    blocked_until: float = 0.0
    users: int = 0


class HostLimiter:
    """Per-host concurrency, spacing between requests and ``Retry-After`` bookkeeping."""

    def __init__(
        self,
        *,
        per_host_concurrency: int,
        per_host_delay_s: float,
        concurrency: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_host_concurrency = max(1, per_host_concurrency)
        self.per_host_delay_s = max(0.0, per_host_delay_s)
        self._global = asyncio.Semaphore(max(1, concurrency))
        self._clock = clock
        self._hosts: dict[HostKey, _HostState] = {}

    def _state(self, key: HostKey) -> _HostState:
        state = self._hosts.get(key)
        if state is None:
            if len(self._hosts) > 20_000:
                self._prune()
            state = _HostState(asyncio.Semaphore(self.per_host_concurrency))
            self._hosts[key] = state
        return state

    def _prune(self) -> None:
        """Forget idle hosts with no pending back-off, so long runs do not grow without end."""
        now = self._clock()
        self._hosts = {
            k: s
            for k, s in self._hosts.items()
            if s.users or s.blocked_until > now or s.next_start > now or s.crawl_delay_s
        }

    # -- Retry-After ----------------------------------------------------------

    def retry_wait(self, key: HostKey) -> float | None:
        """Seconds left before ``key`` may be contacted again, or ``None``."""
        state = self._hosts.get(key)
        if state is None:
            return None
        left = state.blocked_until - self._clock()
        return left if left > 0 else None

    def note_retry_after(self, key: HostKey, seconds: float) -> None:
        if seconds <= 0:
            return
        state = self._state(key)
        state.blocked_until = max(state.blocked_until, self._clock() + seconds)

    # -- pacing ---------------------------------------------------------------

    def set_crawl_delay(self, key: HostKey, seconds: float | None) -> None:
        """Apply a robots.txt ``Crawl-delay`` (capped) when it exceeds the configured delay."""
        self._state(key).crawl_delay_s = min(max(seconds or 0.0, 0.0), MAX_CRAWL_DELAY_S)

    def delay_for(self, key: HostKey) -> float:
        state = self._hosts.get(key)
        crawl = state.crawl_delay_s if state else 0.0
        return max(self.per_host_delay_s, crawl)

    @asynccontextmanager
    async def slot(self, key: HostKey) -> AsyncIterator[None]:
        """Hold a host slot and a global slot for one request to ``key``."""
        state = self._state(key)
        state.users += 1
        try:
            async with state.slots:
                delay = max(self.per_host_delay_s, state.crawl_delay_s)
                if delay > 0:
                    # no await between reading and moving next_start: atomic in asyncio
                    now = self._clock()
                    start = max(now, state.next_start)
                    state.next_start = start + delay
                    if start > now:
                        await asyncio.sleep(start - now)
                async with self._global:
                    yield
        finally:
            state.users -= 1


__all__ = [
    "DEFAULT_RETRY_AFTER_S",
    "MAX_CRAWL_DELAY_S",
    "MAX_RETRY_AFTER_S",
    "HostKey",
    "HostLimiter",
    "parse_retry_after",
]
