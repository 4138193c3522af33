"""The ingest library's configuration, built from ``NEWSFLOW_*`` variables.

The ``ingest`` library never reads the environment; the application (CLI, DAG
tasks, demo, benchmarks) calls :func:`ingest_config` once and passes the result
down.  Each builder takes an :class:`~newsflow.settings.env.Env`, so tests
build config from a plain dict.

Variables, by part (defaults are the library's):

HTTP (:class:`ingest.http.HttpOptions`)
    ``NEWSFLOW_ALLOWED_HOSTS``, ``NEWSFLOW_USER_AGENT``, ``NEWSFLOW_HTTP_TIMEOUT``,
    ``NEWSFLOW_CONNECT_TIMEOUT``, ``NEWSFLOW_MAX_FEED_BYTES``,
    ``NEWSFLOW_MAX_PAGE_BYTES``, ``NEWSFLOW_MAX_ROBOTS_BYTES``,
    ``NEWSFLOW_MAX_REDIRECTS``, ``NEWSFLOW_CONCURRENCY``,
    ``NEWSFLOW_PER_HOST_CONCURRENCY``, ``NEWSFLOW_PER_HOST_DELAY``,
    ``NEWSFLOW_RESPECT_ROBOTS``, ``NEWSFLOW_ROBOTS_FOR_FEEDS``, ``NEWSFLOW_DNS_CACHE_S``.
Extraction (:class:`ingest.extraction_settings.ExtractionSettings`)
    ``NEWSFLOW_EXTRACT_WORKERS``, ``NEWSFLOW_EXTRACT_CPU_SECONDS``,
    ``NEWSFLOW_EXTRACT_MEMORY_MB``, ``NEWSFLOW_EXTRACT_WALL_SECONDS`` (default three
    times the CPU limit), ``NEWSFLOW_EXTRACT_MIN_CHARS``, and
    ``NEWSFLOW_MAX_PAGE_BYTES`` (the largest page parsed).
The pass (:class:`ingest.options.PipelineSettings`)
    ``NEWSFLOW_PAGE_RETRY_BASE``, ``NEWSFLOW_PAGE_RETRY_MAX``, ``NEWSFLOW_LOAD_FLUSH``,
    ``NEWSFLOW_EXTRACT_QUEUE``, ``NEWSFLOW_BATCH_SIZE``, ``NEWSFLOW_MAX_PAGE_ATTEMPTS``.
Feed schedule (:class:`ingest.schedule.ScheduleSettings`)
    ``NEWSFLOW_FEED_MIN_INTERVAL``, ``NEWSFLOW_FEED_MAX_HINT``,
    ``NEWSFLOW_FEED_MAX_BACKOFF``, ``NEWSFLOW_FEED_MAX_IDLE_INTERVAL``,
    ``NEWSFLOW_FEED_IDLE_STEP``.
"""

from __future__ import annotations

from ingest.extraction_settings import ExtractionSettings
from ingest.http import HttpOptions
from ingest.options import IngestConfig, PipelineSettings
from ingest.schedule import ScheduleSettings
from newsflow.settings.env import Env

__all__ = [
    "extraction_settings",
    "http_options",
    "ingest_config",
    "pipeline_settings",
    "schedule_settings",
]


def http_options(env: Env) -> HttpOptions:
    d = HttpOptions()
    return HttpOptions(
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
        respect_robots=env.bool("NEWSFLOW_RESPECT_ROBOTS", d.respect_robots),
        robots_for_feeds=env.bool("NEWSFLOW_ROBOTS_FOR_FEEDS", d.robots_for_feeds),
        dns_cache_s=env.float("NEWSFLOW_DNS_CACHE_S", d.dns_cache_s),
    )


def extraction_settings(env: Env) -> ExtractionSettings:
    d = ExtractionSettings()
    cpu = max(1, env.int("NEWSFLOW_EXTRACT_CPU_SECONDS", d.cpu_seconds))
    return ExtractionSettings(
        max_html_bytes=env.int("NEWSFLOW_MAX_PAGE_BYTES", d.max_html_bytes),
        min_text_chars=env.int("NEWSFLOW_EXTRACT_MIN_CHARS", d.min_text_chars),
        workers=max(1, env.int("NEWSFLOW_EXTRACT_WORKERS", d.workers)),
        cpu_seconds=cpu,
        memory_mb=env.int("NEWSFLOW_EXTRACT_MEMORY_MB", d.memory_mb),
        wall_seconds=env.float("NEWSFLOW_EXTRACT_WALL_SECONDS", 3.0 * cpu),
        tuning=d.tuning,
    )


def pipeline_settings(env: Env) -> PipelineSettings:
    d = PipelineSettings()
    return PipelineSettings(
        retry_base_s=env.float("NEWSFLOW_PAGE_RETRY_BASE", d.retry_base_s),
        retry_max_s=env.float("NEWSFLOW_PAGE_RETRY_MAX", d.retry_max_s),
        flush_s=env.float("NEWSFLOW_LOAD_FLUSH", d.flush_s),
        extract_queue=env.int("NEWSFLOW_EXTRACT_QUEUE", d.extract_queue),
        batch_size=env.int("NEWSFLOW_BATCH_SIZE", d.batch_size),
        max_page_attempts=env.int("NEWSFLOW_MAX_PAGE_ATTEMPTS", d.max_page_attempts),
    )


def schedule_settings(env: Env) -> ScheduleSettings:
    d = ScheduleSettings()
    return ScheduleSettings(
        min_interval_s=env.int("NEWSFLOW_FEED_MIN_INTERVAL", d.min_interval_s),
        max_hint_s=env.int("NEWSFLOW_FEED_MAX_HINT", d.max_hint_s),
        max_backoff_s=env.int("NEWSFLOW_FEED_MAX_BACKOFF", d.max_backoff_s),
        max_idle_interval_s=env.int("NEWSFLOW_FEED_MAX_IDLE_INTERVAL", d.max_idle_interval_s),
        idle_step=max(1, env.int("NEWSFLOW_FEED_IDLE_STEP", d.idle_step)),
    )


def ingest_config(env: Env | None = None) -> IngestConfig:
    """The whole ingest config from ``env`` (the process environment by default)."""
    env = env or Env()
    return IngestConfig(
        http=http_options(env),
        extraction=extraction_settings(env),
        pipeline=pipeline_settings(env),
        schedule=schedule_settings(env),
    )
