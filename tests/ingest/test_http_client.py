"""SafeHttpClient against real misbehaving servers on 127.0.0.1.

No timed assertions: where a deadline matters, the test asserts what the
*server* saw (how many bytes it managed to send before the client hung up).
"""

from __future__ import annotations

import asyncio
import itertools

import httpx
import pytest

from ingest.records import FetchResult, Outcome
from tests.ingest import hostile
from tests.ingest.test_http_support import client, fetch, fetch_many, run, settings

PAGE = b"<html><head><title>t</title></head><body><p>" + b"words " * 200 + b"</p></body></html>"


# --------------------------------------------------------------------------
# the ordinary path


def test_ok_headers_user_agent_and_accept() -> None:
    routes = {"/a.html": hostile.respond(PAGE, headers={"ETag": '"abc"', "X-Thing": "1"})}
    with hostile.serve(routes) as server:
        result = fetch(server.url("/a.html"))
    assert result.outcome is Outcome.OK and result.ok
    assert result.status == 200
    assert result.body == PAGE
    assert result.etag == '"abc"'
    assert result.headers["x-thing"] == "1"  # lower-case names
    assert result.content_type.startswith("text/html")
    assert result.final_url == result.url == server.url("/a.html")
    assert result.redirects == ()
    page = next(r for r in server.requests if r.path == "/a.html")
    assert page.headers["user-agent"] == settings().user_agent
    assert page.headers["user-agent"].startswith("newsflow/")
    assert "text/html" in page.headers["accept"]
    assert page.headers["accept-encoding"] == "gzip, deflate, br"


def test_user_agent_is_configurable() -> None:
    with hostile.serve({"/f": hostile.respond(b"<rss/>")}) as server:
        fetch(server.url("/f"), "feed", settings(user_agent="acme-news/2 (+mailto:ops@acme)"))
    assert server.requests[-1].headers["user-agent"] == "acme-news/2 (+mailto:ops@acme)"


def test_conditional_get_etag_and_last_modified() -> None:
    with hostile.serve({"/feed": hostile.conditional(b"<rss/>")}) as server:
        first = fetch(server.url("/feed"), "feed")
        by_etag = fetch(server.url("/feed"), "feed", etag=first.etag)
        by_date = fetch(server.url("/feed"), "feed", last_modified=first.last_modified)
    assert first.outcome is Outcome.OK and first.etag == '"v1"'
    assert by_etag.outcome is Outcome.NOT_MODIFIED and by_etag.status == 304
    assert by_etag.body == b""
    assert by_date.outcome is Outcome.NOT_MODIFIED
    sent = [r.headers for r in server.requests]
    assert sent[1]["if-none-match"] == '"v1"'
    assert sent[2]["if-modified-since"] == first.last_modified


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate", "br"])
def test_compressed_bodies_are_decoded(encoding: str) -> None:
    with hostile.serve({"/p": hostile.compressed(PAGE, encoding)}) as server:
        result = fetch(server.url("/p"))
    assert result.outcome is Outcome.OK
    assert result.body == PAGE


def test_broken_and_unknown_encodings_are_decode_errors() -> None:
    routes = {
        "/broken": hostile.respond(
            b"\x1f\x8bthis is not gzip", headers={"Content-Encoding": "gzip"}
        ),
        "/zstd": hostile.respond(b"whatever", headers={"Content-Encoding": "zstd"}),
    }
    with hostile.serve(routes) as server:
        broken, unknown = fetch_many([server.url("/broken"), server.url("/zstd")])
    assert broken.outcome is Outcome.DECODE_ERROR
    assert unknown.outcome is Outcome.DECODE_ERROR
    assert "zstd" in (unknown.error or "")


# --------------------------------------------------------------------------
# deadlines


def test_dripping_server_is_cut_at_the_deadline() -> None:
    """One byte every 0.2 s never trips a read time-out; only the wall-clock deadline stops it."""
    with hostile.serve(default=hostile.drip(0.2, total=10_000)) as server:
        result = fetch(server.url("/slow.html"), s=settings(http_timeout_s=1.0))
        page = next(r for r in server.requests if r.path == "/slow.html")
    assert result.outcome is Outcome.TIMEOUT
    # 1 s at one byte per 0.2 s: a handful of bytes, not the 10,000 announced
    assert page.bytes_sent < 100
    assert page.client_closed or page.finished is not None


