"""HTML page to clean article text and metadata (in process; see ``ingest.sandbox`` for limits).

One call, :func:`extract_article`, never raises for bad input: every page
gets an :class:`~ingest.types.ExtractedArticle` whose ``outcome`` says what
happened (``ok``, ``empty_article``, ``not_html``, ``extract_too_large``,
``extract_failed``).  The steps:

1. **Size cap** before anything is parsed (``max_html_bytes``).
2. **Decoding** (:func:`decode_html`): BOM, then bytes that are valid UTF-8
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
   never more than half the text (:func:`_drop_boiler`).
7. **Post-cleaning** (:mod:`ingest.postclean`): comment prompts, share bars,
   newsletter boxes, teaser lists and title repeats.
8. **No empty result where a peer finds an article**: when the cleaned text is
   too short, the uncleaned text, the declared ``articleBody`` or all of
   readability's text is taken instead (:func:`_rescue`).
9. **Language** (:mod:`ingest.language`) and word count.

Outcome ``empty_article`` means the cleaned text is shorter than
``min_text_chars`` (default 100 characters, ``NEWSFLOW_EXTRACT_MIN_CHARS``):
such a page is recorded as a failure, never stored as an article.

Tuning values come from ``ingest/extraction.yaml``; bump
:data:`EXTRACTOR_VERSION` whenever the output can change, so stored rows with
an older version can be re-extracted from their raw HTML.
"""

from __future__ import annotations

import codecs
import copy
import html as html_lib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import lxml.etree
import lxml.html
from lxml.html import HtmlElement

from ingest.extraction_settings import ExtractionSettings, Tuning
from ingest.language import detect_language
from ingest.metadata import PageMetadata, read_metadata
from ingest.postclean import LinkIndex, clean_lines, strip_control_chars
from ingest.types import ExtractedArticle, Outcome

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
#: A white-space separated token holding at least one letter or digit (``[^\W_]``).
_WORDISH = re.compile(r"(?<!\S)\S*?[^\W_]\S*")
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_TAG = re.compile(
    r"<\s*(?:html|head|body|div|p|article|main|section|span|a|table|h[1-6]|meta|title|br)\b",
    re.IGNORECASE,
)
_NOT_HTML_ROOT = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(rss|feed|rdf:RDF|svg)\b",
    re.IGNORECASE | re.DOTALL,
)
#: A page declared UTF-8 with at most this many invalid bytes is read as UTF-8.
_FEW_BROKEN_BYTES = 8
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")


# --- decoding -------------------------------------------------------------------------
def _codec(name: str | bytes | None) -> str | None:
    if not name:
        return None
    if isinstance(name, bytes):
        name = name.decode("ascii", "ignore")
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    # WHATWG: pages labelled Latin-1/ASCII are decoded as windows-1252
    return "cp1252" if codec in {"latin-1", "iso8859-1", "ascii"} else codec


def decode_html(data: bytes) -> tuple[str, str]:
    """Bytes to text without ever failing; returns (text, encoding used).

    Order: a byte-order mark; valid UTF-8 (it wins over a declaration, since
    valid multi-byte UTF-8 is almost never another encoding by chance, and
    pages mis-declared as Latin-1 are common); a declared single-byte or CJK
    ``<meta charset>``; UTF-8 with replacement characters when most of the
    non-ASCII characters are valid UTF-8 (in a Latin-1 page almost none are)
    or the page declares UTF-8 and only a few bytes are broken; else
    charset_normalizer's guess (a Windows-1252 page declared as UTF-8).
    Undecodable bytes become U+FFFD, which
    :func:`ingest.postclean.strip_control_chars` removes from the output.
    """
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    match = _META_CHARSET.search(data[:4096])
    declared = _codec(match.group(1)) if match else None
    if declared in {"utf-16", "utf-32"}:
        declared = None  # impossible without a BOM in a page whose head we could read as ASCII
    if declared and declared != "utf-8":
        return data.decode(declared, errors="replace"), declared
    lenient = data.decode("utf-8", errors="replace")
    broken = lenient.count("\ufffd")
    valid_non_ascii = sum(1 for ch in lenient if ord(ch) > 127) - broken
    if broken <= valid_non_ascii or (declared == "utf-8" and broken <= _FEW_BROKEN_BYTES):
        return lenient, "utf-8"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        guessed = _codec(best.encoding) if best is not None else None
    except Exception:  # the guesser is a convenience, never a failure
        guessed = None
    name = guessed or "utf-8"
    return data.decode(name, errors="replace"), name


