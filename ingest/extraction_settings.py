"""Extraction settings: limits from the environment, tuning values from a packaged file.

Two kinds of values live here:

* **limits** an operator changes per deployment (environment variables, read
  through :class:`newsflow.settings.Settings` where they already exist):
  ``NEWSFLOW_EXTRACT_WORKERS``, ``NEWSFLOW_EXTRACT_CPU_SECONDS``,
  ``NEWSFLOW_EXTRACT_MEMORY_MB``, ``NEWSFLOW_MAX_PAGE_BYTES`` (the largest page
  the extractor parses; bigger ones are ``extract_too_large`` before any
  parsing), plus ``NEWSFLOW_EXTRACT_WALL_SECONDS`` (a worker busy longer than
  this on one page is killed; default three times the CPU limit, as a page
  may wait for the CPU on a busy machine) and ``NEWSFLOW_EXTRACT_MIN_CHARS``.
* **tuning values** of the extraction heuristics (when a second extractor is
  consulted, what counts as prose, ...), kept in ``ingest/extraction.yaml``
  beside this module so they are reviewed as data, not scattered in code.
  They are set by principle (signals relative to the page's own prose and
  declared body) and checked by two-fold cross-validation on the Zyte
  benchmark (``python -m newsflow.eval.extraction DIR --cv``); change them
  together with :data:`ingest.extract.EXTRACTOR_VERSION`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from newsflow.settings import Settings, env_float, env_int

__all__ = ["TUNING_FILE", "ExtractionSettings", "Tuning", "load_tuning"]

TUNING_FILE = Path(__file__).with_name("extraction.yaml")


@dataclass(frozen=True)
class Tuning:
    """Heuristic thresholds; the meaning of each is documented in ``extraction.yaml``."""

    favor_precision: bool = True
    include_tables: bool = True
    short_text_chars: int = 600
    rerun_min_ratio: float = 1.5
    prose_min_chars: int = 180
    prose_max_link_share: float = 0.25
    tail_min_prose_blocks: int = 2
    tail_min_gain: float = 0.3
    tail_max_short_run: int = 3
    replace_min_ratio: float = 2.0
    declared_min_share: float = 0.5
    short_prose_min_chars: int = 80
    boiler_min_link_share: float = 0.6
    boiler_min_line_chars: int = 20
    boiler_max_drop_share: float = 0.5
    link_line_max_chars: int = 200
    link_line_min_share: float = 0.6
    link_list_min_lines: int = 3
    promo_max_chars: int = 300
    max_edge_lines: int = 12


@functools.cache
def load_tuning(path: str | None = None) -> Tuning:
    """Read the tuning file (cached); unknown keys are an error so typos show up."""
    source = Path(path) if path else TUNING_FILE
    data: dict[str, Any] = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    known = {f.name for f in fields(Tuning)}
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"{source}: unknown extraction settings {sorted(unknown)}")
    return Tuning(**data)


@dataclass(frozen=True)
class ExtractionSettings:
    """Everything the extractor and its sandbox need; picklable (sent to workers)."""

    max_html_bytes: int = 5 * 1024 * 1024
    min_text_chars: int = 100
    workers: int = 2
    cpu_seconds: int = 10
    memory_mb: int = 1024
    wall_seconds: float = 30.0
    tuning: Tuning = field(default_factory=load_tuning)

    @classmethod
    def from_settings(cls, settings: Settings) -> ExtractionSettings:
        cpu = max(1, settings.extract_cpu_seconds)
        return cls(
            max_html_bytes=settings.max_page_bytes,
            min_text_chars=env_int("NEWSFLOW_EXTRACT_MIN_CHARS", cls.min_text_chars),
            workers=max(1, settings.extract_workers),
            cpu_seconds=cpu,
            memory_mb=settings.extract_memory_mb,
            wall_seconds=env_float("NEWSFLOW_EXTRACT_WALL_SECONDS", 3.0 * cpu),
        )

    @classmethod
    def from_env(cls) -> ExtractionSettings:
        return cls.from_settings(Settings.from_env())

    @classmethod
    def coerce(cls, settings: Any = None) -> ExtractionSettings:
        """Accept ``None`` (environment), app :class:`Settings`, or ``ExtractionSettings``."""
        if settings is None:
            return cls.from_env()
        if isinstance(settings, ExtractionSettings):
            return settings
        if isinstance(settings, Settings):
            return cls.from_settings(settings)
        raise TypeError(f"expected Settings or ExtractionSettings, got {type(settings).__name__}")
