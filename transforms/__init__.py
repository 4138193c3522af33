"""NLP annotation: sentences, actor mentions and event candidates.

Public API (other stages call these):

* :data:`ANNOTATOR_VERSION`: the version written with every annotation row;
* :func:`annotate_text` (text -> :class:`AnnotatedDocument`, no database);
* :func:`run_annotate` (database URL -> :class:`AnnotateSummary`, incremental);
* :func:`load_dictionary` (a directory of seed CSVs -> :class:`ActorDictionary`).

Attributes are imported on first use so that reading the version stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

from transforms.version import ANNOTATOR_VERSION

__all__ = [
    "ANNOTATOR_VERSION",
    "ActorDictionary",
    "AnnotateSummary",
    "AnnotatedDocument",
    "annotate_text",
    "load_dictionary",
    "run_annotate",
]

_LAZY = {
    "annotate_text": "transforms.annotate",
    "run_annotate": "transforms.pipeline",
    "AnnotateSummary": "transforms.pipeline",
    "AnnotatedDocument": "transforms.document",
    "ActorDictionary": "transforms.dictionary",
    "load_dictionary": "transforms.dictionary",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'transforms' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
