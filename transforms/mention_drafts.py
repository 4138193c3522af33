"""Mention drafts and the state a mention finder's passes share.

:mod:`transforms.mentions` finds the mentions of one ``Doc`` in passes (named
entities, titles, nominal actors, places, pronouns...); the passes live in
that module and in :mod:`transforms.nominal_mentions` and work on one
:class:`FinderState`.  :class:`Draft` and :class:`MentionSet` are what the
event extractors (:mod:`transforms.clause` and friends) read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from transforms.dictionary import ActorDictionary
from transforms.document import Place
from transforms.lexicon import (
    DESTINATION_PREPS,
    DIRECTION_WORDS,
    GENERIC_ACTOR_HEADS,
    LOCATIVE_PREPS,
    PLACE_NOUNS,
)
from transforms.places import Gazetteer

__all__ = ["PLACE_LABELS", "Draft", "FinderState", "MentionSet"]

ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: NER labels the small model gives place names by mistake ("Aleppo" as LANGUAGE)
MISLABELS = frozenset({"NORP", "LANGUAGE", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"})
NP_MODIFIERS = frozenset({"amod", "compound", "npadvmod", "nmod", "poss", "advmod", "quantmod"})
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "its",
        "their",
        "his",
        "her",
        "our",
        "my",
        "your",
        "this",
        "that",
        "these",
        "those",
        "some",
        "any",
    ]
)
LOCATION_MARKERS = LOCATIVE_PREPS | DESTINATION_PREPS | {"from", "of", "outside", "across"}
#: prepositions whose object is where something happens or goes ("in Darfur", "near Adre")
PLACE_PREPS = LOCATIVE_PREPS | DESTINATION_PREPS | {"from", "outside", "across", "towards"}
#: heads that make "of" locative: "west of El Fasher", "the town of Um Kadada"
OF_PLACE_HEADS = DIRECTION_WORDS | PLACE_NOUNS


@dataclass
class Draft:
    """A mention while its article is being annotated (token indices into one Doc)."""

    start: int  # first token
    end: int  # one past the last token
    head: int  # the token that stands for the mention in the parse
    label: str
    method: str
    key: str | None = None
    nationality: str | None = None
    role: str | None = None
    sponsor: str | None = None
    is_metonym: bool = False
    is_descriptor: bool = False
    place: Place | None = None
    resolved_to: Draft | None = None  # pronouns: their antecedent
    index: int = -1  # article-wide mention index, set by the caller
    sentence_index: int = -1
    start_char: int = 0  # in the doc
    end_char: int = 0
    text: str = ""


@dataclass
class MentionSet:
    drafts: list[Draft] = field(default_factory=list)
    #: token index -> the mentions that token stands for as an event argument
    by_token: dict[int, list[Draft]] = field(default_factory=dict)

    def arguments(self, token_index: int) -> list[Draft]:
        return [d for d in self.by_token.get(token_index, ()) if not d.is_descriptor]


class FinderState:
    """What the passes of one mention finder share: the doc, the dictionary,
    the drafts found so far and the token bindings, with small helpers."""

    def __init__(
        self,
        doc: Any,
        dictionary: ActorDictionary,
        gazetteer: Callable[[], Gazetteer],
        *,
        parsed: bool,
        last_person: Callable[[int], Draft | None],
        context: Counter[str],
        last_named: Callable[[str], Draft | None] = lambda _head: None,
    ) -> None:
        self.doc = doc
        self.dictionary = dictionary
        self.gazetteer = gazetteer
        self.parsed = parsed
        self.last_person = last_person
        self.last_named = last_named
        self.context = context
        self.drafts: list[Draft] = []
        self.entity_of: dict[int, Draft] = {}  # token -> entity draft covering it
        self.consumed: set[int] = set()  # tokens used as descriptors of another mention
        self.by_token: dict[int, list[Draft]] = {}
        self.tokens = list(doc)  # one set of Token objects for every pass
        self._heads = dictionary.role_heads | PLACE_NOUNS | GENERIC_ACTOR_HEADS

    # -- helpers ---------------------------------------------------------------
    def text(self, start: int, end: int) -> str:
        span = self.doc[start:end]
        return span.text

    def country_term(self, text: str) -> bool:
        return self.dictionary.is_country_term(text) is not None

    def role_word(self, token: Any) -> bool:
        word = token.lower_
        lemma = token.lemma_.lower() if token.lemma_ else word
        return self.dictionary.is_role_head(word) or self.dictionary.is_role_head(lemma)

    def bind(self, token_index: int, draft: Draft) -> None:
        bucket = self.by_token.setdefault(token_index, [])
        if draft not in bucket:
            bucket.append(draft)

    def _refer(self, token: Any, label: str, antecedent: Draft) -> None:
        """A one-word mention ("he", "the ministry") that stands for ``antecedent``."""
        draft = Draft(token.i, token.i + 1, token.i, label, "coreference")
        draft.resolved_to = antecedent
        self.drafts.append(draft)
        self.bind(token.i, draft)
