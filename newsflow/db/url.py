"""A PostgreSQL URL as libpq reads it: one parser for the CLI, dbt and Airflow.

A URL can say the same thing in several ways (``user:pw@host`` or
``?user=...&password=...``, a Unix socket as ``?host=/run/postgresql`` or as a
percent-encoded host, ``postgresql+psycopg://`` for SQLAlchemy).  libpq's own
parser (through psycopg) turns any of them into the same keyword dict, so
everything derived from the URL (dbt's profile, the Airflow connection) carries
exactly what the URL says, password or not.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode, urlsplit

import psycopg

__all__ = ["SCHEMES", "DatabaseURLError", "build_url", "url_params"]

SCHEMES = {"postgres", "postgresql"}


class DatabaseURLError(ValueError):
    """The database URL is not one newsflow can use (a configuration error)."""


def url_params(database_url: str) -> dict[str, str]:
    """libpq's keywords of a PostgreSQL URL (``host``, ``port``, ``user``, ``password``, ...).

    Only what the URL names is returned (no libpq defaults); values are decoded.
    Raises :class:`DatabaseURLError` for another scheme or a URL libpq rejects.
    """
    parts = urlsplit(database_url)
    scheme = parts.scheme.split("+", 1)[0]
    if scheme not in SCHEMES:
        raise DatabaseURLError(f"not a PostgreSQL URL: {parts.scheme!r}")
    plain = "postgresql" + database_url[len(parts.scheme) :]  # keeps an empty netloc
    try:
        params = psycopg.conninfo.conninfo_to_dict(plain)
    except psycopg.ProgrammingError as exc:
        raise DatabaseURLError(f"not a valid PostgreSQL URL: {exc}") from exc
    return {k: str(v) for k, v in params.items() if v is not None}


def build_url(params: dict[str, str]) -> str:
    """The ``postgresql://`` URL of libpq keywords (the inverse of :func:`url_params`).

    A socket directory (a host starting with ``/``) goes into the query string,
    where every libpq reader finds it.
    """
    rest = dict(params)
    auth = ""
    user = rest.pop("user", "")
    password = rest.pop("password", "")
    if user or password:
        auth = quote(user, safe="") + (":" + quote(password, safe="") if password else "") + "@"
    host = rest.pop("host", "")
    port = rest.pop("port", "")
    netloc = auth
    if host.startswith("/") or "," in host:
        rest = {"host": host, **({"port": port} if port else {}), **rest}
    else:
        netloc += (f"[{host}]" if ":" in host else host) + (f":{port}" if port else "")
    url = f"postgresql://{netloc}/{quote(rest.pop('dbname', ''), safe='')}"
    if rest:
        url += "?" + urlencode(rest, quote_via=quote)  # libpq reads %20, not +
    return url
