"""Article metadata read from the page head: title, time, canonical URL, site, authors.

trafilatura's own metadata keeps the publication *day* only (htmldate), but the
warehouse orders events within a day and converts between time zones, so this
module reads the machine-readable fields itself, in the order publishers fill
them most reliably:

* Open Graph / article tags (``og:title``, ``og:url``, ``og:site_name``,
  ``article:published_time``), which nearly every news CMS emits;
* schema.org JSON-LD (``NewsArticle`` and friends: ``headline``,
  ``datePublished``, ``author``, ``publisher``), including ``@graph`` lists;
* microdata (``itemprop="datePublished"``), ``<time datetime>`` inside the
  article, ``<meta name="date">``, Dublin Core and the Parsely/Sailthru tags;
* the ``<title>`` element (with the `` | Site`` suffix removed) and ``<h1>``.

Times are returned *aware*.  A value with a time but no zone is read as UTC
(publishers that omit the zone mostly mean UTC, and a consistent rule beats a
guess); a value with a date only becomes midnight UTC and is used only when no
field gives a time.  Nothing here raises on bad markup: a field that cannot be
read is ``None``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from ingest.postclean import strip_control_chars

__all__ = ["PageMetadata", "parse_datetime", "read_metadata"]

log = logging.getLogger(__name__)

#: schema.org types whose ``datePublished``/``headline`` describe the page's article.
ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "askpublicnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "scholarlyarticle",
        "techarticle",
        "report",
        "webpage",
    }
)

#: ``<meta>`` names/properties holding the publication time, best first.
PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "date",
    "og:published_time",
    "article.published",
    "originalpublicationdate",
)
MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified")

_WS = re.compile(r"\s+")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TITLE_SEPARATORS = re.compile(r"\s+[|\u2013\u2014•·:»-]\s+")
_BY_PREFIX = re.compile(r"^(?:by|von|par|por|di|door|av|af)\s+", re.IGNORECASE)
_MIN_YEAR = 1990


@dataclass(frozen=True)
class PageMetadata:
    title: str | None = None
    description: str | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    published_source: str | None = None  # which field gave the time (for debugging)
    canonical_url: str | None = None
    site_name: str | None = None
    html_lang: str | None = None  # <html lang>, a hint for very short texts
    article_body: str | None = None  # JSON-LD articleBody: the body as the publisher declares it


def _clean(value: Any, limit: int = 1000) -> str | None:
    if not isinstance(value, str):
        return None
    text = strip_control_chars(_WS.sub(" ", value)).strip()
    return text[:limit] or None


# --- dates -------------------------------------------------------------------
def parse_datetime(value: Any) -> tuple[datetime, bool] | None:
    """Parse an ISO-8601-like time; returns (aware datetime, has_time) or None.

    Accepts ``2024-12-02T22:35:00Z``, ``2024-12-02 22:35:00+0100``,
    ``2024-12-02T22:35:00.000-05:00``, ``20241202T223500Z`` and plain dates.
    Free-text dates (``2 Dec 2024``) go through dateutil.  Years before 1990
    or after 2100 are refused (placeholders like ``0001-01-01``).
    """
    text = _clean(value, 100)
    if not text:
        return None
    has_time = not _DATE_ONLY.match(text)
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        parsed = _parse_free_text(text)
        if parsed is None:
            return None
        has_time = bool(re.search(r"\d:\d\d", text))
    if parsed is None or not (_MIN_YEAR <= parsed.year <= 2100):
        return None
    offset = parsed.utcoffset() if parsed.tzinfo is not None else None
    # a plain fixed offset (dateutil's tzoffset/tzutc are replaced): simpler to store and compare
    zone = UTC if not offset else timezone(offset)
    return parsed.replace(tzinfo=zone), has_time


#: Zone abbreviations that name one offset (ambiguous ones such as IST or CST-China
#: are left out: a value using them is not trusted).
_TZ_ABBREVIATIONS = {
    "UTC": 0, "GMT": 0, "Z": 0, "UT": 0,
    "EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
    "MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
    "BST": 3600, "CET": 3600, "CEST": 2 * 3600, "EET": 2 * 3600, "EEST": 3 * 3600,
    "WET": 0, "WEST": 3600, "MSK": 3 * 3600, "JST": 9 * 3600, "KST": 9 * 3600,
    "AEST": 10 * 3600, "AEDT": 11 * 3600,
}  # fmt: skip


def _parse_free_text(text: str) -> datetime | None:
    """dateutil for the non-ISO spellings; an unknown zone name makes the value unusable."""
    import warnings

    from dateutil import parser as dateparser

    with warnings.catch_warnings():
        warnings.simplefilter("error", dateparser.UnknownTimezoneWarning)
        try:
            return dateparser.parse(text, fuzzy=False, tzinfos=_TZ_ABBREVIATIONS)
        except (ValueError, OverflowError, TypeError, dateparser.UnknownTimezoneWarning):
            return None


# --- JSON-LD -----------------------------------------------------------------
def _jsonld_items(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.iterfind(".//script[@type]"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            # CMSs emit trailing commas or raw newlines; one common repair, else skip
            try:
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", raw), strict=False)
            except ValueError:
                continue
        yield from _flatten_jsonld(data, depth=0)


def _flatten_jsonld(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _flatten_jsonld(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _flatten_jsonld(graph, depth + 1)
        main = data.get("mainEntity")
        if isinstance(main, dict):
            yield from _flatten_jsonld(main, depth + 1)


def _types(item: dict[str, Any]) -> set[str]:
    value = item.get("@type")
    values = value if isinstance(value, list) else [value]
    return {str(v).lower().rsplit("/", 1)[-1] for v in values if v}


def _names(value: Any) -> list[str]:
    """Names from a schema.org Person/Organization value (dict, list or string)."""
    out: list[str] = []
    values = value if isinstance(value, list) else [value]
    for item in values[:20]:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, list):
            name = name[0] if name else None
        text = _clean(name, 200)
        if text:
            out.append(text)
    return out


# --- meta tags ---------------------------------------------------------------
def _meta_index(tree: HtmlElement) -> dict[str, list[str]]:
    """All <meta> values by lower-case name/property/itemprop, in document order."""
    index: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if content is None:
            continue
        for attr in ("property", "name", "itemprop"):
            key = meta.get(attr)
            if key:
                index.setdefault(key.strip().lower(), []).append(content)
    return index


def _first(index: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        for value in index.get(key, ()):
            text = _clean(value)
            if text:
                return text
    return None


def _strip_site_suffix(title: str, site_name: str | None, *, guess: bool = True) -> str:
    """``Headline | Site`` -> ``Headline``.

    A part equal to the site name is dropped; otherwise, when ``guess`` is set
    (the ``<title>`` element, which nearly always carries the site), the
    longest part is kept.
    """
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    if len(parts) <= 1:
        return title
    if site_name:
        kept = [p for p in parts if p.lower() != site_name.lower()]
        if kept and len(kept) < len(parts):
            return title if len(kept) > 1 else kept[0]
    return max(parts, key=len) if guess else title


def _http_url(value: str | None, base: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    try:
        absolute = urljoin(base, value) if base else value
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return absolute


def _published_candidates(
    tree: HtmlElement, meta: dict[str, list[str]], article_items: list[dict[str, Any]]
) -> Iterator[tuple[str, Any]]:
    """(source, value) pairs, most reliable first; lazy, so the tree is searched only if needed."""
    for key in PUBLISHED_META[:2]:
        yield from ((key, v) for v in meta.get(key, ()))
    for item in article_items:
        for key in ("datePublished", "dateCreated", "uploadDate"):
            if item.get(key):
                yield f"json-ld {key}", item.get(key)
    for key in PUBLISHED_META[2:]:
        yield from ((key, v) for v in meta.get(key, ()))
    for node in tree.iterfind(".//*[@itemprop='datePublished']"):
        yield "itemprop", node.get("datetime") or node.get("content")
    times = list(tree.iterfind(".//article//time[@datetime]")) or list(
        tree.iterfind(".//time[@datetime]")
    )
    for node in sorted(times, key=lambda n: "pubdate" not in n.attrib)[:3]:
        yield "time", node.get("datetime")
    for key in MODIFIED_META:
        yield from ((key, v) for v in meta.get(key, ()))


def _published(
    tree: HtmlElement, meta: dict[str, list[str]], article_items: list[dict[str, Any]]
) -> tuple[datetime | None, str | None]:
    date_only: tuple[datetime, str] | None = None
    for source, value in _published_candidates(tree, meta, article_items):
        parsed = parse_datetime(value)
        if parsed is None:
            continue
        when, has_time = parsed
        if has_time:
            return when, source
        if date_only is None:
            date_only = (when, source)
    return date_only if date_only else (None, None)


def _unique(values: Iterable[str], limit: int = 10) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in values:
        text = _BY_PREFIX.sub("", value).strip(" ,;|")
        if not text or text.startswith(("http://", "https://")) or len(text) > 100:
            continue
        seen.setdefault(text.lower(), text)
    return tuple(seen.values())[:limit]


def read_metadata(tree: HtmlElement, url: str | None = None) -> PageMetadata:
    """Read :class:`PageMetadata` from a parsed page; ``url`` resolves relative links."""
    meta = _meta_index(tree)
    items = list(_jsonld_items(tree))
    article_items = [i for i in items if _types(i) & ARTICLE_TYPES]
    # the most specific article type first (WebPage is only a last resort)
    article_items.sort(key=lambda i: _types(i) <= {"webpage"})

    site_name = _first(meta, "og:site_name", "application-name", "twitter:site")
    if site_name and site_name.startswith("@"):
        site_name = site_name[1:] or None
    if not site_name:
        for item in article_items:
            names = _names(item.get("publisher"))
            if names:
                site_name = names[0]
                break
    if not site_name:
        for item in items:
            if _types(item) & {"organization", "newsmediaorganization", "website"}:
                names = _names(item)
                if names:
                    site_name = names[0]
                    break

    title = _first(meta, "og:title", "twitter:title")
    if title:
        title = _strip_site_suffix(title, site_name, guess=False)
    if not title:
        for item in article_items:
            title = _clean(item.get("headline") or item.get("name"))
            if title:
                break
    if not title:
        title_el = tree.find(".//title")
        raw = _clean(title_el.text_content()) if title_el is not None else None
        title = _strip_site_suffix(raw, site_name) if raw else None
    if not title:
        h1 = tree.find(".//h1")
        title = _clean(h1.text_content()) if h1 is not None else None

    description = _first(meta, "og:description", "description", "twitter:description")
    if not description:
        for item in article_items:
            description = _clean(item.get("description"))
            if description:
                break

    authors: list[str] = []
    for item in article_items:
        authors.extend(_names(item.get("author")))
        if authors:
            break
    if not authors:
        for key in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator"):
            for value in meta.get(key, ()):
                authors.extend(p for p in re.split(r"\s*(?:,|;|\band\b|&)\s*", value) if p)
            if authors:
                break
    if not authors:
        for node in list(tree.iterfind(".//*[@rel='author']"))[:5]:
            text = _clean(node.text_content(), 200)
            if text:
                authors.append(text)

    canonical = None
    for link in tree.iterfind(".//link[@rel]"):
        if "canonical" in (link.get("rel") or "").lower().split():
            canonical = _http_url(link.get("href"), url)
            if canonical:
                break
    if not canonical:
        canonical = _http_url(_first(meta, "og:url", "twitter:url"), url)

    published, source = _published(tree, meta, article_items)
    bodies = [b for b in (i.get("articleBody") for i in article_items) if isinstance(b, str)]

    lang = None
    root = tree.getroottree().getroot()
    raw_lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    if raw_lang:
        lang = raw_lang.strip().lower().replace("_", "-").split("-")[0] or None

    return PageMetadata(
        title=title,
        description=description,
        authors=_unique(authors),
        published_at=published,
        published_source=source,
        canonical_url=canonical,
        site_name=site_name,
        html_lang=lang,
        article_body=max(bodies, key=len) if bodies else None,
    )
