"""Generate the demo corpus (feeds and article pages) from the storyline tables.

The corpus is not shipped: it is generated (in under a second) the first time
the demo needs it, into ``<data dir>/demo/corpus-<fingerprint>``
(:func:`ensure_built`), where the fingerprint covers the generator's sources
and storyline files, so an edited storyline gets a fresh corpus and an
unchanged one is reused.  ``python -m newsflow.demo.build_corpus [DIR]``
writes it to a folder of your choice to look at.  The output is deterministic
(no clock, no random state): building twice gives identical files.

What the corpus contains, so the demo shows every stage at work:

* wire stories from the agency, republished by several outlets with small
  edits (headline, spelling, dateline, a credit line): one story, several
  canonical URLs, one near-duplicate cluster;
* the same article linked from two feeds of one outlet, once with ``utm_``
  tracking parameters: one canonical URL, one article;
* original reporting by each outlet on its storylines, one article a day;
* a Spanish-language outlet (recorded by the annotator as another language);
* a slow feed and a broken one (see :mod:`newsflow.demo.outlets`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import zlib
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from newsflow.demo import feeds_xml
from newsflow.demo.outlets import FEEDS, OUTLETS, WIRE, Feed, Outlet, outlet
from newsflow.demo.pages import Page, render_article, render_home
from newsflow.demo.spanish import ARTICLES as SPANISH
from newsflow.demo.storylines import STORIES, Beat, Story

DEMO_DIR = Path(__file__).resolve().parent
#: what the corpus is generated from: a change to any of these makes a new corpus
GENERATOR_SOURCES = (
    "build_corpus.py",
    "feeds_xml.py",
    "outlets.py",
    "pages.py",
    "spanish.py",
    "storylines/__init__.py",
)
FIRST_DAY = date(2026, 3, 1)
N_DAYS = 10
MANIFEST_VERSION = 1

US_SPELLING = {
    "criticised": "criticized",
    "organised": "organized",
    "organising": "organizing",
    "defence": "defense",
    "programme": "program",
    "kilometres": "kilometers",
    "centre": "center",
}


@dataclass(frozen=True)
class Article:
    outlet: Outlet
    story: str
    day: int
    slug: str
    headline: str
    paragraphs: tuple[str, ...]
    published: datetime
    author: str
    dateline: str
    credit: str = ""
    syndicated_from: str = ""  # path of the wire original
    section: str = "World"

    @property
    def path(self) -> str:
        d = FIRST_DAY + timedelta(days=self.day - 1)
        return f"/{self.outlet.key}/{d:%Y/%m/%d}/{self.slug}.html"

    @property
    def canonical(self) -> str:
        d = FIRST_DAY + timedelta(days=self.day - 1)
        section = _slug(self.section)
        return f"https://{self.outlet.domain}/{section}/{d:%Y/%m/%d}/{self.slug}"

    @property
    def guid(self) -> str:
        d = FIRST_DAY + timedelta(days=self.day - 1)
        return f"{self.outlet.domain.removeprefix('www.')}:{d:%Y%m%d}:{self.slug}"

    @property
    def summary(self) -> str:
        return self.paragraphs[0]


def _slug(text: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text[:64].rstrip("-")


def _pick(key: str, n: int) -> int:
    """A stable index in ``range(n)`` for ``key`` (no random state)."""
    return zlib.crc32(key.encode()) % n


def _weekday(day: int) -> str:
    return (FIRST_DAY + timedelta(days=day - 1)).strftime("%A")


def _fill(text: str, day: int) -> str:
    return text.format(wd=_weekday(day), wd_prev=_weekday(day - 1))


def _tz(offset: str) -> timezone:
    sign = -1 if offset.startswith("-") else 1
    hours, minutes = offset[1:].split(":")
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))


def _published(o: Outlet, day: int, slot: int) -> datetime:
    d = FIRST_DAY + timedelta(days=day - 1)
    minutes = o.publish_hour * 60 + 7 + slot * 53 + _pick(f"{o.key}{day}{slot}", 20)
    return datetime(d.year, d.month, d.day, tzinfo=_tz(o.utc_offset)) + timedelta(minutes=minutes)


def _recap(story: Story, beat: Beat) -> str:
    """The latest earlier beat's recap, if it is recent enough for a weekday to be unambiguous."""
    earlier = [b for b in story.beats if b.recap and 1 <= beat.day - b.day <= 5 and b is not beat]
    return earlier[-1].recap if earlier else ""


