"""The safe HTTP client shared by feeds, pages and robots.txt.

Everything newsflow downloads comes from servers it does not control, so the
client assumes hostility and never raises for it: :meth:`SafeHttpClient.fetch`
returns a :class:`~ingest.records.FetchResult` whose ``outcome`` says what
happened (it ends up in ``raw.fetch_log``).  Per fetch it enforces:

* only ``http``/``https``; TLS always verified (no setting turns it off);
* the SSRF guard of :mod:`ingest.netguard`, on the URL and on the address
  actually connected, at every redirect hop;
* at most ``options.max_redirects`` redirects (loops end there);
* one wall-clock budget of ``options.http_timeout_s`` for the whole fetch,
  body included and summed over redirect hops, so a server that drips a byte
  every second is cut at the deadline (waiting for a politeness slot does not
  count: it is not the server's doing);
* a cap on *decompressed* bytes (gzip, deflate and brotli are decoded here,
  incrementally, with output limits, so a bomb stops at the cap without
  inflating further); a ``Content-Length`` over the cap stops before the body;
* robots.txt for pages (:mod:`ingest.robots`), per-host concurrency and delay,
  a global concurrency limit and ``Retry-After`` (:mod:`ingest.hostlimits`);
* conditional GET with ``If-None-Match`` / ``If-Modified-Since`` (304 is
  ``not_modified``), and an honest ``User-Agent``.

One client holds one connection pool: create it once per run (``async with
SafeHttpClient() as client``) inside the event loop that uses it, and share it
across tasks; connections, DNS answers, robots verdicts and host back-off are
reused across fetches.  The robots.txt fetch a page may trigger has its own
deadline; :meth:`SafeHttpClient.fetch_robots` is that fetch, public, and the
``on_robots_fetch`` callback sees every robots.txt the client fetches (the
pipeline logs them).  :func:`fetch_sync` is a one-shot wrapper for CLI commands;
content decoding with an output cap is :mod:`ingest.decoding`.

Speed: the requests go through httpx's transport interface to
:class:`~ingest.netguard.GuardedTransport` (httpcore's HTTP/1.1 connections in
an O(1) keep-alive pool), about 0.5 ms of CPU per page fetch on loopback, a
quarter of a default ``httpx.AsyncClient``; under uvloop a 2-core machine
serves and fetches about 1,800 50 KB pages a second.

Why one file of ~600 lines: :class:`SafeHttpClient` is one state machine (the
deadline, the redirect chain, the guard at each hop, the size cap) whose
checks must be read together to be trusted; content decoding is apart
(``ingest.decoding``).
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol
from urllib.parse import urljoin, urlsplit

import httpx

from ingest.decoding import BodyReader, DecodeError, TooLarge
from ingest.hostlimits import DEFAULT_RETRY_AFTER_S, HostKey, HostLimiter, parse_retry_after
from ingest.netguard import (
    AllowList,
    BlockedAddress,
    GuardedBackend,
    GuardedTransport,
    Resolver,
    check_url_host,
)
from ingest.records import FetchResult, Outcome
from ingest.robots import RobotsCache, robots_token, robots_url

log = logging.getLogger(__name__)

Kind = Literal["feed", "page", "robots"]
#: Told of every robots.txt fetch the client makes (its own, for pages, or asked for).
RobotsObserver = Callable[[FetchResult], None]

#: Statuses that redirect; anything else in 3xx (except 304) is an ``http_error``.
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: Error bodies are read (and dropped) up to this size so the connection can be reused.
ERROR_BODY_DRAIN_BYTES = 64 * 1024
ACCEPT = {
    "feed": "application/rss+xml, application/atom+xml, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
    "page": "text/html, application/xhtml+xml;q=0.9, */*;q=0.5",
    "robots": "text/plain, */*;q=0.5",
}
ACCEPT_ENCODING = "gzip, deflate, br"


#: The ``User-Agent`` sent with every request (its product token picks robots.txt groups).
DEFAULT_USER_AGENT = "newsflow/0.1 (+https://github.com/newsflow/newsflow; news-event warehouse)"


@dataclass(frozen=True)
class HttpOptions:
    """What the client may fetch, how fast and how much (the application fills it in)."""

    #: hosts or CIDR ranges exempt from the private-address (SSRF) guard
    allowed_hosts: tuple[str, ...] = ()
    user_agent: str = DEFAULT_USER_AGENT
    #: one wall-clock budget per fetch, redirects and body included
    http_timeout_s: float = 20.0
    connect_timeout_s: float = 5.0
    max_feed_bytes: int = 10 * 1024 * 1024
    max_page_bytes: int = 5 * 1024 * 1024
    max_robots_bytes: int = 512 * 1024
    max_redirects: int = 5
    #: fetches in flight at once, over all hosts, and per host
    concurrency: int = 32
    per_host_concurrency: int = 2
    per_host_delay_s: float = 0.0
    respect_robots: bool = True
    #: check robots.txt for feeds too (pages always are, with ``respect_robots``)
    robots_for_feeds: bool = False
    #: how long a resolved address list is reused
    dns_cache_s: float = 60.0


class Fetcher(Protocol):
    """What stages that download need: :class:`SafeHttpClient`, or a test double."""

    async def fetch(
        self,
        url: str,
        *,
        kind: Kind,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult: ...


# --------------------------------------------------------------------------
# the client


def _ssl_context() -> ssl.SSLContext:
    # certifi's bundle, as httpx uses; environment variables (SSL_CERT_FILE) ignored
    return httpx.create_ssl_context(verify=True, trust_env=False)


def _host_key(url: httpx.URL) -> HostKey:
    port = url.port or (443 if url.scheme == "https" else 80)
    return (url.host, port)


def _origin(url: httpx.URL) -> str:
    port = url.port or (443 if url.scheme == "https" else 80)
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{url.scheme}://{host}:{port}"


def _headers(response: httpx.Response) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in response.headers.multi_items():
        out[name] = f"{out[name]}, {value}" if name in out else value
    return out


@dataclass
class _Chain:
    """One fetch in progress: the URL asked for, the hop being fetched, the time left."""

    url: str
    current: str
    budget_s: float
    redirects: list[str] = field(default_factory=list)

    def result(self, outcome: Outcome, error: str | None = None, **fields: Any) -> FetchResult:
        return FetchResult(
            self.url,
            self.current,
            outcome,
            error=error,
            redirects=tuple(self.redirects),
            **fields,
        )


@dataclass(frozen=True)
class _Hop:
    """What one request of a redirect chain produced: a final answer or the next URL."""

    result: FetchResult | None = None
    location: str | None = None
    truncated: bool = False  # the body was cut at the cap (robots.txt only)


async def _raw_chunks(response: httpx.Response) -> AsyncIterator[bytes]:
    """The body as sent (still compressed); a mock's pre-read body as one chunk."""
    if response.is_stream_consumed or not isinstance(response.stream, httpx.AsyncByteStream):
        yield response.content
        return
    async for chunk in response.aiter_raw():
        yield chunk


