"""Audit inputs as websites: pages and stories served as news sites with feeds.

``newsflow eval audit run`` reads a folder of saved pages (``*.html``,
``*.html.gz``) or a JSON-lines file of stories and serves them the way the
web would: one site per original host, each on its own port of 127.0.0.1,
keeping the original URL path (so the section a URL carries survives), with
an RSS feed listing the site's items.  Stories are rendered as ordinary
article pages (title, headline, byline, ``<time>``, section and keyword
metadata, paragraphs), so the chain sees what a real outlet publishes.

Every feed item's guid is the input's id: ingest keeps it as the entry key,
which is how exported rows are traced back to the page or story they came
from.
"""

from __future__ import annotations

import gzip
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from newsflow.loopback import LoopbackServer, Route

#: the host of pages whose original URL is unknown
LOCAL_HOST = "pages.local"
FEED_PATH = "/audit-feed.xml"
GROUND_TRUTH = "ground-truth.json"
#: sentences per rendered paragraph
PARAGRAPH_SENTENCES = 3

_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_CANONICAL = re.compile(
    r"<link\b[^>]*\brel=[\"']?canonical[\"']?[^>]*>|<meta\b[^>]*\bproperty=[\"']og:url[\"'][^>]*>",
    re.I,
)
_HREF = re.compile(r"\b(?:href|content)=[\"']([^\"']+)[\"']", re.I)
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“‘(]?[A-Z0-9])")


#: words after which a full stop does not end a sentence ("Mr. Sato", "Gen. Lee")
_ABBREVIATION = re.compile(
    r"(?:^|\s)(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|Prof|Jr|Sr|No|Adm|Maj|Rev|"
    r"[A-Z])\.$"
)


class InputError(ValueError):
    """An input that cannot be served (unreadable file, no pages, bad JSON)."""


@dataclass
class Page:
    """One page to serve: a saved page, or a story rendered as one."""

    id: str
    input: str  # the input it came from (folder or file name)
    original_url: str
    body: bytes
    title: str = ""
    published: datetime | None = None
    categories: list[str] = field(default_factory=list)
    served_url: str = ""


