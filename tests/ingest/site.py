"""A synthetic news site for tests: stories, article pages with boilerplate, feeds.

Everything is generated from seeds, so a test can rebuild the same site and
know exactly what should land: which stories several feeds share, which links
carry ``utm_`` variants, which story is wire copy republished with small edits
(a near duplicate) and which is the same text under a second address (an
exact duplicate).

Pages look like real news pages: navigation, cookie banner, share bar, byline
with a ``<time>``, newsletter box, related stories, a comment section with a
prompt, a footer, Open Graph and JSON-LD metadata and a canonical link.  Feeds
come as RSS 0.91, RSS 1.0 (RDF), RSS 2.0, Atom and a podcast (RSS 2.0 with
iTunes tags and enclosures), in UTF-8 or another declared encoding.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

from newsflow.loopback import Route

# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------
_EN = {
    "subject": [
        "The foreign minister",
        "A government spokesperson",
        "The central bank",
        "Opposition leaders",
        "Local officials",
        "The prime minister",
        "Union representatives",
        "The defence ministry",
        "Aid organisations",
        "The city council",
        "Investigators",
        "Regional governors",
        "The health agency",
        "Protest organisers",
        "The trade envoy",
        "Senior diplomats",
        "The electoral commission",
        "Border police",
        "The energy regulator",
        "Farmers' groups",
        "The supreme court",
        "Hospital staff",
        "The port authority",
    ],
    "verb": [
        "announced",
        "rejected",
        "criticised",
        "welcomed",
        "postponed",
        "confirmed",
        "questioned",
        "approved",
        "denied",
        "proposed",
        "defended",
        "signed",
        "suspended",
        "investigated",
        "negotiated",
        "condemned",
        "supported",
        "reviewed",
        "extended",
    ],
    "object": [
        "a new trade agreement",
        "the emergency budget",
        "plans for a ceasefire",
        "the disputed election results",
        "sanctions on steel imports",
        "a water-sharing treaty",
        "the pension reform",
        "talks with the rebel delegation",
        "the fuel subsidy",
        "a loan from the development bank",
        "the railway concession",
        "new border checks",
        "the wage settlement",
        "an inquiry into the fire",
        "the grain export corridor",
        "a vaccination campaign",
        "the mining licence",
        "the peace framework",
    ],
    "tail": [
        "on Tuesday",
        "after weeks of pressure",
        "despite strong objections",
        "in a statement late on Monday",
        "during a visit to the capital",
        "ahead of the summit",
        "following overnight talks",
        "at a crowded news conference",
        "according to two people familiar with the matter",
        "for the second time this year",
        "without giving further details",
        "as markets opened",
        "in a televised address",
    ],
    "extra": [
        "Analysts said the decision could reshape relations in the region.",
        "Critics argued that the timing was driven by domestic politics.",
        "The move drew a cautious response from neighbouring countries.",
        "Officials declined to say how long the measures would last.",
        "Residents interviewed near the harbour were divided about the outcome.",
        "Economists expect prices to respond within a few weeks.",
        "Several lawmakers called for a vote before the end of the session.",
        "The details are expected to be published in the official gazette.",
    ],
}
_DE = {
    "subject": [
        "Der Außenminister",
        "Die Bundesregierung",
        "Die Zentralbank",
        "Der Stadtrat",
        "Die Opposition",
        "Die Gewerkschaft",
        "Das Gesundheitsamt",
        "Die Landesregierung",
    ],
    "verb": ["kündigte", "lehnte", "kritisierte", "begrüßte", "verschob", "bestätigte", "prüfte"],
    "object": [
        "ein neues Handelsabkommen",
        "den Nothaushalt",
        "die Rentenreform",
        "neue Grenzkontrollen",
        "den Plan für eine Waffenruhe",
        "die Förderung der Bahn",
        "das Gesetz über Energie",
    ],
    "tail": [
        "am Dienstag an",
        "nach wochenlangen Verhandlungen ab",
        "trotz heftiger Kritik an",
        "in einer Erklärung am Montag ab",
        "bei einem Besuch in der Hauptstadt an",
    ],
    "extra": [
        "Beobachter erwarten, dass die Entscheidung die Beziehungen in der Region verändert.",
        "Kritiker sagten, der Zeitpunkt sei von der Innenpolitik bestimmt worden.",
        "Die Einzelheiten sollen in den kommenden Tagen veröffentlicht werden.",
        "Mehrere Abgeordnete forderten eine Abstimmung noch vor der Sommerpause.",
    ],
}
_FR = {
    "subject": [
        "Le ministre des affaires étrangères",
        "Le gouvernement",
        "La banque centrale",
        "Les syndicats",
        "Le conseil municipal",
        "L'opposition",
        "Les autorités régionales",
    ],
    "verb": ["a annoncé", "a rejeté", "a critiqué", "a salué", "a reporté", "a confirmé"],
    "object": [
        "un nouvel accord commercial",
        "le budget d'urgence",
        "la réforme des retraites",
        "des contrôles aux frontières",
        "le projet de cessez-le-feu",
        "la hausse des salaires",
    ],
    "tail": [
        "mardi soir",
        "après des semaines de pression",
        "malgré de vives critiques",
        "dans un communiqué publié lundi",
        "lors d'une visite dans la capitale",
    ],
    "extra": [
        "Les analystes estiment que cette décision pourrait changer les équilibres régionaux.",
        "Les critiques jugent que le calendrier répond surtout à la politique intérieure.",
        "Les détails doivent être publiés au journal officiel dans les prochains jours.",
        "Plusieurs députés ont demandé un vote avant la fin de la session parlementaire.",
    ],
}
VOCABULARIES = {"en": _EN, "de": _DE, "fr": _FR}


def paragraphs(seed: int | str, *, n: int = 6, lang: str = "en") -> list[str]:
    """``n`` paragraphs of plausible news prose, the same for the same seed."""
    rng = random.Random(f"{lang}:{seed}")
    vocab = VOCABULARIES[lang]
    out = []
    for _ in range(n):
        sentences = []
        for _ in range(rng.randint(3, 5)):
            if rng.random() < 0.25:
                sentences.append(rng.choice(vocab["extra"]))
            else:
                sentences.append(
                    f"{rng.choice(vocab['subject'])} {rng.choice(vocab['verb'])} "
                    f"{rng.choice(vocab['object'])} {rng.choice(vocab['tail'])}, "
                    f"{_number_clause(rng, lang)}."
                )
        out.append(" ".join(sentences))
    return out


def _number_clause(rng: random.Random, lang: str) -> str:
    n = rng.randint(2, 980)
    words = {
        "en": [
            f"affecting about {n} thousand people",
            f"at a cost of {n} million dollars",
            f"in {n} districts",
            f"with {n} delegates present",
            f"{n} days before the deadline",
        ],
        "de": [
            f"betroffen sind rund {n} tausend Menschen",
            f"mit Kosten von {n} Millionen Euro",
            f"in {n} Gemeinden",
        ],
        "fr": [
            f"concernant environ {n} mille personnes",
            f"pour un coût de {n} millions d'euros",
            f"dans {n} communes",
        ],
    }[lang]
    return rng.choice(words)


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    paragraphs: tuple[str, ...]
    published: datetime
    author: str = "Staff Reporter"
    lang: str = "en"
    summary: str = ""

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def make_story(
    seed: int | str,
    *,
    lang: str = "en",
    n_paragraphs: int = 6,
    published: datetime | None = None,
    author: str = "Staff Reporter",
) -> Story:
    rng = random.Random(f"story:{lang}:{seed}")
    paras = tuple(paragraphs(seed, n=n_paragraphs, lang=lang))
    vocab = VOCABULARIES[lang]
    title = (
        f"{rng.choice(vocab['subject'])} {rng.choice(vocab['verb'])} {rng.choice(vocab['object'])}"
    )
    when = published or datetime(2024, 12, 2, 8, 0, tzinfo=UTC) + timedelta(
        minutes=rng.randint(0, 60 * 24 * 5)
    )
    return Story(
        slug=f"story-{seed}",
        title=title,
        paragraphs=paras,
        published=when,
        author=author,
        lang=lang,
        summary=paras[0][:160],
    )


def syndicated_copy(story: Story, *, slug: str, seed: int = 0) -> Story:
    """Wire copy republished by another outlet: new headline and intro line, a
    tail sentence dropped, the body otherwise the same (Jaccard well above 0.7)."""
    paras = list(story.paragraphs)
    paras[0] = f"(Wire) {_EN['extra'][seed % len(_EN['extra'])]} " + paras[0]
    last = paras[-1].split(". ")
    if len(last) > 1:
        paras[-1] = ". ".join(last[:-1]) + "."
    return replace(story, slug=slug, title=story.title + " - report", paragraphs=tuple(paras))


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------
_COMMENTS = [
    ("reader_42", "This is exactly what everyone expected, nothing new here."),
    ("Marta K.", "Does anyone know when the full text will be published?"),
]


def article_html(
    story: Story,
    *,
    url: str,
    site_name: str = "The Daily Planet",
    related: Sequence[tuple[str, str]] = (),
    charset: str = "utf-8",
) -> str:
    """A full article page with the boilerplate real news sites carry."""
    published = story.published.isoformat()
    body = "\n".join(f"      <p>{escape(p)}</p>" for p in story.paragraphs)
    related_html = "\n".join(
        f'        <li><a href="{escape(href)}">{escape(title)}</a></li>' for href, title in related
    )
    comments = "\n".join(
        f'      <div class="comment"><span class="author">{escape(a)}</span>'
        f"<p>{escape(t)}</p></div>"
        for a, t in _COMMENTS
    )
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": story.title,
            "datePublished": published,
            "author": [{"@type": "Person", "name": story.author}],
            "publisher": {"@type": "Organization", "name": site_name},
            "mainEntityOfPage": url,
        }
    )
    return f"""<!DOCTYPE html>
