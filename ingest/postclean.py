"""Remove boilerplate lines that survive the extractor.

trafilatura judges blocks by markup; when a site writes its comment prompt,
newsletter box or "Related:" teaser as a plain ``<p>`` right after the body,
it looks like one more paragraph and is kept (the seed page ends with
"COMMENTS / Please let us know if you're having issues with commenting.").
This module works on the extracted text, one paragraph per line, and drops:

1. **boilerplate lines anywhere**: whole lines matching :data:`BOILERPLATE`
   (comment prompts, share bars, newsletter and subscription calls, cookie
   notices, "All rights reserved", "Advertisement", ...).  Each pattern is
   anchored to the whole line and capped in length, so a real sentence that
   merely mentions comments or cookies is kept;
2. **teaser blocks**: a heading such as "Related", "Read more", "Don't miss"
   together with the link lines that follow it;
3. **a comment section closing the text**: a heading such as "Comments",
   "12 Comments" or "Leave a reply" among the last lines, and everything after
   it (never more than a third of the text).  This is structure (a section
   heading), where a site's own prompt sentence would be a phrase of one site;
4. **edges**: at the start, lines repeating the title (stored separately)
   and bare datelines/bylines (a line repeating the meta description is kept:
   it is usually the lede); at both ends, lines that are mostly link text
   (navigation, "more stories"); at the end, calls to follow, subscribe or
   download (imperatives only), and **trailers**: a paragraph made only of
   comment prompts ("What do you think about this story? Tell us in the
   comments below...") or only of a wire credit ("(Reporting by Jane Doe;
   Editing by John Smith)", "Additional reporting by ...", "Jane Doe
   contributed to this report.").  Every sentence of the paragraph must be
   a prompt, or every word of the credit a name, place or role, so a story
   sentence that mentions comments or reporting is kept.  Short lines that are merely not sentences
   are kept: lists of dates, prices or results often close a real article.
   Only the first and last ``max_edge_lines`` lines are examined, and an edge
   rule stops at the first line it would keep, so nothing inside the body is
   cut by them.

"Mostly link text" needs the page: :class:`LinkIndex` holds the texts of the
page's ``<a>`` elements and measures which share of a line they cover.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ingest.extraction_settings import Tuning, load_tuning

__all__ = [
    "BOILERPLATE",
    "LinkIndex",
    "clean_lines",
    "clean_text",
    "is_boilerplate_line",
    "is_trailer",
    "strip_control_chars",
]

# --- control characters ---------------------------------------------------------
#: C0/C1 controls except tab and newline, non-characters, lone surrogates and the
#: replacement character (left by undecodable bytes).  PostgreSQL refuses NUL in
#: text, and none of the others is ever content.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ufffe\uffff\ud800-\udfff]")


def strip_control_chars(text: str) -> str:
    """Drop NUL, other control characters and U+FFFD; ``\\r`` becomes a line break."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


# --- boilerplate lines -------------------------------------------------------------
_SOCIAL = (
    r"facebook|twitter|x|whatsapp|linkedin|pinterest|reddit|e-?mail|email|print|messenger|"
    r"telegram|flipboard|copy(?: the)? link|link|share|tweet|comments?|sms|tumblr|pocket"
)

