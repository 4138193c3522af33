"""The language an article is written in, when ingestion did not record one.

Ingestion stores the language it detected (``raw.articles.language``); the
annotator trusts it.  For text given directly (``annotate-text``) or rows
without a language it asks py3langid, the offline identifier trafilatura
already depends on, on the first characters only.  Text too short to judge is
taken as English rather than skipped: a one-line article is more likely a
teaser than a foreign one.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

__all__ = ["detect_language"]

log = logging.getLogger(__name__)

SAMPLE_CHARS = 2000
MIN_CHARS = 60
MIN_CONFIDENCE = 0.5

_identifier: Any = None
_lock = threading.Lock()


def _get() -> Any:
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def detect_language(text: str, default: str = "en") -> str:
    """ISO 639-1 code of ``text`` (``default`` when it is too short or unclear)."""
    sample = text[:SAMPLE_CHARS].strip()
    if len(sample) < MIN_CHARS:
        return default
    try:
        code, confidence = _get().classify(sample)
    except Exception as exc:  # the identifier must never fail an article
        log.warning("language detection failed: %s", exc)
        return default
    if confidence < MIN_CONFIDENCE:
        return default
    return str(code)
