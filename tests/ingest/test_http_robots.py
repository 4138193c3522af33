"""robots.txt: RFC 9309 matching, and how the client honours, caches and survives it."""

from __future__ import annotations

import asyncio

import pytest

from ingest.http import HttpOptions
from ingest.records import FetchResult, Outcome
from ingest.robots import (
    normalise_path,
    parse_robots,
    robots_token,
    robots_url,
    verdict_from_fetch,
)
from tests.ingest import hostile
from tests.ingest.test_http_support import client, fetch_many, run, settings

# --------------------------------------------------------------------------
# matching (RFC 9309 section 2.2 and its examples)


def test_token_from_user_agent() -> None:
    assert robots_token("newsflow/0.1 (+https://x; news)") == "newsflow"
    assert robots_token("Acme-Bot/2") == "acme-bot"


def test_longest_match_wins_and_allow_wins_ties() -> None:
    rules = parse_robots(
        "User-agent: *\nDisallow: /news\nAllow: /news/public\nDisallow: /news/public/secret\n"
        "Allow: /tie\nDisallow: /tie\n",
        "newsflow",
    )
    assert not rules.allowed("/news/x")
    assert rules.allowed("/news/public/x")
    assert not rules.allowed("/news/public/secret/1")
    assert rules.allowed("/tie/x")
    assert rules.allowed("/other")


def test_wildcards_and_end_anchor() -> None:
    rules = parse_robots(
        "User-agent: *\nDisallow: /*.pdf$\nDisallow: /search*q=\nDisallow: /exact$\n", "newsflow"
    )
    assert not rules.allowed("/files/a.pdf")
    assert rules.allowed("/files/a.pdf?x=1")
    assert not rules.allowed("/search?q=war")
    assert not rules.allowed("/exact")
    assert rules.allowed("/exact/more")


def test_specific_group_beats_star_and_groups_merge() -> None:
    text = (
        "User-agent: *\nDisallow: /\n\n"
        "User-agent: NewsFlow\nDisallow: /private\n\n"
        "User-agent: otherbot\nUser-agent: newsflow\nDisallow: /drafts\nCrawl-delay: 2\n"
    )
    rules = parse_robots(text, "newsflow")
    assert rules.allowed("/articles/1")
    assert not rules.allowed("/private/1")
    assert not rules.allowed("/drafts/1")
    assert rules.crawl_delay_s == 2
    assert not parse_robots(text, "somebot").allowed("/articles/1")


def test_no_group_for_us_means_allow_and_robots_txt_is_always_allowed() -> None:
    assert parse_robots("User-agent: otherbot\nDisallow: /\n", "newsflow").allowed("/x")
    assert parse_robots("User-agent: *\nDisallow: /\n", "newsflow").allowed("/robots.txt")
    assert parse_robots("Disallow: /\n", "newsflow").allowed("/x")  # rule outside any group
    assert parse_robots("User-agent: *\nDisallow:\n", "newsflow").allowed("/x")  # empty rule


def test_percent_encoding_is_normalised() -> None:
    rules = parse_robots("User-agent: *\nDisallow: /a%7eb\nDisallow: /caf%C3%A9\n", "newsflow")
    assert not rules.allowed("/a~b/1")
    assert not rules.allowed("/café")
    assert normalise_path("/%7e%2f") == "/~%2F"


def test_comments_bom_and_odd_spacing() -> None:
    rules = parse_robots(
        "\ufeff# hello\nuser-AGENT :  *   # all\n  disallow:/x # no\nsitemap: /s.xml\n", "newsflow"
    )
    assert not rules.allowed("/x/1")


def test_truncated_body_drops_the_partial_last_line() -> None:
    rules = parse_robots("User-agent: *\nDisallow: /a\nDisallow: /bcd", "newsflow", truncated=True)
    assert not rules.allowed("/a")
    assert rules.allowed("/bcd")  # the cut last line might have been "/bcdef": not used


