"""One place that opens a database connection, with newsflow's defaults.

Every caller (the application, the DAG tasks, the benchmarks, the libraries'
entry points) opens its connections here, so a default that all of them need
(today: none beyond psycopg's own; a statement timeout or an application name
tomorrow) is added once.
"""

from __future__ import annotations

from typing import Any

import psycopg

__all__ = ["connect"]


def connect(url: str, **kwargs: Any) -> psycopg.Connection[Any]:
    """``psycopg.connect(url, **kwargs)``: use it as a context manager (commits on success)."""
    return psycopg.connect(url, **kwargs)
