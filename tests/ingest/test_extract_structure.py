"""Extraction by the page's own structure: link lists, comment sections, declared bodies.

Every page here is written for the rule it tests (prose from ``tests.ingest.site``):
a related-links list inside the body, a comment section, a page that declares
its body in JSON-LD while showing a teaser, and pages where trafilatura's own
rules return too little.  Each test says what must and must not come out, and
where it can, shows the structural rule itself at work on lines an extractor
kept.
"""

from __future__ import annotations

import json
from html import escape

import lxml.html
import pytest

from ingest.extract import EXTRACTOR_DECLARED, extract_article
from ingest.extraction_settings import ExtractionSettings
from ingest.metadata import read_metadata
from ingest.page_structure import TreeReadability, drop_boiler, parse_html, read_page
from ingest.postclean import LinkIndex, clean_lines
from ingest.records import ExtractedArticle, Outcome
from tests.ingest.site import paragraphs

CFG = ExtractionSettings(max_html_bytes=1_000_000)
BODY = paragraphs("structure", n=6)
HEADLINES = [
    "Port workers vote to extend the strike into a third week",
    "City council delays the decision on the new tram line",
    "Regional hospital opens its long-awaited children's wing",
    "Farmers warn that the dry spring will cut this year's harvest",
]
COMMENTS = [
    "I have lived here for thirty years and I have never seen the council move this fast "
    "on anything, so forgive me if I doubt that the money will arrive on time.",
    "Another plan, another delay. The people who actually use the buses every day were "
    "never asked what they need, and it shows in every page of this proposal.",
    "Thank you for the clear reporting. It would help to see the full budget figures next "
    "time, because the summary leaves out the maintenance costs entirely.",
]


def _html(body: str, head: str = "") -> str:
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Budget vote delayed | Daily Example</title>{head}</head><body>"
        "<header><nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a>"
        " <a href='/weather'>Weather</a></nav></header>"
        f"{body}<footer><p>Daily Example, 1 Main Street.</p></footer></body></html>"
    )


def _paras(texts: list[str]) -> str:
    return "".join(f"<p>{escape(t)}</p>" for t in texts)


def _related(tag: str = "div", attrs: str = "class='more'") -> str:
    items = "".join(
        f"<li><a href='/story/{i}'>{escape(h)}</a></li>" for i, h in enumerate(HEADLINES)
    )
    return f"<{tag} {attrs}><ul>{items}</ul></{tag}>"


def _assert_body(html: str) -> ExtractedArticle:
    """The page's text is exactly the story's paragraphs."""
    article = extract_article(html, settings=CFG)
    assert article.outcome is Outcome.OK
    assert article.text.split("\n") == BODY
    return article


def _page_facts(html: str):  # the parsed page as the extractor reads it
    tree = parse_html(html)
    assert tree is not None
    return read_page(tree, read_metadata(tree))


# --- related links ------------------------------------------------------------------------
def test_related_links_list_inside_the_body_is_not_article_text() -> None:
    html = _html(
        f"<article><h1>Budget vote delayed</h1>{_paras(BODY[:3])}{_related()}"
        f"{_paras(BODY[3:])}</article>"
    )
    article = _assert_body(html)
    for headline in HEADLINES:
        assert headline not in article.text


def test_the_structural_rule_drops_link_list_lines_an_extractor_kept() -> None:
    """Lines that are links of a list of links go, wherever the list sits; prose stays."""
    page = _page_facts(_html(f"<main>{_paras(BODY)}{_related('section', 'id=x')}</main>"))
    lines = [*BODY[:3], HEADLINES[0], HEADLINES[1], *BODY[3:], HEADLINES[2]]
    kept, dropped = drop_boiler(lines, page, CFG.tuning, linked_only=True)
    assert kept == BODY
    assert dropped == sum(len(h) for h in HEADLINES[:3])


def test_a_linked_sentence_in_the_body_is_not_a_link_list() -> None:
    """One link inside a paragraph is the story's own: only lists and boxes of links count."""
    linked = BODY[1]
    body = f"<p>{escape(BODY[0])}</p><p><a href='/x'>{escape(linked)}</a></p>{_paras(BODY[2:])}"
    page = _page_facts(_html(f"<article>{body}</article>"))
    kept, _ = drop_boiler(list(BODY), page, CFG.tuning, linked_only=True)
    assert kept == BODY


# --- comment sections ---------------------------------------------------------------------
def _comment_page(container: str) -> str:
    comments = "".join(
        f"<div class='entry'><span class='author'>reader{i}</span><p>{escape(c)}</p></div>"
        for i, c in enumerate(COMMENTS)
    )
    return _html(
        f"<article><h1>Budget vote delayed</h1>{_paras(BODY)}</article>"
        f"<{container}><h3>Reader comments</h3>{comments}</{container.split()[0]}>"
    )


@pytest.mark.parametrize(
    "container", ["section class='user-comments'", "div id='disqus_thread'", "aside"]
)
def test_comment_section_is_not_article_text(container: str) -> None:
    article = _assert_body(_comment_page(container))
    for comment in COMMENTS:
        assert comment[:40] not in article.text


def test_the_structural_rule_drops_comment_lines_from_a_second_opinion() -> None:
    """readability is generous: comment paragraphs it returns go by their container."""
    page = _page_facts(_comment_page("div class='comment-list'"))
    kept, _ = drop_boiler([*BODY, *COMMENTS], page, CFG.tuning)
    assert kept == BODY


def test_a_container_that_wraps_the_body_is_no_comment_section() -> None:
    """A page-wide ``<div class="has-comments">`` holds the story: nothing is dropped."""
    page = _page_facts(_html(f"<div class='page has-comments'>{_paras(BODY)}</div>"))
    kept, dropped = drop_boiler(list(BODY), page, CFG.tuning)
    assert kept == BODY and dropped == 0


