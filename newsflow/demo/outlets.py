"""The demo's news outlets and their feeds (all invented; domains under ``.example``).

An outlet has a look (``layout``), the storylines it covers, and a feed format.
The wire agency writes the stories that other outlets syndicate.  Two feeds
misbehave on purpose: one is slow (the server waits before answering) and one
is broken (its feed address now returns the outlet's home page, as happens
after a site redesign), so the demo shows how failures are recorded.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outlet:
    key: str  # URL path prefix on the demo server
    name: str
    domain: str  # canonical domain printed in <link rel=canonical>
    country: str  # ISO 3166-1 alpha-3 of the outlet
    language: str
    layout: str  # broadsheet | wire | modern | regional
    stories: tuple[str, ...]
    # local hour of the first article of the day; chosen so that the UTC date is the
    # local date too ("on Tuesday" in a Tuesday article must not read as a Monday one)
    publish_hour: int
    utc_offset: str = "+00:00"
    syndicates: bool = False  # republishes wire copy
    reporters: tuple[str, ...] = ()
    tagline: str = ""


@dataclass(frozen=True)
class Feed:
    key: str
    outlet: str
    name: str
    path: str  # where the demo server serves it
    format: str  # rss20 | rss10 | atom10 | html (broken)
    tags: tuple[str, ...]
    poll_interval_s: int = 900
    delay_s: float = 0.0  # server delay before answering (the slow feed)
    behaviour: str = "ok"  # ok | slow | broken
    utm: str = ""  # tracking parameters appended to every item link
    only_stories: tuple[str, ...] = ()  # a section feed: only these storylines


WIRE = "gws"

OUTLETS: tuple[Outlet, ...] = (
    Outlet(
        key="gws",
        name="Global Wire Service",
        domain="www.globalwire.example",
        country="GBR",
        language="en",
        layout="wire",
        stories=(
            "caucasus",
            "sudan",
            "sanctions",
            "georgia",
            "mozambique",
            "lebanon",
            "asia",
            "korea",
        ),
        publish_hour=6,
        reporters=("Hannah Okafor", "Tomas Varga", "Priya Raman", "Leila Haddad"),
        tagline="Independent news agency",
    ),
    Outlet(
        key="meridian-times",
        name="The Meridian Times",
        domain="www.meridiantimes.example",
        country="GBR",
        language="en",
        layout="broadsheet",
        stories=("caucasus", "georgia", "sanctions"),
        publish_hour=9,
        syndicates=True,
        reporters=("Edward Linton", "Clara Ashworth", "Samir Patel"),
        tagline="News, analysis and opinion since 1887",
    ),
    Outlet(
        key="continental-observer",
        name="Continental Observer",
        domain="www.continentalobserver.example",
        country="BEL",
        language="en",
        layout="broadsheet",
        stories=("caucasus", "georgia", "sanctions", "lebanon"),
        publish_hour=10,
        utc_offset="+01:00",
        syndicates=True,
        reporters=("Lieve Janssens", "Marco Bellini", "Agnieszka Nowak"),
        tagline="Europe's independent newsroom",
    ),
    Outlet(
        key="daily-ledger",
        name="The Daily Ledger",
        domain="www.dailyledger.example",
        country="USA",
        language="en",
        layout="modern",
        stories=("sanctions", "korea", "lebanon", "sudan"),
        publish_hour=8,
        utc_offset="-05:00",
        syndicates=True,
        reporters=("Rachel Monroe", "David Kim", "Luis Ortega"),
        tagline="Clear reporting for busy people",
    ),
    Outlet(
        key="harbour-post",
        name="Harbour Post",
        domain="www.harbourpost.example",
        country="AUS",
        language="en",
        layout="modern",
        stories=("asia", "korea", "mozambique"),
        publish_hour=15,
        utc_offset="+11:00",
        syndicates=True,
        reporters=("Mia Thornton", "Jack Nguyen", "Olivia Brennan"),
        tagline="Australia and the world",
    ),
    Outlet(
        key="gulf-dispatch",
        name="Gulf Dispatch",
        domain="www.gulfdispatch.example",
        country="ARE",
        language="en",
        layout="regional",
        stories=("lebanon", "sanctions", "sudan"),
        publish_hour=11,
        utc_offset="+04:00",
        syndicates=True,
        reporters=("Omar Al-Rashid", "Sara Nasser", "Yusuf Karim"),
        tagline="The region's news in English",
    ),
    Outlet(
        key="sahel-monitor",
        name="Sahel & Horn Monitor",
        domain="www.sahelmonitor.example",
        country="KEN",
        language="en",
        layout="regional",
        stories=("sudan", "mozambique"),
        publish_hour=9,
        utc_offset="+03:00",
        reporters=("Wanjiru Kamau", "Abdi Hassan", "Grace Achieng"),
        tagline="Reporting from East and Central Africa",
    ),
    Outlet(
        key="pacific-courier",
        name="Pacific Courier",
        domain="www.pacificcourier.example",
        country="NZL",
        language="en",
        layout="modern",
        stories=("asia", "korea"),
        publish_hour=18,
        utc_offset="+13:00",
        syndicates=True,
        reporters=("Aroha Walker", "Ben Fletcher"),
        tagline="News from across the Pacific",
    ),
    Outlet(
        key="el-correo-global",
        name="El Correo Global",
        domain="www.elcorreoglobal.example",
        country="ESP",
        language="es",
        layout="regional",
        stories=(),
        publish_hour=10,
        utc_offset="+01:00",
        reporters=("Lucía Fernández", "Javier Morales"),
        tagline="Información internacional",
    ),
    Outlet(
        key="northern-gazette",
        name="Northern Gazette",
        domain="www.northerngazette.example",
        country="CAN",
        language="en",
        layout="broadsheet",
        stories=(),
        publish_hour=8,
        reporters=("Staff",),
        tagline="Your community, your news",
    ),
)

FEEDS: tuple[Feed, ...] = (
    Feed(
        "gws-world", "gws", "Global Wire Service: World", "/gws/rss/world.xml", "rss20", ("wire",)
    ),
    Feed(
        "meridian-world",
        "meridian-times",
        "The Meridian Times: World",
        "/meridian-times/world/rss.xml",
        "rss20",
        ("europe",),
    ),
    Feed(
        "meridian-top",
        "meridian-times",
        "The Meridian Times: Top stories",
        "/meridian-times/top/rss.xml",
        "rss20",
        ("europe", "top"),
        utm="utm_source=rss&utm_medium=feed&utm_campaign=top",
        only_stories=("caucasus", "georgia"),
    ),
    Feed(
        "continental-europe",
        "continental-observer",
        "Continental Observer: Europe",
        "/continental-observer/feeds/europe.atom",
        "atom10",
        ("europe",),
    ),
    Feed(
        "ledger-world",
        "daily-ledger",
        "The Daily Ledger: World",
        "/daily-ledger/world/feed/",
        "rss20",
        ("americas",),
        utm="utm_source=dailyledger_rss",
    ),
    Feed(
        "harbour-world",
        "harbour-post",
        "Harbour Post: World",
        "/harbour-post/world/atom.xml",
        "atom10",
        ("asia-pacific",),
    ),
    Feed(
        "gulf-region",
        "gulf-dispatch",
        "Gulf Dispatch: Region",
        "/gulf-dispatch/region/feed.atom",
        "atom10",
        ("middle-east",),
    ),
    Feed(
        "sahel-news",
        "sahel-monitor",
        "Sahel & Horn Monitor",
        "/sahel-monitor/index.rdf",
        "rss10",
        ("africa",),
    ),
    Feed(
        "correo-internacional",
        "el-correo-global",
        "El Correo Global: Internacional",
        "/el-correo-global/internacional/rss.xml",
        "rss20",
        ("es",),
    ),
    Feed(
        "pacific-world",
        "pacific-courier",
        "Pacific Courier: World (slow server)",
        "/pacific-courier/world/rss.xml",
        "rss20",
        ("asia-pacific", "slow"),
        delay_s=3.0,
        behaviour="slow",
    ),
    Feed(
        "northern-world",
        "northern-gazette",
        "Northern Gazette: World (broken feed)",
        "/northern-gazette/world/feed.xml",
        "html",
        ("broken",),
        behaviour="broken",
    ),
)


def outlet(key: str) -> Outlet:
    for item in OUTLETS:
        if item.key == key:
            return item
    raise KeyError(key)
