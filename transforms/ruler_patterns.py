"""Phrase patterns for the actor dictionary, shared by both pipelines.

The model path feeds them to spaCy's EntityRuler (:mod:`transforms.nlp`), the
rule path to its Aho-Corasick matcher (:mod:`transforms.lite`): every name,
alias, adjective and capital of the dictionary, with its capitalised and
curly-apostrophe variants, labelled like spaCy's entities.
"""

from __future__ import annotations

import re

from transforms.dictionary import KIND_LABELS, ActorDictionary

__all__ = ["ruler_patterns"]

_POSSESSIVE = re.compile(r"['’]s\b")


def _pattern_variants(text: str) -> set[str]:
    variants = {text}
    if text[:1].islower():
        variants.add(text[:1].upper() + text[1:])
    if "'" in text:
        variants |= {v.replace("'", "’") for v in variants}
    words = text.split(" ")
    if len(words) > 1 and any(w[:1].islower() for w in words):
        variants.add(" ".join(w[:1].upper() + w[1:] if len(w) > 3 else w for w in words))
    return variants


def _country_possessive(dictionary: ActorDictionary, text: str) -> bool:
    """ "Jordan's King Abdullah" (but not "Democratic People's Republic of Korea")."""
    match = _POSSESSIVE.search(text)
    return bool(match) and dictionary.is_country_term(text[: match.start()]) is not None


def ruler_patterns(dictionary: ActorDictionary) -> list[dict[str, str]]:
    """EntityRuler phrase patterns: every name, alias, adjective and capital."""
    seen: set[str] = set()
    patterns = []
    for key in sorted(dictionary.terms):
        term = dictionary.best(key)
        if term is None:
            continue
        for text in sorted({t.text for t in dictionary.terms[key]}):
            if len(text) < 2 or _country_possessive(dictionary, text):
                continue  # "Jordan's King Abdullah": the country is a descriptor
            if term.kind == "adjective":
                label = "NORP"
            elif term.kind == "capital":
                label = "GPE"
            else:
                label = KIND_LABELS.get(term.actor_kind, "ORG")
            for variant in _pattern_variants(text):
                if variant in seen:
                    continue
                seen.add(variant)
                patterns.append({"label": label, "pattern": variant, "id": term.actor_code})
    return patterns
