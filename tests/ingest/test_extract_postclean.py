"""Post-cleaning: boilerplate lines go, real sentences stay."""

from __future__ import annotations

from html import escape

import pytest

from ingest.extract import extract_article
from ingest.extraction_settings import ExtractionSettings
from ingest.postclean import (
    LinkIndex,
    clean_lines,
    is_boilerplate_line,
    is_trailer,
    strip_control_chars,
)
from ingest.records import Outcome

BODY = [
    "The council approved the budget on Tuesday after a debate that lasted nine hours.",
    "Opposition members said the cuts to bus services would hurt people without cars.",
    "The mayor said the city had no choice after the regional grant was halved.",
]


@pytest.mark.parametrize(
    "line",
    [
        "COMMENTS",
        "Comments (12)",
        "Leave a comment",
        "Loading comments…",
        "Join the conversation",
        "Share this article",
        "Share: Facebook X Email Copy link",
        "Facebook Twitter WhatsApp",
        "Sign up for our daily newsletter to get the top stories in your inbox.",
        "Subscribe to our newsletter",
        "Related: Ferry fares to rise in spring",
        "Read more: Council approves the budget",
        "READ MORE",
        "Don't miss",
        "We use cookies to improve your experience. By continuing you accept our cookie policy.",
        "Accept all cookies",
        "© 2025 World Desk. All rights reserved.",
        "Copyright 2025 Town Crier Media. All rights reserved.",
        "Advertisement",
        "Tags: floods, cities",
        "Privacy Policy | Terms of Use",
    ],
)
def test_boilerplate_lines(line: str) -> None:
    assert is_boilerplate_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Readers left hundreds of comments on the council's website within an hour.",
        "The company said it would stop using tracking cookies on its websites next year.",
        "She asked residents to share their views at a public meeting on Thursday.",
        "Related companies in the group reported losses of 40 million euros.",
        "The union said all rights of the workers would be respected by the new owner.",
        "Advertising revenue fell by a third, the publisher said in its annual report.",
        "Sign up for the new pension scheme opens on 1 April, the ministry said.",
        "The newsletter was founded in 1990.",
        "Read the responses from the ministry below.",
        "Follow-up talks on Twitter's future were held on Monday.",
    ],
)
def test_real_sentences_are_kept(line: str) -> None:
    assert not is_boilerplate_line(line)
    assert clean_lines([*BODY, line]) == [*BODY, line]


def test_comment_prompt_after_the_body_is_removed() -> None:
    lines = [*BODY, "COMMENTS", "Please let us know if you're having issues with commenting."]
    assert clean_lines(lines) == BODY


def test_comment_section_is_cut_at_its_heading_whatever_its_wording() -> None:
    """By structure (a section heading closing the text), not by one site's prompt sentence."""
    comments = [
        "12 Comments",
        "Great reporting, the council should have done this years ago.",
        "I disagree: the bus cuts will hurt the people who can least afford it.",
    ]
    assert clean_lines([*BODY, *BODY, *comments]) == [*BODY, *BODY]
    # a sentence mentioning comments is no heading
    line = "Comments from readers poured in after the vote."
    assert clean_lines([*BODY, line]) == [*BODY, line]


def test_title_repeated_at_the_start_is_removed() -> None:
    title = "Council approves budget after nine-hour debate"
    assert clean_lines([title, *BODY], title=title) == BODY
    # not when it is a sentence of the body that merely shares words
    assert clean_lines(BODY, title="The council approved the budget") == BODY


def test_datelines_at_the_start_are_removed() -> None:
    lines = ["Published 11:11 PM EST Nov 19, 2019", "By Maria Keller", *BODY]
    assert clean_lines(lines) == BODY


def test_link_lines_and_teaser_blocks() -> None:
    links = LinkIndex(
        [
            "Ferry fares to rise in spring",
            "New terminal opens in the north",
            "Bus drivers vote on strike",
            "Home",
            "budget",
        ]
    )
    lines = [
        "Home",
        *BODY[:2],
        "Related stories",
        "Ferry fares to rise in spring",
        "New terminal opens in the north",
        BODY[2],
        "Ferry fares to rise in spring",
        "New terminal opens in the north",
        "Bus drivers vote on strike",
        "Originally published in the Town Crier.",
    ]
    assert clean_lines(lines, links=links) == [*BODY, "Originally published in the Town Crier."]
    # a sentence with one linked word is not a link line
    assert links.share(BODY[0]) < 0.2


def test_promotions_at_the_end_are_removed() -> None:
    lines = [*BODY, "Follow us on Twitter @towncrier and on Facebook for the latest news."]
    assert clean_lines(lines) == BODY
    # the same words inside the body stay, and so does a statement at the end
    middle = [BODY[0], "The ministry will follow up on Twitter complaints, she said.", BODY[1]]
    assert clean_lines(middle) == middle
    statement = [*BODY, "Users can download the app from Monday, the ministry said."]
    assert clean_lines(statement) == statement


def test_control_characters() -> None:
    assert strip_control_chars("a\x00b\x07c\r\nd\ufffde\x1bf") == "abc\ndef"
    assert strip_control_chars("tab\tand\nnewline") == "tab\tand\nnewline"