def _dateline(o: Outlet, beat: Beat) -> str:
    city = beat.dateline.upper()
    if o.layout == "wire":
        d = FIRST_DAY + timedelta(days=beat.day - 1)
        return f"{city}, March {d.day} (GWS) -"
    if o.layout == "broadsheet":
        return f"{city} —"
    if o.layout == "regional":
        return f"{city}:"
    return ""


def _wire_paragraphs(story: Story, beat: Beat) -> tuple[str, ...]:
    d, q = beat.details, beat.quotes
    paras = [beat.leads[0], d[0] + " " + d[1], q[0]]
    paras += list(d[2:])
    recap = _recap(story, beat)
    if recap:
        paras.append(recap)
    paras.append(story.background[_pick(story.key + str(beat.day), len(story.background))])
    if len(q) > 1:
        paras.append(q[1])
    return tuple(_fill(p, beat.day) for p in paras)


def _original_paragraphs(story: Story, beat: Beat, v: int) -> tuple[str, ...]:
    d, q = beat.details, beat.quotes
    lead_index = 1 + v % (len(beat.leads) - 1) if len(beat.leads) > 1 else 0
    paras = [beat.leads[lead_index], d[v % len(d)] + " " + d[(v + 1) % len(d)], q[v % len(q)]]
    recap = _recap(story, beat)
    if recap:
        paras.append(recap)
    bg = story.background
    paras.append(bg[(v + beat.day) % len(bg)] + " " + bg[(v + beat.day + 1) % len(bg)])
    if len(d) > 2:
        paras.append(d[(v + 2) % len(d)])
    if len(q) > 1:
        paras.append(q[(v + 1) % len(q)])
    return tuple(_fill(p, beat.day) for p in paras)


def _story(key: str) -> Story:
    for s in STORIES:
        if s.key == key:
            return s
    raise KeyError(key)


def _syndicated_copy(original: Article, target: Outlet, beat: Beat, j: int) -> Article:
    """Wire copy as another outlet republishes it: new headline, house style, credit."""
    paras = list(original.paragraphs)
    if target.utc_offset.startswith("-"):  # the American outlet uses US spelling
        for uk, us in US_SPELLING.items():
            paras = [p.replace(uk, us) for p in paras]
    headline = beat.headlines[1 + j % (len(beat.headlines) - 1)]
    dateline = f"{beat.dateline.upper()} (GWS) -"
    return replace(
        original,
        outlet=target,
        headline=headline,
        slug=_slug(headline),
        paragraphs=tuple(paras),
        published=original.published + timedelta(minutes=75 + 40 * j),
        author="Global Wire Service",
        dateline=dateline,
        credit=f"Reporting by Global Wire Service; additional reporting by {target.name} staff.",
        syndicated_from=original.path,
    )


