"""What a sentence says: the one coder of event candidates.

Both annotation paths describe each candidate clause in the same small,
neutral structure, :class:`Clause`: the trigger, its verb lemma, particle and
object noun, its arguments as mention lists (subjects, agents, objects), the
clause's own cue words (:class:`Cues`: negation, auxiliaries, adverbs,
subordinators), the chain of clauses that govern it (:class:`Governor`:
"said that", "urged X to", "refused to", "tried to", "refrained from"), its
time phrases and place.  :mod:`transforms.parse_analysis` fills it from the
spaCy dependency parse, :mod:`transforms.word_order_analysis` from word order
and a window of cue words when there is no model.  This module alone decides
what that means: the roles of the participants (passives made active), the
predicate string dbt matches against the codebook, modality, negation,
attribution, demands, attempts and refraining, background history, the date
and the confidence.

Modalities (dbt's ``int_event_mentions_coded`` turns them into countability
and derived types; the vocabulary is its contract's): asserted, reported
("reportedly", under "said"), intended ("will", "plans to"), demanded ("must",
"urged X to"; a warning to the public, "officials warned people to stay away",
is what it asks of them, not a threat), speculative ("might have",
"speculated that", "did not rule out attacking", and whatever a question asks
about: "Will Iran attack?"), hypothetical ("if", "would").  A failed or refused
act ("failed to agree", "were unable to reach agreement", "could not reach a
deal", "refused to meet") is an intention that is negated: not the act, and for
cooperation the refusal dbt codes as REJECT, as PLOVER does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from transforms.dates import is_background_time, resolve_date
from transforms.dictionary import ActorDictionary
from transforms.lexicon import (
    ABOUT_EVENT_VERBS,
    ATTEMPT_VERBS,
    BACKGROUND_ADVERBS,
    CONDITIONAL_MARKERS,
    DEMAND_VERBS,
    DIRECTIVE_VERBS,
    EXCLUSION_VERBS,
    FAILURE_ADJECTIVES,
    INTENTION_ADJECTIVES,
    INTENTION_VERBS,
    LIGHT_VERBS,
    MODAL_ABILITY,
    MODAL_DEMAND,
    MODAL_FUTURE,
    MODAL_HYPOTHETICAL,
    MODAL_SPECULATIVE,
    NEGATING_INTENTION,
    OBLIGATION_VERBS,
    PREVENT_VERBS,
    PUBLIC_NOUNS,
    RECIPROCAL_NOUNS,
    RECIPROCAL_SUPPORT_VERBS,
    RECIPROCAL_VERBS,
    REFRAIN_VERBS,
    REPORTED_ADVERBS,
    SKIP_VERBS,
    SPECULATION_VERBS,
    SPECULATIVE_ADJECTIVES,
    SPECULATIVE_ADVERBS,
    SPEECH_VERBS,
    WARNING_VERBS,
    WISH_VERBS,
)
from transforms.mention_drafts import Draft, MentionSet

__all__ = [
    "MODALITY_RANK",
    "Clause",
    "Cues",
    "DraftEvent",
    "EventContext",
    "Governor",
    "History",
    "QuoteSpan",
    "code_clause",
    "codebook_object",
    "distribute_sources",
    "is_pattern_theme",
    "is_reciprocal",
    "is_subjunctive",
    "is_trigger",
    "question_start",
    "unique",
]

MODALITY_RANK = {
    "asserted": 0,
    "reported": 1,
    "intended": 2,
    "demanded": 3,
    "speculative": 4,
    "hypothetical": 5,
}
#: modalities a governing clause passes down to what it coordinates or subordinates
_INHERITED = frozenset({"speculative", "hypothetical", "reported"})
_CLOSING = frozenset({'"', "'", "”", "’", "»", ")", "''"})
_OPENING = frozenset({'"', "“", "‘", "«", "``", ":"})


@dataclass
class QuoteSpan:
    start: int  # doc token indices, inclusive/exclusive
    end: int
    speaker: Draft | None


@dataclass
class EventContext:
    mentions: MentionSet
    dictionary: ActorDictionary
    published: date | None = None
    quotes: tuple[QuoteSpan, ...] = ()


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


@dataclass(frozen=True)
class Cues:
    """A clause's own words about itself."""

    negated: bool = False
    #: auxiliaries and modal words ("will", "might", "must", "going")
    aux: tuple[str, ...] = ()
    #: sentence adverbs ("reportedly", "possibly")
    adverbs: tuple[str, ...] = ()
    #: subordinators ("if", "unless")
    marks: tuple[str, ...] = ()
    #: "have" among them: "might have", "would have"
    perfect: bool = False