def looks_like_html(text: str) -> bool:
    """Markup with at least one common HTML element, and not a feed or SVG document."""
    head = text[:5000]
    return bool(_TAG.search(head) or _TAG.search(text[:200_000])) and not _NOT_HTML_ROOT.match(head)


def count_words(text: str) -> int:
    """White-space separated tokens that hold a letter or digit (punctuation alone is no word).

    Scripts written without spaces (Chinese, Japanese, Thai) count one word per run.
    """
    return len(_WORDISH.findall(text))


# --- parsing -------------------------------------------------------------------------
def _parse(text: str) -> HtmlElement | None:
    from trafilatura.utils import load_html

    tree = load_html(text)
    if tree is None or len(tree) == 0:
        try:
            tree = lxml.html.document_fromstring(text)
        except (ValueError, lxml.etree.ParserError):
            return None
    return tree


# --- text blocks ----------------------------------------------------------------------
def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _chars(text: str) -> int:
    """Length without white space (link shares compare like with like)."""
    return len(text) - sum(text.count(ws) for ws in (" ", "\n", "\t", "\r", "\xa0"))


@dataclass
class _Block:
    text: str
    link_share: float
    tag: str

    def is_prose(self, tuning: Tuning) -> bool:
        return (
            len(self.text) >= tuning.prose_min_chars
            and self.link_share <= tuning.prose_max_link_share
        )


_BLOCK_TAGS = frozenset(
    {
        "p",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "td",
        "th",
        "dd",
        "dt",
        "figcaption",
        "div",
        "section",
        "article",
        "table",
        "ul",
        "ol",
        "tr",
        "dl",
        "figure",
        "main",
    }
)


def _element_text(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _link_chars(element: HtmlElement) -> int:
    return _chars("".join(_LINK_TEXT(element)))


def _blocks(root: HtmlElement) -> list[_Block]:
    """Leaf text blocks of a (readability) tree, in document order, with their link share."""
    blocks: list[_Block] = []
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str) or tag not in _BLOCK_TAGS:
            continue
        has_block_child = any(
            isinstance(child.tag, str) and child.tag in _BLOCK_TAGS
            for child in element.iterdescendants()
        )
        if has_block_child:
            # text directly inside a container (between its block children)
            own = (element.text or "") + "".join(child.tail or "" for child in element)
            own = " ".join(own.split())
            if own:
                blocks.append(_Block(own, 0.0, tag))
            continue
        text = _element_text(element)
        if not text:
            continue
        linked = _link_chars(element)
        blocks.append(_Block(text, min(1.0, linked / max(_chars(text), 1)), tag))
    return blocks


# --- what the page says about itself -----------------------------------------------------
_LINK_TEXT = lxml.etree.XPath(".//a//text()", smart_strings=False)
#: Containers that hold comments, related links or navigation by the page's own markup:
#: HTML5 sectioning for side content, the comment/discussion containers of common CMSs
#: (an id or class token, so "commentary" is not one), and lists or boxes of links.
_COMMENT_MARK = re.compile(
    r"[\s_-](?:comments?|comment-?list|disqus(?:_thread)?|respond|replies|talkback)[\s_-]",
    re.IGNORECASE,
)
# Walks of the tree in XPath 1.0 without extension functions (those call back into
# Python for every element); the comment test is a coarse substring test on the
# attribute axis, refined by _COMMENT_MARK.
_MARKS = ("omment", "isqus", "espond", "alkback", "eplies")
_BOILER_CANDIDATES = lxml.etree.XPath(
    "//*[self::aside or self::nav or self::footer"
    " or ((self::ul or self::ol) and count(li) >= 3)"
    # boxes of links, the links as children, grandchildren (a <ul> of <li><a>, a <td>
    # of <p><a>) or great-grandchildren (<div><div class=item><h3><a>)
    " or count(a) >= 4 or count(*/a) >= 4 or count(*/*/a) >= 4]"
)
#: The comment test alone, on the attribute axis (cheaper than testing every element),
#: with the schema.org body mark in the same walk.
_MARKED_ATTRIBUTES = lxml.etree.XPath(
    "//@id[" + " or ".join(f"contains(., '{m}')" for m in _MARKS) + "]"
    " | //@class[" + " or ".join(f"contains(., '{m}')" for m in _MARKS) + "]"
    " | //@itemprop[. = 'articleBody']"
)
_SIDE_TAGS = frozenset({"aside", "nav", "footer"})
_TAGS = re.compile(r"<[^>]{0,2000}>")
_BLOCK_END = re.compile(r"<(?:br|/p|/div|/li|/h[1-6]|/blockquote)\b[^>]{0,200}>", re.IGNORECASE)


