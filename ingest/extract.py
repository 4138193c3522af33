"""HTML page to clean article text and metadata (in process; see ``ingest.sandbox`` for limits).

One call, :func:`extract_article`, never raises for bad input: every page
gets an :class:`~ingest.records.ExtractedArticle` whose ``outcome`` says what
happened (``ok``, ``empty_article``, ``not_html``, ``extract_too_large``,
``extract_failed``).  The steps:

1. **Size cap** before anything is parsed (``max_html_bytes``).
2. **Decoding** (:func:`ingest.html_text.decode_html`): BOM, then bytes that are valid UTF-8
   (a page mis-declared as Latin-1 is still read right), then the declared
   ``<meta charset>``, then a statistical guess; never a decode error.  NUL
   and other control characters are removed before parsing and again from
   the output text (PostgreSQL refuses NUL in ``text``).
3. **Parsing** with lxml, **once**: every step that needs a tree reads this
   one (libxml2 caps nesting depth, so a pathological page parses to a
   truncated tree rather than recursing without end).  Readers that only look
   go first: the page's **metadata** (:mod:`ingest.metadata`: title, time,
   canonical URL, JSON-LD including ``articleBody``), its links, the
   schema.org ``itemprop=articleBody`` element.  trafilatura works on its own
   copy of the tree, and so does readability (one copy, no Cleaner pass).
4. **Main pass**: trafilatura with ``favor_precision``, no comments, without
   its fallbacks (``fast``).
5. **Second opinion**, only where a cheap signal says the main pass lacks
   body, so most pages cost one extraction: well under the body the page
   declares (JSON-LD ``articleBody``, ``itemprop=articleBody``); or short
   while the page holds prose the text lacks (a short article that is all the
   page has costs nothing more); or prose paragraphs missing in containers like
   the ones the main pass used (a body split by ads, of which trafilatura took
   the first part).  Then trafilatura's own fallbacks, then readability-lxml
   on the same tree; readability's prose blocks either *extend* the main pass
   at its end or *replace* a short one.  Only prose blocks (long, little link
   text) are taken from readability, which is generous with captions and link
   lists.
6. **Structure**: lines found in the page's own comment, navigation and
   link-list containers (``<aside>``, ``<nav>``, ``<footer>``, comment-section
   ids and classes, lists and boxes that are mostly link text) are dropped,
   never more than half the text (:func:`ingest.page_structure.drop_boiler`).
7. **Post-cleaning** (:mod:`ingest.postclean`): comment prompts, share bars,
   newsletter boxes, teaser lists and title repeats.
8. **No empty result where a peer finds an article**: when the cleaned text is
   too short, the uncleaned text, the declared ``articleBody`` or all of
   readability's text is taken instead (:func:`_rescue`).
9. **Language** (:mod:`ingest.language_id`) and word count.

Outcome ``empty_article`` means the cleaned text is shorter than
``min_text_chars`` (default 100 characters, ``NEWSFLOW_EXTRACT_MIN_CHARS``):
such a page is recorded as a failure, never stored as an article.

Tuning values come from ``ingest/extraction.yaml``; bump
:data:`EXTRACTOR_VERSION` whenever the output can change, so stored rows with
an older version can be re-extracted from their raw HTML.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

from ingest.extraction_settings import ExtractionSettings, Tuning
from ingest.html_text import BINARY_MAGIC, NOT_HTML_ROOT, count_words, decode_html, looks_like_html
from ingest.language_id import detect_language
from ingest.metadata import PageMetadata, read_metadata
from ingest.page_structure import (
    Page,
    TreeReadability,
    drop_boiler,
    normalise_text,
    parse_html,
    prose_coverage,
    read_page,
    readability_blocks,
    text_blocks,
    text_lines,
)
from ingest.postclean import clean_lines, strip_control_chars
from ingest.records import ExtractedArticle, Outcome

__all__ = [
    "EXTRACTOR_VERSION",
    "count_words",
    "decode_html",
    "extract_article",
    "extract_guarded",
    "looks_like_html",
    "warm_up",
]

log = logging.getLogger(__name__)

#: Bump whenever the extraction output can change (code, tuning file or library versions).
EXTRACTOR_VERSION = "2026.12.1"

EXTRACTOR = "trafilatura"
EXTRACTOR_WITH_FALLBACK = "trafilatura+readability"
EXTRACTOR_DECLARED = "trafilatura+json-ld"

_WORD = re.compile(r"\w+")


# --- the extraction -------------------------------------------------------------------
@dataclass
class _Draft:
    lines: list[str]
    extractor: str = EXTRACTOR
    notes: list[str] = field(default_factory=list)


def _trafilatura(tree: HtmlElement, url: str | None, tuning: Tuning, *, fast: bool) -> str:
    import trafilatura

    document = trafilatura.bare_extraction(
        tree,  # trafilatura works on its own copy: the tree stays readable for later steps
        url=url,
        fast=fast,
        favor_precision=tuning.favor_precision,
        include_comments=False,
        include_tables=tuning.include_tables,
        with_metadata=False,
    )
    text = (getattr(document, "text", None) or "") if document is not None else ""
    return text.strip()


def _lacks_body(text: str, page: Page, tuning: Tuning) -> bool:
    """Did the first pass find too little?  The cheap signals, no second extractor yet.

    Well under the body the page declares (JSON-LD ``articleBody``, schema.org
    ``itemprop=articleBody``): yes.  Short (under ``short_text_chars``): only
    when the page holds enough prose the text lacks for a second extractor to
    be able to win; a short article that is all the page has costs nothing more.
    """
    reference = page.reference_chars
    if reference >= tuning.short_text_chars and len(text) < tuning.declared_min_share * reference:
        return True
    if len(text) >= tuning.short_text_chars:
        return False
    coverage = prose_coverage(
        page.tree, normalise_text(text), tuning, min_chars=tuning.short_prose_min_chars
    )
    needed = max(tuning.prose_min_chars, (tuning.replace_min_ratio - 1) * len(text))
    return coverage.missing_chars >= needed


def _first_pass(page: Page, url: str | None, tuning: Tuning) -> _Draft:
    """trafilatura's own rules first (``fast``); its fallbacks only when it found too little.

    trafilatura's fallbacks (its readability fork and jusText) run on every
    page unless ``fast`` is set, and cost a third of its time; they matter when
    its rules found little (:func:`_lacks_body`), so they run only then and are
    kept when they find clearly more.
    """
    text = _trafilatura(page.tree, url, tuning, fast=True)
    if _lacks_body(text, page, tuning):
        slow = _trafilatura(page.tree, url, tuning, fast=False)
        if len(slow) >= tuning.rerun_min_ratio * max(len(text), 1):
            return _Draft(text_lines(slow), EXTRACTOR, ["trafilatura fallbacks"])
    return _Draft(text_lines(text))


def _second_opinion(draft: _Draft, page: Page, tuning: Tuning) -> _Draft:
    """Consult readability when the first pass is short or misses much of the page's prose."""
    text = "\n".join(draft.lines)
    norm_text = normalise_text(text)
    short = _lacks_body(text, page, tuning)
    if not short:
        if len(text) < tuning.short_text_chars:
            return draft  # a short article that is all the page has
        coverage = prose_coverage(
            page.tree, norm_text, tuning, min_chars=tuning.prose_min_chars, p_only=True
        )
        same = coverage.same_container
        if not (
            len(same) >= tuning.tail_min_prose_blocks
            and sum(same) >= tuning.tail_min_gain * len(text)
        ):
            return draft

    blocks = readability_blocks(page.tree)
    if not blocks:
        return draft

    if short:
        kept = [b.text for b in blocks if b.link_share <= tuning.prose_max_link_share]
        kept, _ = drop_boiler(kept, page, tuning)
        has_prose = any(b.is_prose(tuning) for b in blocks)
        if has_prose and sum(len(t) for t in kept) >= tuning.replace_min_ratio * max(len(text), 1):
            return _Draft(kept, EXTRACTOR_WITH_FALLBACK, [*draft.notes, "replaced"])
        return draft

    # extend: readability's prose after the last block the first pass already has
    matched = [
        i for i, b in enumerate(blocks) if len(b.text) >= 40 and normalise_text(b.text) in norm_text
    ]
    if not matched:
        return draft
    tail: list[str] = []
    short_run = 0
    for block in blocks[matched[-1] + 1 :]:
        if block.is_prose(tuning):
            if normalise_text(block.text) in norm_text:
                continue
            tail.append(block.text)
            short_run = 0
        else:
            short_run += 1
            if short_run > tuning.tail_max_short_run:
                break
    tail, _ = drop_boiler(tail, page, tuning)
    gain = sum(len(t) for t in tail)
    if len(tail) >= tuning.tail_min_prose_blocks and gain >= tuning.tail_min_gain * len(text):
        return _Draft(draft.lines + tail, EXTRACTOR_WITH_FALLBACK, [*draft.notes, "extended"])
    return draft


