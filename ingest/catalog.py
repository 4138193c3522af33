"""The feed catalogue: ``feeds.yaml`` and OPML in, ``raw.feeds`` rows out, health kept.

``feeds.yaml`` (see ``ingest/default_feeds.yaml`` for a commented example)::

    defaults:            # optional, applied to every feed
      language: en
      poll_interval: 15m
    feeds:
      - name: BBC World
        url: https://feeds.bbci.co.uk/news/world/rss.xml
        country: GBR      # ISO 3166-1 alpha-3 (alpha-2 accepted and converted)
        tags: [world, uk]
        poll_interval: 600    # seconds, or 90s / 15m / 2h / 1d
        enabled: true

A bare list of feeds (without ``feeds:``) is accepted too.  Every problem is
reported with its line number, all at once, before anything is written.

Feed URLs are normalised with :func:`ingest.urls.canonicalize_url` but keep
their query parameters (a feed URL is the user's choice), so the same feed
spelt twice is one row.

A feed that answered 410 Gone is disabled by :func:`record_feed_fetch`;
re-loading the catalogue does not silently re-enable it (``feeds add`` does,
as an explicit user action, with ``reenable=True``).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
import yaml

from ingest.feed_parser import declares_entities
from ingest.records import FeedEntry, FetchResult, Outcome, ParsedFeed
from ingest.schedule import ScheduleSettings, cache_max_age_s, is_success, next_due
from ingest.urls import canonicalize_url, host_of
from storage import feed_entries
from storage import feeds as feed_rows
from storage.feeds import FeedPoll, FeedRow, FeedValues
from storage.text import nul_free

__all__ = [
    "CatalogError",
    "FeedRow",
    "FeedSpec",
    "body_hash",
    "due_feeds",
    "entry_accounting",
    "list_feeds",
    "load_feeds_yaml",
    "normalise_country",
    "normalise_feed_url",
    "parse_duration",
    "parse_opml",
    "record_feed_fetch",
    "remove_feed",
    "spec_from_mapping",
    "upsert_entries",
    "upsert_feeds",
]

log = logging.getLogger(__name__)

MIN_POLL_INTERVAL_S = 60
MAX_POLL_INTERVAL_S = 7 * 86400
_FEED_KEYS = {"name", "url", "language", "country", "tags", "poll_interval", "enabled"}
_KEY_ALIASES = {"poll_interval_s": "poll_interval", "interval": "poll_interval", "tag": "tags"}
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_DURATION = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|m|min|mins|h|hr|hrs|d|day|days)?\s*$", re.I
)
_UNIT_S = {"s": 1, "sec": 1, "secs": 1, "m": 60, "min": 60, "mins": 60}
_UNIT_S |= {"h": 3600, "hr": 3600, "hrs": 3600, "d": 86400, "day": 86400, "days": 86400}
#: Codes in use that ISO 3166-1 has not (yet) assigned.
_EXTRA_COUNTRIES = {"XKX": "XKX", "XK": "XKX"}


class CatalogError(ValueError):
    """The catalogue cannot be loaded; the message lists every problem with its line."""


@dataclass(frozen=True)
class FeedSpec:
    """One feed as the user declares it."""

    name: str
    url: str
    language: str | None = None
    country: str | None = None
    tags: tuple[str, ...] = ()
    poll_interval_s: int = 900
    enabled: bool = True


# ---------------------------------------------------------------------------
# Validation helpers
# ---------------------------------------------------------------------------
def parse_duration(value: Any) -> int:
    """Seconds from ``600``, ``"600"``, ``"90s"``, ``"15m"``, ``"2h"`` or ``"1d"``."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ValueError(f"not a duration: {value!r} (use seconds or 90s, 15m, 2h, 1d)")
        seconds = float(match[1]) * _UNIT_S[(match[2] or "s").lower()]
    if not MIN_POLL_INTERVAL_S <= seconds <= MAX_POLL_INTERVAL_S:
        raise ValueError(
            f"poll interval {value!r} is outside {MIN_POLL_INTERVAL_S}s..{MAX_POLL_INTERVAL_S}s"
        )
    return int(seconds)


