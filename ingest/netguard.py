"""The SSRF guard: which addresses newsflow may connect to, checked where it connects.

A feed list is user input and every page link comes from a stranger's server, so
a URL may point at the machine itself, the private network or a cloud metadata
service.  Two layers stop that:

1. :func:`check_url_host` looks at the host *as written* before anything is
   sent: IP literals in every spelling, ``localhost`` names, and numeric
   obfuscations (``2130706433``, ``0177.0.0.1``, ``0x7f.1``, ``127.1``) that
   resolvers quietly turn into ``127.0.0.1``, and percent-encoded hosts.
2. :class:`GuardedBackend`, an httpcore network backend, resolves every host
   name itself, vets each address and connects to the vetted IP only.  The
   address checked is the address connected, so DNS rebinding (a name that is
   public when checked and private when connected) cannot slip through.

The allow-list (``NEWSFLOW_ALLOWED_HOSTS``) exempts hosts, and matches in two
ways on purpose:

* a **name** entry (``feeds.intranet``; ``.intranet`` or ``*.intranet`` for
  sub-domains) exempts URLs written with that host name, whatever it resolves
  to: the operator vouches for the name;
* an **IP or CIDR** entry (``127.0.0.1``, ``10.0.0.0/8``, ``::1``) exempts URLs
  whose host is an IP literal, written in canonical form, inside the range.

A host name that merely *resolves* into an allowed range is not exempt:
otherwise any attacker-controlled DNS name pointing at ``127.0.0.1`` would pass
once tests or the demo allow ``127.0.0.1``.  So with ``127.0.0.1`` allowed,
``http://127.0.0.1:8000/`` is fetched, while ``http://localhost:8000/`` and
``http://[::1]:8000/`` are refused; list ``localhost`` to allow that name.
Numeric spellings other than dotted-quad decimal are refused whatever they
address: no real feed uses them and they exist to dodge filters.  Cloud
metadata addresses are refused even when an allow-list entry covers them.

Why one file of ~600 lines: the SSRF guard's two layers (the host as written,
the address connected) and the transport that uses them are reviewed together;
splitting them would let one layer change without the other being read.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import select
import socket
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Instance-metadata endpoints (AWS/GCP/Azure/OpenStack, AWS IPv6, ECS tasks,
#: Alibaba, Azure's wire server).  Refused even when an allow-list range covers them.
METADATA_ADDRESSES: frozenset[IPAddress] = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",
        "169.254.170.2",
        "fd00:ec2::254",
        "100.100.100.200",
        "168.63.129.16",
    )
)

_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))
_SIXTOFOUR = ipaddress.IPv6Network("2002::/16")
_IPV4_COMPAT = ipaddress.IPv6Network("::/96")


class BlockedAddress(Exception):
    """Raised by the guard: the host or the address it resolved to is not allowed."""

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(f"{host}: {reason}")
        self.host = host
        self.reason = reason


# --------------------------------------------------------------------------
# address classification


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries to the IPv4 world, if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if any(ip in net for net in _NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _SIXTOFOUR:
        return ip.sixtofour
    if ip in _IPV4_COMPAT and int(ip) > 1:  # deprecated ::a.b.c.d (not :: or ::1)
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def blocked_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public unicast address, or ``None`` when it is."""
    if ip in METADATA_ADDRESSES:
        return "cloud metadata address"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return "scoped IPv6 address"
        inner = _embedded_ipv4(ip)
        if inner is not None:
            why = blocked_reason(inner)
            if why:
                return f"embeds {inner} ({why})"
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("not globally routable", not ip.is_global),
    )
    for name, hit in checks:
        if hit:
            return f"{name} address"
    return None


# --------------------------------------------------------------------------
# host parsing


def _parse_ipv4_number(part: str) -> int | None:
    """One component of a WHATWG IPv4 host: decimal, 0x-hex or 0-octal."""
    if part == "":
        return None
    base = 10
    if part[:2] in ("0x", "0X"):
        part, base = part[2:], 16
        if part == "":
            return 0
    elif len(part) > 1 and part[0] == "0":
        part, base = part[1:], 8
    try:
        return int(part, base)
    except ValueError:
        return None