# ---------------------------------------------------------------------------
# Reading inputs
# ---------------------------------------------------------------------------
def _page_id(path: Path) -> str:
    name = path.name
    for suffix in (".html.gz", ".html"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def _declared_url(text: str) -> str | None:
    for tag in _CANONICAL.findall(text[:200_000]):
        found = _HREF.search(tag)
        if found and found.group(1).startswith(("http://", "https://")):
            return html.unescape(found.group(1))
    return None


def ground_truth_urls(folder: Path, urls_file: Path | None = None) -> dict[str, str]:
    """``{id: url}`` from ``urls_file``, else a ``ground-truth.json`` in or above the folder."""
    candidates = [urls_file] if urls_file else [folder / GROUND_TRUTH, folder.parent / GROUND_TRUTH]
    for candidate in candidates:
        if candidate and candidate.is_file():
            data = json.loads(candidate.read_text(encoding="utf-8"))
            return {
                str(key): str(value["url"])
                for key, value in data.items()
                if isinstance(value, dict) and value.get("url")
            }
    return {}


def load_page_folder(folder: Path, urls_file: Path | None = None) -> list[Page]:
    """The ``*.html`` and ``*.html.gz`` pages of a folder, with their original URLs."""
    urls = ground_truth_urls(folder, urls_file)
    pages = []
    for path in sorted(folder.iterdir()):
        if not path.name.endswith((".html", ".html.gz")) or not path.is_file():
            continue
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        text = data.decode("utf-8", errors="replace")
        page_id = _page_id(path)
        url = urls.get(page_id) or _declared_url(text) or f"http://{LOCAL_HOST}/{page_id}.html"
        found = _TITLE.search(text)
        title = html.unescape(re.sub(r"\s+", " ", found.group(1))).strip() if found else ""
        pages.append(Page(page_id, folder.name, url, data, title=title))
    if not pages:
        raise InputError(f"{folder}: no *.html or *.html.gz pages")
    return pages


def parse_published(value: object) -> datetime | None:
    """A story's ``published`` ('2025-03-14 20:30:26Z', ISO 8601) as an aware datetime."""
    if not value:
        return None
    text = str(value).strip().replace("Z", "+00:00").replace(" ", "T", 1)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def paragraphs(text: str, per_paragraph: int = PARAGRAPH_SENTENCES) -> list[str]:
    """The story text as paragraphs: its own line breaks, else a few sentences each."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n|\n", text) if b.strip()]
    if len(blocks) > 1:
        return blocks
    sentences: list[str] = []
    for piece in _SENTENCE_END.split(text.strip()):
        if sentences and _ABBREVIATION.search(sentences[-1]):
            sentences[-1] += " " + piece
        elif piece.strip():
            sentences.append(piece.strip())
    return [
        " ".join(sentences[i : i + per_paragraph]) for i in range(0, len(sentences), per_paragraph)
    ]


def render_story(story: dict[str, object]) -> str:
    """An article page for a story: what a news site's page carries."""
    title = str(story.get("title") or "")
    author = str(story.get("author") or "")
    section = str(story.get("section") or "")
    keywords = str(story.get("keywords") or "")
    url = str(story.get("url") or "")
    published = parse_published(story.get("published"))
    e = html.escape
    head = [
        '<!doctype html>\n<html lang="en">\n<head>',
        '<meta charset="utf-8">',
        f"<title>{e(title)}</title>",
        f'<link rel="canonical" href="{e(url)}">' if url else "",
        f'<meta property="og:title" content="{e(title)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="article:section" content="{e(section)}">' if section else "",
        f'<meta name="keywords" content="{e(keywords)}">' if keywords else "",
        f'<meta name="author" content="{e(author)}">' if author else "",
        (
            f'<meta property="article:published_time" content="{published.isoformat()}">'
            if published
            else ""
        ),
        "</head>\n<body>",
        '<header><nav><a href="/">Home</a>'
        + (f" &rsaquo; <a>{e(section)}</a>" if section else "")
        + "</nav></header>",
        "<main><article>",
        f"<h1>{e(title)}</h1>",
        f'<p class="byline">By <span class="author">{e(author)}</span></p>' if author else "",
        (
            f'<time datetime="{published.isoformat()}">{published:%B %d, %Y %H:%M} UTC</time>'
            if published
            else ""
        ),
        '<div class="article-body">',
    ]
    body = [f"<p>{e(p)}</p>" for p in paragraphs(str(story.get("text") or ""))]
    tail = ["</div>", "</article></main>", "<footer><p>Audit copy.</p></footer>", "</body></html>"]
    return "\n".join(line for line in [*head, *body, *tail] if line) + "\n"


def load_stories(path: Path) -> list[Page]:
    """The stories of a JSON-lines file, each rendered as an article page."""
    pages = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            story = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: not JSON ({exc})") from exc
        if not isinstance(story, dict) or not story.get("id") or not story.get("text"):
            raise InputError(f"{path}:{number}: a story needs at least 'id' and 'text'")
        story_id = str(story["id"])
        url = str(story.get("url") or f"http://{LOCAL_HOST}/{story_id}.html")
        categories = [str(story["section"])] if story.get("section") else []
        categories += [k.strip() for k in str(story.get("keywords") or "").split(",") if k.strip()]
        pages.append(
            Page(
                story_id,
                path.name,
                url,
                render_story(story).encode("utf-8"),
                title=str(story.get("title") or ""),
                published=parse_published(story.get("published")),
                categories=list(dict.fromkeys(categories)),
            )
        )
    if not pages:
        raise InputError(f"{path}: no stories")
    return pages


def load_inputs(inputs: Iterable[Path], urls_file: Path | None = None) -> list[Page]:
    pages: list[Page] = []
    for path in inputs:
        if path.is_dir():
            pages += load_page_folder(path, urls_file)
        elif path.suffix == ".jsonl":
            pages += load_stories(path)
        else:
            raise InputError(f"{path}: expected a folder of pages or a .jsonl file of stories")
    seen: set[str] = set()
    for page in pages:
        if page.id in seen:
            raise InputError(f"page id {page.id} appears twice among the inputs")
        seen.add(page.id)
    return pages


# ---------------------------------------------------------------------------
# Sites
# ---------------------------------------------------------------------------
def rss(title: str, link: str, pages: list[Page]) -> str:
    """An RSS 2.0 feed of the site's pages; each guid is the page's id."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>{escape(link)}</link>",
        f"<description>{escape(title)}</description><language>en</language>",
    ]
    for page in pages:
        parts.append("<item>")
        parts.append(f"<title>{escape(page.title or page.id)}</title>")
        parts.append(f"<link>{escape(page.served_url)}</link>")
        parts.append(f'<guid isPermaLink="false">{escape(page.id)}</guid>')
        if page.published:
            parts.append(f"<pubDate>{format_datetime(page.published)}</pubDate>")
        parts += [f"<category>{escape(c)}</category>" for c in page.categories]
        parts.append("</item>")
    parts.append("</channel></rss>\n")
    return "\n".join(parts)


def opml(feeds: list[tuple[str, str]]) -> str:
    """An OPML subscription list of ``(title, feed url)``."""
    outlines = "\n".join(
        f'    <outline type="rss" text="{escape(t, {chr(34): "&quot;"})}" '
        f'title="{escape(t, {chr(34): "&quot;"})}" xmlUrl="{escape(u)}"/>'
        for t, u in feeds
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n'
        "<head><title>newsflow audit</title></head>\n<body>\n"
        '  <outline text="audit">\n' + outlines + "\n  </outline>\n</body>\n</opml>\n"
    )


def _path_of(page: Page) -> str:
    parts = urlsplit(page.original_url)
    path = parts.path if parts.path not in ("", "/") else f"/{page.id}.html"
    return path


class Sites:
    """The inputs as sites on 127.0.0.1: ``with Sites(pages) as sites: sites.feeds``."""

    def __init__(self, pages: list[Page]) -> None:
        self.pages = pages
        by_host: dict[str, list[Page]] = {}
        for page in pages:
            by_host.setdefault(urlsplit(page.original_url).netloc or LOCAL_HOST, []).append(page)
        self.by_host = by_host
        self.servers: dict[str, LoopbackServer] = {}
        #: (site title, feed URL)
        self.feeds: list[tuple[str, str]] = []

    def start(self) -> Sites:
        for host, pages in sorted(self.by_host.items()):
            server = LoopbackServer(
                {"/robots.txt": Route(b"User-agent: *\nAllow: /\n", "text/plain")}
            )
            used: set[str] = {"/robots.txt", FEED_PATH}
            for page in pages:
                path = _path_of(page)
                if path in used:
                    path = f"/{page.id}.html"
                used.add(path)
                server.routes[path] = Route(page.body)
                page.served_url = server.url(path)
            feed = rss(host, server.base_url + "/", pages)
            server.routes[FEED_PATH] = Route(feed.encode("utf-8"), "application/rss+xml")
            server.start()
            self.servers[host] = server
            self.feeds.append((host, server.url(FEED_PATH)))
        return self

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()
        self.servers.clear()

    def __enter__(self) -> Sites:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
