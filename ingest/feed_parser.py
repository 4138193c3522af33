"""Feed documents (bytes) to normalised entries, safely.

feedparser does the parsing, but never sees anything except bytes in a
``BytesIO``: given a string or ``bytes`` it would happily treat them as a URL or
a local path (``feedparser.parse(b"/etc/passwd")`` reads the file), and it
fetches without a time-out.  Before feedparser runs, this module:

1. refuses bodies over ``max_bytes`` (the operator's ``NEWSFLOW_MAX_FEED_BYTES``);
2. decodes the bytes itself (:func:`ingest.feed_decoding.decode_feed`) and hands
   feedparser UTF-8.
   feedparser's own rules follow RFC 3023 to the letter: ``text/xml`` without a
   charset is US-ASCII and a body without any Content-Type is ISO-8859-1, so a
   UTF-8 feed with no declaration would come out as mojibake;
3. refuses documents whose DOCTYPE declares entities (``<!ENTITY``): a 170 KB
   feed with nested entities costs feedparser 29 s and 3.8 GB, and an external
   entity (``SYSTEM "file:///etc/passwd"``) is a file-disclosure attempt.  Real
   feeds do not declare entities, so refusing them loses nothing;
4. recognises an HTML page (error pages, "document moved", paywalls) as not a feed.

A document is then judged by feedparser's ``version`` and its entries, not by
``bozo`` (half of the real feeds are "bozo" for harmless reasons such as a
wrong Content-Type): no version and no entries means NOT_A_FEED; bozo
exceptions are kept in ``warnings``.

A JSON Feed (1.0, 1.1) is recognised by its first character and read by
:mod:`ingest.jsonfeed` into feedparser's result shape, so both kinds of
document go through the same normalisation below.

Entries are normalised into :class:`ingest.records.FeedEntry`, keyed by their
GUID, else their canonical link, else a hash of title and summary.  Items that
share that key are kept apart when they differ: two podcast episodes that
both link to the show's home page, or a GUID reused for a new episode, are
separate entries, and so are items without a GUID that share a link but not
the title.  Such items get the key plus a suffix made from the item itself
(``#enclosure=<hash>`` from its enclosure URL when that tells them apart, else
``#item=<hash>`` from GUID, link, enclosure and title), so a re-poll gives the
same keys, and an edited title keeps the key when an enclosure separates the
items; an item alone under its key keeps the plain key.  Items are one entry
only when they repeat each other (:func:`_identity`: the same GUID, link and
enclosure; without a GUID, the same link, enclosure and title): the **last**
occurrence is kept, at the position of the first, since a feed that repeats a
GUID with an edited title is showing the edit.  Every item of the document is an
entry or counted in :attr:`ingest.records.ParsedFeed.skipped` with its reason:
``repeated_item``, ``no_identity`` (no id, link, title or summary) and, in a
JSON Feed, ``not_an_object``.

Why one file of ~600 lines: every field of an entry is normalised here, and a
reviewer checking what a hostile feed can put in ``raw.feed_entries`` should
read one module; decoding (``feed_decoding``) and JSON Feed (``jsonfeed``) are
already apart.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import logging
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urljoin

import feedparser

from ingest.feed_decoding import BOMS, decode_feed, sniff_utf16_32
from ingest.jsonfeed import JsonFeedError, looks_like_json, parse_json_feed
from ingest.records import FeedEntry, Outcome, ParsedFeed
from ingest.urls import canonicalize_url

__all__ = [
    "MAX_KEY_BYTES",
    "MAX_SUMMARY_CHARS",
    "declares_entities",
    "decode_feed",
    "entry_hash",
    "looks_like_html",
    "parse_feed",
]

log = logging.getLogger(__name__)

#: The largest feed body parsed when the caller names no limit (the pipeline
#: passes its configured ``HttpOptions.max_feed_bytes``).
DEFAULT_MAX_FEED_BYTES = 10 * 1024 * 1024

#: Summaries longer than this are cut (the article body comes from the page;
#: a feed that ships full texts in ``content:encoded`` would otherwise store
#: every article twice).
MAX_SUMMARY_CHARS = 4000
#: Keys longer than this (UTF-8 bytes) are replaced by their hash: a B-tree
#: index entry holds at most about 2.7 KB, so a longer GUID would fail the load.
MAX_KEY_BYTES = 2000
#: Skip reasons in :attr:`ingest.records.ParsedFeed.skipped`.
SKIP_NO_IDENTITY = "no_identity"
SKIP_REPEATED = "repeated_item"
SKIP_NOT_OBJECT = "not_an_object"
#: Dates before this are impossible for a news item.
MIN_VALID_DATE = datetime(1990, 1, 1, tzinfo=UTC)
#: Dates further in the future than this are wrong (time-zone slips and
#: embargoed items stay within a day or two).
FUTURE_SLACK = timedelta(days=2)

_SY_PERIOD_S = {"hourly": 3600, "daily": 86400, "weekly": 7 * 86400, "monthly": 30 * 86400}
_SY_PERIOD_S["yearly"] = 365 * 86400

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(r"<[A-Za-z_]")
_ENTITY_DECL = re.compile(r"<!ENTITY", re.IGNORECASE)
_HTML_ROOT = re.compile(
    r"^\s*(?:<!--.*?-->\s*|<\?.*?\?>\s*|<!DOCTYPE[^>]*>\s*)*<(html|head|body)\b", re.I | re.S
)
_HTML_DOCTYPE = re.compile(r"^\s*(?:<\?.*?\?>\s*)?<!DOCTYPE\s+html", re.IGNORECASE)
_ALTERNATE_FEED = re.compile(
    r"<link\b[^>]*type=[\"']application/(?:rss|atom)\+xml[\"'][^>]*>", re.IGNORECASE
)
_HREF = re.compile(r"href=[\"']([^\"']+)[\"']", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SCRIPT_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|div|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section|article|hr|dd|dt)\b[^>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")
_MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^>]*)?/?>")
_SPACE = re.compile(r"\s+")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_RFC_DATE = re.compile(
    r"(?<!\d)(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(\d{2,4})(?!\d)",
    re.IGNORECASE,
)
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}


# ---------------------------------------------------------------------------
# Hostile and non-feed documents
# ---------------------------------------------------------------------------
def _prolog(text: str) -> str:
    """The text before the root element: where a DOCTYPE and its entities live."""
    match = _FIRST_ELEMENT.search(text)
    return text[: match.start()] if match else text


def declares_entities(body: bytes | str) -> bool:
    """True when the document's DOCTYPE declares entities (internal or external).

    Works on bytes in any ASCII-compatible encoding and on UTF-16/32 (decoded
    first); the search stops at the root element, where declarations end.
    """
    if isinstance(body, bytes):
        codec = next((c for bom, c in BOMS if body.startswith(bom)), None)
        codec = codec or sniff_utf16_32(body) or "latin-1"
        text = body.decode(codec, errors="ignore")
    else:
        text = body
    return bool(_ENTITY_DECL.search(_prolog(text)))


def looks_like_html(text: str) -> bool:
    """True for an HTML page: a root ``<html>``/``<head>``/``<body>`` or an HTML doctype."""
    head = text[:4096]
    return bool(_HTML_ROOT.match(head) or _HTML_DOCTYPE.match(head))


def _alternate_feeds(text: str, base: str) -> list[str]:
    links = []
    for tag in _ALTERNATE_FEED.findall(text[:200_000]):
        href = _HREF.search(tag)
        if href:
            links.append(urljoin(base, html.unescape(href[1])))
    return links


# ---------------------------------------------------------------------------
# Field cleaning
# ---------------------------------------------------------------------------
def _clean(value: Any) -> str | None:
    """Plain text: no control characters (PostgreSQL refuses NUL), one space."""
    if value is None:
        return None
    text = _CONTROL.sub(" ", str(value))
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates
    text = _SPACE.sub(" ", text).strip()
    return text or None


def _html_to_text(value: str) -> str:
    """Markup to text.  Twice when unescaping reveals markup (double-escaped feeds)."""
    for _ in range(2):
        value = _SCRIPT_STYLE.sub(" ", value)
        value = _BLOCK_TAG.sub(" ", value)
        value = _TAG.sub("", value)
        value = html.unescape(value)
        if not _MARKUP.search(value):
            break
    return value


def _text_field(entry: Mapping[str, Any], name: str) -> str | None:
    """A text construct, with HTML markup removed when feedparser says it is HTML."""
    value = entry.get(name)
    if value is None:
        return None
    detail = entry.get(f"{name}_detail") or {}
    kind = (detail.get("type") or "").lower()
    if "html" in kind or "xml" in kind or (not kind and _MARKUP.search(str(value))):
        value = _html_to_text(str(value))
    return _clean(value)


def _summary(entry: Mapping[str, Any]) -> str | None:
    summary = _text_field(entry, "summary")
    if not summary:
        for content in entry.get("content") or []:
            value = content.get("value")
            if value:
                kind = (content.get("type") or "").lower()
                markup = "html" in kind or _MARKUP.search(value)
                summary = _clean(_html_to_text(value) if markup else value)
                if summary:
                    break
    if summary and len(summary) > MAX_SUMMARY_CHARS:
        cut = summary.rfind(" ", 0, MAX_SUMMARY_CHARS)
        summary = summary[: cut if cut > MAX_SUMMARY_CHARS // 2 else MAX_SUMMARY_CHARS] + " …"
    return summary


def _unique(values: list[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value.casefold() not in {v.casefold() for v in seen}:
            seen[value] = None
    return tuple(seen)


def _authors(entry: Mapping[str, Any]) -> tuple[str, ...]:
    names: list[str] = []
    for author in entry.get("authors") or []:
        name = _clean(author.get("name") or author.get("email"))
        if name:
            names.append(name)
    if not names:
        name = _clean(entry.get("author"))
        if name:
            names.append(name)
    return _unique(names)


def _categories(entry: Mapping[str, Any]) -> tuple[str, ...]:
    terms = []
    for tag in entry.get("tags") or []:
        term = _clean(tag.get("term") or tag.get("label"))
        if term:
            terms.append(term)
    return _unique(terms)


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------
def _calendar_valid(raw: str) -> bool:
    """False when the raw string names a day that does not exist (Feb 30, year 0).

    feedparser's W3C-DTF handler normalises 2024-02-30 into March 1 and its
    RFC 822 handler gives up; both must end as "invalid", not as a wrong day.
    """
    for match in _ISO_DATE.finditer(raw):
        year, month, day = (int(g) for g in match.groups())
        return _is_date(year, month, day)
    match = _RFC_DATE.search(raw)
    if match:
        day, month, year = int(match[1]), _MONTHS[match[2][:3].lower()], int(match[3])
        if len(match[3]) == 2:
            year += 2000 if year < 50 else 1900
        elif len(match[3]) == 3:
            return False
        return _is_date(year, month, day)
    return True


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _entry_date(
    entry: Mapping[str, Any], now: datetime
) -> tuple[datetime | None, str | None, bool]:
    """``(published_at UTC, raw string, invalid)``: published, else updated, else created."""
    for key in ("published", "updated", "created"):
        raw = _clean(entry.get(key))
        if not raw:
            continue
        parsed = entry.get(f"{key}_parsed")
        if parsed is None or not _calendar_valid(raw):
            return None, raw, True
        try:
            when = datetime(*parsed[:6], tzinfo=UTC)
        except (ValueError, TypeError, OverflowError):
            return None, raw, True
        if when < MIN_VALID_DATE or when > now + FUTURE_SLACK:
            return None, raw, True
        return when, raw, False
    return None, None, False


# ---------------------------------------------------------------------------
# Entries
# ---------------------------------------------------------------------------
def entry_hash(
    title: str | None,
    link: str | None,
    summary: str | None,
    published: str | None,
    enclosure: str | None = None,
) -> str:
    """sha256 over the normalised fields: a different hash means the item was edited.

    The enclosure joins the payload only when there is one, so entries without
    one keep the hash they were stored with.
    """
    fields = [title, link, summary, published] + ([enclosure] if enclosure else [])
    payload = json.dumps(fields, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _digest(values: list[str | None]) -> str:
    return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode("utf-8")).hexdigest()


def _enclosure(entry: Mapping[str, Any], base: str) -> str | None:
    """The first enclosure's URL (``<enclosure>``, Atom ``rel=enclosure``, attachments)."""
    for enclosure in entry.get("enclosures") or []:
        href = _clean(enclosure.get("href") or enclosure.get("url"))
        if href:
            try:
                return urljoin(base, href) if base else href
            except ValueError:
                return href
    return None


