"""Article extraction on synthetic pages: body text, metadata, hostile input.

The pages under ``resources/pages`` imitate real news layouts (navigation,
share bars, cookie banners, related links, newsletter boxes, comment sections,
comment prompts written as plain paragraphs after the body).  Each test
states what must and must not come out.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import lxml.html
import pytest

from ingest.extract import EXTRACTOR_VERSION, decode_html, extract_article, looks_like_html
from ingest.extraction_settings import ExtractionSettings
from ingest.records import Outcome

PAGES = Path(__file__).parent / "resources" / "pages"
CFG = ExtractionSettings(max_html_bytes=1_000_000)


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def body_paragraphs(name: str, xpath: str) -> list[str]:
    """The article paragraphs as written in the page (the expected text)."""
    tree = lxml.html.fromstring(page(name))
    return [" ".join(p.text_content().split()) for p in tree.xpath(xpath)]


# --- the seed-shaped page --------------------------------------------------------------
def test_news_page_body_without_boilerplate_and_with_full_metadata() -> None:
    article = extract_article(
        page("world_desk_article.html"),
        url="https://news.example.org/europe/2025/03/14/flood-barrier-vote-delayed/?utm_source=rss",
        settings=CFG,
    )
    assert article.outcome is Outcome.OK
    paragraphs = body_paragraphs("world_desk_article.html", "//div[@class='article-body']/p")
    expected = paragraphs[:-4]  # the last four are the prompt, share and newsletter lines
    assert article.text.split("\n") == expected
    for junk in (
        "COMMENTS",
        "having issues with commenting",
        "Share this article",
        "newsletter",
        "cookies",
        "Related Stories",
        "River levels expected",
        "All rights reserved",
        "Politics",
        "Tags:",
    ):
        assert junk.lower() not in article.text.lower(), junk
    assert article.title == "Flood Barrier Vote Delayed as Council Seeks Second Opinion"
    assert article.canonical_url == (
        "https://news.example.org/europe/2025/03/14/flood-barrier-vote-delayed/"
    )
    # time and zone as published, not just the day
    assert article.published_at == datetime(2025, 3, 14, 9, 5, tzinfo=timezone(timedelta(hours=-5)))
    assert article.published_at.isoformat() == "2025-03-14T09:05:00-05:00"
    assert article.authors == ("Maria Keller",)
    assert article.site_name == "World Desk"
    assert article.description and article.description.startswith("The city council postponed")
    assert article.language == "en" and (article.language_confidence or 0) > 0.9
    assert article.word_count == sum(len(p.split()) for p in expected)
    assert article.extractor == "trafilatura"
    assert article.extractor_version == EXTRACTOR_VERSION
    assert article.error is None


def test_comment_section_and_prompts_are_not_article_text() -> None:
    article = extract_article(page("comment_section.html"), settings=CFG)
    assert article.outcome is Outcome.OK
    assert article.text.split("\n") == body_paragraphs(
        "comment_section.html", "//div[@class='article-body']/p"
    )
    assert "breadlover77" not in article.text and "Leave a comment" not in article.text
    assert article.canonical_url == "https://towncrier.example.com/business/bakery-chain-closures"
    assert article.published_at == datetime(2025, 5, 6, 6, 0, tzinfo=UTC)


def test_body_split_into_two_containers_is_read_whole() -> None:
    """trafilatura keeps the first ``article-body`` container; the second opinion adds the rest."""
    article = extract_article(
        page("split_body.html"), url="https://courier.example.com/x", settings=CFG
    )
    assert article.outcome is Outcome.OK
    assert article.text.split("\n") == body_paragraphs(
        "split_body.html", "//div[@class='article-body']/p"
    )
    assert article.extractor == "trafilatura+readability"
    assert "Advertisement" not in article.text and "Ferry fares" not in article.text
    # a relative canonical link is resolved against the page URL
    assert article.canonical_url == (
        "https://courier.example.com/business/2025/03/14/harbour-strike-ends/"
    )
    assert article.published_at is not None
    assert article.published_at.isoformat() == "2025-03-14T09:05:00-04:00"


def test_metadata_from_json_ld_graph_only() -> None:
    article = extract_article(
        page("jsonld_only.html"), url="https://ledger.example.net/some/path", settings=CFG
    )
    assert article.outcome is Outcome.OK
    assert article.title == "Rail Operator Orders 40 New Trains for Northern Lines"
    assert article.published_at is not None
    assert article.published_at.isoformat() == "2025-01-20T14:30:00+01:00"
    assert article.authors == ("Jonas Lindqvist", "Ana Pires")
    assert article.site_name == "The Valley Ledger"
    assert article.canonical_url == (
        "https://ledger.example.net/transport/2025/01/20/rail-operator-orders-trains/"
    )
    assert article.text.startswith("The regional rail operator has ordered 40 electric trains")
    assert "Privacy policy" not in article.text


def test_time_element_beats_a_date_only_meta() -> None:
    article = extract_article(page("time_element.html"), settings=CFG)
    assert article.published_at == datetime(2025, 2, 3, 7, 15, tzinfo=UTC)
    assert article.text.split("\n") == body_paragraphs("time_element.html", "//article/p")[1:]


def test_non_english_page_in_latin1() -> None:
    article = extract_article(page("spanish_latin1.html"), settings=CFG)
    assert article.outcome is Outcome.OK
    assert article.language == "es"
    assert "El Consejo de Ministros aprobó este martes el plan de regadío" in article.text
    assert article.title == "El Gobierno aprueba el plan de regadío para la cuenca del sur"
    assert article.site_name == "Diario del Valle"
    assert "derechos reservados" not in article.text


def test_short_page_is_an_empty_article_not_an_ok_one() -> None:
    article = extract_article(page("short_notice.html"), settings=CFG)
    assert article.outcome is Outcome.EMPTY_ARTICLE
    assert article.error and "fewer than" in article.error
    assert article.title == "Video unavailable"


# --- hostile and broken input ----------------------------------------------------------
def test_nul_bytes_control_characters_and_invalid_utf8_are_cleaned() -> None:
    article = extract_article(page("broken_bytes.html"), settings=CFG)
    assert article.outcome is Outcome.OK
    for bad in ("\x00", "\x07", "\ufffd"):
        assert bad not in article.text
    assert "installed in the second week of June" in article.text
    assert "publish revised timetables" in article.text
    assert len(article.text.split("\n")) == 4


def test_str_input_with_nul_is_accepted() -> None:
    html = page("world_desk_article.html").decode("utf-8").replace("council", "coun\x00cil")
    article = extract_article(html, settings=CFG)
    assert article.outcome is Outcome.OK and "\x00" not in article.text


@pytest.mark.parametrize(
    ("encoding", "declared"),
    [
        ("utf-8", "iso-8859-1"),  # valid UTF-8 wins over a wrong declaration
        ("cp1252", "utf-8"),  # a Windows-1252 page declared as UTF-8
        ("iso-8859-1", None),  # nothing declared
        ("iso-8859-1", "iso-8859-1"),
    ],
)
def test_misdeclared_and_undeclared_charsets(encoding: str, declared: str | None) -> None:
    sentence = "Der Bürgermeister sagte am Montag, dass die Straße über Nacht gesperrt bleibt. "
    meta = f'<meta charset="{declared}">' if declared else ""
    html = f"<html><head>{meta}<title>Straße</title></head><body><article>" + (
        f"<p>{sentence * 4}</p>" * 3 + "</article></body></html>"
    )
    article = extract_article(html.encode(encoding), settings=CFG)
    assert article.outcome is Outcome.OK
    assert "Bürgermeister" in article.text and "Straße über" in article.text
    assert article.language == "de"


def test_decode_html_reports_the_encoding_used() -> None:
    assert decode_html("é".encode())[1] == "utf-8"
    assert decode_html(b'<meta charset="windows-1251">' + "Москва".encode("cp1251")) == (
        '<meta charset="windows-1251">Москва',
        "cp1251",
    )
    assert decode_html("\ufeffhello".encode("utf-16"))[0].endswith("hello")


def test_huge_page_is_refused_before_parsing() -> None:
    html = b"<html><body>" + b"<p>word</p>" * 200_000 + b"</body></html>"
    article = extract_article(html, settings=ExtractionSettings(max_html_bytes=1_000_000))
    assert article.outcome is Outcome.EXTRACT_TOO_LARGE
    assert article.error and "1000000" in article.error
    assert article.text == ""


def test_pathological_nesting_gives_an_outcome_not_an_exception() -> None:
    paragraph = "<p>" + "Words of a paragraph deep inside many boxes. " * 10 + "</p>"
    html = "<html><body>" + "<div>" * 20_000 + paragraph + "</div>" * 20_000 + "</body></html>"
    article = extract_article(html, settings=CFG)
    assert article.outcome in {Outcome.OK, Outcome.EMPTY_ARTICLE}
    if article.outcome is Outcome.EMPTY_ARTICLE:
        assert article.error


@pytest.mark.parametrize(
    ("data", "outcome"),
    [
        (b"", Outcome.NOT_HTML),
        (b"   \n\t ", Outcome.NOT_HTML),
        (b"just words, no markup at all " * 10, Outcome.NOT_HTML),
        (b"%PDF-1.7\n%binary", Outcome.NOT_HTML),
        (b"\x89PNG\r\n\x1a\n....", Outcome.NOT_HTML),
        (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>',
            Outcome.NOT_HTML,
        ),
        (b"<html><body><p>Too short.</p></body></html>", Outcome.EMPTY_ARTICLE),
        (b"<html><body><div><div></body>", Outcome.EMPTY_ARTICLE),
    ],
)
def test_empty_and_non_html_input(data: bytes, outcome: Outcome) -> None:
    article = extract_article(data, settings=CFG)
    assert article.outcome is outcome
    assert article.error
    assert article.extractor_version == EXTRACTOR_VERSION


def test_looks_like_html() -> None:
    assert looks_like_html("<!doctype html><html><body><p>x</p></body></html>")
    assert looks_like_html("<div>fragment</div>")
    assert not looks_like_html('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">')
    assert not looks_like_html("plain text")


def test_settings_from_the_application_environment() -> None:
    from newsflow.settings.env import Env
    from newsflow.settings.ingest import extraction_settings

    cfg = extraction_settings(
        Env({"NEWSFLOW_MAX_PAGE_BYTES": "100", "NEWSFLOW_EXTRACT_CPU_SECONDS": "5"})
    )
    assert cfg.wall_seconds == 15.0
    article = extract_article(page("time_element.html"), settings=cfg)
    assert article.outcome is Outcome.EXTRACT_TOO_LARGE
