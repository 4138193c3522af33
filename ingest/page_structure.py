"""The structure of a parsed page: text blocks, boilerplate containers, readability's view.

What :mod:`ingest.extract` reads from the one lxml tree of a page besides its
metadata: the text blocks of a subtree (with their link text), the page's own
comment, navigation and link-list containers (whose lines are dropped from the
text, never more than half of it: :func:`drop_boiler`), where its prose lives
(:func:`prose_coverage`), and readability-lxml's candidate body run on the same tree
(:class:`TreeReadability`).
"""

from __future__ import annotations

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

from ingest.extraction_settings import Tuning
from ingest.metadata import PageMetadata
from ingest.postclean import LinkIndex

log = logging.getLogger(__name__)

_WORD = re.compile(r"\w+")


# --- parsing -------------------------------------------------------------------------
def parse_html(text: str) -> HtmlElement | None:
    from trafilatura.utils import load_html

    tree = load_html(text)
    if tree is None or len(tree) == 0:
        try:
            tree = lxml.html.document_fromstring(text)
        except (ValueError, lxml.etree.ParserError):
            return None
    return tree


def text_lines(text: str | Iterable[str]) -> list[str]:
    """The non-blank lines, stripped."""
    parts = text.split("\n") if isinstance(text, str) else text
    return [line.strip() for line in parts if line.strip()]


# --- text blocks ----------------------------------------------------------------------
def normalise_text(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _chars(text: str) -> int:
    """Length without white space (link shares compare like with like)."""
    return len(text) - sum(text.count(ws) for ws in (" ", "\n", "\t", "\r", "\xa0"))


@dataclass
class Block:
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


def text_blocks(root: HtmlElement) -> list[Block]:
    """Leaf text blocks of a (readability) tree, in document order, with their link share."""
    blocks: list[Block] = []
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
                blocks.append(Block(own, 0.0, tag))
            continue
        text = _element_text(element)
        if not text:
            continue
        linked = _link_chars(element)
        blocks.append(Block(text, min(1.0, linked / max(_chars(text), 1)), tag))
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
class Page:
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


def read_page(tree: HtmlElement, meta: PageMetadata) -> Page:
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
        declared = "\n".join(text_lines(" ".join(line.split()) for line in lines))
    return Page(tree, LinkIndex.from_tree(tree), declared, marked_chars, comment_marked)


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
            out.append(normalise_text(text))
            last = text
    return out


def _boiler_texts(tree: HtmlElement, tuning: Tuning) -> list[str]:
    def keep(element: HtmlElement, text: str) -> bool:
        return element.tag in _SIDE_TAGS or _link_chars(
            element
        ) >= tuning.boiler_min_link_share * _chars(text)

    return _container_texts(_BOILER_CANDIDATES(tree), keep)


def drop_boiler(
    lines: list[str], page: Page, tuning: Tuning, *, linked_only: bool = False
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
    longest = normalise_text(max(lines, key=len))

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
        norm = normalise_text(line) if ok else ""
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
class Coverage:
    """How much of the page's prose the first pass holds."""

    missing_chars: int = 0  # prose text the first pass lacks
    same_container: list[int] = field(default_factory=list)  # ... beside paragraphs it has


def prose_coverage(
    tree: HtmlElement, norm_text: str, tuning: Tuning, *, min_chars: int, p_only: bool = False
) -> Coverage:
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
        if normalise_text(text) in norm_text:
            if key is not None:
                covered_keys.add(key)
        elif _link_chars(element) <= tuning.prose_max_link_share * _chars(text):
            total += len(text)
            missing.append((key, len(text)))
    same = [n for key, n in missing if key is not None and key in covered_keys]  # p only
    return Coverage(total, same)


#: What readability drops before scoring: hidden elements.
_HIDDEN = lxml.etree.XPath(
    "//*[@hidden] | //*[contains(translate(@style, 'DISPLAYNOE ', 'displaynoe'), 'display:none')]"
)


class TreeReadability:
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

                def parse_html(self, tree: HtmlElement) -> HtmlElement:
                    # readability's own parse_html runs lxml's Cleaner, which copies the
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


def readability_blocks(tree: HtmlElement) -> list[Block]:
    node = TreeReadability.run(tree)
    return text_blocks(node) if node is not None else []
