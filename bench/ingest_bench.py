"""Ingestion benchmark: newsflow's ingest pass against the naive tutorial loop.

    .venv/bin/python bench/ingest_bench.py                       # no delay and 50 ms
    .venv/bin/python bench/ingest_bench.py --delay-ms 50 --sites 50 --per-feed 45

A server process on 127.0.0.1 serves ``--sites`` news sites (one port each,
as real sites are separate hosts), each with one feed of ``--per-feed``
items: mostly its own articles, some linking to another site's story
(syndication) and some links with ``utm_`` parameters; a few stories are
wire copy republished with small edits (near duplicates).  Pages are as heavy
as real ones: the Zyte benchmark pages (``--zyte-dir``, 50-200 KB) are used as
templates, their text reworded per article so that every article is unique;
without them, heavy pages are synthesised.  ``--delay-ms`` delays every
response (network latency).

For each delay, in the same run:

1. the naive loop (``bench/naive_pipeline.py``) into a fresh database;
2. ``ingest.pipeline.run_ingest`` into another fresh database;
3. newsflow's stages alone (download, extraction, load) on the same pages,
   to show where the end-to-end time goes.

Reported: wall time, feed items/s and articles stored/s, per-stage times,
peak memory (RSS of the pipeline's process tree: the bench process and its
extraction workers; the server and PostgreSQL are excluded).

The database is an embedded PostgreSQL in a temporary directory, or the
server of ``--database-url`` / ``NEWSFLOW_BENCH_DATABASE_URL`` (an admin URL:
databases are created and dropped there).  Nothing under /work/shared is
written; the Zyte pages are only read.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import json
import multiprocessing as mp
import os
import random
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._common import Databases  # noqa: E402  (needs ROOT on sys.path)

DEFAULT_ZYTE = Path(
    os.environ.get("NEWSFLOW_BENCH_ZYTE_DIR", str(ROOT.parent / "shared/eval/extraction/zyte/html"))
)

# ---------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------
VOCAB = [
    "government",
    "minister",
    "council",
    "election",
    "parliament",
    "budget",
    "reform",
    "agreement",
    "talks",
    "ceasefire",
    "border",
    "trade",
    "sanctions",
    "court",
    "ruling",
    "protest",
    "police",
    "army",
    "rebels",
    "summit",
    "envoy",
    "treaty",
    "economy",
    "inflation",
    "prices",
    "market",
    "bank",
    "energy",
    "oil",
    "gas",
    "grain",
    "port",
    "railway",
    "hospital",
    "school",
    "farmers",
    "workers",
    "union",
    "strike",
    "vote",
    "coalition",
    "opposition",
    "president",
    "mayor",
    "governor",
    "region",
    "capital",
    "village",
    "district",
    "officials",
    "spokesman",
    "statement",
    "report",
    "inquiry",
    "investigation",
    "agency",
    "security",
    "attack",
    "drone",
    "missile",
    "refugees",
    "aid",
    "relief",
    "flood",
    "drought",
    "harvest",
    "exports",
    "imports",
    "currency",
    "debt",
    "loan",
    "investors",
    "company",
    "contract",
    "licence",
    "mine",
    "water",
    "climate",
    "storm",
    "fire",
    "announced",
    "rejected",
    "approved",
    "delayed",
    "confirmed",
    "denied",
    "signed",
    "suspended",
    "extended",
    "criticised",
    "welcomed",
    "warned",
    "promised",
    "demanded",
    "accused",
    "praised",
    "questioned",
    "blocked",
    "launched",
]


@dataclass(frozen=True)
class Spec:
    sites: int = 50
    per_feed: int = 45
    syndicated: int = 4  # items per feed that link to another site's story
    utm_rate: float = 0.12  # share of items whose link carries utm_ parameters
    wire_rate: float = 0.05  # share of own articles that are wire copies of another site's
    seed: int = 7
    zyte_dir: str = ""
    min_kb: int = 50
    max_kb: int = 200


def load_templates(spec: Spec) -> list[bytes]:
    """Zyte pages between min_kb and max_kb, or [] when the directory is absent."""
    if not spec.zyte_dir:
        return []
    directory = Path(spec.zyte_dir)
    if not directory.is_dir():
        return []
    out = []
    for path in sorted(directory.glob("*.html.gz")):
        body = gzip.decompress(path.read_bytes())
        if spec.min_kb * 1024 <= len(body) <= spec.max_kb * 1024:
            out.append(body)
    return out


def _reword(text: str, rng: random.Random, rate: float) -> str:
    words = text.split(" ")
    if len(words) < 2:
        return text
    for i, word in enumerate(words):
        if word and rng.random() < rate:
            words[i] = rng.choice(VOCAB)
    return " ".join(words)


def variant(template: bytes, seed: str, rate: float, title: str) -> bytes:
    """The template page with its text reworded (markup untouched) and a new title."""
    from lxml import html as lh

    rng = random.Random(seed)
    tree = lh.document_fromstring(template)
    for meta in tree.iter("meta"):
        if meta.get("charset"):
            meta.set("charset", "utf-8")
        if (meta.get("http-equiv") or "").lower() == "content-type":
            meta.set("content", "text/html; charset=utf-8")
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style"):
            continue
        if el.text and len(el.text) > 3:
            el.text = _reword(el.text, rng, rate)
        if el.tail and len(el.tail) > 3:
            el.tail = _reword(el.tail, rng, rate)
    for el in tree.iter("title", "h1"):
        el.text = title
        for child in list(el):
            el.remove(child)
    return b"<!DOCTYPE html>\n" + lh.tostring(tree, encoding="utf-8")


def synth_page(seed: str, title: str) -> bytes:
    """A heavy news page (~60-150 KB) when no real pages are available."""
    rng = random.Random(seed)

    def sentence() -> str:
        return " ".join(rng.choice(VOCAB) for _ in range(rng.randint(12, 24))).capitalize() + "."

    nav = "".join(f'<li><a href="/section/{i}">{rng.choice(VOCAB)}</a></li>' for i in range(150))
    script = "var cfg = " + json.dumps({f"k{i}": rng.random() for i in range(900)}) + ";"
    style = "".join(f".c{i}{{margin:{i}px;padding:{i % 7}px}}" for i in range(500))
    paras = "".join(
        f"<p>{' '.join(sentence() for _ in range(rng.randint(3, 6)))}</p>"
        for _ in range(rng.randint(8, 16))
    )
    related = "".join(f'<li><a href="/news/r{i}.html">{sentence()}</a></li>' for i in range(30))
    footer = "".join(f'<a href="/f/{i}">{rng.choice(VOCAB)}</a> ' for i in range(120))
    return (
        f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{escape(title)}</title>"
        f"<style>{style}</style><script>{script}</script></head><body>"
        f'<div class="cookie">We use cookies. <button>Accept</button></div>'
        f"<header><nav><ul>{nav}</ul></nav></header><main><article><h1>{escape(title)}</h1>"
        f'<div class="byline">By Staff</div>{paras}</article>'
        f'<aside class="newsletter"><h3>Newsletter</h3><p>{sentence()}</p></aside>'
        f'<section class="related"><ul>{related}</ul></section>'
        f'<section class="comments"><h3>Comments</h3><p>{sentence()}</p></section></main>'
        f"<footer>{footer}</footer></body></html>"
    ).encode()


@dataclass
class Built:
    responses: dict[tuple[int, str], bytes]  # (site, path) -> full HTTP response
    feed_urls: list[str]
    entries: int
    articles: int  # distinct canonical URLs
    wire_copies: int
    utm_links: int
    syndicated_links: int
    page_bytes: int
    source: str


def _response(body: bytes, content_type: str) -> bytes:
    head = (
        f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        "Server: newsflow-bench\r\n\r\n"
    )
    return head.encode() + body


def build(spec: Spec, ports: list[int]) -> Built:
    rng = random.Random(spec.seed)
    templates = load_templates(spec)
    own = spec.per_feed - spec.syndicated
    base = [f"http://127.0.0.1:{port}" for port in ports]
    responses: dict[tuple[int, str], bytes] = {}
    pages: dict[tuple[int, int], bytes] = {}
    titles: dict[tuple[int, int], str] = {}
    wire = 0
    page_bytes = 0
    start = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)
    for s in range(spec.sites):
        for j in range(own):
            n = s * own + j
            title = " ".join(rng.choice(VOCAB) for _ in range(8)).capitalize() + f" {s}-{j}"
            titles[(s, j)] = title
            if templates:
                pages[(s, j)] = variant(
                    templates[n % len(templates)], f"{spec.seed}:{s}:{j}", 0.3, title
                )
            else:
                pages[(s, j)] = synth_page(f"{spec.seed}:{s}:{j}", title)
    # wire copy: another site's story, lightly edited
    for s in range(spec.sites):
        for j in range(own):
            if rng.random() < spec.wire_rate:
                src = ((s + 1 + rng.randrange(spec.sites - 1)) % spec.sites, rng.randrange(own))
                pages[(s, j)] = variant(pages[src], f"wire:{s}:{j}", 0.02, titles[src] + " (wire)")
                titles[(s, j)] = titles[src] + " (wire)"
                wire += 1
    for (s, j), body in pages.items():
        responses[(s, f"/news/{s}-{j}.html")] = _response(body, "text/html; charset=utf-8")
        page_bytes += len(body)
    pages.clear()
    feed_urls = []
    utm = syndicated = entries = 0
    for s in range(spec.sites):
        items = []
        for j in range(own):
            items.append((s, j))
        for _ in range(spec.syndicated):
            other = (s + 1 + rng.randrange(spec.sites - 1)) % spec.sites
            items.append((other, rng.randrange(own)))
            syndicated += 1
        rng.shuffle(items)
        xml_items = []
        for k, (owner, j) in enumerate(items):
            link = f"{base[owner]}/news/{owner}-{j}.html"
            if rng.random() < spec.utm_rate:
                link += f"?utm_source=feed{s}&utm_medium=rss&utm_campaign=c{k}"
                utm += 1
            when = format_datetime(start + timedelta(minutes=37 * k + s))
            xml_items.append(
                f"<item><title>{escape(titles[(owner, j)])}</title><link>{escape(link)}</link>"
                f'<guid isPermaLink="false">site{s}-item{k}</guid><pubDate>{when}</pubDate>'
                f"<description>{escape(titles[(owner, j)])} ...</description></item>"
            )
            entries += 1
        feed = (
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f"<title>Site {s}</title><link>{base[s]}/</link><description>News</description>"
            + "".join(xml_items)
            + "</channel></rss>"
        ).encode()
        responses[(s, "/feed.xml")] = _response(feed, "application/rss+xml; charset=utf-8")
        responses[(s, "/robots.txt")] = _response(
            b"User-agent: *\nDisallow: /private/\n", "text/plain"
        )
        feed_urls.append(f"{base[s]}/feed.xml")
    return Built(
        responses=responses,
        feed_urls=feed_urls,
        entries=entries,
        articles=spec.sites * own,
        wire_copies=wire,
        utm_links=utm,
        syndicated_links=syndicated,
        page_bytes=page_bytes,
        source=f"zyte templates ({len(templates)} pages)" if templates else "synthetic pages",
    )


# ---------------------------------------------------------------------------
# Server process
# ---------------------------------------------------------------------------
_NOT_FOUND = (
    b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nnot found"
)


def serve(spec: Spec, conn: Any, delay: Any) -> None:
    """Bind one port per site, build the corpus, report, and serve until killed."""
    socks = []
    for _ in range(spec.sites):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(512)
        socks.append(sock)
    built = build(spec, [s.getsockname()[1] for s in socks])
    responses = built.responses
    built.responses = {}
    conn.send(built)

    async def handle(site: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    return
                line = head.split(b"\r\n", 1)[0].split(b" ")
                path = line[1].split(b"?", 1)[0].decode("latin-1") if len(line) > 1 else "/"
                wait = delay.value
                if wait:
                    await asyncio.sleep(wait)
                writer.write(responses.get((site, path), _NOT_FOUND))
                await writer.drain()
                if b"connection: close" in head.lower():
                    return
        except ConnectionError:
            return
        finally:
            writer.close()

    async def main() -> None:
        servers = []
        for site, sock in enumerate(socks):
            servers.append(
                await asyncio.start_server(
                    lambda r, w, site=site: handle(site, r, w), sock=sock, limit=65536
                )
            )
        await asyncio.Event().wait()

    asyncio.run(main())


@contextlib.contextmanager
def bench_server(spec: Spec, delay_ms: float) -> Iterator[tuple[Built, Any, int]]:
    ctx = mp.get_context("spawn")
    delay = ctx.Value("d", delay_ms / 1000.0)
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=serve, args=(spec, child, delay), daemon=True)
    proc.start()
    built = parent.recv()
    try:
        yield built, delay, proc.pid
    finally:
        proc.kill()
        proc.join(5)


# ---------------------------------------------------------------------------
# Measurement helpers
# ---------------------------------------------------------------------------
class PeakRss:
    """Peak resident memory of a process and its descendants, sampled every 50 ms."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        import psutil

        total = 0
        procs = [self.root]
        with contextlib.suppress(psutil.Error):
            procs += self.root.children(recursive=True)
        for p in procs:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_child(kind: str, payload: dict[str, Any]) -> tuple[dict[str, Any], float]:
    """Run one pipeline in a fresh process (so memory and CPU are its own).

    Returns (the child's JSON result, peak RSS of its process tree in MB).
    """
    import subprocess

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(payload, f)
        path = f.name
    try:
        proc = subprocess.Popen(
            [sys.executable, __file__, "--child", kind, path],
            stdout=subprocess.PIPE,
            text=True,
        )
        with PeakRss(proc.pid) as mem:
            out, _ = proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError(f"{kind} run failed with exit code {proc.returncode}")
        return json.loads(out.strip().splitlines()[-1]), mem.peak / 2**20
    finally:
        os.unlink(path)


