"""Settings read from the environment, with safe defaults.

Every setting is an environment variable named ``NEWSFLOW_<NAME>``; the table in
``docs/operations.md`` lists them.  ``Settings.from_env()`` is cheap and pure, so
call it where the value is needed instead of caching a module-level global
(tests change the environment between cases).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from newsflow.settings.env import Env, SettingsError

__all__ = ["PROJECT_ROOT", "Env", "Settings", "SettingsError", "default_data_dir"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


def default_data_dir() -> Path:
    """Where the embedded database, caches and reports live.

    Root's home directory is unreadable for other users, and PostgreSQL must run
    as an unprivileged user, so root gets a system-wide directory instead.
    """
    if os.name == "posix" and os.geteuid() == 0:
        return Path("/var/lib/newsflow")
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "newsflow"


def env_str(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from exc


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from exc


def env_list(name: str) -> tuple[str, ...]:
    raw = os.environ.get(name, "")
    return tuple(part.strip() for part in raw.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    # --- database -------------------------------------------------------
    #: Any PostgreSQL >= 14. Empty: the CLI starts an embedded server in data_dir.
    database_url: str = ""
    data_dir: Path = field(default_factory=default_data_dir)
    # --- feeds ----------------------------------------------------------
    feeds_file: str = ""
    # --- HTTP -----------------------------------------------------------
    #: Hosts or CIDR ranges exempt from the private-address (SSRF) guard.
    allowed_hosts: tuple[str, ...] = ()
    user_agent: str = "newsflow/0.1 (+https://github.com/newsflow/newsflow; news-event warehouse)"
    http_timeout_s: float = 20.0
    connect_timeout_s: float = 5.0
    max_feed_bytes: int = 10 * 1024 * 1024
    max_page_bytes: int = 5 * 1024 * 1024
    max_robots_bytes: int = 512 * 1024
    max_redirects: int = 5
    concurrency: int = 32
    per_host_concurrency: int = 2
    per_host_delay_s: float = 0.0
    respect_robots: bool = True
    # --- extraction -----------------------------------------------------
    extract_workers: int = 2
    extract_cpu_seconds: int = 10
    extract_memory_mb: int = 1024
    # --- batches and retries ---------------------------------------------
    batch_size: int = 200
    max_page_attempts: int = 5
    # --- annotation -----------------------------------------------------
    annotate_batch_size: int = 200
    annotate_processes: int = 2
    spacy_model: str = ""

    @classmethod
    def from_env(cls) -> Settings:
        defaults = cls()
        return cls(
            database_url=env_str("NEWSFLOW_DATABASE_URL", ""),
            data_dir=Path(env_str("NEWSFLOW_DATA_DIR", str(default_data_dir()))).expanduser(),
            feeds_file=env_str("NEWSFLOW_FEEDS_FILE", ""),
            allowed_hosts=env_list("NEWSFLOW_ALLOWED_HOSTS"),
            user_agent=env_str("NEWSFLOW_USER_AGENT", defaults.user_agent),
            http_timeout_s=env_float("NEWSFLOW_HTTP_TIMEOUT", defaults.http_timeout_s),
            connect_timeout_s=env_float("NEWSFLOW_CONNECT_TIMEOUT", defaults.connect_timeout_s),
            max_feed_bytes=env_int("NEWSFLOW_MAX_FEED_BYTES", defaults.max_feed_bytes),
            max_page_bytes=env_int("NEWSFLOW_MAX_PAGE_BYTES", defaults.max_page_bytes),
            max_robots_bytes=env_int("NEWSFLOW_MAX_ROBOTS_BYTES", defaults.max_robots_bytes),
            max_redirects=env_int("NEWSFLOW_MAX_REDIRECTS", defaults.max_redirects),
            concurrency=env_int("NEWSFLOW_CONCURRENCY", defaults.concurrency),
            per_host_concurrency=env_int(
                "NEWSFLOW_PER_HOST_CONCURRENCY", defaults.per_host_concurrency
            ),
            per_host_delay_s=env_float("NEWSFLOW_PER_HOST_DELAY", defaults.per_host_delay_s),
            respect_robots=env_str("NEWSFLOW_RESPECT_ROBOTS", "1") not in {"0", "false", "no"},
            extract_workers=env_int("NEWSFLOW_EXTRACT_WORKERS", defaults.extract_workers),
            extract_cpu_seconds=env_int(
                "NEWSFLOW_EXTRACT_CPU_SECONDS", defaults.extract_cpu_seconds
            ),
            extract_memory_mb=env_int("NEWSFLOW_EXTRACT_MEMORY_MB", defaults.extract_memory_mb),
            batch_size=env_int("NEWSFLOW_BATCH_SIZE", defaults.batch_size),
            max_page_attempts=env_int("NEWSFLOW_MAX_PAGE_ATTEMPTS", defaults.max_page_attempts),
            annotate_batch_size=env_int(
                "NEWSFLOW_ANNOTATE_BATCH_SIZE", defaults.annotate_batch_size
            ),
            annotate_processes=env_int("NEWSFLOW_ANNOTATE_PROCESSES", defaults.annotate_processes),
            spacy_model=env_str("NEWSFLOW_SPACY_MODEL", ""),
        )
