"""Post-cleaning: boilerplate lines go, real sentences stay."""

from __future__ import annotations

import pytest

from ingest.postclean import LinkIndex, clean_lines, is_boilerplate_line, strip_control_chars

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
        "Please let us know if you're having issues with commenting.",
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
