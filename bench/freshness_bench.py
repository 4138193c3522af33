"""Freshness under a running scheduler: publication → ``fct_event_mentions`` → the marts.

Airflow's real services (API server, scheduler, DAG processor, triggerer,
LocalExecutor; started by ``tests.dags.stack.AirflowStack``, as
``bench/airflow_bench.py --scheduler`` and ``tests/dags/test_scheduler.py``
do) run ``news_ingest`` on its cron schedule and ``news_annotate`` and
``news_transform`` on their Assets, nothing triggered by hand, against a
loopback newsroom whose feeds gain items while the bench runs:

- the newsroom serves the demo corpus' 120 article pages (nine outlets'
  layouts, storylines the event coder codes), each padded with the inline
  scripts, styles, navigation and footer links real pages carry to
  ``--page-kb`` (100 KB by default: the Zyte pages of the ingest bench weigh
  50-200 KB);
- every ``--interval`` seconds (30) it publishes ``--per-tick`` items (3) in
  one of ``--feeds`` RSS feeds (4) with ``pubDate`` = now, for ``--minutes``
  (20; ``--minutes 3`` is a smoke run), then stops publishing and waits at
  most ``--drain-minutes`` for the pipeline to catch up;
- every ``--sample-s`` seconds (3) the bench looks at the warehouse: when each
  item's article landed (``raw.articles.loaded_at``), when it was annotated
  (``raw.annotated_articles.annotated_at``), the first sample its rows were
  in ``marts.fct_event_mentions``, and the first sample ``mart_daily_events``
  had been rebuilt after them (its ``watermark_xmin``, the snapshot of the
  transaction that wrote it, passed the item's rows'): the mart recounts the
  days a build touched, so from then on the item is counted.

Reported: p50/p95/max of publication → ``fct_event_mentions`` and →
``mart_daily_events``, and of each stage (publication → loaded: the ingest
schedule and the ingest run; loaded → annotated: Asset triggering and
annotation; annotated → fct: Asset triggering and dbt), the DAG runs and
their durations.  The Airflow services are stopped (by process group) and the
databases dropped at the end, whatever happens.

    PYTHONPATH=. .venv/bin/python bench/freshness_bench.py --minutes 3      # smoke run
    nohup env PYTHONPATH=. .venv/bin/python bench/freshness_bench.py > fresh.log 2>&1 &

Writes ``bench/results/freshness_bench.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import Databases  # noqa: E402
from newsflow.airflow_home import LocalAirflow, metadata_database_url  # noqa: E402
from newsflow.demo.feeds_xml import Item, rss20  # noqa: E402
from newsflow.demo.server import Corpus  # noqa: E402
from newsflow.loopback import LoopbackServer, Route  # noqa: E402
from storage.connection import connect  # noqa: E402
from storage.monitoring import landing_times  # noqa: E402
from tests.dags.stack import AirflowStack, Metadata, free_port, port_open, wait_for  # noqa: E402

CHAIN = ("news_ingest", "news_annotate", "news_transform")
COMPONENTS = ["api-server", "scheduler", "dag-processor", "triggerer"]
_TITLE = re.compile(rb'<meta property="og:title" content="([^"]*)"')


# --------------------------------------------------------------------------
# the newsroom
# --------------------------------------------------------------------------
def weigh(page: bytes, kb: int, seed: str) -> bytes:
    """The page with the inline scripts, styles and link lists of a real site, to ``kb``."""
    missing = kb * 1024 - len(page)
    if missing <= 0:
        return page
    rng = random.Random(seed)
    config = {f"slot_{i}": {"id": rng.randrange(10**9), "w": rng.random()} for i in range(60)}
    script = "window.__cfg = " + json.dumps(config) + ";"
    style = "".join(
        f".m{i}{{margin:{i % 17}px;color:#{rng.randrange(4096):03x}}}" for i in range(80)
    )
    links = "".join(
        f'<li><a href="/topic/{rng.randrange(10**6)}">Topic {i}</a></li>' for i in range(40)
    )
    head, body = f"<style>{style}</style><script>{script}</script>", f"<ul class=mega>{links}</ul>"
    unit = len(head) + len(body)
    n = max(1, missing // unit)
    page = page.replace(b"</head>", (head * n).encode() + b"</head>", 1)
    return page.replace(b"</body>", (body * n).encode() + b"</body>", 1)


@dataclass
class Published:
    link: str
    feed: int
    at: float  # time.time() when the item appeared in its feed


@dataclass
class Newsroom:
    """Pages of the demo corpus, released into ``feeds`` RSS feeds a few at a time."""

    feeds: int
    page_kb: int
    server: LoopbackServer = field(default_factory=lambda: LoopbackServer({}, port=free_port()))
    pages: list[tuple[str, str]] = field(default_factory=list)  # (path, title), not yet published
    published: list[Published] = field(default_factory=list)
    _items: dict[int, list[Item]] = field(default_factory=dict)

    def start(self) -> Newsroom:
        corpus = Corpus()
        base = self.server.base_url
        token = corpus.manifest["base_token"].encode()
        for r in corpus.manifest["routes"]:
            if not r["content_type"].startswith("text/html") or not r["path"].endswith(".html"):
                continue
            body = (corpus.root / r["file"]).read_bytes().replace(token, base.encode())
            match = _TITLE.search(body)
            title = match.group(1).decode() if match else r["path"]
            self.server.routes[r["path"]] = Route(
                body=weigh(body, self.page_kb, r["path"]), content_type=r["content_type"]
            )
            self.pages.append((r["path"], title))
        self.server.routes["/robots.txt"] = Route(
            body=b"User-agent: *\n", content_type="text/plain"
        )
        random.Random(12).shuffle(self.pages)
        for k in range(self.feeds):
            self._items[k] = []
            self._render(k)
        self.server.start()
        return self

    def feed_url(self, k: int) -> str:
        return self.server.url(f"/fresh/{k}.xml")

    def _render(self, k: int) -> None:
        items = sorted(self._items[k], key=lambda i: i.published, reverse=True)[:40]
        xml = rss20(f"Fresh {k}", self.server.base_url, "en", items, ttl=1)
        self.server.routes[f"/fresh/{k}.xml"] = Route(
            body=xml.encode(), content_type="application/rss+xml; charset=utf-8"
        )

    def publish(self, n: int) -> int:
        """Put the next ``n`` pages in the feeds (round robin); how many were left."""
        for _ in range(min(n, len(self.pages))):
            path, title = self.pages.pop(0)
            k = len(self.published) % self.feeds
            now = datetime.now(UTC)
            link = self.server.url(path)
            self._items[k].append(
                Item(
                    guid=link,
                    link=link,
                    title=title,
                    summary=title,
                    published=now,
                    author="Desk",
                    category="World",
                )
            )
            self._render(k)
            self.published.append(Published(link=link, feed=k, at=now.timestamp()))
        return len(self.pages)

    def stop(self) -> None:
        self.server.stop()


def register(url: str, room: Newsroom, poll_interval_s: int) -> None:
    from ingest.catalog import FeedSpec, upsert_feeds

    specs = [
        FeedSpec(
            name=f"Fresh {k}",
            url=room.feed_url(k),
            language="en",
            country="GBR",
            tags=("bench",),
            poll_interval_s=poll_interval_s,
        )
        for k in range(room.feeds)
    ]
    with connect(url) as conn:
        upsert_feeds(conn, specs)
        conn.commit()


# --------------------------------------------------------------------------
# watching the warehouse
# --------------------------------------------------------------------------
@dataclass
class Seen:
    loaded: float | None = None
    annotated: float | None = None
    fct: float | None = None
    fct_xmin: int | None = None
    mart: float | None = None
    duplicate: bool = False  # an exact copy of an earlier article: not annotated again


def _relation(conn: psycopg.Connection[Any], name: str) -> bool:
    return conn.execute("select to_regclass(%s) is not null", (name,)).fetchone()[0]  # type: ignore[index]


def sample(url: str, links: list[str], seen: dict[str, Seen]) -> None:
    """One look at the warehouse: stamp what each item reached since the last look."""
    now = time.time()
    with connect(url, autocommit=True) as conn:
        rows = landing_times(conn, links)
        ids = {r[0]: r[1] for r in rows}
        for link, _, loaded, duplicate, annotated in rows:
            item = seen.setdefault(link, Seen())
            item.duplicate = bool(duplicate)
            item.loaded = item.loaded or (float(loaded) if loaded else None)
            item.annotated = item.annotated or (float(annotated) if annotated else None)
        if not _relation(conn, "marts.fct_event_mentions"):
            return
        fct = dict(
            conn.execute(
                "select article_id, max(watermark_xmin) from marts.fct_event_mentions"
                " where article_id = any(%s) group by article_id",
                (list(ids.values()),),
            ).fetchall()
        )
        mart_xmin = None
        if _relation(conn, "marts.mart_daily_events"):
            mart_xmin = conn.execute(
                "select max(watermark_xmin) from marts.mart_daily_events"
            ).fetchone()[0]  # type: ignore[index]
    for link, article_id in ids.items():
        item = seen[link]
        if item.fct is None and article_id in fct:
            item.fct, item.fct_xmin = now, int(fct[article_id])
        rebuilt = mart_xmin is not None and item.fct_xmin is not None
        if item.mart is None and rebuilt and int(mart_xmin) > item.fct_xmin:  # type: ignore[operator]
            item.mart = now


def _stats(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"n": 0}
    ordered = sorted(values)

    def q(p: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, math.ceil(p * len(ordered)) - 1))]

    return {
        "n": len(values),
        "p50_s": round(statistics.median(ordered), 1),
        "p95_s": round(q(0.95), 1),
        "max_s": round(ordered[-1], 1),
    }


def _last_transform(meta: Metadata) -> float:
    """When the last successful ``news_transform`` run ended (epoch s), or 0."""
    rows = meta.query(
        "select extract(epoch from max(end_date)) from dag_run"
        " where dag_id = 'news_transform' and state = 'success'"
    )
    return float(rows[0][0]) if rows and rows[0][0] is not None else 0.0


def _settled(item: Seen | None, last_transform: float) -> bool:
    """Counted in the mart, or annotated, transformed since, and without a coded event."""
    if item is None:
        return False
    if item.mart is not None or item.duplicate:
        return True
    return item.fct is None and item.annotated is not None and item.annotated < last_transform


def summarise(room: Newsroom, seen: dict[str, Seen]) -> dict[str, Any]:
    spans: dict[str, list[float]] = {k: [] for k in (
        "publication_to_fct", "publication_to_mart", "publication_to_loaded",
        "loaded_to_annotated", "annotated_to_fct", "fct_to_mart")}  # fmt: skip
    never = {"loaded": 0, "annotated": 0, "fct": 0, "mart": 0}
    duplicates = sum(1 for p in room.published if seen.get(p.link, Seen()).duplicate)
    for p in room.published:
        s = seen.get(p.link, Seen())
        for stage in never:
            if getattr(s, stage) is None:
                never[stage] += 1
        if s.loaded:
            spans["publication_to_loaded"].append(s.loaded - p.at)
        if s.loaded and s.annotated:
            spans["loaded_to_annotated"].append(s.annotated - s.loaded)
        if s.fct:
            spans["publication_to_fct"].append(s.fct - p.at)
            if s.annotated:
                spans["annotated_to_fct"].append(s.fct - s.annotated)
        if s.mart:
            spans["publication_to_mart"].append(s.mart - p.at)
            if s.fct:
                spans["fct_to_mart"].append(s.mart - s.fct)
    return {
        "published": len(room.published),
        "never_reached": never,
        "exact_duplicates": duplicates,  # never annotated: their original was
        **{name: _stats(values) for name, values in spans.items()},
    }


def dag_runs(meta: Metadata) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for dag_id in CHAIN:
        rows = meta.query(
            "select state, extract(epoch from end_date - start_date),"
            " extract(epoch from start_date - queued_at) from dag_run where dag_id = %s",
            (dag_id,),
        )
        done = [float(r[1]) for r in rows if r[1] is not None]
        waits = [float(r[2]) for r in rows if r[2] is not None]
        out[dag_id] = {
            "runs": len(rows),
            "states": {s: sum(1 for r in rows if r[0] == s) for s in {r[0] for r in rows}},
            "run_s": _stats(done),
            "queued_s": _stats(waits),
        }
    return out


# --------------------------------------------------------------------------
# the run
# --------------------------------------------------------------------------
def run(args: argparse.Namespace, dbs: Databases, work: Path) -> dict[str, Any]:
    url = dbs.fresh("fresh")
    meta_url = dbs.fresh("fresh_af", migrate=False)
    local = LocalAirflow(
        database_url=url,
        data_dir=work / "data",
        home=work / "airflow",
        port=free_port(),
        paused_at_creation=True,
        parallelism=args.parallelism,
        metadata_url=metadata_database_url(meta_url, urlsplit(meta_url).path.lstrip("/")),
    )
    local.home.mkdir(parents=True)
    settings = {
        "NEWSFLOW_INGEST_SCHEDULE": args.schedule,
        "NEWSFLOW_ALLOWED_HOSTS": "127.0.0.1",
        "NEWSFLOW_RETRY_DELAY": "5",
        "NEWSFLOW_MAX_RETRY_DELAY": "30",
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "30",
        **dict(kv.split("=", 1) for kv in args.env),
    }
    env = local.environment({**os.environ, **settings})
    env.update(settings)
    env["PYTHONPATH"] = str(ROOT)
    local.migrate(env)
    os.environ["NEWSFLOW_DATA_DIR"] = str(work / "data")
    # The static layers (seeds, staging, lookups) are built once at deployment,
    # as `newsflow transform` or the first news_transform would; not timed.
    from newsflow.orchestration import tasks

    print(f"static layers: {tasks.static_layers(url)}", file=sys.stderr, flush=True)

    room = Newsroom(feeds=args.feeds, page_kb=args.page_kb).start()
    register(url, room, args.poll_interval_s)
    meta = Metadata(local.metadata_url)
    stack = AirflowStack(env, args.log_dir or work / "logs", COMPONENTS)
    seen: dict[str, Seen] = {}
    result: dict[str, Any] = {"settings": {**vars(args), "log_dir": str(args.log_dir or "")}}
    started = time.monotonic()
    try:
        stack.start()
        wait_for(lambda: port_open(local.port), timeout=300, what="the API server")
        wait_for(lambda: meta.dags() >= set(CHAIN), timeout=300, what="the DAGs parsed")
        stack.cli(
            "dags", "unpause", "--treat-dag-id-as-regex", "-y", "^news_(ingest|annotate|transform)$"
        )
        print(
            f"stack up in {time.monotonic() - started:.0f}s; publishing",
            file=sys.stderr,
            flush=True,
        )
        t0 = time.monotonic()
        publish_until = t0 + args.minutes * 60
        drain_until = publish_until + args.drain_minutes * 60
        next_tick = t0
        last_report = t0
        while True:
            now = time.monotonic()
            if now >= next_tick and now < publish_until:
                room.publish(args.per_tick)
                next_tick += args.interval
            stack.check_alive()
            links = [p.link for p in room.published]
            if links:
                sample(url, links, seen)
            done = sum(1 for link in links if seen.get(link, Seen()).mart)
            if now - last_report >= 60:
                last_report = now
                fct = sum(1 for link in links if seen.get(link, Seen()).fct)
                print(f"{(now - t0) / 60:5.1f} min: published {len(links)}, in fct {fct},"
                      f" in mart {done}", file=sys.stderr, flush=True)  # fmt: skip
            if now >= publish_until and (
                all(_settled(seen.get(link), _last_transform(meta)) for link in links)
                or now >= drain_until
            ):
                break
            time.sleep(args.sample_s)
        result["publishing_s"] = round(min(time.monotonic(), publish_until) - t0, 1)
        result["total_s"] = round(time.monotonic() - t0, 1)
        result["freshness"] = summarise(room, seen)
        result["dag_runs"] = dag_runs(meta)
    finally:
        stack.stop()
        room.stop()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=20, help="how long items are published")
    parser.add_argument("--drain-minutes", type=float, default=12, help="most wait afterwards")
    parser.add_argument("--interval", type=float, default=30, help="seconds between releases")
    parser.add_argument("--per-tick", type=int, default=3, help="items per release")
    parser.add_argument("--feeds", type=int, default=4)
    parser.add_argument("--page-kb", type=int, default=100)
    parser.add_argument("--schedule", default="*/2 * * * *", help="NEWSFLOW_INGEST_SCHEDULE")
    parser.add_argument("--poll-interval-s", type=int, default=60, help="the feeds' poll interval")
    parser.add_argument("--parallelism", type=int, default=4)
    parser.add_argument("--sample-s", type=float, default=3)
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for Airflow")
    parser.add_argument("--admin-url", default=os.environ.get("NEWSFLOW_BENCH_ADMIN_URL"))
    parser.add_argument("--log-dir", type=Path, help="keep the Airflow services' logs here")
    args = parser.parse_args(argv)
    # nohup'd in the background SIGINT is ignored: SIGTERM must still run the clean-up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="newsflow-fresh-") as tmp:
        work = Path(tmp)
        os.chmod(work, 0o755)
        with Databases(args.admin_url, prefix="newsflow-fresh-pg-") as dbs:
            result = run(args, dbs, work)
    result["load_avg"] = {"start": round(load_start, 1), "end": round(os.getloadavg()[0], 1)}
    out = ROOT / "bench" / "results" / "freshness_bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str))
    print(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
