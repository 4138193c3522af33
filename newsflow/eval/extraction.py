"""Article extraction against the Zyte article-extraction benchmark (an evaluation, not a test).

Usage::

    python -m newsflow.eval.extraction /work/shared/eval/extraction/zyte [--workers N] [--baselines]
    python -m newsflow.eval.extraction DIR --predictions out.jsonl   # score a file
    python -m newsflow.eval.extraction DIR --cv                      # two-fold cross-validation

``DIR`` holds ``ground-truth.json`` (``{id: {"articleBody", "url"}}``) and
``html/<id>.html.gz``.  Without ``--predictions`` the pages are extracted here
with :func:`ingest.extract.extract_article` (in this process, or in an
:class:`ingest.sandbox.ExtractionPool` with ``--workers N``) and timed
after start-up (imports, model loading).  ``--baselines`` also times plain
``trafilatura.extract`` (defaults, and ``favor_precision``) in the same run,
so speeds are compared on an equally loaded machine.
``--predictions`` takes the JSON lines of ``newsflow extract DIR/html --jsonl``
(``id`` and ``text``) or an upstream prediction file (``{id: {"articleBody"}}``,
optionally wrapped in ``{"output": ...}``).

``--cv`` checks that the tuning values are not fitted to the pages: the pages
are split deterministically in two halves (by a hash of their id, see
:func:`fold_of`); every combination of :data:`CV_GRID` is extracted once over
all pages, the combination with the best F1 on one half is chosen and
measured on the other half, and the same the other way round.  Both halves'
figures are printed, with the whole set's F1 under the packaged settings.

The measure is the benchmark's own: lower-case the text, tokenise with
``\\w+``, take 4-gram shingles as multisets; per page TP = shared shingles,
FP = predicted only, FN = gold only; precision TP/(TP+FP) and recall
TP/(TP+FN) per page, averaged over pages; F1 = 2PR/(P+R).  An empty
prediction scores 0 (1 when the gold text is empty too).  "Accuracy" is the
share of pages whose token list equals the gold one.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import click

_TOKEN = re.compile(r"\w+")

__all__ = [
    "CV_GRID",
    "PageScore",
    "Scores",
    "cross_validate",
    "fold_of",
    "main",
    "page_score",
    "score",
]

#: Tuning values tried by ``--cv`` (names of :class:`ingest.extraction_settings.Tuning`).
#: Few and coarse on purpose: the halves hold about 90 pages each.
CV_GRID: dict[str, tuple[Any, ...]] = {
    "short_text_chars": (400, 600, 900),  # when a short first pass gets a second look
    "tail_min_gain": (0.2, 0.3, 0.5),  # how much missing prose calls for readability
    "boiler_min_link_share": (0.5, 0.7),  # what makes a list or box a box of links
}


@dataclass(frozen=True)
class PageScore:
    page_id: str
    precision: float
    recall: float
    exact: bool

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True)
class Scores:
    pages: int
    precision: float
    recall: float
    f1: float
    accuracy: float


def _tokens(text: str | None) -> list[str]:
    return _TOKEN.findall((text or "").lower())


def _shingles(tokens: list[str], n: int = 4) -> Counter[tuple[str, ...]]:
    # texts shorter than n tokens count as one (shorter) shingle, as upstream does
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def page_score(page_id: str, gold: str, predicted: str | None) -> PageScore:
    gold_tokens, pred_tokens = _tokens(gold), _tokens(predicted)
    g, p = _shingles(gold_tokens), _shingles(pred_tokens)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    if fp == fn == 0:
        precision = recall = 1.0
    else:
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
    return PageScore(page_id, precision, recall, gold_tokens == pred_tokens)


def score(gold: dict[str, str], predictions: dict[str, str]) -> tuple[Scores, list[PageScore]]:
    pages = [page_score(k, v, predictions.get(k, "")) for k, v in sorted(gold.items())]
    precision = statistics.fmean(p.precision for p in pages) if pages else 0.0
    recall = statistics.fmean(p.recall for p in pages) if pages else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = statistics.fmean(1.0 if p.exact else 0.0 for p in pages) if pages else 0.0
    return Scores(len(pages), precision, recall, f1, accuracy), pages


def fold_of(page_id: str) -> int:
    """0 or 1: the cross-validation half of a page (a hash of its id, stable across runs)."""
    return hashlib.sha256(page_id.encode("utf-8")).digest()[0] & 1


def _f1(pages: list[PageScore]) -> float:
    if not pages:
        return 0.0
    precision = statistics.fmean(p.precision for p in pages)
    recall = statistics.fmean(p.recall for p in pages)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def cross_validate(
    dataset: Path, urls: dict[str, str], gold: dict[str, str], grid: dict[str, tuple[Any, ...]]
) -> dict[str, Any]:
    """Two-fold cross-validation of the tuning values in ``grid`` (see the module docstring)."""
    from dataclasses import replace

    from newsflow.settings.env import Env
    from newsflow.settings.ingest import extraction_settings

    base = extraction_settings(Env())
    names = sorted(grid)
    runs: list[tuple[dict[str, Any], list[PageScore]]] = []
    for values in itertools.product(*(grid[n] for n in names)):
        chosen = dict(zip(names, values, strict=True))
        cfg = replace(base, tuning=replace(base.tuning, **chosen))
        texts, _, _, _ = run_extraction(dataset, urls, 1, settings=cfg)
        runs.append((chosen, score(gold, texts)[1]))
    folds: list[dict[str, Any]] = []
    for held_out in (0, 1):

        def half(pages: list[PageScore], fold: int) -> list[PageScore]:
            return [p for p in pages if fold_of(p.page_id) == fold]

        chosen, pages = max(runs, key=lambda run: _f1(half(run[1], 1 - held_out)))
        folds.append(
            {
                "tuned_on": f"half {1 - held_out}",
                "measured_on": f"half {held_out}",
                "pages": len(half(pages, held_out)),
                "settings": chosen,
                "f1_tuning_half": round(_f1(half(pages, 1 - held_out)), 4),
                "f1_held_out": round(_f1(half(pages, held_out)), 4),
            }
        )
    return {"grid": {n: list(grid[n]) for n in names}, "folds": folds}


def load_gold(dataset: Path) -> dict[str, str]:
    data = json.loads((dataset / "ground-truth.json").read_text(encoding="utf-8"))
    return {key: item.get("articleBody") or "" for key, item in data.items()}


def load_predictions(path: Path) -> dict[str, str]:
    raw = path.read_text(encoding="utf-8")
    stripped = raw.lstrip()
    if stripped.startswith("{") and "\n{" not in stripped.strip():
        data: Any = json.loads(raw)
        data = data.get("output", data) if isinstance(data, dict) else data
        return {
            k: (v.get("articleBody") if isinstance(v, dict) else v) or "" for k, v in data.items()
        }
    out: dict[str, str] = {}
    for line in raw.splitlines():
        if line.strip():
            item = json.loads(line)
            out[str(item["id"])] = item.get("text") or item.get("articleBody") or ""
    return out


def _read_page(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def run_extraction(
    dataset: Path, urls: dict[str, str], workers: int, settings: Any = None
) -> tuple[dict[str, str], float, float | None, dict[str, str]]:
    """Extract every page; returns (texts by id, seconds, CPU seconds, extractor by id).

    CPU seconds (this process only) are measured in-process only: on a shared
    machine they say more about the cost per page than the wall clock.
    """
    from ingest.extract import extract_article
    from newsflow.settings.env import Env
    from newsflow.settings.ingest import extraction_settings

    settings = settings or extraction_settings(Env())
    pages = sorted((dataset / "html").glob("*.html*"))
    items = [(p.name.split(".")[0], _read_page(p)) for p in pages]
    texts: dict[str, str] = {}
    used: dict[str, str] = {}
    started = time.perf_counter()
    cpu: float | None = None
    if workers <= 1:
        from ingest.extract import warm_up

        warm_up()  # model loading is start-up, not per-page cost
        started, cpu_started = time.perf_counter(), time.process_time()
        for key, html in items:
            article = extract_article(html, url=urls.get(key), settings=settings)
            texts[key], used[key] = article.text, article.extractor
        cpu = time.process_time() - cpu_started
    else:
        from dataclasses import replace

        from ingest.sandbox import ExtractionPool

        with ExtractionPool(workers=workers, settings=replace(settings, workers=workers)) as pool:
            pool.wait_ready()
            started = time.perf_counter()
            for key, article in pool.extract_many((k, h, urls.get(k)) for k, h in items):
                texts[str(key)], used[str(key)] = article.text, article.extractor
    return texts, time.perf_counter() - started, cpu, used


def run_trafilatura(dataset: Path, **options: Any) -> tuple[dict[str, str], float, float]:
    """Plain ``trafilatura.extract`` over the pages (the baseline a tutorial would use)."""
    import trafilatura

    pages = sorted((dataset / "html").glob("*.html*"))
    items = [(p.name.split(".")[0], _read_page(p)) for p in pages]
    trafilatura.extract(items[0][1], **options)  # imports and caches outside the timing
    started, cpu_started = time.perf_counter(), time.process_time()
    texts = {key: trafilatura.extract(html, **options) or "" for key, html in items}
    return texts, time.perf_counter() - started, time.process_time() - cpu_started


@click.command(name="extraction")
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--predictions",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Score this file instead of extracting (JSON lines with id/text, or upstream JSON).",
)
@click.option(
    "--workers",
    type=int,
    default=1,
    show_default=True,
    help="Extraction processes (1: in this process, no sandbox).",
)
@click.option("--worst", type=int, default=0, help="List the N pages with the lowest F1.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option(
    "--baselines",
    is_flag=True,
    help="Also time and score plain trafilatura (defaults, and favor_precision) now.",
)
@click.option(
    "--cv",
    is_flag=True,
    help="Two-fold cross-validation: tune on one half, measure on the other (both ways).",
)
def main(
    dataset: Path,
    predictions: Path | None,
    workers: int,
    worst: int,
    as_json: bool,
    baselines: bool,
    cv: bool,
) -> None:
    """Score article extraction on the Zyte benchmark (P, R, F1, pages/s)."""
    import logging

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    try:
        gold = load_gold(dataset)
    except (OSError, ValueError) as exc:
        click.echo(f"error: cannot read {dataset / 'ground-truth.json'}: {exc}", err=True)
        sys.exit(2)
    seconds: float | None = None
    used: dict[str, str] = {}
    if predictions is not None:
        texts = load_predictions(predictions)
    else:
        urls = {
            k: v.get("url")
            for k, v in json.loads((dataset / "ground-truth.json").read_text("utf-8")).items()
        }
        texts, seconds, cpu, used = run_extraction(dataset, urls, workers)
    scores, pages = score(gold, texts)
    result: dict[str, Any] = asdict(scores)
    if seconds is not None:
        result["seconds"] = round(seconds, 2)
        result["pages_per_second"] = round(len(texts) / seconds, 1) if seconds else None
        result["workers"] = workers
        result["cpu_ms_per_page"] = round(1000 * cpu / len(texts), 1) if cpu and texts else None
        result["second_extractor_used"] = sum(1 for v in used.values() if "+" in v)
    result["halves"] = {
        f"half {fold}": round(_f1([p for p in pages if fold_of(p.page_id) == fold]), 4)
        for fold in (0, 1)
    }
    if cv and predictions is None:
        result["cross_validation"] = cross_validate(dataset, urls, gold, CV_GRID)
    if not as_json:
        click.echo(
            f"pages {scores.pages}  P {scores.precision:.4f}  R {scores.recall:.4f}  "
            f"F1 {scores.f1:.4f}  accuracy {scores.accuracy:.3f}"
        )
        if seconds is not None:
            cpu_note = (
                f", {result['cpu_ms_per_page']} ms CPU/page" if result["cpu_ms_per_page"] else ""
            )
            click.echo(
                f"{result['pages_per_second']} pages/s ({seconds:.1f} s, {workers} worker(s)"
                f"{cpu_note}); second extractor used on {result['second_extractor_used']} pages"
            )
        click.echo("F1 by half: " + ", ".join(f"{k} {v:.4f}" for k, v in result["halves"].items()))
        for fold in result.get("cross_validation", {}).get("folds", ()):
            click.echo(
                f"cv: tuned on {fold['tuned_on']} ({fold['f1_tuning_half']:.4f}) "
                f"{fold['settings']} -> {fold['measured_on']} F1 {fold['f1_held_out']:.4f} "
                f"({fold['pages']} pages)"
            )
    if baselines:
        for label, options in (
            ("trafilatura defaults", {}),
            ("trafilatura favor_precision", {"favor_precision": True, "include_comments": False}),
        ):
            base_texts, base_seconds, base_cpu = run_trafilatura(dataset, **options)
            base, _ = score(gold, base_texts)
            rate = len(base_texts) / base_seconds if base_seconds else 0.0
            cpu_ms = round(1000 * base_cpu / len(base_texts), 1) if base_texts else None
            result[label] = {
                "f1": base.f1,
                "pages_per_second": round(rate, 1),
                "cpu_ms_per_page": cpu_ms,
            }
            if not as_json:
                click.echo(
                    f"{label}: P {base.precision:.4f}  R {base.recall:.4f}  F1 {base.f1:.4f}  "
                    f"{rate:.1f} pages/s, {cpu_ms} ms CPU/page (1 process)"
                )
    if as_json:
        click.echo(json.dumps(result, indent=2))
    for page in sorted(pages, key=lambda p: p.f1)[:worst]:
        click.echo(
            f"  {page.page_id[:16]}  P {page.precision:.3f}  R {page.recall:.3f}  "
            f"F1 {page.f1:.3f}  {used.get(page.page_id, '')}"
        )


if __name__ == "__main__":
    main()