def _link(entry: Mapping[str, Any], base: str) -> str | None:
    link = entry.get("link")
    if not link:
        for candidate in entry.get("links") or []:
            if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                link = candidate["href"]
                break
    link = _clean(link)
    if not link:
        return None
    try:
        return urljoin(base, link) if base else link
    except ValueError:
        return link


def _normalise_entry(entry: Mapping[str, Any], base: str, now: datetime) -> FeedEntry | None:
    guid = _clean(entry.get("id"))
    link = _link(entry, base)
    canonical = canonicalize_url(link) if link else None
    if canonical and not canonical.startswith(("http://", "https://")):
        canonical = None
    title = _text_field(entry, "title")
    summary = _summary(entry)
    published_at, published_raw, invalid = _entry_date(entry, now)
    enclosure = _enclosure(entry, base)
    if guid:
        key = guid
    elif canonical:
        key = canonical
    elif title or summary:
        digest = hashlib.sha256(f"{title or ''}\n{summary or ''}".encode()).hexdigest()
        key = "sha256:" + digest[:40]
    else:
        return None
    published = published_at.isoformat() if published_at else published_raw
    return FeedEntry(
        entry_key=key,
        guid=guid,
        link=link,
        canonical_url=canonical,
        title=title,
        summary=summary,
        authors=_authors(entry),
        categories=_categories(entry),
        published_at=published_at,
        published_raw=published_raw,
        date_invalid=invalid,
        entry_hash=entry_hash(title, canonical or link, summary, published, enclosure),
        enclosure_url=enclosure,
    )


