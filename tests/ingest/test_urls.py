"""canonicalize_url, host_of, and when a page's declared canonical URL is trusted."""

from __future__ import annotations

import pytest

from ingest.urls import (
    canonicalize_url,
    host_of,
    is_tracking_param,
    site_of,
    trusted_canonical,
)

CASES = [
    # scheme/host case, default port, fragment, tracking parameters, sorted query
    (
        "HTTPS://News.Example.COM:443/a/story?utm_source=rss&b=2&a=1#top",
        None,
        "https://news.example.com/a/story?a=1&b=2",
    ),
    ("http://example.com:80", None, "http://example.com/"),
    ("http://example.com:8080/x", None, "http://example.com:8080/x"),
    ("https://example.com:80/x", None, "https://example.com:80/x"),
    # relative references resolved against the base, dot segments removed
    (
        "../b/./c?x=1",
        "https://h.example.org/feeds/a/rss.xml",
        "https://h.example.org/feeds/b/c?x=1",
    ),
    ("/root", "https://h.example.org/feeds/rss.xml", "https://h.example.org/root"),
    ("//cdn.example.net/i", "https://h.example.org/", "https://cdn.example.net/i"),
    ("http://e.com/a/../../b/./c/", None, "http://e.com/b/c/"),
    # every documented tracker family
    (
        "https://e.com/p?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&ocid=5&cmpid=6&CMP=x&utm_campaign=y"
        "&UTM_Medium=z&_ga=1&msclkid=9&id=42",
        None,
        "https://e.com/p?id=42",
    ),
    ("https://e.com/p?utm_source=a", None, "https://e.com/p"),
    ("https://e.com/?", None, "https://e.com/"),
    # parameter spelling kept: bare names, empty values, plus signs, escapes
    ("https://e.com/s?q=a+b&flag&empty=", None, "https://e.com/s?empty=&flag&q=a+b"),
    ("https://e.com/%7euser/%2f?q=%e2%82%ac", None, "https://e.com/~user/%2F?q=%E2%82%AC"),
    ("https://e.com/a b/ü?x=ü", None, "https://e.com/a%20b/%C3%BC?x=%C3%BC"),
    ("https://e.com/100%", None, "https://e.com/100%25"),
    # international host names are IDNA-encoded, IPv6 literals kept
    ("https://Bücher.example/", None, "https://xn--bcher-kva.example/"),
    ("http://[::1]:80/a", None, "http://[::1]/a"),
    # not http(s): returned as is
    ("mailto:desk@example.com", None, "mailto:desk@example.com"),
    ("  javascript:alert(1) ", None, "javascript:alert(1)"),
    ("", None, ""),
]


@pytest.mark.parametrize(("url", "base", "expected"), CASES)
def test_canonicalize_url(url: str, base: str | None, expected: str) -> None:
    assert canonicalize_url(url, base) == expected


@pytest.mark.parametrize(("url", "base", "expected"), CASES)
def test_canonicalize_url_is_idempotent(url: str, base: str | None, expected: str) -> None:
    once = canonicalize_url(url, base)
    assert canonicalize_url(once) == once


def test_variants_of_one_story_are_one_url() -> None:
    variants = [
        "https://news.example.com/world/story-1?utm_source=twitter&utm_medium=social",
        "https://NEWS.example.com/world/story-1#comments",
        "https://news.example.com:443/world/story-1?fbclid=IwAR0",
        "/world/story-1?utm_source=rss",
    ]
    base = "https://news.example.com/feeds/world.xml"
    assert {canonicalize_url(v, base) for v in variants} == {
        "https://news.example.com/world/story-1"
    }


def test_keep_tracking_for_feed_urls() -> None:
    url = "https://e.com/feed?utm_source=x&b=1"
    assert canonicalize_url(url, strip_tracking=False) == "https://e.com/feed?b=1&utm_source=x"


def test_is_tracking_param() -> None:
    assert is_tracking_param("utm_content") and is_tracking_param("FBCLID")
    assert not is_tracking_param("id") and not is_tracking_param("page")


def test_host_of() -> None:
    assert host_of("https://WWW.Example.com:8443/x") == "www.example.com"
    assert host_of("http://[::1]/") == "::1"
    assert host_of("not a url") == ""
    assert host_of("") == ""


def test_site_of_uses_the_public_suffix_list() -> None:
    assert site_of("https://news.bbc.co.uk/a") == "bbc.co.uk"
    assert site_of("https://amp.example.com:8443/a") == "example.com"
    assert site_of("https://a.blogspot.com/") == "a.blogspot.com"  # a private suffix
    assert site_of("http://127.0.0.1:8000/a") == "127.0.0.1"
    assert site_of("http://localhost/a") == "localhost"
    assert site_of("not a url") == ""


PAGE = "https://amp.example.co.uk/news/story.amp?utm_source=rss"


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        # on the same site: canonicalised (tracking and fragment dropped, relative resolved)
        (
            "https://www.example.co.uk/news/story?utm_medium=x#top",
            "https://www.example.co.uk/news/story",
        ),
        ("/news/story", "https://amp.example.co.uk/news/story"),
        ("http://example.co.uk/news/story", "http://example.co.uk/news/story"),
        ("https://www.example.co.uk/?p=123", "https://www.example.co.uk/?p=123"),
        # not trusted
        (None, None),
        ("", None),
        ("https://other.co.uk/news/story", None),  # another site
        ("https://example.com/news/story", None),
        ("https://www.example.co.uk/", None),  # the home page, for a story
        ("javascript:alert(1)", None),
        ("ftp://www.example.co.uk/news/story", None),
        ("https://user:pw@www.example.co.uk/news/story", None),
        ("https://www.example.co.uk/" + "a" * 3000, None),
    ],
)
def test_trusted_canonical(declared: str | None, expected: str | None) -> None:
    assert trusted_canonical(declared, PAGE) == expected


def test_trusted_canonical_of_a_home_page_and_of_loopback() -> None:
    assert trusted_canonical("https://example.com/", "https://example.com/?utm_source=x") == (
        "https://example.com/"
    )
    assert trusted_canonical("http://127.0.0.1:9/a", "http://127.0.0.1:8000/b") == (
        "http://127.0.0.1:9/a"
    )
    assert trusted_canonical("http://localhost/a", "http://127.0.0.1/b") is None
