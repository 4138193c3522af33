"""The ingest library's configuration: plain dataclasses with defaults.

The library never reads the environment.  The application builds an
:class:`IngestConfig` once (``newsflow.settings.ingest.ingest_config``) and
passes it to the entry points (:func:`ingest.pipeline.run_ingest` and
friends); tests and scripts build one directly, changing only what they need.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.extraction_settings import ExtractionSettings
from ingest.http import HttpOptions
from ingest.schedule import ScheduleSettings

__all__ = [
    "ExtractionSettings",
    "HttpOptions",
    "IngestConfig",
    "PipelineSettings",
    "ScheduleSettings",
]


@dataclass(frozen=True)
class PipelineSettings:
    """Tuning of the pass itself (see :mod:`ingest.pipeline`)."""

    #: seconds before the first retry of a failed page; doubles per attempt
    retry_base_s: float = 600.0
    #: longest back-off between two attempts
    retry_max_s: float = 86_400.0
    #: a batch is loaded when it holds ``batch_size`` pages or when its first
    #: page has waited this many seconds, whichever comes first
    flush_s: float = 2.0
    #: pages fetched but not yet extracted, at most (0: automatic); bounds memory
    extract_queue: int = 0
    batch_size: int = 200
    #: a page is given up after this many failed downloads
    max_page_attempts: int = 5


@dataclass(frozen=True)
class IngestConfig:
    """Everything an ingest pass needs, by part."""

    http: HttpOptions = field(default_factory=HttpOptions)
    extraction: ExtractionSettings = field(default_factory=ExtractionSettings)
    pipeline: PipelineSettings = field(default_factory=PipelineSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
