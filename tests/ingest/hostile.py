"""Misbehaving HTTP servers on 127.0.0.1 for tests of the HTTP client and the pipeline.

Raw asyncio servers, each in its own thread with its own event loop, so they
serve while the test's code (sync or async) runs.  They speak just enough
HTTP/1.1 to be believable and then misbehave on purpose: drip one byte at a
time, accept and never answer, send an endless body, a compression bomb, a
redirect loop, a redirect into loopback, a 429 with ``Retry-After``...

Two ways to use them.

Shortcuts, one hostile behaviour on every path, yielding a base URL (no
trailing slash); ``/robots.txt`` answers 404 (allow all) unless ``robots=``::

    from tests.ingest import hostile

    with hostile.drip_server(interval_s=2.0) as base:      # 1 byte every 2 s
        fetch(base + "/feed.xml")                           # -> timeout
    with hostile.silent_server() as base: ...               # accepts, never answers
    with hostile.endless_server() as base: ...              # endless body -> too_large
    with hostile.bomb_server("gzip") as base: ...           # also "deflate", "br"
    with hostile.redirect_loop_server() as base: ...        # -> too_many_redirects
    with hostile.redirect_server("http://[::1]:9/") as base: ...   # -> blocked_ssrf
    with hostile.status_server(429, {"Retry-After": "120"}) as base: ...
    with hostile.robots_server(hostile.status(503)) as base: ...   # robots.txt 5xx

A route table, yielding the :class:`HostileServer` (``base_url``, ``url()``,
``requests`` as seen by the server, ``max_in_flight``)::

    with hostile.serve({
        "/ok": hostile.respond(b"<html>...</html>"),
        "/slow": hostile.respond(b"...", delay_s=0.3),
        "/r/*": hostile.redirect("{base}/ok"),              # prefix route; {base} filled in
        "/robots.txt": hostile.robots_txt("User-agent: *\\nDisallow: /private\\n"),
    }) as server:
        fetch(server.url("/ok")); assert server.count("/ok") == 1

A behaviour is ``async def behaviour(exchange: Exchange) -> None``; the
factories below make the usual ones.  Nothing here reaches beyond 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import functools
import gzip
import ipaddress
import ssl
import tempfile
import threading
import time
import zlib
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import brotli

Behaviour = Callable[["Exchange"], Awaitable[None]]

_REASONS = {
    200: "OK",
    204: "No Content",
    301: "Moved Permanently",
    302: "Found",
    303: "See Other",
    304: "Not Modified",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    410: "Gone",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


@dataclass
class RecordedRequest:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    started: float  # time.monotonic() when the request head was read
    finished: float | None = None
    bytes_sent: int = 0
    client_closed: bool = False  # the client hung up before the behaviour finished
    peer: tuple[str, int] = ("", 0)  # the client's address: one per connection


class InFlight:
    """Counts requests being served; share one between servers to see a global maximum."""

    def __init__(self) -> None:
        self.now = 0
        self.max = 0
        self._lock = threading.Lock()

    def enter(self) -> None:
        with self._lock:
            self.now += 1
            self.max = max(self.max, self.now)

    def leave(self) -> None:
        with self._lock:
            self.now -= 1


class ClientGone(Exception):
    """The client closed the connection."""


class Exchange:
    """What a behaviour works with: the request, the socket, and the server."""

    def __init__(
        self,
        server: HostileServer,
        request: RecordedRequest,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        self.server = server
        self.request = request
        self.reader = reader
        self.writer = writer
        self.keep_alive = False  # set by respond(): the connection may serve another request
        self._watch: asyncio.Task[None] | None = None

    async def send(self, data: bytes) -> None:
        """Write and flush; raises :class:`ClientGone` when the client has hung up."""
        if self._watch is not None and self._watch.done():
            raise ClientGone
        try:
            self.writer.write(data)
            await self.writer.drain()
        except (ConnectionError, RuntimeError) as exc:
            raise ClientGone from exc
        self.request.bytes_sent += len(data)

    async def respond(
        self,
        status: int = 200,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
        *,
        content_type: str | None = "text/html; charset=utf-8",
        content_length: int | None = None,
    ) -> None:
        """A complete response in one write, with ``Content-Length``; keeps the connection."""
        head = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
        names = {k.lower() for k in (headers or {})}
        if content_type and "content-type" not in names and status != 304:
            head.append(f"Content-Type: {content_type}")
        if "content-length" not in names and status not in (204, 304):
            size = len(body) if content_length is None else content_length
            head.append(f"Content-Length: {size}")
        head.extend(f"{k}: {v}" for k, v in (headers or {}).items())
        self.keep_alive = content_length is None
        await self.send(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)

    def watch_disconnect(self) -> None:
        """Notice the client hanging up while the behaviour is busy (drip, hang, endless)."""

        async def watch() -> None:
            with contextlib.suppress(ConnectionError):
                while await self.reader.read(4096):
                    pass

        self._watch = asyncio.ensure_future(watch())

    async def wait_closed(self, limit_s: float = 3600.0) -> None:
        """Wait until the client hangs up (or ``limit_s`` passes)."""
        if self._watch is None:
            self.watch_disconnect()
        assert self._watch is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._watch), limit_s)
        if self._watch.done():
            raise ClientGone

    def close_watch(self) -> None:
        if self._watch is not None:
            self._watch.cancel()


class HostileServer:
    """A raw HTTP/1.1 server on 127.0.0.1 whose routes are behaviours.

    ``routes`` maps a path (without query) to a behaviour; a key ending in
    ``*`` matches every path with that prefix.  Unmatched paths use
    ``default`` (404).  ``/robots.txt`` answers 404 unless routed.
    ``tls=True`` serves HTTPS with a self-signed certificate (clients must refuse it).
    """

    def __init__(
        self,
        routes: Mapping[str, Behaviour] | None = None,
        *,
        default: Behaviour | None = None,
        in_flight: InFlight | None = None,
        tls: bool = False,
    ) -> None:
        self.routes: dict[str, Behaviour] = dict(routes or {})
        self.default = default or status(404, body=b"not found")
        self.requests: list[RecordedRequest] = []
        self.in_flight = in_flight or InFlight()
        self.tls = tls
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    # -- addresses ---------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    # -- what was seen -------------------------------------------------------------

    @property
    def open_connections(self) -> int:
        """Connections open right now (a client that pools keeps some open between requests)."""
        return len(self._tasks)

    @property
    def max_in_flight(self) -> int:
        return self.in_flight.max

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def count(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path.split("?")[0] == path)

    # -- life cycle ------------------------------------------------------------------

    def start(self) -> HostileServer:
        self._thread = threading.Thread(target=self._run, name="hostile-server", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise self._error
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:
            self._error = exc
            self._ready.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        context = _self_signed_context() if self.tls else None
        server = await asyncio.start_server(
            self._connection, "127.0.0.1", 0, ssl=context, limit=1 << 16
        )
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            server.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def _route(self, path: str) -> Behaviour:
        bare = path.split("?", 1)[0]
        if bare in self.routes:
            return self.routes[bare]
        for key, behaviour in self.routes.items():
            if key.endswith("*") and bare.startswith(key[:-1]):
                return behaviour
        if bare == "/robots.txt":
            return status(404, body=b"no robots.txt")
        return self.default

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, path, _version = ([*lines[0].split(" "), "", ""])[:3]
                headers: dict[str, str] = {}
                for line in lines[1:]:
                    if ":" in line:
                        name, value = line.split(":", 1)
                        headers[name.strip().lower()] = value.strip()
                peer = writer.get_extra_info("peername") or ("", 0)
                request = RecordedRequest(
                    method, path, headers, time.monotonic(), peer=(str(peer[0]), int(peer[1]))
                )
                self.requests.append(request)
                exchange = Exchange(self, request, reader, writer)
                self.in_flight.enter()
                try:
                    await self._route(path)(exchange)
                except ClientGone:
                    request.client_closed = True
                finally:
                    self.in_flight.leave()
                    request.finished = time.monotonic()
                    exchange.close_watch()
                if not exchange.keep_alive or headers.get("connection", "").lower() == "close":
                    return
        except asyncio.CancelledError:
            pass
        finally:
            self._tasks.discard(task)
            with contextlib.suppress(Exception):
                writer.close()


# --------------------------------------------------------------------------
# behaviours


def _fill(text: str, exchange: Exchange) -> str:
    return text.replace("{base}", exchange.server.base_url)


def respond(
    body: bytes = b"<html><body><p>ok</p></body></html>",
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    content_type: str = "text/html; charset=utf-8",
    delay_s: float = 0.0,
) -> Behaviour:
    """An ordinary response, optionally after ``delay_s`` (the server stays responsive)."""

    async def behaviour(exchange: Exchange) -> None:
        if delay_s:
            await asyncio.sleep(delay_s)
        await exchange.respond(status, body, headers, content_type=content_type)

    return behaviour


def status(code: int, headers: Mapping[str, str] | None = None, *, body: bytes = b"") -> Behaviour:
    """A bare status: 404, 410, 429 with ``Retry-After``, 500, 503..."""
    return respond(body, status=code, headers=headers, content_type="text/plain")


def robots_txt(text: str | bytes, *, status: int = 200) -> Behaviour:
    body = text.encode("utf-8") if isinstance(text, str) else text
    return respond(body, status=status, content_type="text/plain")


def conditional(
    body: bytes,
    *,
    etag: str = '"v1"',
    last_modified: str = "Mon, 02 Dec 2024 22:35:00 GMT",
    content_type: str = "application/rss+xml",
) -> Behaviour:
    """200 with validators; 304 when ``If-None-Match`` or ``If-Modified-Since`` matches."""

    async def behaviour(exchange: Exchange) -> None:
        h = exchange.request.headers
        validators = {"ETag": etag, "Last-Modified": last_modified}
        if h.get("if-none-match") == etag or h.get("if-modified-since") == last_modified:
            await exchange.respond(304, b"", validators, content_type=None)
        else:
            await exchange.respond(200, body, validators, content_type=content_type)

    return behaviour


def redirect(location: str, *, status: int = 302) -> Behaviour:
    """Redirect to ``location``; ``{base}`` in it becomes this server's base URL."""

    async def behaviour(exchange: Exchange) -> None:
        target = _fill(location, exchange)
        await exchange.respond(status, b"", {"Location": target}, content_type="text/plain")

    return behaviour


