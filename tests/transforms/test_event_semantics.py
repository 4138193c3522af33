"""What an event candidate means: history, co-sources, attempts, reported pronouns, light verbs.

Each rule is checked on sentences written for these tests, on the model path
and, where the rule applies to it, on the rule path.  The dictionary is the
fixture one plus a few countries, role nouns and codebook patterns
(``review_seeds`` in conftest).
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.transforms.conftest import HAS_MODEL, MONDAY, PATHS, annotate, events_of, names
from transforms.clause import DraftEvent, distribute_sources, is_reciprocal
from transforms.dates import has_date_word, is_background_time
from transforms.dictionary import ActorDictionary


# -- 1. history -----------------------------------------------------------------
@pytest.mark.parametrize(
    "cue",
    [
        "in the 2000s",
        "in 1999",
        "in the 1990s",
        "in the early 1980s",
        "a decade ago",
        "last century",
        "during the 2003 invasion",
        "in March 2019",
    ],
)
def test_past_years_decades_and_centuries_are_history(cue: str) -> None:
    assert is_background_time(cue, MONDAY)
    assert has_date_word(cue)


@pytest.mark.parametrize(
    "cue", ["on Sunday", "this week", "in 2024", "in the 2020s", "by 2000 votes", "in 2030"]
)
def test_present_dates_and_quantities_are_not_history(cue: str) -> None:
    assert not is_background_time(cue, MONDAY)


def test_a_date_just_before_new_year_is_news() -> None:
    assert not is_background_time("on Dec. 30, 2024", date(2025, 1, 2))
    assert is_background_time("in 2024", date(2025, 6, 2))
    assert not is_background_time("in 1999", None)  # no publication date: cannot judge


@pytest.mark.parametrize("model", PATHS)
@pytest.mark.parametrize(
    "sentence",
    [
        "Turkey invaded Syria in the 2000s.",
        "Russia attacked Iraq in 1999.",
        "Iran sent troops to Syria a decade ago.",
        "Turkey shelled Syria during the 2003 invasion.",
    ],
)
def test_history_marks_the_candidate_background(
    sentence: str, model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate(sentence, review_seeds, model)
    assert doc.events, sentence
    assert all(e.is_background and e.event_date is None for e in doc.events)


@pytest.mark.parametrize("model", PATHS)
def test_present_dates_stay_news(model: bool, review_seeds: ActorDictionary) -> None:
    doc = annotate("Turkey shelled Syria on Sunday.", review_seeds, model)
    (shell,) = events_of(doc, "shell")
    assert not shell.is_background
    assert shell.event_date == date(2024, 12, 1)
    doc = annotate("Iran criticised Iraq this week.", review_seeds, model)
    assert not any(e.is_background for e in doc.events)


# -- 2. coordinated subjects ----------------------------------------------------
def test_reciprocal_predicates() -> None:
    assert is_reciprocal("meet", [], False)
    assert is_reciprocal("sign", ["agreement"], False)
    assert is_reciprocal("hold", ["round", "talks"], False)
    assert is_reciprocal("accuse", [], True)  # "accused each other"
    assert not is_reciprocal("criticise", [], False)
    assert not is_reciprocal("welcome", ["agreement"], False)  # an attitude to the deal


def _draft(sources: list[str], targets: list[str], reciprocal: bool) -> DraftEvent:
    return DraftEvent(
        token=0,
        trigger_start=0,
        trigger_end=1,
        trigger_text="x",
        trigger_lemma="x",
        predicate="x",
        sources=list(sources),  # type: ignore[arg-type]
        targets=list(targets),  # type: ignore[arg-type]
        attributed_to=None,
        negated=False,
        modality="asserted",
        is_background=False,
        place=None,
        place_source=None,
        event_date=None,
        date_cue=None,
        sponsor_text=None,
        confidence=0.5,
        reciprocal=reciprocal,
    )


def test_co_sources_of_a_one_sided_act_are_split() -> None:
    split = distribute_sources(_draft(["a", "b", "c"], [], reciprocal=False))
    assert [e.sources for e in split] == [["a"], ["b"], ["c"]]
    assert len(distribute_sources(_draft(["a", "b"], [], reciprocal=True))) == 1
    assert len(distribute_sources(_draft(["a", "b"], ["t"], reciprocal=False))) == 1


@pytest.mark.parametrize("model", PATHS)
def test_a_list_of_critics_is_not_a_list_of_partners(
    model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate("France, Germany and the UK criticised the move on Monday.", review_seeds, model)
    criticism = events_of(doc, "criticise")
    assert sorted(names(doc, e.sources)[0] for e in criticism) == ["France", "Germany", "UK"]
    assert all(len(e.sources) == 1 and not e.targets for e in criticism)
    doc = annotate("The decision was criticised by Syria and Iraq.", review_seeds, model)
    assert [names(doc, e.sources) for e in events_of(doc, "criticise")] == [["Syria"], ["Iraq"]]


@pytest.mark.parametrize("model", PATHS)
@pytest.mark.parametrize(
    ("sentence", "lemma"),
    [
        ("Russia and Iran met in Tehran on Sunday.", "meet"),
        ("Syria and Iraq signed a security agreement.", "sign"),
        ("Russia and Turkey accused each other of violating the truce.", "accuse"),
        ("The security agreement was signed by Syria and Iraq on Monday.", "sign"),
    ],
)
def test_reciprocal_acts_keep_their_co_sources_together(
    sentence: str, lemma: str, model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate(sentence, review_seeds, model)
    (found,) = events_of(doc, lemma)
    assert len(found.sources) == 2
    assert not [t for t in found.targets if doc.mentions[t].dictionary_key != "IRN"]


@pytest.mark.parametrize("model", PATHS)
def test_co_sources_with_a_target_keep_it(model: bool, review_seeds: ActorDictionary) -> None:
    doc = annotate("Syria and Iraq condemned Turkey.", review_seeds, model)
    (condemn,) = events_of(doc, "condemn")
    assert names(doc, condemn.sources) == ["Syria", "Iraq"]
    assert names(doc, condemn.targets) == ["Turkey"]


# -- 4. attempts ----------------------------------------------------------------
@pytest.mark.parametrize("model", PATHS)
def test_an_attempt_is_the_act(model: bool, review_seeds: ActorDictionary) -> None:
    doc = annotate("Iraq tried to seize the border crossing.", review_seeds, model)
    assert not events_of(doc, "try")  # the attempt verb is no event of its own
    (seize,) = events_of(doc, "seize")
    assert (names(doc, seize.sources), seize.modality, seize.negated) == (
        ["Iraq"],
        "asserted",
        False,
    )


def test_an_attempt_keeps_the_modality_of_the_trying(review_seeds: ActorDictionary) -> None:
    if not HAS_MODEL:
        pytest.skip("no model")
    doc = annotate("Iraq will try to seize the border crossing.", review_seeds, True)
    assert events_of(doc, "seize")[0].modality == "intended"
    doc = annotate("Iraq did not try to seize the border crossing.", review_seeds, True)
    assert events_of(doc, "seize")[0].negated


@pytest.mark.parametrize("model", PATHS)
@pytest.mark.parametrize(
    ("sentence", "lemma", "negated"),
    [
        ("Iraq refrained from attacking Syria.", "attack", True),
        ("Turkey refrained from sending troops to Syria.", "send", True),
        ("Iran abstained from criticizing Russia.", "criticize", True),
        ("Iraq did not refrain from attacking Syria.", "attack", False),
    ],
)
def test_what_an_actor_refrained_from_did_not_happen(
    model: bool, sentence: str, lemma: str, negated: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate(sentence, review_seeds, model)
    assert not events_of(doc, "refrain") and not events_of(doc, "abstain")
    (event,) = events_of(doc, lemma)
    assert event.negated is negated


# -- 5. pronoun subjects of reported speech ------------------------------------------
@pytest.mark.parametrize("model", PATHS)
def test_it_in_reported_speech_is_the_speaker(model: bool, review_seeds: ActorDictionary) -> None:
    doc = annotate("Syria said it would withdraw its troops from Lebanon.", review_seeds, model)
    (withdraw,) = events_of(doc, "withdraw")
    syria = next(m.index for m in doc.mentions if m.text == "Syria")
    assert withdraw.sources == [syria]
    # "would" under a past "said" is the future of the past: an intention, not a condition
    assert withdraw.modality == "intended"


def test_would_with_a_condition_stays_hypothetical(review_seeds: ActorDictionary) -> None:
    if not HAS_MODEL:
        pytest.skip("no model")
    doc = annotate("Syria says it would withdraw from Lebanon if Iran agreed.", review_seeds, True)
    assert events_of(doc, "withdraw")[0].modality == "hypothetical"


# -- 6. light verbs --------------------------------------------------------------------
@pytest.mark.parametrize("model", PATHS)
@pytest.mark.parametrize(
    ("sentence", "predicate", "target"),
    [
        ("Iraqi teachers staged a strike on Monday.", "stage strike", None),
        ("Syria launched an offensive against Turkey.", "launch offensive against", "Turkey"),
        ("Russia held talks with Iran in Ankara.", "hold talks with", "Iran"),
        ("Turkey carried out strikes on Syria.", "carry out strike", None),
        ("Iran issued a warning to Iraq.", "issue warning to", "Iraq"),
    ],
)
def test_a_light_verb_carries_its_noun(
    sentence: str, predicate: str, target: str | None, model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate(sentence, review_seeds, model)
    found = [e for e in doc.events if e.predicate.startswith(predicate)]
    assert found, [e.predicate for e in doc.events]
    if target is not None:
        assert target in names(doc, found[0].targets)
    # the noun is part of the predicate, not a trigger of its own
    assert len(doc.events) == len({e.trigger_start for e in doc.events})


@pytest.mark.parametrize("model", PATHS)
def test_a_light_verb_falls_back_on_its_noun_verb(
    model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate("The Syrian army conducted raids in Aleppo.", review_seeds, model)
    (raid,) = [e for e in doc.events if e.predicate.startswith("conduct")]
    assert raid.predicate == "conduct raids"
    assert raid.trigger_lemma == "raid"


def test_the_lemma_of_a_known_verb_is_guarded(review_seeds: ActorDictionary) -> None:
    if not HAS_MODEL:
        pytest.skip("no model")
    doc = annotate("Iraqi protesters staged a protest and waged a campaign.", review_seeds, True)
    predicates = {e.trigger_text: e.predicate for e in doc.events}
    # the lemmatizer alone reads "staged" as a form of "stag" and "waged" of "wag"
    assert predicates == {"staged": "stage protest", "waged": "wage campaign"}


# -- 7. topics -------------------------------------------------------------------------
@pytest.mark.parametrize("model", PATHS)
def test_what_is_discussed_is_no_target(model: bool, review_seeds: ActorDictionary) -> None:
    doc = annotate("Russia and Turkey met on Monday to discuss Syria.", review_seeds, model)
    discussions = events_of(doc, "discuss")
    assert discussions  # the purpose clause is read, with its subject
    assert [names(doc, d.targets) for d in discussions] == [[]] * len(discussions)


@pytest.mark.parametrize("model", PATHS)
def test_who_a_topic_is_discussed_with_is_the_target(
    model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate("Russia discussed Syria with Turkey on Monday.", review_seeds, model)
    (discuss,) = events_of(doc, "discuss")
    assert names(doc, discuss.sources) == ["Russia"]
    assert names(doc, discuss.targets) == ["Turkey"]


# -- 8. a nationality inside a name ----------------------------------------------------
@pytest.mark.parametrize("model", PATHS)
@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("British Airways criticised France on Monday.", "British Airways"),
        ("The British Museum condemned Sudan.", "British Museum"),
    ],
)
def test_a_nationality_that_begins_a_name_is_not_the_nation(
    model: bool, review_seeds: ActorDictionary, sentence: str, name: str
) -> None:
    doc = annotate(sentence, review_seeds, model)
    (act,) = doc.events
    (source,) = (doc.mentions[i] for i in act.sources)
    assert source.text == name
    assert (source.dictionary_key, source.nationality) == (None, None)  # listed as unresolved


@pytest.mark.parametrize("model", PATHS)
def test_a_nationality_before_a_role_is_still_the_nation(
    model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate("British troops criticised France on Monday.", review_seeds, model)
    (act,) = doc.events
    (source,) = (doc.mentions[i] for i in act.sources)
    assert source.nationality == "British"


@pytest.mark.parametrize("model", PATHS)
def test_a_nation_s_public_is_its_people_not_its_government(
    model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate("France urged the British public to protest on Monday.", review_seeds, model)
    (urge,) = events_of(doc, "urge")
    (target,) = (doc.mentions[i] for i in urge.targets)
    assert (target.nationality, target.role) == ("British", "public")


@pytest.mark.parametrize("model", PATHS)
def test_in_public_is_no_actor(model: bool, review_seeds: ActorDictionary) -> None:
    doc = annotate("France criticised Sudan in public on Monday.", review_seeds, model)
    assert "public" not in {m.text for m in doc.mentions}
    (criticism,) = events_of(doc, "criticise")
    assert names(doc, criticism.targets) == ["Sudan"]


# -- 9. talking about an event is not taking part in it ----------------------------------
@pytest.mark.parametrize("model", PATHS)
def test_describing_talks_is_not_holding_them(model: bool, review_seeds: ActorDictionary) -> None:
    described = annotate("France described the talks with Sudan as a failure.", review_seeds, model)
    assert not [e for e in described.events if "talks" in e.predicate]
    held = annotate("France held talks with Sudan on Monday.", review_seeds, model)
    (talks,) = events_of(held, "hold")
    assert talks.predicate == "hold talks with"
    assert (names(held, talks.sources), names(held, talks.targets)) == (["France"], ["Sudan"])


# -- 10. a clause that completes a noun has its own subject --------------------------
@pytest.mark.parametrize("model", [p for p in PATHS if p.id == "model"])
def test_the_news_that_a_state_agreed_keeps_it_as_the_source(
    model: bool, review_seeds: ActorDictionary
) -> None:
    """Not a reduced passive ("the deal signed by Sudan"): the rule path has no parse."""
    sentence = "France welcomed the news that Sudan had agreed to a ceasefire."
    doc = annotate(sentence, review_seeds, model)
    (agree,) = events_of(doc, "agree")
    assert (names(doc, agree.sources), names(doc, agree.targets)) == (["Sudan"], [])
