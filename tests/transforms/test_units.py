"""Small units: the dictionary loader, dates, the gazetteer, chunking, statuses."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime

import pytest

from tests.transforms.conftest import SEEDS
from transforms.annotate import annotate_text
from transforms.article_builder import skeleton
from transforms.dates import is_background_time, resolve_date
from transforms.dictionary import load_dictionary, normalize_term
from transforms.places import get_gazetteer
from transforms.sentences import chunk_text

MONDAY = datetime(2024, 12, 2, 22, 35, tzinfo=UTC)


def test_dictionary_reads_a_directory(dictionary) -> None:
    assert dictionary.source == str(SEEDS)
    assert dictionary.best("Araqchi").actor_code == "PER_ARAGHCHI"
    assert dictionary.best("the Kremlin").actor_code == "RUS"
    assert dictionary.is_adjective("Iraqi").actor_code == "IRQ"
    assert dictionary.capital_of("Damascus").actor_code == "SYR"
    assert dictionary.role_sector("security officials") == "GOV"
    assert dictionary.role_sector("soldier") is None
    assert dictionary.is_role_head("fighter")  # singular of a listed plural
    assert "talks" in dictionary.event_nouns
    assert ("send", "troops") in dictionary.verb_objects


def test_missing_directory_gives_an_empty_dictionary(tmp_path) -> None:
    empty = load_dictionary(tmp_path)
    assert empty.actors == {} and empty.patterns == ()


def test_normalize_term_matches_the_dbt_macro() -> None:
    assert normalize_term("  The   Associated  Press ") == "associated press"
    assert normalize_term("Jordan’s King Abdullah") == "jordan's king abdullah"
    assert normalize_term("al–Qaeda") == "al-qaeda"


def test_relative_and_absolute_dates() -> None:
    assert resolve_date("on Sunday", MONDAY) == date(2024, 12, 1)
    assert resolve_date("on Monday", MONDAY) == date(2024, 12, 2)
    assert resolve_date("on Sunday", MONDAY, future=True) == date(2024, 12, 8)
    assert resolve_date("last Monday", MONDAY) == date(2024, 11, 25)
    assert resolve_date("yesterday", MONDAY) == date(2024, 12, 1)
    assert resolve_date("Nov. 28", MONDAY) == date(2024, 11, 28)
    assert resolve_date("28 November 2023", MONDAY) == date(2023, 11, 28)
    assert resolve_date("Jan. 3", MONDAY) == date(2025, 1, 3)  # the nearest reading
    assert resolve_date("last week", MONDAY) is None
    assert resolve_date("on Sunday", None) is None


def test_background_time_words() -> None:
    assert is_background_time("years ago", MONDAY)
    assert is_background_time("in 2016", MONDAY)
    assert not is_background_time("in 2024", MONDAY)
    assert not is_background_time("two days ago", MONDAY)
    assert not is_background_time("once again", MONDAY)


def test_gazetteer_prefers_the_reading_that_fits_the_article() -> None:
    gazetteer = get_gazetteer()
    aleppo = gazetteer.resolve("Aleppo")
    assert (aleppo.country, aleppo.precision, aleppo.admin1) == ("SYR", "city", "SY-HL")
    assert gazetteer.resolve("Tripoli", Counter({"LBN": 2})).country == "LBN"
    assert gazetteer.resolve("Tripoli", Counter({"LBY": 2})).country == "LBY"
    assert gazetteer.resolve("Halab").name == "Aleppo"  # an alternate name
    syria = gazetteer.resolve("Syria")
    assert syria.precision == "country" and syria.latitude is not None
    assert gazetteer.resolve("Idlib Governorate").precision == "division"
    assert gazetteer.resolve("Nowhereville") is None


def test_surname_skeleton_joins_transliterations() -> None:
    assert skeleton("Araqchi") == skeleton("Araghchi")
    assert skeleton("al-Sudani") == skeleton("Sudani")
    assert skeleton("Erdoğan") == skeleton("Erdogan")
    assert skeleton("Fidan") != skeleton("Assad")


def test_chunks_join_back_to_the_text() -> None:
    rng = random.Random(7)
    words = ["alpha", "beta.", "gamma", "delta,", "epsilon"]
    paragraphs = [
        " ".join(rng.choice(words) for _ in range(rng.randint(1, 900))) for _ in range(120)
    ]
    text = "\n".join(paragraphs) + "x" * 50_000  # and one paragraph without breaks
    chunks = chunk_text(text, limit=5_000)
    assert "".join(chunk for _, chunk in chunks) == text
    for offset, chunk in chunks:
        assert text[offset : offset + len(chunk)] == chunk
        assert len(chunk) <= 5_000


@pytest.mark.parametrize(
    ("text", "language", "status"),
    [
        ("", None, "empty"),
        ("   \n\t ", None, "empty"),
        (
            "Die Bundesregierung hat am Sonntag neue Gespräche mit Russland und dem Iran "
            "angekündigt, teilte ein Sprecher in Berlin mit.",
            None,
            "skipped_language",
        ),
        ("Russia attacked Turkey.", "fr", "skipped_language"),
        ("Russia attacked Turkey.", None, "ok"),  # too short to judge: English
    ],
)
def test_statuses(text: str, language: str | None, status: str, dictionary) -> None:
    doc = annotate_text(text, language=language, dictionary=dictionary, use_model=False)
    assert doc.status == status
    if status != "ok":
        assert doc.sentences == [] and doc.mentions == [] and doc.events == []
