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
from urllib.parse import quote, unquote, urlencode, urlsplit

from newsflow.db.url import build_url, url_params
from storage.connection import connect

__all__ = [
    "CONN_ENV",
    "CONN_ID",
    "ConnectionLike",
    "airflow_connection_env",
    "airflow_connection_uri",
    "connection_params",
    "database_url_from_connection",
    "task_database_url",
]

CONN_ID = "newsflow_db"
CONN_ENV = "AIRFLOW_CONN_NEWSFLOW_DB"


class ConnectionLike(Protocol):
    """The fields of an Airflow ``Connection`` this module reads."""

    host: str | None
    port: int | None
    login: str | None
    password: str | None
    schema: str | None

    @property
    def extra_dejson(self) -> dict[str, Any]: ...


#: libpq keywords that are fields of an Airflow connection; every other one is an extra.
_FIELDS = {
    "host": "host",
    "port": "port",
    "user": "login",
    "password": "password",
    "dbname": "schema",
}


def airflow_connection_uri(database_url: str) -> str:
    """The Airflow connection URI (``postgres://...``) for a PostgreSQL URL.

    Whatever the URL says (see :func:`newsflow.db.url.url_params`): no
    password, a password, a Unix socket (percent-encoded in the host, where
    Airflow keeps it verbatim), ``sslmode``, ``options`` and any other libpq
    keyword (the connection's extras, which Airflow reads back from the query).
    """
    params = url_params(database_url)
    auth = ""
    if "user" in params or "password" in params:
        auth = quote(params.pop("user", ""), safe="")
        if "password" in params:
            auth += ":" + quote(params.pop("password"), safe="")
        auth += "@"
    host = params.pop("host", "")
    netloc = auth + quote(host, safe="")
    if "port" in params:
        netloc += ":" + params.pop("port")
    uri = f"postgres://{netloc}/{quote(params.pop('dbname', ''), safe='')}"
    if params:
        uri += "?" + urlencode(params, quote_via=quote)
    return uri


def airflow_connection_env(database_url: str) -> dict[str, str]:
    """``{"AIRFLOW_CONN_NEWSFLOW_DB": uri}`` for an environment dict."""
    return {CONN_ENV: airflow_connection_uri(database_url)}


def connection_params(conn: ConnectionLike) -> dict[str, str]:
    """libpq keywords of an Airflow connection: its fields, then its extras."""
    params: dict[str, str] = {}
    for key, attr in _FIELDS.items():
        value = getattr(conn, attr, None)
        if value not in (None, ""):
            params[key] = unquote(str(value)) if key == "host" else str(value)
    for key, value in (conn.extra_dejson or {}).items():
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            params.setdefault(str(key), str(value))
    return params


def database_url_from_connection(conn: ConnectionLike) -> str:
    """A ``postgresql://`` URL (psycopg, dbt) from an Airflow connection."""
    return build_url(connection_params(conn))


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
        from newsflow.db.migrate import apply_migrations

        with connect(url, autocommit=True) as conn:
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
