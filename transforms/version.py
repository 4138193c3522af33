"""The annotator's version: the second half of every annotation table's key.

Bump it whenever the output for the same text changes (new rules, another
model, a different predicate format).  ``newsflow annotate`` then annotates
every article again beside the old rows, and dbt reads the newest version, so
an upgrade never mixes old and new coding inside one article.
"""

from __future__ import annotations

ANNOTATOR_VERSION = "2026.12.5"

__all__ = ["ANNOTATOR_VERSION"]
