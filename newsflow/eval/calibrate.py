"""``newsflow eval calibrate``: fit the confidence model's weights to audited rows.

A coded row's confidence is the logistic of the summed weights of the
features that hold for it (seed ``confidence_weights.csv``; the features are
computed by ``int_event_mentions_coded`` and shown in
``fct_events.confidence_features``). This command reads judged rows — audit
folders written by ``newsflow eval audit sample`` (``audit_key.json``) and
judged by the rules of AUDIT.md (``audit_verdicts_*.json``) — and fits those
weights by L2-regularised logistic regression on "fully right".

To calibrate without bias the rows must be sampled from everything the rules
allow, not only from rows a previous threshold let through: build with
``--vars '{min_event_confidence: 0}'`` before ``audit run``/``sample``.

It reports k-fold cross-validated figures (log loss; for each threshold the
share of rows kept and the share right among them), so the threshold
(dbt var ``min_event_confidence``) is chosen on rows the fit did not see, and
writes the weights into the seed (``--write``). Nothing else changes.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import numpy as np

from newsflow.eval.audit_rows import cache_key
from storage.connection import connect
from transforms.config import default_seeds_dir

__all__ = ["JudgedRow", "cross_validate", "fit", "load_judged", "main"]

SEED_FILE = "confidence_weights.csv"
THRESHOLDS = (0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)


@dataclass(frozen=True)
class JudgedRow:
    features: frozenset[str]
    correct: bool
    source: str  # the audit folder it came from


def _features(value: Any) -> frozenset[str]:
    """A row's features as exported: a JSON list, or PostgreSQL's ``{a,b}`` text."""
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = [v.strip('"') for v in value.strip("{}").split(",") if v]
    return frozenset(str(v) for v in value)


def _judged_entries(path: Path) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(row, verdict) pairs of an audit folder or of a JSON file of rows with verdicts."""
    if path.is_file():
        data = json.loads(path.read_text())
        rows = data.get("rows", []) if isinstance(data, dict) else data
        return [(row, row["verdict"]) for row in rows if isinstance(row.get("verdict"), dict)]
    key = json.loads((path / "audit_key.json").read_text())
    entries = key.get("rows", key) if isinstance(key, dict) else key
    if isinstance(entries, list):
        entries = {str(e.get("row_id", i)): e for i, e in enumerate(entries)}
    verdicts: dict[str, Any] = {}
    for verdict_path in sorted(path.glob("audit_verdicts_*.json")):
        verdicts.update(json.loads(verdict_path.read_text()))
    pairs = []
    for row_id, verdict in verdicts.items():
        entry = entries.get(row_id)
        if isinstance(entry, dict) and isinstance(verdict, dict):
            pairs.append((entry.get("row", entry), verdict))
    return pairs


def _features_from_database(url: str) -> dict[tuple[Any, ...], frozenset[str]]:
    """Features of every coded row the rules let through, by sentence, actors and type."""

    query = """
        select sentence_text, actor1_code, actor2_code, event_type, confidence_features
        from marts.fct_event_mentions
        where event_type is not null
          and (is_countable or not_countable_reason = 'low_confidence')
    """
    found: dict[tuple[Any, ...], frozenset[str]] = {}
    with connect(url) as conn:
        for sentence, actor1, actor2, event_type, features in conn.execute(query):
            row = {
                "sentence": sentence,
                "actor1_code": actor1,
                "actor2_code": actor2,
                "event_type": event_type,
            }
            found.setdefault(cache_key(row), _features(features))
    return found


def load_judged(sources: Sequence[Path], features_url: str | None = None) -> list[JudgedRow]:
    """Every judged row of the sources with its features.

    A row's features come from the row itself (``confidence_features``), else,
    with ``features_url``, from the coded row of that database with the same
    sentence, actors and type: verdicts of an earlier run then calibrate the
    features of the current coder, for the rows it still codes the same way.
    """
    lookup = _features_from_database(features_url) if features_url else {}
    rows: list[JudgedRow] = []
    for source in sources:
        for row, verdict in _judged_entries(source):
            if features_url:
                features = lookup.get(cache_key(row))
            elif "confidence_features" in row:
                features = _features(row["confidence_features"])
            else:
                features = None
            if features is not None:
                rows.append(JudgedRow(features, bool(verdict.get("correct")), str(source)))
    return rows


