"""robots.txt (RFC 9309): parse, match, and cache one verdict per origin.

``urllib.robotparser`` predates RFC 9309: it takes the first matching rule
instead of the longest, ignores ``*`` and ``$``, and does not merge groups, so
pages would be fetched that the RFC says not to.  This module implements the
RFC's matching: the groups naming our product token (``newsflow``, the first
token of ``settings.user_agent``) are merged, else the ``*`` groups; the
longest matching pattern wins and ``allow`` wins a tie; ``/robots.txt`` itself
is always allowed.

What a fetch of robots.txt means (RFC 9309 section 2.3.1), cached per origin
(scheme, host, port):

==========================  ==============================================  ===========
robots.txt fetch            verdict for the origin's pages                  cached for
==========================  ==============================================  ===========
2xx                         its rules (only the first ``max_robots_bytes``   ``ttl_s``
                            are parsed; the RFC asks for at least 500 KiB)
4xx (not 429), too many     allow everything ("unavailable")                ``ttl_s``
redirects, redirect to a
refused address
5xx, broken encoding        disallow everything ("unreachable")             ``error_ttl_s``
429 / 503 + Retry-After     ``rate_limited`` until Retry-After passes        Retry-After
timeout, connect error      the pages are not fetched and carry the same     ``error_ttl_s``
                            outcome (``timeout``/``connect_error``): the
                            RFC says disallow, and the truthful reason is
                            that the host does not answer
==========================  ==============================================  ===========

The client applies robots.txt to pages.  Feeds are not checked by default:
a feed is a document its publisher offers for automated polling and that a
user subscribed to, which is how feed readers (and Google's Feedfetcher)
treat them; ``NEWSFLOW_ROBOTS_FOR_FEEDS=1`` checks them too.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from ingest.records import FetchResult, Outcome

#: How long a robots.txt (or its absence) is trusted; RFC 9309 asks for at most 24 h.
ROBOTS_TTL_S = 3600.0
#: How long a failed robots.txt fetch keeps a host closed before trying again.
ROBOTS_ERROR_TTL_S = 300.0

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_TOKEN = re.compile(r"[A-Za-z_-]+")


def robots_token(user_agent: str) -> str:
    """The product token robots.txt groups match: ``newsflow/0.1 (...)`` gives ``newsflow``."""
    match = _TOKEN.match(user_agent.strip())
    return (match.group(0) if match else "newsflow").lower()


def robots_url(url: str) -> str:
    """Where the robots.txt for ``url``'s origin lives: ``scheme://authority/robots.txt``.

    Any URL of the site will do (a page, the origin, the robots.txt itself);
    the path, query and fragment are dropped.
    """
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


def normalise_path(path: str) -> str:
    """Percent-encoding normalised for comparison (RFC 9309 section 2.2.2).

    Escapes of unreserved characters are decoded, other escapes upper-cased,
    and non-ASCII characters encoded as UTF-8 escapes, so ``/a%7eb``, ``/a~b``
    and a pattern written either way compare equal.
    """

    def _escape(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    if "%" in path:
        path = _PERCENT.sub(_escape, path)
    if not path.isascii():
        path = "".join(
            c if c.isascii() else "".join(f"%{b:02X}" for b in c.encode("utf-8")) for c in path
        )
    return path


@dataclass(frozen=True)
class Rule:
    allow: bool
    pattern: str  # normalised, as written (with * and $)

    @property
    def specificity(self) -> int:
        return len(self.pattern)

    def compile(self) -> Callable[[str], bool]:
        pattern = re.sub(r"\*+", "*", self.pattern)
        anchored = pattern.endswith("$")
        if anchored:
            pattern = pattern[:-1]
        if "*" not in pattern:
            if anchored:
                return pattern.__eq__
            return lambda path: path.startswith(pattern)
        regex = ".*".join(re.escape(part) for part in pattern.split("*"))
        compiled = re.compile(regex + ("$" if anchored else ""), re.DOTALL)
        return lambda path: compiled.match(path) is not None


class RobotsRules:
    """The rules of the group(s) that apply to one product token."""

    def __init__(self, rules: tuple[Rule, ...] = (), crawl_delay_s: float | None = None) -> None:
        # Longest pattern first, allow before disallow at equal length: the first hit wins.
        self.rules = tuple(sorted(rules, key=lambda r: (-r.specificity, not r.allow)))
        self.crawl_delay_s = crawl_delay_s
        self._matchers = tuple((rule.allow, rule.compile()) for rule in self.rules)

    def allowed(self, path: str) -> bool:
        """Whether ``path`` (path and query of the URL) may be fetched."""
        path = normalise_path(path or "/")
        if path == "/robots.txt":
            return True
        for allow, matches in self._matchers:
            if matches(path):
                return allow
        return True

    def __repr__(self) -> str:
        return f"RobotsRules({len(self.rules)} rules, crawl_delay_s={self.crawl_delay_s})"


ALLOW_ALL = RobotsRules()
DISALLOW_ALL = RobotsRules((Rule(False, "/"),))

_KEYS = {
    "user-agent": "user-agent",
    "useragent": "user-agent",
    "user agent": "user-agent",
    "allow": "allow",
    "disallow": "disallow",
    "dissallow": "disallow",
    "crawl-delay": "crawl-delay",
}


def parse_robots(content: bytes | str, token: str, *, truncated: bool = False) -> RobotsRules:
    """The rules that apply to ``token`` in a robots.txt body.

    ``truncated`` says the body was cut at the size cap: the last, possibly
    partial, line is then dropped.
    """
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    if truncated and lines and not text.endswith(("\n", "\r")):
        lines.pop()
    token = token.lower()
    groups: list[tuple[list[str], list[Rule], list[float]]] = []
    agents: list[str] = []
    rules: list[Rule] = []
    delays: list[float] = []
    in_rules = False
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = line.split(":", 1)
        key = _KEYS.get(key.strip().lower())
        value = value.strip()
        if key == "user-agent":
            if in_rules:
                groups.append((agents, rules, delays))
                agents, rules, delays, in_rules = [], [], [], False
            agents.append(value.split("/", 1)[0].strip().lower())
        elif key in ("allow", "disallow"):
            if not agents:
                continue  # rules before any user-agent line belong to no group
            in_rules = True
            if value:
                rules.append(Rule(key == "allow", normalise_path(value)))
        elif key == "crawl-delay" and agents:
            in_rules = True
            with contextlib.suppress(ValueError):
                delays.append(float(value))
    if agents:
        groups.append((agents, rules, delays))

    chosen = [g for g in groups if token in g[0]] or [g for g in groups if "*" in g[0]]
    if not chosen:
        return ALLOW_ALL
    merged = tuple(rule for g in chosen for rule in g[1])
    crawl = next((d for g in chosen for d in g[2] if d >= 0), None)
    return RobotsRules(merged, crawl)


@dataclass(frozen=True)
class RobotsVerdict:
    """What an origin's robots.txt fetch decided for its pages."""

    rules: RobotsRules | None  # None when the pages are refused outright
    outcome: Outcome | None = None  # why refused: robots_disallowed, timeout, ...
    error: str | None = None
    expires: float = 0.0

    def refusal(self, path: str) -> tuple[Outcome, str] | None:
        """``(outcome, reason)`` when ``path`` must not be fetched, else ``None``."""
        if self.rules is not None:
            if self.rules.allowed(path):
                return None
            return Outcome.ROBOTS_DISALLOWED, f"robots.txt disallows {path}"
        return self.outcome or Outcome.ROBOTS_DISALLOWED, self.error or "robots.txt"