<html lang="{story.lang}">
<head>
  <meta charset="{charset}">
  <title>{escape(story.title)} | {escape(site_name)}</title>
  <link rel="canonical" href="{escape(url)}">
  <meta property="og:title" content="{escape(story.title)}">
  <meta property="og:site_name" content="{escape(site_name)}">
  <meta property="og:type" content="article">
  <meta property="og:url" content="{escape(url)}">
  <meta name="description" content="{escape(story.summary)}">
  <meta name="author" content="{escape(story.author)}">
  <meta property="article:published_time" content="{published}">
  <script type="application/ld+json">{ld}</script>
  <style>body{{font-family:serif}} .nav a{{margin:0 4px}}</style>
</head>
<body>
  <div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience.
    <button>Accept all</button> <button>Manage preferences</button></div>
  <header class="site-header">
    <a class="logo" href="/">{escape(site_name)}</a>
    <nav class="nav"><a href="/world">World</a><a href="/politics">Politics</a>
      <a href="/business">Business</a><a href="/sport">Sport</a><a href="/opinion">Opinion</a></nav>
  </header>
  <main>
    <article class="story">
      <h1>{escape(story.title)}</h1>
      <div class="byline">By <span class="author">{escape(story.author)}</span>,
        <time datetime="{published}">{story.published:%d %B %Y %H:%M}</time></div>
      <div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on X</a>
        <a href="#">Email this article</a></div>
{body}
    </article>
    <aside class="newsletter">
      <h3>Sign up for our morning briefing</h3>
      <p>Get the top stories delivered to your inbox every day.</p>
      <form><input type="email" placeholder="Your email"><button>Subscribe</button></form>
    </aside>
    <section class="related">
      <h3>Related stories</h3>
      <ul>
{related_html}
      </ul>
    </section>
    <section class="comments">
      <h3>Comments</h3>
{comments}
    </section>
  </main>
  <footer class="site-footer"><p>&copy; 2024 {escape(site_name)}. All rights reserved.</p>
    <a href="/privacy">Privacy</a> <a href="/terms">Terms</a> <a href="/contact">Contact us</a>
  </footer>
