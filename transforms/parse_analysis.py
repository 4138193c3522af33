"""The model path's analysis: event clauses read from the spaCy dependency parse.

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

What the clause then means (modality, negation, attribution, history, date)
is decided by :mod:`transforms.clause`; this module only reads the parse.
"""

from __future__ import annotations

from typing import Any

from transforms.clause import (
    Clause,
    Cues,
    DraftEvent,
    EventContext,
    Governor,
    History,
    QuoteSpan,
    code_clause,
    distribute_sources,
    is_trigger,
    question_start,
)
from transforms.dates import has_date_word
from transforms.dictionary import ActorDictionary
from transforms.lexicon import (
    BACKGROUND_ADVERBS,
    DESTINATION_PREPS,
    LOCATIVE_PREPS,
    NEGATING_ADVERBS,
    SPEECH_VERBS,
    TARGET_PREPS,
    TOPIC_OBJECT_VERBS,
)
from transforms.mention_drafts import PLACE_LABELS, Draft, MentionSet
from transforms.parse_arguments import OBJECT_DEPS, ParseArguments

__all__ = ["extract_events", "find_quotes"]

CLAUSE_UP = frozenset({"ccomp", "xcomp", "advcl", "conj", "parataxis", "pcomp", "acl", "relcl"})
#: steps up the tree through which a governor's speculation or condition reaches down
INHERIT_UP = frozenset({"conj", "advcl", "xcomp", "ccomp", "parataxis", "pcomp", "prep", "pobj"})
TARGET_PREP_ORDER = {p: i for i, p in enumerate(TARGET_PREPS)}
PURPOSE_DEPS = frozenset({"advcl", "xcomp"})
#: prepositions on a plain object that still name the target ("boycott contact with X")
OBJECT_PREPS = DESTINATION_PREPS | {"with", "against", "on"}
PAST_TAGS = frozenset({"VBD", "VBN"})
TIME_PREPS = frozenset({"on", "in", "at", "during", "since", "by"})