def parse_numeric_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The address a numeric host denotes the way URL parsers and ``inet_aton`` read it.

    ``2130706433``, ``0177.0.0.1``, ``0x7f.1`` and ``127.1`` all mean
    ``127.0.0.1``.  Returns ``None`` for hosts that are not numeric.
    """
    parts = host.split(".")
    if parts and parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if not parts or len(parts) > 4:
        return None
    last = parts[-1]
    if not (last.isdigit() or last[:2].lower() == "0x"):
        return None
    numbers = [_parse_ipv4_number(p) for p in parts]
    if any(n is None for n in numbers):
        return None
    values = [n for n in numbers if n is not None]
    if any(n > 255 for n in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        return None
    value = values[-1]
    for i, n in enumerate(values[:-1]):
        value += n * 256 ** (3 - i)
    return ipaddress.IPv4Address(value)


@dataclass(frozen=True)
class HostInfo:
    """A URL host normalised for the guard."""

    name: str  # lower-case, percent-decoded, no brackets, no trailing dot
    ip: IPAddress | None  # set when the host is an IP literal (any spelling)
    canonical: bool  # False for numeric obfuscations such as 0x7f.1


def normalise_host(host: str) -> HostInfo:
    """Lower-case, percent-decode and classify a URL host (``urlsplit(url).hostname``)."""
    name = unquote(host).strip().lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    if ":" in name:
        try:
            return HostInfo(name, ipaddress.IPv6Address(name), True)
        except ValueError:
            return HostInfo(name, None, True)
    name = name.rstrip(".") if name != "." else name
    try:
        return HostInfo(name, ipaddress.IPv4Address(name), True)
    except ValueError:
        pass
    numeric = parse_numeric_ipv4(name)
    if numeric is not None:
        return HostInfo(name, numeric, False)
    return HostInfo(name, None, True)


# --------------------------------------------------------------------------
# allow-list


@dataclass(frozen=True)
class AllowList:
    """Hosts exempt from the guard; see the module docstring for the two kinds of entry."""

    names: frozenset[str] = frozenset()
    suffixes: tuple[str, ...] = ()  # ".example.org" from ".example.org" or "*.example.org"
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> AllowList:
        names: set[str] = set()
        suffixes: list[str] = []
        networks: list[IPNetwork] = []
        for raw in entries:
            entry = raw.strip().lower()
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
                continue
            except ValueError:
                pass
            if entry.startswith("*."):
                entry = entry[1:]
            entry = entry.rstrip(".")
            with contextlib.suppress(UnicodeError):
                entry = entry.encode("idna").decode("ascii")
            if entry.startswith("."):
                suffixes.append(entry)
            else:
                names.add(entry)
        return cls(frozenset(names), tuple(suffixes), tuple(networks))

    def exempts(self, host: HostInfo) -> bool:
        """Whether the host as written is exempt (by name, or as a canonical IP literal)."""
        if host.ip is not None:
            return host.canonical and any(
                host.ip.version == net.version and host.ip in net for net in self.networks
            )
        return host.name in self.names or any(host.name.endswith(s) for s in self.suffixes)


def _is_localhost_name(name: str) -> bool:
    return name == "localhost" or name.endswith(".localhost")  # RFC 6761 section 6.3


def check_url_host(host: str, allow: AllowList) -> str | None:
    """Refuse what can be refused from the URL alone; ``None`` means "resolve and check".

    Returns the reason for a refusal.  Host names that pass still have every
    resolved address checked by :class:`GuardedBackend` at connect time.
    """
    if "%" in host:
        return f"percent-encoded host {host!r}"
    info = normalise_host(host)
    if not info.name:
        return "empty host"
    if info.ip is not None and not info.canonical:
        return f"numeric host {host!r} means {info.ip}; only dotted-quad IPv4 is accepted"
    if allow.exempts(info):
        if info.ip is not None and info.ip in METADATA_ADDRESSES:
            return "cloud metadata address"
        return None
    if info.ip is not None:
        return blocked_reason(info.ip)
    if _is_localhost_name(info.name):
        return "localhost name (list it in NEWSFLOW_ALLOWED_HOSTS to allow)"
    return None


# --------------------------------------------------------------------------
# resolution with a short cache

GetAddrInfo = Callable[[str, int], Awaitable[Sequence[str]]]


async def system_getaddrinfo(host: str, port: int) -> list[str]:
    """The system resolver's addresses for ``host``, in its preference order."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: dict[str, None] = {}
    for _family, _type, _proto, _canon, sockaddr in infos:
        seen.setdefault(str(sockaddr[0]), None)
    return list(seen)