def verdict_from_fetch(
    result: FetchResult,
    token: str,
    *,
    truncated: bool = False,
    now: float,
    ttl_s: float = ROBOTS_TTL_S,
    error_ttl_s: float = ROBOTS_ERROR_TTL_S,
) -> RobotsVerdict:
    """Turn the fetch of ``/robots.txt`` into a verdict, following RFC 9309 (table above)."""
    outcome = result.outcome
    where = result.final_url
    if outcome is Outcome.OK:
        rules = parse_robots(result.body, token, truncated=truncated)
        return RobotsVerdict(rules, expires=now + ttl_s)
    if outcome in (
        Outcome.NOT_FOUND,
        Outcome.GONE,
        Outcome.HTTP_ERROR,
        Outcome.TOO_MANY_REDIRECTS,
        Outcome.BLOCKED_SSRF,
        Outcome.BLOCKED_SCHEME,
        Outcome.NOT_MODIFIED,
    ):
        return RobotsVerdict(ALLOW_ALL, expires=now + ttl_s)
    if outcome is Outcome.RATE_LIMITED:
        wait = result.retry_after_s or error_ttl_s
        return RobotsVerdict(
            None,
            Outcome.RATE_LIMITED,
            f"robots.txt rate limited ({where}), retry after {wait:.0f} s",
            now + wait,
        )
    if outcome in (Outcome.TIMEOUT, Outcome.CONNECT_ERROR):
        return RobotsVerdict(
            None,
            outcome,
            f"robots.txt unreachable ({result.error}); host skipped for {error_ttl_s:.0f} s",
            now + error_ttl_s,
        )
    status = f"HTTP {result.status}" if result.status else outcome.value
    return RobotsVerdict(
        None,
        Outcome.ROBOTS_DISALLOWED,
        f"robots.txt failed with {status} ({where}): disallow all for {error_ttl_s:.0f} s "
        "(RFC 9309 2.3.1.4)",
        now + error_ttl_s,
    )