def normalise_country(value: Any) -> str:
    """ISO 3166-1 alpha-3 from an alpha-2 or alpha-3 code (``gb`` -> ``GBR``)."""
    import pycountry

    code = str(value).strip().upper()
    if code in _EXTRA_COUNTRIES:
        return _EXTRA_COUNTRIES[code]
    country = None
    if len(code) == 2:
        country = pycountry.countries.get(alpha_2=code)
    elif len(code) == 3:
        country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise ValueError(f"unknown country code {value!r} (use ISO 3166-1 alpha-3, e.g. GBR)")
    return str(country.alpha_3)


def normalise_feed_url(url: Any) -> str:
    """A feed URL in canonical spelling; ValueError when it is not http(s)."""
    text = str(url or "").strip()
    canonical = canonicalize_url(text, strip_tracking=False)
    if not canonical.startswith(("http://", "https://")) or not host_of(canonical):
        raise ValueError(f"not an http(s) URL: {text!r}")
    return canonical


def _normalise_language(value: Any) -> str:
    text = str(value).strip()
    if not _LANGUAGE.match(text):
        raise ValueError(f"not a language tag: {value!r} (use e.g. en, pt-BR)")
    primary, _, rest = text.partition("-")
    return primary.lower() + ("-" + rest if rest else "")


