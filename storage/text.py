"""Text PostgreSQL accepts, from values that came off the network.

``text`` columns refuse NUL bytes and the driver refuses lone surrogates (from
undecodable bytes); every writer of page and feed text passes values through here.
"""

from __future__ import annotations

from collections.abc import Iterable


def clean_str(value: str | None) -> str | None:
    """Text PostgreSQL accepts: no NUL bytes, no lone surrogates."""
    if value is None:
        return None
    if "\x00" in value:
        value = value.replace("\x00", "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value


def clean_list(values: Iterable[str] | None) -> list[str]:
    return [v for v in (clean_str(x) for x in values or ()) if v]


def nul_free(value: str | None) -> str | None:
    """Only the NUL bytes removed (feed entries: their keys must stay byte-identical)."""
    return value.replace("\x00", "") if value else value