class Resolver:
    """Resolves names with a short positive cache and one lookup in flight per name.

    Caching keeps DNS out of the per-request cost when thousands of pages come
    from a few hosts; the cache holds addresses, and every address is vetted
    again on each connection, so a cached answer never bypasses the guard.
    """

    def __init__(self, ttl_s: float = 60.0, getaddrinfo: GetAddrInfo | None = None) -> None:
        self.ttl_s = ttl_s
        self._getaddrinfo = getaddrinfo or system_getaddrinfo
        self._cache: dict[str, tuple[float, tuple[str, ...]]] = {}
        self._pending: dict[str, asyncio.Task[tuple[str, ...]]] = {}

    async def resolve(self, host: str, port: int) -> tuple[str, ...]:
        hit = self._cache.get(host)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
        task = self._pending.get(host)
        if task is None:
            task = asyncio.ensure_future(self._lookup(host, port))
            self._pending[host] = task
            task.add_done_callback(lambda _t: self._pending.pop(host, None))
        # shield: one caller's cancellation must not cancel the lookup the others wait on
        return await asyncio.shield(task)

    async def _lookup(self, host: str, port: int) -> tuple[str, ...]:
        addresses = tuple(await self._getaddrinfo(host, port))
        now = time.monotonic()
        if len(self._cache) > 10_000:
            self._cache = {k: v for k, v in self._cache.items() if v[0] > now}
        self._cache[host] = (now + self.ttl_s, addresses)
        return addresses


