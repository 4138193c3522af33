"""What an article is about, before anything in it is coded as an event.

Event coding reads every sentence as if it reported politics: "Russia beat
Croatia" becomes an assault, "the company has promised a lot" an agreement.
This module says, per article, which kind of news it is (``topic``) and why
(``evidence``), from the signals real pages give, strongest first:

1. the sections the outlet itself assigns: the page's ``article:section`` /
   JSON-LD ``articleSection``, the feed's categories, the URL's path
   segments (``/sports/nfl/...``, ``/entertainment/...``, ``/business/...``);
   a political section ("world", "politics", "middle-east") wins over any
   other, since outlets file wars under "world" but never under "sports";
2. without a telling section, the text: the density of the vocabulary of
   each kind of news (sport results, company and product news, film and
   music) against the vocabulary of public affairs (governments, troops,
   police, courts, elections).

The topic is what the article *is*; whether articles of a topic are coded
into events is the seed ``article_topics.csv``'s decision (dbt), so an analyst
can change it without annotating again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["TOPICS", "ArticleSignals", "Topic", "classify_topic", "page_sections"]

#: every topic this module can return (the seed lists the same)
TOPICS = (
    "politics",
    "sport",
    "business",
    "technology",
    "entertainment",
    "lifestyle",
    "science",
    "unknown",
)

#: section words (URL segments, categories, page sections) -> topic
SECTION_TOPICS: dict[str, str] = {}
for _topic, _words in {
    "politics": (
        "politics political world international national nation foreign diplomacy "
        "government elections election conflict war military defence defense security "
        "middle-east middleeast africa asia europe americas latin-america asia-pacific "
        "us-news uk-news world-news us-politics homenews home-news congress "
        "white-house immigration justice crime courts law human-rights"
    ),
    "sport": (
        "sport sports football soccer nfl nba mlb nhl ncaa cricket tennis golf rugby "
        "olympics olympic formula1 f1 motorsport motorsports racing boxing mma ufc "
        "cycling athletics baseball basketball hockey college-football high-school "
        "premier-league champions-league world-cup esports wrestling swimming"
    ),
    "business": (
        "business money markets market finance financial investing economy-business "
        "companies company industries industry earnings stocks stock personal-finance "
        "real-estate realestate retail banking autos auto cars auto-industry-news deals "
        "careers entrepreneurship startups small-business"
    ),
    "technology": (
        "tech technology gadgets gaming games mobile apps software hardware "
        "sci-tech reviews review internet cloud ai cybersecurity"
    ),
    "entertainment": (
        "entertainment arts culture movies movie film films tv television music "
        "celebrity celebrities books showbiz media-entertainment theater theatre "
        "radio comics anime"
    ),
    "lifestyle": (
        "lifestyle life living style fashion beauty food recipes recipe travel home "
        "garden wellness fitness parenting relationships horoscope horoscopes shopping "
        "gift-guide pets weddings"
    ),
    "science": "science space environment nature",
}.items():
    for _word in _words.split():
        SECTION_TOPICS[_word] = _topic

#: text vocabulary of each kind of news (lower-case words; a trailing * is a prefix)
_VOCABULARY: dict[str, str] = {
    "politics": (
        "government governments minister ministers ministry president presidential "
        "prime parliament parliamentary lawmakers legislators senate senator congress "
        "congressional military troops army soldiers forces police officials official "
        "election elections vote voters campaign party opposition sanctions protest "
        "protesters demonstrators war ceasefire talks treaty embassy ambassador diplomat* "
        "court courts prosecutors judge rebels militants insurgents attack attacks "
        "killed airstrike* strikes regime authorities policy administration governor "
        "security refugees migrants border invasion coalition impeachment nato "
        "sovereignty negotiations summit"
    ),
    "sport": (
        "match matches season coach coaches league tournament championship champions "
        "scored score goal goals striker midfielder defender goalkeeper quarterback "
        "touchdown inning innings playoff playoffs semifinal semifinals final finals "
        "victory defeat beat team teams player players fans stadium cup medal referee "
        "halftime overtime roster draft rookie squad wickets"
    ),
    "business": (
        "company companies customers customer revenue revenues profit profits sales "
        "investors shares stock stocks earnings quarter quarterly startup startups ceo "
        "executive executives brand brands retailer retailers market markets price "
        "prices deal deals acquisition merger valuation funding consumers"
    ),
    "technology": (
        "app apps users user device devices smartphone iphone android software "
        "hardware feature features update laptop macbook gaming game games console "
        "platform chip chips battery display camera streaming cloud"
    ),
    "entertainment": (
        "film films movie movies album albums song songs singer band tour concert "
        "actor actress director series episode episodes show shows fans star stars "
        "novel novels character characters hollywood oscar grammy premiere"
    ),
    "lifestyle": (
        "recipe recipes cook cooking kitchen ingredients diet meal meals flavor "
        "travel hotel vacation fashion wear beauty skin workout fitness garden "
        "holiday gift gifts"
    ),
}
_WORD = re.compile(r"[a-z][a-z'-]*")
#: a text topic needs this many of its words per 1,000 words, and this many
#: times the politics density, before it overrides "politics"
MIN_DENSITY = 12.0
MARGIN = 2.5


def _vocab(words: str) -> tuple[frozenset[str], tuple[str, ...]]:
    exact = frozenset(w for w in words.split() if not w.endswith("*"))
    prefixes = tuple(w[:-1] for w in words.split() if w.endswith("*"))
    return exact, prefixes


_COMPILED = {topic: _vocab(words) for topic, words in _VOCABULARY.items()}


@dataclass(frozen=True)
class ArticleSignals:
    """What the outlet says about an article besides its text."""

    url: str | None = None
    categories: Sequence[str] = ()
    page_sections: Sequence[str] = ()


@dataclass(frozen=True)
class Topic:
    topic: str
    evidence: str


def _section_words(label: str) -> Iterable[str]:
    """A label's words: the whole label, its hyphenated and single words."""
    text = label.strip().lower()
    if not text:
        return
    yield text.replace(" ", "-")
    for part in re.split(r"[\s/>|,&]+", text):
        if part:
            yield part
            yield from part.split("-")