def _result(outcome: Outcome, status: int | None = None, **kw: object) -> FetchResult:
    return FetchResult("u", "u", outcome, status, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("result", "allowed", "outcome"),
    [
        (_result(Outcome.NOT_FOUND, 404), True, None),
        (_result(Outcome.GONE, 410), True, None),
        (_result(Outcome.HTTP_ERROR, 403), True, None),
        (_result(Outcome.TOO_MANY_REDIRECTS), True, None),
        (_result(Outcome.SERVER_ERROR, 500), False, Outcome.ROBOTS_DISALLOWED),
        (_result(Outcome.DECODE_ERROR, 200), False, Outcome.ROBOTS_DISALLOWED),
        (_result(Outcome.TIMEOUT), False, Outcome.TIMEOUT),
        (_result(Outcome.CONNECT_ERROR), False, Outcome.CONNECT_ERROR),
        (_result(Outcome.RATE_LIMITED, 429, retry_after_s=30.0), False, Outcome.RATE_LIMITED),
    ],
)
def test_verdicts_follow_rfc_9309(result: FetchResult, allowed: bool, outcome: Outcome) -> None:
    verdict = verdict_from_fetch(result, "newsflow", now=0.0)
    refusal = verdict.refusal("/page")
    assert (refusal is None) is allowed
    if refusal is not None:
        assert refusal[0] is outcome


# --------------------------------------------------------------------------
# the client


ROBOTS = "User-agent: *\nDisallow: /private\n\nUser-agent: newsflow\nDisallow: /no-newsflow\n"


def _site(robots: hostile.Behaviour) -> dict[str, hostile.Behaviour]:
    return {"/robots.txt": robots, "/*": hostile.respond(b"<html>page</html>")}


def test_pages_honour_robots_and_it_is_fetched_once() -> None:
    with hostile.serve(_site(hostile.robots_txt(ROBOTS))) as server:
        urls = [server.url(p) for p in ["/a", "/private/b", "/no-newsflow", "/c"]]
        results = fetch_many(urls, "page")
        assert server.count("/robots.txt") == 1
        assert "/no-newsflow" not in server.paths()
    # our own group applies, so the "*" group's /private does not (RFC 9309 2.2.1)
    assert [r.outcome for r in results] == [
        Outcome.OK,
        Outcome.OK,
        Outcome.ROBOTS_DISALLOWED,
        Outcome.OK,
    ]
    assert "robots.txt disallows /no-newsflow" in (results[2].error or "")


def test_concurrent_pages_share_one_robots_fetch() -> None:
    robots = hostile.respond(ROBOTS.encode(), content_type="text/plain", delay_s=0.2)
    with hostile.serve(_site(robots)) as server:

        async def go():
            async with client(settings(per_host_concurrency=8)) as c:
                urls = [server.url(f"/p{i}") for i in range(8)]
                return await asyncio.gather(*(c.fetch(u, kind="page") for u in urls))

        results = run(go())
        assert server.count("/robots.txt") == 1
    assert all(r.ok for r in results)


def test_feeds_skip_robots_by_default_and_can_opt_in() -> None:
    robots = hostile.robots_txt("User-agent: *\nDisallow: /\n")
    with hostile.serve(_site(robots)) as server:
        default = fetch_many([server.url("/feed.xml")], "feed")[0]
        assert server.count("/robots.txt") == 0

        async def opted_in():
            async with client(settings(robots_for_feeds=True)) as c:
                return await c.fetch(server.url("/feed.xml"), kind="feed")

        checked = run(opted_in())
    assert default.outcome is Outcome.OK
    assert checked.outcome is Outcome.ROBOTS_DISALLOWED


def test_robots_can_be_switched_off() -> None:
    robots = hostile.robots_txt("User-agent: *\nDisallow: /\n")
    with hostile.serve(_site(robots)) as server:
        result = fetch_many([server.url("/p")], "page", settings(respect_robots=False))[0]
        assert server.count("/robots.txt") == 0
    assert result.outcome is Outcome.OK