# --------------------------------------------------------------------------
# the connect-time guard


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects only to vetted IP addresses.

    httpcore calls ``connect_tcp(host, port)`` with the URL's host; this
    backend resolves it, drops every address the guard refuses, and hands the
    inner backend an IP string, never a name.  TLS still verifies the
    certificate against the URL's host name (httpcore passes it as
    ``server_hostname`` to ``start_tls``).
    """

    def __init__(
        self,
        allow: AllowList,
        resolver: Resolver | None = None,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self.allow = allow
        self.resolver = resolver or Resolver()
        self.inner = inner or httpcore.AnyIOBackend()

    async def vetted_addresses(self, host: str, port: int) -> list[str]:
        """The addresses that ``host`` may be reached at; raises :class:`BlockedAddress`."""
        why = check_url_host(host, self.allow)
        if why:
            raise BlockedAddress(host, why)
        info = normalise_host(host)
        if info.ip is not None:
            return [str(info.ip)]
        exempt = self.allow.exempts(info)
        try:
            addresses = await self.resolver.resolve(info.name, port)
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        vetted: list[str] = []
        refused: list[str] = []
        for text in addresses:
            ip = ipaddress.ip_address(text.split("%", 1)[0])
            why = "cloud metadata address" if ip in METADATA_ADDRESSES else None
            if why is None and not exempt:
                why = blocked_reason(ip)
            if why:
                refused.append(f"{ip} ({why})")
            else:
                vetted.append(str(ip))
        if not vetted:
            detail = ", ".join(refused) or "no addresses"
            raise BlockedAddress(host, f"resolves to {detail}")
        return vetted

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self.vetted_addresses(host, port)
        last: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddress(path, "unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


# --------------------------------------------------------------------------
# the transport: a lean keep-alive pool over the guarded backend

_EXCEPTIONS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


def _to_httpx(exc: Exception, request: httpx.Request) -> Exception:
    for source, target in _EXCEPTIONS:
        if isinstance(exc, source):
            return target(str(exc), request=request)
    return exc


Origin = tuple[bytes, bytes, int]


def _readable(sock: socket.socket | None) -> bool:
    """Whether an idle socket has something to read: for HTTP/1.1, the server hung up."""
    if sock is None or sock.fileno() < 0:
        return True
    poller = select.poll()
    poller.register(sock.fileno(), select.POLLIN)
    return bool(poller.poll(0))


@dataclass
class _Pooled:
    connection: httpcore.AsyncHTTP11Connection
    sock: socket.socket | None
    idle_since: float = 0.0
    reused: bool = False


class GuardedTransport(httpx.AsyncBaseTransport):
    """An httpx transport: HTTP/1.1 keep-alive connections opened through the guard.

    httpcore's own pool re-scans every connection (with a socket poll each) on
    every request and response, which costs more than the request itself once
    dozens of connections are open; here idle connections wait in a stack per
    origin, so taking and returning one is O(1).  Connections come only from
    :class:`GuardedBackend`, so every one of them is to a vetted address.
    """

    def __init__(
        self,
        backend: GuardedBackend,
        ssl_context: ssl.SSLContext,
        *,
        connect_timeout_s: float,
        max_idle: int = 256,
        max_idle_per_origin: int = 8,
        keepalive_expiry_s: float = 30.0,
    ) -> None:
        self.backend = backend
        self.ssl_context = ssl_context
        self.connect_timeout_s = connect_timeout_s
        self.max_idle = max_idle
        self.max_idle_per_origin = max_idle_per_origin
        self.keepalive_expiry_s = keepalive_expiry_s
        self._idle: dict[Origin, list[_Pooled]] = {}
        self._idle_count = 0
        self.opened = 0  # connections opened, for tests and statistics

    async def _take(self, origin: Origin) -> _Pooled | None:
        stack = self._idle.get(origin)
        now = time.monotonic()
        while stack:
            pooled = stack.pop()
            self._idle_count -= 1
            fresh = now - pooled.idle_since < self.keepalive_expiry_s
            # readable while idle means the server closed it (or sent junk)
            if fresh and pooled.connection.is_idle() and not _readable(pooled.sock):
                pooled.reused = True
                return pooled
            await pooled.connection.aclose()
        return None

    async def _give_back(self, origin: Origin, pooled: _Pooled) -> None:
        if not pooled.connection.is_idle():
            await pooled.connection.aclose()
            return
        stack = self._idle.setdefault(origin, [])
        if len(stack) >= self.max_idle_per_origin or self._idle_count >= self.max_idle:
            await pooled.connection.aclose()
            return
        pooled.idle_since = time.monotonic()
        pooled.reused = False
        stack.append(pooled)
        self._idle_count += 1

    async def _open(self, origin: Origin) -> _Pooled:
        scheme, host, port = origin
        host_text = host.decode("ascii")
        stream = await self.backend.connect_tcp(host_text, port, timeout=self.connect_timeout_s)
        try:
            if scheme == b"https":
                stream = await stream.start_tls(
                    self.ssl_context, server_hostname=host_text, timeout=self.connect_timeout_s
                )
        except BaseException:
            await stream.aclose()
            raise
        self.opened += 1
        sock = stream.get_extra_info("socket")
        return _Pooled(httpcore.AsyncHTTP11Connection(httpcore.Origin(*origin), stream), sock)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        scheme = url.raw_scheme
        if scheme not in (b"http", b"https"):
            raise httpx.UnsupportedProtocol(f"scheme {url.scheme!r} refused", request=request)
        port = url.port or (443 if scheme == b"https" else 80)
        origin: Origin = (scheme, url.raw_host, port)
        assert isinstance(request.stream, httpx.AsyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=scheme, host=url.raw_host, port=port, target=url.raw_path),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        try:
            pooled = await self._take(origin)
            if pooled is not None:
                try:
                    response = await pooled.connection.handle_async_request(core_request)
                except (httpcore.RemoteProtocolError, httpcore.ReadError, httpcore.WriteError):
                    # the server closed the kept-alive connection as we reused it:
                    # GET is idempotent, so try once on a new connection
                    await pooled.connection.aclose()
                    pooled = None
            if pooled is None:
                pooled = await self._open(origin)
                response = await pooled.connection.handle_async_request(core_request)
        except Exception as exc:
            mapped = _to_httpx(exc, request)
            if mapped is exc:
                raise
            raise mapped from exc
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_PooledStream(self, origin, pooled, response.stream, request),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        stacks, self._idle, self._idle_count = self._idle, {}, 0
        for stack in stacks.values():
            for pooled in stack:
                await pooled.connection.aclose()


class _PooledStream(httpx.AsyncByteStream):
    """A response body; closing it returns the connection to the pool when reusable."""

    def __init__(
        self,
        transport: GuardedTransport,
        origin: Origin,
        pooled: _Pooled,
        stream: Any,
        request: httpx.Request,
    ) -> None:
        self._transport = transport
        self._origin = origin
        self._pooled = pooled
        self._stream = stream
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for part in self._stream:
                yield part
        except Exception as exc:
            mapped = _to_httpx(exc, self._request)
            if mapped is exc:
                raise
            raise mapped from exc

    async def aclose(self) -> None:
        await self._stream.aclose()  # marks the connection idle, or closes it
        await self._transport._give_back(self._origin, self._pooled)


__all__ = [
    "METADATA_ADDRESSES",
    "AllowList",
    "BlockedAddress",
    "GuardedBackend",
    "GuardedTransport",
    "HostInfo",
    "Resolver",
    "blocked_reason",
    "check_url_host",
    "normalise_host",
    "parse_numeric_ipv4",
    "system_getaddrinfo",
]