def test_issue_case_one_byte_every_two_seconds() -> None:
    with hostile.drip_server(interval_s=2.0) as base:
        result = fetch(base + "/feed.xml", "feed", settings(http_timeout_s=1.5))
    assert result.outcome is Outcome.TIMEOUT


def test_dripped_status_line_times_out_too() -> None:
    with hostile.serve(default=hostile.drip(0.2, headers_first=False)) as server:
        result = fetch(server.url("/x"), s=settings(http_timeout_s=1.0))
    assert result.outcome is Outcome.TIMEOUT


def test_server_that_accepts_and_never_answers() -> None:
    with hostile.silent_server() as base:
        result = fetch(base + "/feed.xml", "feed", settings(http_timeout_s=1.0))
    assert result.outcome is Outcome.TIMEOUT
    assert result.status is None


def test_body_shorter_than_its_content_length_then_silence() -> None:
    with hostile.serve({"/p": hostile.lying_length(5000)}) as server:
        result = fetch(server.url("/p"), s=settings(http_timeout_s=1.0))
    assert result.outcome is Outcome.TIMEOUT


def test_deadline_is_shared_by_redirect_hops() -> None:
    """Each hop is slow but under the deadline; together they pass it."""
    routes = {
        "/r/*": hostile.redirect_chain("/r/"),
    }
    slow = hostile.redirect_chain("/r/")

    async def slow_hop(exchange: hostile.Exchange) -> None:
        await asyncio.sleep(0.4)
        await slow(exchange)

    routes["/r/*"] = slow_hop
    with hostile.serve(routes) as server:
        result = fetch(server.url("/r/5"), s=settings(http_timeout_s=1.0))
    assert result.outcome is Outcome.TIMEOUT
    assert 1 <= len(result.redirects) < 5


# --------------------------------------------------------------------------
# size caps and bombs


def test_endless_body_stops_at_the_cap() -> None:
    with hostile.endless_server() as base:
        result = fetch(base + "/p.html", s=settings(max_page_bytes=256 * 1024))
    assert result.outcome is Outcome.TOO_LARGE
    assert result.body == b""


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "gzip, br"])
def test_compression_bombs_abort_at_the_cap(encoding: str) -> None:
    """64 MiB of zeros in a few hundred KB (or 152 bytes) stops at a 1 MiB decoded cap."""
    with hostile.bomb_server(encoding) as base:
        result = fetch(base + "/bomb.html", s=settings(max_page_bytes=1 << 20))
    assert result.outcome is Outcome.TOO_LARGE
    assert "cap" in (result.error or "")


def test_content_length_over_the_cap_stops_before_the_body() -> None:
    big = b"x" * (2 << 20)
    with hostile.serve({"/big": hostile.respond(big)}) as server:
        result = fetch(server.url("/big"), s=settings(max_page_bytes=1 << 20))
    assert result.outcome is Outcome.TOO_LARGE
    assert "Content-Length" in (result.error or "")


def test_caps_per_kind_and_max_bytes_argument() -> None:
    body = b"x" * 5000
    s = settings(max_feed_bytes=4000, max_page_bytes=10_000, max_robots_bytes=100)
    with hostile.serve(default=hostile.respond(body)) as server:
        url = server.url("/doc")

        async def go() -> list[Outcome]:
            async with client(s) as c:
                return [
                    (await c.fetch(url, kind="feed")).outcome,
                    (await c.fetch(url, kind="page")).outcome,
                    (await c.fetch(url, kind="robots")).outcome,
                    (await c.fetch(url, kind="page", max_bytes=4999)).outcome,
                    (await c.fetch(url, kind="feed", max_bytes=5000)).outcome,
                ]

        outcomes = run(go())
    assert outcomes == [
        Outcome.TOO_LARGE,
        Outcome.OK,
        Outcome.TOO_LARGE,
        Outcome.TOO_LARGE,
        Outcome.OK,
    ]


# --------------------------------------------------------------------------
# redirects


def test_redirects_are_followed_and_recorded() -> None:
    routes = {
        "/old": hostile.redirect("/mid", status=301),
        "/mid": hostile.redirect("{base}/new", status=308),
        "/new": hostile.respond(PAGE),
    }
    with hostile.serve(routes) as server:
        result = fetch(server.url("/old"))
    assert result.outcome is Outcome.OK
    assert result.redirects == (server.url("/mid"), server.url("/new"))
    assert result.final_url == server.url("/new")
    assert result.url == server.url("/old")