@pytest.mark.parametrize("code", [500, 503])
def test_robots_5xx_disallows_the_host(code: int) -> None:
    with hostile.serve(_site(hostile.status(code))) as server:
        results = fetch_many([server.url("/a"), server.url("/b")], "page")
        assert server.paths() == ["/robots.txt"]  # cached: asked once, pages never fetched
    assert [r.outcome for r in results] == [Outcome.ROBOTS_DISALLOWED] * 2
    assert "robots.txt failed" in (results[0].error or "")


def test_robots_429_rate_limits_the_host() -> None:
    robots = hostile.status(429, {"Retry-After": "300"})
    with hostile.serve(_site(robots)) as server:
        results = fetch_many([server.url("/a"), server.url("/b")], "page")
        assert server.paths() == ["/robots.txt"]
    assert [r.outcome for r in results] == [Outcome.RATE_LIMITED] * 2
    assert results[1].retry_after_s is not None and results[1].retry_after_s > 200


@pytest.mark.parametrize("code", [401, 403, 404, 410])
def test_robots_4xx_allows_everything(code: int) -> None:
    with hostile.serve(_site(hostile.status(code))) as server:
        result = fetch_many([server.url("/a")], "page")[0]
    assert result.outcome is Outcome.OK


def test_robots_that_hangs_gives_the_page_a_timeout() -> None:
    with hostile.serve(_site(hostile.hang())) as server:
        results = fetch_many(
            [server.url("/a"), server.url("/b")], "page", settings(http_timeout_s=1.0)
        )
        assert server.paths() == ["/robots.txt"]
    assert [r.outcome for r in results] == [Outcome.TIMEOUT] * 2
    assert "robots.txt unreachable" in (results[1].error or "")


def test_huge_robots_is_read_up_to_the_cap() -> None:
    """A 2 MB robots.txt: rules in the first 64 KiB apply, the rest is ignored."""
    text = "User-agent: *\nDisallow: /early\n" + "# padding\n" * 200_000 + "Disallow: /late\n"
    with hostile.serve(_site(hostile.robots_txt(text))) as server:
        early, late = fetch_many([server.url("/early/1"), server.url("/late/1")], "page")
    assert early.outcome is Outcome.ROBOTS_DISALLOWED
    assert late.outcome is Outcome.OK


def test_huge_robots_fetched_directly_is_too_large() -> None:
    text = "User-agent: *\n" + "# padding\n" * 20_000
    with hostile.serve(_site(hostile.robots_txt(text))) as server:
        result = fetch_many([server.url("/robots.txt")], "robots")[0]
    assert result.outcome is Outcome.TOO_LARGE


def test_robots_redirect_is_followed() -> None:
    routes = {
        "/robots.txt": hostile.redirect("/real-robots.txt", status=301),
        "/real-robots.txt": hostile.robots_txt("User-agent: *\nDisallow: /x\n"),
        "/*": hostile.respond(),
    }
    with hostile.serve(routes) as server:
        x, y = fetch_many([server.url("/x"), server.url("/y")], "page")
    assert x.outcome is Outcome.ROBOTS_DISALLOWED
    assert y.outcome is Outcome.OK


def test_robots_of_a_redirect_target_is_checked() -> None:
    with hostile.serve(_site(hostile.robots_txt("User-agent: *\nDisallow: /\n"))) as closed:
        with hostile.serve() as first:
            first.routes = {"/go": hostile.redirect(closed.url("/story"))}
            result = fetch_many([first.url("/go")], "page")[0]
        assert closed.paths() == ["/robots.txt"]
    assert result.outcome is Outcome.ROBOTS_DISALLOWED
    assert result.final_url == closed.url("/story")


