"""Fixtures for the annotation tests: a small dictionary of our own and helpers.

The tests never read the project's seeds (another team edits them) nor
``../shared``: ``resources/seeds`` holds a handful of actors, role nouns and
codebook patterns, and ``resources/article.txt`` an article written for these
tests with the constructions the annotator must handle.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from transforms.annotate import annotate_text
from transforms.dictionary import ActorDictionary, load_dictionary
from transforms.nlp import model_candidates
from transforms.types import AnnotatedDocument, EventMention, Mention

RESOURCES = Path(__file__).parent / "resources"
SEEDS = RESOURCES / "seeds"
ARTICLE = (RESOURCES / "article.txt").read_text(encoding="utf-8")
PUBLISHED = datetime(2024, 12, 2, 22, 35, tzinfo=UTC)  # a Monday

HAS_MODEL = bool(model_candidates())
needs_model = pytest.mark.skipif(not HAS_MODEL, reason="no spaCy English model installed")


@pytest.fixture(autouse=True)
def _our_seeds(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every annotator call in these tests reads the fixture dictionary."""
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
