"""Directives: "urged Turkey to withdraw" is Turkey's withdrawal, wanted by the urger.

With an object-control verb (urge, ask, call on, press, tell, appeal to,
pressure into, ...) the act of the complement is the addressee's, and it has
not happened: ``modality='demanded'``, attributed to the subject, as in "Assad
insisted Turkey withdraw".  The directive itself keeps its own candidate.
Sentences written for these tests; the dictionary is ``review_seeds``.
"""

from __future__ import annotations

import pytest

from tests.transforms.conftest import PATHS, annotate, events_of, names, only
from transforms.dictionary import ActorDictionary
from transforms.document import AnnotatedDocument, EventMention

MODEL_ONLY = [p for p in PATHS if p.id == "model"]


def attributed(doc: AnnotatedDocument, event: EventMention) -> str | None:
    return None if event.attributed_to is None else doc.mentions[event.attributed_to].text


def outline(doc: AnnotatedDocument, lemma: str) -> tuple[list[str], str, str | None]:
    """Who acts, the modality, and to whom it is attributed, of the one event of ``lemma``."""
    event = only(doc, lemma)
    return names(doc, event.sources), event.modality, attributed(doc, event)


@pytest.mark.parametrize("model", PATHS)
@pytest.mark.parametrize(
    "directive",
    [
        "urged",
        "asked",
        "pressed",
        "told",
        "encouraged",
        "invited",
        "ordered",
        "warned",
        "called on",
        "called upon",
        "appealed to",
        "pleaded with",
    ],
)
def test_the_addressee_is_to_act_and_the_act_is_demanded(
    directive: str, model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate(f"Germany {directive} Turkey to withdraw from Syria.", review_seeds, model)
    withdraw = only(doc, "withdraw")
    assert names(doc, withdraw.sources) == ["Turkey"]
    assert names(doc, withdraw.targets) == ["Syria"]
    assert withdraw.modality == "demanded"
    assert attributed(doc, withdraw) == "Germany"
    assert not withdraw.negated


@pytest.mark.parametrize("model", PATHS)
def test_call_on_with_a_date_between_keeps_the_outer_event(
    model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate("France called on Iran on Monday to withdraw from Syria.", review_seeds, model)
    assert outline(doc, "withdraw") == (["Iran"], "demanded", "France")
    call = only(doc, "call")
    assert names(doc, call.sources) == ["France"]
    assert names(doc, call.targets) == ["Iran"]
    assert (call.modality, call.attributed_to, call.negated) == ("asserted", None, False)


@pytest.mark.parametrize("model", PATHS)
def test_coordinated_addressees_are_both_sources(
    model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate("Germany urged Russia and Turkey to hold talks.", review_seeds, model)
    talks = only(doc, "hold")
    assert sorted(names(doc, talks.sources)) == ["Russia", "Turkey"]
    assert (talks.modality, attributed(doc, talks)) == ("demanded", "Germany")
    # not reciprocal: the same demanded act of each of them
    doc = annotate("France asked Russia and Iran to withdraw from Syria.", review_seeds, model)
    withdrawals = events_of(doc, "withdraw")
    assert sorted(n for e in withdrawals for n in names(doc, e.sources)) == ["Iran", "Russia"]
    assert all(e.modality == "demanded" for e in withdrawals)
    assert all(attributed(doc, e) == "France" for e in withdrawals)


@pytest.mark.parametrize("model", PATHS)
def test_a_negated_directive_negates_what_it_asks(
    model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate("France did not ask Turkey to withdraw from Syria.", review_seeds, model)
    withdraw = only(doc, "withdraw")
    assert names(doc, withdraw.sources) == ["Turkey"]
    assert withdraw.negated  # dbt counts no demand of France's
    assert only(doc, "ask").negated


@pytest.mark.parametrize("model", PATHS)
def test_pressure_into_and_call_for(model: bool, review_seeds: ActorDictionary) -> None:
    doc = annotate("Russia pressured Turkey into withdrawing from Syria.", review_seeds, model)
    assert outline(doc, "withdraw") == (["Turkey"], "demanded", "Russia")
    # "call for X to V": the clause's own subject acts
    doc = annotate("Iran called for Turkey to withdraw from Syria.", review_seeds, model)
    assert outline(doc, "withdraw") == (["Turkey"], "demanded", "Iran")


@pytest.mark.parametrize("model", MODEL_ONLY)
def test_a_gerund_after_into_read_as_an_adjective(
    model: bool, review_seeds: ActorDictionary
) -> None:
    """The parser may read "into expelling Kurdish militants" as a noun phrase."""
    doc = annotate("Turkey pressured Iraq into expelling Kurdish militants.", review_seeds, model)
    assert outline(doc, "expel") == (["Iraq"], "demanded", "Turkey")
    pressure = only(doc, "pressure")
    assert names(doc, pressure.targets) == ["Iraq"]  # the militants are no target of it


@pytest.mark.parametrize("model", MODEL_ONLY)
def test_passive_directives_are_attributed_to_the_agent(
    model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate("Turkey was urged by Russia to withdraw from Syria.", review_seeds, model)
    assert outline(doc, "withdraw") == (["Turkey"], "demanded", "Russia")
    doc = annotate("Turkey was urged to withdraw from Syria.", review_seeds, model)
    # nobody named demands it: no demand of Turkey's on itself
    assert outline(doc, "withdraw") == (["Turkey"], "demanded", None)


@pytest.mark.parametrize("model", MODEL_ONLY)
def test_what_is_no_directive_stays_as_it_was(model: bool, review_seeds: ActorDictionary) -> None:
    # a phone call with a purpose: the caller offers
    doc = annotate("Erdogan called Assad to offer assistance to Syria.", review_seeds, model)
    offer = only(doc, "offer")
    assert names(doc, offer.sources) == ["Erdogan"]
    assert offer.modality == "asserted"
    # a relative clause inside what is asked describes, it is not asked
    doc = annotate(
        "Germany urged Turkey to condemn Russia, which attacked Iraq.", review_seeds, model
    )
    attack = only(doc, "attack")
    assert names(doc, attack.sources) == ["Russia"]
    assert attack.modality == "asserted"
    # a purpose clause without an addressee: the subject acts
    doc = annotate("Iran sent troops into Syria to help Assad.", review_seeds, model)
    help_ = only(doc, "help")
    assert names(doc, help_.sources) == ["Iran"]
    assert help_.modality == "asserted"


@pytest.mark.parametrize("model", PATHS)
def test_that_less_demands_keep_their_subject(model: bool, review_seeds: ActorDictionary) -> None:
    """ "Assad insisted Turkey withdraw": parsed as control, it is Turkey's withdrawal."""
    doc = annotate("Assad insisted Turkey withdraw from Syria.", review_seeds, model)
    assert outline(doc, "withdraw") == (["Turkey"], "demanded", "Assad")