def redirect_chain(prefix: str = "/chain/", *, final: Behaviour | None = None) -> Behaviour:
    """``{prefix}N`` redirects to ``{prefix}N-1`` ... ``{prefix}0`` answers ``final``.

    Route it as ``{prefix + "*": redirect_chain(prefix)}``; fetching ``/chain/5``
    takes exactly 5 redirects.
    """
    end = final or respond(b"<html><body>end of chain</body></html>")

    async def behaviour(exchange: Exchange) -> None:
        n = int(exchange.request.path.split("?")[0][len(prefix) :] or 0)
        if n <= 0:
            await end(exchange)
            return
        await exchange.respond(302, b"", {"Location": f"{prefix}{n - 1}"}, content_type=None)

    return behaviour


def drip(
    interval_s: float = 2.0,
    *,
    total: int = 100_000,
    content_type: str = "text/html; charset=utf-8",
    headers_first: bool = True,
) -> Behaviour:
    """Announce ``total`` bytes, then send one byte every ``interval_s`` (slowloris).

    Each byte arrives well within any per-read timeout, so only a wall-clock
    deadline stops it.  ``headers_first=False`` drips the status line too.
    """

    async def behaviour(exchange: Exchange) -> None:
        exchange.watch_disconnect()
        head = (
            f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {total}\r\n\r\n"
        ).encode()
        if headers_first:
            await exchange.send(head)
            stream = b"x" * total
        else:
            stream = head + b"x" * total
        for i in range(len(stream)):
            await exchange.send(stream[i : i + 1])
            await asyncio.sleep(interval_s)

    return behaviour