def _declared_body(draft: _Draft, page: Page, tuning: Tuning) -> _Draft:
    """The body the page declares in JSON-LD, when both extractors found well under it.

    Pages whose body is rendered by script, or kept in a container both
    extractors take for boilerplate, still carry it in their ``articleBody``.
    A declared body shorter than ``short_text_chars`` is a teaser (many CMSs
    cut it), and is never preferred to what the extractors found.
    """
    declared = page.declared_body
    if len(declared) < tuning.short_text_chars:
        return draft
    if sum(len(line) for line in draft.lines) >= tuning.declared_min_share * len(declared):
        return draft
    return _Draft(text_lines(declared), EXTRACTOR_DECLARED, [*draft.notes, "declared body"])


def _rescue(
    body: str,
    extractor: str,
    raw_lines: list[str],
    page: Page,
    cfg: ExtractionSettings,
) -> tuple[str, str]:
    """Never return an empty article where a peer finds one.

    Cleaning may have cut a short page below ``min_text_chars``, or both
    extractors' rules rejected everything; then, in turn: the uncleaned
    extract, the body the page declares (JSON-LD ``articleBody``), and all of
    readability's text.  The first that is long enough wins.
    """
    uncleaned = "\n".join(raw_lines).strip()
    if len(uncleaned) >= cfg.min_text_chars:
        return uncleaned, extractor
    if len(page.declared_body) >= cfg.min_text_chars:
        return page.declared_body, EXTRACTOR_DECLARED
    node = TreeReadability.run(page.tree)
    if node is not None:
        text = "\n".join(b.text for b in text_blocks(node)).strip()
        if len(text) >= cfg.min_text_chars:
            return text, EXTRACTOR_WITH_FALLBACK
    return body, extractor