#: (pattern, maximum line length in characters).  Matched case-insensitively
#: against the whole line (after trimming).
BOILERPLATE: tuple[tuple[str, int], ...] = (
    # comment sections and prompts
    (r"\d*\s*(?:reader\s+)?comments?\s*(?:\(\d+\)|:)?", 30),
    (
        r"(?:show|hide|view|read|load|see|post|add|leave|write|submit|join)\s+(?:a|the|all|your|\d+)?\s*"
        r"(?:comments?|reply|replies|responses?)\b[^.]*",
        80,
    ),
    (
        r".*\b(?:comments?|commenting) (?:are|is) (?:now )?(?:closed|disabled|moderated|open)\b.*",
        160,
    ),
    (r"(?:loading|load) comments.*", 40),
    (r"(?:join|start|continue) the (?:conversation|discussion|debate)\b.*", 100),
    (r"be the first to (?:comment|reply|respond|review).*", 80),
    (r"(?:tell us|let us know) what you think.*", 80),
    (r"have your say.*", 60),
    (r"what do you think\??", 20),
    (r"you must be logged in to (?:post|leave) a comment.*", 100),
    (r"comments? policy.*|community (?:guidelines|standards)\.?", 60),
    # share bars
    (
        rf"(?:share|tweet|email|print)(?: this)?(?: (?:article|story|post|page))?"
        rf"(?: (?:on|via|with))?\s*:?\s*(?:(?:{_SOCIAL})[\s,|/·•:]*)*",
        90,
    ),
    (rf"(?:(?:{_SOCIAL})[\s,|/·•]*){{2,}}", 90),
    (r"sharing is caring!?", 20),
    (r".*\bshare (?:it|this|the story|the article) with (?:a friend|friends|your friends)!?", 80),
    (r"(?:click|tap) (?:here )?to (?:share|email|print|tweet)\b.*", 80),
    # newsletters, subscriptions, apps
    (
        r"(?:sign up|signup|subscribe|register)\b.{0,120}\b(?:newsletters?|inbox|"
        r"e-?mail (?:updates|alerts|list)|(?:news|breaking news|daily) alerts)\b.*",
        200,
    ),
    (r"[^.!?]{0,80}\bnewsletters?\b[^.!?]{0,40}", 60),  # a label, not a sentence
    (r"(?:get|receive|have) .{0,80}\b(?:delivered )?(?:to|in|into) your inbox\b.*", 160),
    (r"subscribe(?: now| today)?(?: to .{0,60})?[.!]?", 80),
    (r"(?:already a subscriber|not a subscriber)\??.*", 100),
    (r"(?:download|get) (?:the|our) .{0,40}\bapp\b.*", 100),
    (r"(?:click|tap) here\b.*", 80),
    # related content and navigation labels: alone, or a separator and a headline
    (
        r"(?:related|related (?:stories|articles|content|coverage|links|posts|news|topics)|"
        r"read more|more (?:stories|news|from .{1,40}|on this|like this|in .{1,40})|"
        r"read (?:also|next)|also read|see also|see more|"
        r"recommended(?: for you| stories| reading)?|you may (?:also )?like|"
        r"you might (?:also )?(?:like|be interested in)|most (?:read|popular|viewed)|"
        r"trending(?: now)?|don.?t miss|top stories|latest (?:news|stories)|up next|"
        r"what to read next|editor.?s picks|further reading)"
        r"\s*(?:[:|»›\-–—].*|\.{3}|…)?",
        200,
    ),
    (r"(?:watch|video|listen|photos?|gallery|slideshow|podcast)\s*:.*", 120),
    (r"(?:this slideshow requires javascript|media playback is unsupported on your device)\.?", 80),
    (
        r"(?:advertisement|advertising|sponsored(?: content)?|ad|ads|promoted|"
        r"story continues below(?: advertisement)?|continue reading(?: below| the main story)?|"
        r"scroll (?:down )?to continue.*|skip (?:ad|advertisement))\.?",
        60,
    ),
    # cookie and consent notices
    (r".*\b(?:we|this (?:web)?site|our (?:web)?site)\b.{0,60}\buses? cookies\b.*", 400),
    (r".*\b(?:accept|allow|manage|reject)(?: all)? cookies\b.*", 200),
    (r".*\bcookie (?:policy|settings|preferences|notice|consent)\b.*", 120),
    # copyright and legal footers
    (r"(?:©|\(c\)|copyright\b).{0,150}", 160),
    (r".{0,120}\ball rights reserved\b.{0,40}", 160),
    (r".*\bmay not be (?:published|broadcast|rewritten|redistributed|reproduced)\b.*", 240),
    (
        r"(?:privacy policy|terms of (?:use|service)|cookie policy|contact us|about us|"
        r"accessibility|sitemap)(?:\s*[|·•]\s*.*)?",
        80,
    ),
    # tags and labels
    (r"(?:tags?|topics?|filed under|categories|keywords)\s*:.*", 300),
    (r"tags?|topics?", 10),
    (
        r"follow\s.{0,80}\bon (?:twitter|facebook|instagram|x|linkedin|youtube|tiktok|threads)"
        r"\b.{0,80}",
        200,
    ),
    (r"(?:report|flag) (?:an? )?(?:error|typo|correction|abuse)\b.*", 60),
)

