"""RSS 2.0, RSS 1.0 (RDF) and Atom 1.0 documents for the demo feeds.

Item links start with :data:`BASE_TOKEN`; the demo server replaces it with
its own address when it loads the corpus, so the files stay port-free.
Entry identifiers (guid / atom:id) never contain the address, so they are the
same whichever port the demo server gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

BASE_TOKEN = "__DEMO_BASE__"


@dataclass(frozen=True)
class Item:
    guid: str
    link: str  # starts with BASE_TOKEN
    title: str
    summary: str
    published: datetime  # aware
    author: str
    category: str


def _rfc822(ts: datetime) -> str:
    return format_datetime(ts)


def rss20(title: str, site: str, language: str, items: list[Item], *, ttl: int = 15) -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:atom="http://www.w3.org/2005/Atom">',
        "<channel>",
        f"<title>{escape(title)}</title>",
        f"<link>{escape(site)}</link>",
        f"<description>{escape(title)}</description>",
        f"<language>{language}</language>",
        f"<ttl>{ttl}</ttl>",
    ]
    if items:
        parts.append(f"<lastBuildDate>{_rfc822(items[0].published)}</lastBuildDate>")
    for item in items:
        parts += [
            "<item>",
            f"<title>{escape(item.title)}</title>",
            f"<link>{escape(item.link)}</link>",
            f'<guid isPermaLink="false">{escape(item.guid)}</guid>',
            f"<description>{escape(item.summary)}</description>",
            f"<dc:creator>{escape(item.author)}</dc:creator>",
            f"<category>{escape(item.category)}</category>",
            f"<pubDate>{_rfc822(item.published)}</pubDate>",
            "</item>",
        ]
    parts += ["</channel>", "</rss>", ""]
    return "\n".join(parts)


def rss10(title: str, site: str, language: str, items: list[Item]) -> str:
    lis = "".join(f'<rdf:li rdf:resource="{escape(i.guid)}"/>' for i in items)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        f'<channel rdf:about="{escape(site)}">',
        f"<title>{escape(title)}</title>",
        f"<link>{escape(site)}</link>",
        f"<description>{escape(title)}</description>",
        f"<dc:language>{language}</dc:language>",
        f"<items><rdf:Seq>{lis}</rdf:Seq></items>",
        "</channel>",
    ]
    for item in items:
        parts += [
            f'<item rdf:about="{escape(item.guid)}">',
            f"<title>{escape(item.title)}</title>",
            f"<link>{escape(item.link)}</link>",
            f"<description>{escape(item.summary)}</description>",
            f"<dc:creator>{escape(item.author)}</dc:creator>",
            f"<dc:subject>{escape(item.category)}</dc:subject>",
            f"<dc:date>{item.published.isoformat()}</dc:date>",
            "</item>",
        ]
    parts += ["</rdf:RDF>", ""]
    return "\n".join(parts)


def atom10(title: str, site: str, feed_id: str, language: str, items: list[Item]) -> str:
    updated = items[0].published.isoformat() if items else "2026-03-01T00:00:00+00:00"
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{language}">',
        f"<title>{escape(title)}</title>",
        f'<link rel="alternate" href="{escape(site)}"/>',
        f"<id>{escape(feed_id)}</id>",
        f"<updated>{updated}</updated>",
    ]
    for item in items:
        ts = item.published.isoformat()
        parts += [
            "<entry>",
            f"<title>{escape(item.title)}</title>",
            f'<link rel="alternate" type="text/html" href="{escape(item.link)}"/>',
            f"<id>{escape(item.guid)}</id>",
            f"<published>{ts}</published>",
            f"<updated>{ts}</updated>",
            f"<author><name>{escape(item.author)}</name></author>",
            f'<category term="{escape(item.category)}"/>',
            f"<summary>{escape(item.summary)}</summary>",
            "</entry>",
        ]
    parts += ["</feed>", ""]
    return "\n".join(parts)
