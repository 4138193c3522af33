"""One database for the CLI and Airflow: ``NEWSFLOW_DATABASE_URL`` <-> ``newsflow_db``.

Airflow reads connections from ``AIRFLOW_CONN_<ID>`` variables, so the local
launcher and docker-compose derive ``AIRFLOW_CONN_NEWSFLOW_DB`` from the same
URL the CLI uses (:func:`airflow_connection_env`).  Tasks turn the connection
back into a URL (:func:`task_database_url`); Cosmos builds dbt's profile from
the same connection.  Nothing here holds a secret: the password travels in the
environment only.
"""

from __future__ import annotations

from typing import Any, Protocol
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

__all__ = [
    "CONN_ENV",
    "CONN_ID",
    "ConnectionLike",
    "airflow_connection_env",
    "airflow_connection_uri",
    "database_url_from_connection",
    "task_database_url",
]

CONN_ID = "newsflow_db"
CONN_ENV = "AIRFLOW_CONN_NEWSFLOW_DB"

_SCHEMES = {"postgres", "postgresql"}


class ConnectionLike(Protocol):
    """The fields of an Airflow ``Connection`` this module reads."""

    host: str | None
    port: int | None
    login: str | None
    password: str | None
    schema: str | None

    @property
    def extra_dejson(self) -> dict[str, Any]: ...


def _split(database_url: str) -> tuple[Any, dict[str, str]]:
    parts = urlsplit(database_url)
    scheme = parts.scheme.split("+", 1)[0]
    if scheme not in _SCHEMES:
        raise ValueError(f"not a PostgreSQL URL: {parts.scheme!r}")
    return parts, dict(parse_qsl(parts.query, keep_blank_values=False))


def airflow_connection_uri(database_url: str) -> str:
    """The Airflow connection URI (``postgres://...``) for a PostgreSQL URL.

    Accepts ``postgresql://``, ``postgres://`` and ``postgresql+psycopg://``;
    query parameters (``sslmode`` ...) become the connection's extras, which
    Airflow reads back from the URI's query string.
    """
    parts, query = _split(database_url)
    netloc = parts.netloc
    if not parts.hostname and "host" in query:
        # psycopg allows ?host=/socket/dir; Airflow wants the host in the netloc.
        host = query.pop("host")
        auth = netloc
        netloc = (auth + "@" if auth else "") + quote(host, safe="")
    uri = f"postgres://{netloc}{parts.path}"
    if query:
        uri += "?" + urlencode(query)
    return uri


def airflow_connection_env(database_url: str) -> dict[str, str]:
    """``{"AIRFLOW_CONN_NEWSFLOW_DB": uri}`` for an environment dict."""
    return {CONN_ENV: airflow_connection_uri(database_url)}


def database_url_from_connection(conn: ConnectionLike) -> str:
    """A ``postgresql://`` URL (psycopg, dbt) from an Airflow connection."""
    auth = ""
    if conn.login:
        auth = quote(conn.login, safe="")
        if conn.password:
            auth += ":" + quote(conn.password, safe="")
        auth += "@"
    host = unquote(conn.host or "127.0.0.1")
    query: dict[str, str] = {}
    if host.startswith("/"):  # a Unix socket directory goes in the query string
        query["host"] = host
        hostport = ""
    else:
        hostport = host + (f":{conn.port}" if conn.port else "")
    for key, value in (conn.extra_dejson or {}).items():
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            query[str(key)] = str(value)
    url = f"postgresql://{auth}{hostport}/{quote(conn.schema or 'postgres', safe='')}"
    if query:
        url += "?" + urlencode(query)
    return url


def task_database_url(*, migrate: bool = False) -> str:
    """The warehouse URL inside a running Airflow task.

    The ``newsflow_db`` connection when Airflow knows it (docker-compose, the
    local launcher); else the CLI's resolution (``NEWSFLOW_DATABASE_URL`` or
    the embedded server), so a bare ``airflow standalone`` still works.  With
    ``migrate`` the raw schema is brought up to date first (planning tasks do,
    so a fresh deployment needs no separate step).
    """
    url = _connection_url()
    if url is None:
        from newsflow.db import resolve_database_url

        return resolve_database_url(migrate=migrate)
    if migrate:
        import psycopg

        from newsflow.db.migrate import apply_migrations

        with psycopg.connect(url, autocommit=True) as conn:
            apply_migrations(conn)
    return url


def _connection_url() -> str | None:
    from airflow.sdk import BaseHook
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        conn = BaseHook.get_connection(CONN_ID)
    except AirflowNotFoundException:
        return None
    return database_url_from_connection(conn)


def describe(database_url: str) -> str:
    """The URL without its password, for logs and messages."""
    parts = urlsplit(database_url)
    if parts.password is None:
        return database_url
    netloc = parts.netloc.replace(":" + parts.password + "@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()