@dataclass
class Governor:
    """A clause that governs the candidate's, nearest first.

    ``relation`` is structural: ``content`` ("said [that] ..."), ``infinitive``
    ("wants to ...", "tried to ..."), ``from`` ("refrained from ..."),
    ``directive`` ("urged Iran to ...": the candidate is the addressee's act),
    or ``other``; ``inherit``: the governor's speculation, condition or report
    reaches the candidate (coordination, subordination).
    """

    relation: str
    lemma: str
    cues: Cues = field(default_factory=Cues)
    #: its subject's mentions (a directive's: who urges)
    speakers: list[Draft] = field(default_factory=list)
    #: the governing word itself in lower case ("able" in "was able to")
    word: str = ""
    #: its particle ("out" in "did not rule out attacking")
    particle: str | None = None
    #: past tense ("said", not "says"): "would" under it is the future of the past
    past: bool = False
    #: the governed clause is a subjunctive or has "must": "insisted that Turkey withdraw"
    subjunctive: bool = False
    inherit: bool = False


@dataclass(frozen=True)
class History:
    """One scope's time cues for background: "years ago", "previously", "had VBN"."""

    times: tuple[str, ...] = ()
    adverbs: tuple[str, ...] = ()
    pluperfect: bool = False


@dataclass
class Clause:
    """A candidate clause as an analyser sees it (token indices into one Doc)."""

    token: int
    trigger_start: int
    trigger_text: str
    lemma: str
    parsed: bool
    subjects: list[Draft] = field(default_factory=list)
    agents: list[Draft] = field(default_factory=list)
    objects: list[Draft] = field(default_factory=list)
    passive: bool = False
    #: the subject is the verb's own (not inherited through coordination or control)
    own_subject: bool = True
    particle: str | None = None
    #: the object noun in the codebook's form ("talks", "strike", "protest")
    object_noun: str | None = None
    #: the verb an event noun is made from, for light verbs ("conducted raids" -> raid)
    noun_verb: str | None = None
    target_prep: str | None = None
    #: words that may make the predicate symmetric ("talks", "a round of talks")
    object_words: list[str] = field(default_factory=list)
    each_other: bool = False
    cues: Cues = field(default_factory=Cues)
    governors: list[Governor] = field(default_factory=list)
    quote_speaker: Draft | None = None
    #: the sentence asks ("Will Iran attack Israel?", "Why did fans boycott it?")
    question: bool = False
    history: list[History] = field(default_factory=list)
    #: (phrase, cue) in order of preference; the first that names a day is the date
    dates: list[tuple[str, str]] = field(default_factory=list)
    place: Draft | None = None
    #: targets of what an intention or a demand governs ("threatened to attack Iraq"),
    #: asked for only when the clause has none of its own
    #: (asked with whether the verb demands: then also the subject of a subjunctive
    #: complement, "insisted that Turkey must withdraw")
    complement_targets: Callable[[bool], list[Draft]] | None = None
    #: fills the cue words, governors, question, time phrases and place: asked for only
    #: once the clause has participants (most verbs have none; reading them is costly)
    context: Callable[[Clause], None] | None = None

    @classmethod
    def at(cls, trigger: Any, lemma: str, *, parsed: bool, **fields: Any) -> Clause:
        """The clause of the trigger token (a spaCy or a lite token)."""
        return cls(
            token=trigger.i,
            trigger_start=trigger.idx,
            trigger_text=trigger.text,
            lemma=lemma,
            parsed=parsed,
            **fields,
        )


@dataclass
class _Reading:
    modality: str = "asserted"
    negated: bool = False
    attributed_to: Draft | None = None
    #: hypothetical only by "would" (no "if", no "would have"): under a past reporting
    #: verb that is the future of the past ("said it would withdraw" = "will withdraw")
    backshifted: bool = False

    def take(self, modality: str) -> bool:
        if MODALITY_RANK[modality] > MODALITY_RANK[self.modality]:
            self.modality = modality
            return True
        return False


def is_trigger(lemma: str, *, before_infinitive: bool = False) -> bool:
    """ "tried to storm", "refrained from storming": the storming is the event; so is
    the talking of "sought to talk" (``before_infinitive``), not a request."""
    if before_infinitive and lemma in WISH_VERBS:
        return False
    return lemma not in SKIP_VERBS and lemma not in ATTEMPT_VERBS and lemma not in REFRAIN_VERBS


