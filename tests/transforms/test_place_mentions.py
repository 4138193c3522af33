"""Places are no actors, and common nouns are no names.

Towns the model takes for organisations ("west of El Fasher"), regions the
gazetteer knew only by their divisions ("in Darfur"), a dateline's city, the
plural of a shared country name ("the two Koreas"); and the other way round,
the bare head of a role noun ("the agency", "aid agencies") and a wire
service's credit line.  Sentences written for these tests; both pipelines
where the rule applies to both.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.transforms.conftest import HAS_MODEL, PATHS, annotate, names
from transforms.dictionary import ActorDictionary
from transforms.mention_drafts import PLACE_LABELS
from transforms.places import get_gazetteer


def test_a_region_of_several_divisions_is_a_place() -> None:
    gazetteer = get_gazetteer()
    darfur = gazetteer.resolve("Darfur")
    assert (darfur.country, darfur.precision, darfur.admin1) == ("SDN", "division", None)
    assert gazetteer.resolve("Kordofan").country == "SDN"
    # a name that already is a place keeps its own reading
    assert gazetteer.resolve("Azerbaijan").precision == "country"


@pytest.mark.parametrize("model", PATHS)
def test_a_town_after_a_direction_is_a_place(model: bool, review_seeds: ActorDictionary) -> None:
    doc = annotate("Rebels attacked villages west of El Fasher on Sunday.", review_seeds, model)
    (town,) = [m for m in doc.mentions if m.text == "El Fasher"]
    assert town.label in PLACE_LABELS
    assert town.place is not None and town.place.country == "SDN"
    assert all(town.index not in e.sources + e.targets for e in doc.events)


@pytest.mark.parametrize("model", PATHS)
def test_a_region_in_a_locative_is_a_place(model: bool, review_seeds: ActorDictionary) -> None:
    doc = annotate("The army repelled an attack in Darfur on Sunday.", review_seeds, model)
    regions = [m for m in doc.mentions if m.text == "Darfur"]
    assert regions, [m.text for m in doc.mentions]
    assert all(m.label in PLACE_LABELS and m.place.country == "SDN" for m in regions)


def test_a_big_town_the_model_calls_an_organisation_is_a_place(
    review_seeds: ActorDictionary,
) -> None:
    if not HAS_MODEL:
        pytest.skip("no model")
    text = "Sudan's army said the rebels shelled El Fasher on Wednesday."
    doc = annotate(text, review_seeds, True)
    towns = [m for m in doc.mentions if m.text == "El Fasher"]
    assert all(m.label in PLACE_LABELS and m.place is not None for m in towns)


@pytest.mark.parametrize("model", PATHS)
def test_a_dateline_names_no_actor(model: bool, review_seeds: ActorDictionary) -> None:
    text = "KHARTOUM, March 1 (GWS) - Sudan closed its border with Libya.\n"
    doc = annotate(text, review_seeds, model)
    datelined = [m for m in doc.mentions if m.start < text.index("-")]
    assert all(m.is_descriptor for m in datelined)  # the rule path finds none there
    assert datelined or not model
    sudan = next(m.index for m in doc.mentions if m.text == "Sudan")
    assert all(e.sources == [sudan] for e in doc.events if e.sources)
    assert doc.events[0].place_source == "dateline"


def test_the_plural_of_a_shared_country_name_is_no_actor(review_seeds: ActorDictionary) -> None:
    assert "korea" in review_seeds.country_name_cores
    if not HAS_MODEL:
        pytest.skip("no model")
    doc = annotate("The two Koreas remain technically at war.", review_seeds, True)
    assert all(m.label not in ("GPE", "ORG") for m in doc.mentions if m.text == "Koreas")


@pytest.mark.parametrize("model", PATHS)
def test_the_head_of_a_role_noun_alone_is_no_actor(
    model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate("The agency said the service would resume on Monday.", review_seeds, model)
    assert not [m for m in doc.mentions if m.text in ("agency", "service")]
    # the role noun itself still is one
    doc = annotate("A news agency said the talks had failed.", review_seeds, model)
    assert "news agency" in [m.text for m in doc.mentions]


@pytest.mark.parametrize("model", PATHS)
def test_the_agency_refers_to_the_agency_named_before(
    model: bool, review_seeds: ActorDictionary
) -> None:
    text = (
        "The International Atomic Energy Agency criticised Iran on Monday.\n"
        "The agency said Iran had restricted its inspectors.\n"
    )
    doc = annotate(text, review_seeds, model)
    (agency,) = [m for m in doc.mentions if m.text == "agency"]
    assert agency.method == "coreference"
    assert agency.resolved_text == "International Atomic Energy Agency"
    assert agency.dictionary_key == "IGO_IAEA"


@pytest.mark.parametrize("model", PATHS)
def test_a_listed_role_noun_makes_aid_agencies_actors(
    model: bool, review_seeds: ActorDictionary
) -> None:
    doc = annotate("Aid agencies warned of famine in Darfur.", review_seeds, model)
    (agencies,) = [m for m in doc.mentions if m.text == "Aid agencies"]
    assert agencies.label == "ORG"
    (warn,) = [e for e in doc.events if e.trigger_lemma == "warn"]
    assert names(doc, warn.sources) == ["Aid agencies"]


@pytest.mark.parametrize("model", PATHS)
def test_a_credit_line_names_no_actor(model: bool, review_seeds: ActorDictionary) -> None:
    text = (
        "Syria condemned Turkey on Monday.\n"
        "Reporting by Global Wire Service; editing by the World Desk.\n"
        "Our Standards: The Global Wire Service Trust Principles.\n"
    )
    doc = annotate(text, review_seeds, model)
    credit = text.index("Reporting")
    assert [m.text for m in doc.mentions if m.start >= credit] == []
    assert Counter(e.sentence_index for e in doc.events) == Counter({0: 1})


_GAZETTEER_DIGEST = """
import hashlib, json
from transforms.places import get_gazetteer
g = get_gazetteer()
rows = sorted((k, c.place.admin1 or "") for k, cs in g.index.items() for c in cs)
print(hashlib.sha1(json.dumps(rows).encode()).hexdigest(), g.resolve("mexico city").admin1)
"""


def test_the_gazetteer_is_the_same_in_every_process() -> None:
    # worker processes of one run must agree on a city's region whatever their hash seed
    import os
    import subprocess
    import sys

    outputs = {
        subprocess.run(
            [sys.executable, "-c", _GAZETTEER_DIGEST],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(outputs) == 1, outputs
