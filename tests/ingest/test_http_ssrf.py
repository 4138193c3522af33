"""The SSRF guard: obfuscated hosts, the allow-list, and the address actually connected."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

import httpcore
import pytest

from ingest.netguard import (
    AllowList,
    BlockedAddress,
    GuardedBackend,
    Resolver,
    blocked_reason,
    check_url_host,
    normalise_host,
    parse_numeric_ipv4,
)
from ingest.records import Outcome
from tests.ingest import hostile
from tests.ingest.test_http_support import client, fetch, fetch_many, run, settings

EMPTY = AllowList()
LOOPBACK_ONLY = AllowList.parse(["127.0.0.1"])

# Every spelling of "this machine" (and friends) a URL can carry.
HOSTILE_HOSTS = [
    "127.0.0.1",
    "2130706433",  # decimal integer
    "0177.0.0.1",  # octal
    "0x7f.1",  # hex, shortened
    "0x7f000001",
    "017700000001",
    "127.1",  # shortened
    "127.0.1",
    "[::ffff:127.0.0.1]",  # IPv4-mapped IPv6
    "[::ffff:7f00:1]",
    "[::127.0.0.1]",  # IPv4-compatible (deprecated)
    "[64:ff9b::7f00:1]",  # NAT64
    "[2002:7f00:1::]",  # 6to4
    "[::1]",
    "[0:0:0:0:0:0:0:1]",
    "localhost",
    "LOCALHOST.",
    "api.localhost",
    "%31%32%37.0.0.1",  # percent-encoded
    "0.0.0.0",
    "0",
    "[::]",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "100.64.0.1",  # carrier-grade NAT
    "169.254.169.254",  # metadata
    "169.254.170.2",
    "[fd00:ec2::254]",
    "168.63.129.16",
    "[fe80::1]",
    "[fc00::1]",
    "224.0.0.1",
    "[ff02::1]",
    "240.0.0.1",
    "255.255.255.255",
    "192.0.2.1",
]


@pytest.mark.parametrize("host", HOSTILE_HOSTS)
def test_url_level_check_refuses_every_hostile_spelling(host: str) -> None:
    assert check_url_host(host, EMPTY) is not None


@pytest.mark.parametrize(
    "host", ["93.184.216.34", "[2606:2800:220:1::1]", "example.org", "8.8.8.8"]
)
def test_public_hosts_pass_the_url_check(host: str) -> None:
    assert check_url_host(host, EMPTY) is None


def test_numeric_parsing_matches_what_resolvers_do() -> None:
    import socket

    for text in ["2130706433", "0177.0.0.1", "0x7f.1", "127.1", "0x7f000001", "10.0x10.1"]:
        expected = ipaddress.IPv4Address(socket.inet_aton(text))
        assert parse_numeric_ipv4(text) == expected, text
    assert parse_numeric_ipv4("example.com") is None
    assert parse_numeric_ipv4("1.2.3.4.5") is None
    assert parse_numeric_ipv4("256.1.1.1") is None
    assert normalise_host("0x7f.1").canonical is False
    assert normalise_host("127.0.0.1").canonical is True


def test_blocked_reason_names_the_problem() -> None:
    assert blocked_reason(ipaddress.ip_address("127.0.0.1")) == "loopback address"
    assert blocked_reason(ipaddress.ip_address("169.254.169.254")) == "cloud metadata address"
    assert "embeds 10.0.0.1" in (blocked_reason(ipaddress.ip_address("::ffff:10.0.0.1")) or "")
    assert blocked_reason(ipaddress.ip_address("1.1.1.1")) is None


# --------------------------------------------------------------------------
# the allow-list


def test_allow_list_matches_names_and_canonical_literals() -> None:
    allow = AllowList.parse(["127.0.0.1", "10.0.0.0/8", "feeds.intranet", "*.corp.example", "::1"])
    assert check_url_host("127.0.0.1", allow) is None
    assert check_url_host("10.20.30.40", allow) is None
    assert check_url_host("[::1]", allow) is None
    assert check_url_host("feeds.intranet", allow) is None
    assert check_url_host("a.b.corp.example", allow) is None
    # a name is not exempt because of what it resolves to
    assert check_url_host("localhost", allow) is not None
    # non-canonical spellings are refused even when they denote an allowed address
    assert check_url_host("2130706433", allow) is not None
    assert check_url_host("0x7f.1", allow) is not None
    # the mapped form is a different literal
    assert check_url_host("[::ffff:127.0.0.1]", allow) is not None
    # metadata stays refused even inside an allowed range
    assert check_url_host("169.254.169.254", AllowList.parse(["169.254.0.0/16"])) is not None


def test_with_an_empty_allow_list_a_real_loopback_server_is_refused() -> None:
    """The guard itself, end to end: nothing reaches the server."""
    with hostile.serve({"/*": hostile.respond(b"secret")}) as server:
        port = server.port
        urls = [
            f"http://{host}:{port}/admin"
            for host in [
                "127.0.0.1",
                "2130706433",
                "0177.0.0.1",
                "0x7f.1",
                "127.1",
                "[::ffff:127.0.0.1]",
                "[::1]",
                "localhost",
                "%31%32%37.0.0.1",
            ]
        ]
        results = fetch_many(urls, "feed", settings(allowed_hosts=()))
        assert server.requests == []
    for url, result in zip(urls, results, strict=True):
        assert result.outcome is Outcome.BLOCKED_SSRF, (url, result.error)
        assert result.body == b""


def test_only_the_listed_address_is_allowed() -> None:
    """127.0.0.1 allowed: fetched; localhost and [::1] (same machine) are not."""
    with hostile.serve({"/*": hostile.respond(b"<rss/>")}) as server:
        port = server.port
        ok, by_name, by_v6 = fetch_many(
            [
                f"http://127.0.0.1:{port}/f",
                f"http://localhost:{port}/f",
                f"http://[::1]:{port}/f",
            ],
            "feed",
        )
    assert ok.outcome is Outcome.OK
    assert by_name.outcome is Outcome.BLOCKED_SSRF
    assert by_v6.outcome is Outcome.BLOCKED_SSRF
    assert server.paths() == ["/f"]


def test_listing_a_name_allows_it() -> None:
    with hostile.serve({"/*": hostile.respond(b"<rss/>")}) as server:
        result = fetch(
            f"http://localhost:{server.port}/f", "feed", settings(allowed_hosts=("localhost",))
        )
    assert result.outcome is Outcome.OK
    assert server.requests[0].headers["host"] == f"localhost:{server.port}"


def test_cidr_entry() -> None:
    with hostile.serve({"/*": hostile.respond(b"<rss/>")}) as server:
        result = fetch(server.url("/f"), "feed", settings(allowed_hosts=("127.0.0.0/8",)))
    assert result.outcome is Outcome.OK


def test_redirect_from_an_allowed_server_to_the_same_machine_by_other_names() -> None:
    with hostile.serve() as target, hostile.serve() as first:
        port = target.port
        first.routes = {
            "/v6": hostile.redirect(f"http://[::1]:{port}/x"),
            "/name": hostile.redirect(f"http://localhost:{port}/x"),
            "/int": hostile.redirect(f"http://2130706433:{port}/x"),
        }
        results = fetch_many([first.url("/v6"), first.url("/name"), first.url("/int")], "feed")
        assert target.requests == []
    assert [r.outcome for r in results] == [Outcome.BLOCKED_SSRF] * 3


# --------------------------------------------------------------------------
# the connect-time check (DNS), with a fake resolver and a fake network


class RecordingBackend(httpcore.AsyncNetworkBackend):
    """Records the address each connection is opened to; never opens one."""

    def __init__(self) -> None:
        self.connected: list[str] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.connected.append(host)
        raise httpcore.ConnectError("fake network")

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        raise AssertionError

    async def sleep(self, seconds: float) -> None:
        return None


def _resolver(answers: dict[str, list[list[str]]]) -> Resolver:
    """Answers change on every lookup, as a rebinding attacker's DNS would."""

    async def getaddrinfo(host: str, port: int) -> list[str]:
        return answers[host].pop(0)

    return Resolver(ttl_s=0.0, getaddrinfo=getaddrinfo)


