"""One place that turns settings into a database URL and a connection."""

from __future__ import annotations

import psycopg

from newsflow.settings import Settings, load


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

        with psycopg.connect(url, autocommit=True) as conn:
            apply_migrations(conn)
    return url


def connect(url: str | None = None, **kwargs: object) -> psycopg.Connection:
    """A psycopg connection with the session settings newsflow relies on."""
    conn = psycopg.connect(url or resolve_database_url(), **kwargs)  # type: ignore[arg-type]
    conn.execute("set timezone = 'UTC'")
    if not kwargs.get("autocommit"):
        conn.commit()
    return conn
