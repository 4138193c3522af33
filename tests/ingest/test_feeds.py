"""parse_feed on synthetic feeds: formats, encodings, hostile documents, normalisation."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest import feed_parser as feeds_module
from ingest.feed_parser import declares_entities, decode_feed, entry_hash, parse_feed
from ingest.records import Outcome, ParsedFeed

FEEDS = Path(__file__).parent / "resources" / "feeds"
NOW = datetime(2024, 12, 5, tzinfo=UTC)
URL = "https://feeds.example.com/section/feed.xml"


def parse(name: str, **kwargs: object) -> ParsedFeed:
    return parse_feed((FEEDS / name).read_bytes(), url=URL, now=NOW, **kwargs)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "version", "count"),
    [
        ("rss091.xml", "rss091n", 2),
        ("rss10.rdf", "rss10", 2),
        ("rss20.xml", "rss20", 3),
        ("atom10.xml", "atom10", 2),
        ("podcast.xml", "rss20", 2),
    ],
)
def test_formats(name: str, version: str, count: int) -> None:
    feed = parse(name)
    assert feed.outcome is Outcome.OK, feed.error
    assert feed.version == version
    assert len(feed.entries) == count
    assert all(e.entry_hash and len(e.entry_hash) == 64 for e in feed.entries)


def test_rss20_normalisation() -> None:
    feed = parse("rss20.xml")
    assert feed.title == "The Daily Example — World"
    assert feed.site_url == "https://news.example.com/world/"
    assert feed.language == "en-gb"
    assert feed.ttl_s == 30 * 60
    first, second, third = feed.entries
    # guid is the key; the relative link is resolved against the feed URL; utm_ and the
    # fragment are gone from the canonical URL, the published link keeps them
    assert first.entry_key == "daily-example-1001" and first.guid == "daily-example-1001"
    assert first.link == (
        "https://feeds.example.com/world/2024/12/02/geneva-talks"
        "?utm_source=rss&utm_medium=feed&ref=home#comments"
    )
    assert first.canonical_url == "https://feeds.example.com/world/2024/12/02/geneva-talks?ref=home"
    assert first.summary == (
        "Foreign ministers from three countries met on Monday. Talks continue & more are planned."
    )
    assert first.authors == ("Amira Haddad",)
    assert first.categories == ("World", "Diplomacy")
    assert first.published_at == datetime(2024, 12, 2, 20, 35, tzinfo=UTC)
    assert first.published_raw == "Mon, 02 Dec 2024 22:35:00 +0200"
    # no guid: the canonical link is the key (host lower-cased, :443 and fbclid dropped,
    # parameters sorted)
    assert second.guid is None
    assert second.entry_key == "https://news.example.com/world/2024/12/02/floods?id=7&page=2"
    assert second.authors == ("Jonas Weber",)
    assert third.canonical_url == "https://feeds.example.com/section/opinion/why-talks-matter.html"


def test_rss10_sy_update_period_and_dc() -> None:
    feed = parse("rss10.rdf")
    assert feed.ttl_s == 1800  # hourly, twice
    entry = feed.entries[0]
    assert entry.entry_key == "https://journal.example.net/content/1"
    assert entry.canonical_url == "https://journal.example.net/content/1"  # ?rss=1 is tracking
    assert entry.authors == ("Okafor, N.",)
    assert entry.categories == ("Geophysics",)
    assert entry.summary == "Acoustic sensors record harmonic tremors."
    assert entry.published_at == datetime(2024, 12, 2, 20, 4, 5, tzinfo=UTC)


def test_atom_xml_base_html_title_and_updated_only() -> None:
    feed = parse("atom10.xml")
    assert feed.language == "de"
    first, second = feed.entries
    assert first.title == "Neue Brücke eröffnet"
    assert first.link == "https://blog.example.de/artikel/neue-bruecke"  # xml:base
    assert first.authors == ("Jürgen Müller", "Eva Schmidt")
    assert first.published_at == datetime(2024, 12, 3, 8, 30, tzinfo=UTC)  # published wins
    assert second.published_at == datetime(2024, 12, 2, 12, 0, tzinfo=UTC)  # else updated
    assert second.summary == "Ein Eintrag ohne published."


def test_podcast_enclosures_and_itunes() -> None:
    feed = parse("podcast.xml")
    episode, notes = feed.entries
    assert episode.entry_key == "briefing-ep-42" and episode.link is None
    assert episode.canonical_url is None
    assert episode.authors == ("Priya Natarajan",)
    assert episode.summary == "Priya and guests look back at the week."
    assert notes.summary == "Show notes with links."


def test_rss091_with_netscape_doctype_is_not_refused() -> None:
    feed = parse("rss091.xml")
    assert feed.outcome is Outcome.OK
    assert feed.entries[1].summary == "Volunteers repainted the tower & replaced the lamp."
    assert all(e.published_at is None and not e.date_invalid for e in feed.entries)


# ---------------------------------------------------------------------------
# Encodings
# ---------------------------------------------------------------------------
def test_latin1_without_declaration_keeps_accents() -> None:
    feed = parse("latin1_nodecl.xml")
    assert feed.outcome is Outcome.OK
    assert feed.title == "Notícias do Sertão"
    assert feed.entries[0].title == "Eleição em São João: candidatos debatem educação"
    assert any("windows-1252" in w for w in feed.warnings)


def test_latin1_declared_by_http_content_type() -> None:
    body = (FEEDS / "latin1_nodecl.xml").read_bytes()
    feed = parse_feed(body, url=URL, content_type="text/xml; charset=ISO-8859-1", now=NOW)
    assert feed.entries[1].title == "Previsão: frio intenso no Paraná e em Santa Catarina"
    assert feed.warnings == ()


def test_windows_1251_and_shift_jis_declared() -> None:
    russian = parse("cp1251_declared.xml")
    assert russian.title == "Новости Примерска"
    assert russian.entries[0].title == "Министр иностранных дел провёл переговоры в Москве"
    assert russian.entries[0].categories == ("Политика",)
    japanese = parse("shiftjis_declared.xml")
    assert japanese.entries[0].title == "東京で国際会議が開幕"
    assert japanese.entries[0].published_at == datetime(2024, 12, 4, 0, 0, tzinfo=UTC)


def test_utf8_body_with_a_wrong_latin_http_charset() -> None:
    body = (FEEDS / "atom10.xml").read_bytes()
    feed = parse_feed(body, url=URL, content_type="application/atom+xml; charset=iso-8859-1")
    assert feed.entries[0].title == "Neue Brücke eröffnet"
    assert any("UTF-8" in w for w in feed.warnings)


def test_utf16_with_bom() -> None:
    text = (FEEDS / "cp1251_declared.xml").read_bytes().decode("cp1251")
    body = text.replace('encoding="windows-1251"', 'encoding="utf-16"').encode("utf-16")
    feed = parse_feed(body, url=URL, now=NOW)
    assert feed.outcome is Outcome.OK and feed.title == "Новости Примерска"


def test_decode_feed_order() -> None:
    assert decode_feed("é".encode())[1] == "utf-8"
    assert decode_feed("é".encode("latin-1"))[1] == "cp1252"
    assert decode_feed(b'<?xml version="1.0" encoding="koi8-r"?><a/>')[1] == "koi8-r"
    assert decode_feed("ж".encode("cp1251"), "text/xml; charset=windows-1251")[0] == "ж"


# ---------------------------------------------------------------------------
# Hostile and broken documents
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["billion_laughs.xml", "xxe.xml"])
def test_entity_declarations_are_refused_before_feedparser(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("feedparser must not see this document")

    monkeypatch.setattr(feeds_module.feedparser, "parse", boom)
    feed = parse(name)
    assert feed.outcome is Outcome.FEED_REFUSED
    assert "ENTITY" in (feed.error or "")
    assert feed.entries == ()


def test_entity_declaration_in_utf16_is_refused() -> None:
    body = (FEEDS / "xxe.xml").read_text("utf-8").replace("UTF-8", "UTF-16").encode("utf-16")
    assert declares_entities(body)
    assert parse_feed(body, url=URL).outcome is Outcome.FEED_REFUSED


def test_entity_text_after_the_root_is_not_a_declaration() -> None:
    body = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>XML tips</title>
    <item><title>About &lt;!ENTITY&gt;</title><link>https://x.example.com/1</link>
    <description><![CDATA[Never write <!ENTITY x "y"> in a feed]]></description></item>
    </channel></rss>"""
    assert not declares_entities(body)
    assert parse_feed(body, url=URL).outcome is Outcome.OK


