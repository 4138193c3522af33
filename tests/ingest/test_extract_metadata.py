"""Page metadata: times with their zone, titles, canonical URLs, authors, site names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import lxml.html
import pytest

from ingest.metadata import parse_datetime, read_metadata


@pytest.mark.parametrize(
    ("value", "expected", "has_time"),
    [
        ("2024-12-02T22:35:00Z", datetime(2024, 12, 2, 22, 35, tzinfo=UTC), True),
        (
            "2024-12-02T22:35:00.000-05:00",
            datetime(2024, 12, 2, 22, 35, tzinfo=timezone(timedelta(hours=-5))),
            True,
        ),
        (
            "2024-12-02 22:35:00+0100",
            datetime(2024, 12, 2, 22, 35, tzinfo=timezone(timedelta(hours=1))),
            True,
        ),
        ("20241202T223500Z", datetime(2024, 12, 2, 22, 35, tzinfo=UTC), True),
        ("2024-12-02T22:35:00", datetime(2024, 12, 2, 22, 35, tzinfo=UTC), True),  # no zone: UTC
        ("2024-12-02", datetime(2024, 12, 2, tzinfo=UTC), False),
        (
            "Nov 19, 2019 11:11 PM EST",
            datetime(2019, 11, 19, 23, 11, tzinfo=timezone(timedelta(hours=-5))),
            True,
        ),
        ("Tue, 19 Nov 2019 08:00:00 GMT", datetime(2019, 11, 19, 8, 0, tzinfo=UTC), True),
    ],
)
def test_parse_datetime(value: str, expected: datetime, has_time: bool) -> None:
    parsed = parse_datetime(value)
    assert parsed is not None
    when, with_time = parsed
    assert when == expected and when.utcoffset() == expected.utcoffset()
    assert with_time is has_time


@pytest.mark.parametrize(
    "value", ["", "garbage", "0001-01-01T00:00:00Z", "2019-11-20 10:00 IST", None, 20241202]
)
def test_unusable_datetimes(value: object) -> None:
    assert parse_datetime(value) is None


def meta(html: str, url: str | None = None):  # type: ignore[no-untyped-def]
    return read_metadata(lxml.html.document_fromstring(html), url)


def test_open_graph_wins_and_title_suffix_is_removed() -> None:
    result = meta(
        "<html><head><title>Harbour strike ends | Coastline Courier</title>"
        '<meta property="og:site_name" content="Coastline Courier"></head><body></body></html>'
    )
    assert result.title == "Harbour strike ends"
    assert result.site_name == "Coastline Courier"


def test_og_title_loses_only_an_exact_site_suffix() -> None:
    head = '<meta property="og:site_name" content="Town Crier">'
    with_site = f'<html><head>{head}<meta property="og:title" content="Bakery closes - Town Crier">'
    assert meta(with_site + "</head><body></body></html>").title == "Bakery closes"
    dashed = f'<html><head>{head}<meta property="og:title" content="Live - Election night">'
    assert meta(dashed + "</head><body></body></html>").title == "Live - Election night"


def test_time_beats_date_only_and_modified_is_the_last_resort() -> None:
    html = (
        '<html><head><meta name="date" content="2025-02-03">'
        '<meta property="article:modified_time" content="2025-02-04T10:00:00Z"></head>'
        '<body><article><time datetime="2025-02-03T07:15:00+01:00">3 Feb</time></article>'
        "</body></html>"
    )
    assert meta(html).published_at == datetime(
        2025, 2, 3, 7, 15, tzinfo=timezone(timedelta(hours=1))
    )
    only_modified = (
        '<html><head><meta property="article:modified_time" content="2025-02-04T10:00:00Z">'
    )
    assert meta(only_modified + "</head><body></body></html>").published_at == datetime(
        2025, 2, 4, 10, tzinfo=UTC
    )


def test_json_ld_with_broken_json_is_skipped_and_good_json_is_read() -> None:
    html = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle",, broken</script>'
        '<script type="application/ld+json">[{"@type":"BlogPosting","headline":"A post",'
        '"datePublished":"2025-06-01T12:00:00+02:00","author":"Kim Lee",'
        '"publisher":{"@type":"Organization","name":"Lee Blog"},}]</script></head>'
        "<body></body></html>"
    )
    result = meta(html)
    assert result.title == "A post"
    assert result.authors == ("Kim Lee",)
    assert result.site_name == "Lee Blog"
    assert result.published_at == datetime(2025, 6, 1, 12, tzinfo=timezone(timedelta(hours=2)))


def test_canonical_url_is_resolved_and_must_be_http() -> None:
    html = '<html><head><link rel="canonical" href="../story/1?x=1"></head><body></body></html>'
    assert meta(html, "https://example.com/a/b/c").canonical_url == (
        "https://example.com/a/story/1?x=1"
    )
    bad = '<html><head><link rel="canonical" href="javascript:alert(1)">'
    bad += '<meta property="og:url" content="https://example.com/og"></head><body></body></html>'
    assert meta(bad).canonical_url == "https://example.com/og"


def test_authors_from_meta_are_split_and_cleaned() -> None:
    html = (
        '<html><head><meta name="author" content="By Ana Pires and Jonas Lindqvist">'
        '<meta property="article:author" content="https://facebook.com/someone"></head>'
        "<body></body></html>"
    )
    assert meta(html).authors == ("Ana Pires", "Jonas Lindqvist")


def test_html_lang_is_kept_as_a_hint() -> None:
    assert meta('<html lang="pt-BR"><head></head><body></body></html>').html_lang == "pt"
