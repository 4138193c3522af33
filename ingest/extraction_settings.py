"""Extraction settings: limits the application passes in, tuning values from a packaged file.

Two kinds of values live here:

* **limits** an operator changes per deployment (the application builds them
  from its environment, ``newsflow.settings.ingest.extraction_settings``):
  workers, CPU seconds and memory per worker, the largest page the extractor
  parses (bigger ones are ``extract_too_large`` before any parsing), the wall
  clock after which a busy worker is killed (three times the CPU limit by
  default, as a page may wait for the CPU on a busy machine) and the shortest
  text that counts as an article.
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
