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
from collections.abc import Callable
from typing import Any

__all__ = ["install_fast_attribute_ruler"]

_SIMPLE_KEYS = {"TAG", "LOWER", "DEP", "IS_SPACE"}
_CALENDAR = frozenset(
    str.split(
        "monday tuesday wednesday thursday friday saturday sunday january february march "
        "april may june july august september october november december"
    )
)


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


def _tag_map_entry(entry: dict[str, Any]) -> bool:
    """A tag-map rule: every pattern one ``{"TAG": ...}`` token, setting POS and MORPH."""
    attrs = entry.get("attrs", {})
    return (
        entry.get("index", 0) in (0, -1)
        and set(attrs) == {"POS", "MORPH"}
        and all(isinstance(v, str) for v in attrs.values())
        and all(
            len(p) == 1 and set(p[0]) == {"TAG"} and isinstance(p[0]["TAG"], str)
            for p in entry["patterns"]
        )
    )


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
        # The tag map (one TAG -> part of speech and morphology, ahead of every
        # other pattern) is applied to whole arrays at once.
        entries = list(ruler.patterns)
        tag_only = [i for i, e in enumerate(entries) if _tag_map_entry(e)]
        prefix = len(tag_only) == (max(tag_only) + 1 if tag_only else 0)
        self.tag_map: dict[str, tuple[str, str]] = {}
        if prefix:
            for order in tag_only:
                attrs = entries[order]["attrs"]
                for pattern in entries[order]["patterns"]:
                    self.tag_map[pattern[0]["TAG"]] = (attrs["POS"], attrs["MORPH"])
        self._tables: dict[int, dict[int, tuple[int, int]]] = {}
        self._hashed_cache: dict[int, tuple[Any, Any, Any]] = {}
        skip = set(tag_only) if prefix else set()
        for order, entry in enumerate(entries):
            if order in skip:
                continue
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

    def _hashed(self, vocab: Any) -> tuple[Any, Any, Any]:
        """The single-token patterns with every value as its hash, per vocabulary."""
        cached = self._hashed_cache.get(id(vocab))
        if cached is not None:
            return cached
        columns = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}

        def values(key: str, value: Any) -> set[int]:
            items = value if isinstance(value, list | tuple | set) else [value]
            if key == "IS_SPACE":
                return {int(bool(v)) for v in items}
            return {vocab.strings.add(v) if v else 0 for v in items}

        def compile_spec(spec: dict[str, Any]) -> tuple[tuple[int, set[int], bool], ...]:
            checks = []
            for key, wanted in spec.items():
                if isinstance(wanted, dict):
                    if "IN" in wanted:
                        checks.append((columns[key], values(key, wanted["IN"]), False))
                    if "NOT_IN" in wanted:
                        checks.append((columns[key], values(key, wanted["NOT_IN"]), True))
                else:
                    checks.append((columns[key], values(key, wanted), False))
            return tuple(checks)

        by_tag = {
            vocab.strings.add(tag): [(o, compile_spec(spec)) for o, spec in group]
            for tag, group in self.by_tag.items()
        }
        by_lower = {
            vocab.strings.add(lower): [(o, compile_spec(spec)) for o, spec in group]
            for lower, group in self.by_lower.items()
        }
        generic = [(o, compile_spec(spec)) for o, spec in self.generic]
        cached = (by_tag, by_lower, generic)
        self._hashed_cache[id(vocab)] = cached
        return cached

    def _table(self, vocab: Any) -> dict[int, tuple[int, int]]:
        """Tag hash -> (part-of-speech id, morphology key) for this vocabulary."""
        table = self._tables.get(id(vocab))
        if table is None:
            from spacy.parts_of_speech import IDS

            table = {}
            for tag, (pos, morph) in self.tag_map.items():
                features = "" if morph == "_" else morph
                table[vocab.strings.add(tag)] = (IDS[pos], vocab.morphology.add(features))
            self._tables[id(vocab)] = table
        return table

    def _apply_tag_map(self, doc: Any) -> None:
        from spacy.attrs import MORPH, POS, TAG

        if not self.tag_map or not len(doc):
            return
        table = self._table(doc.vocab)
        tags = doc.to_array([TAG])
        values = doc.to_array([POS, MORPH])
        for i, tag in enumerate(tags.tolist()):
            found = table.get(tag)
            if found is not None:
                values[i, 0], values[i, 1] = found
        doc.from_array([POS, MORPH], values)

    def __call__(self, doc: Any) -> Any:
        from spacy.tokens._retokenize import set_token_attrs

        self._apply_tag_map(doc)
        hits: dict[int, list[int]] = defaultdict(list)  # token -> pattern orders
        by_tag, by_lower, generic = self._hashed(doc.vocab)
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
        for i, row in enumerate(rows):
            for group in (by_tag.get(row[0], ()), by_lower.get(row[1], ()), generic):
                for order, checks in group:
                    for column, wanted, negate in checks:
                        value = row[column]
                        if (value in wanted) == negate:
                            break
                    else:
                        hits[i].append(order)
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


def _replace_pipe(nlp: Any, old: str, name: str, wrap: Callable[[Any], Any]) -> bool:
    """Put ``wrap(<component old>)`` in the pipeline in place of ``old``; False if there is none.

    The wrapper is registered as a spaCy factory (once per name) that wraps the
    component of the pipeline it is added to, so every loaded model gets its own.
    """
    from spacy.language import Language

    if old not in nlp.pipe_names:
        return False
    if name not in Language.factories:

        @Language.factory(name)
        def _factory(nlp: Any, name: str) -> Any:
            return wrap(nlp.get_pipe(old))

    nlp.add_pipe(name, after=old)
    nlp.remove_pipe(old)
    return True


def install_fast_attribute_ruler(nlp: Any) -> bool:
    """Swap the pipeline's attribute ruler for the fast one; False if there is none."""
    return _replace_pipe(
        nlp, "attribute_ruler", "newsflow_fast_attribute_ruler", FastAttributeRuler
    )


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
            if token.ent_type or token.lower_ in _CALENDAR:
                continue  # a dictionary name, or a day or month (the date rules read those)
            tag = token.tag_
            if tag in ("NNP", "NNPS") or (
                token.i != first and token.is_title and tag in ("NN", "NNS", "JJ")
            ):
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
    return _replace_pipe(nlp, "ner", "newsflow_selective_ner", SelectiveNER)