@dataclass
class _Page:
    """Facts read from the parsed page, which every step shares (one parse)."""

    tree: HtmlElement
    links: LinkIndex
    declared_body: str  # JSON-LD articleBody, tags removed ("" when absent)
    marked_body_chars: int  # text length of the itemprop=articleBody element
    comment_marked: list[HtmlElement]  # elements whose id or class may name a comment section
    _boiler: list[str] | None = None
    _comments: list[str] | None = None

    @property
    def reference_chars(self) -> int:
        """Length of the body the page itself declares (0 when it declares none)."""
        return max(len(self.declared_body), self.marked_body_chars)

    def comment_texts(self) -> list[str]:
        """Normalised texts of the page's comment containers (by id or class)."""
        if self._comments is None:
            self._comments = _container_texts(self.comment_marked)
        return self._comments

    def boiler(self, tuning: Tuning) -> list[str]:
        """Normalised texts of the page's comment, navigation and link-list containers."""
        if self._boiler is None:
            self._boiler = [*self.comment_texts(), *_boiler_texts(self.tree, tuning)]
        return self._boiler


def _read_page(tree: HtmlElement, meta: PageMetadata) -> _Page:
    comment_marked: list[HtmlElement] = []
    body_marked: list[HtmlElement] = []  # schema.org: what the publisher marks as the body
    for attribute in _MARKED_ATTRIBUTES(tree):
        owner = attribute.getparent()
        (body_marked if attribute.attrname == "itemprop" else comment_marked).append(owner)
    marked_chars = max((len(_element_text(e)) for e in body_marked[:3]), default=0)
    declared = ""
    if meta.article_body:  # plain text, or HTML: block ends become line breaks
        raw = _TAGS.sub("", _BLOCK_END.sub("\n", meta.article_body))
        lines = html_lib.unescape(raw).split("\n")
        declared = "\n".join(_lines(" ".join(line.split()) for line in lines))
    return _Page(tree, LinkIndex.from_tree(tree), declared, marked_chars, comment_marked)


def _container_texts(elements: Iterable[HtmlElement], keep: Any = None) -> list[str]:
    """Normalised texts of comment containers and of the elements ``keep`` accepts.

    In document order; a container inside the one taken just before is not
    taken again.
    """
    out: list[str] = []
    last = ""
    for element in elements:
        marked = bool(_COMMENT_MARK.search(f" {element.get('id', '')} {element.get('class', '')} "))
        if not marked and keep is None:
            continue
        text = element.text_content()
        if not text.strip() or text in last:
            continue
        if marked or keep(element, text):
            out.append(_norm(text))
            last = text
    return out


def _boiler_texts(tree: HtmlElement, tuning: Tuning) -> list[str]:
    def keep(element: HtmlElement, text: str) -> bool:
        return element.tag in _SIDE_TAGS or _link_chars(
            element
        ) >= tuning.boiler_min_link_share * _chars(text)

    return _container_texts(_BOILER_CANDIDATES(tree), keep)


def _drop_boiler(
    lines: list[str], page: _Page, tuning: Tuning, *, linked_only: bool = False
) -> tuple[list[str], int]:
    """Remove lines that sit in the page's comment, navigation or link-list containers.

    ``linked_only`` is for trafilatura's text: trafilatura removes ``<aside>``,
    ``<nav>`` and ``<footer>`` itself, and comment sections only when their id
    or class *starts* with "comment"; so every line is looked up in the page's
    comment containers, and only lines that are mostly link text in its lists
    and boxes of links (searched only when such a line exists).  A container
    that also holds the extract's longest line wraps the body (a page-wide
    ``<div class="has-comments">``) and is ignored; and when the lines found in
    such containers would be most of the extract, the extract is kept whole:
    the rule must never cost more than it wins.
    """
    if not lines:
        return lines, 0
    longest = _norm(max(lines, key=len))

    def usable(texts: list[str]) -> str:
        return "\n".join(text for text in texts if longest not in text)

    long_enough = [len(line) >= tuning.boiler_min_line_chars for line in lines]
    if linked_only:
        comments = usable(page.comment_texts())
        in_boxes = [
            ok
            and len(line) <= tuning.link_line_max_chars
            and page.links.share(line) >= tuning.boiler_min_link_share
            for ok, line in zip(long_enough, lines, strict=True)
        ]
    else:
        comments, in_boxes = "", long_enough
    boxes = usable(page.boiler(tuning)) if any(in_boxes) else ""
    if not (comments or boxes):
        return lines, 0
    kept: list[str] = []
    dropped = 0
    for line, ok, boxed in zip(lines, long_enough, in_boxes, strict=True):
        norm = _norm(line) if ok else ""
        if norm and ((comments and norm in comments) or (boxed and boxes and norm in boxes)):
            dropped += len(line)
            continue
        kept.append(line)
    if dropped > tuning.boiler_max_drop_share * sum(len(line) for line in lines):
        return lines, 0
    return kept, dropped


