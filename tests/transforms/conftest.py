"""Fixtures for the annotation tests: a small dictionary of our own and helpers.

The tests never read the project's seeds (another team edits them) nor
``../shared``: ``resources/seeds`` holds a handful of actors, role nouns and
codebook patterns, and ``resources/article.txt`` an article written for these
tests with the constructions the annotator must handle.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from transforms.annotate import annotate_text
from transforms.dictionary import ActorDictionary, load_dictionary
from transforms.document import AnnotatedDocument, EventMention, Mention
from transforms.nlp import model_candidates

RESOURCES = Path(__file__).parent / "resources"
SEEDS = RESOURCES / "seeds"
ARTICLE = (RESOURCES / "article.txt").read_text(encoding="utf-8")
PUBLISHED = datetime(2024, 12, 2, 22, 35, tzinfo=UTC)  # a Monday

HAS_MODEL = bool(model_candidates())
needs_model = pytest.mark.skipif(not HAS_MODEL, reason="no spaCy English model installed")


@pytest.fixture(autouse=True)
def _our_seeds(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The commands (which build their config from the environment) read the
    fixture dictionary; library calls are given it (``dictionary=`` or
    ``AnnotateConfig(seeds_dir=SEEDS)``)."""
    monkeypatch.setenv("NEWSFLOW_SEEDS_DIR", str(SEEDS))
    monkeypatch.delenv("NEWSFLOW_ANNOTATE_PIPELINE", raising=False)
    monkeypatch.delenv("NEWSFLOW_SPACY_MODEL", raising=False)
    yield


@pytest.fixture(scope="session")
def dictionary() -> ActorDictionary:
    return load_dictionary(SEEDS)


@pytest.fixture(scope="session")
def model_doc(dictionary: ActorDictionary) -> AnnotatedDocument:
    if not HAS_MODEL:
        pytest.skip("no spaCy English model installed")
    return annotate_text(ARTICLE, published_at=PUBLISHED, dictionary=dictionary, use_model=True)


@pytest.fixture(scope="session")
def rules_doc(dictionary: ActorDictionary) -> AnnotatedDocument:
    return annotate_text(ARTICLE, published_at=PUBLISHED, dictionary=dictionary, use_model=False)


def mention(doc: AnnotatedDocument, text: str, nth: int = 0) -> Mention:
    found = [m for m in doc.mentions if m.text == text]
    assert len(found) > nth, f"no mention {text!r} (#{nth}) in {[m.text for m in doc.mentions]}"
    return found[nth]


def texts(doc: AnnotatedDocument, indexes: list[int]) -> list[str]:
    return [doc.mentions[i].text for i in indexes]


def event(doc: AnnotatedDocument, predicate: str, nth: int = 0) -> EventMention:
    found = [e for e in doc.events if e.predicate == predicate]
    assert len(found) > nth, f"no event {predicate!r} in {[e.predicate for e in doc.events]}"
    return found[nth]


def check_offsets(text: str, doc: AnnotatedDocument) -> None:
    """Every stored offset points at its surface text in the whole article."""
    for s in doc.sentences:
        assert text[s.start : s.end] == s.text
    for m in doc.mentions:
        assert text[m.start : m.end] == m.text
        sentence = doc.sentences[m.sentence_index]
        assert sentence.start <= m.start and m.end <= sentence.end + 1
    for e in doc.events:
        assert text[e.trigger_start : e.trigger_end] == e.trigger_text
        for i in [*e.sources, *e.targets]:
            assert 0 <= i < len(doc.mentions)


# -- sentences written for single rules (test_event_semantics, test_place_mentions) --
MONDAY = datetime(2024, 12, 2, 12, 0, tzinfo=UTC)

EXTRA_ACTORS = """\
FRA,France,country,French Republic,French,Paris,FRA,GOV,,test fixture
DEU,Germany,country,Federal Republic of Germany,German,Berlin,DEU,GOV,,test fixture
GBR,United Kingdom,country,UK|Britain,British,London,GBR,GOV,,test fixture
SDN,Sudan,country,Republic of the Sudan,Sudanese,Khartoum,SDN,GOV,,test fixture
PRK,North Korea,country,DPRK,North Korean,Pyongyang,PRK,GOV,,test fixture
KOR,South Korea,country,Republic of Korea,South Korean,Seoul,KOR,GOV,,test fixture
IGO_IAEA,International Atomic Energy Agency,igo,IAEA,,,,IGO,,test fixture
"""
EXTRA_ROLES = """\
news agency,MED,test fixture
aid agencies,NGO,test fixture
teachers,EDU,test fixture
public,CVL,test fixture
"""
EXTRA_PATTERNS = """\
DISAPPROVE,,11,3,-2.0,criticise|criticize|condemn|* criticism,test fixture
ACCUSE,,11,3,-2.0,accuse,test fixture
CONSULT,,04,1,1.0,discuss|discuss with,test fixture
SUPPORT,sign,05,1,3.0,sign|sign agreement|sign deal,test fixture
PROTEST,,14,3,-6.5,protest|* protest|* protests|stage strike|* strike|* rally|* rallies,test fixture
FIGHT,airstrike,19,4,-10.0,carry out strike|strike|storm|seize,test fixture
THREATEN,,13,3,-4.4,warn|threaten|issue threat,test fixture
COERCE,,17,4,-5.0,raid|hack into,test fixture
REQUEST,,02,1,3.0,seek|ask for,test fixture
"""


@pytest.fixture(scope="session")
def review_seeds(tmp_path_factory: pytest.TempPathFactory) -> ActorDictionary:
    """The fixture dictionary with a few more countries, role nouns and patterns."""
    directory: Path = tmp_path_factory.mktemp("seeds")
    for name, extra in (
        ("actor_dictionary.csv", EXTRA_ACTORS),
        ("role_nouns.csv", EXTRA_ROLES),
        ("event_codebook.csv", EXTRA_PATTERNS),
    ):
        shutil.copy(SEEDS / name, directory / name)
        with (directory / name).open("a", encoding="utf-8") as handle:
            handle.write(extra)
    return load_dictionary(directory)


PATHS = [
    pytest.param(True, id="model", marks=pytest.mark.skipif(not HAS_MODEL, reason="no model")),
    pytest.param(False, id="rules"),
]


def annotate(text: str, dictionary: ActorDictionary, model: bool) -> AnnotatedDocument:
    return annotate_text(text, published_at=MONDAY, dictionary=dictionary, use_model=model)


def events_of(doc: AnnotatedDocument, lemma: str) -> list[EventMention]:
    """Candidates of a verb (by trigger lemma or the predicate's first word)."""
    return [e for e in doc.events if e.trigger_lemma == lemma or e.predicate.startswith(lemma)]


def names(doc: AnnotatedDocument, indexes: list[int]) -> list[str]:
    return [doc.mentions[i].text for i in indexes]


def only(doc: AnnotatedDocument, lemma: str) -> EventMention:
    """The one event of ``lemma`` in ``doc`` (fails, listing them, when there are more)."""
    found = events_of(doc, lemma)
    assert len(found) == 1, [(e.predicate, names(doc, e.sources)) for e in doc.events]
    return found[0]
