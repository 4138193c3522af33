"""Audit inputs as sites: reading pages and stories, rendering, serving with feeds."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

from newsflow.eval import audit_pages as ap

HERE = Path(__file__).parent
PAGES = HERE / "pages"
STORIES = HERE / "stories.jsonl"


def test_page_urls_come_from_ground_truth_then_the_page_then_the_id(tmp_path: Path) -> None:
    pages = {p.id: p for p in ap.load_page_folder(PAGES)}
    assert set(pages) == {"talks-page", "protest-page", "aid-page"}
    assert pages["talks-page"].original_url.endswith("/world/middle-east/talks-in-damascus")
    # not in ground-truth.json: its <link rel=canonical>
    assert (
        pages["aid-page"].original_url
        == "https://asia.example-daily.com/asia/japan-aid-philippines"
    )
    assert pages["aid-page"].body.startswith(b"<!doctype html>")  # gunzipped
    assert pages["protest-page"].title == "Thousands protest in Paris over pension law"
    # a folder without ground truth nor canonical links: /<id>.html
    (tmp_path / "plain.html").write_text("<html><title>T</title><p>x</p></html>")
    (plain,) = ap.load_page_folder(tmp_path)
    assert plain.original_url == f"http://{ap.LOCAL_HOST}/plain.html"
    # ground truth one level up (the Zyte layout), or named with --urls
    sub = tmp_path / "html"
    sub.mkdir()
    (sub / "x.html").write_text("<html></html>")
    (tmp_path / "ground-truth.json").write_text(json.dumps({"x": {"url": "https://a.org/b/x"}}))
    assert ap.load_page_folder(sub)[0].original_url == "https://a.org/b/x"
    other = tmp_path / "urls.json"
    other.write_text(json.dumps({"x": {"url": "https://c.org/d/x"}}))
    assert ap.load_page_folder(sub, other)[0].original_url == "https://c.org/d/x"


def test_stories_render_as_article_pages() -> None:
    story, _ = ap.load_stories(STORIES)
    html = story.body.decode()
    assert "<title>Ukraine and Russia exchange prisoners</title>" in html
    assert "<h1>Ukraine and Russia exchange prisoners</h1>" in html
    assert '<meta property="article:section" content="Europe">' in html
    assert '<meta name="keywords" content="Europe, Ukraine, Russia">' in html
    assert '<time datetime="2026-11-18T14:00:00+00:00">' in html
    assert "Sam Reporter" in html
    body = html.split('<div class="article-body">')[1].split("</div>")[0]
    assert body.count("<p>") == 2  # five sentences, three to a paragraph
    assert story.published == datetime(2026, 11, 18, 14, tzinfo=UTC)
    assert story.categories == ["Europe", "Ukraine", "Russia"]


def test_paragraphs_keep_line_breaks_or_group_sentences() -> None:
    assert ap.paragraphs("One. Two.\nThree.") == ["One. Two.", "Three."]
    text = 'He said "no." She left. Mr. Big came. They met. It ended.'
    assert ap.paragraphs(text, per_paragraph=2) == [
        'He said "no." She left.',
        "Mr. Big came. They met.",
        "It ended.",
    ]
    assert " ".join(ap.paragraphs(text, per_paragraph=2)) == text


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    copy = tmp_path / "copy.jsonl"
    copy.write_text(STORIES.read_text())
    with pytest.raises(ap.InputError, match="twice"):
        ap.load_inputs([STORIES, copy])
    with pytest.raises(ap.InputError):
        ap.load_inputs([tmp_path / "copy.txt"])


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return bytes(response.read())


def test_sites_serve_pages_under_their_paths_with_feeds() -> None:
    pages = ap.load_inputs([PAGES, STORIES])
    with ap.Sites(pages) as sites:
        assert len(sites.feeds) == 3  # example-news.org, example-daily.com, example-wire.net
        by_id = {p.id: p for p in pages}
        talks = by_id["talks-page"]
        assert talks.served_url.startswith("http://127.0.0.1:")
        assert talks.served_url.endswith("/world/middle-east/talks-in-damascus")
        assert _get(talks.served_url) == talks.body
        hosts = {title: url for title, url in sites.feeds}
        feed = feedparser.parse(_get(hosts["www.example-wire.net"]))
        assert [e.id for e in feed.entries] == ["st-1", "st-2"]
        entry = feed.entries[0]
        assert entry.link == by_id["st-1"].served_url
        assert [t.term for t in entry.tags] == ["Europe", "Ukraine", "Russia"]
        assert entry.published_parsed[:4] == (2026, 11, 18, 14)
        news = feedparser.parse(_get(hosts["www.example-news.org"]))
        assert "published" not in news.entries[0]  # pages: no date invented
        opml = ap.opml(sites.feeds)
        assert opml.count("xmlUrl=") == 3