def table_count(url: str, table: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(f"select count(*) from {table}").fetchone()
    return int(row[0]) if row else 0


# ---------------------------------------------------------------------------
# Runs
# ---------------------------------------------------------------------------
@dataclass
class RunReport:
    name: str
    seconds: float
    entries: int
    stored: int
    peak_rss_mb: float
    stages: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def cpu_s(self) -> float:
        """CPU of the run's own processes (pipeline and extraction workers)."""
        return float(self.extra.get("main_process_cpu_s", 0)) + float(
            self.extra.get("workers_cpu_s", 0)
        )

    @property
    def entries_per_s(self) -> float:
        return self.entries / self.seconds if self.seconds else 0.0

    @property
    def stored_per_s(self) -> float:
        return self.stored / self.seconds if self.seconds else 0.0


def newsflow_config(workers: int) -> Any:
    """The ingest config of the environment, with loopback allowed and ``workers`` extractors."""
    from dataclasses import replace

    from newsflow.settings.ingest import ingest_config

    config = ingest_config()
    return replace(
        config,
        http=replace(config.http, allowed_hosts=("127.0.0.1",)),
        extraction=replace(config.extraction, workers=workers),
    )


def run_naive_once(dbs: Databases, built: Built) -> RunReport:
    url = dbs.fresh("naive", migrate=False)
    result, peak = run_child("naive", {"database_url": url, "feed_urls": built.feed_urls})
    stored = table_count(url, "naive_articles")
    return RunReport(
        "naive loop",
        result["seconds"],
        result["entries"],
        stored,
        peak,
        result["stages"],
        {"failed": result["failed"], "main_process_cpu_s": result["cpu_s"]},
    )


def child_naive(payload: dict[str, Any]) -> dict[str, Any]:
    from bench.naive_pipeline import run_naive

    before = os.times()
    result = run_naive(payload["feed_urls"], payload["database_url"])
    after = os.times()
    return {
        "seconds": result.seconds,
        "entries": result.entries,
        "failed": result.failed,
        "stages": result.stages,
        "cpu_s": round(after.user - before.user + after.system - before.system, 1),
    }


def run_newsflow_once(dbs: Databases, built: Built, workers: int) -> RunReport:
    import psycopg

    from ingest.catalog import FeedSpec, upsert_feeds
    from storage import articles

    url = dbs.fresh("newsflow", migrate=True)
    with psycopg.connect(url) as conn:
        upsert_feeds(
            conn, [FeedSpec(name=f"site {i}", url=u) for i, u in enumerate(built.feed_urls)]
        )
    result, peak = run_child("newsflow", {"database_url": url, "workers": workers})
    summary = result["summary"]
    with psycopg.connect(url) as conn:
        stored = articles.profile(conn)
    return RunReport(
        "newsflow run_ingest",
        result["seconds"],
        summary["entries_new"],
        stored.articles,
        peak,
        summary["stage_seconds"],
        {
            "pages_fetched": summary["pages_fetched"],
            "duplicates_exact": summary["duplicates_exact"],
            "duplicates_near": summary["duplicates_near"],
            "pages_failed": summary["pages_failed"],
            "sources": stored.sources,
            "clusters": stored.clusters,
            "with_raw_html": stored.with_raw_html,
            "with_language": stored.with_language,
            "with_published_at": stored.with_published_at,
            "articles_table_size": stored.table_size,
            "main_process_cpu_s": result["cpu_s"],
            "workers_cpu_s": result["children_cpu_s"],
            "main_process_cpu_ms_per_page": round(
                1000 * result["cpu_s"] / max(1, summary["pages_fetched"]), 2
            ),
            "outcomes": summary["outcomes"],
        },
    )


def child_newsflow(payload: dict[str, Any]) -> dict[str, Any]:
    import psutil

    from ingest.pipeline import run_ingest

    config = newsflow_config(payload["workers"])
    me = psutil.Process()
    before = os.times()
    children: dict[int, float] = {}

    def children_cpu() -> None:  # workers are not reaped before we read them: sample
        for p in me.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                t = p.cpu_times()
                children[p.pid] = t.user + t.system

    stop = threading.Event()

    def sampler() -> None:
        while not stop.wait(0.2):
            children_cpu()

    thread = threading.Thread(target=sampler, daemon=True)
    thread.start()
    started = time.perf_counter()
    summary = run_ingest(payload["database_url"], config=config)
    seconds = time.perf_counter() - started
    stop.set()
    thread.join()
    after = os.times()
    return {
        "seconds": seconds,
        "summary": summary.to_dict(),
        "cpu_s": round(after.user - before.user + after.system - before.system, 1),
        "children_cpu_s": round(sum(children.values()), 1),
    }


def run_stages(dbs: Databases, built: Built, workers: int) -> dict[str, Any]:
    url = dbs.fresh("stages", migrate=True)
    result, peak = run_child(
        "stages", {"database_url": url, "workers": workers, "feed_urls": built.feed_urls}
    )
    return {**result, "peak_rss_mb": round(peak)}


def child_stages(payload: dict[str, Any]) -> dict[str, Any]:
    """newsflow's stages one at a time on the same pages: download, extract, load."""
    import psycopg

    from ingest import load
    from ingest.dedup import content_hash, signatures
    from ingest.http import SafeHttpClient
    from ingest.sandbox import ExtractionPool

    workers = payload["workers"]
    feed_urls = payload["feed_urls"]
    urls = sorted({u.rsplit("/", 1)[0] for u in feed_urls})
    # the page URLs: read them back from the feeds through the client
    config = newsflow_config(workers)

    async def fetch_all() -> tuple[float, float, list[tuple[int, bytes, str]]]:
        from ingest.feed_parser import parse_feed

        async with SafeHttpClient(config.http) as client:
            feeds = await asyncio.gather(*(client.fetch(u, kind="feed") for u in feed_urls))
            pages: set[str] = set()
            for f in feeds:
                parsed = parse_feed(f.body, url=f.final_url)
                pages.update(e.canonical_url for e in parsed.entries if e.canonical_url)
            started = time.perf_counter()
            results = await asyncio.gather(*(client.fetch(u, kind="page") for u in sorted(pages)))
            seconds = time.perf_counter() - started
        bodies = [(i, r.body, r.final_url) for i, r in enumerate(results) if r.ok]
        return seconds, sum(len(b) for _, b, _ in bodies) / 2**20, bodies

    fetch_s, mb, bodies = asyncio.run(fetch_all())
    started = time.perf_counter()
    with ExtractionPool(workers=workers, settings=config.extraction) as pool:
        extracted = dict(pool.extract_many(bodies))
    extract_s = time.perf_counter() - started
    url = payload["database_url"]
    now = datetime.now(UTC)
    rows = []
    for key, body, final in bodies:
        art = extracted.get(key)
        if art is None or not art.text:
            continue
        rows.append(
            load.PageLoad(
                final,
                [],
                load.FetchLogRow(kind="page", url=final, outcome="ok", fetched_at=now),
                load.ArticleRow(
                    canonical_url=final,
                    url=final,
                    feed_id=None,
                    host="127.0.0.1",
                    text=art.text,
                    word_count=art.word_count,
                    content_hash=content_hash(art.text),
                    extractor=art.extractor,
                    extractor_version=art.extractor_version,
                    fetched_at=now,
                    title=art.title,
                    language=art.language,
                    raw_html_gz=load.gzip_html(body),
                    http_status=200,
                ),
            )
        )
    del bodies, extracted
    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        for i in range(0, len(rows), 200):
            batch = rows[i : i + 200]
            sigs = signatures([p.article.text for p in batch if p.article])
            for p, sig in zip(batch, sigs, strict=True):
                p.signature = sig
            load.load_batch(conn, batch, now=now)
    load_s = time.perf_counter() - started
    n = len(rows)
    return {
        "pages": n,
        "megabytes": round(mb, 1),
        "hosts": len(urls),
        "download_s": round(fetch_s, 2),
        "download_pages_per_s": round(n / fetch_s, 1) if fetch_s else None,
        "extract_s": round(extract_s, 2),
        "extract_pages_per_s": round(n / extract_s, 1) if extract_s else None,
        "load_s": round(load_s, 2),
        "load_rows_per_s": round(n / load_s, 1) if load_s else None,
    }


def print_report(
    delay_ms: float, naive: RunReport | None, nf: RunReport, stages: Any, load: float
) -> None:
    print(f"\n=== delay {delay_ms:g} ms per response ===")
    rows = [r for r in (naive, nf) if r is not None]
    print(
        f"{'':24}{'wall s':>9}{'items/s':>9}{'stored':>8}{'stored/s':>9}{'peak MB':>9}"
        f"{'CPU s':>8}{'CPU ms/item':>12}"
    )
    for r in rows:
        cpu = r.cpu_s
        print(
            f"{r.name:24}{r.seconds:9.1f}{r.entries_per_s:9.1f}{r.stored:8d}"
            f"{r.stored_per_s:9.1f}{r.peak_rss_mb:9.0f}{cpu:8.1f}{1000 * cpu / r.entries:12.1f}"
        )
    print(f"load average (1 min) before the runs: {load:.1f}, on {os.cpu_count()} cores")
    if naive is not None:
        print(f"speed-up (same feed items, wall time): {naive.seconds / nf.seconds:.2f}x")
        share = {k: f"{v:.1f}s ({v / naive.seconds:.0%})" for k, v in naive.stages.items()}
        print(f"naive stages: {share}")
    print(f"newsflow stages: { {k: round(v, 1) for k, v in nf.stages.items()} }")
    print(f"newsflow extra: {json.dumps(nf.extra, default=str)}")
    if stages:
        print(f"newsflow stages alone: {json.dumps(stages)}")


CHILDREN = {"naive": child_naive, "newsflow": child_newsflow, "stages": child_stages}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:  # one measured run in its own process
        payload = json.loads(Path(argv[2]).read_text())
        print(json.dumps(CHILDREN[argv[1]](payload), default=str))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--delay-ms",
        type=float,
        action="append",
        help="delay every response (repeatable; default: 0 and 50)",
    )
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--per-feed", type=int, default=45)
    parser.add_argument("--syndicated", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="extraction processes")
    parser.add_argument("--zyte-dir", default=str(DEFAULT_ZYTE))
    parser.add_argument("--database-url", default=os.environ.get("NEWSFLOW_BENCH_DATABASE_URL"))
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--skip-stages", action="store_true")
    parser.add_argument("--json", dest="json_out", help="write the figures to this JSON file")
    args = parser.parse_args(argv)
    delays = args.delay_ms or [0.0, 50.0]
    spec = Spec(
        sites=args.sites, per_feed=args.per_feed, syndicated=args.syndicated, zyte_dir=args.zyte_dir
    )

    with contextlib.suppress(ImportError):
        import requests  # noqa: F401
    print(f"building {spec.sites} sites x {spec.per_feed} items ...", flush=True)
    started = time.perf_counter()
    dbs = Databases(args.database_url)
    figures: list[dict[str, Any]] = []
    try:
        with bench_server(spec, delays[0]) as (built, delay, _server_pid):
            print(
                f"corpus: {built.entries} feed items, {built.articles} distinct articles "
                f"({built.wire_copies} wire copies), {built.syndicated_links} syndicated links, "
                f"{built.utm_links} utm_ links, pages of "
                f"{built.page_bytes / built.articles / 1024:.0f} KB on average, {built.source}; "
                f"built in {time.perf_counter() - started:.0f} s",
                flush=True,
            )
            for delay_ms in delays:
                delay.value = delay_ms / 1000.0
                load = os.getloadavg()[0]
                naive = None if args.skip_naive else run_naive_once(dbs, built)
                nf = run_newsflow_once(dbs, built, args.workers)
                stages = None if args.skip_stages else run_stages(dbs, built, args.workers)
                print_report(delay_ms, naive, nf, stages, load)
                figures.append(
                    {
                        "delay_ms": delay_ms,
                        "load_average_before": load,
                        "naive": None
                        if naive is None
                        else {**naive.__dict__, "entries_per_s": naive.entries_per_s},
                        "newsflow": {**nf.__dict__, "entries_per_s": nf.entries_per_s},
                        "speedup": None if naive is None else naive.seconds / nf.seconds,
                        "stages_alone": stages,
                    }
                )
    finally:
        dbs.close()
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(figures, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
