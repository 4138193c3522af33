"""Acts that failed, were refused, ruled out or only asked about are no events of
their type; a warning to the public is advice, not a threat.

The coder (:mod:`transforms.clause`) decides these for both annotation paths;
each rule is checked on sentences written for these tests, on the model path and
on the rule path (whose word-order analysis sees the same cue words).  How dbt
reads the flags: a negated candidate is not countable, except a negated
intention to cooperate, which is a refusal (REJECT, as PLOVER codes "failed to
reach agreement"); speculative and demanded candidates are not countable unless
a demand is attributed to a speaker.
"""

from __future__ import annotations

import pytest

from tests.transforms.conftest import PATHS, annotate, events_of, names, only
from transforms.clause import (
    Clause,
    Cues,
    EventContext,
    Governor,
    code_clause,
    own_reading,
    question_start,
)
from transforms.dictionary import ActorDictionary
from transforms.document import AnnotatedDocument
from transforms.mention_drafts import Draft, MentionSet


def reading(doc: AnnotatedDocument, lemma: str) -> tuple[list[str], str, bool]:
    event = only(doc, lemma)
    return names(doc, event.sources), event.modality, event.negated


# -- failed and refused acts ------------------------------------------------------
@pytest.mark.parametrize("model", PATHS)
@pytest.mark.parametrize(
    "sentence",
    [
        "Iran failed to meet with Turkey on Monday.",
        "Iran was unable to meet with Turkey on Monday.",
        "Iran could not meet with Turkey on Monday.",
        "Iran refused to meet with Turkey on Monday.",
        "Iran declined to meet with Turkey on Monday.",
    ],
)
def test_a_failed_or_refused_meeting_did_not_happen(
    sentence: str, model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate(sentence, review_seeds, model)
    meet = only(doc, "meet")
    assert names(doc, meet.sources) == ["Iran"]
    assert names(doc, meet.targets) == ["Turkey"]
    # negated, and an intention that came to nothing: dbt's refusal rule (REJECT)
    assert (meet.modality, meet.negated) == ("intended", True)


@pytest.mark.parametrize("model", PATHS)
@pytest.mark.parametrize(
    "sentence",
    [
        "Iran did not fail to attack Turkey.",
        "Iran managed to attack Turkey.",
        "Iran tried to attack Turkey.",
    ],
)
def test_an_act_that_did_not_fail_happened(
    sentence: str, model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate(sentence, review_seeds, model)
    assert reading(doc, "attack") == (["Iran"], "asserted", False)


@pytest.mark.parametrize("model", PATHS)
@pytest.mark.parametrize(
    "sentence",
    [
        "Iran is reluctant to meet with Turkey.",
        "Iran is unwilling to meet with Turkey.",
        "Iran cannot meet with Turkey.",
        "Iran can't meet with Turkey.",
    ],
)
def test_reluctance_and_inability_are_no_meeting(
    sentence: str, model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate(sentence, review_seeds, model)
    assert reading(doc, "meet") == (["Iran"], "intended", True)


@pytest.mark.parametrize("model", [p for p in PATHS if p.id == "model"])
def test_chose_not_to_is_a_refusal(model: bool, review_seeds: ActorDictionary) -> None:
    doc = annotate("Iran chose not to meet with Turkey.", review_seeds, model)
    assert reading(doc, "meet") == (["Iran"], "intended", True)


@pytest.mark.parametrize("model", PATHS)
def test_what_someone_can_do_is_not_done(model: bool, review_seeds: ActorDictionary) -> None:
    doc = annotate("Iran can now attack Turkey.", review_seeds, model)
    assert reading(doc, "attack") == (["Iran"], "hypothetical", False)


@pytest.mark.parametrize("model", PATHS)
def test_what_is_likely_is_a_guess(model: bool, review_seeds: ActorDictionary) -> None:
    doc = annotate("Iran is likely to attack Turkey.", review_seeds, model)
    assert reading(doc, "attack") == (["Iran"], "speculative", False)


@pytest.mark.parametrize("model", PATHS)
@pytest.mark.parametrize(
    "sentence",
    [
        "Iran needs to attack Turkey.",
        "Iran has to attack Turkey.",
        "Iran needs to start attacking Turkey.",
    ],
)
def test_what_someone_needs_to_do_is_asked_for_not_done(
    sentence: str, model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate(sentence, review_seeds, model)
    (attack,) = [e for e in doc.events if e.trigger_lemma == "attack"]
    assert attack.modality == "demanded"


@pytest.mark.parametrize("model", PATHS)
def test_seeking_to_meet_is_an_intended_meeting_not_a_request(
    model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate("Iran sought to meet with Turkey on Monday.", review_seeds, model)
    assert not events_of(doc, "seek")
    assert reading(doc, "meet") == (["Iran"], "intended", False)
    asked = annotate("Iran sought help from Turkey on Monday.", review_seeds, model)
    (request,) = events_of(asked, "seek")
    assert names(asked, request.sources) == ["Iran"]


@pytest.mark.parametrize("model", PATHS)
def test_what_someone_had_to_do_was_done(model: bool, review_seeds: ActorDictionary) -> None:
    doc = annotate("Iran had to attack Turkey.", review_seeds, model)
    assert reading(doc, "attack") == (["Iran"], "asserted", False)


@pytest.mark.parametrize("model", PATHS)
def test_an_act_someone_was_prevented_from_did_not_happen(
    model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate("Iran was prevented from attacking Turkey.", review_seeds, model)
    attack = only(doc, "attack")
    assert names(doc, attack.targets) == ["Turkey"]
    assert attack.negated


@pytest.mark.parametrize("model", [p for p in PATHS if p.id == "model"])
def test_who_is_prevented_is_the_one_who_would_have_acted(
    model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate("France prevented Iran from attacking Turkey.", review_seeds, model)
    attack = only(doc, "attack")
    assert (names(doc, attack.sources), names(doc, attack.targets)) == (["Iran"], ["Turkey"])
    assert attack.negated


@pytest.mark.parametrize("model", PATHS)
def test_could_not_have_is_speculation_not_failure(
    model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate("Iran could not have attacked Turkey.", review_seeds, model)
    assert reading(doc, "attack") == (["Iran"], "speculative", True)


# -- ruled out, not ruled out -----------------------------------------------------------
@pytest.mark.parametrize("model", PATHS)
def test_what_was_not_ruled_out_is_only_possible(
    model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate("Iran did not rule out attacking Turkey.", review_seeds, model)
    attack = only(doc, "attack")
    assert names(doc, attack.targets) == ["Turkey"]
    assert (attack.modality, attack.negated) == ("speculative", False)


@pytest.mark.parametrize("model", PATHS)
def test_what_was_ruled_out_will_not_happen(model: bool, review_seeds: ActorDictionary) -> None:
    doc = annotate("Iran ruled out attacking Turkey.", review_seeds, model)
    assert only(doc, "attack").negated


# -- questions -------------------------------------------------------------------------
@pytest.mark.parametrize("model", PATHS)
@pytest.mark.parametrize(
    "sentence",
    [
        "Will Iran attack Turkey?",
        "Why did Iran attack Turkey?",
        "France asked: “Did Iran attack Turkey?”",
        "“Did Iran attack Turkey?” France asked.",
    ],
)
def test_an_act_asked_about_is_not_asserted(
    sentence: str, model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate(sentence, review_seeds, model)
    attack = only(doc, "attack")
    assert names(doc, attack.sources) == ["Iran"]
    assert attack.modality == "speculative"


@pytest.mark.parametrize("model", PATHS)
def test_the_question_after_a_statement_leaves_the_statement_alone(
    model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate("Iran attacked Turkey on Sunday. Will Turkey attack Iran?", review_seeds, model)
    first, second = events_of(doc, "attack")
    assert (names(doc, first.sources), first.modality) == (["Iran"], "asserted")
    assert (names(doc, second.sources), second.modality) == (["Turkey"], "speculative")


@pytest.mark.parametrize(
    ("words", "start"),
    [
        (["Will", "Iran", "attack", "?"], 0),
        (["France", "asked", ":", "“", "Did", "Iran", "attack", "?", "”"], 4),
        (["Iran", "attacked", "."], None),
        ([], None),
    ],
)
def test_where_a_question_begins(words: list[str], start: int | None) -> None:
    assert question_start(words) == start


# -- warnings --------------------------------------------------------------------------
@pytest.mark.parametrize("model", PATHS)
@pytest.mark.parametrize(
    "sentence",
    [
        "Officials warned people to stay away from Syria.",
        "France warned residents about the fighting.",
        "Germany warned its citizens against travel to Sudan.",
    ],
)
def test_a_warning_to_the_public_is_advice_not_a_threat(
    sentence: str, model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate(sentence, review_seeds, model)
    assert only(doc, "warn").modality == "demanded"


@pytest.mark.parametrize("model", PATHS)
def test_a_warning_to_a_state_stays_a_threat(model: bool, review_seeds: ActorDictionary) -> None:
    doc = annotate("Iran warned Turkey on Sunday.", review_seeds, model)
    warn = only(doc, "warn")
    assert names(doc, warn.targets) == ["Turkey"]
    assert warn.modality == "asserted"


# -- the coder on its own: one implementation for both analysers -----------------------
def _actor(text: str, start: int) -> Draft:
    return Draft(start, start + 1, start, "GPE", "dictionary", key=text.upper(), text=text)


def _clause(**fields: object) -> Clause:
    iran, turkey = _actor("Iran", 0), _actor("Turkey", 2)
    base: dict[str, object] = {
        "token": 1,
        "trigger_start": 5,
        "trigger_text": "attacked",
        "lemma": "attack",
        "parsed": False,
        "subjects": [iran],
        "objects": [turkey],
    }
    return Clause(**{**base, **fields})  # type: ignore[arg-type]


def test_the_coder_reads_a_neutral_clause(review_seeds: ActorDictionary) -> None:
    ctx = EventContext(MentionSet(), review_seeds)
    france = _actor("France", 4)
    said = Governor("content", "say", speakers=[france], past=True)
    event = code_clause(_clause(cues=Cues(aux=("would",)), governors=[said]), ctx)
    assert event is not None
    # "France said Iran would attack Turkey": the future of the past, France's claim
    assert (event.modality, event.attributed_to, event.predicate) == (
        "intended",
        france,
        "attack",
    )
    refused = Governor("infinitive", "refuse")
    event = code_clause(_clause(governors=[refused]), ctx)
    assert event is not None and (event.modality, event.negated) == ("intended", True)
    passive = code_clause(_clause(passive=True, agents=[france]), ctx)
    assert passive is not None
    assert [d.text for d in passive.sources] == ["France"]
    assert [d.text for d in passive.targets] == ["Iran", "Turkey"]


@pytest.mark.parametrize(
    ("cues", "modality"),
    [
        (Cues(aux=("will",)), "intended"),
        (Cues(aux=("might",), perfect=True), "speculative"),
        (Cues(aux=("could",)), "hypothetical"),
        (Cues(aux=("could",), negated=True), "intended"),
        (Cues(aux=("must",)), "demanded"),
        (Cues(aux=("can",)), "hypothetical"),
        (Cues(aux=("cannot",)), "intended"),
        (Cues(adverbs=("reportedly",)), "reported"),
        (Cues(marks=("if",), aux=("will",)), "hypothetical"),
        (Cues(), "asserted"),
    ],
)
def test_a_clause_s_own_words(cues: Cues, modality: str) -> None:
    assert own_reading(cues).modality == modality


# -- timetables and rare acts ------------------------------------------------------
@pytest.mark.parametrize("model", PATHS)
@pytest.mark.parametrize(
    "sentence",
    [
        "Iran is due to meet with Turkey on Friday.",
        "Iran is scheduled to meet with Turkey on Friday.",
    ],
)
def test_a_scheduled_meeting_is_expected_not_intended(
    sentence: str, model: bool, review_seeds: ActorDictionary
) -> None:
    """A timetable is nobody's stated intention, so dbt must not read it as a
    commitment (AGREE) the way it reads "Iran said it would meet"."""
    doc = annotate(sentence, review_seeds, model)
    meet = only(doc, "meet")
    assert names(doc, meet.sources) == ["Iran"]
    assert (meet.modality, meet.negated) == ("speculative", False)


@pytest.mark.parametrize("model", PATHS)
@pytest.mark.parametrize("adverb", ["seldom", "rarely", "never"])
def test_an_act_that_seldom_happens_is_not_reported_as_happening(
    adverb: str, model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate(f"Iran {adverb} criticized Turkey.", review_seeds, model)
    assert only(doc, "criticize").negated


@pytest.mark.parametrize("model", PATHS)
def test_an_expected_meeting_is_speculation(model: bool, review_seeds: ActorDictionary) -> None:
    doc = annotate("Iran is expected to meet with Turkey on Friday.", review_seeds, model)
    assert only(doc, "meet").modality == "speculative"
