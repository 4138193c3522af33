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
from dataclasses import dataclass, field
from typing import Any

from transforms.dictionary import ActorDictionary, normalize_term
from transforms.inflect import singular
from transforms.lexicon import (
    ADJECTIVE_NOT_ACTOR,
    CREDIT_LINE_START,
    DESTINATION_PREPS,
    DIRECTION_WORDS,
    GENERIC_ACTOR_HEADS,
    LOCATIVE_PREPS,
    PERSON_PRONOUNS,
    PLACE_NOUNS,
    SPONSOR_PARTICIPLES,
    TITLE_WORDS,
)
from transforms.places import Gazetteer, place_key
from transforms.types import Place

__all__ = ["Draft", "MentionSet", "find_mentions"]

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


class _Finder:
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
                if token.is_alpha and (word in TITLE_WORDS or self.dictionary.role_sector(word)):
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

    # -- nominal actors --------------------------------------------------------
    def nominals(self) -> None:
        doc = self.doc
        heads = self._heads
        for token in self.tokens:
            word = token.lower_
            if word not in heads and (
                not self.parsed or (token.lemma_ or word).lower() not in heads
            ):
                continue
            if token.i in self.entity_of or not token.is_alpha:
                continue
            if self.parsed and token.pos_ not in ("NOUN", "PROPN", "ADJ"):
                continue
            is_role = self.role_word(token)
            is_place = word in PLACE_NOUNS
            is_generic = word in GENERIC_ACTOR_HEADS
            if not (is_role or is_place or is_generic):
                continue
            if self.parsed:
                if token.pos_ == "ADJ" and not (
                    is_role
                    and token.dep_ in ("amod", "compound")
                    and token.lower_ not in ADJECTIVE_NOT_ACTOR
                ):
                    continue
                head = token.head
                if token.dep_ in ("compound", "amod") and head.i != token.i:
                    if self.role_word(head) or head.lower_ in GENERIC_ACTOR_HEADS:
                        continue  # part of a bigger actor phrase: "militia fighters"
                    if head.i in self.entity_of:
                        continue
                start = self._np_start(token)
            else:
                nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
                if (
                    nxt is not None
                    and nxt.is_alpha
                    and (self.role_word(nxt) or nxt.lower_ in GENERIC_ACTOR_HEADS)
                ):
                    continue
                if token.text[:1].isupper() and token.i > 0 and not doc[token.i].is_sent_start:
                    continue  # a capitalised word mid-sentence is a name, not a role noun
                start = self._adjacent_start(token)
            end = token.i + 1
            self._nominal(token, start, end, is_role=is_role, is_place=is_place)

    def _np_start(self, token: Any) -> int:
        start = token.i
        for child in token.lefts:
            if child.dep_ not in NP_MODIFIERS or (child.dep_ == "poss" and child.pos_ == "PRON"):
                continue
            if child.dep_ in ("amod", "advmod", "nmod") and not self._descriptive(child):
                continue  # "swift and surprising insurgent": no descriptor
            start = min(start, child.left_edge.i)
        while start < token.i and (self.doc[start].is_punct or self.doc[start].pos_ == "DET"):
            start += 1
        return start

    def _descriptive(self, modifier: Any) -> bool:
        """A modifier worth keeping in an actor phrase: a name, a role, a sponsor."""
        for t in modifier.subtree:
            if t.i in self.entity_of or self.role_word(t) or t.lower_ in SPONSOR_PARTICIPLES:
                return True
        return False

    def _adjacent_start(self, token: Any) -> int:
        doc = self.doc
        start = token.i
        i = token.i - 1
        while i >= 0:
            prev = doc[i]
            if prev.lower_ in DETERMINERS:
                break
            owner = self.entity_of.get(i)
            if owner is not None and owner.label in ("NORP", "GPE"):
                start = i = owner.start
                i -= 1
                continue
            if prev.lower_ in SPONSOR_PARTICIPLES and i >= 2 and doc[i - 1].text == "-":
                start = i = i - 2
                owner = self.entity_of.get(i)
                if owner is not None:
                    start = i = owner.start
                i -= 1
                continue
            phrase = f"{prev.lower_} {doc[start : token.i + 1].text.lower()}"
            if prev.is_alpha and (
                self.dictionary.role_sector(phrase)
                or self.dictionary.role_sector(f"{prev.lower_} {token.lower_}")
                or (start == token.i and self.dictionary.role_sector(prev.lower_))
            ):  # "security officials", "opposition groups"
                start = i
                i -= 1
                continue
            if prev.is_alpha and prev.text[:1].isupper() and not prev.is_sent_start and i > 0:
                start = i  # "Shiite militia": a capitalised modifier
                i -= 1
                continue
            break
        return start

    def _nominal(self, token: Any, start: int, end: int, *, is_role: bool, is_place: bool):
        doc = self.doc
        nationalities: list[Draft] = []
        sponsor: str | None = None
        sponsor_tokens: set[int] = set()
        named: Draft | None = None
        for i in range(start, end):
            owner = self.entity_of.get(i)
            if owner is None or i != owner.start:
                if doc[i].lower_ in SPONSOR_PARTICIPLES:
                    sponsor_owner = self._sponsor_owner(i)
                    if sponsor_owner is not None:
                        sponsor = self.text(sponsor_owner.start, sponsor_owner.end)
                        sponsor_tokens.update(range(sponsor_owner.start, sponsor_owner.end))
                        sponsor_tokens.update({i, i - 1})
                        sponsor_owner.is_descriptor = True
                continue
            if owner.label in ("PERSON", "ORG"):
                named = owner
            elif owner.label in ("NORP", "GPE"):
                nationalities.append(owner)
        nationalities = [n for n in nationalities if n.start not in sponsor_tokens]
        # "insurgents of Hayat Tahrir al-Sham": the group is the actor
        if named is None and end + 1 < len(doc) and doc[end].lower_ == "of":
            owner = self.entity_of.get(end + 1)
            if owner is not None and owner.label == "ORG" and owner.start == end + 1:
                named = owner
        # "fighters from Iraq", "“resistance groups” from Iraq"
        after = end
        k = end
        while k < len(doc) and doc[k].is_quote:
            k += 1
        if k < len(doc) and doc[k].lower_ in ("from", "of"):
            owner = self.entity_of.get(k + 1)
            if (
                owner is not None
                and owner.label == "GPE"
                and (not self.parsed or doc[k].head.i == token.i)
                and (
                    doc[k].lower_ == "from" or self.country_term(self.text(owner.start, owner.end))
                )
            ):
                nationalities.append(owner)
                after = owner.end
        # a country outranks a creed as nationality: "Shiite militia fighters from Iraq"
        nationalities.sort(
            key=lambda n: (not self.country_term(self.text(n.start, n.end)), n.start)
        )
        excluded = set(sponsor_tokens)
        for n in nationalities:
            excluded.update(range(n.start, n.end))
        role_tokens = [
            doc[i]
            for i in range(start, end)
            if i not in excluded
            and doc[i].is_alpha
            and doc[i].lower_ not in SPONSOR_PARTICIPLES
            and doc[i].lower_ not in ("and", "or", "nor")
            and (not self.parsed or doc[i].dep_ not in ("cc", "det", "predet"))
            and (named is None or not (named.start <= i < named.end))
        ]
        role = " ".join(t.text for t in role_tokens) or None
        if named is not None and not is_place:
            # "the Assad regime", "Hezbollah fighters": the name is the actor
            named.role = named.role or role
            named.sponsor = named.sponsor or sponsor
            self.bind(token.i, named)
            return
        if (
            is_role
            and not is_place
            and not (nationalities or sponsor)
            and not self._role_noun(role_tokens)
        ):
            # "the agency", "aid agencies": only the head of a role noun ("news agency"),
            # no actor by itself; "the agency" after "the International Atomic Energy
            # Agency" is that agency
            self._definite_reference(token)
            return
        if is_place and not is_role:
            if not nationalities:
                return
            country = nationalities[0]
            place = self._place_of_nationality(country, token.lower_)
            draft = Draft(
                start,
                after,
                token.i,
                "LOC",
                "rules",
                nationality=self.text(country.start, country.end),
                role=role,
                place=place,
            )
        else:
            if not is_role and not (nationalities or sponsor):
                return  # "groups" alone says nothing
            label = "NORP" if nationalities else "ORG"
            draft = Draft(start, after, token.i, label, "rules", role=role, sponsor=sponsor)
            if nationalities:
                draft.nationality = self.text(nationalities[0].start, nationalities[0].end)
            if len(nationalities) > 1 and self._coordinated(nationalities):
                # "Syrian and Iranian officials": one mention per country
                for other in nationalities[1:]:
                    twin = Draft(
                        other.start,
                        other.end,
                        token.i,
                        label,
                        "rules",
                        nationality=self.text(other.start, other.end),
                        role=role,
                        sponsor=sponsor,
                    )
                    self.drafts.append(twin)
                    self.bind(token.i, twin)
                    self.consumed.update(range(other.start, other.end))
                draft.end = nationalities[0].end
                draft.start = nationalities[0].start
        for n in nationalities:
            self.consumed.update(range(n.start, n.end))
            if n.label == "GPE":
                n.is_descriptor = True
        self.drafts.append(draft)
        self.bind(token.i, draft)
        for i in range(draft.start, draft.end):
            if i not in self.entity_of:
                self.bind(i, draft)

    def _role_noun(self, tokens: list[Any]) -> bool:
        """Do the role words end in a listed role noun ("security officials", "army") or
        hold one ("opposition groups")?"""
        words = [t.lower_ for t in tokens]
        lemma = (tokens[-1].lemma_ or words[-1]).lower() if tokens else ""
        role_sector = self.dictionary.role_sector
        for n in range(len(words)):
            if role_sector(" ".join(words[n:])) or role_sector(" ".join([*words[n:-1], lemma])):
                return True
        return any(role_sector(word) for word in words[:-1])

    def _definite_reference(self, token: Any) -> None:
        """ "the agency" -> the latest named organisation whose name ends in "Agency"."""
        if token.i == 0 or self.doc[token.i - 1].lower_ not in ("the", "this"):
            return
        head = singular(token.lower_)
        antecedent = None
        for draft in self.drafts:
            if (
                draft.label == "ORG"
                and draft.method in ("dictionary", "model")
                and draft.end <= token.i
                and singular(self.doc[draft.end - 1].lower_) == head
                and (antecedent is None or draft.start > antecedent.start)
            ):
                antecedent = draft
        if antecedent is None:
            antecedent = self.last_named(head)
        if antecedent is None:
            return
        self._refer(token, "ORG", antecedent)

    def _coordinated(self, nationalities: list[Draft]) -> bool:
        first, second = nationalities[0], nationalities[1]
        between = self.doc[first.end : second.start]
        return (
            any(t.lower_ in ("and", "or", ",", "&") for t in between) and second.start > first.end
        )

    def _sponsor_owner(self, participle: int) -> Draft | None:
        """The name before "-backed": "Iran-backed", "Turkish-supported"."""
        doc = self.doc
        if participle >= 2 and doc[participle - 1].text in ("-", "–"):
            return self.entity_of.get(participle - 2)
        if participle >= 1:
            return self.entity_of.get(participle - 1)
        return None

    def _place_of_nationality(self, country: Draft, noun: str) -> Place | None:
        gazetteer = self.gazetteer()
        code = self._country_code(country)
        if code is None:
            return None
        if noun == "capital":
            actor = self.dictionary.actors.get(code)
            if actor and actor.capital:
                found = gazetteer.resolve(actor.capital, Counter({actor.country_code or code: 1}))
                if found:
                    return found
        return gazetteer.country(code)

    def _country_code(self, draft: Draft) -> str | None:
        term = self.dictionary.is_country_term(self.text(draft.start, draft.end))
        if term is not None:
            actor = self.dictionary.actors.get(term.actor_code)
            return actor.country_code if actor and actor.country_code else term.actor_code
        return None

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
            if draft.label == "NORP" and draft.nationality is None and draft.method != "rules":
                term = self.dictionary.is_adjective(self.text(draft.start, draft.end))
                draft.nationality = self.text(draft.start, draft.end) if term else None
            kept.append(draft)
            if draft.method != "rules" or draft.label in PLACE_LABELS:
                for i in range(draft.start, draft.end):
                    self.bind(i, draft)
                self.bind(draft.head, draft)
        self.drafts = kept

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

    def _refer(self, token: Any, label: str, antecedent: Draft) -> None:
        """A one-word mention ("he", "the ministry") that stands for ``antecedent``."""
        draft = Draft(token.i, token.i + 1, token.i, label, "coreference")
        draft.resolved_to = antecedent
        self.drafts.append(draft)
        self.bind(token.i, draft)

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


def normalized(text: str) -> str:
    return normalize_term(text)
