"""Event candidates without a parser (the rule path, ``pipeline='rules'``).

Without a model there is no part of speech, lemma or dependency tree, so this
path works on word order inside each sentence: a trigger is any inflected form
of a codebook verb or a reporting verb; its source is the nearest actor mention
before it (with coordinated mentions: "Russia and Iran agreed"), its target the
first actor mention after it before the clause ends, and the word in front of
the target gives the preposition ("meet with").  Passives ("was routed by the
rebels") swap the two.  After a directive ("urged Iran to", "called on Iran
to", "pressured Iran into") the addressee is the source and the act is
demanded by the one before the directive.  The cue words (negation and modal
words in the three words before the trigger, "to"/"from" after a governing
verb, reporting verbs earlier in the sentence, date words) go into the same
:class:`transforms.clause.Clause` the parser path fills, and
:func:`transforms.clause.code_clause` decides what they mean.  Precision is
lower than with the model; the output is marked as such.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from transforms.clause import (
    Clause,
    Cues,
    DraftEvent,
    EventContext,
    Governor,
    History,
    code_clause,
    codebook_object,
    distribute_sources,
    is_pattern_theme,
    is_trigger,
    question_start,
)
from transforms.dates import has_date_word
from transforms.dictionary import ActorDictionary
from transforms.inflect import forms_for, inflect, known_forms_for, singular
from transforms.lexicon import (
    ADDRESSEE_PREPS,
    DEMAND_VERBS,
    DIRECTION_WORDS,
    DIRECTIVE_VERBS,
    EXCLUSION_VERBS,
    FAILURE_ADJECTIVES,
    INTENTION_ADJECTIVES,
    LIGHT_VERBS,
    LOCATIVE_PREPS,
    NEGATING_ADVERBS,
    RECIPROCAL_PRONOUNS,
    SPECULATION_VERBS,
    SPECULATIVE_ADJECTIVES,
    SPEECH_VERBS,
    TARGET_PREPS,
    TOPIC_OBJECT_VERBS,
)
from transforms.mention_drafts import PLACE_LABELS, Draft

__all__ = ["extract_rule_events", "verb_forms"]

#: the word between a governing verb and the trigger, and what it makes the trigger
GOVERNING_WORDS = {"to": "infinitive", "from": "from", "out": "other"}
GOVERNING_ADJECTIVES = INTENTION_ADJECTIVES | FAILURE_ADJECTIVES | SPECULATIVE_ADJECTIVES

PASSIVE_AUX = frozenset(["was", "were", "been", "being", "is", "are", "be", "get", "got", "gets"])
PARTICLES = frozenset(["out", "off", "up", "down", "back", "away", "over", "in"])
CLAUSE_BREAKS = frozenset({";", ":", "—", "–", "but", "while", "whereas", "although", "."})
NEGATIONS = NEGATING_ADVERBS | {"no"}
_AUXILIARIES = frozenset(
    [
        "has",
        "have",
        "had",
        "will",
        "would",
        "did",
        "does",
        "do",
        "is",
        "are",
        "was",
        "were",
        "not",
        "n't",
        "also",
        "already",
        "has",
        "been",
        "have",
        "been",
    ]
)
_CUE_VERBS = SPEECH_VERBS | SPECULATION_VERBS | DEMAND_VERBS
POSSESSIVE_PRONOUNS = frozenset({"its", "their", "his", "her", "our", "my", "your"})
#: words after which a verb's form is a noun: "a protest", "the attack", "their rallies"
NOUN_MARKERS = POSSESSIVE_PRONOUNS | {"a", "an", "the", "these", "those", "'s", "’s"}
#: what may stand between a directive's addressee and its "to": "urged Iran on Monday to"
TRAILING_WORDS = frozenset(
    ["on", "again", "repeatedly", "also", "publicly", "privately", "formally", "last", "this"]
)
PAST_SPEECH_FORMS = frozenset(["said", "told", "announced", "stated", "added", "declared"])


@lru_cache(maxsize=8)
def _light_forms(patterns: tuple[str, ...]) -> dict[str, str]:
    known = forms_for(patterns)
    forms: dict[str, str] = {}
    for lemma in sorted(LIGHT_VERBS):
        for form in inflect(lemma):
            if form not in known:
                forms.setdefault(form, lemma)
    return forms


@lru_cache(maxsize=1)
def directive_forms() -> dict[str, str]:
    """Inflected form -> lemma of the directive verbs ("urged", "called", "pressured")."""
    return {form: lemma for lemma in sorted(DIRECTIVE_VERBS) for form in inflect(lemma)}


def light_verb_forms(dictionary: ActorDictionary) -> dict[str, str]:
    """Inflected form -> lemma of the light verbs that the codebook's verbs are not."""
    return _light_forms(dictionary.patterns)


