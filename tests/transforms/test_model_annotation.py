"""The model path on an article written for these tests (resources/article.txt).

Each test names the construction it checks; the sentences mirror the ones
analysts care about (militias crossing a border to help a government, a
minister meeting a president, three-way talks, speculation, a demand, history
recalled in a relative clause) without copying any real article.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.transforms.conftest import (
    ARTICLE,
    PUBLISHED,
    SEEDS,
    check_offsets,
    event,
    mention,
    needs_model,
    texts,
)
from transforms.annotate import annotate_text
from transforms.dictionary import ActorDictionary
from transforms.document import AnnotatedDocument

pytestmark = needs_model


def test_output_is_json_and_offsets_point_into_the_text(model_doc: AnnotatedDocument) -> None:
    assert model_doc.status == "ok"
    assert model_doc.pipeline.startswith("model:")
    assert model_doc.language == "en"
    json.dumps(model_doc.to_dict())
    check_offsets(ARTICLE, model_doc)
    assert len(model_doc.sentences) == 12  # one per line: paragraphs end sentences


def test_named_actors_come_from_the_dictionary(model_doc: AnnotatedDocument) -> None:
    assert mention(model_doc, "Bashar Assad").dictionary_key == "PER_ASSAD"
    assert mention(model_doc, "Hayat Tahrir al-Sham").dictionary_key == "GRP_HTS"
    assert mention(model_doc, "Associated Press").dictionary_key == "MED_AP"
    king = mention(model_doc, "King Abdullah II")
    assert king.dictionary_key == "PER_ABDULLAH"
    assert king.nationality == "Jordan"
    assert mention(model_doc, "Jordan").is_descriptor  # "Jordan's King ...": a descriptor


def test_titles_and_nationality_of_a_person(model_doc: AnnotatedDocument) -> None:
    minister = mention(model_doc, "Abbas Araqchi")
    assert minister.nationality == "Iranian"
    assert minister.role == "Foreign Minister"
    president = mention(model_doc, "Recep Tayyip Erdogan")
    assert (president.nationality, president.role) == ("Turkish", "President")


@pytest.mark.parametrize(
    ("sentence", "name", "role"),
    [
        ("Turkish Trade Minister Omer Bolat met Assad.", "Omer Bolat", "Trade Minister"),
        (
            "Iranian Health Minister Reza Nouri met Assad.",
            "Reza Nouri",
            "Health Minister",
        ),
    ],
)
def test_a_portfolio_between_nationality_and_title_keeps_the_nationality(
    sentence: str, name: str, role: str, dictionary: ActorDictionary
) -> None:
    doc = annotate_text(sentence, published_at=PUBLISHED, dictionary=dictionary, use_model=True)
    person = mention(doc, name)
    assert (person.nationality, person.role) == (sentence.split()[0], role)


def test_a_weekday_before_a_title_is_no_portfolio(dictionary: ActorDictionary) -> None:
    doc = annotate_text(
        "On Tuesday President Omer Bolat met Assad.",
        published_at=PUBLISHED,
        dictionary=dictionary,
        use_model=True,
    )
    assert mention(doc, "Omer Bolat").role == "President"


def test_short_and_variant_names_resolve_to_the_full_mention(model_doc: AnnotatedDocument) -> None:
    full = mention(model_doc, "Bashar Assad")
    short = mention(model_doc, "Assad")
    assert (short.resolved_text, short.resolved_index) == ("Bashar Assad", full.index)
    araqchi = mention(model_doc, "Abbas Araqchi")
    araghchi = mention(model_doc, "Araghchi")  # a transliteration variant
    assert (araghchi.resolved_text, araghchi.resolved_index) == ("Abbas Araqchi", araqchi.index)
    assert mention(model_doc, "HTS").resolved_text == "Hayat Tahrir al-Sham"


def test_variant_spelling_resolves_without_a_dictionary_entry(tmp_path) -> None:
    (tmp_path / "actor_dictionary.csv").write_text(
        "actor_code,name,actor_kind,aliases,adjectives,capital,country_code,sector,"
        "sponsor_code,description\n",
        encoding="utf-8",
    )
    text = (
        "Foreign Minister Abbas Araqchi arrived in Baghdad on Friday.\n"
        "Araghchi met Iraqi officials there.\n"
    )
    doc = annotate_text(text, published_at=PUBLISHED, dictionary=tmp_path, use_model=True)
    variant = mention(doc, "Araghchi")
    assert variant.dictionary_key is None
    assert variant.resolved_text == "Abbas Araqchi"


def test_nominal_actor_with_sponsor_nationality_and_role(model_doc: AnnotatedDocument) -> None:
    fighters = mention(model_doc, "Iran-backed militia fighters from Iraq")
    assert fighters.nationality == "Iraq"
    assert fighters.sponsor == "Iran"
    assert fighters.role == "militia fighters"
    officials = mention(model_doc, "Iraqi security officials")
    assert (officials.nationality, officials.role) == ("Iraqi", "security officials")
    army = mention(model_doc, "Syrian army")
    assert (army.nationality, army.role) == ("Syrian", "army")


def test_capital_metonymy_and_places(model_doc: AnnotatedDocument) -> None:
    tehran = mention(model_doc, "Tehran")
    assert tehran.is_metonym  # "Tehran would stand by its ally": the government
    damascus = mention(model_doc, "Damascus")
    assert not damascus.is_metonym  # "in Damascus": a place
    assert damascus.place is not None
    assert (damascus.place.country, damascus.place.precision) == ("SYR", "city")
    assert damascus.place.geonameid == 170654
    hama = mention(model_doc, "Hama")
    assert hama.place is not None and hama.place.country == "SYR"  # the Syrian reading
    syria = mention(model_doc, "Syria")
    assert syria.place is not None and syria.place.precision == "country"


def test_quantity_head_purpose_clause_and_reported_speech(model_doc: AnnotatedDocument) -> None:
    cross = event(model_doc, "cross into")
    assert texts(model_doc, cross.sources) == ["Iran-backed militia fighters from Iraq"]
    assert texts(model_doc, cross.targets) == ["Syria"]
    assert cross.modality == "reported"
    assert model_doc.mentions[cross.attributed_to].text == "Iraqi security officials"
    assert cross.sponsor_text == "Iran"
    assert cross.place_text == "Syria" and cross.place_source == "locative"
    assert (cross.event_date, cross.date_cue) == (date(2024, 12, 1), "on Sunday")
    helping = event(model_doc, "help")
    assert texts(model_doc, helping.sources) == ["Iran-backed militia fighters from Iraq"]
    assert texts(model_doc, helping.targets) == ["Bashar Assad"]
    # the speaker's own statement is a candidate too
    said = event(model_doc, "say")
    assert texts(model_doc, said.sources) == ["Iraqi security officials"]


def test_meeting_with_place_and_relative_day(model_doc: AnnotatedDocument) -> None:
    meeting = event(model_doc, "meet with")
    assert texts(model_doc, meeting.sources) == ["Abbas Araqchi"]
    assert texts(model_doc, meeting.targets) == ["Assad"]
    assert (meeting.place_text, meeting.place_source) == ("Damascus", "locative")
    assert meeting.place is not None and meeting.place.country == "SYR"
    assert (meeting.event_date, meeting.date_cue) == (date(2024, 11, 30), "on Saturday")
    assert meeting.modality == "asserted" and not meeting.negated


def test_passive_is_made_active(model_doc: AnnotatedDocument) -> None:
    rout = event(model_doc, "rout")
    assert texts(model_doc, rout.sources) == ["Hayat Tahrir al-Sham"]
    assert texts(model_doc, rout.targets) == ["Syrian army"]


def test_relative_clause_history_and_coordinated_targets(model_doc: AnnotatedDocument) -> None:
    invasion = event(model_doc, "invade")
    assert texts(model_doc, invasion.sources) == ["Turkey"]
    assert texts(model_doc, invasion.targets) == ["Syria"]
    assert invasion.is_background  # "years ago"
    assert invasion.event_date is None
    talks = event(model_doc, "join talks with")
    assert texts(model_doc, talks.sources) == ["Turkey"]
    assert texts(model_doc, talks.targets) == ["Russia", "Iran"]
    assert not talks.is_background
    partnered = event(model_doc, "partner with")  # past perfect: "had partnered"
    assert partnered.is_background


def test_speculation_demand_negation_future_and_conditions(model_doc: AnnotatedDocument) -> None:
    guess = event(model_doc, "encourage")
    assert guess.modality == "speculative"
    assert model_doc.mentions[guess.attributed_to].text == "Associated Press"
    withdraw = event(model_doc, "withdraw from")
    assert texts(model_doc, withdraw.sources) == ["Turkey"]
    assert texts(model_doc, withdraw.targets) == ["Syrian territory"]
    assert withdraw.modality == "demanded"
    assert model_doc.mentions[withdraw.attributed_to].text == "Assad"
    insist = event(model_doc, "insist")
    assert texts(model_doc, insist.sources) == ["Assad"]
    assert texts(model_doc, insist.targets) == ["Turkey"]
    attack = event(model_doc, "attack")
    assert attack.negated and texts(model_doc, attack.sources) == ["Russia"]
    aid = event(model_doc, "send aid to")
    assert aid.modality == "intended"
    assert texts(model_doc, aid.targets) == ["Syria"]
    assert model_doc.mentions[aid.attributed_to].text == "Recep Tayyip Erdogan"
    assert event(model_doc, "bomb").modality == "hypothetical"
    assert event(model_doc, "close border").modality == "hypothetical"


def test_object_control_gives_the_demand_its_addressees(model_doc: AnnotatedDocument) -> None:
    urge = event(model_doc, "urge")
    assert texts(model_doc, urge.sources) == ["King Abdullah II"]
    assert texts(model_doc, urge.targets) == ["Syria", "Iraq"]
    talks = event(model_doc, "hold talks")
    assert texts(model_doc, talks.sources) == ["Syria", "Iraq"]
    assert talks.modality == "demanded"


def test_dateline_is_the_place_of_events_without_their_own() -> None:
    text = "BEIRUT (Wire) — Russia did not attack the rebels."
    doc = annotate_text(text, published_at=PUBLISHED, dictionary=SEEDS, use_model=True)
    attack = event(doc, "attack")
    assert attack.place_source == "dateline"
    assert attack.place is not None and attack.place.country == "LBN"


def test_pronoun_takes_the_last_person_named() -> None:
    text = "Hakan Fidan met Assad on Sunday. He urged Russia to withdraw."
    doc = annotate_text(text, published_at=PUBLISHED, dictionary=SEEDS, use_model=True)
    he = mention(doc, "He")
    assert he.method == "coreference"
    assert he.resolved_text == "Assad" or he.resolved_text == "Bashar al-Assad"


def test_quotation_is_attributed_to_its_speaker() -> None:
    text = (
        "“Damascus must make peace with its own people. Syria will reconcile with the "
        "rebels,” Fidan said."
    )
    doc = annotate_text(text, published_at=PUBLISHED, dictionary=SEEDS, use_model=True)
    reconcile = event(doc, "reconcile with")
    assert doc.mentions[reconcile.attributed_to].text == "Fidan"
    assert reconcile.modality in ("reported", "intended")


def test_a_lead_takes_the_date_of_its_retelling() -> None:
    text = (
        "Hundreds of Iran-backed fighters from Iraq have crossed into Syria, officials said.\n"
        "The fighters slipped into Syria on Sunday along a desert road.\n"
    )
    doc = annotate_text(text, published_at=PUBLISHED, dictionary=SEEDS, use_model=True)
    again = mention(doc, "fighters", 0) if any(m.text == "fighters" for m in doc.mentions) else None
    again = again or next(
        m for m in doc.mentions if m.text.lower().endswith("fighters") and m.index
    )
    assert again.resolved_text == "Iran-backed fighters from Iraq"
    crossing = event(doc, "cross into")
    assert crossing.event_date == date(2024, 12, 1)  # from "slipped into Syria on Sunday"
    assert crossing.date_cue == "on Sunday"
