"""The article gate: what kind of news an article is, and the signal that said so."""

from __future__ import annotations

import pytest

from transforms.topic import SECTION_TOPICS, TOPICS, ArticleSignals, classify_topic, page_sections

MATCH_REPORT = (
    "Northfield beat Eastvale 3-1 on Saturday. The striker scored twice in the first half and "
    "the goalkeeper saved a penalty. The coach said the team would rest players before the cup "
    "semifinal, and the fans in the stadium sang until the final whistle of the match. The league "
    "season resumes next week, when the squad plays the champions."
)
TALKS_REPORT = (
    "The foreign minister of Ruritania met the president of Freedonia on Monday for talks on the "
    "ceasefire. Officials said the government would send troops to the border if the rebels "
    "attacked again, and the opposition called for sanctions. The ambassador told lawmakers that "
    "the negotiations would continue at a summit next month."
)
GADGET_REVIEW = (
    "The new laptop has a brighter display and a bigger battery. Users can update the software "
    "from the app, and the camera is better than last year's device. The company says the price "
    "starts at 999 dollars and sales begin on Friday; customers who preorder get a second charger. "
    "Gaming on the console is smooth, and the chip runs cool."
)


@pytest.mark.parametrize(
    ("signals", "topic", "evidence"),
    [
        (
            ArticleSignals(url="https://example.org/sports/football/2026/a-story"),
            "sport",
            "url_section:sports",
        ),
        (
            ArticleSignals(url="https://example.org/world/middle-east/a-story.html"),
            "politics",
            "url_section:world",
        ),
        (
            ArticleSignals(categories=("Entertainment", "Celebrity")),
            "entertainment",
            "feed_category:entertainment",
        ),
        (ArticleSignals(page_sections=("Business",)), "business", "page_section:business"),
        # a political label wins over any other
        (ArticleSignals(categories=("Sports", "Politics")), "politics", "feed_category:politics"),
    ],
)
def test_sections_decide_before_the_text(signals, topic, evidence):
    found = classify_topic(signals, TALKS_REPORT if topic != "politics" else MATCH_REPORT)
    assert (found.topic, found.evidence) == (topic, evidence)


def test_the_story_slug_is_no_section():
    # "...-sports-wagon-..." is the slug's words, not the outlet's section
    found = classify_topic(
        ArticleSignals(url="https://example.org/the-new-sports-wagon"), TALKS_REPORT
    )
    assert found.topic == "politics"


def test_without_sections_the_vocabulary_decides():
    assert classify_topic(ArticleSignals(), MATCH_REPORT).topic == "sport"
    assert classify_topic(ArticleSignals(), GADGET_REVIEW).topic == "technology"
    found = classify_topic(ArticleSignals(), TALKS_REPORT)
    assert found.topic == "politics" and found.evidence.startswith("text:politics=")


def test_a_text_too_short_to_tell():
    assert classify_topic(ArticleSignals(), "Ruritania said so.").topic == "unknown"


def test_a_match_between_countries_is_still_sport():
    # countries' names do not make a match political
    text = MATCH_REPORT.replace("Northfield", "Ruritania").replace("Eastvale", "Freedonia")
    assert classify_topic(ArticleSignals(), text).topic == "sport"


def test_page_sections_from_meta_tags_and_json_ld():
    html = (
        '<html><head><meta property="article:section" content="Sport">'
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"articleSection": ["Football", "Premier League"]}</script></head><body></body></html>'
    )
    assert page_sections(html) == ["Sport", "Football", "Premier League"]
    assert page_sections("<html><body>no head</body></html>") == []


def test_every_section_topic_is_a_known_topic():
    assert set(SECTION_TOPICS.values()) <= set(TOPICS)