#: Longest limit first, so a long line is compared only with the patterns that allow it.
_BOILERPLATE_RE = sorted(
    ((re.compile(p, re.IGNORECASE), limit) for p, limit in BOILERPLATE), key=lambda pl: -pl[1]
)

#: Headings that open a teaser block ("Related", "Don't miss" ...) when alone on a line.
_TEASER_HEADING = re.compile(
    r"(?:related|related (?:stories|articles|content|coverage|links|posts)|read more|"
    r"more (?:stories|news)|read (?:also|next)|also read|see also|see more|don.?t miss|"
    r"recommended(?: for you| stories| reading)?|you may (?:also )?like|most (?:read|popular)|"
    r"trending(?: now)?|top stories|latest (?:news|stories)|up next|editor.?s picks|"
    r"more from .{1,40}|further reading)\s*[:\-–—]?",
    re.IGNORECASE,
)
#: A heading that opens the comment section ("Comments", "12 Comments", "Reader comments (3)",
#: "Leave a reply", "Discussion"): what follows it at the end of the text is the section.
_COMMENT_HEADING = re.compile(
    r"(?:\d+\s+)?(?:reader\s+|user\s+)?(?:comments?|responses?|replies|discussion)"
    r"(?:\s*\(\d+\))?\s*:?|(?:leave|post|add|write) (?:a |your )?(?:comment|reply|response)\.?",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"(?:(?:published|updated|posted|last updated|modified|first published)\b.{0,70}|"
    r"(?:by|von|par|por)\s+[^.!?]{2,80})",
    re.IGNORECASE,
)
#: Calls to action that close many articles: follow us, subscribe, get the app.  The verb
#: must open a sentence (an imperative), so "Users can download the app" is kept.
_PROMO = re.compile(
    r"(?:^|[.!?:]\s+)(?:sign up|subscribe|follow|download|join|get access|become a member)\s"
    r".{0,160}\b(?:newsletters?|inbox|podcasts?|app|twitter|facebook|instagram|youtube|"
    r"linkedin|tiktok|membership|members|@\w+)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…:;\"'”’»)\]]$")
_MONTH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b", re.IGNORECASE
)
_WORD = re.compile(r"\w+")


def _norm(text: str) -> str:
    if not text.isascii():  # NFKC changes nothing in ASCII, and costs
        text = unicodedata.normalize("NFKC", text)
    return " ".join(_WORD.findall(text.lower()))


def is_boilerplate_line(line: str) -> bool:
    """True when the whole line is a known boilerplate phrase (any language-neutral widget)."""
    text = line.strip().strip("*-–—•·|>#").strip()
    if not text:
        return True
    length = len(text)
    for pattern, limit in _BOILERPLATE_RE:
        if length > limit:
            return False  # every later pattern allows still shorter lines
        if pattern.fullmatch(text):
            return True
    return False


