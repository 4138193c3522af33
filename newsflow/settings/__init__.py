"""Settings read from the environment once, at the edge, with safe defaults.

Every setting is an environment variable named ``NEWSFLOW_<NAME>``; the table in
``docs/operations.md`` lists them (``tests/test_settings_docs.py`` keeps it, and
``.env.example``, in step with the names in this package).  Only this package
reads them: :func:`load` builds the shared :class:`Settings` from an
:class:`~newsflow.settings.env.Env` (the process environment by default), and
the builders in :mod:`newsflow.settings.app` (and the library modules beside
it) build the typed config of one part each.  Loading is cheap and pure, so
call it where the value is needed instead of caching a module-level global
(tests change the environment between cases).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from newsflow.settings.env import Env, SettingsError
from newsflow.settings.paths import PROJECT_ROOT, default_data_dir

__all__ = ["PROJECT_ROOT", "Env", "Settings", "SettingsError", "default_data_dir", "load"]


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
        """The same as :func:`load` with the process environment."""
        return load()


def load(env: Env | None = None) -> Settings:
    """The shared settings from ``env`` (default: the process environment)."""
    env = Env() if env is None else env
    d = Settings()
    return Settings(
        database_url=env.str("NEWSFLOW_DATABASE_URL"),
        data_dir=Path(
            env.str("NEWSFLOW_DATA_DIR", str(default_data_dir(env.environ)))
        ).expanduser(),
        feeds_file=env.str("NEWSFLOW_FEEDS_FILE"),
        allowed_hosts=env.list("NEWSFLOW_ALLOWED_HOSTS"),
        user_agent=env.str("NEWSFLOW_USER_AGENT", d.user_agent),
        http_timeout_s=env.float("NEWSFLOW_HTTP_TIMEOUT", d.http_timeout_s),
        connect_timeout_s=env.float("NEWSFLOW_CONNECT_TIMEOUT", d.connect_timeout_s),
        max_feed_bytes=env.int("NEWSFLOW_MAX_FEED_BYTES", d.max_feed_bytes),
        max_page_bytes=env.int("NEWSFLOW_MAX_PAGE_BYTES", d.max_page_bytes),
        max_robots_bytes=env.int("NEWSFLOW_MAX_ROBOTS_BYTES", d.max_robots_bytes),
        max_redirects=env.int("NEWSFLOW_MAX_REDIRECTS", d.max_redirects),
        concurrency=env.int("NEWSFLOW_CONCURRENCY", d.concurrency),
        per_host_concurrency=env.int("NEWSFLOW_PER_HOST_CONCURRENCY", d.per_host_concurrency),
        per_host_delay_s=env.float("NEWSFLOW_PER_HOST_DELAY", d.per_host_delay_s),
        respect_robots=env.str("NEWSFLOW_RESPECT_ROBOTS", "1") not in {"0", "false", "no"},
        extract_workers=env.int("NEWSFLOW_EXTRACT_WORKERS", d.extract_workers),
        extract_cpu_seconds=env.int("NEWSFLOW_EXTRACT_CPU_SECONDS", d.extract_cpu_seconds),
        extract_memory_mb=env.int("NEWSFLOW_EXTRACT_MEMORY_MB", d.extract_memory_mb),
        batch_size=env.int("NEWSFLOW_BATCH_SIZE", d.batch_size),
        max_page_attempts=env.int("NEWSFLOW_MAX_PAGE_ATTEMPTS", d.max_page_attempts),
        annotate_batch_size=env.int("NEWSFLOW_ANNOTATE_BATCH_SIZE", d.annotate_batch_size),
        annotate_processes=env.int("NEWSFLOW_ANNOTATE_PROCESSES", d.annotate_processes),
        spacy_model=env.str("NEWSFLOW_SPACY_MODEL"),
    )