def _container_key(element: HtmlElement) -> tuple[str, str, str] | None:
    parent = element.getparent()
    if parent is None or not (parent.get("class") or parent.get("id")):
        return None  # an anonymous container says nothing about belonging together
    return (str(parent.tag), parent.get("class") or "", parent.get("id") or "")


#: Text holders for the prose check: paragraphs, elements that break text with <br>
#: (older layouts write the body as one <div> or <td> of lines) and <div>s that hold
#: text but no blocks (bodies written as a <div> per paragraph).
_PROSE_HOLDERS = lxml.etree.XPath(
    "//p | //*[br][not(self::p)]"
    " | //div[not(div | p | section | article | table | ul | ol | br)][normalize-space()]"
)


@dataclass
class _Coverage:
    """How much of the page's prose the first pass holds."""

    missing_chars: int = 0  # prose text the first pass lacks
    same_container: list[int] = field(default_factory=list)  # ... beside paragraphs it has


def _coverage(
    tree: HtmlElement, norm_text: str, tuning: Tuning, *, min_chars: int, p_only: bool = False
) -> _Coverage:
    """Prose blocks (``min_chars`` or longer, little link text) missing from the first pass.

    Publishers cut long articles into several containers of the same kind
    (an ad or a "read more" box between them); trafilatura then keeps the
    first.  The sign of that: missing prose paragraphs whose parent has the
    same tag, class and id as the parent of paragraphs it has.
    """
    covered_keys: set[tuple[str, str, str]] = set()
    missing: list[tuple[tuple[str, str, str] | None, int]] = []
    total = 0
    for element in tree.iter("p") if p_only else _PROSE_HOLDERS(tree):
        text = _element_text(element)
        if len(text) < min_chars:
            continue
        key = _container_key(element) if element.tag == "p" else None
        if _norm(text) in norm_text:
            if key is not None:
                covered_keys.add(key)
        elif _link_chars(element) <= tuning.prose_max_link_share * _chars(text):
            total += len(text)
            missing.append((key, len(text)))
    same = [n for key, n in missing if key is not None and key in covered_keys]  # p only
    return _Coverage(total, same)


#: What readability drops before scoring: hidden elements.
_HIDDEN = lxml.etree.XPath(
    "//*[@hidden] | //*[contains(translate(@style, 'DISPLAYNOE ', 'displaynoe'), 'display:none')]"
)


class _TreeReadability:
    """readability-lxml on the already parsed tree, its result kept as a tree.

    ``Document.summary()`` serialises its result to HTML, which would have to
    be parsed again; the subclass keeps the element instead (readability only
    needs a length from ``get_clean_html``, for its retry rule, and gets the
    text's).  It works on a copy (readability mutates what it reads), made
    without lxml's Cleaner.
    """

    _cls: Any = None

    @classmethod
    def run(cls, tree: HtmlElement) -> HtmlElement | None:
        if cls._cls is None:
            from readability import Document

            class _Document(Document):  # type: ignore[misc]
                node: HtmlElement | None = None

                def _parse(self, tree: HtmlElement) -> HtmlElement:
                    # readability's own _parse runs lxml's Cleaner, which copies the
                    # tree and walks it in Python; for text, dropping what is never
                    # text (in C) is enough.  A copy per call, as readability parses
                    # afresh for its lenient retry.
                    doc = copy.deepcopy(tree)
                    for element in _HIDDEN(doc):
                        element.drop_tree()
                    lxml.etree.strip_elements(
                        doc,
                        "script",
                        "style",
                        "link",
                        lxml.etree.Comment,
                        lxml.etree.ProcessingInstruction,
                        with_tail=False,
                    )
                    return doc

                def get_clean_html(self) -> str:
                    self.node = self.html
                    return self.html.text_content() if self.html is not None else ""

            cls._cls = _Document
        try:
            document = cls._cls(tree)  # no url: making links absolute costs and changes no text
            document.summary(html_partial=True)
        except Exception as exc:  # readability raises on unusual pages: no second opinion then
            log.debug("readability failed: %s", exc)
            return None
        return document.node


def _readability_blocks(tree: HtmlElement) -> list[_Block]:
    node = _TreeReadability.run(tree)
    return _blocks(node) if node is not None else []


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


def _lines(text: str | Iterable[str]) -> list[str]:
    parts = text.split("\n") if isinstance(text, str) else text
    return [line.strip() for line in parts if line.strip()]


