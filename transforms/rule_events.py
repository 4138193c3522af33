"""Event candidates without a parser (the rule path, ``pipeline='rules'``).

Without a model there is no part of speech, lemma or dependency tree, so this
path works on word order inside each sentence: a trigger is any inflected form
of a codebook verb or a reporting verb; its source is the nearest actor mention
before it (with coordinated mentions: "Russia and Iran agreed"), its target the
first actor mention after it before the clause ends, and the word in front of
the target gives the preposition ("meet with").  Passives ("was routed by the
rebels") swap the two.  After a directive ("urged Iran to", "called on Iran
to", "pressured Iran into") the addressee is the source and the act is
demanded by the one before the directive.  Negation, modality, background, date and place come
from the same cue words the parser path uses, looked up in a small window.
Precision is lower than with the model; the output is marked as such.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from transforms.dates import has_date_word, is_background_time, resolve_date
from transforms.dictionary import ActorDictionary
from transforms.events import DraftEvent, EventContext, distribute_sources, is_reciprocal
from transforms.inflect import forms_for, inflect, singular
from transforms.lexicon import (
    ADDRESSEE_PREPS,
    DEMAND_VERBS,
    DIRECTION_WORDS,
    DIRECTIVE_VERBS,
    INTENTION_VERBS,
    LIGHT_VERBS,
    LOCATIVE_PREPS,
    MODAL_DEMAND,
    MODAL_FUTURE,
    MODAL_HYPOTHETICAL,
    MODAL_SPECULATIVE,
    RECIPROCAL_PRONOUNS,
    REFRAIN_VERBS,
    REPORTED_ADVERBS,
    SPECULATION_VERBS,
    SPECULATIVE_ADVERBS,
    SPEECH_VERBS,
    TARGET_PREPS,
)
from transforms.mentions import PLACE_LABELS, Draft

__all__ = ["extract_rule_events", "verb_forms"]

#: "refrained", "abstaining", ...: their "from ..." did not happen
REFRAIN_FORMS = frozenset(form for lemma in REFRAIN_VERBS for form in inflect(lemma))

PASSIVE_AUX = frozenset(["was", "were", "been", "being", "is", "are", "be", "get", "got", "gets"])
PARTICLES = frozenset(["out", "off", "up", "down", "back", "away", "over", "in"])
CLAUSE_BREAKS = frozenset({";", ":", "—", "–", "but", "while", "whereas", "although", "."})
NEGATIONS = frozenset({"not", "n't", "never", "no"})
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
        self._when: dict[tuple[int, bool], tuple[Any, str | None]] = {}
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

    def event(self, sentence: Any, token: Any) -> DraftEvent | None:
        doc = self.doc
        lemma = self.forms.get(token.lower_) or self.light_forms[token.lower_]
        i = token.i
        previous = [self.lowers[j] for j in range(max(sentence.start, i - 3), i)]
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
        if passive:
            agents: list[Draft] = []
            for j in range(i + 1, end):
                if self.lowers[j] == "by":
                    agents, _ = self.targets_after(j, end)
                    break
            sources, targets = agents, before
            prep = None
        else:
            if after and self._pattern_theme(lemma, after[0]):
                after, prep = self.targets_after(after[0].end - 1, end)  # "sent troops to X"
            sources, targets = before, after
            if lemma in SPEECH_VERBS | SPECULATION_VERBS and lemma != "tell":
                targets, prep = [], None  # "X said Turkey ...": Turkey is not told anything
        targets = [t for t in targets if t not in sources]
        if not sources and not targets:
            return None
        words = [lemma]
        j = i + 1
        if j < end and self.lowers[j] in PARTICLES and j not in self.mention_at:
            words.append(self.lowers[j])
            j += 1
        first_target = targets[0].start if targets and not passive else end
        trigger_lemma = lemma
        object_word = None
        window_end = min(first_target, j + 4)
        for light in (False, True):
            k = next((k for k in range(j, window_end) if self._object_word(lemma, k, light)), None)
            if k is not None:
                object_word = self._object_word(lemma, k, light)
                words.append(object_word or "")
                self.consumed.add(k)
                if lemma in LIGHT_VERBS and lemma not in self.ctx.dictionary.pattern_set:
                    trigger_lemma = self.forms.get(self.lowers[k], lemma)  # "conducted raids"
                break
        if object_word is None and token.lower_ not in self.forms:
            return None  # "launched" alone: a light verb says nothing without its noun
        if prep and not passive:
            words.append(prep)
        window = " ".join(previous)
        negated = any(w in NEGATIONS for w in previous)
        if previous[-2:-1] and previous[-1] == "from" and previous[-2] in REFRAIN_FORMS:
            negated = not negated  # "refrained from attacking": it did not happen
        modality = "asserted"
        attributed: Draft | None = None
        if any(w in MODAL_DEMAND for w in previous):
            modality = "demanded"
        elif any(w in MODAL_FUTURE for w in previous) or re.search(r"\bgoing to$", window):
            modality = "intended"
        elif any(w in MODAL_HYPOTHETICAL for w in previous):
            modality = "hypothetical"
        elif any(w in MODAL_SPECULATIVE for w in previous):
            modality = "speculative"
        elif previous and previous[-1] == "to" and len(previous) >= 2:
            governing = self.forms.get(previous[-2])
            if governing in INTENTION_VERBS:
                modality = "intended"
        sentence_words = self.lowers[sentence.start : i]
        if "if" in sentence_words or "unless" in sentence_words:
            modality = "hypothetical"
        elif (
            modality == "hypothetical"
            and "have" not in previous
            and any(w in PAST_SPEECH_FORMS for w in sentence_words)
        ):
            modality = "intended"  # "Syria said it would withdraw": the future of the past
        for k, governing in self.cues(sentence):
            if k >= i:
                break
            speakers = self.mentions_between(sentence.start, k)
            if governing in SPECULATION_VERBS:
                modality = "speculative"
            elif governing in DEMAND_VERBS and modality in ("asserted", "demanded"):
                modality = "demanded"
            elif governing in SPEECH_VERBS and modality == "asserted":
                modality = "reported"
            else:
                continue
            if speakers and speakers[-1] not in sources:
                attributed = speakers[-1]
        if any(w in REPORTED_ADVERBS for w in sentence_words) and modality == "asserted":
            modality = "reported"
        if any(w in SPECULATIVE_ADVERBS for w in previous):
            modality = "speculative"
        if directed is not None:
            # wanted by the one who urges, not done; "did not urge X to" negates it
            if modality not in ("speculative", "hypothetical"):
                modality = "demanded"
            attributed = next((d for d in reversed(directed.demanders) if d not in sources), None)
            negated = negated or directed.negated
        rest = doc[i:end].text
        background = is_background_time(rest, self.ctx.published) or "had" in previous[-2:]
        event_date, cue = None, None
        if not background:
            event_date, cue = self.when(sentence, modality == "intended")
        place = self.place_in(i, end)
        sponsor = next((s.sponsor for s in sources if s.sponsor), None)
        confidence = 0.25 + (0.2 if sources else 0.0) + (0.15 if targets else 0.0)
        return DraftEvent(
            token=i,
            trigger_start=token.idx,
            trigger_end=token.idx + len(token.text),
            trigger_text=token.text,
            trigger_lemma=trigger_lemma,
            predicate=" ".join(words),
            sources=sources,
            targets=targets,
            attributed_to=attributed,
            negated=negated,
            modality=modality,
            is_background=background,
            place=place,
            place_source="locative" if place is not None else None,
            event_date=event_date,
            date_cue=cue,
            sponsor_text=sponsor,
            confidence=round(confidence, 2),
            reciprocal=len(sources) > 1
            and not targets
            and is_reciprocal(
                lemma,
                # the object's words; a passive's subject ("the deal was signed by X and Y")
                self.lowers[i + 1 : min(end, i + 6)]
                + (self.lowers[max(sentence.start, i - 6) : i] if passive else []),
                self._each_other(i + 1, end),
            ),
        )

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
        dictionary = self.ctx.dictionary
        for form in (word, singular(word)):
            if form in dictionary.event_nouns or (lemma, form) in dictionary.verb_objects:
                return form
        return None

    def _pattern_theme(self, lemma: str, draft: Draft) -> bool:
        """ "sent troops to Syria": a role noun a codebook pattern makes the object."""
        if draft.method != "rules" or draft.nationality or draft.sponsor:
            return False
        word = self.lowers[draft.head]
        verb_objects = self.ctx.dictionary.verb_objects
        return (lemma, word) in verb_objects or (lemma, singular(word)) in verb_objects

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

    def when(self, sentence: Any, future: bool) -> tuple[Any, str | None]:
        key = (sentence.start, future)
        if key not in self._when:
            self._when[key] = self._find_when(sentence, future)
        return self._when[key]

    def _find_when(self, sentence: Any, future: bool) -> tuple[Any, str | None]:
        tokens = list(sentence)
        for k, token in enumerate(tokens):
            if not has_date_word(token.text):
                continue
            start = k - 1 if k > 0 and tokens[k - 1].lower_ in ("on", "last", "next", "this") else k
            end = min(len(tokens), k + 3)
            while end - 1 > k and not tokens[end - 1].is_alpha:
                end -= 1
            cue = self.doc[tokens[start].i : tokens[end - 1].i + 1].text
            resolved = resolve_date(cue, self.ctx.published, future=future)
            if resolved is not None:
                words = cue.split()
                return resolved, " ".join(words[: 2 if start < k else 1])
        return None, None

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
                candidate = self.event(sentence, token)
                if candidate is not None:
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

    def _noun_use(self, i: int) -> bool:
        """A verb's form after a determiner or a possessive is a noun: "the attack"."""
        return i > 0 and self.lowers[i - 1] in NOUN_MARKERS


def extract_rule_events(doc: Any, ctx: EventContext) -> list[DraftEvent]:
    return _RuleExtractor(doc, ctx).run()
