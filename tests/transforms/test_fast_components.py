"""The speed-ups of the model path change nothing that the rules read."""

from __future__ import annotations

from tests.transforms.conftest import ARTICLE, needs_model

pytestmark = needs_model


def test_fast_attribute_ruler_sets_what_the_original_sets() -> None:
    import spacy
    from spacy.tokens import Doc

    from transforms.fast_rules import FastAttributeRuler
    from transforms.nlp import model_candidates

    nlp = spacy.load(model_candidates()[0], exclude=["ner"])
    original = nlp.get_pipe("attribute_ruler")
    fast = FastAttributeRuler(original)
    text = ARTICLE + "\nHe's gotten what he wanted, hasn't he? There are 3.5 million people.\n"
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer"]):
        parsed = nlp(text)
    one = original(Doc(nlp.vocab).from_bytes(parsed.to_bytes()))
    two = fast(Doc(nlp.vocab).from_bytes(parsed.to_bytes()))
    assert [(t.pos_, str(t.morph), t.tag_, t.lemma_) for t in one] == [
        (t.pos_, str(t.morph), t.tag_, t.lemma_) for t in two
    ]


def test_selective_ner_still_finds_names_the_dictionary_lacks(dictionary) -> None:
    from transforms.annotate import annotate_text

    text = (
        "Colonel Marek Dvorski met Mohammed Shia al-Sudani in Baghdad on Sunday.\n"
        "the talks ended late.\n"
    )
    doc = annotate_text(text, dictionary=dictionary, use_model=True)
    found = {(m.text, m.label) for m in doc.mentions}
    assert ("Marek Dvorski", "PERSON") in found
    assert ("Mohammed Shia al-Sudani", "PERSON") in found
    assert any(m.text == "Baghdad" and m.place is not None for m in doc.mentions)
