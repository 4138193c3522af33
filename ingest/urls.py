"""Canonical URLs: one spelling per page, so the same story is one article.

The same page reaches us as ``https://Example.com:443/a/../story?utm_source=rss&b=2&a=1#top``
from one feed and ``https://example.com/story?a=1&b=2`` from another.  Both
become ``https://example.com/story?a=1&b=2``:

* relative references are resolved against ``base`` (RFC 3986, dot segments removed);
* scheme and host are lower-cased, an internationalised host is IDNA-encoded,
  the default port (80 for http, 443 for https) is dropped;
* the fragment is dropped (it never reaches the server);
* tracking parameters are removed (:data:`TRACKING_PARAMS` and every name starting
  with one of :data:`TRACKING_PREFIXES`, compared case-insensitively);
* the remaining query parameters are sorted (their spelling is kept: ``a`` stays
  ``a``, ``a=`` stays ``a=``); an empty query loses its ``?``;
* percent-escapes are normalised (upper-case hex, unreserved characters decoded,
  spaces and non-ASCII characters encoded); an empty path becomes ``/``.

The function is idempotent: ``canonicalize_url(canonicalize_url(u)) == canonicalize_url(u)``.
Only ``http`` and ``https`` URLs are rewritten this way; anything else is
returned stripped of surrounding white space, unchanged.

A page may also name its canonical URL itself (``<link rel="canonical">``, else
``og:url``): the AMP, mobile and print copies of a story all point at one
address.  :func:`trusted_canonical` says when that declaration is taken as the
article's key: an ``http(s)`` URL on the same registrable site (public suffix
list: ``www.example.co.uk`` and ``amp.example.co.uk`` are one site,
``a.blogspot.com`` and ``b.blogspot.com`` two), and not the site's home page
when the page is not (a CMS template that gives every story the same
canonical would otherwise fold a whole site into one row).
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import urljoin, urlsplit, urlunsplit

from tld import get_fld

__all__ = [
    "TRACKING_PARAMS",
    "TRACKING_PREFIXES",
    "canonicalize_url",
    "host_of",
    "is_tracking_param",
    "site_of",
    "trusted_canonical",
]

#: Query parameters that only say how a reader arrived (campaigns, click ids,
#: e-mail and social share tags).  They never select content, so dropping them
#: turns ``utm_`` variants of one story into one URL.  Lower case.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        # ad and social click identifiers
        "fbclid",  # Facebook
        "gclid",  # Google Ads
        "gclsrc",
        "dclid",  # Google Display
        "gbraid",
        "wbraid",
        "msclkid",  # Microsoft Ads
        "yclid",  # Yandex
        "twclid",  # X/Twitter
        "ttclid",  # TikTok
        "li_fat_id",  # LinkedIn
        "igshid",  # Instagram
        "igsh",
        "srsltid",  # Google Merchant
        # e-mail and marketing automation
        "mc_cid",  # Mailchimp
        "mc_eid",
        "_hsenc",  # HubSpot
        "_hsmi",
        "hsctatracking",
        "mkt_tok",  # Marketo
        "vero_id",
        "vero_conv",
        "oly_anon_id",
        "oly_enc_id",
        "rb_clickid",
        "s_kwcid",
        "ef_id",
        # analytics cross-domain and publisher campaign tags
        "_ga",
        "_gl",
        "ocid",  # Microsoft/MSN
        "cmpid",
        "cmp",  # The Guardian's CMP=share_btn_tw
        "icid",
        "s_cid",
        "wt.mc_id",  # Webtrends
        "wt_mc",  # heise
        "xtor",  # AT Internet (French publishers)
        "smid",  # The New York Times share links
        "smtyp",
        "sr_share",
        "ref_src",  # X/Twitter embeds
        "ref_url",
        "soc_src",
        "soc_trk",
        "spm",
        "rss",  # ?rss=1 added by some feed generators
        "ito",  # Financial Times / BBC internal campaign ids
        "at_medium",
        "at_campaign",
        "at_link_id",
        "at_link_origin",
        "at_link_type",
        "at_ptr_name",
        "at_format",
        "at_bbc_team",
        "guccounter",
        "guce_referrer",
        "guce_referrer_sig",
    }
)

#: Parameter name prefixes that mark tracking families (``utm_source``, ``utm_medium``, ...).
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "ns_", "pk_", "mtm_", "at_custom", "__s")

_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Characters that may appear literally in a path or query besides the unreserved ones.
_PATH_SAFE = frozenset("!$&'()*+,;=:@/%")
_QUERY_SAFE = _PATH_SAFE | frozenset("?")
_PCT = re.compile(r"%([0-9A-Fa-f]{2})")


def is_tracking_param(name: str) -> bool:
    """True for a query parameter name that only tracks the reader."""
    key = name.lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def _normalise_escapes(text: str, safe: frozenset[str]) -> str:
    """Upper-case percent-escapes, decode unreserved ones, encode what must be."""

    def fix(match: re.Match[str]) -> str:
        char = chr(int(match[1], 16))
        return char if char in _UNRESERVED else "%" + match[1].upper()

    text = _PCT.sub(fix, text)
    out = []
    for char in text:
        if char in _UNRESERVED or char in safe:
            out.append(char)
        else:
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8"))
    result = "".join(out)
    # A lone '%' not followed by two hex digits is not an escape: encode it.
    return re.sub(r"%(?![0-9A-F]{2})", "%25", result)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4, for absolute URLs that arrive with ``..`` in them."""
    if "." not in path:
        return path
    output: list[str] = []
    segments = path.split("/")
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
            continue
        if segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
            continue
        output.append(segment)
    result = "/".join(output)
    if path.startswith("/") and not result.startswith("/"):
        result = "/" + result
    return result