RobotsFetcher = Callable[[str], Awaitable[tuple[FetchResult, bool]]]


class RobotsCache:
    """One verdict per origin, fetched once even when many pages ask at the same time."""

    def __init__(
        self,
        fetch: RobotsFetcher,
        token: str,
        *,
        ttl_s: float = ROBOTS_TTL_S,
        error_ttl_s: float = ROBOTS_ERROR_TTL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self.token = token
        self.ttl_s = ttl_s
        self.error_ttl_s = error_ttl_s
        self._clock = clock
        self._verdicts: dict[str, RobotsVerdict] = {}
        self._pending: dict[str, asyncio.Task[RobotsVerdict]] = {}
        self.fetches = 0  # robots.txt requests made (for tests and status)

    def cached(self, origin: str) -> RobotsVerdict | None:
        verdict = self._verdicts.get(origin)
        if verdict is not None and verdict.expires > self._clock():
            return verdict
        return None

    async def verdict(self, origin: str) -> RobotsVerdict:
        """The verdict for ``origin`` (``scheme://host:port``), fetching robots.txt if needed."""
        verdict = self.cached(origin)
        if verdict is not None:
            return verdict
        task = self._pending.get(origin)
        if task is None:
            task = asyncio.ensure_future(self._load(origin))
            self._pending[origin] = task
            task.add_done_callback(lambda _t: self._pending.pop(origin, None))
        return await asyncio.shield(task)

    async def _load(self, origin: str) -> RobotsVerdict:
        self.fetches += 1
        result, truncated = await self._fetch(origin + "/robots.txt")
        verdict = verdict_from_fetch(
            result,
            self.token,
            truncated=truncated,
            now=self._clock(),
            ttl_s=self.ttl_s,
            error_ttl_s=self.error_ttl_s,
        )
        if len(self._verdicts) > 20_000:
            now = self._clock()
            self._verdicts = {k: v for k, v in self._verdicts.items() if v.expires > now}
        self._verdicts[origin] = verdict
        return verdict


__all__ = [
    "ALLOW_ALL",
    "DISALLOW_ALL",
    "ROBOTS_ERROR_TTL_S",
    "ROBOTS_TTL_S",
    "RobotsCache",
    "RobotsRules",
    "RobotsVerdict",
    "Rule",
    "normalise_path",
    "parse_robots",
    "robots_token",
    "robots_url",
    "verdict_from_fetch",
]