def test_five_redirects_are_allowed_six_are_not() -> None:
    with hostile.serve({"/chain/*": hostile.redirect_chain("/chain/")}) as server:
        five, six = fetch_many([server.url("/chain/5"), server.url("/chain/6")])
    assert five.outcome is Outcome.OK and len(five.redirects) == 5
    assert six.outcome is Outcome.TOO_MANY_REDIRECTS


def test_redirect_loop() -> None:
    with hostile.redirect_loop_server() as base:
        result = fetch(base + "/start")
    assert result.outcome is Outcome.TOO_MANY_REDIRECTS
    assert len(result.redirects) == 6


@pytest.mark.parametrize(
    ("location", "outcome"),
    [
        ("http://[::1]:{port}/x", Outcome.BLOCKED_SSRF),
        ("http://localhost:{port}/x", Outcome.BLOCKED_SSRF),
        ("http://2130706433:{port}/x", Outcome.BLOCKED_SSRF),
        ("http://0177.0.0.1:{port}/x", Outcome.BLOCKED_SSRF),
        ("http://169.254.169.254/latest/meta-data/", Outcome.BLOCKED_SSRF),
        ("http://[fd00:ec2::254]/latest/meta-data/", Outcome.BLOCKED_SSRF),
        ("http://10.1.2.3/", Outcome.BLOCKED_SSRF),
        ("file:///etc/passwd", Outcome.BLOCKED_SCHEME),
        ("ftp://127.0.0.1/x", Outcome.BLOCKED_SCHEME),
        ("gopher://127.0.0.1:6379/_INFO", Outcome.BLOCKED_SCHEME),
    ],
)
def test_every_redirect_hop_is_rechecked(location: str, outcome: Outcome) -> None:
    """The first server is allowed (127.0.0.1); where it redirects to is not."""
    with hostile.serve() as target, hostile.serve() as first:
        first.default = hostile.redirect(location.replace("{port}", str(target.port)))
        result = fetch(first.url("/feed"), "feed")
    assert result.outcome is outcome
    assert result.redirects and result.final_url == result.redirects[-1]
    assert target.requests == []


def test_redirect_without_location() -> None:
    with hostile.serve({"/r": hostile.status(302)}) as server:
        result = fetch(server.url("/r"))
    assert result.outcome is Outcome.HTTP_ERROR


# --------------------------------------------------------------------------
# status codes and Retry-After


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        (404, Outcome.NOT_FOUND),
        (410, Outcome.GONE),
        (403, Outcome.HTTP_ERROR),
        (500, Outcome.SERVER_ERROR),
        (502, Outcome.SERVER_ERROR),
        (503, Outcome.SERVER_ERROR),  # without Retry-After
        (300, Outcome.HTTP_ERROR),
    ],
)
def test_status_codes(code: int, outcome: Outcome) -> None:
    with hostile.status_server(code) as base:
        result = fetch(base + "/f", "feed")
    assert result.outcome is outcome
    assert result.status == code


def test_429_retry_after_seconds_is_remembered_per_host() -> None:
    with (
        hostile.serve({"/*": hostile.status(429, {"Retry-After": "120"})}) as busy,
        hostile.serve(default=hostile.respond(b"<rss/>")) as other,
    ):

        async def go() -> list[FetchResult]:
            async with client() as c:
                return [
                    await c.fetch(busy.url("/a"), kind="feed"),
                    await c.fetch(busy.url("/b"), kind="feed"),
                    await c.fetch(busy.url("/c"), kind="page"),
                    await c.fetch(other.url("/d"), kind="feed"),
                ]

        first, second, page, elsewhere = run(go())
    assert first.outcome is Outcome.RATE_LIMITED and first.status == 429
    assert first.retry_after_s == 120
    assert second.outcome is Outcome.RATE_LIMITED and second.status is None
    assert second.retry_after_s is not None and 0 < second.retry_after_s <= 120
    assert page.outcome is Outcome.RATE_LIMITED  # not even robots.txt is asked for
    assert busy.paths() == ["/a"]
    assert elsewhere.outcome is Outcome.OK  # another host (port) is not held back