def _normalise_tags(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise ValueError(f"tags must be a list of words, got {value!r}")
    tags: dict[str, None] = {}
    for item in items:
        if not isinstance(item, str | int | float) or isinstance(item, bool):
            raise ValueError(f"tag {item!r} is not a word")
        tag = str(item).strip()
        if tag:
            tags[tag] = None
    return tuple(tags)


def spec_from_mapping(raw: dict[str, Any], defaults: dict[str, Any] | None = None) -> FeedSpec:
    """A validated FeedSpec from one mapping (keys as in feeds.yaml); ValueError names the
    first bad field."""
    merged = {**(defaults or {}), **{_KEY_ALIASES.get(k, k): v for k, v in raw.items()}}
    if "url" not in merged or merged["url"] in (None, ""):
        raise ValueError("'url' is required")
    url = normalise_feed_url(merged["url"])
    name = merged.get("name")
    name = str(name).strip() if name not in (None, "") else host_of(url)
    enabled = merged.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ValueError(f"'enabled' must be true or false, got {enabled!r}")
    return FeedSpec(
        name=name,
        url=url,
        language=_normalise_language(merged["language"]) if merged.get("language") else None,
        country=normalise_country(merged["country"]) if merged.get("country") else None,
        tags=_normalise_tags(merged.get("tags")),
        poll_interval_s=parse_duration(merged.get("poll_interval", 900)),
        enabled=enabled,
    )


# ---------------------------------------------------------------------------
# feeds.yaml
# ---------------------------------------------------------------------------
def _read_source(path_or_text: str | Path) -> tuple[str, str]:
    """``(text, label for messages)``: a Path or an existing file name is read."""
    if isinstance(path_or_text, Path):
        return path_or_text.read_text(encoding="utf-8"), str(path_or_text)
    text = str(path_or_text)
    if "\n" not in text and text.strip().endswith((".yaml", ".yml")):
        path = Path(text.strip()).expanduser()
        if not path.exists():
            raise CatalogError(f"{path}: no such file")
        return path.read_text(encoding="utf-8"), str(path)
    if "\n" not in text and ":" not in text and Path(text).expanduser().is_file():
        return Path(text).expanduser().read_text(encoding="utf-8"), text
    return text, "<feeds.yaml>"


def _plain_mapping(node: yaml.MappingNode, constructor: yaml.SafeLoader) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = str(constructor.construct_object(key_node, deep=True))
        result[_KEY_ALIASES.get(key, key)] = constructor.construct_object(value_node, deep=True)
    return result


def load_feeds_yaml(path_or_text: str | Path) -> list[FeedSpec]:
    """Parse and validate a ``feeds.yaml``; CatalogError lists every problem with its line."""
    text, label = _read_source(path_or_text)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark, context = exc.problem_mark, exc.context_mark
        where = f"{label}:{mark.line + 1}" if mark else label
        since = f" (in the block that starts at line {context.line + 1})" if context else ""
        raise CatalogError(f"{where}: not valid YAML: {exc.problem or exc}{since}") from exc
    except yaml.YAMLError as exc:
        raise CatalogError(f"{label}: not valid YAML: {exc}") from exc
    if root is None:
        return []
    constructor = yaml.SafeLoader("")
    errors: list[str] = []
    defaults: dict[str, Any] = {}
    feed_nodes: yaml.Node | None = root
    if isinstance(root, yaml.MappingNode):
        top = {str(k.value): (k, v) for k, v in root.value}
        for key, (key_node, _) in top.items():
            if key not in {"feeds", "defaults"}:
                errors.append(f"{label}:{key_node.start_mark.line + 1}: unknown key {key!r}")
        if "defaults" in top:
            node = top["defaults"][1]
            if isinstance(node, yaml.MappingNode):
                defaults = _plain_mapping(node, constructor)
                for key in set(defaults) - _FEED_KEYS - {"url", "name"}:
                    errors.append(f"{label}:{node.start_mark.line + 1}: unknown default {key!r}")
            else:
                errors.append(f"{label}:{node.start_mark.line + 1}: 'defaults' must be a mapping")
        feed_nodes = top["feeds"][1] if "feeds" in top else None
    if feed_nodes is None or (
        isinstance(feed_nodes, yaml.ScalarNode) and feed_nodes.value in ("", "~", "null")
    ):
        if errors:
            raise CatalogError("\n".join(errors))
        return []
    if not isinstance(feed_nodes, yaml.SequenceNode):
        line = feed_nodes.start_mark.line + 1
        raise CatalogError(f"{label}:{line}: expected a list of feeds under 'feeds:'")

    specs: list[FeedSpec] = []
    seen: dict[str, int] = {}
    for index, node in enumerate(feed_nodes.value, 1):
        line = node.start_mark.line + 1
        where = f"{label}:{line}: feed {index}"
        if not isinstance(node, yaml.MappingNode):
            errors.append(f"{where}: expected a mapping with at least 'url'")
            continue
        try:
            raw = _plain_mapping(node, constructor)
        except yaml.YAMLError as exc:
            errors.append(f"{where}: {exc}")
            continue
        unknown = sorted(set(raw) - _FEED_KEYS)
        if unknown:
            errors.append(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}")
            continue
        try:
            spec = spec_from_mapping(raw, defaults)
        except ValueError as exc:
            errors.append(f"{where}: {exc}")
            continue
        if spec.url in seen:
            errors.append(f"{where}: duplicate url {spec.url} (first at line {seen[spec.url]})")
            continue
        seen[spec.url] = line
        specs.append(spec)
    if errors:
        raise CatalogError("\n".join(errors))
    return specs


# ---------------------------------------------------------------------------
# OPML
# ---------------------------------------------------------------------------
def _attr(element: Any, name: str) -> str | None:
    lowered = name.lower()
    for key, value in element.attrib.items():
        if str(key).lower() == lowered and str(value).strip():
            return str(value).strip()
    return None


def parse_opml(body: bytes, *, problems: list[str] | None = None) -> list[FeedSpec]:
    """Feeds from an OPML subscription list.

    Nested outlines become tags (the folder titles, outermost first), as does
    each outline's ``category`` attribute (``/News/World,Tech`` gives ``News``,
    ``World``, ``Tech``).  Outlines without a usable ``xmlUrl`` are skipped
    and described in ``problems`` when a list is passed.  Documents that
    declare entities are refused, like feeds.
    """
    from lxml import etree

    if declares_entities(body):
        raise CatalogError("refused: the OPML document declares XML entities (<!ENTITY>)")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise CatalogError(f"not an OPML document: {exc}") from exc
    if root is None or etree.QName(root).localname.lower() != "opml":
        raise CatalogError("not an OPML document (the root element is not <opml>)")
    notes = problems if problems is not None else []
    specs: dict[str, FeedSpec] = {}

    def walk(element: Any, folders: tuple[str, ...]) -> None:
        for child in element:
            if not isinstance(child.tag, str) or etree.QName(child).localname != "outline":
                continue
            title = _attr(child, "title") or _attr(child, "text")
            xml_url = _attr(child, "xmlUrl")
            if xml_url:
                tags = list(folders)
                for category in (_attr(child, "category") or "").split(","):
                    tags.extend(part for part in category.split("/") if part.strip())
                raw: dict[str, Any] = {"url": xml_url, "name": title, "tags": tags}
                language = _attr(child, "language")
                if language and _LANGUAGE.match(language):
                    raw["language"] = language
                try:
                    spec = spec_from_mapping(raw, {})
                except ValueError as exc:
                    notes.append(f"line {child.sourceline}: skipped {title or xml_url!r}: {exc}")
                else:
                    specs.setdefault(spec.url, spec)
            walk(child, (*folders, title) if title and not xml_url else folders)

    body_element = next((c for c in root if isinstance(c.tag, str) and "body" in c.tag), root)
    walk(body_element, ())
    for note in notes:
        log.warning("OPML: %s", note)
    return list(specs.values())


# ---------------------------------------------------------------------------
# raw.feeds
# ---------------------------------------------------------------------------
def upsert_feeds(
    conn: psycopg.Connection, specs: Iterable[FeedSpec], *, reenable: bool = False
) -> int:
    """Insert or update feeds by URL; returns how many rows were inserted or changed.

    One COPY into a temporary table and one ``INSERT ... ON CONFLICT (url)``.
    Health, validators and schedule are left alone, except that a feed whose
    interval shrinks becomes due no later than one new interval from now, and
    a disabled feed that is explicitly re-enabled (``reenable=True``) is due
    at once with its failure count reset.  A feed disabled by a 410 Gone
    stays disabled unless ``reenable`` is set.
    """
    rows = [
        FeedValues(
            s.url, s.name, s.language, s.country, tuple(s.tags), s.poll_interval_s, s.enabled
        )
        for s in specs
    ]
    return feed_rows.upsert(conn, rows, reenable=reenable)


def list_feeds(conn: psycopg.Connection) -> list[dict[str, Any]]:
    """Every feed with its health and schedule, by name."""
    return feed_rows.all_feeds(conn)


def remove_feed(conn: psycopg.Connection, url_or_name: str) -> bool:
    """Delete a feed (and its entries) by URL, else by name; False when none matched.

    A name shared by several feeds is refused (ValueError): remove by URL then.
    """
    candidates = [url_or_name.strip()]
    with contextlib.suppress(ValueError):
        candidates.append(normalise_feed_url(url_or_name))
    with conn.transaction():
        if feed_rows.delete_by_url(conn, candidates):
            return True
        ids = feed_rows.ids_named(conn, url_or_name.strip())
        if len(ids) > 1:
            raise ValueError(f"{len(ids)} feeds are named {url_or_name!r}; remove one by its URL")
        if not ids:
            return False
        feed_rows.delete(conn, ids[0])
        return True


def due_feeds(
    conn: psycopg.Connection,
    now: datetime,
    limit: int | None = None,
    feed_ids: Sequence[int] | None = None,
    *,
    force: bool = False,
) -> list[FeedRow]:
    """Enabled feeds with ``next_due_at <= now``, most overdue first.

    ``feed_ids`` restricts the choice; ``force`` ignores the due time (for
    "poll these feeds now").
    """
    return feed_rows.due(conn, now, limit, feed_ids, force=force)


def body_hash(body: bytes) -> str:
    """The content hash kept in ``raw.feeds.content_hash`` ("200 but unchanged")."""
    return hashlib.sha256(body).hexdigest()


def record_feed_fetch(
    conn: psycopg.Connection,
    feed: FeedRow,
    result: FetchResult,
    parsed: ParsedFeed | None,
    new_or_changed: int,
    now: datetime,
    *,
    schedule: ScheduleSettings | None = None,
) -> None:
    """Update a feed's validators, health, metadata and next due time after one poll.

    The outcome is the fetch's, or the parser's when the fetch was fine but the
    body was not a feed (NOT_A_FEED, FEED_REFUSED).  ``parsed=None`` with an
    OK fetch means "the body hash did not change, parsing was skipped".
    410 Gone disables the feed; 404 and every other non-success count as a
    failure and back off.  ``now`` is the fetch time (tasks pass their
    logical time; nothing here calls the clock).
    """
    outcome = Outcome(result.outcome)
    error = result.error
    if outcome is Outcome.OK and parsed is not None and parsed.outcome is not Outcome.OK:
        outcome, error = Outcome(parsed.outcome), parsed.error
    if result.status == 410:
        outcome = Outcome.GONE
    success = is_success(outcome)
    failures = 0 if success else feed.consecutive_failures + 1
    if success:
        streak = feed.unchanged_streak + 1 if new_or_changed <= 0 else 0
    else:
        streak = feed.unchanged_streak

    etag, last_modified, content_hash = feed.etag, feed.last_modified, feed.content_hash
    if success and result.outcome is Outcome.OK:
        etag, last_modified = result.etag, result.last_modified
        if result.body:
            content_hash = body_hash(result.body)
    elif success:  # 304: the server may refresh its validators
        etag = result.etag or etag
        last_modified = result.last_modified or last_modified

    parsed_ok = parsed is not None and parsed.outcome is Outcome.OK
    ttl_s = parsed.ttl_s if parsed_ok and parsed is not None else feed.ttl_s
    due = next_due(
        now=now,
        poll_interval_s=feed.poll_interval_s,
        ttl_s=ttl_s,
        cache_max_age_s=cache_max_age_s(result.headers) if success else None,
        retry_after_s=result.retry_after_s,
        consecutive_failures=failures,
        unchanged_streak=streak,
        outcome=outcome,
        jitter_key=feed.url,
        settings=schedule,
    )
    feed_rows.record_poll(
        conn,
        feed.feed_id,
        FeedPoll(
            etag=etag,
            last_modified=last_modified,
            content_hash=content_hash,
            fetched_at=now,
            success=success,
            status=result.status,
            outcome=str(outcome),
            error=None if success else _clip(error or str(outcome)),
            consecutive_failures=failures,
            unchanged_streak=streak,
            entries_new=new_or_changed,
            title=parsed.title if parsed_ok and parsed is not None else None,
            site_url=parsed.site_url if parsed_ok and parsed is not None else None,
            feed_format=parsed.version if parsed_ok and parsed is not None else None,
            ttl_s=ttl_s,
            gone=outcome is Outcome.GONE,
            next_due_at=due,
        ),
    )


def _clip(text: str, limit: int = 2000) -> str:
    text = text.replace("\x00", "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------
# raw.feed_entries
# ---------------------------------------------------------------------------


def upsert_entries(
    conn: psycopg.Connection, feed_id: int, entries: Sequence[FeedEntry]
) -> list[FeedEntry]:
    """Store a feed's entries; return only the NEW or CHANGED ones (in input order).

    Changed means a different ``entry_hash`` (edited title, summary, link or
    date).  A changed entry goes back to ``article_status = 'pending'`` only
    when its canonical URL changed (a new page to fetch); an edited title on
    the same page keeps its article.  Duplicate keys in ``entries`` keep the
    last occurrence.  One COPY into a temporary table and one
    ``INSERT ... ON CONFLICT ... DO UPDATE ... WHERE entry_hash differs RETURNING``.
    """
    latest: dict[str, FeedEntry] = {}
    for entry in entries:
        latest[entry.entry_key] = entry
    if not latest:
        return []
    changed = feed_entries.upsert(conn, feed_id, latest.values())
    return [e for key, e in latest.items() if nul_free(key) in changed]


def entry_accounting(
    conn: psycopg.Connection, feed_id: int, parsed: ParsedFeed, changed: int
) -> dict[str, Any]:
    """The fetch-log counts of one parsed poll, checked against ``raw.feed_entries``.

    ``entries_stored`` is how many of the parse's entries are rows now (new,
    changed or already there); an entry that is not (which the upsert should
    make impossible) is counted as skipped ``not_stored`` rather than vanish,
    so ``entries_parsed == entries_stored + sum(entries_skipped)`` always holds.
    """
    keys = [nul_free(e.entry_key) for e in parsed.entries]
    stored = feed_entries.count_stored(conn, feed_id, keys)
    skipped = dict(parsed.skipped)
    missing = len(set(keys)) - stored
    missing += len(keys) - len(set(keys))
    if missing:
        log.warning("feed %s: %d parsed entries are not stored", feed_id, missing)
        skipped["not_stored"] = skipped.get("not_stored", 0) + missing
    return {
        "entries_parsed": parsed.items_found,
        "entries_stored": stored,
        "entries_changed": changed,
        "entries_skipped": skipped,
    }