def test_names_resolving_to_private_addresses_are_refused_at_connect() -> None:
    inner = RecordingBackend()
    resolver = _resolver({"evil.example": [["127.0.0.1"]], "mixed.example": [["10.0.0.1", "::1"]]})
    backend = GuardedBackend(LOOPBACK_ONLY, resolver, inner)

    async def go() -> list[str]:
        errors = []
        for name in ["evil.example", "mixed.example"]:
            with pytest.raises(BlockedAddress) as info:
                await backend.connect_tcp(name, 80)
            errors.append(str(info.value))
        return errors

    errors = run(go())
    assert "127.0.0.1 (loopback address)" in errors[0]
    assert "10.0.0.1" in errors[1] and "::1" in errors[1]
    assert inner.connected == []


def test_dns_rebinding_cannot_slip_through() -> None:
    """Public when checked, loopback a moment later: the backend connects to what it checked."""
    inner = RecordingBackend()
    resolver = _resolver({"rebind.example": [["93.184.216.34"], ["127.0.0.1"]]})
    backend = GuardedBackend(EMPTY, resolver, inner)

    async def go() -> None:
        with pytest.raises(httpcore.ConnectError):
            await backend.connect_tcp("rebind.example", 80)  # checked and connected: public
        with pytest.raises(BlockedAddress):
            await backend.connect_tcp("rebind.example", 80)  # now loopback: refused

    run(go())
    # the inner network only ever saw a vetted IP, never the name
    assert inner.connected == ["93.184.216.34"]