def hang() -> Behaviour:
    """Read the request and never answer (until the client gives up)."""

    async def behaviour(exchange: Exchange) -> None:
        await exchange.wait_closed()

    return behaviour


def endless(*, chunk_size: int = 64 * 1024, content_type: str = "text/html") -> Behaviour:
    """A chunked body that never ends."""

    async def behaviour(exchange: Exchange) -> None:
        exchange.watch_disconnect()
        await exchange.send(
            f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n"
            "Transfer-Encoding: chunked\r\n\r\n".encode()
        )
        payload = (b"<p>more</p>" * (chunk_size // 11 + 1))[:chunk_size]
        chunk = f"{chunk_size:x}\r\n".encode() + payload
        while True:
            await exchange.send(chunk + b"\r\n")

    return behaviour


@functools.lru_cache(maxsize=8)
def bomb_bytes(encoding: str, size: int) -> bytes:
    """``size`` bytes of zeros compressed with ``encoding`` (gzip, deflate, br, or "gzip, br")."""
    block = b"\0" * (1 << 20)
    out = b""
    for coding in [c.strip() for c in encoding.split(",")]:
        if coding == "br":
            if not out:
                comp = brotli.Compressor(quality=5)
                out = b"".join(comp.process(block) for _ in range(size >> 20)) + comp.finish()
            else:
                out = brotli.compress(out, quality=5)
        elif coding in ("gzip", "deflate"):
            wbits = 16 + zlib.MAX_WBITS if coding == "gzip" else zlib.MAX_WBITS
            z = zlib.compressobj(6, zlib.DEFLATED, wbits)
            if not out:
                out = b"".join(z.compress(block) for _ in range(size >> 20)) + z.flush()
            else:
                out = z.compress(out) + z.flush()
        else:
            raise ValueError(coding)
    return out


def bomb(
    encoding: str = "gzip",
    *,
    size: int = 64 * 1024 * 1024,
    content_type: str = "text/html; charset=utf-8",
    declare_length: bool = True,
) -> Behaviour:
    """A small compressed body that inflates to ``size`` bytes (64 MiB by default)."""

    async def behaviour(exchange: Exchange) -> None:
        body = bomb_bytes(encoding, size)
        headers = {"Content-Encoding": encoding}
        if not declare_length:
            headers["Connection"] = "close"
        await exchange.respond(200, body, headers, content_type=content_type)

    return behaviour


def compressed(
    body: bytes, encoding: str, *, content_type: str = "text/html; charset=utf-8"
) -> Behaviour:
    """A well-formed compressed response (``gzip``, ``deflate``, ``raw-deflate``, ``br``)."""
    if encoding == "gzip":
        data = gzip.compress(body)
    elif encoding == "deflate":
        data = zlib.compress(body)
    elif encoding == "raw-deflate":
        z = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        data, encoding = z.compress(body) + z.flush(), "deflate"
    elif encoding == "br":
        data = brotli.compress(body)
    else:
        data = body
    return respond(data, headers={"Content-Encoding": encoding}, content_type=content_type)


def lying_length(declared: int, *, body: bytes = b"<html>") -> Behaviour:
    """Declare ``declared`` bytes of ``Content-Length`` and send only ``body``, then hang."""

    async def behaviour(exchange: Exchange) -> None:
        exchange.watch_disconnect()
        await exchange.send(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
            + f"Content-Length: {declared}\r\n\r\n".encode()
            + body
        )
        await exchange.wait_closed()

    return behaviour


def garbage() -> Behaviour:
    """Not HTTP at all."""

    async def behaviour(exchange: Exchange) -> None:
        await exchange.send(b"\x00\x01 this is not http \xff\xfe\r\n\r\n")

    return behaviour


def http_date(seconds_from_now: float) -> str:
    """An HTTP-date, e.g. for ``Retry-After``."""
    when = datetime.now(UTC) + timedelta(seconds=seconds_from_now)
    return email.utils.format_datetime(when, usegmt=True)


# --------------------------------------------------------------------------
# TLS


@functools.lru_cache(maxsize=1)
def _self_signed_files() -> tuple[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "newsflow hostile test")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=7))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    folder = Path(tempfile.mkdtemp(prefix="newsflow-hostile-tls-"))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