def test_crawl_delay_spaces_requests() -> None:
    robots = hostile.robots_txt("User-agent: *\nCrawl-delay: 0.3\n")
    with hostile.serve(_site(robots)) as server:

        async def go():
            async with client(settings(per_host_concurrency=4)) as c:
                urls = [server.url(f"/p{i}") for i in range(3)]
                return await asyncio.gather(*(c.fetch(u, kind="page") for u in urls))

        results = run(go())
        starts = sorted(r.started for r in server.requests if r.path != "/robots.txt")
    assert all(r.ok for r in results)
    assert starts[1] - starts[0] >= 0.25 and starts[2] - starts[1] >= 0.25


# --------------------------------------------------------------------------
# the public robots.txt fetch (``fetch_robots`` and ``on_robots_fetch``)


def test_robots_url_is_the_origins() -> None:
    assert robots_url("https://Example.com:8443/a/b?q=1#f") == "https://Example.com:8443/robots.txt"
    assert robots_url("http://example.com") == "http://example.com/robots.txt"
    assert robots_url("http://example.com/robots.txt") == "http://example.com/robots.txt"


def test_fetch_robots_reads_a_capped_prefix_and_reports_every_fetch() -> None:
    """A page URL gives its origin's robots.txt; a long one is cut, not refused."""
    text = "User-agent: *\nDisallow: /early\n" + "# padding\n" * 20_000
    seen: list[FetchResult] = []
    with hostile.serve(_site(hostile.robots_txt(text))) as server:

        async def go() -> tuple[FetchResult, bool]:
            async with client(on_robots_fetch=seen.append) as c:
                fetched = await c.fetch_robots(server.url("/some/page?x=1"))
                await c.fetch(server.url("/early/1"), kind="page")  # the cache's own fetch
                return fetched

        result, truncated = run(go())
        assert server.count("/robots.txt") == 2
    assert result.outcome is Outcome.OK
    assert result.url == server.url("/robots.txt")
    assert truncated and len(result.body) == 64 * 1024
    assert result.body.startswith(b"User-agent: *\nDisallow: /early\n")
    assert [r.url for r in seen] == [server.url("/robots.txt")] * 2
    assert all(r.duration_ms is not None for r in seen)


def test_fetch_robots_is_guarded_like_any_fetch() -> None:
    """Redirects into refused addresses, hangs and Retry-After apply to robots.txt too."""
    seen: list[FetchResult] = []
    with hostile.robots_server(hostile.redirect("http://[::1]:9/robots.txt")) as ssrf_base:
        ssrf, _ = run(_fetch_robots(ssrf_base, seen))
    assert ssrf.outcome is Outcome.BLOCKED_SSRF

    with hostile.robots_server(hostile.hang()) as slow_base:
        slow, _ = run(_fetch_robots(slow_base, seen, settings(http_timeout_s=1.0)))
    assert slow.outcome is Outcome.TIMEOUT
    assert [r.outcome for r in seen] == [Outcome.BLOCKED_SSRF, Outcome.TIMEOUT]

    routes = {"/*": hostile.status(429, {"Retry-After": "300"})}
    with hostile.serve(routes) as server:

        async def after_429() -> tuple[FetchResult, bool]:
            async with client() as c:
                await c.fetch(server.url("/feed.xml"), kind="feed")  # the host asks to wait
                return await c.fetch_robots(server.url("/"))

        waited, _ = run(after_429())
        assert server.paths() == ["/feed.xml"]  # robots.txt not asked while the host waits
    assert waited.outcome is Outcome.RATE_LIMITED


def test_a_failing_observer_does_not_break_the_fetch() -> None:
    def broken(_result: FetchResult) -> None:
        raise RuntimeError("observer bug")

    with hostile.serve(_site(hostile.robots_txt(ROBOTS))) as server:

        async def go() -> FetchResult:
            async with client(on_robots_fetch=broken) as c:
                return await c.fetch(server.url("/no-newsflow"), kind="page")

        result = run(go())
    assert result.outcome is Outcome.ROBOTS_DISALLOWED


async def _fetch_robots(
    base: str, seen: list[FetchResult], s: HttpOptions | None = None
) -> tuple[FetchResult, bool]:
    async with client(s, on_robots_fetch=seen.append) as c:
        return await c.fetch_robots(base + "/")