def test_only_the_public_addresses_of_a_mixed_answer_are_used() -> None:
    inner = RecordingBackend()
    resolver = _resolver({"mixed.example": [["127.0.0.1", "93.184.216.34", "169.254.169.254"]]})
    backend = GuardedBackend(EMPTY, resolver, inner)

    async def go() -> None:
        with pytest.raises(httpcore.ConnectError):
            await backend.connect_tcp("mixed.example", 443)

    run(go())
    assert inner.connected == ["93.184.216.34"]


def test_metadata_is_refused_even_for_an_allowed_name() -> None:
    inner = RecordingBackend()
    resolver = _resolver({"feeds.intranet": [["169.254.169.254", "10.1.1.1"]]})
    backend = GuardedBackend(AllowList.parse(["feeds.intranet"]), resolver, inner)

    async def go() -> None:
        with pytest.raises(httpcore.ConnectError):
            await backend.connect_tcp("feeds.intranet", 80)

    run(go())
    assert inner.connected == ["10.1.1.1"]


def test_a_name_resolving_to_loopback_is_refused_through_the_client() -> None:
    """The whole client with a fake resolver: the real server on 127.0.0.1 is never reached."""
    resolver = _resolver({"news.example": [["127.0.0.1"]]})
    with hostile.serve({"/*": hostile.respond(b"<rss/>")}) as server:

        async def go():
            async with client(settings(), resolver=resolver) as c:
                return await c.fetch(f"http://news.example:{server.port}/f", kind="feed")

        result = run(go())
        assert server.requests == []
    assert result.outcome is Outcome.BLOCKED_SSRF
    assert "loopback" in (result.error or "")


def test_an_allowed_name_is_connected_by_its_vetted_address() -> None:
    resolver = _resolver({"news.example": [["127.0.0.1"]]})
    s = settings(allowed_hosts=("news.example",))
    with hostile.serve({"/*": hostile.respond(b"<rss/>")}) as server:

        async def go():
            async with client(s, resolver=resolver) as c:
                return await c.fetch(f"http://news.example:{server.port}/f", kind="feed")

        result = run(go())
    assert result.outcome is Outcome.OK
    assert server.requests[0].headers["host"] == f"news.example:{server.port}"


def test_resolver_caches_and_coalesces_lookups() -> None:
    calls: list[str] = []

    async def getaddrinfo(host: str, port: int) -> list[str]:
        calls.append(host)
        import asyncio

        await asyncio.sleep(0.01)
        return ["93.184.216.34"]

    resolver = Resolver(ttl_s=60.0, getaddrinfo=getaddrinfo)

    async def go() -> None:
        import asyncio

        await asyncio.gather(*(resolver.resolve("a.example", 80) for _ in range(10)))
        await resolver.resolve("a.example", 80)

    run(go())
    assert calls == ["a.example"]
