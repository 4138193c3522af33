"""Chunks for the pipeline and sentences with offsets into the stored text.

spaCy refuses texts over ``nlp.max_length`` and parses long ones slowly in one
piece, so an article is cut into chunks at paragraph breaks (one paragraph per
line in extracted text), each at most :data:`CHUNK_CHARS` long; a paragraph
longer than that is cut after a sentence-final full stop, or at a space.
Sentences never cross a paragraph break, so no sentence is cut.  Every chunk
keeps its offset, and every offset the annotator stores is ``chunk offset +
offset in the chunk``: a Python ``str`` index into ``raw.articles.text``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from transforms.document import Sentence

__all__ = ["CHUNK_CHARS", "chunk_text", "doc_sentences"]

CHUNK_CHARS = 20_000
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]?\s")


def _split_long(text: str, offset: int, limit: int) -> Iterator[tuple[int, str]]:
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = None
        for match in _SENTENCE_END.finditer(window, limit // 2):
            cut = match.end()
        if cut is None:
            space = window.rfind(" ", limit // 2)
            cut = space + 1 if space > 0 else limit
        yield offset + start, text[start : start + cut]
        start += cut
    if start < len(text):
        yield offset + start, text[start:]


def chunk_text(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """``(offset, chunk)`` pairs covering ``text`` in order; chunks join back to it."""
    if len(text) <= limit:
        return [(0, text)]
    chunks: list[tuple[int, str]] = []
    start = 0
    current = 0
    for match in re.finditer(r"\n", text):
        end = match.end()
        if end - start > limit and current > start:
            chunks.extend(_split_long(text[start:current], start, limit))
            start = current
        current = end
    if len(text) - start > limit and current > start:
        chunks.extend(_split_long(text[start:current], start, limit))
        start = current
    chunks.extend(_split_long(text[start:], start, limit))
    return [(offset, chunk) for offset, chunk in chunks if chunk]


def doc_sentences(doc: Any, offset: int, first_index: int) -> tuple[list[Sentence], list[int]]:
    """Sentences of ``doc`` (white space trimmed, empty ones dropped) and, per
    token, the index of its sentence (-1 for tokens of dropped sentences)."""
    sentences: list[Sentence] = []
    token_sentence = [-1] * len(doc)
    for sent in doc.sents:
        text = sent.text
        stripped = text.strip()
        if not stripped:
            continue
        lead = len(text) - len(text.lstrip())
        start = offset + sent.start_char + lead
        index = first_index + len(sentences)
        sentences.append(Sentence(index, start, start + len(stripped), stripped))
        for token in sent:
            token_sentence[token.i] = index
    return sentences, token_sentence