def compose() -> list[Article]:
    """Every article of the corpus, in a stable order."""
    gws = outlet(WIRE)
    articles: list[Article] = []
    wire: list[tuple[Beat, Article]] = []
    for day in range(1, N_DAYS + 1):
        slot = 0
        for story in STORIES:
            for beat in story.beats:
                if beat.day != day or not beat.wire:
                    continue
                a = Article(
                    outlet=gws,
                    story=story.key,
                    day=day,
                    slug=_slug(beat.headlines[0]),
                    headline=beat.headlines[0],
                    paragraphs=_wire_paragraphs(story, beat),
                    published=_published(gws, day, slot),
                    author=gws.reporters[(day + slot) % len(gws.reporters)],
                    dateline=_dateline(gws, beat),
                    credit="Reporting by Global Wire Service; editing by the world desk.",
                    section=story.section,
                )
                slot += 1
                wire.append((beat, a))
                articles.append(a)

    syndicators = [o for o in OUTLETS if o.syndicates]
    carried: set[tuple[str, int, str]] = set()  # (outlet, day, story)
    for i, (beat, original) in enumerate(wire):
        covering = [o for o in syndicators if beat.story in o.stories]
        pool = covering or syndicators
        n_copies = min(len(pool), 2 if i % 3 else 3)
        start = _pick(original.slug, len(pool))
        for j in range(n_copies):
            target = pool[(start + j) % len(pool)]
            articles.append(_syndicated_copy(original, target, beat, j))
            carried.add((target.key, beat.day, beat.story))

    for index, o in enumerate(OUTLETS):
        if o.key == WIRE or not o.stories:
            continue
        for day in range(1, N_DAYS + 1):
            beats = [b for s in STORIES if s.key in o.stories for b in s.beats if b.day == day]
            # a beat the outlet already carries as wire copy that day is covered
            beats = [b for b in beats if (o.key, day, b.story) not in carried]
            if not beats:
                continue
            beat = beats[_pick(f"{o.key}:{day}", len(beats))]
            story = _story(beat.story)
            v = index + day
            headline = beat.headlines[(index + 1) % len(beat.headlines)]
            articles.append(
                Article(
                    outlet=o,
                    story=story.key,
                    day=day,
                    slug=_slug(headline),
                    headline=headline,
                    paragraphs=_original_paragraphs(story, beat, v),
                    published=_published(o, day, 3),
                    author=o.reporters[(day + index) % len(o.reporters)],
                    dateline=_dateline(o, beat),
                    section=story.section,
                )
            )

    correo = outlet("el-correo-global")
    for k, es in enumerate(SPANISH):
        articles.append(
            Article(
                outlet=correo,
                story=es.story,
                day=es.day,
                slug=es.slug,
                headline=es.headline,
                paragraphs=es.paragraphs,
                published=_published(correo, es.day, 1),
                author=correo.reporters[k % len(correo.reporters)],
                dateline="",
                section="Internacional",
            )
        )
    return articles


def _page(a: Article, by_outlet: dict[str, list[Article]]) -> Page:
    own = [x for x in by_outlet[a.outlet.key] if x is not a]
    same_story = [x for x in own if x.story == a.story and x.day <= a.day][-4:]
    related = tuple((x.path, x.headline) for x in reversed(same_story))
    others = [x for x in own if x.story != a.story and abs(x.day - a.day) <= 2][:5]
    most_read = tuple((x.path, x.headline) for x in others)
    seed = _pick(a.path, 997)
    return Page(
        outlet=a.outlet,
        path=a.path,
        canonical=a.canonical,
        headline=a.headline,
        summary=a.summary,
        paragraphs=a.paragraphs,
        published=a.published.isoformat(),
        author=a.author,
        section=a.section,
        dateline=a.dateline,
        related=related,
        most_read=most_read,
        n_comments=seed % 40,
        comment_seed=seed,
        credit=a.credit,
    )


def _feed_document(feed: Feed, items: list[Article]) -> tuple[str, str]:
    """(document, content type) for one feed."""
    o = outlet(feed.outlet)
    site = f"https://{o.domain}/"
    entries = []
    for a in sorted(items, key=lambda x: x.published, reverse=True):
        link = feeds_xml.BASE_TOKEN + a.path + (f"?{feed.utm}" if feed.utm else "")
        guid = a.guid
        if feed.format in ("atom10", "rss10"):  # RSS 1.0 items are keyed by rdf:about
            d = FIRST_DAY + timedelta(days=a.day - 1)
            guid = f"tag:{o.domain.removeprefix('www.')},{d:%Y-%m-%d}:{a.slug}"
        entries.append(
            feeds_xml.Item(
                guid=guid,
                link=link,
                title=a.headline,
                summary=a.summary,
                published=a.published,
                author=a.author,
                category=a.section,
            )
        )
    if feed.format == "atom10":
        feed_id = f"tag:{o.domain.removeprefix('www.')},2026:{feed.key}"
        return feeds_xml.atom10(feed.name, site, feed_id, o.language, entries), (
            "application/atom+xml; charset=utf-8"
        )
    if feed.format == "rss10":
        return feeds_xml.rss10(feed.name, site, o.language, entries), (
            "application/rdf+xml; charset=utf-8"
        )
    return feeds_xml.rss20(feed.name, site, o.language, entries), (
        "application/rss+xml; charset=utf-8"
    )


