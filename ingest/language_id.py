"""Language of an article's text, offline, with py3langid.

py3langid is the identifier trafilatura already depends on (a numpy port of
langid.py, 97 languages, model shipped in the wheel, no downloads).  It is
loaded once per process with normalised probabilities so the confidence is a
number between 0 and 1 that can be stored and thresholded.

Only the first :data:`SAMPLE_CHARS` characters are classified: accuracy is
flat beyond a few hundred characters and the cost grows with the text.
Texts shorter than :data:`MIN_CHARS` say too little; then the page's
``<html lang>`` is used when it names a language, with no confidence.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

__all__ = ["MIN_CHARS", "SAMPLE_CHARS", "detect_language", "warm_up"]

log = logging.getLogger(__name__)

SAMPLE_CHARS = 600
MIN_CHARS = 40

_identifier: Any = None
_lock = threading.Lock()


def _get_identifier() -> Any:
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def warm_up() -> None:
    """Load the model now (worker start-up) instead of on the first article."""
    _get_identifier()


def detect_language(text: str, html_lang: str | None = None) -> tuple[str | None, float | None]:
    """Return (ISO 639-1 code, confidence 0..1), or the page's declared language.

    ``(None, None)`` when the text is too short and the page declares nothing.
    """
    sample = text[:SAMPLE_CHARS].strip()
    if len(sample) < MIN_CHARS:
        code = (html_lang or "").strip().lower()[:2]
        return (code, None) if len(code) == 2 and code.isalpha() else (None, None)
    try:
        lang, confidence = _get_identifier().classify(sample)
    except Exception as exc:  # a model problem must not fail the article
        log.warning("language detection failed: %s", exc)
        return None, None
    return str(lang), round(float(confidence), 4)
