"""Fail fast, say why: a task failure retries cannot cure ends the run at once.

Every DAG retries its tasks with exponential back-off (60 s, doubling): right
for a restarted server or a refused connection, minutes wasted for a wrong
password, a database that does not exist, a missing relation, a dbt
compilation error or a bad setting.  :func:`fail_fast` wraps every task of a
DAG (Cosmos' dbt tasks too): when the exception (or one it was raised from)
is :func:`permanent`, the task fails with ``AirflowFailException`` (no retry)
and a message that starts with the cause; anything else keeps its retries.

Either way the task leaves the first lines of its error in XCom
(``newsflow_error``), so ``newsflow run`` and ``newsflow demo`` can print the
failing task and why without digging in the task logs
(:mod:`newsflow.orchestration.local`).  With Cosmos' watcher mode one task
(the producer) runs ``dbt build`` and one sensor per model reports its state:
a sensor whose producer failed for a permanent cause fails at once too,
instead of retrying its model on its own.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["ERROR_XCOM_KEY", "error_summary", "fail_fast", "permanent"]

ERROR_XCOM_KEY = "newsflow_error"
#: the cause of a permanent failure: Cosmos' per-model watchers read their producer's
PERMANENT_XCOM_KEY = "newsflow_permanent"
#: lines and characters of an error kept for the run report
SUMMARY_LINES = 6
SUMMARY_CHARS = 800

#: Transient whatever else the message says: the server is away for now.
_TRANSIENT = re.compile(
    r"connection refused|could not connect to server|is the server running"
    r"|server closed the connection|terminating connection due to administrator"
    r"|the database system is (starting up|shutting down|in recovery)"
    r"|connection (timed out|reset)|timeout expired|no route to host"
    r"|could not receive data from server|consuming input failed|SSL SYSCALL error",
    re.IGNORECASE,
)
#: (pattern, cause) of failures no retry can cure, checked in order.
_PERMANENT: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), cause)
    for pattern, cause in (
        (
            r"password authentication failed|authentication failed for user"
            r"|no pg_hba\.conf entry|fe_sendauth: no password supplied"
            r'|role "[^"]*" does not exist|peer authentication failed',
            "the database refused the login",
        ),
        (r'database "[^"]*" does not exist', "the database does not exist"),
        (r"permission denied", "the database user lacks a privilege"),
        (
            r"(relation|column|schema|function|type) \S+ does not exist",
            "a relation the task needs is missing",
        ),
        (r"compilation error|parsing error|syntax error", "dbt cannot compile the project"),
        (r"failure in test|got \d+ results?, configured to fail", "a data test failed"),
        (r"env var required but not provided", "a setting is missing"),
    )
)
#: SQLSTATE classes no retry cures: auth (28), catalog (3D), schema (3F), SQL (42).
_PERMANENT_SQLSTATE = {
    "28": "the database refused the login",
    "3D": "the database does not exist",
    "3F": "a schema the task needs is missing",
    "42": "a relation the task needs is missing or the SQL is wrong",
}


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _type_cause(exc: BaseException) -> str | None:
    from newsflow.orchestration.cosmos_config import ManifestMissingError
    from newsflow.settings import SettingsError

    if isinstance(exc, SettingsError | ManifestMissingError):
        return "the configuration is invalid"
    if isinstance(exc, ImportError | SyntaxError | NameError | AttributeError | TypeError):
        return "the code cannot run (a bug or a broken installation)"
    from newsflow.db.url import DatabaseURLError

    if isinstance(exc, DatabaseURLError):
        return "the database URL is invalid"
    sqlstate = getattr(exc, "sqlstate", None)
    if isinstance(sqlstate, str) and sqlstate[:2] in _PERMANENT_SQLSTATE:
        return _PERMANENT_SQLSTATE[sqlstate[:2]]
    return None


def permanent(exc: BaseException) -> str | None:
    """The cause when retrying cannot cure ``exc``; ``None`` for a transient failure.

    Exception types and SQLSTATEs decide first; a dbt failure (Cosmos raises
    it with dbt's messages) is judged by its text.  A message that says the
    server is unreachable is always transient; an unknown failure too.
    """
    chain = list(_chain(exc))
    text = "\n".join(str(e) for e in chain)
    if _TRANSIENT.search(text):
        return None
    for item in chain:
        cause = _type_cause(item)
        if cause:
            return cause
    for pattern, cause in _PERMANENT:
        if pattern.search(text):
            return cause
    return None


def error_summary(exc: BaseException) -> str:
    """The first lines of an error, for a report (``Type: message``)."""
    lines = [line.rstrip() for line in str(exc).splitlines() if line.strip()]
    text = "\n".join(lines[:SUMMARY_LINES]) or type(exc).__name__
    if not text.startswith(type(exc).__name__):
        text = f"{type(exc).__name__}: {text}"
    return text[:SUMMARY_CHARS]


def _record(context: dict[str, Any], text: str, *, cause: str | None = None) -> None:
    ti = context.get("ti") or context.get("task_instance")
    if ti is None:
        return
    # Should the push fail, the report loses a line; the task still fails with its own error.
    with contextlib.suppress(Exception):
        ti.xcom_push(key=ERROR_XCOM_KEY, value=text)
        if cause:
            ti.xcom_push(key=PERMANENT_XCOM_KEY, value=cause)


def _producer_cause(task: Any, context: dict[str, Any]) -> str | None:
    """The permanent cause a Cosmos watcher's producer (the one ``dbt build``) failed with."""
    producer = getattr(task, "producer_task_id", None)
    ti = context.get("ti")
    if not producer or ti is None:
        return None
    with contextlib.suppress(Exception):
        value = ti.xcom_pull(task_ids=producer, key=PERMANENT_XCOM_KEY)
        return str(value) if value else None
    return None


def _guard(task: Any, name: str) -> Callable[..., Any]:
    """``task.<name>`` wrapped: a permanent failure becomes ``AirflowFailException``.

    The task runner executes a copy of the parsed task (``prepare_for_execution``:
    templates rendered, XCom arguments resolved, the executor safeguard set for
    the copy), so the method called is looked up on the task in the context,
    not on the one this wrapper was made for.
    """
    from airflow.sdk.exceptions import AirflowFailException

    def guarded(*args: Any, **kwargs: Any) -> Any:
        context = _context(args, kwargs)
        current = context.get("task") if context else None
        target = current if isinstance(current, type(task)) else task
        method = getattr(type(target), name).__get__(target)
        try:
            return method(*args, **kwargs)
        except AirflowFailException as exc:
            _record(context, error_summary(exc))
            raise
        except Exception as exc:
            summary = error_summary(exc)
            cause = permanent(exc) or _producer_cause(target, context)
            if cause is None:
                _record(context, summary)
                raise
            message = f"{cause} (not retried): {summary}"
            _record(context, message, cause=cause)
            raise AirflowFailException(message) from exc

    functools.update_wrapper(guarded, getattr(type(task), name))
    guarded.__newsflow_fail_fast__ = True  # type: ignore[attr-defined]
    return guarded


def _context(args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    context = kwargs.get("context")
    if context is None and args:
        context = args[0]
    return context if isinstance(context, dict) or hasattr(context, "get") else {}


def fail_fast(dag: Any) -> Any:
    """Wrap ``execute`` (and a deferred task's ``execute_complete``) of every task of ``dag``.

    Call it on the DAG object at the end of a DAG file; it returns the DAG.
    Only attribute lookups happen here: nothing is imported or run at parse time
    beyond Airflow itself.
    """
    for task in dag.tasks:
        for name in ("execute", "execute_complete"):
            method = getattr(task, name, None)
            if method is None or getattr(method, "__newsflow_fail_fast__", False):
                continue
            object.__setattr__(task, name, _guard(task, name))
    return dag