def _canonical_host(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    if host and not host.isascii():
        with contextlib.suppress(UnicodeError):
            host = host.encode("idna").decode("ascii")
    return host


def _canonical_query(query: str, strip_tracking: bool) -> str:
    pairs = []
    for part in query.split("&"):
        if not part:
            continue
        name = part.split("=", 1)[0]
        decoded = _PCT.sub(lambda m: chr(int(m[1], 16)), name.replace("+", " "))
        if strip_tracking and is_tracking_param(decoded):
            continue
        pairs.append(_normalise_escapes(part, _QUERY_SAFE))
    pairs.sort()
    return "&".join(pairs)


def canonicalize_url(url: str, base: str | None = None, *, strip_tracking: bool = True) -> str:
    """The canonical spelling of ``url`` (see the module docstring for the rules).

    ``strip_tracking=False`` keeps tracking parameters (used for feed URLs,
    which are the user's to choose) but normalises everything else.
    """
    url = (url or "").strip()
    if base:
        url = urljoin(base.strip(), url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return url
    host = _canonical_host(parts.hostname)
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{host}:{port}"
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    if userinfo:
        netloc = f"{userinfo}@{netloc}"
    path = _normalise_escapes(_remove_dot_segments(parts.path), _PATH_SAFE) or "/"
    query = _canonical_query(parts.query, strip_tracking)
    return urlunsplit((scheme, netloc, path, query, ""))


def host_of(url: str) -> str:
    """Lower-case host name of ``url`` without port (``""`` when it has none)."""
    try:
        host = urlsplit((url or "").strip()).hostname or ""
    except ValueError:
        return ""
    return _canonical_host(host)


def site_of(url: str) -> str:
    """The registrable domain of ``url``'s host (``news.bbc.co.uk`` gives ``bbc.co.uk``).

    Hosts without a public suffix (IP literals, ``localhost``, unknown
    top-level domains) are their own site.  ``""`` when the URL has no host.
    """
    host = host_of(url)
    if not host:
        return ""
    return get_fld(host, fix_protocol=True, fail_silently=True) or host


#: Longer declared canonical URLs are not trusted (a key, not a payload).
MAX_CANONICAL_CHARS = 2048


def trusted_canonical(declared: str | None, page_url: str) -> str | None:
    """The page's declared canonical URL, canonicalised, when it can key the article.

    ``page_url`` is where the page was actually fetched (after redirects);
    ``declared`` is resolved against it.  ``None`` when the declaration is
    missing, not ``http(s)``, carries user info, is longer than
    :data:`MAX_CANONICAL_CHARS`, lies on another registrable site, or is the
    site's home page while the page is not.
    """
    if not declared or not page_url:
        return None
    url = canonicalize_url(declared, page_url)
    if len(url) > MAX_CANONICAL_CHARS:
        return None
    try:
        parts = urlsplit(url)
        page = urlsplit(canonicalize_url(page_url))
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname or "@" in parts.netloc:
        return None
    site = site_of(url)
    if not site or site != site_of(page_url):
        return None
    if parts.path == "/" and not parts.query and (page.path != "/" or page.query):
        return None
    return url
