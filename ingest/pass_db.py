"""Database connections of an ingest pass (UTC sessions, reused across feed steps)."""

from __future__ import annotations

import contextlib
import queue
from collections.abc import Iterator

import psycopg

from storage.connection import connect


def connect_utc(database_url: str) -> psycopg.Connection:
    """A connection whose session time zone is UTC (timestamps read back as UTC)."""
    conn = connect(database_url)
    conn.execute("set timezone = 'UTC'")
    conn.commit()
    return conn


class ConnectionPool:
    """Connections for the feed steps, which run in parallel worker threads.

    A connection is taken for one step and put back rolled back; one that
    failed or broke is closed instead.
    """

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self._idle: queue.LifoQueue[psycopg.Connection] = queue.LifoQueue()

    @contextlib.contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            conn = connect_utc(self.database_url)
        try:
            yield conn
        except BaseException:
            conn.close()
            raise
        if conn.closed or conn.broken:
            return
        conn.rollback()
        self._idle.put(conn)

    def close(self) -> None:
        while True:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                return
            with contextlib.suppress(Exception):
                conn.close()
