"""Article pages for the demo corpus, with the boilerplate real news sites carry.

Each layout wraps the article in what extraction must throw away: cookie
banners, navigation, share bars, advertising slots, "read more" boxes inside
the body, newsletter sign-ups, related and most-read lists, reader comments
with their prompts, and footers.  The metadata sits where publishers put it:
``<link rel=canonical>``, Open Graph, ``article:published_time`` and JSON-LD.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

from newsflow.demo.outlets import Outlet

NAV_SECTIONS = ("World", "Politics", "Business", "Climate", "Science", "Sport", "Opinion")

COMMENTS = (
    (
        "wanderer_77",
        "Another round of talks, another round of promises. I will believe it when I see it.",
    ),
    ("M. Okonkwo", "Thank you for the reporting. Hard to find coverage this detailed elsewhere."),
    ("realist2024", "Nobody ever asks the people who actually live there what they want."),
    ("Jane P.", "Does anyone know where to donate for the people affected?"),
    ("kestrel", "The headline does not match the article. Please fix it."),
    ("old_hand", "I covered this region twenty years ago and nothing has changed."),
    ("Luisa R.", "Sad news. My thoughts are with the families."),
    ("Tom H.", "Follow the money and you will understand the whole story."),
)


@dataclass(frozen=True)
class Page:
    """One article as the generator composed it."""

    outlet: Outlet
    path: str  # on the demo server, e.g. /gws/2026/03/02/slug.html
    canonical: str
    headline: str
    summary: str
    paragraphs: tuple[str, ...]
    published: str  # ISO 8601 with offset
    author: str
    section: str
    dateline: str = ""
    related: tuple[tuple[str, str], ...] = ()  # (path, headline)
    most_read: tuple[tuple[str, str], ...] = ()
    n_comments: int = 0
    comment_seed: int = 0
    credit: str = ""  # "Reporting by ..." line after the body


def _head(page: Page) -> str:
    outlet = page.outlet
    json_ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.headline,
        "datePublished": page.published,
        "dateModified": page.published,
        "author": [{"@type": "Person", "name": page.author}],
        "publisher": {"@type": "Organization", "name": outlet.name},
        "mainEntityOfPage": page.canonical,
        "inLanguage": outlet.language,
    }
    return f"""<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(page.headline)} | {escape(outlet.name)}</title>
