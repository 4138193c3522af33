"""Typed reads of ``NEWSFLOW_*`` variables from one mapping (the process environment by default).

The settings package is the only code that reads the environment: the CLI, the
DAG tasks and the benchmarks build settings here once and pass them down; the
``ingest``, ``transforms`` and ``storage`` libraries take typed config objects
and never look at ``os.environ``.  ``Env`` takes any mapping so tests build
settings from a dict instead of patching the process environment.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

FALSE_WORDS = frozenset({"0", "false", "no", "off"})
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})


class SettingsError(ValueError):
    """A setting has a value that cannot be used (exit code 2 in the CLI)."""


@dataclass(frozen=True)
class Env:
    """Reads variables from ``environ``; empty or blank values mean 'unset'."""

    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)

    def raw(self, name: str) -> str:
        return self.environ.get(name, "").strip()

    def str(self, name: str, default: str = "") -> str:
        return self.raw(name) or default

    def int(self, name: str, default: int) -> int:
        raw = self.raw(name)
        if not raw:
            return default
        try:
            return int(raw)
        except ValueError as exc:
            raise SettingsError(f"{name} must be a whole number, got {raw!r}") from exc

    def float(self, name: str, default: float) -> float:
        raw = self.raw(name)
        if not raw:
            return default
        try:
            return float(raw)
        except ValueError as exc:
            raise SettingsError(f"{name} must be a number, got {raw!r}") from exc

    def bool(self, name: str, default: bool) -> bool:
        raw = self.raw(name).lower()
        if not raw:
            return default
        if raw in TRUE_WORDS:
            return True
        if raw in FALSE_WORDS:
            return False
        raise SettingsError(f"{name} must be one of 1/0, true/false, yes/no, got {raw!r}")

    def list(self, name: str) -> tuple[str, ...]:
        raw = self.environ.get(name, "")
        return tuple(part.strip() for part in raw.split(",") if part.strip())


@contextlib.contextmanager
def exported(**values: str) -> Iterator[None]:
    """Set environment variables for this process and its children while the block runs.

    For settings that must reach child processes (Airflow's ``dag.test()``, the
    CLI run as a subprocess); the previous values come back afterwards.
    """
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def with_host_allowed(hosts: Sequence[str], host: str) -> str:
    """``NEWSFLOW_ALLOWED_HOSTS``'s value: ``hosts`` plus ``host``, each once, in order."""
    return ",".join(dict.fromkeys([*hosts, host]))