def _matrix(rows: Sequence[JudgedRow], names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([[1.0 if name in row.features else 0.0 for name in names] for row in rows])
    y = np.array([1.0 if row.correct else 0.0 for row in rows])
    return x, y


def fit(
    x: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 50
) -> tuple[float, np.ndarray]:
    """Intercept and weights of an L2-regularised logistic regression (Newton's method)."""
    n, k = x.shape
    design = np.hstack([np.ones((n, 1)), x])
    beta = np.zeros(k + 1)
    penalty = np.eye(k + 1) * l2
    penalty[0, 0] = 0.0  # the intercept is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-design @ beta))
        gradient = design.T @ (y - p) - penalty @ beta
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        beta += step
        if np.max(np.abs(step)) < 1e-8:
            break
    return float(beta[0]), beta[1:]


def _predict(x: np.ndarray, intercept: float, weights: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(intercept + x @ weights)))


def cross_validate(
    x: np.ndarray, y: np.ndarray, folds: int = 5, l2: float = 1.0, seed: int = 1
) -> dict[str, Any]:
    """Held-out predictions of every row, and what each threshold would keep."""
    order = list(range(len(y)))
    random.Random(seed).shuffle(order)
    held_out = np.zeros(len(y))
    for fold in range(folds):
        test = [i for position, i in enumerate(order) if position % folds == fold]
        train = [i for i in order if i not in set(test)]
        intercept, weights = fit(x[train], y[train], l2)
        held_out[test] = _predict(x[test], intercept, weights)
    eps = 1e-9
    log_loss = float(-np.mean(y * np.log(held_out + eps) + (1 - y) * np.log(1 - held_out + eps)))
    base_rate = float(np.mean(y))
    baseline = -(
        base_rate * math.log(base_rate + eps) + (1 - base_rate) * math.log(1 - base_rate + eps)
    )
    by_threshold = []
    for threshold in THRESHOLDS:
        kept = held_out >= threshold
        n_kept = int(kept.sum())
        by_threshold.append(
            {
                "threshold": threshold,
                "kept": n_kept,
                "share_kept": round(n_kept / len(y), 3),
                "share_right_kept": round(float(y[kept].mean()), 3) if n_kept else None,
                "right_kept": int(y[kept].sum()),
            }
        )
    return {
        "folds": folds,
        "log_loss": round(log_loss, 4),
        "log_loss_constant": round(baseline, 4),
        "by_threshold": by_threshold,
    }


def read_seed(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def write_seed(path: Path, rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=["feature", "weight", "description"], lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue())


@click.command(name="calibrate")
@click.argument(
    "sources",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, path_type=Path),
)
@click.option(
    "--seeds",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Seed folder (default: the dbt project's).",
)
@click.option(
    "--l2", default=1.0, show_default=True, help="L2 penalty on the weights (not the intercept)."
)
@click.option("--folds", default=5, show_default=True, help="Cross-validation folds.")
@click.option("--write", is_flag=True, help="Write the fitted weights into confidence_weights.csv.")
@click.option(
    "--features-from",
    "features_url",
    default=None,
    help="A database built by the current coder: judged rows take the features of its row"
    " with the same sentence, actors and type (verdicts of an earlier run).",
)
def main(
    sources: tuple[Path, ...],
    seeds: Path | None,
    l2: float,
    folds: int,
    write: bool,
    features_url: str | None,
) -> None:
    """Fit the confidence weights to judged rows; print cross-validated figures as JSON.

    SOURCES are audit folders (audit_key.json + audit_verdicts_*.json) or JSON
    files of rows with their verdicts.
    """
    seed_path = (seeds or default_seeds_dir()) / SEED_FILE
    seed_rows = read_seed(seed_path)
    names = [row["feature"] for row in seed_rows if row["feature"] != "bias"]
    judged = load_judged(sources, features_url)
    if len(judged) < 20:
        raise click.ClickException(f"{len(judged)} judged rows with features: too few to fit")
    x, y = _matrix(judged, names)
    intercept, weights = fit(x, y, l2)
    fitted = {"bias": intercept, **dict(zip(names, weights.tolist(), strict=True))}
    report = {
        "rows": len(judged),
        "rows_by_source": {str(p): sum(r.source == str(p) for r in judged) for p in sources},
        "share_right": round(float(y.mean()), 3),
        "feature_counts": {name: int(x[:, i].sum()) for i, name in enumerate(names)},
        "weights": {name: round(value, 2) for name, value in fitted.items()},
        "cross_validation": cross_validate(x, y, folds, l2),
    }
    if write:
        for row in seed_rows:
            row["weight"] = f"{fitted[row['feature']]:.2f}"
        write_seed(seed_path, seed_rows)
        report["written"] = str(seed_path)
    click.echo(json.dumps(report, indent=2))