<meta name="description" content="{escape(page.summary)}">
<meta name="author" content="{escape(page.author)}">
<link rel="canonical" href="{escape(page.canonical)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{escape(page.headline)}">
<meta property="og:description" content="{escape(page.summary)}">
<meta property="og:url" content="{escape(page.canonical)}">
<meta property="og:site_name" content="{escape(outlet.name)}">
<meta property="article:published_time" content="{page.published}">
<meta property="article:section" content="{escape(page.section)}">
<link rel="stylesheet" href="/{outlet.key}/static/site.css">
<script type="application/ld+json">{json.dumps(json_ld, ensure_ascii=False)}</script>
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"page": "article"}});</script>
</head>"""


def _cookie_banner(outlet: Outlet) -> str:
    if outlet.language == "es":
        text = (
            "Utilizamos cookies propias y de terceros para mejorar nuestros servicios y mostrarle "
            "publicidad relacionada con sus preferencias."
        )
        buttons = "<button>Aceptar</button><button>Configurar</button>"
    else:
        text = (
            "We use cookies to improve your experience, to measure our audience and to show you "
            "personalised advertising. You can change your choice at any time."
        )
        buttons = "<button>Accept all</button><button>Manage preferences</button>"
    return (
        f'<div id="cookie-consent" class="cookie-banner" role="dialog"><p>{text}</p>{buttons}</div>'
    )


def _nav(outlet: Outlet) -> str:
    items = "".join(f'<li><a href="/{outlet.key}/{s.lower()}/">{s}</a></li>' for s in NAV_SECTIONS)
    return (
        f'<header class="site-header"><a class="logo" href="/{outlet.key}/">{escape(outlet.name)}'
        f'</a><span class="tagline">{escape(outlet.tagline)}</span>'
        f'<nav class="main-nav" aria-label="Sections"><ul><li><a href="/{outlet.key}/">Home</a>'
        f'</li>{items}</ul></nav><form class="search"><input type="search" '
        'placeholder="Search"><button>Search</button></form>'
        '<a class="subscribe" href="#subscribe">Subscribe</a></header>'
    )


def _share_bar(page: Page) -> str:
    url = escape(page.canonical)
    return (
        '<div class="share-bar"><span>Share this article</span>'
        f'<a href="https://www.facebook.example/sharer?u={url}">Facebook</a>'
        f'<a href="https://x.example/intent/tweet?url={url}">X</a>'
        f'<a href="https://www.linkedin.example/share?url={url}">LinkedIn</a>'
        f'<a href="mailto:?subject={escape(page.headline)}">Email</a>'
        "<button>Copy link</button></div>"
    )


def _newsletter(outlet: Outlet) -> str:
    if outlet.language == "es":
        return (
            '<aside class="newsletter"><h3>Boletín de la mañana</h3><p>Las noticias más '
            'importantes del día en su correo antes de las 7.</p><form><input type="email" '
            'placeholder="Su correo electrónico"><button>Suscribirse</button></form></aside>'
        )
    return (
        '<aside class="newsletter" id="subscribe"><h3>Get the Morning Briefing</h3><p>The '
        "day's most important stories, in your inbox before 7am. Free, and you can unsubscribe "
        'at any time.</p><form><input type="email" placeholder="Your email address">'
        "<button>Sign up</button></form></aside>"
    )


def _links(title: str, css: str, links: tuple[tuple[str, str], ...]) -> str:
    if not links:
        return ""
    items = "".join(f'<li><a href="{escape(p)}">{escape(h)}</a></li>' for p, h in links)
    return f'<section class="{css}"><h2>{title}</h2><ul>{items}</ul></section>'


def _comments(page: Page) -> str:
    if page.outlet.language == "es":
        prompt = "Participe en la conversación. Inicie sesión para comentar."
        title = f"Comentarios ({page.n_comments})"
    else:
        prompt = "Join the conversation. Log in or register to leave a comment."
        title = f"Comments ({page.n_comments})"
    shown = []
    for i in range(min(3, page.n_comments)):
        who, text = COMMENTS[(page.comment_seed + i * 3) % len(COMMENTS)]
        shown.append(
            f'<div class="comment"><span class="comment-author">{escape(who)}</span>'
            f'<span class="comment-time">{i + 1}h ago</span><p>{escape(text)}</p>'
            '<a href="#reply">Reply</a> <a href="#report">Report</a></div>'
        )
    return (
        f'<section id="comments" class="comments"><h2>{title}</h2>'
        f'<p class="comment-prompt">{prompt}</p>{"".join(shown)}'
        '<button class="load-more">Load more comments</button></section>'
    )


def _footer(outlet: Outlet) -> str:
    links = (
        "About us",
        "Contact",
        "Careers",
        "Terms of use",
        "Privacy policy",
        "Cookie settings",
        "Advertise with us",
        "Accessibility",
    )
    items = "".join(f'<li><a href="/{outlet.key}/about/">{x}</a></li>' for x in links)
    return (
        f'<footer class="site-footer"><ul>{items}</ul><p>© 2026 {escape(outlet.name)}. '
        "All rights reserved. This is a fictional outlet created for the newsflow demo.</p>"
        "</footer>"
    )


def _ad(slot: str) -> str:
    return f'<div class="ad-slot" data-slot="{slot}"><span>Advertisement</span></div>'


def _body_paragraphs(page: Page, with_read_more: bool) -> str:
    out = []
    for i, text in enumerate(page.paragraphs):
        if i == 0 and page.dateline:
            text = f"{page.dateline} {text}"
        out.append(f"<p>{escape(text)}</p>")
        if with_read_more and i == 1 and page.related:
            path, head = page.related[0]
            out.append(
                f'<div class="read-more"><strong>Read more:</strong> <a href="{escape(path)}">'
                f"{escape(head)}</a></div>"
            )
    return "\n".join(out)


def _byline(page: Page) -> str:
    shown = page.published[:10] + " " + page.published[11:16]
    return (
        f'<div class="byline">By <a rel="author" href="#">{escape(page.author)}</a> · '
        f'<time datetime="{page.published}">{shown}</time></div>'
    )


def render_article(page: Page) -> str:
    """The full HTML document of one article, in its outlet's layout."""
    layout = page.outlet.layout
    if layout == "wire":
        return _wire(page)
    if layout == "modern":
        return _modern(page)
    if layout == "regional":
        return _regional(page)
    return _broadsheet(page)


