"""Where newsflow's files are: the source tree and the default data directory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

__all__ = ["PROJECT_ROOT", "default_data_dir"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


def default_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where the embedded database, caches and reports live.

    Root's home directory is unreadable for other users, and PostgreSQL must run
    as an unprivileged user, so root gets a system-wide directory instead.
    """
    if os.name == "posix" and os.geteuid() == 0:
        return Path("/var/lib/newsflow")
    xdg = (os.environ if environ is None else environ).get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "newsflow"