def self_signed_cert_path() -> str:
    """The PEM certificate the TLS server uses (a client may trust it explicitly)."""
    return _self_signed_files()[0]


def _self_signed_context() -> ssl.SSLContext:
    cert, key = _self_signed_files()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


# --------------------------------------------------------------------------
# shortcuts: one behaviour on every path, yielding the base URL


@contextlib.contextmanager
def serve(
    routes: Mapping[str, Behaviour] | None = None,
    *,
    default: Behaviour | None = None,
    in_flight: InFlight | None = None,
    tls: bool = False,
) -> Iterator[HostileServer]:
    """A :class:`HostileServer` with ``routes``, started and stopped around the block."""
    with HostileServer(routes, default=default, in_flight=in_flight, tls=tls) as server:
        yield server


@contextlib.contextmanager
def _everywhere(behaviour: Behaviour, robots: Behaviour | None = None) -> Iterator[str]:
    routes = {"/robots.txt": robots} if robots is not None else {}
    with serve(routes, default=behaviour) as server:
        yield server.base_url


def drip_server(
    interval_s: float = 2.0, *, total: int = 100_000
) -> contextlib.AbstractContextManager[str]:
    """Every path drips one byte every ``interval_s`` seconds."""
    return _everywhere(drip(interval_s, total=total))