def _article(
    outcome: Outcome,
    meta: PageMetadata | None,
    *,
    error: str | None = None,
    extractor: str = EXTRACTOR,
    **fields: Any,
) -> ExtractedArticle:
    """The result with the page's metadata; ``fields`` add the text and what is known of it."""
    meta = meta or PageMetadata()
    return ExtractedArticle(
        outcome=outcome,
        title=meta.title,
        description=meta.description,
        authors=meta.authors,
        published_at=meta.published_at,
        canonical_url=meta.canonical_url,
        site_name=meta.site_name,
        extractor=extractor,
        extractor_version=EXTRACTOR_VERSION,
        error=error,
        **fields,
    )


def _failed(outcome: Outcome, error: str, meta: PageMetadata | None = None) -> ExtractedArticle:
    return _article(outcome, meta, error=error)


def _extract(html: bytes | str, url: str | None, cfg: ExtractionSettings) -> ExtractedArticle:
    size = len(html) if isinstance(html, bytes) else len(html.encode("utf-8", "surrogatepass"))
    if size > cfg.max_html_bytes:
        return _failed(
            Outcome.EXTRACT_TOO_LARGE, f"page is {size} bytes, over the {cfg.max_html_bytes} cap"
        )
    if isinstance(html, bytes):
        if html.lstrip()[:8].startswith(BINARY_MAGIC):
            return _failed(Outcome.NOT_HTML, "binary content (PDF, image or archive), not HTML")
        text, _encoding = decode_html(html)
    else:
        text = html
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: lxml would refuse the text
            text = strip_control_chars(text)
    if "\x00" in text:
        # libxml2 drops the other control characters itself; the output text is
        # cleaned of them again (scanning a whole page costs more than parsing a tenth of it)
        text = text.replace("\x00", "")
    if not text.strip():
        return _failed(Outcome.NOT_HTML, "empty document")
    if NOT_HTML_ROOT.match(text[:5000]):
        return _failed(Outcome.NOT_HTML, "an XML feed or SVG document, not an HTML page")
    if not looks_like_html(text):
        return _failed(Outcome.NOT_HTML, "no HTML markup found")
    tree = parse_html(text)
    if tree is None:
        return _failed(Outcome.NOT_HTML, "the document could not be parsed as HTML")
    meta = read_metadata(tree, url)
    tuning = cfg.tuning
    page = read_page(tree, meta)

    draft = _first_pass(page, url, tuning)
    draft = _second_opinion(draft, page, tuning)
    draft = _declared_body(draft, page, tuning)
    raw_lines = text_lines(strip_control_chars("\n".join(draft.lines)))
    lines = raw_lines
    if draft.extractor != EXTRACTOR_DECLARED:  # the publisher's own body has no boxes
        lines, _ = drop_boiler(lines, page, tuning, linked_only=draft.extractor == EXTRACTOR)
    lines = clean_lines(lines, title=meta.title, links=page.links, tuning=tuning)
    body = "\n".join(lines).strip()
    extractor = draft.extractor
    if len(body) < cfg.min_text_chars:
        body, extractor = _rescue(body, extractor, raw_lines, page, cfg)
    language, confidence = detect_language(body, meta.html_lang)
    words = count_words(body)
    outcome = Outcome.OK
    error = None
    if len(body) < cfg.min_text_chars:
        outcome = Outcome.EMPTY_ARTICLE
        error = f"article text has {len(body)} characters, fewer than {cfg.min_text_chars}"
    return _article(
        outcome,
        meta,
        error=error,
        text=body,
        language=language,
        language_confidence=confidence,
        word_count=words,
        extractor=extractor,
    )


