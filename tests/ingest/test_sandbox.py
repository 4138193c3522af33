"""The extraction pool: limits hold, a misbehaving worker costs one page, the pool carries on.

Misbehaviour is injected by giving the pool the extract function of
:mod:`tests.ingest.misbehave` (pages whose URL asks for it), so the real worker
code path runs.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.extraction_settings import ExtractionSettings
from ingest.records import Outcome
from ingest.sandbox import ExtractionPool
from tests.ingest.misbehave import extract_or_misbehave, url

PAGES = Path(__file__).parent / "resources" / "pages"
GOOD = [
    (PAGES / name).read_bytes()
    for name in ("world_desk_article.html", "time_element.html", "jsonld_only.html")
]


def good_items(prefix: str, n: int) -> list[tuple[str, bytes, str | None]]:
    return [(f"{prefix}{i}", GOOD[i % len(GOOD)], None) for i in range(n)]


def test_pages_come_back_keyed_and_complete() -> None:
    settings = ExtractionSettings(workers=2)
    with ExtractionPool(settings=settings) as pool:
        results = dict(pool.extract_many(good_items("p", 12)))
    assert sorted(results) == sorted(f"p{i}" for i in range(12))
    assert all(a.outcome is Outcome.OK for a in results.values())
    assert results["p0"].title == "Flood Barrier Vote Delayed as Council Seeks Second Opinion"
    assert results["p1"].published_at is not None


def test_cpu_memory_and_crash_each_cost_one_page() -> None:
    settings = ExtractionSettings(workers=2, cpu_seconds=1, memory_mb=768, wall_seconds=60)
    with ExtractionPool(settings=settings, extract=extract_or_misbehave) as pool:
        items = [
            ("__test__:cpu", GOOD[0], url("cpu")),
            *good_items("a", 4),
            ("__test__:memory", GOOD[0], url("memory")),
            *good_items("b", 4),
            ("__test__:crash", GOOD[0], url("crash")),
            *good_items("c", 4),
        ]
        results = dict(pool.extract_many(items))
        cpu, memory, crash = (
            results["__test__:cpu"],
            results["__test__:memory"],
            results["__test__:crash"],
        )
        assert cpu.outcome is Outcome.EXTRACT_TIMEOUT and "CPU time" in (cpu.error or "")
        assert memory.outcome is Outcome.EXTRACT_TOO_LARGE and "memory" in (memory.error or "")
        assert crash.outcome is Outcome.EXTRACT_FAILED and "status 3" in (crash.error or "")
        for article in (cpu, memory, crash):
            assert article.text == "" and article.extractor_version
        others = {k: v for k, v in results.items() if not k.startswith("__test__")}
        assert len(others) == 12 and all(a.outcome is Outcome.OK for a in others.values())
        # the replaced workers keep serving
        again = dict(pool.extract_many(good_items("d", 4)))
        assert all(a.outcome is Outcome.OK for a in again.values())


def test_wall_clock_limit_kills_a_stuck_worker() -> None:
    settings = ExtractionSettings(workers=1, cpu_seconds=30, wall_seconds=1.5)
    with ExtractionPool(settings=settings, extract=extract_or_misbehave) as pool:
        assert pool.wait_ready(timeout=120)
        results = dict(
            pool.extract_many([("__test__:hang", GOOD[0], url("hang")), *good_items("x", 2)])
        )
    hang = results["__test__:hang"]
    assert hang.outcome is Outcome.EXTRACT_TIMEOUT and "wall clock" in (hang.error or "")
    assert results["x0"].outcome is Outcome.OK and results["x1"].outcome is Outcome.OK


def test_the_default_extract_function_only_extracts() -> None:
    with ExtractionPool(settings=ExtractionSettings(workers=1)) as pool:
        results = dict(pool.extract_many([("__test__:crash", GOOD[0], url("crash"))]))
    assert results["__test__:crash"].outcome is Outcome.OK


def test_input_is_read_lazily_and_its_errors_surface() -> None:
    gate = threading.Event()

    def trickle() -> Iterator[tuple[str, bytes, str | None]]:
        yield "first", GOOD[0], None
        gate.wait(timeout=60)  # like the pipeline's queue: nothing more until later
        yield "second", GOOD[1], None
        raise RuntimeError("feed broke")

    with ExtractionPool(settings=ExtractionSettings(workers=1)) as pool:
        stream = pool.extract_many(trickle())
        key, article = next(stream)  # arrives before the input is exhausted
        assert key == "first" and article.outcome is Outcome.OK
        gate.set()
        key, article = next(stream)
        assert key == "second"
        with pytest.raises(RuntimeError, match="feed broke"):
            next(stream)


def test_async_extract_and_close() -> None:
    pool = ExtractionPool(settings=ExtractionSettings(workers=1))

    async def main() -> list[object]:
        return await asyncio.gather(
            pool.extract("a", GOOD[0], None), pool.extract("b", b"<html></html>", None)
        )

    try:
        first, second = asyncio.run(main())
    finally:
        pool.close()
    assert first.outcome is Outcome.OK  # type: ignore[attr-defined]
    assert second.outcome is Outcome.EMPTY_ARTICLE  # type: ignore[attr-defined]
    # a closed pool answers instead of hanging
    late = dict(pool.extract_many([("late", GOOD[0], None)]))
    assert late["late"].outcome is Outcome.EXTRACT_FAILED


def test_pages_too_large_never_reach_a_worker() -> None:
    settings = ExtractionSettings(workers=1, max_html_bytes=10_000)
    started = time.monotonic()
    with ExtractionPool(settings=settings) as pool:
        results = dict(pool.extract_many([("big", b"<p>x</p>" * 5000, None)]))
    assert results["big"].outcome is Outcome.EXTRACT_TOO_LARGE
    assert time.monotonic() - started < 600  # sanity only; no timing assertion