def test_503_with_http_date_retry_after_skips_the_server() -> None:
    routes = {"/*": hostile.status(503, {"Retry-After": hostile.http_date(90)})}
    with hostile.serve(routes) as server:
        results = fetch_many([server.url("/a"), server.url("/b"), server.url("/c")], "feed")
    assert [r.outcome for r in results] == [Outcome.RATE_LIMITED] * 3
    assert results[0].retry_after_s is not None and 80 < results[0].retry_after_s <= 91
    assert server.paths() == ["/a"]  # the later fetches never reached the server


def test_429_without_retry_after_backs_off_by_default() -> None:
    with hostile.serve({"/*": hostile.status(429)}) as server:
        first, second = fetch_many([server.url("/a"), server.url("/b")], "feed")
    assert first.outcome is Outcome.RATE_LIMITED and first.retry_after_s == 60
    assert second.outcome is Outcome.RATE_LIMITED
    assert server.paths() == ["/a"]


def test_retry_after_in_the_past_does_not_block() -> None:
    routes = {
        "/busy": hostile.status(503, {"Retry-After": hostile.http_date(-30)}),
        "/ok": hostile.respond(b"<rss/>"),
    }
    with hostile.serve(routes) as server:
        busy, ok = fetch_many([server.url("/busy"), server.url("/ok")], "feed")
    assert busy.outcome is Outcome.RATE_LIMITED and busy.retry_after_s == 0
    assert ok.outcome is Outcome.OK


# --------------------------------------------------------------------------
# network failures


def test_connection_refused() -> None:
    with hostile.serve() as server:
        port = server.port
    result = fetch(f"http://127.0.0.1:{port}/gone", "feed")
    assert result.outcome is Outcome.CONNECT_ERROR


def test_garbage_instead_of_http() -> None:
    with hostile.serve({"/x": hostile.garbage()}) as server:
        result = fetch(server.url("/x"))
    assert result.outcome is Outcome.HTTP_ERROR


def test_tls_is_always_verified() -> None:
    """A self-signed certificate is refused; there is no setting to accept it."""
    with hostile.serve({"/": hostile.respond()}, tls=True) as server:
        result = fetch(server.url("/"))
    assert result.outcome is Outcome.CONNECT_ERROR
    assert "CERTIFICATE_VERIFY_FAILED" in (result.error or "")


def test_tls_with_a_trusted_private_ca_connects_to_the_pinned_address() -> None:
    import ssl

    context = ssl.create_default_context(cafile=hostile.self_signed_cert_path())
    s = settings(allowed_hosts=("localhost",))
    with hostile.serve({"/secure": hostile.respond(PAGE)}, tls=True) as server:

        async def go():
            async with client(s, ssl_context=context) as c:
                return await c.fetch(f"https://localhost:{server.port}/secure", kind="feed")

        result = run(go())
    assert result.outcome is Outcome.OK and result.body == PAGE
    assert server.requests[-1].headers["host"] == f"localhost:{server.port}"


def test_an_unverifying_ssl_context_is_rejected() -> None:
    import ssl

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with pytest.raises(ValueError, match="verify"):
        client(ssl_context=context)


# --------------------------------------------------------------------------
# concurrency and politeness


def test_twenty_fetches_run_concurrently() -> None:
    """20 pages that each take 0.3 s are in flight together (seen by the server)."""
    s = settings(per_host_concurrency=20, concurrency=32)
    with hostile.serve({"/p/*": hostile.respond(PAGE, delay_s=0.3)}) as server:

        async def go():
            async with client(s) as c:
                urls = [server.url(f"/p/{i}") for i in range(20)]
                return await asyncio.gather(*(c.fetch(u, kind="page") for u in urls))

        results = run(go())
    assert all(r.ok for r in results)
    assert server.count("/robots.txt") == 1  # one robots.txt fetch shared by all 20
    assert server.max_in_flight >= 10


def test_per_host_concurrency_is_respected() -> None:
    s = settings(per_host_concurrency=2, concurrency=32)
    with hostile.serve({"/p/*": hostile.respond(PAGE, delay_s=0.1)}) as server:

        async def go():
            async with client(s) as c:
                urls = [server.url(f"/p/{i}") for i in range(8)]
                return await asyncio.gather(*(c.fetch(u, kind="feed") for u in urls))

        results = run(go())
    assert all(r.ok for r in results)
    assert server.max_in_flight == 2


