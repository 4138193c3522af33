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


def load_judged(folders: Sequence[Path]) -> list[JudgedRow]:
    """Every judged row of the folders whose key carries its features."""
    rows: list[JudgedRow] = []
    for folder in folders:
        key = json.loads((folder / "audit_key.json").read_text())
        entries = key.get("rows", key) if isinstance(key, dict) else key
        if isinstance(entries, list):
            entries = {str(e.get("row_id", i)): e for i, e in enumerate(entries)}
        verdicts: dict[str, Any] = {}
        for path in sorted(folder.glob("audit_verdicts_*.json")):
            verdicts.update(json.loads(path.read_text()))
        for row_id, verdict in verdicts.items():
            entry = entries.get(row_id)
            if not isinstance(entry, dict) or not isinstance(verdict, dict):
                continue
            row = entry.get("row", entry)
            if "confidence_features" not in row:
                continue
            rows.append(
                JudgedRow(
                    _features(row["confidence_features"]), bool(verdict.get("correct")), str(folder)
                )
            )
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
    "folders",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
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
def main(folders: tuple[Path, ...], seeds: Path | None, l2: float, folds: int, write: bool) -> None:
    """Fit the confidence weights to judged audit rows in FOLDERS; print CV figures as JSON."""
    seed_path = (seeds or default_seeds_dir()) / SEED_FILE
    seed_rows = read_seed(seed_path)
    names = [row["feature"] for row in seed_rows if row["feature"] != "bias"]
    judged = load_judged(folders)
    if len(judged) < 20:
        raise click.ClickException(f"{len(judged)} judged rows with features: too few to fit")
    x, y = _matrix(judged, names)
    intercept, weights = fit(x, y, l2)
    fitted = {"bias": intercept, **dict(zip(names, weights.tolist(), strict=True))}
    report = {
        "rows": len(judged),
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