def _broadsheet(page: Page) -> str:
    o = page.outlet
    return f"""<!DOCTYPE html>
<html lang="{o.language}">
{_head(page)}
<body class="article-page">
{_cookie_banner(o)}
{_nav(o)}
{_ad("top-leaderboard")}
<div class="breadcrumb"><a href="/{o.key}/">Home</a> › <a href="/{o.key}/world/">World</a> ›
<a href="/{o.key}/world/">{escape(page.section)}</a></div>
<main>
<article class="story">
<h1 class="headline">{escape(page.headline)}</h1>
<p class="standfirst">{escape(page.summary)}</p>
{_byline(page)}
{_share_bar(page)}
<div class="article-body">
{_body_paragraphs(page, with_read_more=True)}
</div>
{f'<p class="credit">{escape(page.credit)}</p>' if page.credit else ""}
<div class="tags">Topics: <a href="#">{escape(page.section)}</a> <a href="#">Diplomacy</a></div>
{_share_bar(page)}
</article>
{_newsletter(o)}
{_links("Related stories", "related", page.related)}
{_comments(page)}
</main>
<aside class="sidebar">{_links("Most read", "most-read", page.most_read)}{_ad("sidebar")}</aside>
{_footer(o)}
</body>
</html>
"""


def _wire(page: Page) -> str:
    o = page.outlet
    return f"""<!DOCTYPE html>
<html lang="{o.language}">
{_head(page)}
<body>
{_cookie_banner(o)}
{_nav(o)}
<main class="wire-story">
<article>
<h1>{escape(page.headline)}</h1>
{_byline(page)}
<div class="story-text">
{_body_paragraphs(page, with_read_more=False)}
</div>
<p class="credit">{escape(page.credit)}</p>
<p class="trust">Our Standards: The Global Wire Service Trust Principles.</p>
</article>
{_links("More from Global Wire Service", "related", page.related)}
</main>
<div class="licensing"><a href="/gws/licensing/">Purchase licensing rights</a></div>
{_footer(o)}
</body>
</html>
"""


def _modern(page: Page) -> str:
    o = page.outlet
    prompt = (
        "What do you think about this story? Tell us in the comments below and share it with "
        "your friends."
    )
    return f"""<!DOCTYPE html>
<html lang="{o.language}">
{_head(page)}
<body>
{_cookie_banner(o)}
<div class="top-bar"><a href="/{o.key}/account/">Sign in</a>
<a href="#subscribe">Subscribe from $1</a></div>
{_nav(o)}
<main id="content">
<article>
<header><span class="kicker">{escape(page.section)}</span><h1>{escape(page.headline)}</h1>
{_byline(page)}</header>
<section class="share" aria-label="Share">{_share_bar(page)}</section>
<figure><div class="image-placeholder"></div>
<figcaption>File photo. Image: {escape(o.name)}</figcaption></figure>
<div class="content">
{_body_paragraphs(page, with_read_more=True)}
<p>{prompt}</p>
</div>
{_ad("in-article")}
</article>
{_links("Recommended for you", "recommended", page.related)}
{_newsletter(o)}
{_comments(page)}
</main>
<aside>{_links("Trending now", "trending", page.most_read)}</aside>
{_footer(o)}
</body>
</html>
"""


def _regional(page: Page) -> str:
    o = page.outlet
    more = "Lea también" if o.language == "es" else "Also read"
    popular = "Lo más leído" if o.language == "es" else "Popular"
    return f"""<!DOCTYPE html>
<html lang="{o.language}">
{_head(page)}
<body>
{_cookie_banner(o)}
<div id="wrapper">
{_nav(o)}
<div class="breaking-ticker">Live: markets, weather and traffic updates</div>
<div class="row">
<div class="col-main">
<div class="post">
<h1 class="post-title">{escape(page.headline)}</h1>
{_byline(page)}
<div class="post-share">{_share_bar(page)}</div>
<div class="post-content">
{_body_paragraphs(page, with_read_more=False)}
</div>
{_links(more, "also-read", page.related)}
</div>
{_comments(page)}
</div>
<div class="col-side">{_links(popular, "popular", page.most_read)}
{_newsletter(o)}{_ad("side")}</div>
</div>
{_footer(o)}
</div>
</body>
</html>
"""


def render_home(outlet: Outlet, headlines: tuple[tuple[str, str], ...]) -> str:
    """An outlet's home page: what the broken feed address returns after a redesign."""
    items = "".join(f'<li><a href="{escape(p)}">{escape(h)}</a></li>' for p, h in headlines)
    return f"""<!DOCTYPE html>
<html lang="{outlet.language}">
<head><meta charset="utf-8"><title>{escape(outlet.name)}: home</title></head>
<body>
{_cookie_banner(outlet)}
{_nav(outlet)}
<main><h1>Welcome to the new {escape(outlet.name)}</h1>
<p>We have redesigned our website. Some old links, including our feeds, may no longer work.</p>
<ul class="headlines">{items}</ul></main>
{_footer(outlet)}
</body>
</html>
"""