def _identity(entry: FeedEntry) -> tuple[str | None, ...]:
    """What makes two items of one document one item.

    With a GUID: the same GUID, link and enclosure (the publisher says it is
    one item; a different title is its edit).  Without: the same link,
    enclosure and title.
    """
    title = None if entry.guid else entry.title
    return (entry.guid, entry.canonical_url or entry.link, entry.enclosure_url, title)


def _separate(group: list[FeedEntry]) -> list[FeedEntry]:
    """Distinct items sharing one key: each gets a suffix made from its own fields.

    The enclosure alone when it tells the items apart (stable when a title is
    edited), else the fields of :func:`_identity` (distinct by construction:
    that is how the items differ).
    """
    enclosures = [e.enclosure_url for e in group]
    if all(enclosures) and len(set(enclosures)) == len(group):
        return [
            replace(e, entry_key=f"{e.entry_key}#enclosure={_digest([e.enclosure_url])[:16]}")
            for e in group
        ]
    return [
        replace(e, entry_key=f"{e.entry_key}#item={_digest(list(_identity(e)))[:16]}")
        for e in group
    ]


def _capped(key: str) -> str:
    if len(key.encode("utf-8")) <= MAX_KEY_BYTES:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_entries(entries: list[FeedEntry]) -> tuple[list[FeedEntry], int]:
    """One entry per distinct item, each with a unique key: ``(entries, repeats)``.

    ``repeats`` counts the items dropped because they repeat another in every
    field of :func:`_identity` (the last occurrence is kept, at the first's place).
    """
    distinct: dict[tuple[str, tuple[str | None, ...]], FeedEntry] = {}
    for entry in entries:
        distinct[(entry.entry_key, _identity(entry))] = entry
    repeats = len(entries) - len(distinct)
    groups: dict[str, list[FeedEntry]] = {}
    for entry in distinct.values():
        groups.setdefault(entry.entry_key, []).append(entry)
    separated = {}
    for key, group in groups.items():
        if len(group) > 1:
            separated[key] = iter(_separate(group))
    keyed = []
    for entry in distinct.values():
        if entry.entry_key in separated:
            entry = next(separated[entry.entry_key])
        keyed.append(replace(entry, entry_key=_capped(entry.entry_key)))
    return keyed, repeats