# --- trailers: comment prompts and wire credits as the last paragraphs ------------------
PROMPTS = [
    "What do you think about this story? Tell us in the comments below…",
    "Join the conversation",
    "Have your say",
    "Have your say: should the council raise bus fares?",
    "Do you agree? Let us know in the comments.",
    "We’d love to hear your thoughts. Leave a comment below!",
]
CREDITS = [
    "Reporting by Jane Doe; Editing by John Smith",
    "(Reporting by Jane Doe in Geneva; Editing by John Smith and Peter Cooney)",
    "(Reporting by Koh Gui Qing, with reporting by Ann van der Berg, editing by Tom O’Neil.)",
    "Additional reporting by Ann Lee in Paris and Marc Dupont in Brussels",
    "Writing by Jane Doe; editing by John Smith",
    "Reporting by Reuters staff",
    "Associated Press writers Ann Lee and Tom Hale contributed to this report.",
    "Keith Wong contributed reporting from Hong Kong.",
]
#: Sentences of stories that share words with prompts and credits: never trailers.
STORY_SENTENCES = [
    "Reporting by the Guardian showed that the minister had misled parliament.",
    "Writing by hand is disappearing from schools, teachers say.",
    "Editing by committee slowed the report, its authors said.",
    "Local residents contributed to this report on flooding in the valley.",
    "Her editor, Tom Brown, contributed to this report, the paper said.",
    "The mayor said residents could tell us their views in the comments section of the website.",
    "She told reporters she would join the conversation on climate policy next week.",
    "What do you think about this story, the judge asked the witness, and she laughed.",
    "We left some gadgets off this list. Leave a comment and tell us what we missed below.",
    "Do you agree?",
]


@pytest.mark.parametrize("line", PROMPTS + CREDITS)
def test_trailers(line: str) -> None:
    assert is_trailer(line)
    assert clean_lines([*BODY, line]) == BODY


@pytest.mark.parametrize("line", STORY_SENTENCES)
def test_story_sentences_are_not_trailers(line: str) -> None:
    assert not is_trailer(line)
    assert clean_lines([*BODY, line]) == [*BODY, line]


def test_trailers_go_only_at_the_end() -> None:
    """A credit or prompt inside the body is the story's business (a quoted call, a list)."""
    credit, prompt = CREDITS[0], PROMPTS[0]
    middle = [BODY[0], credit, BODY[1], prompt, BODY[2]]
    assert clean_lines(middle) == middle
    # several trailers in a row all go, and so does a footer after them: by its link
    # (the page links its standards), not by one agency's wording
    tail = [*BODY, CREDITS[1], PROMPTS[4], "Our Standards: The Thomson Reuters Trust Principles."]
    links = LinkIndex(["The Thomson Reuters Trust Principles"])
    assert clean_lines(tail, links=links) == BODY
    # a prompt sentence inside a paragraph of the story keeps the paragraph
    mixed = BODY[2] + " Tell us in the comments below."
    assert clean_lines([*BODY[:2], mixed]) == [*BODY[:2], mixed]


STORY = [
    "Geneva's water authority said on Monday it would spend 40 million francs on new pipes "
    "after a dry summer left several villages without running water for weeks.",
    "The plan, approved by the cantonal parliament by 61 votes to 30, replaces mains laid in "
    "the 1950s, which lose almost a fifth of the water they carry through leaks.",
    "Engineers will start in the villages that ran dry in August, the authority said, and "
    "finish the work across the canton by 2029 if the weather allows.",
    "Farmers' groups welcomed the decision but said the money came too late for this year's "
    "harvest, which fell by a quarter in the worst-hit areas.",
]


def _page(paragraphs: list[str]) -> bytes:
    body = "\n".join(f"      <p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
  <title>Geneva to replace leaking water mains | Lake Courier</title>
  <link rel="canonical" href="https://courier.example.org/2025/09/01/water-mains/">
  <meta property="og:title" content="Geneva to replace leaking water mains">
</head><body>
  <header><a href="/">Lake Courier</a>
    <nav><a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
  <main><article>
    <h1>Geneva to replace leaking water mains</h1>
    <div class="article-body">
{body}
    </div>
  </article></main>
  <footer><a href="/about">About us</a> <a href="/privacy">Privacy Policy</a></footer>
</body></html>""".encode()


def test_page_with_a_credit_and_a_comment_prompt_after_the_story() -> None:
    trailer = [
        "(Reporting by Jane Doe in Geneva; Additional reporting by Marc Dupont in Bern; "
        "Editing by John Smith)",
        "What do you think about this story? Tell us in the comments below…",
        "Join the conversation",
    ]
    article = extract_article(
        _page(STORY + trailer),
        url="https://courier.example.org/2025/09/01/water-mains/",
        settings=ExtractionSettings(max_html_bytes=1_000_000),
    )
    assert article.outcome is Outcome.OK
    assert article.text.split("\n") == STORY


def test_page_whose_last_paragraph_is_a_story_sentence_keeps_it() -> None:
    ending = [
        "Reporting by the Geneva Tribune showed that the authority knew of the leaks in 2019.",
        "Do you agree? The authority's director said the answer would come from the voters, "
        "who will be asked about the tariff in a referendum next spring.",
    ]
    article = extract_article(
        _page(STORY + ending),
        url="https://courier.example.org/2025/09/01/water-mains/",
        settings=ExtractionSettings(max_html_bytes=1_000_000),
    )
    assert article.outcome is Outcome.OK
    assert article.text.split("\n") == STORY + ending