</body>
</html>
"""


# ---------------------------------------------------------------------------
# Feeds
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Item:
    title: str
    link: str
    guid: str | None = None
    published: datetime | None = None
    pub_raw: str | None = None  # a literal date string, to serve impossible dates
    summary: str = ""
    author: str = ""
    categories: tuple[str, ...] = ()
    enclosure: str | None = None


def item_for(story: Story, link: str, *, guid: str | None = None) -> Item:
    return Item(
        title=story.title,
        link=link,
        guid=guid if guid is not None else link,
        published=story.published,
        summary=story.summary,
        author=story.author,
        categories=("world",),
    )


def _rfc822(item: Item) -> str:
    if item.pub_raw is not None:
        return item.pub_raw
    return format_datetime(item.published) if item.published else ""


def _iso(item: Item) -> str:
    if item.pub_raw is not None:
        return item.pub_raw
    return item.published.isoformat() if item.published else ""


def rss20(
    items: Iterable[Item],
    *,
    title: str = "The Daily Planet",
    link: str = "http://127.0.0.1/",
    language: str = "en",
    encoding: str = "utf-8",
    ttl: int | None = None,
) -> bytes:
    parts = []
    for it in items:
        pub = _rfc822(it)
        parts.append(
            "<item>"
            f"<title>{escape(it.title)}</title><link>{escape(it.link)}</link>"
            + (f'<guid isPermaLink="false">{escape(it.guid)}</guid>' if it.guid else "")
            + (f"<pubDate>{escape(pub)}</pubDate>" if pub else "")
            + f"<description>{escape(it.summary)}</description>"
            + (f"<author>{escape(it.author)}</author>" if it.author else "")
            + "".join(f"<category>{escape(c)}</category>" for c in it.categories)
            + "</item>"
        )
    ttl_el = f"<ttl>{ttl}</ttl>" if ttl else ""
    xml = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{escape(link)}</link>"
        f"<description>News</description><language>{language}</language>{ttl_el}"
        + "".join(parts)
        + "</channel></rss>"
    )
    return xml.encode(encoding, "xmlcharrefreplace")


def rss091(
    items: Iterable[Item], *, title: str = "Old Times", link: str = "http://127.0.0.1/"
) -> bytes:
    parts = [
        f"<item><title>{escape(it.title)}</title><link>{escape(it.link)}</link>"
        f"<description>{escape(it.summary)}</description></item>"
        for it in items
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="0.91"><channel>'
        f"<title>{escape(title)}</title><link>{escape(link)}</link>"
        "<description>Headlines</description><language>en-us</language>"
        + "".join(parts)
        + "</channel></rss>"
    ).encode()


def rss10(
    items: Sequence[Item], *, title: str = "RDF Wire", link: str = "http://127.0.0.1/"
) -> bytes:
    seq = "".join(f'<rdf:li rdf:resource="{escape(it.link)}"/>' for it in items)
    parts = [
        f'<item rdf:about="{escape(it.link)}"><title>{escape(it.title)}</title>'
        f"<link>{escape(it.link)}</link><description>{escape(it.summary)}</description>"
        + (f"<dc:date>{escape(_iso(it))}</dc:date>" if _iso(it) else "")
        + (f"<dc:creator>{escape(it.author)}</dc:creator>" if it.author else "")
        + "</item>"
        for it in items
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<channel rdf:about="{escape(link)}"><title>{escape(title)}</title>'
        f"<link>{escape(link)}</link><description>Wire</description>"
        f"<items><rdf:Seq>{seq}</rdf:Seq></items></channel>" + "".join(parts) + "</rdf:RDF>"
    ).encode()


def atom(
    items: Iterable[Item], *, title: str = "Atom Herald", link: str = "http://127.0.0.1/"
) -> bytes:
    parts = []
    for it in items:
        when = _iso(it) or "2024-12-02T00:00:00Z"
        parts.append(
            f"<entry><title>{escape(it.title)}</title>"
            f'<link rel="alternate" href="{escape(it.link)}"/>'
            f"<id>{escape(it.guid or it.link)}</id><updated>{escape(when)}</updated>"
            f"<published>{escape(when)}</published>"
            f"<summary>{escape(it.summary)}</summary>"
            + (f"<author><name>{escape(it.author)}</name></author>" if it.author else "")
            + "".join(f'<category term="{escape(c)}"/>' for c in it.categories)
            + "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f'<title>{escape(title)}</title><link href="{escape(link)}"/>'
        f"<id>{escape(link)}</id><updated>2024-12-02T12:00:00Z</updated>"
        + "".join(parts)
        + "</feed>"
    ).encode()


def podcast(
    items: Iterable[Item], *, title: str = "News Hour Podcast", link: str = "http://127.0.0.1/"
) -> bytes:
    parts = []
    for it in items:
        pub = _rfc822(it)
        parts.append(
            f"<item><title>{escape(it.title)}</title><link>{escape(it.link)}</link>"
            f"<guid>{escape(it.guid or it.link)}</guid>"
            + (f"<pubDate>{escape(pub)}</pubDate>" if pub else "")
            + f"<description>{escape(it.summary)}</description>"
            f'<enclosure url="{escape(it.enclosure or it.link + ".mp3")}" length="123456" '
            'type="audio/mpeg"/>'
            "<itunes:duration>00:24:13</itunes:duration><itunes:explicit>false</itunes:explicit>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>'
        f"<title>{escape(title)}</title><link>{escape(link)}</link>"
        "<description>Daily audio news</description><language>en</language>"
        '<itunes:author>News Hour</itunes:author><itunes:category text="News"/>'
        + "".join(parts)
        + "</channel></rss>"
    ).encode()


# ---------------------------------------------------------------------------
# A ready-made corpus
# ---------------------------------------------------------------------------
RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"


@dataclass
class Corpus:
    """Feeds and pages of a small news world, with what should land.

    * three feeds (RSS 2.0, Atom, RSS 1.0) all carry the shared story; the
      Atom feed links it with ``utm_`` parameters, the RSS 1.0 feed with a
      fragment;
    * ``wire`` is republished by a second outlet with small edits (near duplicate);
    * ``mirror`` is the same text as ``copied`` under a second address (exact duplicate);
    * every other story appears in exactly one feed.
    """

    base_url: str
    routes: dict[str, Route] = field(default_factory=dict)
    feeds: dict[str, str] = field(default_factory=dict)  # name -> path
    items: dict[str, list[Item]] = field(default_factory=dict)  # name -> feed items
    stories: dict[str, Story] = field(default_factory=dict)  # canonical path -> story
    pages: dict[str, str] = field(default_factory=dict)  # canonical path -> html

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def feed_urls(self) -> list[str]:
        return [self.url(p) for p in self.feeds.values()]

    def add_page(self, path: str, story: Story, *, site_name: str = "The Daily Planet") -> None:
        html = article_html(story, url=self.url(path), site_name=site_name)
        self.stories[path] = story
        self.pages[path] = html
        self.routes[path] = Route(html.encode(), HTML_TYPE)


def build_corpus(base_url: str, *, per_feed: int = 4, seed: int = 0) -> Corpus:
    """The standard small world used by the pipeline tests."""
    c = Corpus(base_url)
    shared = make_story(f"{seed}-shared")
    wire = make_story(f"{seed}-wire")
    copied = make_story(f"{seed}-copied")
    c.add_page("/planet/news/shared.html", shared)
    c.add_page("/planet/news/wire.html", wire)
    c.add_page(
        "/herald/news/wire-copy.html",
        syndicated_copy(wire, slug="wire-copy"),
        site_name="The Herald",
    )
    c.add_page("/planet/news/copied.html", copied)
    c.add_page("/planet/print/copied.html", copied)  # same text, another address

    feeds: dict[str, list[Item]] = {"planet": [], "herald": [], "wire": []}
    shared_url = c.url("/planet/news/shared.html")
    feeds["planet"].append(item_for(shared, shared_url))
    feeds["herald"].append(
        item_for(shared, shared_url + "?utm_source=herald&utm_medium=rss", guid="herald-shared")
    )
    feeds["wire"].append(item_for(shared, shared_url + "#top", guid="wire-shared"))
    feeds["planet"].append(item_for(wire, c.url("/planet/news/wire.html")))
    feeds["herald"].append(item_for(wire, c.url("/herald/news/wire-copy.html")))
    feeds["planet"].append(item_for(copied, c.url("/planet/news/copied.html")))
    feeds["wire"].append(item_for(copied, c.url("/planet/print/copied.html")))
    for name in feeds:
        for i in range(per_feed):
            story = make_story(f"{seed}-{name}-{i}")
            path = f"/{name}/news/{story.slug}.html"
            c.add_page(path, story, site_name=name.title())
            feeds[name].append(item_for(story, c.url(path)))

    c.items = feeds
    c.feeds = {
        "planet": "/feeds/planet.rss",
        "herald": "/feeds/herald.atom",
        "wire": "/feeds/wire.rdf",
    }
    c.routes[c.feeds["planet"]] = Route(rss20(feeds["planet"], link=c.url("/planet/")), RSS_TYPE)
    c.routes[c.feeds["herald"]] = Route(atom(feeds["herald"], link=c.url("/herald/")), ATOM_TYPE)
    c.routes[c.feeds["wire"]] = Route(
        rss10(feeds["wire"], link=c.url("/wire/")), "application/rdf+xml; charset=utf-8"
    )
    return c


def expected_counts(c: Corpus) -> dict[str, int]:
    """What a full ingest of ``build_corpus`` must store."""
    entries = sum(len(items) for items in c.items.values())
    return {"articles": len(c.pages), "sources": entries, "entries": entries}