def test_global_concurrency_is_respected_across_hosts() -> None:
    s = settings(per_host_concurrency=10, concurrency=3)
    shared = hostile.InFlight()
    slow = {"/p/*": hostile.respond(PAGE, delay_s=0.1)}
    with (
        hostile.serve(slow, in_flight=shared) as a,
        hostile.serve(slow, in_flight=shared) as b,
    ):

        async def go():
            async with client(s) as c:
                urls = [srv.url(f"/p/{i}") for i in range(6) for srv in (a, b)]
                return await asyncio.gather(*(c.fetch(u, kind="feed") for u in urls))

        results = run(go())
    assert all(r.ok for r in results)
    assert shared.max == 3


def test_per_host_delay_spaces_requests() -> None:
    s = settings(per_host_concurrency=4, per_host_delay_s=0.25)
    with hostile.serve({"/p/*": hostile.respond(PAGE)}) as server:

        async def go():
            async with client(s) as c:
                urls = [server.url(f"/p/{i}") for i in range(4)]
                return await asyncio.gather(*(c.fetch(u, kind="feed") for u in urls))

        run(go())
        starts = sorted(r.started for r in server.requests)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert len(gaps) == 3
    assert min(gaps) >= 0.2  # a lower bound: a loaded machine only makes gaps longer


def test_connections_are_reused() -> None:
    with hostile.serve({"/p/*": hostile.respond(PAGE)}) as server:
        results = fetch_many([server.url(f"/p/{i}") for i in range(5)], "feed")
    assert all(r.ok for r in results)
    assert len({r.peer for r in server.requests}) == 1  # one keep-alive connection


# --------------------------------------------------------------------------
# API details


def test_fetch_never_raises_on_nonsense_urls() -> None:
    urls = ["", "not a url", "http://", "http://exa mple.com/", "http://127.0.0.1:99999/", "//x/y"]
    results = fetch_many(urls)
    for url, result in zip(urls, results, strict=True):
        assert result.outcome in {
            Outcome.HTTP_ERROR,
            Outcome.BLOCKED_SCHEME,
            Outcome.BLOCKED_SSRF,
        }, url


def test_custom_transport_for_unit_tests() -> None:
    """httpx.MockTransport replaces the network; URL checks still apply."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nDisallow: /private\n")
        return httpx.Response(200, content=b"<rss/>", headers={"ETag": '"m"'})

    async def go():
        async with client(transport=httpx.MockTransport(handler)) as c:
            return [
                await c.fetch("https://news.example/feed", kind="feed"),
                await c.fetch("https://news.example/private/1", kind="page"),
                await c.fetch("http://127.0.0.2/", kind="page"),
            ]

    ok, private, blocked = run(go())
    assert ok.outcome is Outcome.OK and ok.etag == '"m"'
    assert private.outcome is Outcome.ROBOTS_DISALLOWED
    assert blocked.outcome is Outcome.BLOCKED_SSRF


def test_duration_is_recorded() -> None:
    with hostile.serve({"/p": hostile.respond(PAGE, delay_s=0.05)}) as server:
        result = fetch(server.url("/p"), "feed")
    assert result.duration_ms >= 40


def test_a_kept_alive_connection_the_server_closed_is_not_reused() -> None:
    async def respond_then_hang_up(exchange: hostile.Exchange) -> None:
        await exchange.respond(200, PAGE)  # keep-alive implied...
        exchange.keep_alive = False  # ...but the server closes the connection anyway

    with hostile.serve({"/*": respond_then_hang_up}) as server:

        async def go() -> list[FetchResult]:
            async with client() as c:
                first = await c.fetch(server.url("/a"), kind="feed")
                await asyncio.sleep(0.1)  # let the close arrive
                second = await c.fetch(server.url("/b"), kind="feed")
                return [first, second]

        results = run(go())
    assert [r.outcome for r in results] == [Outcome.OK, Outcome.OK]
    assert len({r.peer for r in server.requests}) == 2


def test_idle_connections_are_closed_with_the_client() -> None:
    with hostile.serve({"/*": hostile.respond(PAGE)}) as server:
        fetch_many([server.url("/a")], "feed")  # the client is closed on return
        for _ in range(50):
            if server.requests[-1].finished is not None and not server.open_connections:
                break
            run(asyncio.sleep(0.02))
        assert server.open_connections == 0
