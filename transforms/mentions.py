"""Actor and place mentions in one spaCy ``Doc``, with their descriptors.

A mention is one of:

* a named entity: the dictionary's EntityRuler match (``method='dictionary'``,
  ``dictionary_key`` = ``actor_code``) or the model's NER (``method='model'``),
  kept even when no dictionary entry matches so dbt can list it as unresolved;
* a nominal actor: a noun phrase headed by a role noun from ``role_nouns.csv``
  ("Iraqi security officials", "Iran-backed Shiite militia fighters from
  Iraq", "the Syrian army"), ``method='rules'``;
* a place named by a nationality ("Syrian soil");
* a personal pronoun whose antecedent is a person mentioned just before
  (``method='coreference'``).

Descriptors that coding needs are stored on the mention: ``nationality``
("Iraqi", "Turkish", "Iraq" in "fighters from Iraq", "Jordan" in "Jordan's
King Abdullah II"), ``role`` (titles and role nouns: "Foreign Minister",
"security officials") and ``sponsor`` ("Iran" in "Iran-backed").  A name used
only as another mention's descriptor is still stored but flagged
``is_descriptor``, so it never becomes an event's source or target by itself.
Capitals standing for their government ("Tehran decided") are flagged
``is_metonym``; places are resolved with the gazetteer.

Both pipelines use this module: with the model the dependency parse shapes
noun phrases; on the rule path the same decisions are made on adjacency.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from transforms.dates import MONTHS, WEEKDAYS
from transforms.dictionary import ActorDictionary, normalize_term
from transforms.lexicon import (
    CREDIT_LINE_START,
    GENERIC_ACTOR_HEADS,
    PERSON_PRONOUNS,
    TITLE_WORDS,
)
from transforms.mention_drafts import (
    ACTOR_LABELS,
    LOCATION_MARKERS,
    MISLABELS,
    OF_PLACE_HEADS,
    PLACE_LABELS,
    PLACE_PREPS,
    POSSESSIVE,
    Draft,
    MentionSet,
)
from transforms.nominal_mentions import NominalPass
from transforms.places import Gazetteer, place_key

__all__ = ["find_mentions"]


class _Finder(NominalPass):
    """All passes over one ``Doc``, in the order :meth:`run` calls them."""

    # -- named entities ------------------------------------------------------
    def entities(self) -> None:
        doc = self.doc
        for ent in doc.ents:
            start, end = ent.start, ent.end
            while start < end and (doc[start].is_punct or doc[start].lower_ == "the"):
                start += 1
            while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
                end -= 1
            if start >= end:
                continue
            text = self.text(start, end)
            label = ent.label_
            key = ent.ent_id_ or None
            method = "dictionary" if key else ("model" if self.parsed else "rules")
            if key is None:
                term = self.dictionary.best(text, ("name", "alias"))
                if term is not None and not (label == "NORP" and term.actor_kind == "country"):
                    key = term.actor_code
                    method = "dictionary"
            if label not in ACTOR_LABELS or (label == "NORP" and key is None):
                if label in MISLABELS and self._looks_like_place(start, end, text):
                    label = "GPE"
                elif label not in ACTOR_LABELS:
                    continue
            if label == "NORP" and key is None:
                adjective = self.dictionary.is_adjective(text)
                key = adjective.actor_code if adjective else None
            draft = Draft(start, end, end - 1, label, method, key=key)
            if self.parsed:
                draft.head = doc[start:end].root.i
            self.drafts.append(draft)
            for i in range(start, end):
                self.entity_of[i] = draft

    def _looks_like_place(self, start: int, end: int, text: str) -> bool:
        token = self.doc[start]
        if not token.text[:1].isupper() or self.dictionary.lookup(text):
            return False
        if self.parsed and token.tag_ not in ("NNP", "NNPS"):
            return False
        found = self.gazetteer().candidates(text)
        return any(
            c.place.precision != "city" or c.population >= 100_000 or c.primary for c in found
        )

    # -- descriptors of named actors ----------------------------------------------
    def titles(self) -> None:
        """Titles, nationality and possessive country to the left of a name."""
        doc = self.doc
        for draft in self.drafts:
            if draft.label not in ("PERSON", "ORG"):
                continue
            role_words: list[str] = []
            i = draft.start - 1
            sent_start = doc[draft.start].sent.start
            while i >= sent_start:
                token = doc[i]
                other = self.entity_of.get(i)
                if token.text in POSSESSIVE and i - 1 >= sent_start:
                    owner = self.entity_of.get(i - 1)
                    if owner is not None and owner.label in ("GPE", "NORP"):
                        draft.nationality = draft.nationality or self.text(owner.start, owner.end)
                        owner.is_descriptor = True
                        self.consumed.update(range(owner.start, owner.end))
                        i = owner.start - 1
                        continue
                    break
                if other is not None:
                    if other.label == "NORP" or (
                        other.label == "GPE"
                        and self.country_term(self.text(other.start, other.end))
                    ):
                        draft.nationality = draft.nationality or self.text(other.start, other.end)
                        self.consumed.update(range(other.start, other.end))
                        if other.label == "GPE":
                            other.is_descriptor = True
                        i = other.start - 1
                        continue
                    break
                word = token.lower_
                if token.is_alpha and (
                    word in TITLE_WORDS
                    or self.dictionary.role_sector(word)
                    or self._portfolio(token, role_words)
                ):
                    if word in ("the", "of", "state") and not role_words:
                        break
                    role_words.insert(0, token.text)
                    i -= 1
                    continue
                break
            while role_words and role_words[0].lower() in ("the", "of"):
                role_words.pop(0)
            if role_words:
                draft.role = " ".join(role_words)
            if self.parsed:
                self._apposition(draft)

    @staticmethod
    def _portfolio(token: Any, role_words: list[str]) -> bool:
        """A capitalised word before a title already read names its portfolio
        ("Commerce Minister", "Trade Minister"), so the nationality to its left
        ("Chinese Commerce Minister Wang") still reaches the name.  A portfolio
        the model tags as an organisation ("Homeland Security") still stops the walk."""
        return bool(
            role_words
            and token.is_title
            and not token.is_stop
            and token.pos_ in ("PROPN", "NOUN", "")
            and token.lower_ not in WEEKDAYS
            and token.lower_ not in MONTHS
            and token.ent_type_ not in ("DATE", "TIME", "CARDINAL", "ORDINAL")
        )

    def _apposition(self, draft: Draft) -> None:
        """ "Hakan Fidan, Turkey's foreign minister," -> role and nationality."""
        root = self.doc[draft.head]
        for child in root.children:
            if child.dep_ != "appos" or child.i in self.entity_of or not self.role_word(child):
                continue
            words = [t for t in child.lefts if t.dep_ in ("compound", "amod")]
            draft.role = draft.role or " ".join(t.text for t in [*words, child])
            for left in child.lefts:
                owner = self.entity_of.get(left.i)
                if (
                    owner is not None
                    and owner.label in ("GPE", "NORP")
                    and left.dep_
                    in (
                        "poss",
                        "amod",
                        "compound",
                    )
                ):
                    draft.nationality = draft.nationality or self.text(owner.start, owner.end)
                    owner.is_descriptor = owner.label == "GPE"
                    self.consumed.update(range(owner.start, owner.end))

    # -- standalone names, places, metonymy ------------------------------------
    def places(self) -> None:
        gazetteer = self.gazetteer()
        doc = self.doc
        for draft in self.drafts:
            if draft.label not in PLACE_LABELS or draft.place is not None:
                continue
            text = self.text(draft.start, draft.end)
            capital = self.dictionary.capital_of(text)
            actor = self.dictionary.actors.get(draft.key or "")
            if actor is not None and actor.kind == "country" and capital is None:
                draft.place = gazetteer.country(actor.country_code or actor.code)
            else:
                draft.place = gazetteer.resolve(text, self.context)
            if capital is not None:
                draft.is_metonym = not self._locative(draft)
        # unlabelled names after a locative preposition ("clashes near Idlib")
        previous = ""
        for token in self.tokens:
            before, previous = previous, token.lower_
            if before not in LOCATION_MARKERS or not token.is_title or token.i in self.entity_of:
                continue
            if self.parsed and token.pos_ != "PROPN":
                continue
            end = token.i + 1
            while end < len(doc) and doc[end].is_title and end not in self.entity_of:
                end += 1
            text = self.text(token.i, end)
            if self.dictionary.lookup(text):
                continue
            place = gazetteer.resolve(text, self.context)
            if place is None:
                continue
            draft = Draft(token.i, end, end - 1, "GPE", "rules", place=place)
            if self.parsed:
                draft.head = doc[token.i : end].root.i
            self.drafts.append(draft)
            for i in range(token.i, end):
                self.entity_of[i] = draft

    def _locative(self, draft: Draft) -> bool:
        doc = self.doc
        if self.parsed:
            head = doc[draft.head]
            if head.dep_ == "pobj" and head.head.lower_ in LOCATION_MARKERS:
                return head.head.head.pos_ not in ("ADJ",)  # "loyal to Tehran" is the regime
            return False
        return draft.start > 0 and doc[draft.start - 1].lower_ in LOCATION_MARKERS

    def standalone(self) -> None:
        """Bind every named mention's tokens; drop adjectives used as descriptors."""
        kept = []
        for draft in self.drafts:
            if draft.label == "NORP" and draft.start in self.consumed and draft.method != "rules":
                continue  # "Iraqi" inside "Iraqi security officials"
            name_end = self._unknown_name_end(draft) if draft.label == "NORP" else None
            if name_end is not None:  # "American Airlines", "the Korean Peninsula"
                draft.end, draft.head, draft.label = name_end, name_end - 1, "ORG"
                draft.key, draft.method = None, "model" if self.parsed else "rules"
            if draft.label == "NORP" and draft.nationality is None and draft.method != "rules":
                term = self.dictionary.is_adjective(self.text(draft.start, draft.end))
                draft.nationality = self.text(draft.start, draft.end) if term else None
            kept.append(draft)
            if draft.method != "rules" or draft.label in PLACE_LABELS:
                for i in range(draft.start, draft.end):
                    self.bind(i, draft)
                self.bind(draft.head, draft)
        self.drafts = kept

    def _unknown_name_end(self, draft: Draft) -> int | None:
        """Where the name ends that a nationality adjective begins, if the dictionary lacks it.

        "American Airlines", "the British Museum", "the Korean Peninsula": the
        adjective is part of the name of a company, an institution or a place,
        not the nation; the whole name becomes one mention with no dictionary
        key, which dbt lists as unresolved.  A title or role inside the name
        keeps the nation ("Russian Foreign Minister", "Chinese President",
        "Syrian Army").  The parse says a name where the adjective is a
        proper-noun compound of a proper noun; on the rule path it is followed
        by capitalised words.
        """
        doc = self.doc
        if not self.dictionary.is_adjective(self.text(draft.start, draft.end)):
            return None
        last = doc[draft.end - 1]
        if self.parsed and not (
            last.pos_ == "PROPN"
            and last.dep_ == "compound"
            and last.head.i >= draft.end
            and last.head.pos_ == "PROPN"
        ):
            return None
        stop = last.head.i + 1 if self.parsed else len(doc)  # the parse says where it ends
        end = draft.end
        while (
            end < stop
            and doc[end].is_alpha
            and doc[end].text[:1].isupper()
            and end not in self.entity_of
        ):
            if self.role_word(doc[end]) or doc[end].lower_ in GENERIC_ACTOR_HEADS:
                return None
            end += 1
        complete = end == stop if self.parsed else end > draft.end
        return end if complete else None

    # -- pronouns ----------------------------------------------------------------
    def pronouns(self) -> None:
        for token in self.tokens:
            if token.lower_ not in PERSON_PRONOUNS:
                continue
            if self.parsed and token.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj", "dative"):
                continue
            antecedent = self._antecedent(token)
            if antecedent is None:
                continue
            self._refer(token, "PERSON", antecedent)

    def _antecedent(self, token: Any) -> Draft | None:
        """The last person named before the pronoun, here or in the article so far."""
        sentence_start = token.sent.start
        best = None
        for draft in self.drafts:
            if draft.label != "PERSON" or draft.start >= token.i or draft.is_descriptor:
                continue
            if draft.method == "coreference":
                continue
            if best is None or draft.start > best.start:
                best = draft
        if best is not None and best.start >= max(0, sentence_start - 400):
            return best
        return self.last_person(token.i)

    def _context(self) -> None:
        """Countries the article's unambiguous names point at (for place readings)."""
        gazetteer = self.gazetteer()
        for draft in self.drafts:
            actor = self.dictionary.actors.get(draft.key or "")
            if actor is not None and actor.country_code:
                self.context[actor.country_code] += 1
            elif draft.label in PLACE_LABELS:
                place = gazetteer.is_unambiguous(self.text(draft.start, draft.end))
                if place is not None and place.country:
                    self.context[place.country] += 1

    # -- places named like actors ------------------------------------------------
    def place_names(self) -> None:
        """Model entities that are places, not actors.

        The small model tags unfamiliar towns as organisations or people
        ("west of El Fasher" ORG, "camps near Adre" PERSON) and leaves regions
        it cannot place ("in Darfur"): a name that is the object of a locative
        preposition (or of "of" after a direction or place noun) and that the
        gazetteer knows is a place; one the gazetteer does not know is a place
        of unknown location (``LOC``), not an actor.  An organisation the
        gazetteer knows as a big place in the article's country ("shelled El
        Fasher") is that place too, and a plural of the shared word of several
        countries' names ("the two Koreas") is a region, not one actor.
        """
        gazetteer = self.gazetteer()
        for draft in self.drafts:
            if draft.method != "model" or draft.key is not None:
                continue
            text = self.text(draft.start, draft.end)
            if self.dictionary.lookup(text):
                continue
            locative = self._place_position(draft)
            if draft.label in ("ORG", "PERSON"):
                found = [c for c in gazetteer.candidates(text) if c.primary]
                if not found:
                    continue
                if not locative:
                    key = place_key(text)
                    found = [
                        c
                        for c in found
                        if place_key(c.place.name) == key
                        and self.context.get(c.place.country or "")
                        and (c.place.precision == "division" or c.population >= 100_000)
                    ]
                if found:
                    draft.label = "GPE"
                    draft.place = gazetteer.resolve(text, self.context)
            elif draft.label in PLACE_LABELS and draft.place is None:
                if gazetteer.candidates(text):
                    continue  # resolved by places()
                if locative or self._plural_of_countries(text):
                    draft.label = "LOC"

    def _place_position(self, draft: Draft) -> bool:
        doc = self.doc
        if self.parsed:
            head = doc[draft.head]
            if head.dep_ != "pobj":
                return False
            prep = head.head
            if prep.lower_ in PLACE_PREPS:
                return True
            return prep.lower_ == "of" and prep.head.lower_ in OF_PLACE_HEADS
        if draft.start == 0:
            return False
        before = doc[draft.start - 1].lower_
        if before in PLACE_PREPS:
            return True
        return before == "of" and draft.start > 1 and doc[draft.start - 2].lower_ in OF_PLACE_HEADS

    def _plural_of_countries(self, text: str) -> bool:
        """ "Koreas", "Congos": the plural of a word shared by several countries' names."""
        word = normalize_term(text)
        return (
            " " not in word
            and word.endswith("s")
            and word[:-1] in self.dictionary.country_name_cores
        )

    def credit_lines(self) -> None:
        """Wire credit lines ("Reporting by ...; editing by ...") name no actor."""
        skip: set[int] = set()
        for sentence in self.doc.sents:
            words = [t.lower_ for t in sentence[:4] if not t.is_punct or t.lower_ == ":"]
            line = " ".join(words)
            if any(line.startswith(start.replace(":", " :")) for start in CREDIT_LINE_START):
                skip.update(range(sentence.start, sentence.end))
        if not skip:
            return
        self.drafts = [d for d in self.drafts if d.start not in skip]
        for i in skip:
            self.by_token.pop(i, None)

    def run(self) -> MentionSet:
        self.entities()
        self._context()
        self.titles()
        self.nominals()
        self.places()
        self.place_names()
        self.standalone()
        self.pronouns()
        self.credit_lines()
        for draft in self.drafts:
            span = self.doc[draft.start : draft.end]
            draft.start_char = span.start_char
            draft.end_char = span.end_char
            draft.text = span.text
        self.drafts.sort(key=lambda d: (d.start_char, -d.end_char))
        return MentionSet(self.drafts, self.by_token)


def find_mentions(
    doc: Any,
    dictionary: ActorDictionary,
    gazetteer: Callable[[], Gazetteer],
    *,
    parsed: bool,
    last_person: Callable[[int], Draft | None] | None = None,
    context: Counter[str] | None = None,
    last_named: Callable[[str], Draft | None] | None = None,
) -> MentionSet:
    """Every actor and place mention in ``doc``, descriptors attached."""
    finder = _Finder(
        doc,
        dictionary,
        gazetteer,
        parsed=parsed,
        last_person=last_person or (lambda _i: None),
        context=context if context is not None else Counter(),
        last_named=last_named or (lambda _head: None),
    )
    return finder.run()