def test_html_page_is_not_a_feed_and_names_its_feed_link() -> None:
    feed = parse("html_page.html", content_type="text/html; charset=utf-8")
    assert feed.outcome is Outcome.NOT_A_FEED
    assert "HTML page" in (feed.error or "")
    assert "https://feeds.example.com/feeds/all.rss" in (feed.error or "")


@pytest.mark.parametrize("body", [b"", b"   \n\t  "])
def test_empty_body_is_not_a_feed(body: bytes) -> None:
    feed = parse_feed(body, url=URL)
    assert feed.outcome is Outcome.NOT_A_FEED and feed.error == "empty body"


@pytest.mark.parametrize(
    "body", [b"just some text", b'{"json": true}', b"<note><to>Tove</to></note>"]
)
def test_other_documents_are_not_feeds(body: bytes) -> None:
    assert parse_feed(body, url=URL).outcome is Outcome.NOT_A_FEED


def test_oversized_body_is_refused() -> None:
    body = (FEEDS / "rss20.xml").read_bytes()
    feed = parse_feed(body, url=URL, max_bytes=len(body) - 1)
    assert feed.outcome is Outcome.FEED_REFUSED and "too large" in (feed.error or "")
    assert parse_feed(body, url=URL, max_bytes=len(body)).outcome is Outcome.OK


