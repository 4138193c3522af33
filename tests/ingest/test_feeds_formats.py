"""Every feed format in one set of checks, JSON Feed mapping, and items that share a key.

For each format, the items a document holds (counted here from the document
itself, not from the parser) equal the entries returned plus the items
counted in ``skipped``: nothing vanishes.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.feed_parser import MAX_KEY_BYTES, MAX_SUMMARY_CHARS, key_entries, parse_feed
from ingest.records import Outcome, ParsedFeed

FEEDS = Path(__file__).parent / "resources" / "feeds"
NOW = datetime(2024, 12, 5, tzinfo=UTC)
URL = "https://feeds.example.com/section/feed"

#: file, feedparser/JSON Feed version, entries, skipped by reason
FORMATS = [
    ("rss090.rdf", "rss090", 3, {}),
    ("rss091.xml", "rss091n", 2, {}),
    ("rss092.xml", "rss092", 3, {}),
    ("rss10.rdf", "rss10", 2, {}),
    ("rss20.xml", "rss20", 3, {}),
    ("podcast.xml", "rss20", 2, {}),
    ("podcast_shared_links.xml", "rss20", 10, {"repeated_item": 1}),
    ("duplicate_guids.xml", "rss20", 2, {"repeated_item": 2}),
    ("atom03.xml", "atom03", 2, {}),
    ("atom10.xml", "atom10", 2, {}),
    ("jsonfeed10.json", "json1", 3, {}),
    (
        "jsonfeed11.json",
        "json11",
        4,
        {"no_identity": 1, "not_an_object": 1, "repeated_item": 1},
    ),
]


def parse(name: str) -> ParsedFeed:
    return parse_feed((FEEDS / name).read_bytes(), url=URL, now=NOW)


def items_in(name: str) -> int:
    """The items of a document, counted without the parser."""
    body = (FEEDS / name).read_text(encoding="utf-8", errors="replace")
    if name.endswith(".json"):
        return len(json.loads(body)["items"])
    return len(re.findall(r"<(?:item|entry)\b", body))


@pytest.mark.parametrize(("name", "version", "count", "skipped"), FORMATS)
def test_every_item_is_an_entry_or_counted_with_its_reason(
    name: str, version: str, count: int, skipped: dict[str, int]
) -> None:
    feed = parse(name)
    assert feed.outcome is Outcome.OK, feed.error
    assert feed.version == version
    assert len(feed.entries) == count
    assert feed.skipped == skipped
    assert feed.items_found == items_in(name) == len(feed.entries) + sum(feed.skipped.values())
    keys = [e.entry_key for e in feed.entries]
    assert len(set(keys)) == len(keys)
    assert [e.entry_key for e in parse(name).entries] == keys  # a re-parse: the same keys


# ---------------------------------------------------------------------------
# Items that share a link or a GUID
# ---------------------------------------------------------------------------
def test_episodes_sharing_the_show_link_are_separate_entries() -> None:
    feed = parse("podcast_shared_links.xml")
    titles = [e.title for e in feed.entries]
    assert titles[2:] == [f"Morning Brief {n}" for n in range(8, 0, -1)]
    assert all(e.canonical_url == "https://pods.example.com/morning-brief" for e in feed.entries)
    # the enclosure tells them apart, so the key follows the enclosure, not the title
    assert all("#enclosure=" in e.entry_key for e in feed.entries)
    assert len({e.enclosure_url for e in feed.entries}) == 10
    # a GUID reused for a re-upload (another enclosure) is two entries too
    bonus = [e for e in feed.entries if e.guid == "mb-bonus"]
    assert [e.enclosure_url for e in bonus] == [
        "https://cdn.example.com/mb/bonus-v2.mp3",
        "https://cdn.example.com/mb/bonus.mp3",
    ]


def test_an_edited_title_keeps_the_key_when_the_enclosure_separates_items() -> None:
    body = (FEEDS / "podcast_shared_links.xml").read_bytes()
    edited = parse_feed(
        body.replace(b"Morning Brief 5<", b"Morning Brief 5 (corrected)<"), url=URL, now=NOW
    )
    before = {e.enclosure_url: e for e in parse("podcast_shared_links.xml").entries}
    after = {e.enclosure_url: e for e in edited.entries}
    assert {u: e.entry_key for u, e in before.items()} == {u: e.entry_key for u, e in after.items()}
    ep5 = "https://cdn.example.com/mb/ep5.mp3"
    assert before[ep5].entry_hash != after[ep5].entry_hash  # stored as an edit


def test_items_without_guid_sharing_a_link_differ_by_title() -> None:
    feed = parse("rss090.rdf")
    bridge = [e for e in feed.entries if e.link and e.link.endswith("bridge.html")]
    assert [e.title for e in bridge] == [
        "Council approves new bridge",
        "Council approves new bridge, with a footpath",
    ]
    assert all(e.entry_key.startswith(e.canonical_url + "#item=") for e in bridge)  # type: ignore[operator]
    # an item alone under its link keeps the link as its key, as before
    assert feed.entries[0].entry_key == "http://courier.example.org/1999/01/pond.html"


def test_a_guid_and_a_link_that_coincide_are_still_two_items() -> None:
    entry = parse("rss20.xml").entries[0]
    twin = replace(entry, guid=None)  # the same key (the GUID equals the link below)
    entry = replace(entry, entry_key="https://x.example/a", canonical_url="https://x.example/a")
    twin = replace(twin, entry_key="https://x.example/a", canonical_url="https://x.example/a")
    keyed, repeats = key_entries([entry, twin])
    assert repeats == 0 and len({e.entry_key for e in keyed}) == 2


def test_overlong_keys_are_hashed() -> None:
    entry = parse("rss20.xml").entries[0]
    keyed, _ = key_entries([replace(entry, entry_key="g" * (MAX_KEY_BYTES + 1))])
    assert keyed[0].entry_key.startswith("sha256:") and len(keyed[0].entry_key) == 71


# ---------------------------------------------------------------------------
# JSON Feed
# ---------------------------------------------------------------------------
def test_json_feed_10_fields() -> None:
    feed = parse("jsonfeed10.json")
    assert feed.title == "Northern Ledger"
    assert feed.site_url == "https://ledger.example.com/"
    assert feed.feed_url == "https://ledger.example.com/feed.json"
    strike, link_post, budget = feed.entries
    assert strike.entry_key == "2041" and strike.guid == "2041"  # a 1.0 numeric id
    assert strike.canonical_url == "https://ledger.example.com/2024/12/03/port-strike"
    assert strike.published_at == datetime(2024, 12, 3, 5, 15, tzinfo=UTC)
    assert strike.authors == ("Maria Okafor",)  # the item's author, not the feed's
    assert strike.categories == ("Labour", "Ports")
    # content_html is sanitised as an XML feed's HTML is: no script, no handler
    assert strike.summary == "Dock workers walked out at dawn. Talks resume Friday."
    # external_url stands in for a missing url; content_text for a missing summary
    assert link_post.link == "https://elsewhere.example.org/report"
    assert link_post.summary == "A link post: the regional report on housing."
    assert link_post.title is None and link_post.authors == ("Ledger Desk",)
    # relative url resolved against the feed; summary preferred over content
    assert budget.link == "https://feeds.example.com/2024/12/01/budget"
    assert budget.summary == "The council voted 31 to 12."


def test_json_feed_11_fields() -> None:
    feed = parse("jsonfeed11.json")
    assert feed.language == "en-gb"
    first = feed.entries[0]
    assert first.authors == ("Ana Ruiz", "Tom Berg")
    assert first.enclosure_url == "https://cdn.example.com/hs/12.mp3"
    # an item without authors takes the feed's (JSON Feed 1.1)
    assert feed.entries[1].authors == ("Harbour Sounds team",)
    # the repeated "Show notes" item: the last occurrence is kept
    assert feed.entries[3].published_at == datetime(2024, 11, 19, 6, tzinfo=UTC)


def _json(document: object) -> ParsedFeed:
    return parse_feed(json.dumps(document).encode(), url=URL, now=NOW)


def test_json_feed_caps_and_cleans_like_xml() -> None:
    long_html = "<p>" + "word " * 3000 + "</p>"
    feed = _json(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "items": [
                {"id": "a\u0000b", "url": "https://x.example/1", "content_html": long_html},
                {"id": "d", "title": "Bad date", "date_published": "2024-02-30T10:00:00Z"},
                {"id": "f", "title": "Future", "date_published": "2031-01-01T00:00:00Z"},
                {"id": {"not": "text"}, "title": "Object id", "tags": "not a list"},
            ],
        }
    )
    long, bad, future, object_id = feed.entries
    assert long.entry_key == "a b"
    assert long.summary is not None and len(long.summary) <= MAX_SUMMARY_CHARS + 2
    assert long.summary.endswith(" …")
    assert bad.date_invalid and bad.published_at is None
    assert bad.published_raw == "2024-02-30T10:00:00Z"
    assert future.date_invalid and future.published_at is None
    assert object_id.guid is None and object_id.entry_key.startswith("sha256:")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "not valid JSON"),
        (b'{"name": "a config file"}', "not a JSON Feed"),
        (b"[" * 100_000 + b"]" * 100_000, "not recognised"),
        (b"{" + b'"a":[' * 100_000 + b"]" * 100_000 + b"}", "not valid JSON"),
    ],
)
def test_json_that_is_not_a_feed(body: bytes, message: str) -> None:
    feed = parse_feed(body, url=URL, now=NOW, max_bytes=10_000_000)
    assert feed.outcome is Outcome.NOT_A_FEED
    assert message in (feed.error or "")


def test_json_feed_served_with_an_odd_type_and_unknown_version() -> None:
    feed = parse_feed(
        b'{"version": "https://jsonfeed.org/version/2", "title": "T",'
        b' "items": [{"id": "1", "content_text": "x"}]}',
        url=URL,
        content_type="text/html",
        now=NOW,
    )
    assert feed.outcome is Outcome.OK and feed.version == "json2"
    assert any("unknown JSON Feed version" in w for w in feed.warnings)
    assert any("served as text/html" in w for w in feed.warnings)


def test_json_feed_without_items_is_an_empty_feed() -> None:
    feed = _json({"version": "https://jsonfeed.org/version/1", "title": "Quiet"})
    assert feed.outcome is Outcome.OK and feed.entries == () and feed.items_found == 0
