"""Values passed between the ingestion stages.

These are the contracts between modules: the HTTP client returns a
:class:`FetchResult`, the feed parser turns bytes into a :class:`ParsedFeed`,
the extractor turns HTML into an :class:`ExtractedArticle`, and the pipeline
loads them.  No stage raises for bad input from the network: it returns an
``outcome`` code that ends up in ``raw.fetch_log``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Outcome(StrEnum):
    """Outcome codes recorded in ``raw.fetch_log.outcome`` and feed health."""

    OK = "ok"
    NOT_MODIFIED = "not_modified"
    BLOCKED_SSRF = "blocked_ssrf"
    BLOCKED_SCHEME = "blocked_scheme"
    ROBOTS_DISALLOWED = "robots_disallowed"
    TOO_LARGE = "too_large"
    TIMEOUT = "timeout"
    CONNECT_ERROR = "connect_error"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    HTTP_ERROR = "http_error"  # 4xx/5xx other than the ones below
    NOT_FOUND = "not_found"  # 404
    GONE = "gone"  # 410: disable the feed
    RATE_LIMITED = "rate_limited"  # 429 / 503 with Retry-After
    SERVER_ERROR = "server_error"  # 5xx
    DECODE_ERROR = "decode_error"  # broken content encoding
    NOT_A_FEED = "not_a_feed"
    FEED_REFUSED = "feed_refused"  # entity declarations and other hostile XML
    EXTRACT_FAILED = "extract_failed"
    EXTRACT_TIMEOUT = "extract_timeout"
    EXTRACT_TOO_LARGE = "extract_too_large"
    EMPTY_ARTICLE = "empty_article"
    NOT_HTML = "not_html"


@dataclass(frozen=True)
class FetchResult:
    """What one HTTP fetch produced. ``body`` is the decoded (decompressed) bytes."""

    url: str
    final_url: str
    outcome: Outcome
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""
    error: str | None = None
    duration_ms: int = 0
    retry_after_s: float | None = None
    redirects: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


@dataclass(frozen=True)
class FeedEntry:
    """One normalised feed item."""

    entry_key: str  # guid, else canonical link; see ingest.feed_parser for shared links/guids
    guid: str | None
    link: str | None  # as published, resolved against the feed URL
    canonical_url: str | None  # tracking parameters and fragment removed
    title: str | None
    summary: str | None
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    published_at: datetime | None = None  # aware, UTC
    published_raw: str | None = None
    date_invalid: bool = False
    entry_hash: str = ""  # sha256 over the normalised fields; changes when the item is edited
    enclosure_url: str | None = None  # the first enclosure (podcast audio, JSON Feed attachment)


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed document, or why it is not one."""

    outcome: Outcome  # OK, NOT_A_FEED or FEED_REFUSED
    version: str | None = None  # feedparser's (rss20, atom10, rss10, rss091u, ...), json1, json11
    title: str | None = None
    site_url: str | None = None
    feed_url: str | None = None  # the address the feed gives for itself (Atom self, feed_url)
    language: str | None = None
    ttl_s: int | None = None  # <ttl> or sy:updatePeriod/sy:updateFrequency, in seconds
    entries: tuple[FeedEntry, ...] = ()
    warnings: tuple[str, ...] = ()  # bozo exceptions that did not stop parsing
    error: str | None = None
    #: items the document holds; every one is in ``entries`` or counted in ``skipped``
    items_found: int = 0
    #: items not returned as entries, by reason (``no_identity``, ``repeated_item``, ...)
    skipped: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ExtractedArticle:
    """Clean text and metadata from one HTML page."""

    #: OK, EMPTY_ARTICLE, EXTRACT_FAILED, EXTRACT_TIMEOUT, EXTRACT_TOO_LARGE or NOT_HTML
    outcome: Outcome
    text: str = ""
    title: str | None = None
    description: str | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None  # aware; with time and zone when the page gives them
    canonical_url: str | None = None
    site_name: str | None = None
    language: str | None = None  # ISO 639-1
    language_confidence: float | None = None
    word_count: int = 0
    extractor: str = "trafilatura"
    extractor_version: str = ""
    error: str | None = None
