"""Extraction speed and quality side by side: newsflow vs trafilatura vs readability-lxml.

Usage::

    .venv/bin/python bench/extract_bench.py ../shared/eval/extraction/zyte
    .venv/bin/python bench/extract_bench.py ../shared/eval/extraction/zyte --json out.json

The pages are read from disk (``DIR/html/<id>.html[.gz]``, only read, never
copied) and scored against ``DIR/ground-truth.json`` with the benchmark's
measure (:func:`newsflow.eval.extraction.score`).  Each extractor runs in its
own process, one after another in this one invocation, so each has the machine
to itself and the figures are comparable:

* ``newsflow``: :func:`ingest.extract.extract_article` (decoding, one parse,
  metadata, canonical URL, JSON-LD, trafilatura, the second opinion where a
  signal calls for it, post-cleaning, language, word count);
* ``trafilatura``: ``trafilatura.extract(html, favor_precision=True)`` on the
  raw bytes (its own decoding and parsing), no metadata;
* ``readability``: ``readability.Document(html).summary()``, its text.

Each process reads every page into memory first, extracts one page as a
warm-up (imports, model loading, caches: start-up is not per-page cost) and
then times the whole set: CPU seconds of that process (``time.process_time``)
give **pages/s per core**, the figure that matters on a shared machine;
wall-clock pages/s is reported beside it.  On a shared machine other jobs
change the speed from one minute to the next, so the three run in turn
``--rounds`` times (default 3) and each extractor's median round is
reported, with every round's CPU ms per page.  Output: one JSON object.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXTRACTORS = ("newsflow", "trafilatura", "readability")


def _pages(dataset: Path) -> list[tuple[str, bytes, str | None]]:
    truth = json.loads((dataset / "ground-truth.json").read_text(encoding="utf-8"))
    out: list[tuple[str, bytes, str | None]] = []
    for path in sorted((dataset / "html").glob("*.html*")):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        key = path.name.split(".")[0]
        out.append((key, data, (truth.get(key) or {}).get("url")))
    return out


def _extractor(name: str) -> Callable[[bytes, str | None], str]:
    if name == "newsflow":
        from ingest.extract import extract_article, warm_up
        from ingest.extraction_settings import ExtractionSettings

        warm_up()
        cfg = ExtractionSettings()
        return lambda html, url: extract_article(html, url=url, settings=cfg).text
    if name == "trafilatura":
        import trafilatura

        return lambda html, url: (
            trafilatura.extract(html, url=url, favor_precision=True, include_comments=False) or ""
        )
    if name == "readability":
        import lxml.html
        from readability import Document

        def run(html: bytes, url: str | None) -> str:
            try:
                summary = Document(html, url=url).summary(html_partial=True)
                return lxml.html.fromstring(summary).text_content()
            except Exception:  # readability raises on some pages: an empty result
                return ""

        return run
    raise SystemExit(f"unknown extractor {name!r}")


def run_one(name: str, dataset: Path) -> dict[str, Any]:
    """Time one extractor over every page in this process (the ``--run`` child)."""
    import logging

    logging.disable(logging.CRITICAL)
    from newsflow.eval.extraction import load_gold, score

    pages = _pages(dataset)
    extract = _extractor(name)
    extract(pages[0][1], pages[0][2])  # warm-up: imports and caches outside the timing
    texts: dict[str, str] = {}
    wall, cpu = time.perf_counter(), time.process_time()
    for key, html, url in pages:
        texts[key] = extract(html, url)
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    scores, _ = score(load_gold(dataset), texts)
    return {
        "extractor": name,
        "pages": len(pages),
        "cpu_seconds": round(cpu, 3),
        "wall_seconds": round(wall, 3),
        "pages_per_cpu_second": round(len(pages) / cpu, 1) if cpu else None,
        "pages_per_second": round(len(pages) / wall, 1) if wall else None,
        "cpu_ms_per_page": round(1000 * cpu / len(pages), 2) if pages else None,
        "precision": round(scores.precision, 4),
        "recall": round(scores.recall, 4),
        "f1": round(scores.f1, 4),
        "empty_pages": sum(1 for t in texts.values() if not t.strip()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", type=Path, help="folder with ground-truth.json and html/")
    parser.add_argument("--json", type=Path, help="also write the result to this file")
    parser.add_argument(
        "--only", choices=EXTRACTORS, action="append", help="run only these extractors"
    )
    parser.add_argument("--rounds", type=int, default=3, help="runs of each extractor, in turn")
    parser.add_argument("--run", choices=EXTRACTORS, help=argparse.SUPPRESS)  # child process
    args = parser.parse_args(argv)
    if args.run:
        print(json.dumps(run_one(args.run, args.dataset)))
        return 0
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "PYTHONPATH": path}
    result: dict[str, Any] = {"dataset": str(args.dataset), "load_average": os.getloadavg()}
    names = args.only or list(EXTRACTORS)
    rounds: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for _ in range(max(1, args.rounds)):
        for name in names:
            proc = subprocess.run(
                [sys.executable, __file__, "--run", name, str(args.dataset)],
                capture_output=True,
                text=True,
                env=env,
                check=False,
            )
            if proc.returncode != 0:
                print(proc.stderr, file=sys.stderr)
                raise SystemExit(f"{name} failed (exit {proc.returncode})")
            rounds[name].append(json.loads(proc.stdout.strip().splitlines()[-1]))
    for name, runs in rounds.items():
        runs.sort(key=lambda run: run["cpu_seconds"])
        result[name] = {
            **runs[len(runs) // 2],
            "rounds_cpu_ms_per_page": [run["cpu_ms_per_page"] for run in runs],
        }
    if "newsflow" in result and "trafilatura" in result:
        ours, theirs = result["newsflow"], result["trafilatura"]
        result["newsflow_vs_trafilatura_per_core"] = round(
            ours["pages_per_cpu_second"] / theirs["pages_per_cpu_second"], 3
        )
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