def question_start(words: Sequence[str]) -> int | None:
    """Where the question a sentence (its tokens' texts) ends with begins: after the
    last opening quote or colon ("He asked: 'Who is dead?'"), else at the start; None
    when it ends with no question mark."""
    end = len(words)
    while end and (words[end - 1].isspace() or words[end - 1] in _CLOSING):
        end -= 1
    if not end or words[end - 1] != "?":
        return None
    for k in range(end - 2, -1, -1):
        if words[k] in _OPENING:
            return k + 1
    return 0


def is_subjunctive(aux: Iterable[str], *, bare: bool, copula: bool) -> bool:
    """ "insisted that Turkey must withdraw" / "... Turkey withdraw", not "... is capable"."""
    words = set(aux)
    if words & MODAL_DEMAND:
        return True
    if copula and not words:
        return False
    return bare or "to" in words


def is_reciprocal(lemma: str, object_words: Iterable[str], each_other: bool) -> bool:
    """Is "X and Y <verb> [object]" X <-> Y?  ("met", "held talks", "opened a round of
    talks", "accused each other")."""
    if each_other or lemma in RECIPROCAL_VERBS:
        return True
    return lemma in RECIPROCAL_SUPPORT_VERBS and any(w in RECIPROCAL_NOUNS for w in object_words)


def codebook_object(dictionary: ActorDictionary, lemma: str, forms: Iterable[str]) -> str | None:
    """The object noun a predicate keeps, in the form the codebook writes it: an event
    noun ("* talks") or a pattern's object ("send troops"), as written or as its lemma.
    A verb that only talks about the event ("described the call") keeps no event noun."""
    for form in forms:
        if (lemma, form) in dictionary.verb_objects:
            return form
        if form in dictionary.event_nouns and lemma not in ABOUT_EVENT_VERBS:
            return form
    return None


def is_pattern_theme(dictionary: ActorDictionary, lemma: str, forms: Iterable[str]) -> bool:
    """ "send troops", "deploy forces": a role noun a codebook pattern makes the verb's
    object is the theme of the act, not its target."""
    return any((lemma, form) in dictionary.verb_objects for form in forms)


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


def unique(drafts: Iterable[Draft]) -> list[Draft]:
    out: list[Draft] = []
    for d in drafts:
        if d not in out:
            out.append(d)
    return out


# -- modality, negation, attribution ----------------------------------------------
def own_reading(cues: Cues) -> _Reading:
    """What a clause's own words make of it: "will", "might have", "must", "if"."""
    reading = _Reading(negated=cues.negated or "cannot" in cues.aux)
    would = conditional = False
    for word in cues.aux:
        if word in MODAL_FUTURE or word in ("going", "gon"):
            reading.take("intended")
        elif word in MODAL_HYPOTHETICAL:
            reading.take("hypothetical")
            would = True
        elif word in MODAL_SPECULATIVE:
            if word == "could" and cues.negated and not cues.perfect:
                # "could not reach a deal": a failure, read as "failed to" (not "could
                # not have", speculation)
                reading.take("intended")
                continue
            reading.take("speculative" if cues.perfect or word != "could" else "hypothetical")
        elif word in MODAL_DEMAND:
            reading.take("demanded")
        elif word in MODAL_ABILITY:
            # "can now bid" is no bid; "cannot accept" a refusal, as "could not"
            reading.take("intended" if reading.negated else "hypothetical")
    for word in cues.adverbs:
        if word in REPORTED_ADVERBS:
            reading.take("reported")
        elif word in SPECULATIVE_ADVERBS:
            reading.take("speculative")
    for word in cues.marks:
        if word in CONDITIONAL_MARKERS:
            reading.take("hypothetical")
            conditional = True
    reading.backshifted = (
        reading.modality == "hypothetical" and would and not conditional and not cues.perfect
    )
    return reading


