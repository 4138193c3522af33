"""The nominal-actor pass of the mention finder: noun phrases headed by a role noun.

"Iraqi security officials", "Iran-backed Shiite militia fighters from Iraq",
"the Syrian army": a role noun (``role_nouns.csv``) or a generic actor head
with its modifiers becomes a mention (``method='rules'``) carrying the
nationality, role and sponsor its modifiers name; a place named by a
nationality ("Syrian soil") becomes a place mention; "the ministry" after a
named ministry refers back to it.  With the model the dependency parse shapes
the phrase, on the rule path adjacency does.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from transforms.document import Place
from transforms.inflect import singular
from transforms.lexicon import (
    ADJECTIVE_NOT_ACTOR,
    GENERIC_ACTOR_HEADS,
    PLACE_NOUNS,
    SPONSOR_PARTICIPLES,
)
from transforms.mention_drafts import (
    DETERMINERS,
    NP_MODIFIERS,
    PLACE_PREPS,
    Draft,
    FinderState,
)

__all__ = ["NominalPass"]


class NominalPass(FinderState):
    """Nominal actors (the pass :meth:`nominals`) and the helpers it needs."""

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
            if (
                word in ADJECTIVE_NOT_ACTOR
                and start == token.i
                and token.i > 0
                and doc[token.i - 1].lower_ in PLACE_PREPS
            ):
                continue  # "said in public": an adjective noun straight after a preposition
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