def build(out_dir: Path) -> dict[str, object]:
    """Write the corpus to ``out_dir`` (replacing it) and return the manifest."""
    articles = compose()
    by_outlet: dict[str, list[Article]] = {}
    for a in sorted(articles, key=lambda x: x.published):
        by_outlet.setdefault(a.outlet.key, []).append(a)

    if out_dir.exists():
        shutil.rmtree(out_dir)
    (out_dir / "pages").mkdir(parents=True)
    (out_dir / "feeds").mkdir()
    routes: list[dict[str, object]] = []

    for a in sorted(articles, key=lambda x: x.path):
        rel = f"pages{a.path.removesuffix('.html')}.html"
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_article(_page(a, by_outlet)), encoding="utf-8")
        routes.append({"path": a.path, "file": rel, "content_type": "text/html; charset=utf-8"})

    feeds_meta = []
    for feed in FEEDS:
        o = outlet(feed.outlet)
        items = [
            a
            for a in by_outlet.get(o.key, [])
            if not feed.only_stories or a.story in feed.only_stories
        ]
        rel = f"feeds/{feed.key}.xml"
        if feed.behaviour == "broken":
            recent = tuple((x.path, x.headline) for x in articles[:6])
            document, content_type = render_home(o, recent), "text/html; charset=utf-8"
            rel = f"feeds/{feed.key}.html"
            items = []
        else:
            document, content_type = _feed_document(feed, items)
        (out_dir / rel).write_text(document, encoding="utf-8")
        routes.append(
            {
                "path": feed.path,
                "file": rel,
                "content_type": content_type,
                "delay_s": feed.delay_s,
                "base_token": True,
            }
        )
        feeds_meta.append(
            {
                "key": feed.key,
                "name": feed.name,
                "path": feed.path,
                "format": feed.format,
                "language": o.language,
                "country": o.country,
                "tags": ["demo", *feed.tags],
                "poll_interval_s": feed.poll_interval_s,
                "delay_s": feed.delay_s,
                "behaviour": feed.behaviour,
                "outlet": o.name,
                "items": len(items),
            }
        )

    (out_dir / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    routes.append({"path": "/robots.txt", "file": "robots.txt", "content_type": "text/plain"})

    fed_paths = {
        a.path
        for feed in FEEDS
        if feed.behaviour != "broken"
        for a in by_outlet.get(feed.outlet, [])
        if not feed.only_stories or a.story in feed.only_stories
    }
    syndicated = [a for a in articles if a.syndicated_from]
    manifest: dict[str, object] = {
        "version": MANIFEST_VERSION,
        "generator": "python -m newsflow.demo.build_corpus",
        "base_token": feeds_xml.BASE_TOKEN,
        "first_day": FIRST_DAY.isoformat(),
        "days": N_DAYS,
        "feeds": feeds_meta,
        "routes": routes,
        "stats": {
            "pages": len(articles),
            "articles_in_feeds": len(fed_paths),
            "feed_items": sum(int(f["items"]) for f in feeds_meta),  # type: ignore[call-overload]
            "wire_stories": sum(1 for a in articles if a.outlet.key == WIRE),
            "syndicated_copies": len(syndicated),
            "languages": sorted({a.outlet.language for a in articles}),
            "non_english_articles": sum(1 for a in articles if a.outlet.language != "en"),
            "outlets": len({a.outlet.key for a in articles}),
        },
    }
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return manifest


def fingerprint() -> str:
    """A short hash of everything the corpus is generated from."""
    digest = hashlib.sha256()
    files = [DEMO_DIR / name for name in GENERATOR_SOURCES]
    files += sorted((DEMO_DIR / "storylines").glob("*.yaml"))
    for path in files:
        digest.update(path.relative_to(DEMO_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def ensure_built(parent: Path) -> Path:
    """The corpus of this generator under ``parent``, built there first if missing.

    Built in a temporary sibling and renamed into place, so a second process
    starting at the same time never serves a half-written corpus.
    """
    target = parent / f"corpus-{fingerprint()}"
    if (target / "manifest.json").is_file():
        return target
    parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".corpus-", dir=parent))
    try:
        build(scratch / "corpus")
        try:
            os.replace(scratch / "corpus", target)
        except OSError:
            if not (target / "manifest.json").is_file():  # not a lost race: a real error
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args:
        out = Path(args[0])
        manifest = build(out)
    else:
        from newsflow.settings import load

        out = ensure_built(load().data_dir / "demo")
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    print(out, file=sys.stderr)
    print(json.dumps(manifest["stats"], indent=1))


if __name__ == "__main__":
    main()
