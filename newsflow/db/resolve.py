"""One place that turns settings into a database URL (and a CLI connection to it).

Opening the connection itself is :func:`storage.connection.connect`'s; the CLI's
connections also get the session settings newsflow's commands rely on.
"""

from __future__ import annotations

import psycopg

from newsflow.settings import Settings, load
from storage.connection import connect as storage_connect


def resolve_database_url(settings: Settings | None = None, *, migrate: bool = True) -> str:
    """``NEWSFLOW_DATABASE_URL`` if set, else the embedded server (started on demand).

    With ``migrate`` the ``raw`` schema is brought up to date, so every entry
    point (CLI, Airflow task, test) can rely on it.
    """
    settings = settings or load()
    url = settings.database_url
    if not url:
        from newsflow.db.embedded import ensure_embedded_server

        url = ensure_embedded_server(settings.data_dir)
    if migrate:
        from newsflow.db.migrate import apply_migrations

        with storage_connect(url, autocommit=True) as conn:
            apply_migrations(conn)
    return url


def connect(url: str | None = None, **kwargs: object) -> psycopg.Connection:
    """A psycopg connection with the session settings newsflow relies on."""
    conn = storage_connect(url or resolve_database_url(), **kwargs)
    conn.execute("set timezone = 'UTC'")
    if not kwargs.get("autocommit"):
        conn.commit()
    return conn