def _governed(reading: _Reading, governor: Governor) -> None:
    """What one governing clause does to the candidate's reading."""
    lemma, relation = governor.lemma, governor.relation
    if (governor.particle and f"{lemma} {governor.particle}" in EXCLUSION_VERBS) or (
        lemma in EXCLUSION_VERBS and relation != "content"
    ):
        # "ruled out attacking": it will not happen; "did not rule out attacking": it
        # may, which is speculation, not the act
        if own_reading(governor.cues).negated:
            reading.take("speculative")
        else:
            reading.negated = not reading.negated
        return
    if relation == "directive":
        # "urged Iran to withdraw": demanded by the urger, not done; "did not urge Iran
        # to withdraw" negates it, "might urge" makes it speculative
        reading.take("demanded")
        if reading.attributed_to is None and governor.speakers:
            reading.attributed_to = governor.speakers[0]
        outer = own_reading(governor.cues)
        if outer.negated:
            reading.negated = True
        if outer.modality in ("speculative", "hypothetical"):
            reading.take(outer.modality)
        return
    if relation == "content":
        if (
            reading.backshifted
            and reading.modality == "hypothetical"
            and lemma in SPEECH_VERBS
            and governor.past
        ):
            reading.modality, reading.backshifted = "intended", False  # "said it would"
        if lemma in SPECULATION_VERBS:
            modality: str | None = "speculative"
        elif lemma in DEMAND_VERBS and governor.subjunctive:
            modality = "demanded"
        elif lemma in SPEECH_VERBS or lemma in DEMAND_VERBS:
            modality = "reported"
        else:
            modality = None
        if modality:
            reading.take(modality)
            if reading.attributed_to is None and governor.speakers:
                reading.attributed_to = governor.speakers[0]
    elif relation == "infinitive" and (
        lemma in INTENTION_VERBS
        or governor.word in INTENTION_ADJECTIVES
        or governor.word in FAILURE_ADJECTIVES
    ):
        if lemma in NEGATING_INTENTION or governor.word in FAILURE_ADJECTIVES:
            # "refused to meet", "failed to agree": it did not happen; "did not fail to
            # attack": no failure, the act happened as far as the sentence says
            if not governor.cues.negated:
                reading.take("intended")
                reading.negated = not reading.negated
        else:
            reading.take("intended")
            if governor.cues.negated:
                reading.negated = True  # "does not want to meet"
    elif relation == "infinitive" and lemma in OBLIGATION_VERBS and governor.word != "had":
        # "need to release them", "has to withdraw" ("had to withdraw": it did)
        reading.take("demanded")
        if governor.cues.negated:
            reading.negated = True  # "does not need to", "did not have to": no act either
    elif relation == "infinitive" and (
        governor.word in SPECULATIVE_ADJECTIVES or lemma in SPECULATION_VERBS
    ):
        reading.take("speculative")  # "is likely to deploy troops", "is expected to meet"
    elif relation == "from" and (lemma in REFRAIN_VERBS or lemma in PREVENT_VERBS):
        # "refrained from attacking", "were prevented from marching": it did not happen
        # ("did not refrain from attacking": it did)
        reading.negated = not reading.negated
        if governor.cues.negated:
            reading.negated = not reading.negated
    elif relation == "infinitive" and lemma in ATTEMPT_VERBS:
        # "tried to storm": the storming happened, as the trying did ("will try to" is
        # intended, "did not try to" negated)
        outer = own_reading(governor.cues)
        if reading.take(outer.modality):
            reading.backshifted = outer.backshifted
        if outer.negated:
            reading.negated = True
    elif relation == "infinitive" and lemma in DEMAND_VERBS and lemma not in DIRECTIVE_VERBS:
        reading.take("demanded")  # "insisted to be heard"
        if reading.attributed_to is None and governor.speakers:
            reading.attributed_to = governor.speakers[0]
    if governor.inherit:
        outer = own_reading(governor.cues)
        if outer.modality in _INHERITED and reading.take(outer.modality):
            reading.backshifted = outer.backshifted


def read_clause(clause: Clause, sources: list[Draft]) -> _Reading:
    """Modality, negation and attribution, from the clause up its governors."""
    reading = own_reading(clause.cues)
    for governor in clause.governors:
        _governed(reading, governor)
    if clause.question:
        reading.take("speculative")  # asked about, not reported as done
    speaker = clause.quote_speaker
    if speaker is not None:
        reading.take("reported")
        if reading.attributed_to is None and speaker not in sources:
            reading.attributed_to = speaker
    return reading


def _to_the_public(clause: Clause, targets: list[Draft]) -> bool:
    words = clause.object_words[:3]
    words += [t.text.rsplit(" ", 1)[-1].lower() for t in targets if t.text]
    return any(w in PUBLIC_NOUNS for w in words)


