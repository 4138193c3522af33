"""Annotation throughput: articles per second, model path and rule path.

Usage::

    .venv/bin/python bench/annotate_bench.py                 # both pipelines, in memory
    .venv/bin/python bench/annotate_bench.py --pipeline model --processes 2 --articles 400
    .venv/bin/python bench/annotate_bench.py --db            # + run_annotate into PostgreSQL

Articles of about ``--words`` words (default 700) are cut from real news text
when the Zyte extraction benchmark is present (``../shared/eval/extraction/zyte
/ground-truth.json``, read by path, never copied), else generated from
templates.  Both pipelines run through the code ``run_annotate`` uses (the
batch annotator with its worker processes); start-up (model, dictionary,
gazetteer) and a warm-up batch are excluded from the timing.  ``--db`` adds an
end-to-end run: the same articles inserted into ``raw.articles`` of a fresh
database (embedded server, or ``--admin-url``) and annotated incrementally
with COPY loading.

Targets (issue 3, on 2 cores): model path >= 15 articles/s, rule path >= 150.
Figures measured on the development VM are in bench/README.md ("Annotation"):
model 13.2 articles/s wall-clock under other jobs' load (127.5 ms CPU per
article: 15.7/s on two idle cores), rules 375 articles/s.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import Databases  # noqa: E402  (needs ROOT on sys.path)

DEFAULT_CORPUS = ROOT.parent / "shared" / "eval" / "extraction" / "zyte" / "ground-truth.json"

SUBJECTS = [
    "Iraqi security officials",
    "The Syrian army",
    "Turkish President Recep Tayyip Erdogan",
    "Iranian Foreign Minister Abbas Araghchi",
    "Russia",
    "Hundreds of Iran-backed fighters",
    "The United Nations",
    "Rebels of Hayat Tahrir al-Sham",
    "Jordan's King Abdullah II",
    "Israeli troops",
]
VERBS = [
    "met with",
    "accused",
    "joined talks with",
    "attacked",
    "called on",
    "sent aid to",
    "criticized",
    "signed an agreement with",
    "withdrew from",
    "urged",
]
OBJECTS = ["Syria", "Turkey", "Iran", "Lebanon", "the rebels", "Egypt", "Iraq", "Saudi Arabia"]
TAILS = [
    "on Sunday",
    "in Damascus on Monday",
    "after a week of clashes near Aleppo",
    ", officials said",
    "years ago",
    ", according to the Associated Press",
    "in a statement released late on Tuesday",
    "as the fighting spread to three provinces",
]
FILLER = (
    "The move comes as the conflict enters a new phase, with residents reporting "
    "shortages of fuel and bread in several towns and aid agencies warning of a "
    "worsening humanitarian situation across the north of the country"
)


def synthetic_articles(count: int, words: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        sentences: list[str] = []
        total = 0
        while total < words:
            if rng.random() < 0.6:
                s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
                s += f" {rng.choice(TAILS)}".replace(" ,", ",") + "."
            else:
                s = FILLER + "."
            sentences.append(s)
            total += len(s.split())
        paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        out.append("\n".join(paragraphs))
    return out


def corpus_articles(path: Path, count: int, words: int) -> list[str]:
    """~``words``-word articles cut at sentence ends from real news bodies."""
    from transforms.language_fallback import detect_language

    data = json.loads(path.read_text(encoding="utf-8"))
    bodies = [v["articleBody"] for v in data.values() if v.get("articleBody")]
    bodies = [b for b in bodies if detect_language(b) == "en"]
    sentences: list[str] = []
    for body in bodies:
        for paragraph in body.split("\n"):
            sentences.extend(s for s in re.split(r"(?<=[.!?])\s+", paragraph.strip()) if s)
            sentences.append("\n")
    out: list[str] = []
    position = 0
    while len(out) < count:
        chunk: list[str] = []
        total = 0
        while total < words:
            sentence = sentences[position % len(sentences)]
            position += 1
            chunk.append(sentence)
            total += len(sentence.split())
        text = " ".join(chunk).replace(" \n ", "\n").replace("\n ", "\n").strip()
        out.append(text)
    return out


def measure(config: Any, texts: list[str], batch_size: int) -> dict[str, Any]:
    from transforms.annotate import ArticleInput
    from transforms.pipeline import _Annotator

    started = time.monotonic()
    annotator = _Annotator(config)
    # warm up in this process (forked workers inherit the warm pipeline)
    warm = [ArticleInput(-i, t, None, "en") for i, t in enumerate(texts[:20])]
    annotator.annotate(warm)
    startup = time.monotonic() - started
    items = [ArticleInput(i, t, None, "en") for i, t in enumerate(texts)]
    counts = {"sentences": 0, "mentions": 0, "events": 0}
    cpu0 = os.times()
    t0 = time.monotonic()
    for start in range(0, len(items), batch_size):
        for _key, doc in annotator.annotate(items[start : start + batch_size]):
            counts["sentences"] += len(doc.sentences)
            counts["mentions"] += len(doc.mentions)
            counts["events"] += len(doc.events)
    elapsed = time.monotonic() - t0
    annotator.close()  # reaps the workers, so their CPU time is counted
    cpu1 = os.times()
    words = sum(len(t.split()) for t in texts)
    cpu = (cpu1.user + cpu1.system + cpu1.children_user + cpu1.children_system) - (
        cpu0.user + cpu0.system + cpu0.children_user + cpu0.children_system
    )
    return {
        "pipeline": annotator.pipeline.name,
        "processes": annotator.processes,
        "articles": len(texts),
        "words_per_article": round(words / len(texts)),
        "seconds": round(elapsed, 2),
        "articles_per_s": round(len(texts) / elapsed, 1),
        "words_per_s": round(words / elapsed),
        "startup_s": round(startup, 1),
        "cpu_ms_per_article": round(1000 * cpu / len(texts), 1),
        # what two otherwise idle cores would do: CPU time is what the work costs
        "articles_per_s_on_2_idle_cores": round(2 * len(texts) / cpu, 1),
        "cpu_s_parent": round((cpu1.user + cpu1.system) - (cpu0.user + cpu0.system), 1),
        "cpu_s_children": round(
            (cpu1.children_user + cpu1.children_system)
            - (cpu0.children_user + cpu0.children_system),
            1,
        ),
        **counts,
    }


def measure_db(config: Any, texts: list[str], admin_url: str | None) -> dict[str, Any]:
    import psycopg

    from storage.articles_bulk import ExtractedArticle, copy_articles
    from transforms.pipeline import run_annotate

    databases = Databases(admin_url, prefix="newsflow-annotate-bench-")
    try:
        url = databases.fresh("annotate")
        articles = (
            ExtractedArticle(
                url=f"http://bench.test/{n}",
                host="bench.test",
                text=text,
                content_hash=hashlib.sha256(f"{n}:{text}".encode()).hexdigest(),
                fetched_at="2024-12-02T12:00:00Z",
                language="en",
                extractor="bench",
            )
            for n, text in enumerate(texts)
        )
        with psycopg.connect(url, autocommit=True) as conn:
            copy_articles(conn, articles)
        first = run_annotate(url, config=config)
        again = run_annotate(url, config=config)
        return {
            "pipeline": first.pipeline,
            "articles": first.articles,
            "seconds_incl_startup": round(first.seconds, 2),
            "articles_per_s_incl_startup": round(first.articles_per_second, 1),
            "rerun_articles": again.articles,
            "rerun_seconds": round(again.seconds, 2),
            "event_mentions": first.event_mentions,
        }
    finally:
        databases.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pipeline", choices=["model", "rules", "both"], default="both")
    parser.add_argument("--articles", type=int, default=0, help="default: 300 model, 1500 rules")
    parser.add_argument("--words", type=int, default=700)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--synthetic", action="store_true", help="templates, not the corpus")
    parser.add_argument("--db", action="store_true", help="also run_annotate into PostgreSQL")
    parser.add_argument("--admin-url", help="PostgreSQL admin URL (default: embedded server)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from newsflow.settings import Env
    from newsflow.settings.transforms import annotate_config

    pipelines = ["model", "rules"] if args.pipeline == "both" else [args.pipeline]
    results: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "corpus": "synthetic" if args.synthetic or not args.corpus.is_file() else "zyte",
        "runs": [],
    }
    for name in pipelines:
        count = args.articles or (300 if name == "model" else 1500)
        if results["corpus"] == "zyte":
            texts = corpus_articles(args.corpus, count, args.words)
        else:
            texts = synthetic_articles(count, args.words)
        config = replace(
            annotate_config(Env()),
            pipeline=name,
            processes=args.processes,
            batch_size=args.batch_size,
        )
        run = measure(config, texts, args.batch_size)
        if args.db:
            run["db"] = measure_db(config, texts, args.admin_url)
        results["runs"].append(run)
        if not args.json:
            print(json.dumps(run), flush=True)
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(
            f"load average: start {results['load_average_at_start']},"
            f" end {results['load_average_at_end']} on {results['cpus']} CPUs"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
