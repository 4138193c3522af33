"""Shared bits for the HTTP client tests (no tests here): fast options, one-shot runners."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from ingest.http import HttpOptions, SafeHttpClient
from ingest.records import FetchResult

T = TypeVar("T")


def settings(**overrides: Any) -> HttpOptions:
    """Small deadlines and caps so hostile cases finish fast; 127.0.0.1 allowed."""
    values: dict[str, Any] = {
        "allowed_hosts": ("127.0.0.1",),
        "http_timeout_s": 1.5,
        "connect_timeout_s": 1.0,
        "max_page_bytes": 1 << 20,
        "max_feed_bytes": 1 << 20,
        "max_robots_bytes": 64 * 1024,
        "per_host_concurrency": 4,
    }
    values.update(overrides)
    return HttpOptions(**values)


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def client(s: HttpOptions | None = None, **kw: Any) -> SafeHttpClient:
    return SafeHttpClient(s or settings(), **kw)


def fetch(url: str, kind: str = "page", s: HttpOptions | None = None, **kw: Any) -> FetchResult:
    """One fetch with a fresh client (fine for tests; production code shares one client)."""

    async def go() -> FetchResult:
        async with client(s) as c:
            return await c.fetch(url, kind=kind, **kw)  # type: ignore[arg-type]

    return run(go())


def fetch_many(
    urls: list[str], kind: str = "page", s: HttpOptions | None = None
) -> list[FetchResult]:
    """Several fetches, one after the other, through one client (shared caches)."""

    async def go() -> list[FetchResult]:
        async with client(s) as c:
            return [await c.fetch(u, kind=kind) for u in urls]  # type: ignore[arg-type]

    return run(go())
