"""A drop-in replacement for the model's ``attribute_ruler`` that gives the same result faster.

The small English model maps fine-grained tags to parts of speech and
morphology, and fixes a few words, with an ``AttributeRuler`` of 179 Matcher
patterns; running spaCy's general Matcher over every token costs about a
fifth of the whole pipeline.  Almost all of those patterns look at one token
and compare its tag, lower-case form, dependency or "is space" flag with
fixed values, which a dictionary lookup answers.  This component indexes those
patterns by tag and by word, leaves the few multi-token patterns to a small
Matcher, and applies every match in the original order (later patterns win),
so the annotations are the ones the original component would set; a test
compares both on real text.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

__all__ = ["install_fast_attribute_ruler"]

_SIMPLE_KEYS = {"TAG", "LOWER", "DEP", "IS_SPACE"}


def _simple(spec: dict[str, Any]) -> bool:
    if not spec or not set(spec) <= _SIMPLE_KEYS:
        return False
    for value in spec.values():
        if isinstance(value, dict):
            if set(value) - {"IN", "NOT_IN"}:
                return False
        elif not isinstance(value, str | bool):
            return False
    return True


def _check(value: Any, wanted: Any) -> bool:
    if isinstance(wanted, dict):
        if "IN" in wanted and value not in wanted["IN"]:
            return False
        return not ("NOT_IN" in wanted and value in wanted["NOT_IN"])
    return bool(value == wanted)


class FastAttributeRuler:
    def __init__(self, ruler: Any) -> None:
        from spacy.matcher import Matcher

        self.name = "attribute_ruler"
        self.attrs = ruler.attrs
        self.indices = ruler.indices
        self.by_tag: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        self.by_lower: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        self.generic: list[tuple[int, dict[str, Any]]] = []
        self.matcher = Matcher(ruler.vocab)
        self.has_complex = False
        for order, entry in enumerate(ruler.patterns):
            complex_patterns = []
            for pattern in entry["patterns"]:
                if len(pattern) == 1 and _simple(pattern[0]) and entry.get("index", 0) in (0, -1):
                    # one token: index 0 and -1 both name it
                    spec = pattern[0]
                    if isinstance(spec.get("TAG"), str):
                        self.by_tag[spec["TAG"]].append((order, spec))
                    elif isinstance(spec.get("LOWER"), str):
                        self.by_lower[spec["LOWER"]].append((order, spec))
                    else:
                        self.generic.append((order, spec))
                else:
                    complex_patterns.append(pattern)
            if complex_patterns:
                self.matcher.add(str(order), complex_patterns)
                self.has_complex = True

    def __call__(self, doc: Any) -> Any:
        from spacy.tokens._retokenize import set_token_attrs

        hits: dict[int, list[int]] = defaultdict(list)  # token -> pattern orders
        generic = self.generic
        for token in doc:
            tag = token.tag_
            lower = token.lower_
            for group in (self.by_tag.get(tag, ()), self.by_lower.get(lower, ()), generic):
                for order, spec in group:
                    ok = True
                    for key, wanted in spec.items():
                        if key == "TAG":
                            value: Any = tag
                        elif key == "LOWER":
                            value = lower
                        elif key == "DEP":
                            value = token.dep_
                        else:
                            value = token.is_space
                        if not _check(value, wanted):
                            ok = False
                            break
                    if ok:
                        hits[token.i].append(order)
        if self.has_complex:
            strings = doc.vocab.strings
            for match_id, start, end in self.matcher(doc, allow_missing=True):
                order = int(strings[match_id])
                index = self.indices[order]
                target = start + index if index >= 0 else end + index
                if not start <= target < end:
                    raise ValueError(f"attribute ruler pattern {order}: index {index} out of span")
                hits[target].append(order)
        attrs = self.attrs
        for i, orders in hits.items():
            orders.sort()
            if len(orders) == 1:
                merged = attrs[orders[0]]
            else:
                merged = {}
                for order in orders:
                    merged.update(attrs[order])
            set_token_attrs(doc[i], merged)
        return doc

    def pipe(self, docs: Any, batch_size: int = 128) -> Any:
        for doc in docs:
            yield self(doc)


def install_fast_attribute_ruler(nlp: Any) -> bool:
    """Swap the pipeline's attribute ruler for the fast one; False if there is none."""
    from spacy.language import Language

    if "attribute_ruler" not in nlp.pipe_names:
        return False
    name = "newsflow_fast_attribute_ruler"
    if name not in Language.factories:

        @Language.factory(name)
        def _factory(nlp: Any, name: str) -> FastAttributeRuler:
            return FastAttributeRuler(nlp.get_pipe("attribute_ruler"))

    nlp.add_pipe(name, before="attribute_ruler")
    nlp.remove_pipe("attribute_ruler")
    return True


class SelectiveNER:
    """The model's ``ner``, run only on the sentences that can hold a new name.

    NER costs half the pipeline, and a sentence without a proper noun or a
    capitalised word that the dictionary has not already matched has nothing
    for it to find.  The other sentences are copied out as small Docs (with
    the dictionary's entities preset, which NER respects), recognised in one
    batch, and the new entities are written back with their offsets.
    """

    def __init__(self, ner: Any) -> None:
        self.ner = ner

    @staticmethod
    def needs_ner(sentence: Any) -> bool:
        first = sentence.start
        for token in sentence:
            if token.ent_type:
                continue
            if token.tag_ in ("NNP", "NNPS") or (token.i != first and token.is_title):
                return True
        return False

    def runs(self, doc: Any) -> list[Any]:
        """Spans of consecutive sentences that need NER (fewer, longer copies)."""
        spans = []
        start = end = None
        for sentence in doc.sents:
            if self.needs_ner(sentence):
                if start is None:
                    start = sentence.start
                end = sentence.end
            elif start is not None:
                spans.append(doc[start:end])
                start = None
        if start is not None:
            spans.append(doc[start:end])
        return spans

    def __call__(self, doc: Any) -> Any:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Any, batch_size: int = 32) -> Any:
        from spacy.tokens import Span
        from spacy.util import minibatch

        for batch in minibatch(docs, batch_size):
            jobs = [(doc, span) for doc in batch for span in self.runs(doc)]
            found: dict[int, list[Any]] = defaultdict(list)
            sentence_docs = [sent.as_doc() for _doc, sent in jobs]
            for (doc, sent), recognised in zip(
                jobs, self.ner.pipe(sentence_docs, batch_size=256), strict=True
            ):
                for ent in recognised.ents:
                    start, end = sent.start + ent.start, sent.start + ent.end
                    if any(doc[i].ent_type for i in range(start, end)):
                        continue  # the dictionary's own entity
                    found[id(doc)].append(Span(doc, start, end, label=ent.label_))
            for doc in batch:
                if found.get(id(doc)):
                    doc.set_ents(found[id(doc)], default="unmodified")
            yield from batch


def install_selective_ner(nlp: Any) -> bool:
    """Wrap the pipeline's ``ner`` so it only reads sentences with candidate names."""
    from spacy.language import Language

    if "ner" not in nlp.pipe_names:
        return False
    name = "newsflow_selective_ner"
    if name not in Language.factories:

        @Language.factory(name)
        def _factory(nlp: Any, name: str) -> SelectiveNER:
            return SelectiveNER(nlp.get_pipe("ner"))

    nlp.add_pipe(name, after="ner")
    ner = nlp.get_pipe("ner")
    nlp.remove_pipe("ner")
    nlp.get_pipe(name).ner = ner
    return True
