"""Value types of the annotation stage: what one article's annotation holds.

Every offset is a Python ``str`` index into the article text as stored in
``raw.articles.text`` (``text[start:end] == surface``), whatever chunking the
annotator used inside.  The field names follow the ``raw`` tables, so a row is
``dataclasses.astuple`` away and ``to_dict()`` is the JSON of
``newsflow annotate-text --json``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

__all__ = [
    "AnnotatedDocument",
    "EventMention",
    "Mention",
    "Place",
    "Sentence",
]

STATUSES = ("ok", "empty", "skipped_language", "error")
MODALITIES = ("asserted", "reported", "speculative", "hypothetical", "intended", "demanded")


@dataclass(frozen=True)
class Place:
    """A gazetteer reading of a place name."""

    name: str
    geonameid: int | None
    country: str | None  # ISO 3166-1 alpha-3
    admin1: str | None  # ISO 3166-2 code where known, else GeoNames "CC.NN"
    latitude: float | None
    longitude: float | None
    precision: str  # country, division, city

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Mention:
    """A mention of an actor or a place, with the descriptors coding needs."""

    index: int
    sentence_index: int
    start: int
    end: int
    text: str
    label: str  # PERSON, ORG, GPE, NORP, LOC, FAC
    method: str  # dictionary, model, rules, coreference
    dictionary_key: str | None = None
    resolved_text: str | None = None
    resolved_index: int | None = None
    is_metonym: bool = False
    nationality: str | None = None
    role: str | None = None
    sponsor: str | None = None
    place: Place | None = None
    #: a descriptor of another mention ("Jordan" in "Jordan's King Abdullah II"):
    #: stored, but never an event's source or target by itself
    is_descriptor: bool = False

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["place"] = self.place.to_dict() if self.place else None
        return data


@dataclass
class EventMention:
    """An event candidate: who did what to whom, as the sentence says it."""

    index: int
    sentence_index: int
    trigger_start: int
    trigger_end: int
    trigger_text: str
    trigger_lemma: str
    predicate: str
    sources: list[int] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)
    source_text: str | None = None
    target_text: str | None = None
    attributed_to: int | None = None
    negated: bool = False
    modality: str = "asserted"
    is_background: bool = False
    place_text: str | None = None
    place_source: str | None = None  # locative, dateline
    place_mention_index: int | None = None
    place: Place | None = None
    event_date: date | None = None
    date_cue: str | None = None
    sponsor_text: str | None = None
    confidence: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["place"] = self.place.to_dict() if self.place else None
        data["event_date"] = self.event_date.isoformat() if self.event_date else None
        return data


@dataclass
class AnnotatedDocument:
    """One article's annotation (or the reason there is none)."""

    status: str
    language: str | None
    pipeline: str
    annotator_version: str
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    error: str | None = None
    truncated_at: int | None = None  # characters annotated when the text was longer
    topic: str | None = None  # what kind of news (transforms.topic); None when not annotated
    topic_evidence: str | None = None  # the signal that decided the topic

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "language": self.language,
            "pipeline": self.pipeline,
            "annotator_version": self.annotator_version,
            "error": self.error,
            "truncated_at": self.truncated_at,
            "topic": self.topic,
            "topic_evidence": self.topic_evidence,
            "counts": {
                "sentences": len(self.sentences),
                "mentions": len(self.mentions),
                "events": len(self.events),
            },
            "sentences": [s.to_dict() for s in self.sentences],
            "mentions": [m.to_dict() for m in self.mentions],
            "events": [e.to_dict() for e in self.events],
        }
