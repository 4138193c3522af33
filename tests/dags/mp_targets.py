"""Process targets for the multiprocessing tests (importable by name from spawned children)."""

from __future__ import annotations

from typing import Any


def square(x: int) -> int:
    return x * x


def start_pool_in_daemon(result: Any, allowed: bool) -> None:
    """Run in a daemonic (billiard) process, as Celery's prefork pool runs tasks."""
    import multiprocessing
    from contextlib import nullcontext

    from newsflow.orchestration.tasks import child_processes_allowed

    context = child_processes_allowed() if allowed else nullcontext()
    try:
        with context:
            ctx = multiprocessing.get_context("spawn")
            with ctx.Pool(1) as pool:
                result.put(("ok", pool.apply(square, (7,))))
    except Exception as exc:  # reported to the test
        result.put(("error", f"{type(exc).__name__}: {exc}"))
