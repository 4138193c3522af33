"""English verb inflection for the verbs the annotator knows (codebook and lexicon).

Two uses: the rule path finds triggers by their inflected forms ("crossed",
"met", "withdrew"), and the model path checks the lemmatizer, which sometimes
takes a regular "-ed" form for a noun's ("staged" -> "stag", "waged" ->
"wag"): the form's reading as a known verb is the better lemma then.
"""

from __future__ import annotations

from functools import lru_cache

from transforms.lexicon import (
    ATTEMPT_VERBS,
    DEMAND_VERBS,
    EXCLUSION_VERBS,
    INTENTION_VERBS,
    LIGHT_VERBS,
    OBLIGATION_VERBS,
    PREVENT_VERBS,
    REFRAIN_VERBS,
    SPECULATION_VERBS,
    SPEECH_VERBS,
)

__all__ = ["IRREGULAR", "forms_for", "inflect", "known_forms_for", "singular"]

IRREGULAR = {
    "arise": "arose arisen",
    "bear": "bore borne",
    "beat": "beat beaten",
    "become": "became become",
    "begin": "began begun",
    "bid": "bid",
    "bind": "bound",
    "blow": "blew blown",
    "break": "broke broken",
    "bring": "brought",
    "build": "built",
    "buy": "bought",
    "catch": "caught",
    "choose": "chose chosen",
    "come": "came come",
    "cut": "cut",
    "deal": "dealt",
    "do": "did done",
    "draw": "drew drawn",
    "drive": "drove driven",
    "fall": "fell fallen",
    "feed": "fed",
    "feel": "felt",
    "fight": "fought",
    "find": "found",
    "flee": "fled",
    "fly": "flew flown",
    "forbid": "forbade forbidden",
    "forgive": "forgave forgiven",
    "freeze": "froze frozen",
    "get": "got gotten",
    "give": "gave given",
    "go": "went gone",
    "hang": "hung",
    "have": "had has",
    "hear": "heard",
    "hide": "hid hidden",
    "hit": "hit",
    "hold": "held",
    "keep": "kept",
    "know": "knew known",
    "lay": "laid",
    "lead": "led",
    "leave": "left",
    "lend": "lent",
    "let": "let",
    "lose": "lost",
    "make": "made",
    "mean": "meant",
    "meet": "met",
    "overrun": "overran overrun",
    "oversee": "oversaw overseen",
    "overthrow": "overthrew overthrown",
    "pay": "paid",
    "put": "put",
    "quit": "quit",
    "rise": "rose risen",
    "run": "ran run",
    "say": "said says",
    "see": "saw seen",
    "seek": "sought",
    "sell": "sold",
    "send": "sent",
    "set": "set",
    "shake": "shook shaken",
    "shoot": "shot",
    "shut": "shut",
    "sit": "sat",
    "speak": "spoke spoken",
    "spend": "spent",
    "spread": "spread",
    "stand": "stood",
    "steal": "stole stolen",
    "strike": "struck stricken",
    "swear": "swore sworn",
    "take": "took taken",
    "teach": "taught",
    "tell": "told",
    "think": "thought",
    "throw": "threw thrown",
    "undertake": "undertook undertaken",
    "uphold": "upheld",
    "wage": "waged",
    "win": "won",
    "withdraw": "withdrew withdrawn",
    "withhold": "withheld",
    "write": "wrote written",
}
_VOWELS = "aeiou"


def inflect(lemma: str) -> set[str]:
    forms = {lemma}
    if lemma.endswith("e"):
        forms |= {lemma + "s", lemma + "d", lemma[:-1] + "ing"}
    elif lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in _VOWELS:
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    elif lemma.endswith(("s", "x", "z", "ch", "sh")):
        forms |= {lemma + "es", lemma + "ed", lemma + "ing"}
    else:
        forms |= {lemma + "s", lemma + "ed", lemma + "ing"}
        if (
            len(lemma) >= 3
            and lemma[-1] not in _VOWELS + "wxy"
            and lemma[-2] in _VOWELS
            and lemma[-3] not in _VOWELS
        ):
            double = lemma + lemma[-1]
            forms |= {double + "ed", double + "ing"}
    forms |= set(IRREGULAR.get(lemma, "").split())
    return forms


@lru_cache(maxsize=8)
def forms_for(patterns: tuple[str, ...]) -> dict[str, str]:
    """Inflected form -> lemma for the codebook's verbs and the reporting verbs."""
    lemmas = {p.split(" ")[0] for p in patterns if p and p[0] != "*"}
    lemmas |= SPEECH_VERBS | DEMAND_VERBS | SPECULATION_VERBS
    forms: dict[str, str] = {}
    for lemma in sorted(lemmas):
        if not lemma.isalpha():
            continue
        for form in inflect(lemma):
            forms.setdefault(form, lemma)
    return forms


@lru_cache(maxsize=8)
def known_forms_for(patterns: tuple[str, ...]) -> dict[str, str]:
    """Inflected form -> lemma for the codebook's verbs and every verb of the lexicon."""
    forms = dict(forms_for(patterns))
    for lemma in sorted(
        INTENTION_VERBS
        | ATTEMPT_VERBS
        | LIGHT_VERBS
        | OBLIGATION_VERBS
        | REFRAIN_VERBS
        | PREVENT_VERBS
        | {phrase.split(" ")[0] for phrase in EXCLUSION_VERBS}
    ):
        for form in inflect(lemma):
            forms.setdefault(form, lemma)
    return forms


def singular(word: str) -> str:
    """The singular of a lower-case noun by its regular endings ("militias" -> "militia")."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word
