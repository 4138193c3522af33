"""Fitting the confidence weights to judged rows (``newsflow eval calibrate``)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from click.testing import CliRunner

from newsflow.eval.calibrate import main

SEED = """feature,weight,description
bias,0.0,"intercept"
source_named,1.0,"a named source"
target_unresolved,0.0,"a target the dictionary does not know"
"""


def _audit_folder(root: Path, n: int = 120) -> Path:
    """Rows whose rightness depends on two features, judged as a judge would write them."""
    rng = random.Random(7)
    key, verdicts = {}, {}
    for i in range(n):
        named, unresolved = rng.random() < 0.5, rng.random() < 0.3
        p_right = 0.15 + 0.6 * named - 0.1 * unresolved
        features = ["bias"] + ["source_named"] * named + ["target_unresolved"] * unresolved
        row_id = f"e{i:03d}"
        key[row_id] = {"event_id": f"id{i}", "confidence_features": "{" + ",".join(features) + "}"}
        verdicts[row_id] = {"correct": rng.random() < p_right}
    folder = root / "audit"
    folder.mkdir()
    (folder / "audit_key.json").write_text(json.dumps(key))
    (folder / "audit_verdicts_1.json").write_text(json.dumps(verdicts))
    return folder


def test_weights_follow_the_verdicts_and_are_written_to_the_seed(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "confidence_weights.csv").write_text(SEED)
    folder = _audit_folder(tmp_path)
    result = CliRunner().invoke(main, [str(folder), "--seeds", str(seeds), "--write"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["rows"] == 120
    weights = report["weights"]
    assert weights["source_named"] > 1.0 and weights["bias"] < 0
    cv = report["cross_validation"]
    assert cv["log_loss"] < cv["log_loss_constant"]  # better than guessing the base rate
    kept = {row["threshold"]: row for row in cv["by_threshold"]}
    assert kept[0.3]["kept"] >= kept[0.8]["kept"]
    written = (seeds / "confidence_weights.csv").read_text().splitlines()
    assert written[0] == "feature,weight,description"
    assert written[2].startswith(f"source_named,{weights['source_named']:.2f},")


def test_too_few_judged_rows_is_an_error(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "confidence_weights.csv").write_text(SEED)
    folder = _audit_folder(tmp_path, n=5)
    result = CliRunner().invoke(main, [str(folder), "--seeds", str(seeds)])
    assert result.exit_code != 0 and "too few" in result.output
