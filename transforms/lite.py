"""The rule path's own text machinery: a regex tokenizer, a sentence splitter and
an Aho-Corasick matcher over the dictionary, with just enough of spaCy's
``Doc``/``Token``/``Span`` interface for :mod:`transforms.mentions` and
:mod:`transforms.word_order_analysis` to run unchanged.

Why not a blank spaCy pipeline: creating spaCy ``Token`` objects from Python
costs about a microsecond each, and the rules touch every token several times;
plain objects with ``__slots__`` and one ``pyahocorasick`` scan of the text
make the rule path about ten times faster, which is the point of having it.

Tokenization follows spaCy's English conventions where the rules care:
hyphens are tokens ("Iran - backed"), possessive "'s" and negation "n't" are
split off, punctuation is one token per character.  Sentences end at ``.``,
``!`` or ``?`` (after closing quotes) followed by white space and a capital,
a digit or a quote, unless the word before is a known abbreviation or an
initial; a line break always ends a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from transforms.dictionary import ActorDictionary
from transforms.ruler_patterns import ruler_patterns

__all__ = ["LiteDoc", "LiteNLP", "LiteSpan", "LiteToken"]

_TOKEN = re.compile(
    r"\w+(?=n['’]t\b)"  # did | n't
    r"|n['’]t\b"
    r"|\w+(?=['’]s\b)"  # Jordan | 's
    r"|['’]s\b"
    r"|\d+(?:[.,:]\d+)+"  # 1,000  2.5  10:30
    r"|(?:[A-Z]\.){2,}"  # U.S.  U.N.
    r"|\w+"
    r"|\n+"
    r"|[^\w\s]",
)
_ABBREVIATIONS = frozenset(
    str.split(
        "mr mrs ms dr prof gen lt col sgt capt cmdr adm gov sen rep st jr sr inc ltd co corp "
        "jan feb mar apr jun jul aug sep sept oct nov dec no vs etc approx dept est fig mt ft"
    )
)
_QUOTES = frozenset("\"'“”‘’«»`")
_OPENERS = frozenset("\"“‘'«(")


class LiteToken:
    """One token; flags are computed on use (most tokens are never asked)."""

    __slots__ = ("doc", "i", "idx", "lower_", "text")
    pos_ = ""
    tag_ = ""
    dep_ = ""
    lemma_ = ""

    def __init__(self, doc: LiteDoc, i: int, text: str, idx: int) -> None:
        self.doc = doc
        self.i = i
        self.text = text
        self.idx = idx
        self.lower_ = text.lower()

    @property
    def is_alpha(self) -> bool:
        return self.text.isalpha()

    @property
    def is_space(self) -> bool:
        return self.text.isspace()

    @property
    def is_punct(self) -> bool:
        text = self.text
        return len(text) == 1 and not text.isalnum() and not text.isspace()

    @property
    def is_quote(self) -> bool:
        return self.text in _QUOTES

    @property
    def is_title(self) -> bool:
        text = self.text
        return text[:1].isupper() and (len(text) == 1 or not text[1:].isupper())

    @property
    def is_sent_start(self) -> bool:
        return self.i in self.doc.sentence_starts

    @property
    def ent_type_(self) -> str:
        return self.doc.ent_types.get(self.i, "")

    @property
    def sent(self) -> LiteSpan:
        return self.doc.sentence_spans[self.doc.sentence_of[self.i]]

    def __repr__(self) -> str:
        return self.text


class LiteSpan:
    __slots__ = ("doc", "end", "ent_id_", "label_", "start")

    def __init__(self, doc: LiteDoc, start: int, end: int, label: str = "", ent_id: str = ""):
        self.doc = doc
        self.start = start
        self.end = end
        self.label_ = label
        self.ent_id_ = ent_id

    @property
    def start_char(self) -> int:
        return self.doc.tokens[self.start].idx if self.start < self.end else 0

    @property
    def end_char(self) -> int:
        if self.start >= self.end:
            return self.start_char
        last = self.doc.tokens[self.end - 1]
        return last.idx + len(last.text)

    @property
    def text(self) -> str:
        return self.doc.text[self.start_char : self.end_char]

    def __iter__(self) -> Iterator[LiteToken]:
        return iter(self.doc.tokens[self.start : self.end])

    def __len__(self) -> int:
        return self.end - self.start

    def __getitem__(self, index: int) -> LiteToken:
        return self.doc.tokens[self.start : self.end][index]


class LiteDoc:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[LiteToken] = [
            LiteToken(self, i, m.group(), m.start()) for i, m in enumerate(_TOKEN.finditer(text))
        ]
        self.ents: tuple[LiteSpan, ...] = ()
        self.sentence_spans: list[LiteSpan] = []
        self.sentence_of: list[int] = []
        self.sentence_starts: set[int] = set()
        self.ent_types: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.tokens)

    def __iter__(self) -> Iterator[LiteToken]:
        return iter(self.tokens)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            start, stop, _ = index.indices(len(self.tokens))
            return LiteSpan(self, start, max(start, stop))
        return self.tokens[index]

    @property
    def sents(self) -> Iterator[LiteSpan]:
        return iter(self.sentence_spans)

    def has_annotation(self, _name: str) -> bool:
        return True


def _split_sentences(doc: LiteDoc) -> None:
    tokens = doc.tokens
    texts = [t.text for t in tokens]
    n = len(tokens)
    starts = [0] if tokens else []
    for i, text in enumerate(texts):
        if text[0] == "\n":
            if i + 1 < n:
                starts.append(i + 1)
            continue
        if text not in (".", "!", "?") or i + 1 >= n:
            continue
        j = i + 1
        while j < n and texts[j] in _QUOTES and texts[j] not in ("“", "‘"):
            j += 1  # closing quotes stay with their sentence
        if j >= n:
            continue
        nxt = texts[j]
        if nxt[0] == "\n":
            continue  # the line break makes the start
        if tokens[j].idx == tokens[j - 1].idx + len(texts[j - 1]):
            continue  # no space: "3.5", "U.S.-led"
        if not (nxt[:1].isupper() or nxt[:1].isdigit() or nxt in _OPENERS):
            continue
        if text == "." and i > 0:
            word = tokens[i - 1].lower_
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        starts.append(j)
    starts = sorted(set(starts))
    bounds = [*starts[1:], n]
    doc.sentence_spans = [LiteSpan(doc, a, b) for a, b in zip(starts, bounds, strict=True)]
    sentence_of = [0] * n
    for index, (a, b) in enumerate(zip(starts, bounds, strict=True)):
        sentence_of[a:b] = [index] * (b - a)
    doc.sentence_of = sentence_of
    doc.sentence_starts = {a for a in starts if a < n}


class _Matcher:
    """Leftmost-longest dictionary matches on word boundaries (case-sensitive)."""

    def __init__(self, patterns: Iterable[dict[str, str]]) -> None:
        import ahocorasick

        self.automaton: Any = ahocorasick.Automaton()
        count = 0
        for pattern in patterns:
            text = pattern["pattern"]
            if text not in self.automaton:
                self.automaton.add_word(text, (len(text), pattern["label"], pattern["id"]))
                count += 1
        self.empty = count == 0
        if not self.empty:
            self.automaton.make_automaton()

    def matches(self, text: str) -> list[tuple[int, int, str, str]]:
        if self.empty:
            return []
        found = []
        length = len(text)
        for end, (size, label, ent_id) in self.automaton.iter(text):
            start = end - size + 1
            if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
                continue
            if end + 1 < length and (text[end + 1].isalnum() or text[end + 1] == "_"):
                continue
            found.append((start, end + 1, label, ent_id))
        found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
        chosen = []
        last_end = -1
        for match in found:
            if match[0] >= last_end:
                chosen.append(match)
                last_end = match[1]
        return chosen


class LiteNLP:
    """Callable like a spaCy ``Language``: ``nlp(text)`` and ``nlp.pipe(texts)``."""

    def __init__(self, dictionary: ActorDictionary) -> None:
        self.matcher = _Matcher(ruler_patterns(dictionary))
        self.pipe_names = ["lite_tokenizer", "lite_sentences", "aho_corasick_dictionary"]

    def __call__(self, text: str) -> LiteDoc:
        doc = LiteDoc(text)
        _split_sentences(doc)
        if not doc.tokens:
            return doc
        by_start = {t.idx: t.i for t in doc.tokens}
        by_end = {t.idx + len(t.text): t.i for t in doc.tokens}
        ents = []
        for start, end, label, ent_id in self.matcher.matches(text):
            first, last = by_start.get(start), by_end.get(end)
            if first is None or last is None or last < first:
                continue
            span = LiteSpan(doc, first, last + 1, label, ent_id)
            ents.append(span)
            for k in range(first, last + 1):
                doc.ent_types[k] = label
        doc.ents = tuple(ents)
        return doc

    def pipe(
        self, texts: Iterable[Any], *, as_tuples: bool = False, batch_size: int = 0
    ) -> Iterator[Any]:
        for item in texts:
            if as_tuples:
                text, context = item
                yield self(text), context
            else:
                yield self(item)
