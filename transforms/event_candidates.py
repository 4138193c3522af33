"""Event candidates: two analysers of a sentence, one coder of what it says.

:mod:`transforms.parse_analysis` reads the spaCy dependency parse (the model
path), :mod:`transforms.word_order_analysis` reads word order and cue words
(the rule path, ``pipeline='rules'``); both describe each candidate as a
:class:`transforms.clause.Clause`, and :func:`transforms.clause.code_clause`
alone decides its participants' roles, predicate, modality, negation,
attribution, history and date.
"""

from __future__ import annotations

from transforms.clause import DraftEvent, EventContext, QuoteSpan, distribute_sources
from transforms.parse_analysis import extract_events, find_quotes
from transforms.word_order_analysis import extract_rule_events

__all__ = [
    "DraftEvent",
    "EventContext",
    "QuoteSpan",
    "distribute_sources",
    "extract_events",
    "extract_rule_events",
    "find_quotes",
]
