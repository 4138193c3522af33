"""Arguments from the dependency parse: which mentions an argument token stands for.

Who the subject of a verb is (inherited through coordination, control and
directives: "urged Iran to withdraw" makes Iran the one to withdraw), what a
token stands for (coordination, quantities "Hundreds of ... fighters",
relative pronouns, "a group known as X", "they" under "said"), passives, and
the object noun a predicate keeps.  :mod:`transforms.parse_analysis` builds
the clause structure of :mod:`transforms.clause` with these.
"""

from __future__ import annotations

from typing import Any

from transforms.clause import (
    EventContext,
    codebook_object,
    is_pattern_theme,
    is_subjunctive,
    unique,
)
from transforms.inflect import known_forms_for
from transforms.lexicon import (
    ADDRESSEE_PREPS,
    DEMAND_VERBS,
    DIRECTIVE_VERBS,
    LIGHT_VERBS,
    LOCATIVE_PREPS,
    OBJECT_CONTROL,
    QUANTITY_HEADS,
    RECIPROCAL_PRONOUNS,
    RELATIVE_PRONOUNS,
    SPEECH_VERBS,
)
from transforms.mention_drafts import PLACE_LABELS, Draft

__all__ = ["OBJECT_DEPS", "ParseArguments"]

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})
OBJECT_DEPS = frozenset({"dobj", "dative", "iobj", "obj"})
REPORTED_PRONOUNS = frozenset({"they", "it", "we", "he", "she"})
NAMING_VERBS = frozenset({"call", "name", "dub", "know", "label", "brand"})


class ParseArguments:
    def __init__(self, doc: Any, ctx: EventContext) -> None:
        self.doc = doc
        self.ctx = ctx
        self.mentions = ctx.mentions
        self.dictionary = ctx.dictionary
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
        return unique(found)

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
                elif dep == "pcomp" and head.lower_ == "from" and head.head.pos_ == "VERB":
                    # "prevented Iran from attacking": Iran would have attacked; "Iran
                    # was prevented from attacking", "refrained from attacking": the
                    # subject would have
                    governing = head.head
                    objects = [c for c in governing.children if c.dep_ in OBJECT_DEPS]
                    result = (objects or self.subjects(governing, depth + 1)[0], False)
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
        """ "Iran was attacked", "the deal signed by X" (a reduced relative); not "the
        announcement that Ukraine had agreed", a clause with its own subject."""
        if any(c.dep_ in ("auxpass", "nsubjpass", "csubjpass") for c in verb.children):
            return True
        return (
            verb.dep_ == "acl"
            and verb.tag_ == "VBN"
            and not any(c.dep_ in ("nsubj", "aux") for c in verb.children)
        )

    def owned_theme(self, obj: Any) -> bool:
        """ "withdraw its forces": the object belongs to the subject, it is not a target."""
        return any(c.dep_ == "poss" and c.pos_ == "PRON" for c in obj.children)

    def _demand_complement(self, complement: Any) -> bool:
        """ "insisted that Turkey must withdraw" / "... Turkey withdraw", not "... is capable"."""
        aux = [c.lower_ for c in complement.children if c.dep_ == "aux"]
        return is_subjunctive(aux, bare=complement.tag_ == "VB", copula=complement.lemma_ == "be")

    def actors_of_subject(self, verb: Any, *, own_only: bool = False) -> list[Draft]:
        tokens, own = self.subjects(verb)
        if own_only and not own:
            return []  # "..., suggesting that": the writer's inference, nobody's claim
        found: list[Draft] = []
        for token in tokens:
            found.extend(self.actors(token))
        return unique(found)

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
        """ "sent troops to Syria": the troops are what is sent, not a target."""
        if not is_pattern_theme(self.dictionary, lemma, (obj.lower_, (obj.lemma_ or "").lower())):
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
        word = obj.lower_
        found = codebook_object(self.dictionary, lemma, (word, (obj.lemma_ or word).lower()))
        if found is not None:
            return found
        if lemma in LIGHT_VERBS and obj.pos_ == "NOUN" and word.isalpha():
            return word
        return None

    def _pattern_prep(self, lemma: str, obj_noun: str | None, prep: str) -> bool:
        """A locative preposition that a codebook pattern makes a target ("invest in")."""
        head = f"{lemma} {obj_noun} {prep}" if obj_noun else f"{lemma} {prep}"
        return head in self.dictionary.pattern_prefixes