def _background(clause: Clause, published: date | None) -> bool:
    for scope in clause.history:
        if scope.pluperfect or any(w in BACKGROUND_ADVERBS for w in scope.adverbs):
            return True
        if any(is_background_time(t, published) for t in scope.times):
            return True
    return False


def _when(clause: Clause, published: date | None, future: bool) -> tuple[date | None, str | None]:
    for phrase, cue in clause.dates:
        resolved = resolve_date(phrase, published, future=future)
        if resolved is not None:
            return resolved, cue
    return None, None


# -- the candidate ------------------------------------------------------------------
def code_clause(clause: Clause, ctx: EventContext) -> DraftEvent | None:
    """The event candidate a clause makes, or None when it has no actor."""
    if clause.passive:  # "the army was routed by insurgents": the insurgents rout
        sources, targets = unique(clause.agents), unique(clause.subjects)
    else:
        sources, targets = unique(clause.subjects), []
    targets.extend(clause.objects)
    lemma = clause.lemma
    if (
        not targets
        and clause.complement_targets is not None
        and (lemma in INTENTION_VERBS or lemma in DEMAND_VERBS)
    ):
        # "promised to continue aid to Mozambique", "insisted that Turkey must withdraw"
        targets.extend(
            t for t in clause.complement_targets(lemma in DEMAND_VERBS) if t not in sources
        )
    sources = sorted(unique(sources), key=lambda d: d.start)
    targets = [t for t in unique(targets) if t not in sources]
    if not sources and not targets:
        return None
    if clause.context is not None:
        clause.context(clause)
        clause.context = None

    words = [lemma, clause.particle, clause.object_noun, clause.target_prep]
    predicate = " ".join(w for w in words if w)
    trigger_lemma = lemma
    if clause.object_noun and lemma in LIGHT_VERBS and lemma not in ctx.dictionary.pattern_set:
        trigger_lemma = clause.noun_verb or lemma  # "conducted raids": raid
    reading = read_clause(clause, sources)
    if lemma in WARNING_VERBS and _to_the_public(clause, targets):
        # "officials warned people to stay away": advice, what is asked of the public,
        # not a threat of the officials' own act
        reading.take("demanded")
    background = _background(clause, ctx.published)
    event_date, cue = (
        (None, None) if background else _when(clause, ctx.published, reading.modality == "intended")
    )
    first = clause.governors[0] if clause.governors else None
    joint = (  # "Israel and Hamas agreed to exchange prisoners": done together
        not clause.own_subject
        and first is not None
        and first.relation == "infinitive"
        and first.lemma in RECIPROCAL_VERBS
    )
    return DraftEvent(
        token=clause.token,
        trigger_start=clause.trigger_start,
        trigger_end=clause.trigger_start + len(clause.trigger_text),
        trigger_text=clause.trigger_text,
        trigger_lemma=trigger_lemma,
        predicate=predicate,
        sources=sources,
        targets=targets,
        attributed_to=reading.attributed_to,
        negated=reading.negated,
        modality=reading.modality,
        is_background=background,
        place=clause.place,
        place_source="locative" if clause.place is not None else None,
        event_date=event_date,
        date_cue=cue,
        sponsor_text=next((s.sponsor for s in sources if s.sponsor), None),
        confidence=_confidence(clause, predicate, ctx.dictionary, bool(sources), bool(targets)),
        reciprocal=len(sources) > 1
        and not targets
        and (is_reciprocal(lemma, clause.object_words, clause.each_other) or joint),
    )


def _in_codebook(dictionary: ActorDictionary, predicate: str, lemma: str) -> bool:
    """Does a codebook pattern match the predicate (or one of its prefixes)?"""
    words = predicate.split(" ")
    patterns = dictionary.pattern_set
    return lemma in patterns or any(
        " ".join(words[:n]) in patterns for n in range(1, len(words) + 1)
    )


def _confidence(
    clause: Clause, predicate: str, dictionary: ActorDictionary, sources: bool, targets: bool
) -> float:
    """How sure the analysis is of the candidate: word order alone is surer of less."""
    if not clause.parsed:
        return round(0.25 + (0.2 if sources else 0.0) + (0.15 if targets else 0.0), 2)
    confidence = 0.35
    confidence += 0.25 if sources else 0.0
    confidence += 0.15 if targets else 0.0
    confidence += 0.1 if clause.own_subject or clause.passive else 0.0
    confidence += 0.1 if _in_codebook(dictionary, predicate, clause.lemma) else 0.0
    return round(min(confidence, 0.95), 2)