def extract_article(
    html: bytes | str, *, url: str | None = None, settings: ExtractionSettings | None = None
) -> ExtractedArticle:
    """Extract one page in this process; never raises for bad HTML (see the outcome).

    ``settings`` defaults to :class:`ingest.extraction_settings.ExtractionSettings`'s
    defaults.  Runs without CPU or memory limits: untrusted pages at volume go
    through :class:`ingest.sandbox.ExtractionPool`.
    """
    cfg = settings or ExtractionSettings()
    try:
        return extract_guarded(html, url, cfg)
    except MemoryError:
        return _failed(Outcome.EXTRACT_TOO_LARGE, "out of memory while extracting")


def extract_guarded(
    html: bytes | str, url: str | None, cfg: ExtractionSettings
) -> ExtractedArticle:
    """:func:`extract_article` for the sandbox workers: ``MemoryError`` is raised, not returned.

    A worker that ran out of memory reports the page and is replaced, since the
    failed allocation may have left its heap fragmented.  Every other error
    becomes an ``extract_failed`` outcome.
    """
    try:
        return _extract(html, url, cfg)
    except MemoryError:
        raise
    except RecursionError:
        return _failed(Outcome.EXTRACT_FAILED, "page nesting too deep to process")
    except Exception as exc:  # never let one page fail a batch
        log.warning(
            "extraction failed for %s: %s", url, exc, exc_info=log.isEnabledFor(logging.DEBUG)
        )
        return _failed(Outcome.EXTRACT_FAILED, f"{type(exc).__name__}: {exc}"[:500])


def warm_up() -> None:
    """Import the heavy modules and load models now (worker start-up)."""
    from ingest.language_id import warm_up as warm_language

    warm_language()
    page = (
        "<html><head><title>t</title></head><body><article><p>"
        + "Warm-up text for the extractor. " * 20
        + "</p></article></body></html>"
    )
    extract_article(page, settings=ExtractionSettings())
    import readability  # noqa: F401  (imported lazily on the fallback path)
