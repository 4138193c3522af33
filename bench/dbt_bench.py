"""Warehouse benchmark: a full dbt build on 10,000 annotated articles, then an
incremental build after 500 more.

The raw rows are synthetic but shaped like production (a 600-800 word
political story, as in the ingestion benchmark's pages): per article 20-40
sentences, 40 actor mentions (dictionary keys, nationality + role phrases,
person aliases, capital metonyms, unknown names) and 12 event candidates with
predicates from the codebook (some reported, speculative or negated), 10%
of the articles syndicated copies of an earlier one. The history was loaded
and annotated over the previous 60 days; new articles arrive now.

Three timed runs, after a ``dbt parse`` so all use the partial-parse cache:
``dbt build --full-refresh`` on the history; ``dbt build`` (everything: seeds,
lookups, views, unit and data tests, incremental models) after 500 new
articles; ``dbt build --selector frequent`` (what runs after each annotation
batch: incremental models and what is built on them, with their data tests
on the rows the batch wrote) after each of three more batches of 500, of
which the median is reported.

    .venv/bin/python bench/dbt_bench.py [--articles 10000] [--new 500] [--repeat 3]

Uses ``NEWSFLOW_DATABASE_URL``'s server when set (a new database is created
and dropped there), else a throw-away embedded server.  Results are printed
and written to ``bench/results/dbt_bench.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsflow.db.migrate import apply_migrations  # noqa: E402
from newsflow.dbt_runner import run_dbt  # noqa: E402
from newsflow.settings import load  # noqa: E402
from storage import synthetic  # noqa: E402
from storage.connection import connect  # noqa: E402

COUNTRIES = [
    ("SYR", "Syria", "Syrian", "Damascus"),
    ("IRN", "Iran", "Iranian", "Tehran"),
    ("IRQ", "Iraq", "Iraqi", "Baghdad"),
    ("TUR", "Turkey", "Turkish", "Ankara"),
    ("RUS", "Russia", "Russian", "Moscow"),
    ("USA", "United States", "American", "Washington"),
    ("ISR", "Israel", "Israeli", "Jerusalem"),
    ("LBN", "Lebanon", "Lebanese", "Beirut"),
    ("JOR", "Jordan", "Jordanian", "Amman"),
    ("EGY", "Egypt", "Egyptian", "Cairo"),
    ("SAU", "Saudi Arabia", "Saudi", "Riyadh"),
    ("UKR", "Ukraine", "Ukrainian", "Kyiv"),
    ("CHN", "China", "Chinese", "Beijing"),
    ("FRA", "France", "French", "Paris"),
    ("DEU", "Germany", "German", "Berlin"),
    ("GBR", "United Kingdom", "British", "London"),
]
ROLES = [
    "officials",
    "army",
    "security forces",
    "militia fighters",
    "rebels",
    "protesters",
    "police",
    "lawmakers",
    "foreign ministry",
    "troops",
]
PEOPLE = ["Assad", "Araghchi", "Hakan Fidan", "Erdogan", "Putin", "Netanyahu", "Zelensky"]
PREDICATES = [
    "meet with",
    "visit",
    "hold talks with",
    "join talks with",
    "agree to",
    "sign",
    "help",
    "provide aid to",
    "cooperate with",
    "withdraw from",
    "release",
    "lift sanctions on",
    "demand",
    "accuse",
    "criticize",
    "reject",
    "threaten",
    "protest against",
    "deploy troops to",
    "impose sanctions on",
    "arrest",
    "attack",
    "kill",
    "shell",
    "invade",
    "investigate",
    "say",
    "announce",
    "cross into",
    "urge",
]
#: per article, as the rules annotator finds them in a 600-800 word political story
MENTIONS = 40
EVENTS = 12
MODALITIES = (
    ["asserted"] * 14 + ["reported"] * 4 + ["speculative", "hypothetical", "intended", "demanded"]
)


def _with_database(url: str, database: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + database))


def generate(
    conn: psycopg.Connection, n: int, start_id: int, now: datetime, seed: int, *, recent: bool
) -> None:
    """Insert n annotated articles with COPY; ids from start_id on.

    The history (``recent=False``) was seen, loaded and annotated over the 60
    days before ``now``; a recent batch arrives in the last half hour, as a
    new poll would deliver it.
    """
    rnd = random.Random(seed)
    version = "bench-1"
    feeds = synthetic.feed_ids(conn)
    articles, annotated, sentences, mentions, events = [], [], [], [], []
    for i in range(start_id, start_id + n):
        if recent:
            first_seen = now - timedelta(minutes=rnd.randint(0, 30))
            published = first_seen - timedelta(minutes=rnd.randint(1, 2880))
        else:
            first_seen = now - timedelta(days=rnd.randint(1, 60), minutes=rnd.randint(0, 1440))
            published = first_seen - timedelta(minutes=rnd.randint(1, 120))
        cluster = i if i == start_id or rnd.random() > 0.1 else rnd.randint(start_id, i - 1)
        host = f"site{rnd.randint(1, 40)}.test"
        n_sent = rnd.randint(20, 40)
        texts = []
        article_mentions: list[tuple[int, int]] = []  # (mention index, sentence)
        for s in range(n_sent):
            texts.append(f"Sentence {s} of synthetic article {i} about regional politics.")
        text = " ".join(texts)
        articles.append(
            (
                i,
                f"http://bench.test/a/{i}",
                f"http://bench.test/a/{i}",
                rnd.choice(feeds),
                f"Article {i}",
                published,
                host,
                text,
                len(text.split()),
                f"h{i}",
                cluster,
                "bench",
                "1",
                first_seen,
                first_seen,
                first_seen,
                first_seen,
            )
        )
        annotated_at = min(now, first_seen + timedelta(minutes=5))
        annotated.append((i, version, "ok", "en", "rules", n_sent, MENTIONS, EVENTS, annotated_at))
        offset = 0
        for s, t in enumerate(texts):
            sentences.append((i, version, s, offset, offset + len(t), t))
            offset += len(t) + 1
        for m in range(MENTIONS):
            s = rnd.randrange(n_sent)
            code, name, adjective, capital = rnd.choice(COUNTRIES)
            kind = rnd.random()
            key = nationality = role = sponsor = None
            metonym = False
            label = "GPE"
            if kind < 0.35:
                surface, key = name, code
            elif kind < 0.65:
                role = rnd.choice(ROLES)
                surface, nationality, label = f"{adjective} {role}", adjective, "NORP"
                if role == "militia fighters" and rnd.random() < 0.5:
                    sponsor = "Iran"
            elif kind < 0.8:
                surface, label = rnd.choice(PEOPLE), "PERSON"
            elif kind < 0.9:
                surface, metonym = capital, True
            else:
                surface, label = f"Brigade {rnd.randint(1, 300)}", "ORG"
            mentions.append(
                (
                    i,
                    version,
                    m,
                    s,
                    0,
                    len(surface),
                    surface,
                    label,
                    "rules",
                    key,
                    metonym,
                    nationality,
                    role,
                    sponsor,
                )
            )
            article_mentions.append((m, s))
        for e in range(EVENTS):
            src, s = rnd.choice(article_mentions)
            tgt = rnd.choice([m for m, _ in article_mentions if m != src])
            predicate = rnd.choice(PREDICATES)
            modality = rnd.choice(MODALITIES)
            events.append(
                (
                    i,
                    version,
                    e,
                    s,
                    0,
                    5,
                    predicate.split()[0],
                    predicate.split()[0],
                    predicate,
                    [src],
                    [tgt] if rnd.random() < 0.85 else [],
                    src if modality == "demanded" else None,
                    rnd.random() < 0.05,
                    modality,
                    rnd.random() < 0.05,
                    (published - timedelta(days=rnd.randint(0, 2))).date(),
                    round(rnd.uniform(0.4, 1.0), 2),
                )
            )
    synthetic.copy_annotated_articles(
        conn,
        articles=articles,
        annotated=annotated,
        sentences=sentences,
        actor_mentions=mentions,
        event_mentions=events,
    )
    conn.commit()


#: the models that take only what changed; their time is the data work of a run
INCREMENTAL_MODELS = (
    "int_actor_mentions_resolved",
    "int_event_mentions_coded",
    "fct_event_mentions",
    "fct_events",
)


def _slowest(target: Path, n: int = 8) -> dict[str, float]:
    """The slowest nodes of the last run (run_results.json), for the README."""
    data = json.loads((target / "run_results.json").read_text())
    results = sorted(data["results"], key=lambda r: -r["execution_time"])[:n]
    return {r["unique_id"].split(".")[-1][:60]: round(r["execution_time"], 2) for r in results}


def _build(url: str, target: Path, *args: str) -> tuple[float, dict[str, object]]:
    result = run_dbt(["build", *args], database_url=url, capture=True, target_path=target)
    if not result.success:
        print(result.output[-4000:], file=sys.stderr)
        raise SystemExit(f"dbt build {' '.join(args)} failed")
    data = json.loads((target / "run_results.json").read_text())
    nodes = {
        "counts": result.counts,
        "node_seconds": round(sum(r["execution_time"] for r in data["results"]), 1),
        "incremental_models_s": round(
            sum(
                r["execution_time"]
                for r in data["results"]
                if r["unique_id"].split(".")[-1] in INCREMENTAL_MODELS
            ),
            1,
        ),
        "dbt_elapsed_s": round(data["elapsed_time"], 1),
        "slowest": _slowest(target),
    }
    return result.elapsed_s, nodes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=500)
    parser.add_argument(
        "--repeat", type=int, default=3, help="per-batch builds timed, each after --new articles"
    )
    args = parser.parse_args()

    server = None
    data_dir = None
    admin_url = load().database_url
    if not admin_url:
        from newsflow.db.embedded import EmbeddedServer

        data_dir = Path(tempfile.mkdtemp(prefix="newsflow-dbt-bench-"))
        os.chmod(data_dir, 0o755)
        server = EmbeddedServer(data_dir)
        server.ensure()
        admin_url = server.admin_url()
    name = "nf_dbt_bench_" + uuid.uuid4().hex[:8]
    target = Path(tempfile.mkdtemp(prefix="newsflow-dbt-bench-target-"))
    with connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    url = _with_database(admin_url, name)
    try:
        now = datetime.now(UTC)
        with connect(url, autocommit=True) as conn:
            apply_migrations(conn)
        with connect(url) as conn:
            synthetic.add_feeds(
                conn, ((f"http://bench.test/feed/{f}.xml", f"Feed {f}") for f in range(40))
            )
            conn.commit()
            t0 = time.monotonic()
            generate(conn, args.articles, 1, now, seed=1, recent=False)
            generated_s = time.monotonic() - t0
            synthetic.reserve_article_ids(conn, args.articles + (args.repeat + 1) * args.new + 1)
            conn.commit()
        run_dbt(["parse"], database_url=url, capture=True, target_path=target)
        full_s, full_nodes = _build(url, target, "--full-refresh")
        with connect(url) as conn:
            generate(conn, args.new, args.articles + 1, now, seed=2, recent=True)
        incremental_s, incremental_nodes = _build(url, target)
        # the selector production runs after each batch, on --repeat batches in a row
        # (one run is a few seconds on a shared machine: the median says more)
        frequent_runs: list[float] = []
        for batch in range(args.repeat):
            first_id = args.articles + (batch + 1) * args.new + 1
            with connect(url) as conn:
                generate(conn, args.new, first_id, now, seed=3 + batch, recent=True)
            elapsed, frequent_nodes = _build(url, target, "--selector", "frequent")
            frequent_runs.append(elapsed)
        frequent_s = statistics.median(frequent_runs)
        with connect(url) as conn:
            counts = synthetic.row_counts(conn)
        result = {
            "articles": args.articles,
            "new_articles": args.new,
            "rows": counts,
            "generate_s": round(generated_s, 1),
            "full_build_s": round(full_s, 1),
            "incremental_build_s": round(incremental_s, 1),
            "incremental_share": round(incremental_s / full_s, 3),
            "frequent_build_s": round(frequent_s, 1),
            "frequent_runs_s": [round(x, 2) for x in frequent_runs],
            "frequent_share": round(frequent_s / full_s, 3),
            "incremental_models_share": round(
                frequent_nodes["incremental_models_s"] / full_nodes["incremental_models_s"], 3
            ),
            "nodes_full": full_nodes,
            "nodes_incremental": incremental_nodes,
            "nodes_frequent": frequent_nodes,
        }
        print(json.dumps(result, indent=2))
        out = ROOT / "bench" / "results"
        out.mkdir(parents=True, exist_ok=True)
        (out / "dbt_bench.json").write_text(json.dumps(result, indent=2))
        return 0 if min(result["incremental_share"], result["frequent_share"]) < 0.2 else 1
    finally:
        with connect(admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
            )
        shutil.rmtree(target, ignore_errors=True)
        if server is not None:
            server.stop()
        if data_dir is not None:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
