"""One article's annotation: the Docs of its chunks in, an :class:`AnnotatedDocument` out.

:class:`ArticleBuilder` turns the Docs of one article's chunks into
sentences, mentions and event candidates with offsets into the whole text,
then resolves short and variant names ("Assad" -> "Bashar Assad",
"Araghchi" -> "Abbas Araqchi") and definite phrases across the article, finds
the dateline's place and shares dates between retellings of one event.
:mod:`transforms.annotate` feeds it (one text, or many through one ``nlp.pipe``).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from transforms.dictionary import normalize_term
from transforms.document import AnnotatedDocument, EventMention, Mention, Place, Sentence
from transforms.event_candidates import (
    DraftEvent,
    EventContext,
    extract_events,
    extract_rule_events,
    find_quotes,
)
from transforms.mention_drafts import Draft
from transforms.mentions import find_mentions
from transforms.nlp import Pipeline
from transforms.places import get_gazetteer
from transforms.sentences import doc_sentences
from transforms.version import ANNOTATOR_VERSION

__all__ = ["ArticleBuilder", "as_date", "skeleton"]

_DATELINE = re.compile(
    r"^\s*(?P<city>[A-Z][A-Z.'\- ]{2,40}?|[A-Z][a-z]+(?: [A-Z][a-z]+)?)"
    r"(?:,\s*(?P<region>[A-Z][A-Za-z.'\- ]{1,40}?))?"
    # "TBILISI, March 1 (GWS) -": the wire's date after the place
    r"(?:,\s*(?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}"
    r"(?:,\s*\d{4})?))?"
    r"\s*(?P<agency>\([^)\n]{1,40}\))?\s*(?:[—–-]{1,2}|:)\s"
)
_PARTICLES = re.compile(r"^(?:al|el|ad|as|ash|at|az|ar|an|bin|ibn|abu)[-‐ ]", re.IGNORECASE)


def as_date(value: datetime | date | None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value


@functools.lru_cache(maxsize=8192)
def skeleton(name: str) -> str:
    """A spelling-insensitive key for a surname: Araqchi = Araghchi, al-Sudani = Sudani."""
    import unicodedata

    value = unicodedata.normalize("NFKD", name)
    value = "".join(ch for ch in value if not unicodedata.combining(ch)).lower()
    value = _PARTICLES.sub("", value)
    value = re.sub(r"[^a-z]", "", value)
    for old, new in (
        ("gh", "q"),
        ("kh", "k"),
        ("q", "k"),
        ("ph", "f"),
        ("ou", "u"),
        ("oo", "u"),
        ("ee", "i"),
        ("y", "i"),
        ("dh", "d"),
        ("th", "t"),
        ("ck", "k"),
        ("z", "s"),
        ("e", "i"),
    ):
        value = value.replace(old, new)
    value = re.sub(r"(.)\1+", r"\1", value)
    return value


@dataclass
class ArticleBuilder:
    """One article's annotation, built chunk by chunk (:meth:`add_chunk`), then :meth:`build`."""

    text: str
    published: date | None
    pipeline: Pipeline
    language: str | None
    sentences: list[Sentence] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)
    events: list[tuple[DraftEvent, int, int]] = field(
        default_factory=list
    )  # event, sentence, offset
    context: Counter[str] = field(default_factory=Counter)
    truncated_at: int | None = None

    def last_person(self, _token: int) -> Draft | None:
        for draft in reversed(self.drafts):
            if (
                draft.label == "PERSON"
                and not draft.is_descriptor
                and draft.method != "coreference"
            ):
                return draft
        return None

    def last_named(self, head: str) -> Draft | None:
        """The latest organisation of earlier chunks whose name ends in ``head``."""
        for draft in reversed(self.drafts):
            if (
                draft.label == "ORG"
                and draft.method in ("dictionary", "model")
                and draft.text.split()
                and draft.text.split()[-1].lower().rstrip("s") == head.rstrip("s")
            ):
                return draft
        return None

    def add_chunk(self, doc: Any, offset: int) -> None:
        dictionary = self.pipeline.dictionary
        parsed = self.pipeline.is_model
        sentences, token_sentence = doc_sentences(doc, offset, len(self.sentences))
        self.sentences.extend(sentences)
        mentions = find_mentions(
            doc,
            dictionary,
            get_gazetteer,
            parsed=parsed,
            last_person=self.last_person,
            context=self.context,
            last_named=self.last_named,
        )
        if offset == 0:
            self._dateline_place(mentions.drafts)
        for draft in mentions.drafts:
            draft.index = len(self.drafts)
            draft.sentence_index = token_sentence[draft.start]
            draft.start_char += offset
            draft.end_char += offset
            self.drafts.append(draft)
        ctx = EventContext(mentions, dictionary, self.published)
        if parsed:
            ctx.quotes = find_quotes(doc, mentions)
            events = extract_events(doc, ctx)
        else:
            events = extract_rule_events(doc, ctx)
        for event in events:
            self.events.append((event, token_sentence[event.token], offset))

    # -- finishing -----------------------------------------------------------------
    def resolve_nominals(self) -> None:
        """ "the militia fighters" -> the earlier "Iran-backed ... militia fighters from Iraq".

        A definite actor phrase without its own nationality or sponsor refers to
        the latest earlier phrase with the same head noun that has them.
        """
        described: dict[str, Draft] = {}
        for draft in self.drafts:
            if draft.method != "rules" or draft.label not in ("ORG", "NORP") or not draft.role:
                continue
            head = _head_word(draft.role)
            if draft.nationality or draft.sponsor:
                described[head] = draft
                continue
            before = self.text[max(0, draft.start_char - 4) : draft.start_char].lower()
            if before.endswith("the ") and head in described:
                draft.resolved_to = described[head]

    def resolve_names(self) -> None:
        """Short and variant names -> the fullest mention of the same actor."""
        named = [
            d for d in self.drafts if d.label in ("PERSON", "ORG") and d.method != "coreference"
        ]
        by_key: dict[str, Draft] = {}
        for draft in named:
            if draft.key:
                best = by_key.get(draft.key)
                if best is None or len(draft.text.split()) > len(best.text.split()):
                    by_key[draft.key] = draft
        persons = [d for d in named if d.label == "PERSON"]
        # the small model often takes an unfamiliar surname for a place or a
        # group ("Araghchi" as GPE): a name that is no known place and matches
        # a person's surname is that person
        for draft in self.drafts:
            if (
                draft.method == "model"
                and draft.label in ("GPE", "ORG", "NORP", "LOC")
                and draft.place is None
                and len(draft.text.split()) == 1
                and self._longer_person(draft, persons) is not None
            ):
                draft.label = "PERSON"
                named.append(draft)
        acronyms = self._acronyms(named)
        for draft in named:
            target = None
            if draft.key and by_key.get(draft.key) is not None:
                target = by_key[draft.key]
            if (target is None or target is draft) and draft.label == "PERSON":
                target = self._longer_person(draft, persons) or target
            if (target is None or target is draft) and draft.text in acronyms:
                target = acronyms[draft.text]
            if (
                target is not None
                and target is not draft
                and normalize_term(target.text) != normalize_term(draft.text)
            ):
                draft.resolved_to = target
        for draft in self.drafts:
            seen = 0
            while draft.resolved_to is not None and draft.resolved_to.resolved_to is not None:
                draft.resolved_to = draft.resolved_to.resolved_to
                seen += 1
                if seen > 5:
                    break

    @staticmethod
    def _longer_person(draft: Draft, persons: list[Draft]) -> Draft | None:
        words = draft.text.split()
        if not words:
            return None
        key = skeleton(words[-1])
        best = None
        for other in persons:
            other_words = other.text.split()
            if other is draft or len(other_words) <= len(words):
                continue
            if skeleton(other_words[-1]) != key:
                continue
            if best is None or len(other_words) > len(best.text.split()):
                best = other
        return best

    def _acronyms(self, named: list[Draft]) -> dict[str, Draft]:
        """ "Hayat Tahrir al-Sham (HTS)": the acronym stands for the name before it."""
        found: dict[str, Draft] = {}
        for first, second in itertools.pairwise(named):
            between = self.text[first.end_char : second.start_char]
            if between.strip() == "(" and second.text.isupper() and len(second.text) <= 8:
                found.setdefault(second.text, first)
        return found

    def _dateline_place(self, drafts: list[Draft]) -> None:
        """ "NAIROBI (GWS) -": the dateline says where the story was filed.

        Its names are no actors of the story (flagged ``is_descriptor``, so no
        event takes them as source or target), and its city is a place whatever
        the model took it for.
        """
        match = _DATELINE.match(self.text[:200])
        if not match:
            return
        city = match["city"].strip()
        if not (city.isupper() or match["agency"]):
            return
        start = match.start("city")
        for draft in drafts:
            if not (start <= draft.start_char < match.end()):
                continue
            draft.is_descriptor = True
            if draft.method == "model" and draft.start_char <= start < draft.end_char:
                place = get_gazetteer().resolve(city.title(), self.context)
                if place is not None:
                    draft.label, draft.place, draft.is_metonym = "GPE", place, False

    def dateline(self) -> tuple[str, Place, int | None] | None:
        match = _DATELINE.match(self.text[:200])
        if not match:
            return None
        city = match["city"].strip()
        if not (city.isupper() or match["agency"]):
            return None
        gazetteer = get_gazetteer()
        place = gazetteer.resolve(city.title(), self.context)
        if place is None and match["region"]:
            place = gazetteer.resolve(match["region"], self.context)
        if place is None:
            return None
        start = match.start("city")
        index = next((d.index for d in self.drafts if d.start_char <= start < d.end_char), None)
        return city, place, index

    def build(self) -> AnnotatedDocument:
        self.resolve_nominals()
        self.resolve_names()
        mentions = []
        for draft in self.drafts:
            resolved = draft.resolved_to
            mentions.append(
                Mention(
                    index=draft.index,
                    sentence_index=max(draft.sentence_index, 0),
                    start=draft.start_char,
                    end=draft.end_char,
                    text=draft.text,
                    label=draft.label,
                    method=draft.method,
                    dictionary_key=draft.key or (resolved.key if resolved else None)
                    if draft.method == "coreference"
                    else draft.key,
                    resolved_text=resolved.text if resolved else None,
                    resolved_index=resolved.index if resolved else None,
                    is_metonym=draft.is_metonym,
                    nationality=draft.nationality,
                    role=draft.role,
                    sponsor=draft.sponsor,
                    place=draft.place,
                    is_descriptor=draft.is_descriptor,
                )
            )
        dateline = self.dateline() if self.events else None
        events = []
        for draft_event, sentence_index, offset in sorted(
            self.events, key=lambda item: item[0].trigger_start + item[2]
        ):
            place_draft = draft_event.place
            event = EventMention(
                index=len(events),
                sentence_index=max(sentence_index, 0),
                trigger_start=draft_event.trigger_start + offset,
                trigger_end=draft_event.trigger_end + offset,
                trigger_text=draft_event.trigger_text,
                trigger_lemma=draft_event.trigger_lemma,
                predicate=draft_event.predicate,
                sources=[d.index for d in draft_event.sources],
                targets=[d.index for d in draft_event.targets],
                source_text=", ".join(d.text for d in draft_event.sources) or None,
                target_text=", ".join(d.text for d in draft_event.targets) or None,
                attributed_to=draft_event.attributed_to.index
                if draft_event.attributed_to
                else None,
                negated=draft_event.negated,
                modality=draft_event.modality,
                is_background=draft_event.is_background,
                event_date=draft_event.event_date,
                date_cue=draft_event.date_cue,
                sponsor_text=draft_event.sponsor_text,
                confidence=draft_event.confidence,
            )
            if place_draft is not None:
                event.place_text = place_draft.text
                event.place_source = "locative"
                event.place_mention_index = place_draft.index
                event.place = place_draft.place
            elif dateline is not None:
                event.place_text, event.place, event.place_mention_index = dateline
                event.place_source = "dateline"
            events.append(event)
        _share_dates(events, mentions)
        return AnnotatedDocument(
            status="ok",
            language=self.language,
            pipeline=self.pipeline.name,
            annotator_version=ANNOTATOR_VERSION,
            sentences=self.sentences,
            mentions=mentions,
            events=events,
            truncated_at=self.truncated_at,
        )