def silent_server() -> contextlib.AbstractContextManager[str]:
    """Every path: the connection is accepted, the request read, and nothing ever comes back."""
    return _everywhere(hang())


def endless_server() -> contextlib.AbstractContextManager[str]:
    """Every path: a chunked body that never ends."""
    return _everywhere(endless())


def bomb_server(
    encoding: str = "gzip", *, size: int = 64 * 1024 * 1024
) -> contextlib.AbstractContextManager[str]:
    """Every path: a compression bomb (``gzip``, ``deflate``, ``br``) inflating to ``size``."""
    return _everywhere(bomb(encoding, size=size))


def redirect_loop_server() -> contextlib.AbstractContextManager[str]:
    """Every path redirects to ``/loop-a`` or ``/loop-b``, alternately: an endless loop."""

    async def behaviour(exchange: Exchange) -> None:
        nxt = "/loop-b" if exchange.request.path.startswith("/loop-a") else "/loop-a"
        await exchange.respond(302, b"", {"Location": nxt}, content_type=None)

    return _everywhere(behaviour)


def redirect_server(location: str, *, status: int = 302) -> contextlib.AbstractContextManager[str]:
    """Every path redirects to ``location`` (e.g. ``http://[::1]:9/``, ``file:///etc/passwd``)."""
    return _everywhere(redirect(location, status=status))


def status_server(
    code: int, headers: Mapping[str, str] | None = None
) -> contextlib.AbstractContextManager[str]:
    """Every path answers ``code`` (304, 404, 410, 429, 500, 503...) with ``headers``."""
    return _everywhere(status(code, headers))


def robots_server(
    robots: Behaviour, page: Behaviour | None = None
) -> contextlib.AbstractContextManager[str]:
    """``/robots.txt`` misbehaves as ``robots``; every other path serves ``page`` (an HTML page)."""
    return _everywhere(page or respond(), robots=robots)


__all__ = [
    "Behaviour",
    "ClientGone",
    "Exchange",
    "HostileServer",
    "InFlight",
    "RecordedRequest",
    "bomb",
    "bomb_bytes",
    "bomb_server",
    "compressed",
    "conditional",
    "drip",
    "drip_server",
    "endless",
    "endless_server",
    "garbage",
    "hang",
    "http_date",
    "lying_length",
    "redirect",
    "redirect_chain",
    "redirect_loop_server",
    "redirect_server",
    "respond",
    "robots_server",
    "robots_txt",
    "self_signed_cert_path",
    "serve",
    "silent_server",
    "status",
    "status_server",
]