class SafeHttpClient:
    """Fetch feeds, pages and robots.txt from hostile servers without trusting them.

    ``transport`` replaces the network layer (``httpx.MockTransport`` in unit
    tests); the connect-time address check lives in the default transport, so
    only the URL-level checks apply to a custom one.  ``ssl_context`` may add
    a private CA; it must still verify certificates and host names.
    ``on_robots_fetch`` is called with the result of every robots.txt fetch,
    on the event loop (keep it quick; an exception in it is logged, not raised).
    """

    def __init__(
        self,
        options: HttpOptions | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        resolver: Resolver | None = None,
        ssl_context: ssl.SSLContext | None = None,
        on_robots_fetch: RobotsObserver | None = None,
    ) -> None:
        self.options = options or HttpOptions()
        self.on_robots_fetch = on_robots_fetch
        s = self.options
        self.allow = AllowList.parse(s.allowed_hosts)
        if ssl_context is not None and (
            ssl_context.verify_mode != ssl.CERT_REQUIRED or not ssl_context.check_hostname
        ):
            raise ValueError("ssl_context must verify certificates and host names")
        self.resolver = resolver or Resolver(ttl_s=self.options.dns_cache_s)
        if transport is None:
            transport = self._guarded_transport(ssl_context or _ssl_context())
        # Requests go straight to the transport: AsyncClient.send would parse every
        # redirect's Location itself (raising on hostile ones), keep cookies, and
        # add per-request work this client does not need.  No proxy is ever read
        # from the environment: a proxy would resolve names past the guard.
        self._transport = transport
        timeout = httpx.Timeout(
            s.http_timeout_s, connect=min(s.connect_timeout_s, s.http_timeout_s)
        )
        self._extensions = {"timeout": timeout.as_dict()}
        self._headers = [("User-Agent", s.user_agent), ("Accept-Encoding", ACCEPT_ENCODING)]
        self.limiter = HostLimiter(
            per_host_concurrency=s.per_host_concurrency,
            per_host_delay_s=s.per_host_delay_s,
            concurrency=s.concurrency,
        )
        self.robots = RobotsCache(self.fetch_robots, robots_token(s.user_agent))

    def _guarded_transport(self, ssl_context: ssl.SSLContext) -> GuardedTransport:
        s = self.options
        return GuardedTransport(
            GuardedBackend(self.allow, self.resolver),
            ssl_context,
            connect_timeout_s=min(s.connect_timeout_s, s.http_timeout_s),
            max_idle=max(64, 2 * s.concurrency),
            max_idle_per_origin=max(2, s.per_host_concurrency),
        )

    async def __aenter__(self) -> SafeHttpClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close idle connections; the client is not usable afterwards."""
        await self._transport.aclose()

    # -- public -----------------------------------------------------------------

    def cap_for(self, kind: Kind) -> int:
        s = self.options
        return {"feed": s.max_feed_bytes, "page": s.max_page_bytes}.get(kind, s.max_robots_bytes)

    async def fetch(
        self,
        url: str,
        *,
        kind: Kind,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """Fetch ``url``; never raises for anything a server or the network does.

        ``kind`` picks the size cap (``max_bytes`` overrides it), the ``Accept``
        header, and whether robots.txt is consulted (pages; feeds only with
        ``options.robots_for_feeds``).  ``etag``/``last_modified`` are the
        validators from the last fetch; a 304 answers ``not_modified``.  A body
        over the cap is ``too_large`` with an empty ``body`` (robots.txt
        included: only the client's own robots check reads a capped prefix).
        """
        started = time.perf_counter()
        check_robots = self.options.respect_robots and (
            kind == "page" or (kind == "feed" and self.options.robots_for_feeds)
        )
        try:
            result, _ = await self._fetch(
                url,
                kind=kind,
                etag=etag,
                last_modified=last_modified,
                cap=max_bytes if max_bytes is not None else self.cap_for(kind),
                check_robots=check_robots,
                truncate=False,
            )
        except Exception as exc:  # a bug here must not stop a batch
            log.exception("unexpected error fetching %s", url)
            result = FetchResult(url, url, Outcome.HTTP_ERROR, error=f"internal error: {exc!r}")
        return replace(result, duration_ms=int((time.perf_counter() - started) * 1000))

    async def fetch_robots(self, url: str) -> tuple[FetchResult, bool]:
        """Fetch the robots.txt of ``url``'s origin; returns ``(result, truncated)``.

        The same guarded path as every fetch (scheme and SSRF checks at each
        redirect hop, the time budget, per-host politeness, ``Retry-After``),
        but a body over ``max_robots_bytes`` is not refused: its first
        ``max_robots_bytes`` come back as ``ok`` with ``truncated`` true, since
        RFC 9309 says to parse at least that much of a long file.  This is the
        fetch behind :attr:`robots` (the per-origin verdict cache); every call
        is reported to ``on_robots_fetch``.  Never raises for what a server does.
        """
        target = robots_url(url)
        started = time.perf_counter()
        try:
            result, truncated = await self._fetch(
                target,
                kind="robots",
                etag=None,
                last_modified=None,
                cap=self.options.max_robots_bytes,
                check_robots=False,
                truncate=True,
            )
        except Exception as exc:  # a bug here must not stop a batch
            log.exception("unexpected error fetching %s", target)
            result = FetchResult(
                target, target, Outcome.HTTP_ERROR, error=f"internal error: {exc!r}"
            )
            truncated = False
        result = replace(result, duration_ms=int((time.perf_counter() - started) * 1000))
        if self.on_robots_fetch is not None:
            try:
                self.on_robots_fetch(result)
            except Exception:
                log.exception("on_robots_fetch failed for %s", target)
        return result, truncated

    # -- internals ---------------------------------------------------------------

    async def _fetch(
        self,
        url: str,
        *,
        kind: Kind,
        etag: str | None,
        last_modified: str | None,
        cap: int,
        check_robots: bool,
        truncate: bool,
    ) -> tuple[FetchResult, bool]:
        """Follow redirects by hand, re-checking every hop.  Returns (result, truncated)."""
        chain = _Chain(url, url, self.options.http_timeout_s)
        for hop in range(self.options.max_redirects + 1):
            target = await self._vet(chain, check_robots)
            if isinstance(target, FetchResult):
                return target, False
            if chain.budget_s <= 0:
                return chain.result(Outcome.TIMEOUT, "deadline passed during redirects"), False
            step = await self._request(chain, target, kind, etag, last_modified, cap, truncate)
            if step.result is not None:
                return step.result, step.truncated
            assert step.location is not None
            chain.current = step.location
            chain.redirects.append(step.location)
            if hop == self.options.max_redirects:
                break
        return chain.result(
            Outcome.TOO_MANY_REDIRECTS, f"more than {self.options.max_redirects} redirects"
        ), False

    async def _vet(self, chain: _Chain, check_robots: bool) -> httpx.URL | FetchResult:
        """The checks before every hop (scheme, address, Retry-After, robots.txt).

        Returns the parsed URL to request, or the result that refuses it.
        """
        parts = urlsplit(chain.current)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            return chain.result(Outcome.BLOCKED_SCHEME, f"scheme {scheme or '(none)'!r} refused")
        try:
            host = parts.hostname or ""
            target = httpx.URL(chain.current)
            _ = target.port  # the port range is checked lazily
        except (httpx.InvalidURL, ValueError) as exc:
            why = check_url_host(parts.netloc.rpartition("@")[2].rsplit(":", 1)[0], self.allow)
            if why:  # httpx rejects some obfuscations (0177.0.0.1) that resolvers accept
                return chain.result(Outcome.BLOCKED_SSRF, why)
            return chain.result(Outcome.HTTP_ERROR, f"invalid URL: {exc}")
        why = check_url_host(host, self.allow)
        if why:
            return chain.result(Outcome.BLOCKED_SSRF, why)
        key = _host_key(target)
        wait = self.limiter.retry_wait(key)
        if wait is not None:
            return chain.result(
                Outcome.RATE_LIMITED,
                f"{key[0]} asked to wait (Retry-After); {wait:.0f} s left",
                retry_after_s=wait,
            )
        if not check_robots:
            return target
        verdict = await self.robots.verdict(_origin(target))
        refusal = verdict.refusal(target.raw_path.decode("ascii", "replace"))
        if refusal is not None:
            outcome, reason = refusal
            retry = self.limiter.retry_wait(key) if outcome is Outcome.RATE_LIMITED else None
            return chain.result(outcome, reason, retry_after_s=retry)
        if verdict.rules is not None and verdict.rules.crawl_delay_s:
            self.limiter.set_crawl_delay(key, verdict.rules.crawl_delay_s)
        return target

    async def _request(
        self,
        chain: _Chain,
        target: httpx.URL,
        kind: Kind,
        etag: str | None,
        last_modified: str | None,
        cap: int,
        truncate: bool,
    ) -> _Hop:
        """One request under the host and global slots, within the chain's time budget."""
        headers = [*self._headers, ("Accept", ACCEPT[kind])]
        if etag:
            headers.append(("If-None-Match", etag))
        if last_modified:
            headers.append(("If-Modified-Since", last_modified))
        # Built directly rather than with AsyncClient.build_request: no cookies to
        # merge, and this is on the path of every fetch.
        request = httpx.Request("GET", target, headers=headers, extensions=self._extensions)
        key = _host_key(target)
        async with self.limiter.slot(key):
            started = time.monotonic()
            try:
                async with asyncio.timeout(chain.budget_s):
                    return await self._exchange(chain, request, key, cap, truncate)
            except TimeoutError:
                limit = self.options.http_timeout_s
                return _Hop(chain.result(Outcome.TIMEOUT, f"no complete answer within {limit:g} s"))
            except BlockedAddress as exc:
                return _Hop(chain.result(Outcome.BLOCKED_SSRF, str(exc)))
            except httpx.TimeoutException as exc:
                return _Hop(chain.result(Outcome.TIMEOUT, f"{type(exc).__name__}: {exc}"))
            except httpx.ConnectError as exc:
                return _Hop(chain.result(Outcome.CONNECT_ERROR, f"connect failed: {exc}"))
            except httpx.RemoteProtocolError as exc:
                return _Hop(chain.result(Outcome.HTTP_ERROR, f"protocol error: {exc}"))
            except httpx.TransportError as exc:
                return _Hop(chain.result(Outcome.CONNECT_ERROR, f"{type(exc).__name__}: {exc}"))
            finally:
                chain.budget_s -= time.monotonic() - started

    async def _exchange(
        self, chain: _Chain, request: httpx.Request, key: HostKey, cap: int, truncate: bool
    ) -> _Hop:
        response = await self._transport.handle_async_request(request)
        response.request = request
        try:
            status = response.status_code
            headers = _headers(response)
            if status in REDIRECT_STATUSES:
                location = headers.get("location", "").strip()
                if not location:
                    return _Hop(
                        chain.result(
                            Outcome.HTTP_ERROR,
                            f"HTTP {status} without Location",
                            status=status,
                            headers=headers,
                        )
                    )
                await self._drain(response)
                return _Hop(location=urljoin(str(request.url), location))
            if 200 <= status < 300:
                return await self._read_ok(chain, response, status, headers, cap, truncate)
            await self._drain(response)
            return _Hop(self._error_result(chain, key, status, headers))
        finally:
            await response.aclose()

    def _error_result(
        self, chain: _Chain, key: HostKey, status: int, headers: dict[str, str]
    ) -> FetchResult:
        if status == 304:
            return chain.result(Outcome.NOT_MODIFIED, status=status, headers=headers)
        if status in (429, 503):
            retry = parse_retry_after(headers.get("retry-after"))
            if retry is None and status == 429:
                retry = DEFAULT_RETRY_AFTER_S
            if retry is not None:
                self.limiter.note_retry_after(key, retry)
                return chain.result(
                    Outcome.RATE_LIMITED,
                    f"HTTP {status}, retry after {retry:.0f} s",
                    status=status,
                    headers=headers,
                    retry_after_s=retry,
                )
        if status == 404:
            outcome = Outcome.NOT_FOUND
        elif status == 410:
            outcome = Outcome.GONE
        elif status >= 500:
            outcome = Outcome.SERVER_ERROR
        else:
            outcome = Outcome.HTTP_ERROR
        return chain.result(outcome, f"HTTP {status}", status=status, headers=headers)

    async def _read_ok(
        self,
        chain: _Chain,
        response: httpx.Response,
        status: int,
        headers: dict[str, str],
        cap: int,
        truncate: bool,
    ) -> _Hop:
        length = headers.get("content-length", "")
        if not truncate and length.isdigit() and int(length) > cap:
            return _Hop(
                chain.result(
                    Outcome.TOO_LARGE,
                    f"Content-Length {length} over the {cap}-byte cap",
                    status=status,
                    headers=headers,
                )
            )
        encoding = headers.get("content-encoding", "")
        if response.is_stream_consumed or not isinstance(response.stream, httpx.AsyncByteStream):
            encoding = ""  # a mock transport's response, already read (and decoded) by httpx
        try:
            reader = BodyReader(encoding, cap)
            async for chunk in _raw_chunks(response):
                reader.feed(chunk)
            body = reader.finish()
        except TooLarge:
            if truncate:
                body = reader.prefix()
                return _Hop(
                    chain.result(Outcome.OK, status=status, headers=headers, body=body),
                    truncated=True,
                )
            return _Hop(
                chain.result(
                    Outcome.TOO_LARGE,
                    f"body over the {cap}-byte cap",
                    status=status,
                    headers=headers,
                )
            )
        except DecodeError as exc:
            return _Hop(
                chain.result(Outcome.DECODE_ERROR, str(exc), status=status, headers=headers)
            )
        return _Hop(chain.result(Outcome.OK, status=status, headers=headers, body=body))

    @staticmethod
    async def _drain(response: httpx.Response) -> None:
        """Read a small body so the connection returns to the pool; big ones close it."""
        length = response.headers.get("content-length", "")
        if not (length.isdigit() and int(length) <= ERROR_BODY_DRAIN_BYTES):
            return
        async for _chunk in _raw_chunks(response):
            pass


# --------------------------------------------------------------------------
# a synchronous wrapper


def _run_sync(factory: Callable[[], Awaitable[FetchResult]]) -> FetchResult:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())  # type: ignore[arg-type]
    # Called from inside an event loop (a notebook, a task): run on a fresh loop in a thread.
    box: list[FetchResult | BaseException] = []

    def target() -> None:
        try:
            box.append(asyncio.run(factory()))  # type: ignore[arg-type]
        except BaseException as exc:
            box.append(exc)

    thread = threading.Thread(target=target, name="newsflow-fetch-sync")
    thread.start()
    thread.join()
    if isinstance(box[0], BaseException):
        raise box[0]
    return box[0]


def fetch_sync(
    url: str,
    *,
    kind: Kind,
    options: HttpOptions | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int | None = None,
) -> FetchResult:
    """One fetch with a short-lived client, for CLI commands (``newsflow extract URL``)."""

    async def go() -> FetchResult:
        async with SafeHttpClient(options) as client:
            return await client.fetch(
                url, kind=kind, etag=etag, last_modified=last_modified, max_bytes=max_bytes
            )

    return _run_sync(go)


__all__ = [
    "ACCEPT_ENCODING",
    "FetchResult",
    "Fetcher",
    "HttpOptions",
    "Kind",
    "Outcome",
    "RobotsObserver",
    "SafeHttpClient",
    "fetch_sync",
]
