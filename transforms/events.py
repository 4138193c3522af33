"""Event candidates from the dependency parse: who did what to whom, and how sure.

For every verb with an actor among its arguments the annotator emits one
candidate: source mention(s), a predicate, target mention(s), and flags.

Predicate format (what dbt matches against ``event_codebook.lemmas``)::

    <verb lemma> [<particle>] [<object noun>] [<preposition>]

all lower case, single spaces: ``cross into``, ``meet with``, ``join talks
with``, ``withdraw from``, ``pull out of``, ``offer assistance``, ``rout``.
The verb is its lemma (checked against the verbs the annotator knows:
"staged" is ``stage``, not the lemmatizer's "stag"); a particle is kept ("pull
out"); the direct object is kept, in lower case, when it is an event noun of
the codebook (``* talks``) or forms a codebook pattern with the verb (``send
troops``), as written or as its lemma when only that is in the codebook
("carried out strikes" -> ``carry out strike``), and always after a light verb
("staged a protest" -> ``stage protest``, "issued a warning" -> ``issue
warning``); the preposition is the one that introduces the first target
("with" in "meet with Assad").  Passives are made active: "the army was routed
by insurgents" gives ``rout`` with the insurgents as source and the army as
target.  ``trigger_lemma`` is the verb's lemma alone, the fallback dbt uses
when no longer pattern matches; after a light verb that is no codebook verb
itself it is the verb of the noun ("conducted raids" -> ``raid``).

Several sources and no target: one candidate when the predicate is symmetric
("Russia and Iran met", "signed a deal", "held talks", "accused each other",
"agreed to exchange prisoners"), which dbt pairs among themselves; otherwise
the same act of each of them, one candidate per source ("France, Germany and
the UK criticised the move" is no act of France on Germany).

Constructions handled: reported speech ("X said that Y did Z" gives Y->Z,
``modality='reported'``, ``attributed_to`` X; X's "say" is a candidate of its
own), quotations attributed after the quote, relative clauses ("Turkey, which
invaded Syria"), passives, coordination of arguments ("talks with Russia and
Iran" gives two targets) and of verbs (a shared subject), control ("persuaded
Iran to withdraw"), directives ("urged Iran to withdraw", "called on Iran to
withdraw", "pressured Iran into withdrawing", "called for Iran to withdraw":
Iran's act, demanded and attributed to the one who urges; "did not urge"
negates it, coordinated addressees are all sources), purpose clauses ("crossed
into Syria to help Assad"), quantity heads ("Hundreds of ... fighters", "dozens
of strikes"), gerunds ("Araghchi meeting with Assad"), attempts ("tried to
storm the building": the storming is the candidate, with the trying's modality
and negation; "try" is none).

Flags: ``negated`` ("did not attack", "never allow", "refused to");
``modality`` asserted, reported ("reportedly", under "said"), speculative
("speculated that", "might have"), hypothetical ("if", "would"), intended
(future "will", "plans to", "wants to", and "would" under a past reporting
verb: "Syria said it would withdraw"), demanded ("must", "insisted that ...
must", "urged X to"); ``is_background`` for history ("years ago", "a decade
ago", "last century", "in 2016", "during the 2003 invasion", "in the 2000s",
past perfect "had partnered"). The place is the verb's own locative ("in
Damascus", "into Syria"), else the article's dateline; the date comes from the
verb's own time words ("on Sunday") resolved against publication, else from the
clause it depends on, else it stays unknown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from transforms.dates import has_date_word, is_background_time, resolve_date
from transforms.dictionary import ActorDictionary
from transforms.inflect import known_forms_for
from transforms.lexicon import (
    ADDRESSEE_PREPS,
    ATTEMPT_VERBS,
    CONDITIONAL_MARKERS,
    DEMAND_VERBS,
    DESTINATION_PREPS,
    DIRECTIVE_VERBS,
    INTENTION_ADJECTIVES,
    INTENTION_VERBS,
    LIGHT_VERBS,
    LOCATIVE_PREPS,
    MODAL_DEMAND,
    MODAL_FUTURE,
    MODAL_HYPOTHETICAL,
    MODAL_SPECULATIVE,
    NEGATING_INTENTION,
    OBJECT_CONTROL,
    QUANTITY_HEADS,
    RECIPROCAL_NOUNS,
    RECIPROCAL_PRONOUNS,
    RECIPROCAL_SUPPORT_VERBS,
    RECIPROCAL_VERBS,
    REFRAIN_VERBS,
    RELATIVE_PRONOUNS,
    REPORTED_ADVERBS,
    SKIP_VERBS,
    SPECULATION_VERBS,
    SPECULATIVE_ADVERBS,
    SPEECH_VERBS,
    TARGET_PREPS,
)
from transforms.mentions import PLACE_LABELS, Draft, MentionSet

__all__ = [
    "DraftEvent",
    "EventContext",
    "QuoteSpan",
    "distribute_sources",
    "extract_events",
    "is_reciprocal",
]

MODALITY_RANK = {
    "asserted": 0,
    "reported": 1,
    "intended": 2,
    "demanded": 3,
    "speculative": 4,
    "hypothetical": 5,
}
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})
OBJECT_DEPS = frozenset({"dobj", "dative", "iobj", "obj"})
CLAUSE_UP = frozenset({"ccomp", "xcomp", "advcl", "conj", "parataxis", "pcomp", "acl", "relcl"})
TARGET_PREP_ORDER = {p: i for i, p in enumerate(TARGET_PREPS)}
PURPOSE_DEPS = frozenset({"advcl", "xcomp"})
#: prepositions on a plain object that still name the target ("boycott contact with X")
OBJECT_PREPS = DESTINATION_PREPS | {"with", "against", "on"}
REPORTED_PRONOUNS = frozenset({"they", "it", "we", "he", "she"})
NAMING_VERBS = frozenset({"call", "name", "dub", "know", "label", "brand"})
PAST_TAGS = frozenset({"VBD", "VBN"})


@dataclass
class QuoteSpan:
    start: int  # doc token indices, inclusive/exclusive
    end: int
    speaker: Draft | None


@dataclass
class DraftEvent:
    token: int
    trigger_start: int
    trigger_end: int
    trigger_text: str
    trigger_lemma: str
    predicate: str
    sources: list[Draft]
    targets: list[Draft]
    attributed_to: Draft | None
    negated: bool
    modality: str
    is_background: bool
    place: Draft | None
    place_source: str | None
    event_date: date | None
    date_cue: str | None
    sponsor_text: str | None
    confidence: float
    #: a symmetric predicate ("met", "signed a deal", "accused each other"): several
    #: sources without a target act on each other
    reciprocal: bool = False


def is_reciprocal(lemma: str, object_words: Iterable[str], each_other: bool) -> bool:
    """Is "X and Y <verb> [object]" X <-> Y?  ("met", "held talks", "opened a round of
    talks", "accused each other")."""
    if each_other or lemma in RECIPROCAL_VERBS:
        return True
    return lemma in RECIPROCAL_SUPPORT_VERBS and any(w in RECIPROCAL_NOUNS for w in object_words)


def distribute_sources(event: DraftEvent) -> list[DraftEvent]:
    """Several sources without a target: one event, or one per source.

    "Russia and Iran met" is one reciprocal event (dbt pairs the sources);
    "France, Germany and the UK criticised the move" is the same act by each
    of them, with no partner among them: one candidate per source, so that no
    pair of co-sources is coded as acting on each other.
    """
    if event.targets or len(event.sources) < 2 or event.reciprocal:
        return [event]
    return [replace(event, sources=[source]) for source in event.sources]


@dataclass
class EventContext:
    mentions: MentionSet
    dictionary: ActorDictionary
    published: date | None = None
    quotes: tuple[QuoteSpan, ...] = ()


@dataclass
class _Clause:
    modality: str = "asserted"
    attributed_to: Draft | None = None
    negated: bool = False
    #: hypothetical only by "would" (no "if", no "would have"): under a past reporting
    #: verb that is the future of the past ("said it would withdraw" = "will withdraw")
    backshifted: bool = False


def _unique(drafts: Iterable[Draft]) -> list[Draft]:
    out: list[Draft] = []
    for d in drafts:
        if d not in out:
            out.append(d)
    return out


class _Extractor:
    def __init__(self, doc: Any, ctx: EventContext) -> None:
        self.doc = doc
        self.ctx = ctx
        self.mentions = ctx.mentions
        self.dictionary = ctx.dictionary
        self._clause_cache: dict[int, _Clause] = {}
        self._subject_cache: dict[int, tuple[list[Any], bool]] = {}
        self._known_forms = known_forms_for(ctx.dictionary.patterns)
        self._known_lemmas = frozenset(self._known_forms.values())

    def lemma(self, token: Any) -> str:
        """The token's lemma, checked against the verbs the annotator knows.

        The lemmatizer reads some regular "-ed"/"-ing" forms as a noun's
        ("staged" -> "stag", "waged" -> "wag", "hoped" -> "hop"); when its
        lemma is no known verb but the form is an inflection of one, the known
        verb is the lemma.
        """
        lemma = (token.lemma_ or token.lower_).lower()
        if token.tag_ in ("VBD", "VBN", "VBG", "VBZ") and lemma not in self._known_lemmas:
            return self._known_forms.get(token.lower_, lemma)
        return lemma

    # -- arguments -------------------------------------------------------------
    def actors(self, token: Any, depth: int = 0, *, with_modifiers: bool = True) -> list[Draft]:
        """The mentions an argument token stands for (coordination, quantities, relatives)."""
        if depth > 6:
            return []
        found = list(self.mentions.arguments(token.i))
        if not found:
            lower = token.lower_
            if lower in RELATIVE_PRONOUNS and token.head.dep_ in ("relcl", "acl"):
                return self.actors(token.head.head, depth + 1)
            if lower in QUANTITY_HEADS or token.pos_ == "NUM" or token.ent_type_ == "CARDINAL":
                for child in token.children:
                    if child.dep_ == "prep" and child.lower_ in ("of", "from", "among"):
                        for pobj in child.children:
                            if pobj.dep_ == "pobj":
                                found = self.actors(pobj, depth + 1)
                                break
                    if found:
                        break
            if not found and token.pos_ in ("NOUN", "PROPN"):
                found = self._named_as(token, depth)
            if not found and token.pos_ == "PRON" and lower in REPORTED_PRONOUNS:
                found = self._reported_pronoun(token)
            if not found and with_modifiers and token.pos_ in ("NOUN", "PROPN"):
                # "the HTS offensive", "insurgent offensive", "Iran's support";
                # an event noun's possessor is its agent, not a target: "offering
                # his government's assistance"
                deps = ("compound", "nmod", "amod")
                if not self._event_noun(token):
                    deps = (*deps, "poss")
                for child in token.children:
                    if child.dep_ in deps:
                        found.extend(self.mentions.arguments(child.i))
                # "a camp for Congolese refugees", "the computers of army officers"
                if not found and depth < 2:
                    for child in token.children:
                        if child.dep_ == "prep" and child.lower_ in ("of", "for"):
                            for pobj in child.children:
                                if pobj.dep_ == "pobj":
                                    found.extend(
                                        d
                                        for d in self.actors(pobj, depth + 1)
                                        if d.label not in PLACE_LABELS or d.is_metonym
                                    )
        for child in token.children:
            if child.dep_ == "conj":
                found.extend(self.actors(child, depth + 1, with_modifiers=with_modifiers))
            elif child.dep_ == "appos":
                others = self.mentions.arguments(child.i)
                if (
                    found
                    and others
                    and all(
                        o.label in ("PERSON", "ORG")
                        and o.key
                        and o.key not in {f.key for f in found}
                        for o in others
                    )
                ):
                    found.extend(
                        others
                    )  # a misparsed coordination: "Sudani and ... King Abdullah II"
                elif not found:
                    found.extend(others)
        return _unique(found)

    def _named_as(self, token: Any, depth: int) -> list[Draft]:
        """ "an al-Qaeda offshoot called Hayat Tahrir al-Sham", "a group known as X"."""
        for child in token.children:
            if child.dep_ != "acl" or child.lemma_.lower() not in NAMING_VERBS:
                continue
            for grand in child.children:
                if grand.dep_ in ("oprd", "attr", "dobj", "xcomp"):
                    return self.actors(grand, depth + 1)
                if grand.dep_ == "prep" and grand.lower_ == "as":
                    for pobj in grand.children:
                        if pobj.dep_ == "pobj":
                            return self.actors(pobj, depth + 1)
        return []

    def _reported_pronoun(self, token: Any) -> list[Draft]:
        """ "Palestinian leaders said they would boycott ...": they are the speakers."""
        clause = token.head
        steps = 0
        while clause.dep_ in ("conj", "xcomp", "aux") and clause.head.i != clause.i and steps < 4:
            clause = clause.head
            steps += 1
        if clause.dep_ != "ccomp" or self.lemma(clause.head) not in SPEECH_VERBS:
            return []
        speakers = self.actors_of_subject(clause.head, own_only=True)
        if not speakers:
            return []
        plural = token.lower_ in ("they", "we")
        return [s for s in speakers if (s.label == "PERSON") != plural] or speakers

    def _event_noun(self, token: Any) -> bool:
        word = token.lower_
        return word in self.dictionary.event_nouns or word in self.dictionary.object_nouns

    def subjects(self, verb: Any, depth: int = 0) -> tuple[list[Any], bool]:
        """Subject tokens of ``verb`` (inherited through coordination and control).

        Returns the tokens and whether they are the verb's own (not inherited).
        """
        cached = self._subject_cache.get(verb.i)
        if cached is not None:
            return cached
        own = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        result: tuple[list[Any], bool] = (own, True)
        if not own and depth < 6:
            head = verb.head
            dep = verb.dep_
            directed = self._directed(verb)
            if head.i == verb.i:
                result = ([], False)
            elif directed is not None:
                # "urged Iran to withdraw", "called on Iran to withdraw": the addressee
                # acts; "Iran was urged to withdraw", "asked to join": the subject does
                directive, addressees = directed
                result = (addressees or self.subjects(directive, depth + 1)[0], False)
            elif dep == "conj":
                result = (self.subjects(head, depth + 1)[0], False)
                repaired = self._said_object(head)
                if repaired:
                    result = (repaired, False)
            elif dep == "xcomp":
                objects = [c for c in head.children if c.dep_ in OBJECT_DEPS]
                if self.lemma(head) in OBJECT_CONTROL and objects:
                    result = (objects, False)
                elif head.pos_ == "ADJ" and head.dep_ in ("acomp", "amod"):
                    result = (self.subjects(head.head, depth + 1)[0], False)
                else:
                    result = (self.subjects(head, depth + 1)[0], False)
            elif dep in ("advcl", "pcomp") and (
                verb.tag_ in ("VB", "VBG") or any(c.lower_ == "to" for c in verb.children)
            ):
                own_mod = [c for c in verb.children if c.dep_ in ("compound", "poss", "nmod")]
                if own_mod:
                    result = (own_mod, True)
                elif dep == "advcl" and head.pos_ in ("VERB", "AUX"):
                    result = (self.subjects(head, depth + 1)[0], False)
            elif (dep in ("acl",) and verb.tag_ == "VBG") or dep == "relcl":
                result = ([head], False)
            if not result[0]:
                mods = [c for c in verb.children if c.dep_ in ("compound", "poss", "nmod")]
                if mods:
                    result = (mods, True)
        self._subject_cache[verb.i] = result
        return result

    def _said_object(self, verb: Any) -> list[Any]:
        """Repair "officials said three hundred fighters ... used a road": the
        parser made the reported subject the object of "said" and the reported
        verb a conjunct of it.  An actor is rarely what someone says."""
        if self.lemma(verb) not in SPEECH_VERBS:
            return []
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        if objects and self.actors(objects[0]):
            return objects
        return []

    def _directed(self, verb: Any) -> tuple[Any, list[Any]] | None:
        """Is ``verb`` what a directive verb asks of its addressee?

        "urged Iran to withdraw", "called on Iran (on Monday) to withdraw",
        "appealed to Iran to withdraw", "pressured Iran into withdrawing", and
        "insisted Iran withdraw" (a that-less clause the parser reads as
        control).  Returns the directive verb and the addressee tokens, none
        when the subject is the one to act ("Iran was urged to withdraw",
        "asked to join"); None when ``verb`` is no such complement ("crossed
        into Syria to help Assad" is a purpose).
        """
        dep, head = verb.dep_, verb.head
        if head.i == verb.i:
            return None
        into = self._into_gerund(verb)
        if into is not None:
            head = into.head  # "pressured Iran into withdrawing"
        elif dep not in ("xcomp", "advcl"):
            return None
        lemma = self.lemma(head)
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        if (
            into is None
            and infinitive
            and any(c.dep_ == "mark" and c.lower_ == "for" for c in verb.children)
        ):
            # "called for Ukraine to withdraw": the clause has its own subject
            return (head, []) if lemma in DIRECTIVE_VERBS | DEMAND_VERBS else None
        if lemma not in DIRECTIVE_VERBS:
            bare = dep == "xcomp" and verb.tag_ == "VB" and not infinitive
            if not (bare and lemma in DEMAND_VERBS):
                return None
        elif dep == "advcl" and not infinitive and into is None:
            return None
        preps = ADDRESSEE_PREPS.get(lemma)
        addressees = [
            c for c in head.children if c.dep_ in OBJECT_DEPS and c.pos_ != "ADP" and c.i < verb.i
        ]
        if preps:
            # "called on Iran to", never "called Putin to discuss Syria" (a phone call)
            if addressees:
                return None
            addressees = [
                pobj
                for child in head.children
                if child.dep_ == "prep" and child.lower_ in preps and child.i < verb.i
                for pobj in child.children
                if pobj.dep_ == "pobj"
            ]
        if not addressees and not (dep == "xcomp" or (into and self.is_passive(head))):
            return None  # an advcl is a purpose, "into" a destination, without an addressee
        return head, addressees

    @staticmethod
    def _into_gerund(verb: Any) -> Any | None:
        """The "into" of "pressured Iran into withdrawing" when ``verb`` is its gerund.

        The parser sometimes reads "into expelling Kurdish militants" as a
        noun phrase, the gerund an adjective of "militants": a gerund right
        after "into" is the complement all the same (and that noun its object).
        """
        if verb.tag_ != "VBG":
            return None
        prep = verb.head
        if verb.dep_ == "amod" and prep.dep_ == "pobj":
            prep = prep.head
            if prep.i != verb.i - 1:
                return None
        elif verb.dep_ != "pcomp":
            return None
        if prep.dep_ != "prep" or prep.lower_ != "into" or prep.head.i == prep.i:
            return None
        return prep

    def _gerund_object(self, noun: Any) -> bool:
        """Is ``noun`` the object of a gerund misparsed as its adjective ("into expelling
        Kurdish militants")?"""
        return any(
            c.dep_ == "amod" and self._into_gerund(c) is not None and self._directed(c) is not None
            for c in noun.children
        )

    def _demander(self, directive: Any) -> list[Draft]:
        """Who wants what a directive verb asks: its subject, a passive's agent
        ("Iran was urged by France to withdraw"), nobody in a bare passive."""
        if not self.is_passive(directive):
            return self.actors_of_subject(directive)
        return [
            draft
            for child in directive.children
            if child.dep_ == "agent"
            for pobj in child.children
            if pobj.dep_ == "pobj"
            for draft in self.actors(pobj)
        ]

    @staticmethod
    def is_passive(verb: Any) -> bool:
        return any(c.dep_ in ("auxpass", "nsubjpass", "csubjpass") for c in verb.children) or (
            verb.dep_ == "acl" and verb.tag_ == "VBN"
        )

    def owned_theme(self, obj: Any) -> bool:
        """ "withdraw its forces": the object belongs to the subject, it is not a target."""
        return any(c.dep_ == "poss" and c.pos_ == "PRON" for c in obj.children)

    # -- clause context ---------------------------------------------------------
    def own_clause(self, verb: Any) -> _Clause:
        clause = _Clause()
        rank = 0

        def take(modality: str) -> None:
            nonlocal rank
            if MODALITY_RANK[modality] > rank:
                clause.modality = modality
                rank = MODALITY_RANK[modality]

        children = list(verb.children)
        lowers = [c.lower_ for c in children]
        would = conditional = False
        for child, lower in zip(children, lowers, strict=True):
            if child.dep_ == "neg" or lower in ("never", "n't", "not"):
                clause.negated = True
            if child.dep_ == "aux":
                if lower in MODAL_FUTURE:
                    take("intended")
                elif lower in MODAL_HYPOTHETICAL:
                    take("hypothetical")
                    would = True
                elif lower in MODAL_SPECULATIVE:
                    has_have = "have" in lowers
                    take("speculative" if has_have or lower != "could" else "hypothetical")
                elif lower in MODAL_DEMAND:
                    take("demanded")
                elif lower == "going" or lower == "gon":
                    take("intended")
            if child.dep_ in ("advmod", "npadvmod"):
                if lower in REPORTED_ADVERBS:
                    take("reported")
                elif lower in SPECULATIVE_ADVERBS:
                    take("speculative")
            if child.dep_ == "mark" and lower in CONDITIONAL_MARKERS:
                take("hypothetical")
                conditional = True
        clause.backshifted = (
            clause.modality == "hypothetical" and would and not conditional and "have" not in lowers
        )
        return clause

    def clause(self, verb: Any) -> _Clause:
        """Modality, attribution and inherited negation, from the verb up to the root."""
        cached = self._clause_cache.get(verb.i)
        if cached is not None:
            return cached
        clause = self.own_clause(verb)
        rank = MODALITY_RANK[clause.modality]
        token = verb
        steps = 0
        described = False  # above a relative clause or a noun: "urged X to punish Y, who ..."
        while token.head.i != token.i and steps < 8:
            steps += 1
            directed = None if described else self._directed(token)
            if directed is not None:
                # "urged Iran to withdraw": demanded by the urger, not done; "did not
                # urge Iran to withdraw" negates it, "might urge" makes it speculative
                directive = directed[0]
                if MODALITY_RANK["demanded"] > rank:
                    clause.modality, rank = "demanded", MODALITY_RANK["demanded"]
                demander = self._demander(directive)
                if clause.attributed_to is None and demander:
                    clause.attributed_to = demander[0]
                outer = self.own_clause(directive)
                if outer.negated:
                    clause.negated = True
                if MODALITY_RANK[outer.modality] > rank and outer.modality in (
                    "speculative",
                    "hypothetical",
                ):
                    clause.modality, rank = outer.modality, MODALITY_RANK[outer.modality]
                token = directive
                continue
            dep, head = token.dep_, token.head
            lemma = self.lemma(head)
            if dep in ("ccomp", "parataxis") or (dep == "conj" and self._said_object(head)):
                speaker = self.actors_of_subject(head, own_only=True)
                if (
                    clause.backshifted
                    and clause.modality == "hypothetical"
                    and lemma in SPEECH_VERBS
                    and head.tag_ in PAST_TAGS
                ):
                    # "Syria said it would withdraw": the future of the past
                    clause.modality, rank = "intended", MODALITY_RANK["intended"]
                    clause.backshifted = False
                if lemma in SPECULATION_VERBS:
                    modality = "speculative"
                elif lemma in DEMAND_VERBS and self._demand_complement(token):
                    modality = "demanded"
                elif lemma in SPEECH_VERBS or lemma in DEMAND_VERBS or lemma in SPECULATION_VERBS:
                    modality = "reported"
                else:
                    modality = None
                if modality:
                    if MODALITY_RANK[modality] > rank:
                        clause.modality, rank = modality, MODALITY_RANK[modality]
                    if clause.attributed_to is None and speaker:
                        clause.attributed_to = speaker[0]
            elif dep == "xcomp" and (
                lemma in INTENTION_VERBS or head.lower_ in INTENTION_ADJECTIVES
            ):
                if MODALITY_RANK["intended"] > rank:
                    clause.modality, rank = "intended", MODALITY_RANK["intended"]
                if lemma in NEGATING_INTENTION:
                    clause.negated = not clause.negated
                if self.own_clause(head).negated:
                    clause.negated = True
            elif dep == "prep" and token.lower_ == "from" and lemma in REFRAIN_VERBS:
                # "refrained from attacking": the attack did not happen ("did not
                # refrain from attacking": it did)
                clause.negated = not clause.negated
                if self.own_clause(head).negated:
                    clause.negated = not clause.negated
            elif dep == "xcomp" and lemma in ATTEMPT_VERBS:
                # "tried to storm": the storming happened, as the trying did ("will try
                # to" is intended, "did not try to" negated)
                outer = self.own_clause(head)
                if MODALITY_RANK[outer.modality] > rank:
                    clause.modality, rank = outer.modality, MODALITY_RANK[outer.modality]
                    clause.backshifted = outer.backshifted
                if outer.negated:
                    clause.negated = True
            elif dep == "xcomp" and lemma in DEMAND_VERBS and lemma not in DIRECTIVE_VERBS:
                # "insisted to be heard" (directive verbs were read above, or are no
                # directive here: "called Putin to discuss Syria" is a phone call)
                if MODALITY_RANK["demanded"] > rank:
                    clause.modality, rank = "demanded", MODALITY_RANK["demanded"]
                speaker = self.actors_of_subject(head)
                if clause.attributed_to is None and speaker:
                    clause.attributed_to = speaker[0]
            if dep not in CLAUSE_UP and dep not in ("prep", "pobj", "dobj", "attr", "acomp"):
                break
            if dep in ("relcl", "acl", "pobj", "dobj", "attr"):
                described = True
            if dep in ("conj", "advcl", "xcomp", "ccomp", "parataxis", "pcomp", "prep", "pobj"):
                outer = self.own_clause(head)
                if MODALITY_RANK[outer.modality] > rank and outer.modality in (
                    "speculative",
                    "hypothetical",
                    "reported",
                ):
                    clause.modality, rank = outer.modality, MODALITY_RANK[outer.modality]
                    clause.backshifted = outer.backshifted
            token = head
        self._clause_cache[verb.i] = clause
        return clause

    def _demand_complement(self, complement: Any) -> bool:
        """ "insisted that Turkey must withdraw" / "... Turkey withdraw", not "... is capable"."""
        lowers = {c.lower_ for c in complement.children if c.dep_ == "aux"}
        if lowers & MODAL_DEMAND:
            return True
        if complement.lemma_ == "be" and not lowers:
            return False
        return complement.tag_ == "VB" or bool(lowers & {"to"})

    def actors_of_subject(self, verb: Any, *, own_only: bool = False) -> list[Draft]:
        tokens, own = self.subjects(verb)
        if own_only and not own:
            return []  # "..., suggesting that": the writer's inference, nobody's claim
        found: list[Draft] = []
        for token in tokens:
            found.extend(self.actors(token))
        return _unique(found)

    # -- time and history ------------------------------------------------------
    def time_phrases(self, verb: Any) -> list[Any]:
        """The verb's own time modifiers: "on Sunday", "yesterday", "years ago"."""
        found = []
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in ("on", "in", "at", "during", "since", "by"):
                sub = list(child.subtree)
                if any(t.ent_type_ in ("DATE", "TIME") for t in sub) or has_date_word(
                    " ".join(t.text for t in sub)
                ):
                    found.append(sub)
            elif child.dep_ in ("npadvmod", "advmod", "tmod", "obl") and (
                child.ent_type_ in ("DATE", "TIME") or has_date_word(child.text)
            ):
                found.append(list(child.subtree))
        return found

    def background(self, verb: Any) -> bool:
        for phrase in self.time_phrases(verb):
            if is_background_time(" ".join(t.text for t in phrase), self.ctx.published):
                return True
        for child in verb.children:
            if (
                child.dep_ == "advmod"
                and child.lower_ in ("previously", "formerly", "once")
                and not any(g.lower_ == "again" for g in child.children)
            ):
                return True
            if child.dep_ == "aux" and child.lower_ == "had" and verb.tag_ == "VBN":
                return True
        if verb.dep_ == "conj" and verb.head.pos_ == "VERB" and verb.head.i != verb.i:
            return self.background(verb.head)
        if verb.dep_ in PURPOSE_DEPS and verb.head.pos_ == "VERB":
            return self.background(verb.head)
        return False

    def when(self, verb: Any, future: bool, depth: int = 0) -> tuple[date | None, str | None]:
        for phrase in self.time_phrases(verb):
            cue = self.doc[phrase[0].i : phrase[-1].i + 1].text
            resolved = resolve_date(cue, self.ctx.published, future=future)
            if resolved is not None:
                return resolved, cue
        if depth < 4 and verb.dep_ in ("conj", "xcomp", "advcl", "ccomp") and verb.head.i != verb.i:
            return self.when(verb.head, future, depth + 1)
        return None, None

    # -- place -------------------------------------------------------------------
    def where(self, verb: Any, obj: Any | None, depth: int = 0) -> Draft | None:
        holders = [verb] + ([obj] if obj is not None else [])
        destination = None
        for holder in holders:
            for child in holder.children:
                if child.dep_ != "prep" and not (child.dep_ == "dative" and child.pos_ == "ADP"):
                    continue  # "issued a warning to Israel": the parser's dative "to"
                lower = child.lower_
                if lower not in LOCATIVE_PREPS and lower not in DESTINATION_PREPS:
                    continue
                for pobj in child.children:
                    if pobj.dep_ != "pobj":
                        continue
                    for draft in self.mentions.by_token.get(pobj.i, ()):
                        if draft.place is None or draft.is_metonym:
                            continue
                        if draft.label not in PLACE_LABELS:
                            continue
                        if lower in LOCATIVE_PREPS:
                            return draft
                        destination = destination or draft
        if destination is not None:
            return destination
        if depth < 2 and verb.dep_ in ("conj", "advcl") and verb.head.pos_ == "VERB":
            return self.where(verb.head, None, depth + 1)
        return None

    # -- one verb ----------------------------------------------------------------
    def event(self, verb: Any, *, nested: bool = False) -> DraftEvent | None:
        """The candidate of one verb (``nested``: asked for by its governing verb)."""
        lemma = self.lemma(verb)
        subject_tokens, own_subject = self.subjects(verb)
        subject_actors: list[Draft] = []
        for token in subject_tokens:
            subject_actors.extend(self.actors(token))
        passive = self.is_passive(verb)
        agents: list[Draft] = []
        for child in verb.children:
            if child.dep_ == "agent":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        agents.extend(self.actors(pobj))
        if passive:
            sources, targets = _unique(agents), _unique(subject_actors)
        else:
            sources, targets = _unique(subject_actors), []

        particle = next(
            (
                c.lower_
                for c in verb.children
                if c.dep_ == "prt"
                and not (
                    c.lower_ == "up" and c.i + 1 < len(c.doc) and c.doc[c.i + 1].lower_ == "to"
                )
            ),
            None,
        )
        obj_noun = None
        object_token = None
        target_prep = None
        said_object = self._said_object(verb)
        objects = [c for c in verb.children if c.dep_ in OBJECT_DEPS and c.pos_ != "ADP"]
        if verb.dep_ == "amod" and self._directed(verb) is not None:
            objects.append(verb.head)  # "pressured Sweden into expelling Kurdish militants"
        for child in objects:
            if child in said_object:
                continue  # "officials said three hundred fighters ... used": not a target
            found = [] if self.owned_theme(child) else self.actors(child)
            if found and self._pattern_theme(lemma, child, found):
                found = []  # "sent troops to Syria": the troops are what is sent
            if found:
                targets.extend(found)
            elif object_token is None:
                object_token = child
        if object_token is not None:
            object_token = self._quantified(object_token)  # "carried out dozens of strikes"
            obj_noun = self._predicate_object(lemma, object_token)
        # targets introduced by prepositions, on the verb or on its object
        prep_targets: list[tuple[int, str, list[Draft]]] = []
        holders = [verb] + ([object_token] if object_token is not None else [])
        for holder in holders:
            for child in holder.children:
                if child.dep_ != "prep" and not (child.dep_ == "dative" and child.pos_ == "ADP"):
                    continue  # "issued a warning to Israel": the parser's dative "to"
                lower = child.lower_
                allowed = lower in TARGET_PREP_ORDER or self._pattern_prep(lemma, obj_noun, lower)
                if not allowed:
                    continue
                if holder is not verb and obj_noun is None and lower not in OBJECT_PREPS:
                    continue  # "confirmed the arrival of the militias": no target of "confirm"
                if lower == "of" and holder is verb and lemma not in ("accuse", "convict"):
                    continue
                for pobj in child.children:
                    if pobj.dep_ not in ("pobj", "pcomp") or self._gerund_object(pobj):
                        continue
                    found = [d for d in self.actors(pobj) if not self._merely_place(d, lower)]
                    if found:
                        order = TARGET_PREP_ORDER.get(lower, len(TARGET_PREP_ORDER))
                        prep_targets.append((order, lower, found))
        if prep_targets:
            prep_targets.sort(key=lambda item: item[0])
            if not targets:
                target_prep = prep_targets[0][1]
            for _, _, found in prep_targets:
                targets.extend(found)
        # "promised to continue aid to Mozambique", "threatened to attack Iraq":
        # the intention's target is the target of what is intended
        if not targets and (lemma in INTENTION_VERBS or lemma in DEMAND_VERBS):
            for child in verb.children:
                if child.dep_ == "xcomp" and child.pos_ == "VERB":
                    inner = self.event(child, nested=True)
                    if inner is not None:
                        targets.extend(t for t in inner.targets if t not in sources)
                        break
        # "insisted that Turkey must withdraw": the demand's target is Turkey
        if lemma in DEMAND_VERBS and not targets:
            for child in verb.children:
                if child.dep_ == "ccomp" and self._demand_complement(child):
                    targets.extend(self.actors_of_subject(child))
        sources = sorted(_unique(sources), key=lambda d: d.start)
        targets = [t for t in _unique(targets) if t not in sources]
        if not sources and not targets:
            return None

        words = [lemma]
        if particle:
            words.append(particle)
        if obj_noun:
            words.append(obj_noun)
        if target_prep:
            words.append(target_prep)
        predicate = " ".join(words)
        trigger_lemma = lemma
        if obj_noun and lemma in LIGHT_VERBS and lemma not in self.dictionary.pattern_set:
            # "conducted raids", "carried out strikes": the noun's verb is the fallback
            trigger_lemma = self._noun_verb(object_token) or lemma

        clause = self.clause(verb)
        quote = self._quote(verb)
        if quote is not None and quote.speaker is not None:
            if clause.modality == "asserted":
                clause.modality = "reported"
            if clause.attributed_to is None and quote.speaker not in sources:
                clause.attributed_to = quote.speaker
        background = self.background(verb)
        future = clause.modality == "intended"
        event_date, cue = (None, None) if background else self.when(verb, future)
        place = self.where(verb, object_token)
        sponsor = next((s.sponsor for s in sources if s.sponsor), None)
        confidence = 0.35
        confidence += 0.25 if sources else 0.0
        confidence += 0.15 if targets else 0.0
        confidence += 0.1 if own_subject or passive else 0.0
        confidence += 0.1 if self._in_codebook(predicate, lemma) else 0.0
        return DraftEvent(
            token=verb.i,
            trigger_start=verb.idx,
            trigger_end=verb.idx + len(verb.text),
            trigger_text=verb.text,
            trigger_lemma=trigger_lemma,
            predicate=predicate,
            sources=sources,
            targets=targets,
            attributed_to=clause.attributed_to,
            negated=clause.negated,
            modality=clause.modality,
            is_background=background,
            place=place,
            place_source="locative" if place is not None else None,
            event_date=event_date,
            date_cue=cue,
            sponsor_text=sponsor,
            confidence=round(min(confidence, 0.95), 2),
            reciprocal=len(sources) > 1
            and not targets
            and (
                is_reciprocal(
                    lemma,
                    self._object_words(object_token)
                    # "the deal was signed by Syria and Iraq"
                    + ([t.lower_ for t in subject_tokens if not self.actors(t)] if passive else []),
                    self._each_other(verb),
                )
                or self._joint_intention(verb, own_subject)
            ),
        )

    @staticmethod
    def _quantified(obj: Any) -> Any:
        """ "dozens of strikes", "a series of raids": the counted noun is the object."""
        counted = obj.lower_ in QUANTITY_HEADS or obj.lower_ in ("series", "wave", "spate")
        if not counted and obj.pos_ != "NUM":
            return obj
        for child in obj.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and pobj.pos_ == "NOUN":
                        return pobj
        return obj

    def _joint_intention(self, verb: Any, own_subject: bool) -> bool:
        """ "Israel and Hamas agreed to exchange prisoners": what a reciprocal predicate
        governs with the same subjects is done together."""
        return (
            not own_subject
            and verb.dep_ == "xcomp"
            and verb.head.i != verb.i
            and self.lemma(verb.head) in RECIPROCAL_VERBS
        )

    @staticmethod
    def _object_words(obj: Any | None) -> list[str]:
        """The object noun and the nouns of its "of" phrase ("a round of talks")."""
        if obj is None:
            return []
        words = [obj.lower_]
        for child in obj.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                words.extend(g.lower_ for g in child.children if g.dep_ == "pobj")
        return words

    @staticmethod
    def _each_other(verb: Any) -> bool:
        """ "accused each other", "met with one another"."""
        for child in verb.children:
            heads = [child] if child.dep_ in OBJECT_DEPS else []
            if child.dep_ == "prep":
                heads = [g for g in child.children if g.dep_ == "pobj"]
            for head in heads:
                if head.i > 0 and f"{head.doc[head.i - 1].lower_} {head.lower_}" in (
                    RECIPROCAL_PRONOUNS
                ):
                    return True
        return False

    def _noun_verb(self, noun: Any) -> str | None:
        """The codebook verb an event noun is made from: "raids" -> raid, "shelling" -> shell."""
        patterns = self.dictionary.pattern_set
        word = noun.lower_
        lemma = (noun.lemma_ or word).lower()
        candidates = [lemma, word]
        if word.endswith("ing"):
            candidates += [word[:-3], word[:-3] + "e"]
            if len(word) > 5 and word[-4] == word[-5]:
                candidates.append(word[:-4])  # "shipping" -> ship
        return next((c for c in candidates if c in patterns and c in self._known_lemmas), None)

    def _pattern_theme(self, lemma: str, obj: Any, found: list[Draft]) -> bool:
        """ "send troops", "deploy forces": a bare role noun that a codebook pattern makes
        the verb's object is the theme of the act, not its target."""
        word, noun_lemma = obj.lower_, (obj.lemma_ or obj.lower_).lower()
        verb_objects = self.dictionary.verb_objects
        if (lemma, word) not in verb_objects and (lemma, noun_lemma) not in verb_objects:
            return False
        return all(
            d.method == "rules" and d.head == obj.i and not (d.nationality or d.sponsor)
            for d in found
        )  # "expelled two Russian diplomats": Russia's diplomats are the target

    def _merely_place(self, draft: Draft, prep: str) -> bool:
        """ "met in Damascus": a place under a locative preposition is no target."""
        return prep in LOCATIVE_PREPS and draft.label in PLACE_LABELS and not draft.is_metonym

    def _predicate_object(self, lemma: str, obj: Any) -> str | None:
        """The object noun the predicate keeps, in the form the codebook writes it.

        An event noun of the codebook ("* talks") or a pattern's object ("send
        troops") is kept, as written or, when only that is in the codebook, as
        its lemma ("carried out strikes" -> ``carry out strike``); a light
        verb's object is always kept ("staged a sit-down", "issued a warning"),
        since the light verb alone says nothing.
        """
        if obj.pos_ not in ("NOUN", "PROPN"):
            return None
        dictionary = self.dictionary
        word = obj.lower_
        noun_lemma = (obj.lemma_ or word).lower()
        for form in (word, noun_lemma):
            if form in dictionary.event_nouns or (lemma, form) in dictionary.verb_objects:
                return form
        if lemma in LIGHT_VERBS and obj.pos_ == "NOUN" and word.isalpha():
            return word
        return None

    def _pattern_prep(self, lemma: str, obj_noun: str | None, prep: str) -> bool:
        """A locative preposition that a codebook pattern makes a target ("invest in")."""
        head = f"{lemma} {obj_noun} {prep}" if obj_noun else f"{lemma} {prep}"
        return head in self.dictionary.pattern_prefixes

    def _in_codebook(self, predicate: str, lemma: str) -> bool:
        """Does a codebook pattern match the predicate (or one of its prefixes)?"""
        words = predicate.split(" ")
        patterns = self.dictionary.pattern_set
        return lemma in patterns or any(
            " ".join(words[:n]) in patterns for n in range(1, len(words) + 1)
        )

    def _quote(self, verb: Any) -> QuoteSpan | None:
        for quote in self.ctx.quotes:
            if quote.start <= verb.i < quote.end:
                return quote
        return None

    def run(self) -> list[DraftEvent]:
        events = []
        doc = self.doc
        # a sentence without an actor mention has no candidate: skip its verbs
        with_actors = {
            doc[i].sent.start
            for i, drafts in self.mentions.by_token.items()
            if any(not d.is_descriptor for d in drafts)
        }
        for sentence in doc.sents:
            if sentence.start not in with_actors:
                continue
            events.extend(self._sentence_events(sentence))
        return events

    def _sentence_events(self, sentence: Any) -> list[DraftEvent]:
        events = []
        for token in sentence:
            if token.pos_ != "VERB":
                continue
            lemma = self.lemma(token)
            if lemma in SKIP_VERBS or lemma in ATTEMPT_VERBS or lemma in REFRAIN_VERBS:
                continue  # "tried to storm", "refrained from storming": the storming is the event
            candidate = self.event(token)
            if candidate is not None:
                events.extend(distribute_sources(candidate))
        return events


def extract_events(doc: Any, ctx: EventContext) -> list[DraftEvent]:
    """Event candidates of a parsed ``doc`` (see the module docstring)."""
    return _Extractor(doc, ctx).run()


def find_quotes(doc: Any, mentions: MentionSet, speech_lemmas: frozenset[str] = SPEECH_VERBS):
    """Quotations in ``doc`` and who is credited with each.

    A quotation runs from an opening to a closing quote mark (typographic or
    straight); its speaker is the subject of a reporting verb just outside it
    in the sentence where it ends (``..., Fidan said``) or begins (``Fidan
    said: "...``).  Several sentences inside one quotation share the speaker.
    """
    if not any(mark in doc.text for mark in ('"', "“", "”", "``")):
        return ()
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    for token in doc:
        text = token.text
        if text in ("“", "``") or (text == '"' and open_at is None):
            open_at = token.i
        elif text in ("”", "''") or (text == '"' and open_at is not None):
            if open_at is not None:
                spans.append(QuoteSpan(open_at, token.i + 1, None))
            open_at = None
    extractor = None
    for span in spans:
        if span.end - span.start < 4:
            continue  # a scare quote: “resistance groups”
        for sentence_token in (doc[span.end - 1], doc[span.start]):
            sentence = sentence_token.sent
            for token in sentence:
                if span.start <= token.i < span.end:
                    continue
                if token.pos_ == "VERB" and token.lemma_.lower() in speech_lemmas:
                    if extractor is None:
                        extractor = _Extractor(doc, EventContext(mentions, ActorDictionary()))
                    speakers = extractor.actors_of_subject(token)
                    if speakers:
                        span.speaker = speakers[0]
                        break
            if span.speaker is not None:
                break
    return tuple(s for s in spans if s.end - s.start >= 4)