def _ttl_seconds(feed: Mapping[str, Any]) -> int | None:
    """The feed's own polling hint: ``<ttl>`` minutes, or ``sy:updatePeriod/Frequency``."""
    hints: list[int] = []
    ttl = str(feed.get("ttl") or "").strip()
    if ttl.isdigit() and int(ttl) > 0:
        hints.append(int(ttl) * 60)
    period = str(feed.get("sy_updateperiod") or "").strip().lower()
    if period in _SY_PERIOD_S:
        frequency = str(feed.get("sy_updatefrequency") or "1").strip()
        times = int(frequency) if frequency.isdigit() and int(frequency) > 0 else 1
        hints.append(_SY_PERIOD_S[period] // times)
    return max(hints) if hints else None


def parse_feed(
    body: bytes,
    *,
    url: str,
    content_type: str | None = None,
    max_bytes: int | None = None,
    now: datetime | None = None,
) -> ParsedFeed:
    """Parse one fetched feed body (RSS, Atom, RDF or JSON Feed); never raises for bad input.

    ``url`` is the feed's (final) URL, used to resolve relative links.
    ``content_type`` is the HTTP Content-Type (its charset is used).
    ``max_bytes`` defaults to :data:`DEFAULT_MAX_FEED_BYTES`.  ``now`` bounds
    plausible dates (default: the current time).
    """
    limit = DEFAULT_MAX_FEED_BYTES if max_bytes is None else max_bytes
    if len(body) > limit:
        return ParsedFeed(
            outcome=Outcome.FEED_REFUSED,
            error=f"too large: {len(body)} bytes, over the limit of {limit}"
            " (NEWSFLOW_MAX_FEED_BYTES)",
        )
    if not body.strip():
        return ParsedFeed(outcome=Outcome.NOT_A_FEED, error="empty body")
    text, _encoding, warnings = decode_feed(body, content_type)
    if looks_like_json(text):
        result = _parse_json(text, content_type, warnings)
    else:
        result = _parse_xml(text, url, content_type, warnings)
    if isinstance(result, ParsedFeed):
        return result
    return _normalise(result, url, now or datetime.now(UTC), warnings)


def _parse_json(
    text: str, content_type: str | None, warnings: list[str]
) -> dict[str, Any] | ParsedFeed:
    try:
        result = parse_json_feed(text)
    except JsonFeedError as exc:
        return ParsedFeed(outcome=Outcome.NOT_A_FEED, error=str(exc))
    if content_type and not re.search(r"json|text/plain", content_type, re.I):
        warnings.append(f"a JSON Feed served as {content_type.split(';')[0].strip()}")
    warnings.extend(result["warnings"])
    return result


def _parse_xml(
    text: str, url: str, content_type: str | None, warnings: list[str]
) -> dict[str, Any] | ParsedFeed:
    if _ENTITY_DECL.search(_prolog(text)):
        return ParsedFeed(
            outcome=Outcome.FEED_REFUSED,
            error="refused: the document declares XML entities (<!ENTITY>), "
            "a known denial-of-service and file-disclosure vector; real feeds do not need them",
        )
    if looks_like_html(text):
        alternates = _alternate_feeds(text, url)
        hint = f"; the page links to feed(s): {', '.join(alternates[:5])}" if alternates else ""
        return ParsedFeed(outcome=Outcome.NOT_A_FEED, error=f"an HTML page, not a feed{hint}")
    if content_type and not re.search(r"xml|rss|atom|rdf|text/plain", content_type, re.I):
        warnings.append(f"served as {content_type.split(';')[0].strip()}, not an XML type")

    declaration = '<?xml version="1.0" encoding="utf-8"?>'
    if _XML_DECL.match(text):
        text = _XML_DECL.sub(declaration, text, count=1)
    utf8 = text.encode("utf-8", "replace")
    try:
        # No Content-Location: feedparser would resolve GUIDs (which it treats as
        # URIs) against it, so a key would change with the feed's address.
        # Links are resolved here instead (xml:base inside the document still applies).
        result = feedparser.parse(
            io.BytesIO(utf8), response_headers={"content-type": "application/xml; charset=utf-8"}
        )
    except Exception as exc:  # feedparser is robust, but a parser bug must not stop the batch
        log.warning("feedparser failed on %s: %s", url, exc)
        return ParsedFeed(outcome=Outcome.NOT_A_FEED, error=f"parser error: {exc!r}")

    if result.get("bozo"):
        exc = result.get("bozo_exception")
        warnings.append(f"{type(exc).__name__}: {exc}")
    if not result.get("version") and not result.get("entries"):
        reason = warnings[-1] if warnings else "no feed elements found"
        return ParsedFeed(
            outcome=Outcome.NOT_A_FEED,
            error=f"not recognised as RSS or Atom ({reason})",
            warnings=tuple(warnings),
        )
    if not result.get("version"):
        warnings.append("feed format not recognised, but entries were found")
    return result


def _self_link(feed: Mapping[str, Any]) -> str | None:
    for link in feed.get("links") or []:
        if link.get("rel") == "self" and link.get("href"):
            return _clean(link["href"])
    return None


def _normalise(
    result: Mapping[str, Any], url: str, now: datetime, warnings: list[str]
) -> ParsedFeed:
    """feedparser's result (or :mod:`ingest.jsonfeed`'s in its shape) to a ParsedFeed."""
    raw_entries = result.get("entries") or []
    skipped: Counter[str] = Counter()
    if result.get("not_objects"):
        skipped[SKIP_NOT_OBJECT] = result["not_objects"]
        warnings.append(f"{result['not_objects']} items are not JSON objects; skipped")
    normalised = []
    for raw in raw_entries:
        entry = _normalise_entry(raw, url, now)
        if entry is None:
            skipped[SKIP_NO_IDENTITY] += 1
        else:
            normalised.append(entry)
    entries, repeats = key_entries(normalised)
    if repeats:
        skipped[SKIP_REPEATED] = repeats
        warnings.append(
            f"{repeats} items repeat an earlier item (same GUID, or same link and title,"
            " with the same enclosure); the last occurrence is kept"
        )
    if skipped[SKIP_NO_IDENTITY]:
        warnings.append(
            f"{skipped[SKIP_NO_IDENTITY]} entries have no id, link, title or summary; skipped"
        )

    feed = result.get("feed") or {}
    site = _clean(feed.get("link"))
    language = _clean(feed.get("language"))
    return ParsedFeed(
        outcome=Outcome.OK,
        version=result.get("version") or None,
        title=_text_field(feed, "title"),
        site_url=urljoin(url, site) if site and url else site,
        feed_url=_self_link(feed),
        language=language.lower() if language else None,
        ttl_s=_ttl_seconds(feed),
        entries=tuple(entries),
        warnings=tuple(warnings),
        items_found=len(raw_entries) + int(result.get("not_objects") or 0),
        skipped={reason: n for reason, n in sorted(skipped.items()) if n},
    )