def test_default_size_limit_is_the_librarys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFLOW_MAX_FEED_BYTES", "100")  # the library never reads it
    body = (FEEDS / "rss20.xml").read_bytes()
    assert parse_feed(body, url=URL).outcome is Outcome.OK
    big = body + b" " * feeds_module.DEFAULT_MAX_FEED_BYTES
    assert parse_feed(big, url=URL).outcome is Outcome.FEED_REFUSED


def test_feedparser_only_ever_gets_a_bytes_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    real = feeds_module.feedparser.parse

    def spy(source: object, *args: object, **kwargs: object) -> object:
        seen.append(source)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(feeds_module.feedparser, "parse", spy)
    # a body that is also a readable path: feedparser.parse(b"/etc/hostname") would read it
    feed = parse_feed(b"/etc/hostname", url=URL)
    assert feed.outcome is Outcome.NOT_A_FEED
    parse("rss20.xml")
    assert seen and all(isinstance(s, io.BytesIO) for s in seen)


def test_truncated_feed_keeps_what_parsed_and_warns() -> None:
    body = (FEEDS / "rss20.xml").read_bytes()
    cut = body[: body.index(b"<title>Opinion")]
    feed = parse_feed(cut, url=URL, now=NOW)
    assert feed.outcome is Outcome.OK  # bozo, but a feed: judged by version and entries
    assert len(feed.entries) == 2
    assert feed.warnings


def test_nul_bytes_and_control_characters_are_removed() -> None:
    body = (FEEDS / "rss20.xml").read_bytes().replace(b"Floods close", b"Flo\x00ods\x07 close")
    feed = parse_feed(body, url=URL, now=NOW)
    assert feed.outcome is Outcome.OK
    titles = [e.title or "" for e in feed.entries]
    assert not any("\x00" in t or "\x07" in t for t in titles)


def test_duplicate_guids_keep_the_last_edit() -> None:
    # the same GUID, link and enclosure is one item whatever its title: the last edit
    # is kept at the first's place; every repeat is counted
    feed = parse("duplicate_guids.xml")
    assert [e.entry_key for e in feed.entries] == ["wire-555", "wire-556"]
    assert feed.entries[0].title == "Magnitude 6.1 quake hits coastal region, dozens hurt"
    assert feed.entries[1].summary == "Stocks rose at the open."
    assert feed.items_found == 4 and feed.skipped == {"repeated_item": 2}
    assert any("repeat an earlier item" in w for w in feed.warnings)


def test_impossible_dates_are_flagged_not_guessed() -> None:
    feed = parse("bad_dates.xml")
    by_title = {e.title: e for e in feed.entries}
    for title in (
        "February thirtieth",
        "ISO February thirtieth",
        "Year zero",
        "Year zero ISO",
        "Far future",
        "Gibberish",
    ):
        entry = by_title[title]
        assert entry.published_at is None, title
        assert entry.date_invalid, title
        assert entry.published_raw, title
    assert by_title["Fine"].published_at == datetime(2024, 12, 3, 8, 0, tzinfo=UTC)
    assert not by_title["Fine"].date_invalid
    assert by_title["No date"].published_raw is None and not by_title["No date"].date_invalid


def test_entry_hash_changes_with_edits_only() -> None:
    a = entry_hash("Title", "https://x/1", "Summary", "2024-12-02T00:00:00+00:00")
    assert a == entry_hash("Title", "https://x/1", "Summary", "2024-12-02T00:00:00+00:00")
    assert a != entry_hash("Title!", "https://x/1", "Summary", "2024-12-02T00:00:00+00:00")
    # a rotating tracking parameter in the link is not an edit
    one = parse_feed((FEEDS / "rss20.xml").read_bytes(), url=URL, now=NOW)
    body = (FEEDS / "rss20.xml").read_bytes().replace(b"utm_medium=feed", b"utm_medium=email")
    two = parse_feed(body, url=URL, now=NOW)
    assert one.entries[0].entry_hash == two.entries[0].entry_hash


def test_entry_without_any_identity_is_skipped() -> None:
    body = b"""<rss version="2.0"><channel><title>t</title>
    <item><description></description></item>
    <item><title>Only a title</title></item></channel></rss>"""
    feed = parse_feed(body, url=URL)
    assert len(feed.entries) == 1
    assert feed.entries[0].entry_key.startswith("sha256:")
    assert any("skipped" in w for w in feed.warnings)


def test_empty_feed_is_a_feed() -> None:
    body = b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    feed = parse_feed(body, url=URL)
    assert feed.outcome is Outcome.OK and feed.entries == () and feed.title == "Quiet"