class _ParseAnalyser(ParseArguments):
    def __init__(self, doc: Any, ctx: EventContext) -> None:
        super().__init__(doc, ctx)
        self._cues: dict[int, Cues] = {}
        self._governors: dict[int, list[Governor]] = {}
        self._times: dict[int, list[Any]] = {}
        self._questions: dict[int, int | None] = {}

    # -- the clause's own words and what governs it --------------------------------
    def cues(self, verb: Any) -> Cues:
        cached = self._cues.get(verb.i)
        if cached is None:
            children = list(verb.children)
            lowers = [c.lower_ for c in children]
            cached = Cues(
                negated=any(
                    c.dep_ == "neg" or w in NEGATING_ADVERBS
                    for c, w in zip(children, lowers, strict=True)
                ),
                aux=tuple(w for c, w in zip(children, lowers, strict=True) if c.dep_ == "aux"),
                adverbs=tuple(
                    w
                    for c, w in zip(children, lowers, strict=True)
                    if c.dep_ in ("advmod", "npadvmod")
                ),
                marks=tuple(w for c, w in zip(children, lowers, strict=True) if c.dep_ == "mark"),
                perfect="have" in lowers,
            )
            self._cues[verb.i] = cached
        return cached

    def governors(self, verb: Any) -> list[Governor]:
        """The clauses above ``verb`` that may change what it means, nearest first."""
        cached = self._governors.get(verb.i)
        if cached is not None:
            return cached
        found: list[Governor] = []
        token = verb
        steps = 0
        described = False  # above a relative clause or a noun: "urged X to punish Y, who ..."
        while token.head.i != token.i and steps < 8:
            steps += 1
            directed = None if described else self._directed(token)
            if directed is not None:
                directive = directed[0]
                found.append(
                    Governor(
                        "directive",
                        self.lemma(directive),
                        self.cues(directive),
                        speakers=self._demander(directive),
                    )
                )
                token = directive
                continue
            dep, head = token.dep_, token.head
            stop = dep not in CLAUSE_UP and dep not in ("prep", "pobj", "dobj", "attr", "acomp")
            governor = Governor(
                "other",
                self.lemma(head),
                self.cues(head),
                word=head.lower_,
                particle=next((c.lower_ for c in head.children if c.dep_ == "prt"), None),
                past=head.tag_ in PAST_TAGS,
                inherit=not stop and dep in INHERIT_UP,
            )
            if dep in ("ccomp", "parataxis") or (dep == "conj" and self._said_object(head)):
                governor.relation = "content"
                governor.speakers = self.actors_of_subject(head, own_only=True)
                governor.subjunctive = self._demand_complement(token)
            elif dep == "xcomp":
                governor.relation = "infinitive"
                governor.speakers = self.actors_of_subject(head)
            elif dep == "prep" and token.lower_ == "from":
                governor.relation = "from"
            found.append(governor)
            if stop:
                break
            if dep in ("relcl", "acl", "pobj", "dobj", "attr"):
                described = True
            token = head
        self._governors[verb.i] = found
        return found

    # -- time and history ------------------------------------------------------
    def time_phrases(self, verb: Any) -> list[Any]:
        """The verb's own time modifiers: "on Sunday", "yesterday", "years ago"."""
        cached = self._times.get(verb.i)
        if cached is not None:
            return cached
        found = []
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in TIME_PREPS:
                sub = list(child.subtree)
                if any(t.ent_type_ in ("DATE", "TIME") for t in sub) or has_date_word(
                    " ".join(t.text for t in sub)
                ):
                    found.append(sub)
            elif child.dep_ in ("npadvmod", "advmod", "tmod", "obl") and (
                child.ent_type_ in ("DATE", "TIME") or has_date_word(child.text)
            ):
                found.append(list(child.subtree))
        self._times[verb.i] = found
        return found

    def history(self, verb: Any) -> list[History]:
        """Time cues of the verb, of the verb it is coordinated with, of what it is the
        purpose of."""
        scopes = []
        token = verb
        for _ in range(12):
            scopes.append(
                History(
                    times=tuple(" ".join(t.text for t in p) for p in self.time_phrases(token)),
                    adverbs=tuple(
                        c.lower_
                        for c in token.children
                        if c.dep_ == "advmod"
                        and c.lower_ in BACKGROUND_ADVERBS
                        and not any(g.lower_ == "again" for g in c.children)
                    ),
                    pluperfect=token.tag_ == "VBN"
                    and any(c.dep_ == "aux" and c.lower_ == "had" for c in token.children),
                )
            )
            head = token.head
            if head.i == token.i or head.pos_ != "VERB":
                break
            if token.dep_ != "conj" and token.dep_ not in PURPOSE_DEPS:
                break
            token = head
        return scopes

    def dates(self, verb: Any) -> list[tuple[str, str]]:
        """Time phrases of the verb, then of the clauses it depends on."""
        found = []
        token = verb
        for depth in range(5):
            for phrase in self.time_phrases(token):
                cue = self.doc[phrase[0].i : phrase[-1].i + 1].text
                found.append((cue, cue))
            if depth >= 4 or token.dep_ not in ("conj", "xcomp", "advcl", "ccomp"):
                break
            if token.head.i == token.i:
                break
            token = token.head
        return found

    # -- place -------------------------------------------------------------------
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
    def analyse(self, verb: Any) -> Clause:
        """The clause of one verb, as the parse has it."""
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
        objects: list[Draft] = []
        object_tokens = [c for c in verb.children if c.dep_ in OBJECT_DEPS and c.pos_ != "ADP"]
        if verb.dep_ == "amod" and self._directed(verb) is not None:
            object_tokens.append(verb.head)  # "pressured Sweden into expelling Kurdish militants"
        for child in object_tokens:
            if child in said_object:
                continue  # "officials said three hundred fighters ... used": not a target
            topic = lemma in TOPIC_OBJECT_VERBS or self.owned_theme(child)
            found = [] if topic else self.actors(child)
            if found and self._pattern_theme(lemma, child, found):
                found = []  # "sent troops to Syria": the troops are what is sent
            if found:
                objects.extend(found)
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
            if not objects and not (passive and subject_actors):
                target_prep = prep_targets[0][1]
            for _, _, found in prep_targets:
                objects.extend(found)
        object_words = self._object_words(object_token)
        if passive:  # "the deal was signed by Syria and Iraq"
            object_words += [t.lower_ for t in subject_tokens if not self.actors(t)]
        return Clause.at(
            verb,
            lemma,
            parsed=True,
            subjects=subject_actors,
            agents=agents,
            objects=objects,
            passive=passive,
            own_subject=own_subject,
            particle=particle,
            object_noun=obj_noun,
            noun_verb=self._noun_verb(object_token) if obj_noun else None,
            target_prep=target_prep,
            object_words=object_words,
            each_other=self._each_other(verb),
            complement_targets=lambda demand: self._complement_targets(verb, demand),
            context=lambda clause: self._context(clause, verb, object_token),
        )

    def _context(self, clause: Clause, verb: Any, object_token: Any | None) -> None:
        quote = self._quote(verb)
        clause.cues = self.cues(verb)
        clause.governors = self.governors(verb)
        clause.quote_speaker = quote.speaker if quote is not None else None
        clause.question = self._question(verb)
        clause.history = self.history(verb)
        clause.dates = self.dates(verb)
        clause.place = self.where(verb, object_token)

    def _complement_targets(self, verb: Any, demand: bool) -> list[Draft]:
        """ "threatened to attack Iraq": the target of what is intended; "insisted that
        Turkey must withdraw" (``demand``): the one who is to act."""
        for child in verb.children:
            if child.dep_ == "xcomp" and child.pos_ == "VERB":
                inner = code_clause(self.analyse(child), self.ctx)
                if inner is not None:
                    return inner.targets
        found: list[Draft] = []
        if demand:
            for child in verb.children:
                if child.dep_ == "ccomp" and self._demand_complement(child):
                    found.extend(self.actors_of_subject(child))
        return found

    def _question(self, verb: Any) -> bool:
        """Is the verb inside the question its sentence ends with?"""
        sentence = verb.sent
        start = self._questions.get(sentence.start, -1)
        if start == -1:
            start = question_start([t.text for t in sentence])
            self._questions[sentence.start] = start
        return start is not None and verb.i - sentence.start >= start

    def _quote(self, verb: Any) -> QuoteSpan | None:
        for quote in self.ctx.quotes:
            if quote.start <= verb.i < quote.end:
                return quote
        return None

    @staticmethod
    def _before_infinitive(verb: Any) -> bool:
        """ "sought to talk": the verb governs a to-infinitive."""
        return any(
            c.dep_ == "xcomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
            for c in verb.children
        )

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
            for token in sentence:
                if token.pos_ != "VERB" or not is_trigger(
                    self.lemma(token), before_infinitive=self._before_infinitive(token)
                ):
                    continue
                candidate = code_clause(self.analyse(token), self.ctx)
                if candidate is not None:
                    events.extend(distribute_sources(candidate))
        return events


def extract_events(doc: Any, ctx: EventContext) -> list[DraftEvent]:
    """Event candidates of a parsed ``doc``."""
    return _ParseAnalyser(doc, ctx).run()


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
                        extractor = ParseArguments(doc, EventContext(mentions, ActorDictionary()))
                    speakers = extractor.actors_of_subject(token)
                    if speakers:
                        span.speaker = speakers[0]
                        break
            if span.speaker is not None:
                break
    return tuple(s for s in spans if s.end - s.start >= 4)