def verb_forms(dictionary: ActorDictionary) -> dict[str, str]:
    """Inflected form -> lemma for every codebook and reporting verb."""
    return forms_for(dictionary.patterns)


@dataclass
class _Directed:
    """A directive's complement: who is to act, who wants it, whether the directive is
    negated ("did not ask Iran to")."""

    addressees: list[Draft]
    demanders: list[Draft]
    negated: bool


class _RuleExtractor:
    def __init__(self, doc: Any, ctx: EventContext) -> None:
        self.doc = doc
        self.ctx = ctx
        self.forms = verb_forms(ctx.dictionary)
        #: light verbs the codebook does not list: triggers only with an object noun
        self.light_forms = light_verb_forms(ctx.dictionary)
        self.lowers = [t.lower_ for t in doc]
        self._dates: dict[int, list[tuple[str, str]]] = {}
        self._questions: dict[int, int | None] = {}
        self._speakers: dict[int, Draft | None] = {}
        #: inflected form -> lemma of every verb that may govern "to"/"from"
        self.governing = known_forms_for(ctx.dictionary.patterns)
        self._cues: dict[int, list[tuple[int, str]]] = {}
        self.consumed: set[int] = set()  # object nouns a predicate took ("staged a protest")
        self.mention_at: dict[int, Draft] = {}
        for draft in ctx.mentions.drafts:
            if draft.is_descriptor:
                continue
            for i in range(draft.start, draft.end):
                current = self.mention_at.get(i)
                if current is None or (draft.end - draft.start) > (current.end - current.start):
                    self.mention_at[i] = draft

    def mentions_between(self, start: int, end: int) -> list[Draft]:
        seen: list[Draft] = []
        for i in range(start, end):
            draft = self.mention_at.get(i)
            if draft is not None and draft not in seen:
                seen.append(draft)
        return seen

    def source_before(self, sentence: Any, trigger: int) -> list[Draft]:
        found = self.mentions_between(sentence.start, trigger)
        if not found:
            return []
        words = [t.lower_ for t in self.doc[sentence.start : trigger]]
        # "crossed the border into Syria to help Assad": the clause's subject helps
        if trigger > sentence.start and self.lowers[trigger - 1] == "to":
            return [found[0]]
        # "Turkey, which invaded Syria years ago, has joined": skip the relative clause
        for k in range(len(words) - 1, 0, -1):
            if words[k] in ("which", "who") and words[k - 1] == ",":
                before = self.mentions_between(sentence.start, sentence.start + k - 1)
                closing = [j for j in range(k, len(words)) if words[j] == ","]
                if before and closing and all(w in _AUXILIARIES for w in words[closing[-1] + 1 :]):
                    found = before
                break
        group = [found[-1]]
        # "Russia and Iran agreed", "Russia, Iran and Turkey agreed"
        joined_by_and = False
        for previous in reversed(found[:-1]):
            between = [
                t.lower_ for t in self.doc[previous.end : group[0].start] if t.lower_ != "the"
            ]  # "France, Germany and the UK"
            if between in (["and"], ["&"], [",", "and"]):
                joined_by_and = True
                group.insert(0, previous)
            elif between == [","] and joined_by_and:
                group.insert(0, previous)
            else:
                break
        return group

    def clause_end(self, sentence: Any, start: int) -> int:
        doc = self.doc
        for i in range(start, sentence.end):
            token = doc[i]
            if token.lower_ == ",":
                # a list of actors goes on: "talks with Russia, Iran and China"
                if i - 1 in self.mention_at and i + 1 in self.mention_at:
                    continue
                if (
                    i + 1 < sentence.end
                    and self.lowers[i + 1] == "and"
                    and i + 2 in self.mention_at
                ):
                    continue
                return i
            if token.lower_ in CLAUSE_BREAKS:
                return i
            if i > start and token.lower_ in self.forms and i not in self.mention_at:
                previous = self.lowers[i - 1]
                if (
                    previous not in ("to", "and")
                    and not doc[i - 1].is_title
                    and not self._noun_use(i)
                    and not (i == start + 1 and previous in PARTICLES)  # "carried out strikes"
                ):
                    return i
        return sentence.end

    def targets_after(self, trigger: int, end: int) -> tuple[list[Draft], str | None]:
        found = [
            m
            for m in self.mentions_between(trigger + 1, end)
            if (m.start == 0 or self.lowers[m.start - 1] not in POSSESSIVE_PRONOUNS)
            and not self._where(m)
        ]
        if not found:
            return [], None
        first = found[0]
        group = [first]
        confirmed = 1  # a comma list counts only once an "and" closes it
        for following in found[1:]:
            between = [t.lower_ for t in self.doc[group[-1].end : following.start]]
            if between in (["and"], ["&"], ["or"], [",", "and"], [",", "or"]):
                group.append(following)
                confirmed = len(group)
                break
            if between == [","]:
                group.append(following)
            else:
                break
        group = group[:confirmed]
        prep = None
        before = first.start - 1
        while before > trigger and self.lowers[before] in ("the", "a", "an"):
            before -= 1
        if before > trigger and self.lowers[before] in TARGET_PREPS:
            prep = self.lowers[before]
        return group, prep

    def analyse(self, sentence: Any, token: Any) -> tuple[Clause, int | None] | None:
        """The clause of the trigger ``token`` by word order, and the object noun it takes."""
        lemma = self.forms.get(token.lower_) or self.light_forms[token.lower_]
        i = token.i
        lowers = self.lowers
        previous = lowers[max(sentence.start, i - 3) : i]
        passive = (
            bool(previous)
            and previous[-1] in PASSIVE_AUX
            and token.lower_ != lemma
            and not token.lower_.endswith("ing")
        )
        end = self.clause_end(sentence, i + 1)
        before = self.source_before(sentence, i)
        directed = None if passive else self.directed(sentence, i)
        if directed is not None:
            before = directed.addressees  # "urged Iran to withdraw": Iran is to withdraw
        after, prep = self.targets_after(i, end)
        agents: list[Draft] = []
        if passive:
            for j in range(i + 1, end):
                if lowers[j] == "by":
                    agents, _ = self.targets_after(j, end)
                    break
            after, prep = [], None
        else:
            if after and self._pattern_theme(lemma, after[0]):
                after, prep = self.targets_after(after[0].end - 1, end)  # "sent troops to X"
            if lemma in SPEECH_VERBS | SPECULATION_VERBS and lemma != "tell":
                after, prep = [], None  # "X said Turkey ...": Turkey is not told anything
            while lemma in TOPIC_OBJECT_VERBS and after and prep is None:
                # "discussed Syria with Turkey": the topic is no target, Turkey is
                after, prep = self.targets_after(after[-1].end - 1, end)
        j = i + 1
        particle = None
        if j < end and lowers[j] in PARTICLES and j not in self.mention_at:
            particle = lowers[j]
            j += 1
        kept = [] if passive else [t for t in after if t not in before]
        first_target = kept[0].start if kept else end
        object_word = noun_verb = None
        consumed = None
        window_end = min(first_target, j + 4)
        for light in (False, True):
            k = next((k for k in range(j, window_end) if self._object_word(lemma, k, light)), None)
            if k is not None:
                object_word = self._object_word(lemma, k, light)
                consumed = k
                noun_verb = self.forms.get(lowers[k])  # "conducted raids": raid
                break
        if object_word is None and token.lower_ not in self.forms:
            return None  # "launched" alone: a light verb says nothing without its noun
        clause = Clause.at(
            token,
            lemma,
            parsed=False,
            subjects=before,
            agents=agents,
            objects=after,
            passive=passive,
            particle=particle,
            object_noun=object_word,
            noun_verb=noun_verb,
            target_prep=prep,
            # the object's words; a passive's subject ("the deal was signed by X and Y")
            object_words=lowers[i + 1 : min(end, i + 6)]
            + (lowers[max(sentence.start, i - 6) : i] if passive else []),
            each_other=self._each_other(i + 1, end),
            context=lambda clause: self._read(clause, sentence, previous, directed, end),
        )
        return clause, consumed

    def _read(
        self,
        clause: Clause,
        sentence: Any,
        previous: list[str],
        directed: _Directed | None,
        end: int,
    ) -> None:
        """The cue words around the trigger: its own (the three words before it, or those
        after a governing "to"/"from") and the governing verbs before it; the clause's
        time words and place."""
        i = clause.token
        clause.history = [History((self.doc[i:end].text,), (), "had" in previous[-2:])]
        clause.dates = self.dates(sentence)
        clause.question = self._question(sentence, i)
        clause.place = self.place_in(i, end)
        lowers = self.lowers
        words_before = lowers[sentence.start : i]
        governors: list[Governor] = []
        own = previous
        if len(previous) >= 2 and previous[-1] in GOVERNING_WORDS:
            # "refused to meet", "tried to storm", "refrained from attacking", "were
            # unable to reach", "did not rule out attacking"
            governing = self.governing.get(previous[-2])
            word = previous[-2]
            relation = GOVERNING_WORDS[previous[-1]]
            if relation == "other" and f"{governing} {previous[-1]}" not in EXCLUSION_VERBS:
                governing = word = None  # "carried out strikes": no governor
            if governing is not None or word in GOVERNING_ADJECTIVES:
                k = i - 2
                outer = lowers[max(sentence.start, k - 3) : k]
                governors.append(
                    Governor(
                        relation,
                        governing or word,
                        self._window_cues(outer),
                        word=word,
                        particle=previous[-1] if relation == "other" else None,
                    )
                )
                own = []
        if directed is not None:
            # wanted by the one who urges, not done; "did not urge X to" negates it
            demander = next(
                (d for d in reversed(directed.demanders) if d not in clause.subjects), None
            )
            governors.append(
                Governor(
                    "directive",
                    "",
                    Cues(negated=directed.negated),
                    speakers=[demander] if demander else [],
                )
            )
        for k, governing in reversed(self.cues(sentence)):
            if k >= i:
                continue
            speaker = self._speaker(sentence, k)
            governors.append(
                Governor(
                    "content",
                    governing,
                    speakers=[speaker]
                    if speaker is not None and speaker not in clause.subjects
                    else [],
                    past=lowers[k] in PAST_SPEECH_FORMS,
                    subjunctive=True,
                )
            )
        cues = self._window_cues(own)
        # word order cannot tell a sentence adverb or a subordinator from other words:
        # every word before the trigger may be one ("if", "reportedly")
        clause.cues = replace(cues, adverbs=tuple(words_before), marks=tuple(words_before))
        clause.governors = governors

    def _speaker(self, sentence: Any, k: int) -> Draft | None:
        """The last actor before the reporting verb at ``k``: who says it."""
        if k not in self._speakers:
            before = self.mentions_between(sentence.start, k)
            self._speakers[k] = before[-1] if before else None
        return self._speakers[k]

    def _question(self, sentence: Any, i: int) -> bool:
        """Is the trigger inside the question its sentence ends with?"""
        start = self._questions.get(sentence.start, -1)
        if start == -1:
            start = question_start([t.text for t in sentence])
            self._questions[sentence.start] = start
        return start is not None and i - sentence.start >= start

    @staticmethod
    def _window_cues(window: list[str]) -> Cues:
        return Cues(
            negated=any(w in NEGATIONS for w in window),
            aux=tuple(window),
            perfect="have" in window,
        )

    def dates(self, sentence: Any) -> list[tuple[str, str]]:
        """Date phrases of the sentence, in order: ("on Monday", "on Monday")."""
        found = self._dates.get(sentence.start)
        if found is None:
            found = []
            tokens = list(sentence)
            for k, token in enumerate(tokens):
                if not has_date_word(token.text):
                    continue
                start = (
                    k - 1 if k > 0 and tokens[k - 1].lower_ in ("on", "last", "next", "this") else k
                )
                end = min(len(tokens), k + 3)
                while end - 1 > k and not tokens[end - 1].is_alpha:
                    end -= 1
                phrase = self.doc[tokens[start].i : tokens[end - 1].i + 1].text
                found.append((phrase, " ".join(phrase.split()[: 2 if start < k else 1])))
            self._dates[sentence.start] = found
        return found

    def directed(self, sentence: Any, i: int) -> _Directed | None:
        """Is the trigger at ``i`` what a directive verb asks of its addressee?

        "urged Iran (and Iraq) to withdraw", "called on Iran on Monday to
        withdraw", "appealed to Iran to", "called for Iran to withdraw",
        "pressured Iran into withdrawing": a directive verb, its addressee
        right after it (or after its own preposition, or "for"), then "to" (or
        "into" before an "-ing" trigger), with no clause break or other verb
        in between.  "asked to join" (no addressee) is none: the subject is the
        one to act.
        """
        lowers = self.lowers
        t = i - 1
        if t <= sentence.start:
            return None
        if lowers[t] == "to":
            if lowers[t - 1] in NEGATIONS:
                t -= 1  # "warned Iran not to attack"
        elif not (lowers[t] == "into" and lowers[i].endswith("ing")):
            return None
        forms = directive_forms()
        for k in range(t - 1, max(sentence.start, t - 12) - 1, -1):
            word = lowers[k]
            if k in self.mention_at:
                continue
            if word in CLAUSE_BREAKS or word == ",":
                return None
            lemma = forms.get(word)
            if lemma is None:
                if word in self.forms and not self._noun_use(k):
                    return None  # another verb stands between
                continue
            addressees, _ = self.targets_after(k, t)
            if not addressees:
                return None
            # "called on Iran", "called for Iran to" (the clause's own subject); not
            # "asked on Monday in Paris for Iran to ..."
            lead = [w for w in lowers[k + 1 : addressees[0].start] if w not in ("the", "a", "an")]
            preps = ADDRESSEE_PREPS.get(lemma)
            if len(lead) > 1 or (lead and lead[0] not in (preps or frozenset()) | {"for"}):
                return None
            if preps and not lead:
                return None  # "called Putin to discuss Syria": a phone call, not an appeal
            # "urged Iran on Monday to", "ordered the newspaper La Prensa to": only time
            # words or a name between the addressee and "to"; not "asked the United
            # States for more weapons to fight Hamas"
            trail = self.doc[addressees[-1].end : t]
            if len(trail) > 3 or not all(
                w.lower_ in TRAILING_WORDS or w.is_title or has_date_word(w.text) for w in trail
            ):
                return None
            negated = any(w in NEGATIONS for w in lowers[max(sentence.start, k - 3) : k])
            return _Directed(addressees, self.source_before(sentence, k), negated)
        return None

    def _object_word(self, lemma: str, k: int, light: bool) -> str | None:
        """The object noun at ``k`` that the predicate keeps ("stage protest", "carry out
        strike"), in the form the codebook writes it; with ``light``, a light verb's
        object that is a verb's form used as a noun ("conducted raids")."""
        word = self.lowers[k]
        if light:
            if lemma in LIGHT_VERBS and word in self.forms and k not in self.mention_at:
                return word
            return None
        return codebook_object(self.ctx.dictionary, lemma, (word, singular(word)))

    def _pattern_theme(self, lemma: str, draft: Draft) -> bool:
        """ "sent troops to Syria": a role noun a codebook pattern makes the object."""
        if draft.method != "rules" or draft.nationality or draft.sponsor:
            return False
        word = self.lowers[draft.head]
        return is_pattern_theme(self.ctx.dictionary, lemma, (word, singular(word)))

    def _each_other(self, start: int, end: int) -> bool:
        words = self.lowers[start:end]
        return any(f"{a} {b}" in RECIPROCAL_PRONOUNS for a, b in itertools.pairwise(words))

    def cues(self, sentence: Any) -> list[tuple[int, str]]:
        """Reporting, speculating and demanding verbs of a sentence, in order."""
        found = self._cues.get(sentence.start)
        if found is None:
            found = []
            for k in range(sentence.start, sentence.end):
                governing = self.forms.get(self.lowers[k])
                if governing is None or k in self.mention_at:
                    continue
                if governing in _CUE_VERBS:
                    found.append((k, governing))
            self._cues[sentence.start] = found
        return found

    def place_in(self, start: int, end: int) -> Draft | None:
        for k in range(start + 1, end):
            if self.lowers[k] not in ("in", "at", "near", "into"):
                continue
            draft = self.mention_at.get(k + 1) or self.mention_at.get(k + 2)
            if (
                draft is not None
                and draft.label in PLACE_LABELS
                and draft.place is not None
                and not draft.is_metonym
            ):
                return draft
        return None

    def run(self) -> list[DraftEvent]:
        events: list[DraftEvent] = []
        for sentence in self.doc.sents:
            if not any(i in self.mention_at for i in range(sentence.start, sentence.end)):
                continue  # no actor, no candidate
            for token in sentence:
                lower = token.lower_
                if (lower not in self.forms and lower not in self.light_forms) or (
                    token.i in self.mention_at
                ):
                    continue
                if token.i in self.consumed or self._noun_use(token.i):
                    continue  # "staged a protest": the noun is no trigger of its own
                lemma = self.forms.get(lower)
                before_infinitive = self._before_infinitive(token.i)
                if lemma and not is_trigger(lemma, before_infinitive=before_infinitive):
                    continue  # "sought to talk": the talking is the event
                analysed = self.analyse(sentence, token)
                if analysed is None:
                    continue
                clause, consumed = analysed
                candidate = code_clause(clause, self.ctx)
                if candidate is not None:
                    if consumed is not None:
                        self.consumed.add(consumed)  # "staged a protest": not "protest"
                    events.extend(distribute_sources(candidate))
        return events

    def _where(self, draft: Draft) -> bool:
        """ "in Darfur", "west of El Fasher": a place under a locative is where, not whom."""
        if draft.label not in PLACE_LABELS or draft.place is None or draft.is_metonym:
            return False
        if draft.place.precision == "country" or draft.start < 2:
            return False
        before = self.lowers[draft.start - 1]
        return before in LOCATIVE_PREPS or (
            before == "of" and self.lowers[draft.start - 2] in DIRECTION_WORDS
        )

    def _before_infinitive(self, i: int) -> bool:
        """ "sought to talk": "to" and a verb follow, not "to" and an actor."""
        return (
            i + 2 < len(self.lowers)
            and self.lowers[i + 1] == "to"
            and i + 2 not in self.mention_at
            and self.lowers[i + 2] not in NOUN_MARKERS
        )

    def _noun_use(self, i: int) -> bool:
        """A verb's form after a determiner or a possessive is a noun: "the attack"."""
        return i > 0 and self.lowers[i - 1] in NOUN_MARKERS


def extract_rule_events(doc: Any, ctx: EventContext) -> list[DraftEvent]:
    return _RuleExtractor(doc, ctx).run()