# --- trailers: comment prompts and wire credits closing a story -------------------
_SENTENCES = re.compile(r"(?<=[.!?…])\s+")
_APOS = "['’]"
#: Sentences that ask readers to comment.  A paragraph of these alone is a prompt.
_PROMPT = re.compile(
    "(?:"
    + "|".join(
        (
            r"(?:tell us|let us know|share your (?:thoughts|views|opinions?|comments)|sound off|"
            r"(?:leave|post|add|drop|write) (?:us )?(?:a|your) (?:comments?|reply|thoughts)|"
            r"comment)\b.{0,80}?\b(?:comments?(?: section| box| thread)?|below|"
            r"on (?:facebook|twitter|x|social media)|(?:our|the) forums?)\b[^.!?…]{0,40}",
            r"(?:join|start|continue) the (?:conversation|discussion|debate)\b[^.!?…]{0,80}",
            r"have your say\b[^.!?…]{0,80}",
            rf"(?:we{_APOS}?d|we would) (?:love|like) to hear "
            r"(?:from you|your (?:thoughts|views|opinions?)|what you think)\b[^.!?…]{0,100}",
            rf"what do you think (?:about|of) (?:this|the|today{_APOS}?s) "
            r"(?:story|article|news|report|post|piece)",
        )
    )
    + r")\s*[.!?…]*",
    re.IGNORECASE,
)
#: Questions that are a prompt only next to one of the above ("Do you agree? Tell us below.").
_PROMPT_QUESTION = re.compile(
    r"(?:what do you think|do you agree|what are your thoughts(?: on this)?|"
    r"what would you do|agree or disagree)\s*[?!.…]*",
    re.IGNORECASE,
)
#: Credit roles of wire and agency copy: "Reporting by", "Additional reporting by" ...
_CREDIT_ROLE = re.compile(
    r"\b(?:(?:additional|further|with|and|also)\s+)?"
    r"(?:reporting|writing|editing|compiled|compilation|research|fact-checking|graphics|"
    r"translation|translated|written|edited|reported|produced)\s+by\b",
    re.IGNORECASE,
)
_CONTRIBUTED = re.compile(
    r"(?P<who>.{3,250}?)\s+(?:also\s+)?contributed\s+"
    r"(?:reporting|to (?:this|the) (?:report|story|article)|reporting to (?:this|the) "
    r"(?:report|story|article))(?:\s+(?:from|in)\s+(?P<where>[^.;]{1,80}))?\.?",
    re.IGNORECASE,
)
_CREDIT_SPLIT = re.compile(r"\s*(?:[,;/&]|\b(?:and|with|in|from|at|for)\b)\s*")
#: Lower-case words allowed among the names of a credit (name particles, staff roles).
_NAME_PARTICLES = ("al", "bin", "da", "de", "del", "der", "di", "du", "la", "le", "van", "von")
_STAFF_WORDS = ("staff", "bureau", "newsroom", "writer", "reporter", "correspondent", "editor")
_CREDIT_LOWER = frozenset((*_NAME_PARTICLES, *_STAFF_WORDS, *(w + "s" for w in _STAFF_WORDS)))


def _credit_names(text: str) -> bool:
    """True when ``text`` is a list of names and places ("Jane Doe in London, John Smith")."""
    chunks = [c for c in _CREDIT_SPLIT.split(text.strip(" .;,")) if c]
    if not chunks:
        return False
    for chunk in chunks:
        words = chunk.split()
        if len(words) > 6:
            return False
        for word in words:
            word = word.strip("'’.()")
            if not word or word.lower() in _CREDIT_LOWER:
                continue
            if not (word[0].isupper() or any(c.isupper() for c in word[1:])):
                return False
    return True


def _is_credit(line: str) -> bool:
    text = line.strip()
    if len(text) > 400:
        return False
    if text.startswith("(") and text.endswith((")", ").")):
        text = text[1:].rstrip(".").rstrip(")")
    if _CREDIT_ROLE.match(text):
        return _credit_names(_CREDIT_ROLE.sub(";", text))
    match = _CONTRIBUTED.fullmatch(text)
    if match is None:
        return False
    who = match.group("who").replace("’s", "").replace("'s", "").replace("’", "").replace("'", "")
    where = match.group("where") or ""
    return _credit_names(who) and (not where or _credit_names(where))