def _from_labels(kind: str, labels: Iterable[str]) -> Topic | None:
    found: dict[str, str] = {}
    for label in labels:
        for word in _section_words(label):
            topic = SECTION_TOPICS.get(word)
            if topic and topic not in found:
                found[topic] = word
    if not found:
        return None
    if "politics" in found:
        return Topic("politics", f"{kind}:{found['politics']}")
    topic, word = next(iter(found.items()))
    return Topic(topic, f"{kind}:{word}")


def _url_segments(url: str | None) -> list[str]:
    if not url:
        return []
    path = re.sub(r"^[a-z]+://[^/]+", "", url.lower()).split("?", 1)[0]
    # directory segments only: the last one is the story's slug, whose words
    # ("...-sports-wagon-...") say nothing about the section
    return [s for s in path.split("/")[:-1] if s and not s.isdigit()]


def _densities(text: str) -> tuple[dict[str, float], int]:
    words = _WORD.findall(text.lower())
    counts = dict.fromkeys(_COMPILED, 0)
    for word in words:
        for topic, (exact, prefixes) in _COMPILED.items():
            if word in exact or (prefixes and word.startswith(prefixes)):
                counts[topic] += 1
    n = max(len(words), 1)
    return {topic: 1000.0 * c / n for topic, c in counts.items()}, len(words)


def _from_text(title: str | None, text: str) -> Topic:
    densities, n_words = _densities(f"{title or ''}\n{text}")
    if n_words < 20:
        return Topic("unknown", "text:too_short")
    politics = densities.pop("politics")
    topic, density = max(densities.items(), key=lambda item: item[1])
    if density >= MIN_DENSITY and density >= MARGIN * politics:
        return Topic(topic, f"text:{topic}={density:.0f}/1000 vs politics={politics:.0f}/1000")
    return Topic("politics", f"text:politics={politics:.0f}/1000 vs {topic}={density:.0f}/1000")


def classify_topic(signals: ArticleSignals, text: str, title: str | None = None) -> Topic:
    """The article's topic and the signal that decided it."""
    for kind, labels in (
        ("page_section", signals.page_sections),
        ("feed_category", signals.categories),
        ("url_section", _url_segments(signals.url)),
    ):
        found = _from_labels(kind, labels)
        if found is not None:
            return found
    return _from_text(title, text[:20000])


_SECTION_META = re.compile(
    r"""<meta\b[^>]*?(?:property|name|itemprop)\s*=\s*["'](?:article:section|section|"""
    r"""articleSection|og:section|parsely-section|sailthru\.tags)["'][^>]*>""",
    re.IGNORECASE,
)
_CONTENT = re.compile(r"""content\s*=\s*["']([^"']{1,120})["']""", re.IGNORECASE)
_JSONLD_SECTION = re.compile(r'"articleSection"\s*:\s*(\[[^\]]{0,400}\]|"[^"]{1,120}")')


def page_sections(html: str) -> list[str]:
    """Section labels a page declares in its head (meta tags, JSON-LD)."""
    head = html[:300_000]
    labels = []
    for tag in _SECTION_META.findall(head):
        content = _CONTENT.search(tag)
        if content:
            labels.append(content.group(1))
    for value in _JSONLD_SECTION.findall(head):
        labels.extend(re.findall(r'"([^"]{1,120})"', value))
    return labels[:10]
