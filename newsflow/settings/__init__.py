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
from typing import TYPE_CHECKING

from newsflow.settings.env import Env, SettingsError
from newsflow.settings.paths import PROJECT_ROOT, default_data_dir

if TYPE_CHECKING:  # the libraries' configs import httpx and friends: only when built
    from ingest.options import IngestConfig
    from transforms.config import AnnotateConfig

__all__ = ["PROJECT_ROOT", "Env", "Settings", "SettingsError", "default_data_dir", "load"]


@dataclass(frozen=True)
class Settings:
    """What the application shares: the database, the data directory, the feeds file,
    and the libraries' own configs, each built by its one builder (``settings.ingest``,
    ``settings.transforms``) so every variable is read in exactly one place."""

    #: Any PostgreSQL >= 14. Empty: the CLI starts an embedded server in data_dir.
    database_url: str = ""
    data_dir: Path = field(default_factory=default_data_dir)
    feeds_file: str = ""
    ingest: IngestConfig = field(default_factory=lambda: _ingest_defaults())
    annotate: AnnotateConfig = field(default_factory=lambda: _annotate_defaults())

    @classmethod
    def from_env(cls) -> Settings:
        """The same as :func:`load` with the process environment."""
        return load()


def _ingest_defaults() -> IngestConfig:
    from ingest.options import IngestConfig

    return IngestConfig()


def _annotate_defaults() -> AnnotateConfig:
    from transforms.config import AnnotateConfig

    return AnnotateConfig()


def load(env: Env | None = None) -> Settings:
    """The shared settings from ``env`` (default: the process environment)."""
    from newsflow.settings.ingest import ingest_config
    from newsflow.settings.transforms import annotate_config

    env = Env() if env is None else env
    return Settings(
        database_url=env.str("NEWSFLOW_DATABASE_URL"),
        data_dir=Path(
            env.str("NEWSFLOW_DATA_DIR", str(default_data_dir(env.environ)))
        ).expanduser(),
        feeds_file=env.str("NEWSFLOW_FEEDS_FILE"),
        ingest=ingest_config(env),
        annotate=annotate_config(env),
    )
