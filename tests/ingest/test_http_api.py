"""The public surface of ingest.http: names, fetch_sync, the replay double, Retry-After."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

import ingest.http
from ingest.hostlimits import MAX_RETRY_AFTER_S, HostLimiter, parse_retry_after
from ingest.http import Fetcher, fetch_sync
from ingest.records import FetchResult, Outcome
from tests.ingest import hostile
from tests.ingest.replay import ReplayClient
from tests.ingest.test_http_support import run, settings


def test_public_api_is_stable() -> None:
    """Other stages code against these names; change them only on purpose."""
    assert sorted(ingest.http.__all__) == sorted(
        [
            "ACCEPT_ENCODING",
            "FetchResult",
            "Fetcher",
            "HttpOptions",
            "Kind",
            "Outcome",
            "RobotsObserver",
            "SafeHttpClient",
            "fetch_sync",
        ]
    )
    for name in ingest.http.__all__:
        assert hasattr(ingest.http, name)


def test_fetch_sync_uses_the_options_it_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    with hostile.serve({"/feed.xml": hostile.respond(b"<rss/>")}) as server:
        # the library never reads the environment: the defaults guard loopback
        monkeypatch.setenv("NEWSFLOW_ALLOWED_HOSTS", "127.0.0.1")
        refused = fetch_sync(server.url("/feed.xml"), kind="feed")
        allowed = fetch_sync(server.url("/feed.xml"), kind="feed", options=settings())
    assert refused.outcome is Outcome.BLOCKED_SSRF
    assert allowed.outcome is Outcome.OK and allowed.body == b"<rss/>"


def test_fetch_sync_works_inside_a_running_loop() -> None:
    with hostile.serve({"/f": hostile.respond(b"<rss/>")}) as server:

        async def inside() -> FetchResult:
            return fetch_sync(server.url("/f"), kind="feed", options=settings())

        result = asyncio.run(inside())
    assert result.ok


def test_replay_client() -> None:
    recorded = FetchResult(
        "https://n.example/feed",
        "https://n.example/feed",
        Outcome.OK,
        200,
        {"etag": '"e1"'},
        b"<rss/>",
    )
    replay = ReplayClient({recorded.url: recorded, "https://n.example/a": b"<html>a</html>"})
    fetcher: Fetcher = replay  # the double satisfies the protocol the stages code against
    assert fetcher is replay

    async def go() -> list[FetchResult]:
        async with replay as c:
            return [
                await c.fetch("https://n.example/feed", kind="feed"),
                await c.fetch("https://n.example/feed", kind="feed", etag='"e1"'),
                await c.fetch("https://n.example/a", kind="page"),
                await c.fetch("https://n.example/a", kind="page", max_bytes=3),
                await c.fetch("https://n.example/missing", kind="page"),
            ]

    feed, cached, page, big, missing = run(go())
    assert feed is recorded
    assert cached.outcome is Outcome.NOT_MODIFIED and cached.body == b""
    assert page.ok and page.body == b"<html>a</html>"
    assert big.outcome is Outcome.TOO_LARGE
    assert missing.outcome is Outcome.NOT_FOUND
    assert replay.calls[0] == ("feed", "https://n.example/feed")


def test_parse_retry_after() -> None:
    now = datetime(2024, 12, 2, 22, 35, tzinfo=UTC)
    assert parse_retry_after("120") == 120
    assert parse_retry_after(" 0 ") == 0
    assert parse_retry_after("Mon, 02 Dec 2024 22:36:00 GMT", now) == 60
    assert parse_retry_after("Mon, 02 Dec 2024 22:00:00 GMT", now) == 0
    assert parse_retry_after("99999999") == MAX_RETRY_AFTER_S
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-5") is None
    assert parse_retry_after(None) is None


def test_limiter_bookkeeping_with_a_fake_clock() -> None:
    clock = [100.0]
    limiter = HostLimiter(
        per_host_concurrency=1, per_host_delay_s=0.0, concurrency=4, clock=lambda: clock[0]
    )
    key = ("news.example", 443)
    assert limiter.retry_wait(key) is None
    limiter.note_retry_after(key, 30)
    assert limiter.retry_wait(key) == 30
    clock[0] += 29
    assert limiter.retry_wait(key) == pytest.approx(1)
    clock[0] += 2
    assert limiter.retry_wait(key) is None
    limiter.set_crawl_delay(key, 500)
    assert limiter.delay_for(key) == 10  # capped
    assert limiter.delay_for(("other.example", 80)) == 0