def _lacks_body(text: str, page: _Page, tuning: Tuning) -> bool:
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
    coverage = _coverage(page.tree, _norm(text), tuning, min_chars=tuning.short_prose_min_chars)
    needed = max(tuning.prose_min_chars, (tuning.replace_min_ratio - 1) * len(text))
    return coverage.missing_chars >= needed


def _first_pass(page: _Page, url: str | None, tuning: Tuning) -> _Draft:
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
            return _Draft(_lines(slow), EXTRACTOR, ["trafilatura fallbacks"])
    return _Draft(_lines(text))


def _second_opinion(draft: _Draft, page: _Page, tuning: Tuning) -> _Draft:
    """Consult readability when the first pass is short or misses much of the page's prose."""
    text = "\n".join(draft.lines)
    norm_text = _norm(text)
    short = _lacks_body(text, page, tuning)
    if not short:
        if len(text) < tuning.short_text_chars:
            return draft  # a short article that is all the page has
        coverage = _coverage(
            page.tree, norm_text, tuning, min_chars=tuning.prose_min_chars, p_only=True
        )
        same = coverage.same_container
        if not (
            len(same) >= tuning.tail_min_prose_blocks
            and sum(same) >= tuning.tail_min_gain * len(text)
        ):
            return draft

    blocks = _readability_blocks(page.tree)
    if not blocks:
        return draft

    if short:
        kept = [b.text for b in blocks if b.link_share <= tuning.prose_max_link_share]
        kept, _ = _drop_boiler(kept, page, tuning)
        has_prose = any(b.is_prose(tuning) for b in blocks)
        if has_prose and sum(len(t) for t in kept) >= tuning.replace_min_ratio * max(len(text), 1):
            return _Draft(kept, EXTRACTOR_WITH_FALLBACK, [*draft.notes, "replaced"])
        return draft

    # extend: readability's prose after the last block the first pass already has
    matched = [i for i, b in enumerate(blocks) if len(b.text) >= 40 and _norm(b.text) in norm_text]
    if not matched:
        return draft
    tail: list[str] = []
    short_run = 0
    for block in blocks[matched[-1] + 1 :]:
        if block.is_prose(tuning):
            if _norm(block.text) in norm_text:
                continue
            tail.append(block.text)
            short_run = 0
        else:
            short_run += 1
            if short_run > tuning.tail_max_short_run:
                break
    tail, _ = _drop_boiler(tail, page, tuning)
    gain = sum(len(t) for t in tail)
    if len(tail) >= tuning.tail_min_prose_blocks and gain >= tuning.tail_min_gain * len(text):
        return _Draft(draft.lines + tail, EXTRACTOR_WITH_FALLBACK, [*draft.notes, "extended"])
    return draft


def _declared_body(draft: _Draft, page: _Page, tuning: Tuning) -> _Draft:
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
    return _Draft(_lines(declared), EXTRACTOR_DECLARED, [*draft.notes, "declared body"])


def _rescue(
    body: str,
    extractor: str,
    raw_lines: list[str],
    page: _Page,
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
    node = _TreeReadability.run(page.tree)
    if node is not None:
        text = "\n".join(b.text for b in _blocks(node)).strip()
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
        if html.lstrip()[:8].startswith(_BINARY_MAGIC):
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
    if _NOT_HTML_ROOT.match(text[:5000]):
        return _failed(Outcome.NOT_HTML, "an XML feed or SVG document, not an HTML page")
    if not looks_like_html(text):
        return _failed(Outcome.NOT_HTML, "no HTML markup found")
    tree = _parse(text)
    if tree is None:
        return _failed(Outcome.NOT_HTML, "the document could not be parsed as HTML")
    meta = read_metadata(tree, url)
    tuning = cfg.tuning
    page = _read_page(tree, meta)

    draft = _first_pass(page, url, tuning)
    draft = _second_opinion(draft, page, tuning)
    draft = _declared_body(draft, page, tuning)
    raw_lines = _lines(strip_control_chars("\n".join(draft.lines)))
    lines = raw_lines
    if draft.extractor != EXTRACTOR_DECLARED:  # the publisher's own body has no boxes
        lines, _ = _drop_boiler(lines, page, tuning, linked_only=draft.extractor == EXTRACTOR)
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
    from ingest.language import warm_up as warm_language

    warm_language()
    page = (
        "<html><head><title>t</title></head><body><article><p>"
        + "Warm-up text for the extractor. " * 20
        + "</p></article></body></html>"
    )
    extract_article(page, settings=ExtractionSettings())
    import readability  # noqa: F401  (imported lazily on the fallback path)
