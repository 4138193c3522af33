"""Annotating articles: text in, :class:`AnnotatedDocument` out.

:func:`annotate_text` annotates one text (``newsflow annotate-text``, tests);
:func:`annotate_many` streams many articles through one ``nlp.pipe`` so the
model works in batches.  Both hand the Docs of one article's chunks to
:class:`transforms.article_builder.ArticleBuilder`, which makes sentences,
mentions and event candidates with offsets into the whole text.

An article that makes the annotator fail is returned with ``status='error'``
and the message; the others in the batch are not affected.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from transforms.article_builder import ArticleBuilder, as_date
from transforms.config import AnnotateConfig
from transforms.dictionary import ActorDictionary, load_dictionary
from transforms.document import AnnotatedDocument
from transforms.language_fallback import detect_language
from transforms.nlp import Pipeline, load_pipeline
from transforms.sentences import chunk_text
from transforms.topic import ArticleSignals, classify_topic
from transforms.version import ANNOTATOR_VERSION

__all__ = ["ArticleInput", "annotate_many", "annotate_text", "get_pipeline"]

log = logging.getLogger(__name__)


@dataclass
class ArticleInput:
    key: Any
    text: str
    published_at: datetime | date | None = None
    language: str | None = None
    #: what the outlet says about the article besides its text (transforms.topic)
    url: str | None = None
    title: str | None = None
    categories: tuple[str, ...] = ()
    page_sections: tuple[str, ...] = ()


def get_pipeline(
    dictionary: ActorDictionary | None = None,
    use_model: bool | None = None,
    config: AnnotateConfig | None = None,
) -> Pipeline:
    config = config or AnnotateConfig()
    if dictionary is None:
        dictionary = load_dictionary(config.seeds)
    if use_model is None:
        use_model = config.use_model
    return load_pipeline(dictionary, use_model=use_model, model_name=config.spacy_model)


# -----------------------------------------------------------------------------
# many articles
# -----------------------------------------------------------------------------
def _short_error(exc: BaseException) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" at {frame[0].filename.rsplit('/', 1)[-1]}:{frame[0].lineno}" if frame else ""
    return f"{type(exc).__name__}: {exc}{where}"[:2000]


def _triage(item: ArticleInput, pipeline: Pipeline, config: AnnotateConfig):
    """Status of an article before any NLP: empty, another language, or to annotate."""
    text = item.text or ""
    if not text.strip():
        return AnnotatedDocument("empty", item.language, pipeline.name, ANNOTATOR_VERSION), None
    language = (item.language or "").lower()[:2] or detect_language(text)
    if language not in config.languages:
        return (
            AnnotatedDocument("skipped_language", language, pipeline.name, ANNOTATOR_VERSION),
            None,
        )
    builder = ArticleBuilder(text, as_date(item.published_at), pipeline, language)
    if len(text) > config.max_chars:
        builder.truncated_at = config.max_chars
        log.warning(
            "article %s: annotating the first %d of %d characters",
            item.key,
            config.max_chars,
            len(text),
        )
        text = text[: config.max_chars]
    return None, (builder, chunk_text(text))


def _with_topic(item: ArticleInput, document: AnnotatedDocument) -> AnnotatedDocument:
    """Record what kind of news the article is (dbt decides whether it is coded)."""
    if document.status == "ok":
        signals = ArticleSignals(item.url, item.categories, item.page_sections)
        found = classify_topic(signals, item.text, item.title)
        document.topic, document.topic_evidence = found.topic, found.evidence
    return document


def annotate_many(
    items: Iterable[ArticleInput],
    *,
    pipeline: Pipeline | None = None,
    config: AnnotateConfig | None = None,
    batch_size: int = 32,
) -> Iterator[tuple[Any, AnnotatedDocument]]:
    """Annotate ``items`` in order, yielding ``(key, document)`` for each, with its topic."""
    items = list(items)
    stream = _annotate_stream(items, pipeline=pipeline, config=config, batch_size=batch_size)
    for item, (key, document) in zip(items, stream, strict=True):
        yield key, _with_topic(item, document)


def _annotate_stream(
    items: list[ArticleInput],
    *,
    pipeline: Pipeline | None,
    config: AnnotateConfig | None,
    batch_size: int,
) -> Iterator[tuple[Any, AnnotatedDocument]]:
    """Annotate ``items`` in order, yielding ``(key, document)`` for each.

    Chunks of all articles go through one ``nlp.pipe`` stream.  If the stream
    itself fails (a pipeline component raising on some text), the articles not
    yet finished are annotated one by one so only the culprit gets an error.
    """
    config = config or AnnotateConfig()
    pipeline = pipeline or get_pipeline(config=config)
    ready: dict[int, AnnotatedDocument] = {}
    work: dict[int, tuple[ArticleBuilder, list[tuple[int, str]]]] = {}
    for position, item in enumerate(items):
        try:
            done, todo = _triage(item, pipeline, config)
        except Exception as exc:
            done, todo = _error(item, pipeline, exc), None
        if done is not None:
            ready[position] = done
        else:
            assert todo is not None
            work[position] = todo

    def stream() -> Iterator[tuple[str, tuple[int, int]]]:
        for position, (_builder, chunks) in work.items():
            for number, (_offset, chunk) in enumerate(chunks):
                yield chunk, (position, number)

    remaining = {position: len(chunks) for position, (_b, chunks) in work.items()}
    failed: set[int] = set()
    next_out = 0
    try:
        for doc, (position, number) in pipeline.nlp.pipe(
            stream(), as_tuples=True, batch_size=batch_size
        ):
            builder, chunks = work[position]
            if position not in failed:
                try:
                    builder.add_chunk(doc, chunks[number][0])
                except Exception as exc:
                    failed.add(position)
                    ready[position] = _error(items[position], pipeline, exc)
            remaining[position] -= 1
            if remaining[position] == 0 and position not in failed:
                try:
                    ready[position] = builder.build()
                except Exception as exc:
                    ready[position] = _error(items[position], pipeline, exc)
            while next_out in ready:
                yield items[next_out].key, ready.pop(next_out)
                next_out += 1
    except Exception as exc:  # the pipe broke: finish the rest one article at a time
        log.warning("nlp.pipe failed (%s); annotating the rest one by one", exc)
        for position in range(next_out, len(items)):
            if position in ready or position not in work:
                continue
            ready[position] = _annotate_alone(items[position], pipeline, config)
    while next_out < len(items):
        document = ready.pop(next_out, None)
        if document is None:
            document = _annotate_alone(items[next_out], pipeline, config)
        yield items[next_out].key, document
        next_out += 1


def _error(item: ArticleInput, pipeline: Pipeline, exc: BaseException) -> AnnotatedDocument:
    log.warning("article %s: annotation failed: %s", item.key, exc, exc_info=exc)
    return AnnotatedDocument(
        "error", item.language, pipeline.name, ANNOTATOR_VERSION, error=_short_error(exc)
    )


def _annotate_alone(
    item: ArticleInput, pipeline: Pipeline, config: AnnotateConfig
) -> AnnotatedDocument:
    try:
        done, todo = _triage(item, pipeline, config)
        if done is not None:
            return done
        assert todo is not None
        builder, chunks = todo
        for offset, chunk in chunks:
            builder.add_chunk(pipeline.nlp(chunk), offset)
        return builder.build()
    except Exception as exc:
        return _error(item, pipeline, exc)


def annotate_text(
    text: str,
    *,
    published_at: datetime | date | None = None,
    language: str | None = None,
    dictionary: ActorDictionary | str | Path | None = None,
    use_model: bool | None = None,
    config: AnnotateConfig | None = None,
) -> AnnotatedDocument:
    """Annotate one text: sentences, actor mentions and event candidates.

    ``dictionary`` is an :class:`ActorDictionary` or a directory with the seed
    CSVs (default: ``config.seeds``).  ``use_model``: ``True`` requires the
    spaCy model, ``False`` forces the rule path, ``None`` follows
    ``config.pipeline`` (whatever is installed unless it says otherwise).
    """
    config = config or AnnotateConfig()
    if not isinstance(dictionary, ActorDictionary):
        dictionary = load_dictionary(dictionary or config.seeds)
    pipeline = get_pipeline(dictionary, use_model, config)
    item = ArticleInput(None, text, published_at, language)
    return next(annotate_many([item], pipeline=pipeline, config=config))[1]
