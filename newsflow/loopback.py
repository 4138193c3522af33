"""A small threaded HTTP server on 127.0.0.1 for the demo, tests and benchmarks.

It serves a mapping of paths to responses (body, content type, status,
headers), supports conditional GET (ETag / If-None-Match), and can delay every
response to imitate network latency.  Routes can be changed while it runs.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass
class Route:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    etag: bool = True


Handler = Callable[[BaseHTTPRequestHandler], None]


class LoopbackServer:
    """``with LoopbackServer(routes) as server: server.url('/feed.xml')``"""

    def __init__(
        self,
        routes: Mapping[str, Route | Handler] | None = None,
        *,
        delay_s: float = 0.0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.routes: dict[str, Route | Handler] = dict(routes or {})
        self.delay_s = delay_s
        self.requests: list[tuple[str, str]] = []  # (method, path)
        self._lock = threading.Lock()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes; with Nagle on, every
            # kept-alive response would wait ~40 ms for the delayed ACK.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: object) -> None:
                return

            def do_HEAD(self) -> None:
                self._serve(head=True)

            def do_GET(self) -> None:
                self._serve(head=False)

            def _serve(self, head: bool) -> None:
                with server._lock:
                    server.requests.append((self.command, self.path))
                route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
                if server.delay_s:
                    time.sleep(server.delay_s)
                if route is None:
                    self._send(404, b"not found", "text/plain", {})
                    return
                if callable(route):
                    route(self)
                    return
                if route.delay_s:
                    time.sleep(route.delay_s)
                headers = dict(route.headers)
                if route.etag and route.status == 200:
                    tag = '"' + hashlib.sha1(route.body).hexdigest()[:16] + '"'
                    headers.setdefault("ETag", tag)
                    if self.headers.get("If-None-Match") == tag:
                        self._send(304, b"", route.content_type, headers, head=True)
                        return
                self._send(route.status, route.body, route.content_type, headers, head=head)

            def _send(
                self,
                status: int,
                body: bytes,
                content_type: str,
                headers: dict[str, str],
                head: bool = False,
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                if not head and status != 304:
                    self.wfile.write(body)

        self._httpd = ThreadingHTTPServer((host, port), _Handler)
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def start(self) -> LoopbackServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