def _is_prompt(line: str) -> bool:
    text = line.strip()
    if len(text) > 300:
        return False
    sentences = [s for s in _SENTENCES.split(text) if s]
    strong = [bool(_PROMPT.fullmatch(s)) for s in sentences]
    if not any(strong):
        return False
    return all(ok or _PROMPT_QUESTION.fullmatch(s) for ok, s in zip(strong, sentences, strict=True))


def is_trailer(line: str) -> bool:
    """True when a paragraph is only a comment prompt or only a wire credit.

    Meant for the last paragraphs of a story (:func:`clean_lines` applies it
    there only): "Tell us what you think in the comments below",
    "(Reporting by Jane Doe; Editing by John Smith)", "Additional reporting by
    Ann Lee in Paris", "AP writer Tom Hale contributed to this report."  A
    paragraph with one sentence of the story in it is not a trailer.
    """
    return _is_prompt(line) or _is_credit(line)


# --- link text ------------------------------------------------------------------------
class LinkIndex:
    """Texts of a page's links, to tell link lists and teasers from prose."""

    def __init__(self, link_texts: Iterable[str], min_chars: int = 4) -> None:
        texts = {_norm(t) for t in link_texts}
        self._exact = {t for t in texts if len(t) >= min_chars}
        self._shares: dict[str, float] = {}
        # by first word, so a line is compared only with the links that can occur in it
        self._by_first: dict[str, list[str]] = {}
        for text in self._exact:
            self._by_first.setdefault(text.split(" ", 1)[0], []).append(text)

    @classmethod
    def from_tree(cls, tree: object, limit: int = 3000) -> LinkIndex:
        from lxml.etree import tostring

        texts: list[str] = []
        for anchor in tree.iter("a"):  # type: ignore[attr-defined]
            try:
                texts.append(tostring(anchor, method="text", encoding=str, with_tail=False))
            except ValueError:
                continue
            if len(texts) >= limit:
                break
        return cls(texts)

    def __len__(self) -> int:
        return len(self._exact)

    def is_link_text(self, line: str) -> bool:
        """The line is the whole text of one of the page's links (a set lookup, cheap)."""
        return _norm(line) in self._exact

    def share(self, line: str) -> float:
        """Share (0..1) of the line's characters that are link text on the page (memoised)."""
        cached = self._shares.get(line)
        if cached is None:
            cached = self._shares[line] = self._share(line)
        return cached

    def _share(self, line: str) -> float:
        text = _norm(line)
        if not text:
            return 0.0
        if text in self._exact:
            return 1.0
        covered = 0
        rest = text
        words = set(text.split())
        candidates = {link for word in words for link in self._by_first.get(word, ())}
        # longest first, so a long teaser is counted before its words
        for link in sorted(candidates, key=len, reverse=True):
            if len(link) > len(rest):
                continue
            if link in rest:
                covered += len(link) * rest.count(link)
                rest = rest.replace(link, " ")
                if len(rest.strip()) < 3:
                    break
        return min(1.0, covered / len(text))


# --- the cleaning ---------------------------------------------------------------------
@dataclass(frozen=True)
class _Context:
    title: str
    links: LinkIndex | None
    tuning: Tuning


def _is_link_line(line: str, ctx: _Context) -> bool:
    if ctx.links is None or len(line) > ctx.tuning.link_line_max_chars:
        return False
    return ctx.links.share(line) >= ctx.tuning.link_line_min_share


def _repeats(line: str, reference: str) -> bool:
    """The line repeats the title/standfirst (equal, or one contains most of the other)."""
    if not reference:
        return False
    text = _norm(line)
    if not text:
        return False
    if text == reference:
        return True
    shorter, longer = sorted((text, reference), key=len)
    return len(shorter) >= 0.8 * len(longer) and shorter in longer


