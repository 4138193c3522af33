"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org) mapped onto feedparser's result shape.

feedparser 6.0.x reads only XML.  Rather than a second normaliser, a JSON
Feed document is turned into the dictionary ``feedparser.parse`` would return
for the equivalent RSS/Atom (``version``, ``feed``, ``entries``, with the same
key names: ``id``, ``link``, ``title``, ``summary``, ``content``,
``published``/``published_parsed``, ``authors``, ``tags``, ``enclosures``), so
:mod:`ingest.feed_parser` applies one set of rules to both: the same keys, size caps,
date checks and text cleaning.  ``content_html`` goes through feedparser's own
HTML sanitiser, as HTML in an XML feed does.

Field mapping (version 1.1, with the 1.0 forms it replaced):

=====================  ==========================================================
JSON Feed              feedparser shape
=====================  ==========================================================
``version``            ``version``: ``json1`` / ``json11`` (feedparser 6.1's names)
``title``              ``feed.title`` (plain text)
``home_page_url``      ``feed.link``
``feed_url``           ``feed.links`` ``rel=self``
``language`` (1.1)     ``feed.language``
``authors``/``author`` ``feed.authors``; an item without authors takes these (1.1 rule)
item ``id``            ``id`` (numbers, which 1.0 feeds use, as text)
item ``url``           ``link``; else ``external_url`` (a link post)
item ``title``         ``title`` (plain text)
item ``summary``       ``summary`` (plain text)
item ``content_html``  ``content`` ``text/html`` (sanitised); ``content_text`` as ``text/plain``
``date_published``     ``published`` + ``published_parsed`` (feedparser's date parser)
``date_modified``      ``updated`` + ``updated_parsed``
``tags``               ``tags`` ``[{term}]``
``attachments``        ``enclosures`` ``[{href, type, length}]``
=====================  ==========================================================

An item that is not a JSON object is counted (``not_an_object``), never silently
dropped.
"""

from __future__ import annotations

import json
import re
from typing import Any

# feedparser's own date parser and HTML sanitiser, so a JSON Feed's dates and HTML
# are read exactly as an XML feed's are (module-level names of feedparser 6.x,
# pinned in constraints.txt).
from feedparser.datetimes import _parse_date
from feedparser.sanitizer import _sanitize_html

__all__ = ["JsonFeedError", "looks_like_json", "parse_json_feed"]

_VERSION = re.compile(r"^https?://jsonfeed\.org/version/(\d+)(?:\.(\d+))?/?$", re.IGNORECASE)
_PLAIN = {"type": "text/plain"}


class JsonFeedError(ValueError):
    """The text is not JSON, or JSON that is not a JSON Feed."""


def looks_like_json(text: str) -> bool:
    """True when the document is a JSON object (the only JSON a feed can be)."""
    return text.lstrip()[:1] == "{"


def _text(value: Any) -> str | None:
    """A string field; numbers as text (1.0 feeds use numeric ids); anything else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | float):
        return str(value)
    return None


def _date(entry: dict[str, Any], key: str, value: Any) -> None:
    raw = _text(value)
    if raw:
        entry[key] = raw
        entry[f"{key}_parsed"] = _parse_date(raw)


def _authors(item: dict[str, Any]) -> list[dict[str, str]]:
    raw = item.get("authors")
    if not isinstance(raw, list):
        raw = [item["author"]] if isinstance(item.get("author"), dict) else []
    authors = []
    for author in raw:
        if isinstance(author, dict):
            name = _text(author.get("name"))
            url = _text(author.get("url"))
            if name or url:
                authors.append({k: v for k, v in (("name", name), ("href", url)) if v})
    return authors


def _tags(item: dict[str, Any]) -> list[dict[str, str]]:
    tags = item.get("tags")
    if not isinstance(tags, list):
        return []
    return [{"term": t} for t in (_text(tag) for tag in tags) if t]


def _enclosures(item: dict[str, Any]) -> list[dict[str, str]]:
    attachments = item.get("attachments")
    if not isinstance(attachments, list):
        return []
    enclosures = []
    for attachment in attachments:
        if not isinstance(attachment, dict):
            continue
        href = _text(attachment.get("url"))
        if href:
            enclosure = {"href": href}
            for key, source in (("type", "mime_type"), ("length", "size_in_bytes")):
                value = _text(attachment.get(source))
                if value:
                    enclosure[key] = value
            enclosures.append(enclosure)
    return enclosures


def _entry(item: dict[str, Any], feed_authors: list[dict[str, str]]) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    guid = _text(item.get("id"))
    if guid:
        entry["id"] = guid
    link = _text(item.get("url")) or _text(item.get("external_url"))
    if link:
        entry["link"] = link
    for key in ("title", "summary"):
        value = _text(item.get(key))
        if value:
            entry[key] = value
            entry[f"{key}_detail"] = _PLAIN
    content = []
    html = _text(item.get("content_html"))
    if html:
        content.append({"value": _sanitize_html(html, "utf-8", "text/html"), "type": "text/html"})
    text = _text(item.get("content_text"))
    if text:
        content.append({"value": text, "type": "text/plain"})
    if content:
        entry["content"] = content
    _date(entry, "published", item.get("date_published"))
    _date(entry, "updated", item.get("date_modified"))
    authors = _authors(item) or feed_authors
    if authors:
        entry["authors"] = authors
    tags = _tags(item)
    if tags:
        entry["tags"] = tags
    enclosures = _enclosures(item)
    if enclosures:
        entry["enclosures"] = enclosures
    return entry


def parse_json_feed(text: str) -> dict[str, Any]:
    """A JSON Feed document as feedparser's result dictionary.

    Besides ``version``, ``feed`` and ``entries`` the result holds ``warnings``
    (list of str) and ``not_objects`` (items that are not JSON objects).
    Raises :class:`JsonFeedError` when the text is not JSON or not a JSON Feed.
    """
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise JsonFeedError(f"not valid JSON ({type(exc).__name__}: {exc})"[:300]) from exc
    if not isinstance(document, dict):
        raise JsonFeedError("JSON, but not an object")
    warnings: list[str] = []
    raw_version = _text(document.get("version"))
    match = _VERSION.match(raw_version or "")
    items = document.get("items")
    if match:
        version = "json" + match[1] + (match[2] or "").rstrip("0")
        if version not in ("json1", "json11"):
            warnings.append(f"unknown JSON Feed version {raw_version}; read as 1.1")
    elif isinstance(items, list):
        version = None
        warnings.append("JSON with items but no jsonfeed.org version; read as JSON Feed")
    else:
        raise JsonFeedError("JSON, but not a JSON Feed (no jsonfeed.org version, no items)")
    if items is None:
        items = []
    elif not isinstance(items, list):
        warnings.append("items is not a list; no entries read")
        items = []

    feed: dict[str, Any] = {}
    for key, target in (("title", "title"), ("home_page_url", "link"), ("language", "language")):
        value = _text(document.get(key))
        if value:
            feed[target] = value
    if "title" in feed:
        feed["title_detail"] = _PLAIN
    feed_url = _text(document.get("feed_url"))
    if feed_url:
        feed["links"] = [{"rel": "self", "href": feed_url}]
    feed_authors = _authors(document)
    if feed_authors:
        feed["authors"] = feed_authors

    entries = [_entry(item, feed_authors) for item in items if isinstance(item, dict)]
    return {
        "version": version,
        "feed": feed,
        "entries": entries,
        "warnings": warnings,
        "not_objects": len(items) - len(entries),
    }