def test_the_rule_never_drops_most_of_the_text() -> None:
    """A body marked up as a comment (a forum post) keeps its text: the rule would cost more."""
    page = _page_facts(
        _html(f"<main>{_paras(BODY[:1])}<div class='comments'>{_paras(COMMENTS)}</div></main>")
    )
    lines = [BODY[0], *COMMENTS]
    kept, dropped = drop_boiler(lines, page, CFG.tuning)
    assert kept == lines and dropped == 0


# --- the body the page declares -----------------------------------------------------------
def _jsonld(body: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Budget vote delayed",
        "datePublished": "2026-03-14T09:05:00Z",
        "articleBody": body,
    }
    return f"<script type='application/ld+json'>{json.dumps(data)}</script>"


def test_json_ld_article_body_when_the_page_shows_only_a_teaser() -> None:
    """A body rendered by script: the markup has a teaser, the JSON-LD the whole story."""
    declared = "\n\n".join(BODY)
    html = _html(
        f"<article><h1>Budget vote delayed</h1><p>{escape(BODY[0][:150])}</p>"
        "<div id='app'></div></article>",
        head=_jsonld(declared),
    )
    article = extract_article(html, settings=CFG)
    assert article.outcome is Outcome.OK
    assert article.extractor == EXTRACTOR_DECLARED
    assert article.text.split("\n") == BODY


def test_json_ld_article_body_with_markup_keeps_its_paragraphs() -> None:
    declared = "".join(f"<p>{escape(p)}</p>" for p in BODY)
    html = _html(
        "<article><h1>Budget vote delayed</h1><div id='app'></div></article>",
        head=_jsonld(declared),
    )
    article = extract_article(html, settings=CFG)
    assert article.text.split("\n") == BODY


def test_a_truncated_json_ld_body_never_replaces_the_extracted_text() -> None:
    """Many CMSs cut articleBody to a teaser: the page's text wins then."""
    html = _html(
        f"<article><h1>Budget vote delayed</h1>{_paras(BODY)}</article>",
        head=_jsonld(BODY[0][:300]),
    )
    article = extract_article(html, settings=CFG)
    assert article.extractor != EXTRACTOR_DECLARED
    assert article.text.split("\n") == BODY


# --- trafilatura finds too little -----------------------------------------------------------
def test_body_outside_the_article_element_is_found_by_the_second_opinion() -> None:
    """trafilatura takes the lede in <article>; the rest of the body sits in a widget div."""
    html = _html(
        f"<article><h1>Budget vote delayed</h1><p>{escape(BODY[0])}</p></article>"
        f"<div class='widget-content'>{_paras(BODY[1:])}</div>"
    )
    _assert_body(html)


def test_body_written_as_one_div_per_paragraph_is_found() -> None:
    divs = "".join(f"<div class='txt'>{escape(p)}</div>" for p in BODY[1:])
    _assert_body(_html(f"<div class='story'><p>{escape(BODY[0])}</p>{divs}</div>"))


def test_a_short_article_that_is_all_the_page_has_costs_one_extraction() -> None:
    """Short and complete: no prose elsewhere on the page, so no second extractor is asked."""
    html = _html(f"<article><h1>Budget vote delayed</h1><p>{escape(BODY[0])}</p></article>")
    article = extract_article(html, settings=CFG)
    assert article.outcome is Outcome.OK
    assert article.text == BODY[0]
    assert article.extractor == "trafilatura"


def test_no_empty_text_where_a_peer_finds_an_article() -> None:
    """Cleaning must not cut a short page to nothing: the uncleaned text is taken then."""
    # a short story whose every paragraph looks like a link line (it links its sources)
    story = [
        "Officials confirmed that the harbour bridge will close for repairs on Monday morning.",
        "Traffic will be diverted through the old town until the work ends in late spring.",
    ]
    body = "".join(f"<p><a href='/s{i}'>{escape(s)}</a></p>" for i, s in enumerate(story))
    html = _html(f"<article>{body}</article>")
    # the cleaning alone would leave nothing: every line is a link line on this page
    assert clean_lines(story, links=LinkIndex.from_tree(lxml.html.fromstring(html))) == []
    article = extract_article(html, settings=CFG)
    assert article.outcome is Outcome.OK
    assert article.text.split("\n") == story


# --- one parse per page -----------------------------------------------------------------------
def test_the_page_is_parsed_once_even_when_readability_is_consulted(monkeypatch) -> None:
    """Every step reads the same tree: no serialising and parsing again, none by readability."""
    import readability.readability
    import trafilatura.utils

    parses: list[str] = []
    load_html, build_doc = trafilatura.utils.load_html, readability.readability.build_doc

    def counting_load(obj, *args, **kwargs):
        if isinstance(obj, str | bytes):
            parses.append("page")
        return load_html(obj, *args, **kwargs)

    def counting_build(*args, **kwargs):
        parses.append("readability")
        return build_doc(*args, **kwargs)

    monkeypatch.setattr(trafilatura.utils, "load_html", counting_load)
    monkeypatch.setattr(readability.readability, "build_doc", counting_build)
    html = _html(
        f"<article><h1>Budget vote delayed</h1><p>{escape(BODY[0])}</p></article>"
        f"<div class='widget-content'>{_paras(BODY[1:])}</div>"
    )
    article = extract_article(html, settings=CFG)
    assert article.extractor == "trafilatura+readability"
    assert parses == ["page"]


def test_readability_leaves_the_shared_tree_as_it_was() -> None:
    tree = parse_html(_comment_page("section class='user-comments'"))
    assert tree is not None
    before = lxml.html.tostring(tree)
    assert TreeReadability.run(tree) is not None
    assert lxml.html.tostring(tree) == before