def _is_dateline(line: str) -> bool:
    text = line.strip()
    if len(text) > 90:
        return False
    if _DATELINE.fullmatch(text):
        return True
    # "05/10/2018 - ...", "Nov 19, 2019 11:11 PM EST": mostly digits and month names
    words = _WORD.findall(text)
    if not words:
        return False
    datey = sum(1 for w in words if w.isdigit() or _MONTH.fullmatch(w))
    return datey >= 2 and datey >= 0.5 * len(words)


def _drop_teaser_blocks(lines: list[str], ctx: _Context) -> list[str]:
    out: list[str] = []
    skipping = False
    for line in lines:
        if _TEASER_HEADING.fullmatch(line.strip()):
            skipping = True
            continue
        if skipping and (_is_link_line(line, ctx) or is_boilerplate_line(line)):
            continue
        skipping = False
        out.append(line)
    return out


def _drop_link_lists(lines: list[str], ctx: _Context) -> list[str]:
    """Drop runs of consecutive link lines ("more stories" lists inside or after the body)."""
    flags = [_is_link_line(line, ctx) and not _SENTENCE_END.search(line) for line in lines]
    out: list[str] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and flags[j]:
            j += 1
        if j - i >= ctx.tuning.link_list_min_lines:
            i = j
            continue
        out.extend(lines[i : max(j, i + 1)])
        i = max(j, i + 1)
    return out


def _cut_comment_section(lines: list[str], ctx: _Context) -> list[str]:
    """Drop a comment section that closes the text: its heading and everything after it.

    Only among the last ``max_edge_lines`` lines, and never more than a third
    of the text: a section heading inside the story ("Comments from readers
    poured in...") is a sentence, not a heading, and is never matched.
    """
    floor = max(0, len(lines) - ctx.tuning.max_edge_lines)
    total = sum(len(line) for line in lines)
    for index in range(floor, len(lines)):
        if _COMMENT_HEADING.fullmatch(lines[index].strip().strip("*-–—•·|>#:").strip()):
            cut = sum(len(line) for line in lines[index:])
            if index > 0 and cut <= total / 3:
                return lines[:index]
            break
    return lines


def _trim_start(lines: list[str], ctx: _Context) -> list[str]:
    start = 0
    limit = min(len(lines), ctx.tuning.max_edge_lines)
    while start < limit:
        line = lines[start]
        if (
            is_boilerplate_line(line)
            or _repeats(line, ctx.title)
            or _is_dateline(line)
            or _is_link_line(line, ctx)
        ):
            start += 1
            continue
        break
    return lines[start:]


def _trim_end(lines: list[str], ctx: _Context) -> list[str]:
    end = len(lines)
    floor = max(0, len(lines) - ctx.tuning.max_edge_lines)
    while end > floor:
        line = lines[end - 1]
        if (
            is_boilerplate_line(line)
            or is_trailer(line)
            or _is_link_line(line, ctx)
            or (len(line) <= ctx.tuning.promo_max_chars and _PROMO.search(line))
        ):
            end -= 1
            continue
        break
    return lines[:end]


def clean_lines(
    lines: Sequence[str],
    *,
    title: str | None = None,
    links: LinkIndex | None = None,
    tuning: Tuning | None = None,
) -> list[str]:
    """Return the lines without boilerplate; see the module docstring for the rules."""
    ctx = _Context(
        title=_norm(title or ""),
        links=links,
        tuning=tuning or load_tuning(),
    )
    kept = [line.strip() for line in lines if line.strip()]
    kept = _cut_comment_section(kept, ctx)
    kept = _drop_teaser_blocks(kept, ctx)
    kept = [line for line in kept if not is_boilerplate_line(line)]
    kept = _drop_link_lists(kept, ctx)
    kept = _trim_start(kept, ctx)
    kept = _trim_end(kept, ctx)
    return kept


def clean_text(text: str, **kwargs: object) -> str:
    """:func:`clean_lines` over a text with one paragraph per line."""
    return "\n".join(clean_lines(strip_control_chars(text).split("\n"), **kwargs))  # type: ignore[arg-type]
