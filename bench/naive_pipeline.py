"""The pipeline a tutorial would write, as the yardstick for ``ingest_bench.py``.

Sequential and trusting: ``feedparser.parse(url)`` fetches each feed itself,
``requests.get`` downloads every entry's link as published (``utm_`` variants
and the same story from several feeds are downloaded and stored again),
``trafilatura.extract`` gets the text, and one ``INSERT`` per row goes into
its own table, committed row by row.  No time-outs beyond ``requests``',
no size caps, no robots.txt, no deduplication, no raw HTML, no metadata.

Instrumented per stage (feed, fetch, extract, insert) so the benchmark can
show where its time goes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import feedparser
import psycopg
import requests
import trafilatura

TABLE = """
create table if not exists naive_articles (
    id serial primary key,
    url text,
    title text,
    published text,
    text text
)
"""


@dataclass
class NaiveResult:
    entries: int = 0
    stored: int = 0
    failed: int = 0
    seconds: float = 0.0
    stages: dict[str, float] = field(
        default_factory=lambda: {"feed": 0.0, "fetch": 0.0, "extract": 0.0, "insert": 0.0}
    )


def run_naive(feed_urls: Sequence[str], database_url: str) -> NaiveResult:
    result = NaiveResult()
    started = time.perf_counter()
    conn = psycopg.connect(database_url)
    cur = conn.cursor()
    cur.execute(TABLE)
    conn.commit()
    for feed_url in feed_urls:
        t = time.perf_counter()
        feed = feedparser.parse(feed_url)
        result.stages["feed"] += time.perf_counter() - t
        for entry in feed.entries:
            result.entries += 1
            t = time.perf_counter()
            try:
                response = requests.get(entry.link, timeout=30)
            except requests.RequestException:
                result.failed += 1
                continue
            result.stages["fetch"] += time.perf_counter() - t
            t = time.perf_counter()
            text = trafilatura.extract(response.text)
            result.stages["extract"] += time.perf_counter() - t
            if not text:
                result.failed += 1
                continue
            t = time.perf_counter()
            cur.execute(
                "INSERT INTO naive_articles (url, title, published, text) VALUES (%s, %s, %s, %s)",
                (entry.link, entry.get("title"), entry.get("published"), text),
            )
            conn.commit()
            result.stages["insert"] += time.perf_counter() - t
            result.stored += 1
    conn.close()
    result.seconds = time.perf_counter() - started
    return result