def _head_word(role: str) -> str:
    word = role.split()[-1].lower()
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _referent(mentions: list[Mention], index: int) -> int:
    resolved = mentions[index].resolved_index
    return resolved if resolved is not None else index


def _share_dates(events: list[EventMention], mentions: list[Mention]) -> None:
    """A lead that leaves the date to the next sentence gets it from there.

    "Fighters crossed into Syria ..." then "... the fighters slipped into Syria
    on Sunday": the same actors moving the same way into the same target within
    two sentences are one event told twice, so the undated telling takes the
    dated one's day (and cue).  Nothing else is propagated.
    """
    for first in events:
        if first.event_date is not None or first.is_background or not first.targets:
            continue
        sources = {_referent(mentions, i) for i in first.sources}
        targets = {mentions[i].dictionary_key or mentions[i].text for i in first.targets}
        last_word = first.predicate.split()[-1]
        for later in events:
            if later.sentence_index <= first.sentence_index:
                continue
            if later.sentence_index > first.sentence_index + 2:
                break
            if later.event_date is None or later.is_background:
                continue
            if (
                later.predicate.split()[-1] != last_word
                and later.trigger_lemma != first.trigger_lemma
            ):
                continue
            if {mentions[i].dictionary_key or mentions[i].text for i in later.targets} != targets:
                continue
            if not sources & {_referent(mentions, i) for i in later.sources}:
                continue
            first.event_date, first.date_cue = later.event_date, later.date_cue
            break
