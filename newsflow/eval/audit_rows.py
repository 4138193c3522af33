"""Audit of coded rows: a seeded sample, judging sheets, and the score of the verdicts.

``sample`` draws counted rows of ``rows.jsonl`` at random (seeded, so the same
run and seed give the same sample) and writes sheets that show a judge only
what an analyst sees: the sentence, the coded actors (name, code, country,
sector) and the type.  Nothing of how the coder got there is shown.  The key
keeps every field of each sampled row.

``score`` reads the judges' verdict files (by ``AUDIT.md``) and reports the
share fully right with a Wilson 95% interval, each part, each type, and the
yield: right rows per 100 English articles.
"""

from __future__ import annotations

import json
import math
import random
import re
import unicodedata
from pathlib import Path
from typing import Any

#: the five answers of AUDIT.md; ``correct`` is all four parts together
PARTS = ("is_event", "source_ok", "target_ok", "type_ok")
AUDIT_RULES = "/work/shared/eval/events/AUDIT.md"
KEY_FILE = "audit_key.json"
JUDGED_FILE = "audit_judged.json"
Z95 = 1.959964


class AuditFileError(ValueError):
    """A file of the audit folder is missing or malformed."""


# ---------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------
def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise AuditFileError(f"{path} does not exist: run 'newsflow eval audit run' first")
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_json(path: Path) -> Any:
    if not path.is_file():
        raise AuditFileError(f"{path} does not exist")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise AuditFileError(f"{path}: not JSON ({exc})") from exc


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def normalise(text: str | None) -> str:
    """Sentence text for matching: NFKC, lower case, letters and digits only, single spaces."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join(re.findall(r"\w+", text))


def wilson(successes: int, n: int, z: float = Z95) -> list[float] | None:
    """The Wilson score interval of a proportion (95% by default); None when n is 0."""
    if n == 0:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return [round(max(0.0, centre - half), 3), round(min(1.0, centre + half), 3)]


def proportion(successes: int, n: int) -> dict[str, Any]:
    return {
        "n": n,
        "right": successes,
        "share": round(successes / n, 3) if n else None,
        "ci95": wilson(successes, n),
    }


def seeded_sample(items: list[Any], n: int, seed: int, key: Any = None) -> list[Any]:
    """``n`` items drawn without replacement, the same for the same items and seed
    whatever order they come in (they are sorted by ``key`` first)."""
    ordered = sorted(items, key=key) if key else list(items)
    return random.Random(seed).sample(ordered, min(n, len(ordered)))


def batches(items: list[Any], size: int) -> list[list[Any]]:
    """``items`` in consecutive batches of about ``size`` (as even as can be)."""
    if not items:
        return []
    count = max(1, round(len(items) / size))
    step = len(items) / count
    return [items[round(i * step) : round((i + 1) * step)] for i in range(count)]


# ---------------------------------------------------------------------------
# Sampling
# ---------------------------------------------------------------------------
def cache_key(row: dict[str, Any]) -> tuple[str, str, str, str]:
    return (
        normalise(row.get("sentence")),
        str(row.get("actor1_code") or ""),
        str(row.get("actor2_code") or ""),
        str(row.get("event_type") or ""),
    )


def load_cache(path: Path) -> dict[tuple[str, str, str, str], dict[str, Any]]:
    """Earlier verdicts: a file of judged rows (``audit_judged.json`` of an earlier
    audit, or ``{"rows": [row + "verdict"]}`` like the shared example), or an
    earlier audit folder (its key and verdict files)."""
    if path.is_dir():
        judged = judged_rows(path)
    else:
        data = read_json(path)
        judged = data.get("rows", []) if isinstance(data, dict) else data
    return {
        cache_key(row): row["verdict"]
        for row in judged
        if isinstance(row, dict) and isinstance(row.get("verdict"), dict)
    }


def sheet_item(row: dict[str, Any]) -> dict[str, Any]:
    """What a judge sees of a row: no predicate, method, rule or confidence."""

    def actor(n: int) -> dict[str, Any] | None:
        if not row.get(f"actor{n}_code"):
            return None
        return {
            "name": row.get(f"actor{n}_name"),
            "code": row.get(f"actor{n}_code"),
            "country": row.get(f"actor{n}_country_code"),
            "sector": row.get(f"actor{n}_sector"),
        }

    item: dict[str, Any] = {"sentence": row.get("sentence")}
    if row.get("article_title"):
        item["article_title"] = row["article_title"]
    item["actor1"] = actor(1)
    item["actor2"] = actor(2)
    item["event_type"] = row.get("event_type")
    if row.get("event_mode"):
        item["event_mode"] = row["event_mode"]
    return item


def brief_text(kind: str, sheets: list[str], outputs: list[str], rules: str, out: Path) -> str:
    lines = [
        f"# {kind}",
        "",
        f"Read `{rules}` first and follow it exactly.",
        "",
        "Sheets and the file to write for each (one JSON object, nothing else):",
        "",
    ]
    lines += [f"- `{out / s}` -> `{out / o}`" for s, o in zip(sheets, outputs, strict=True)]
    lines += ["", "Judge only from what the sheet shows; do not open the key files.", ""]
    return "\n".join(lines)


def sample(
    out: Path, rows_wanted: int, seed: int, batch: int, cache: Path | None = None
) -> dict[str, Any]:
    """Write ``audit_sheet_N.json``, ``audit_key.json`` and ``audit_brief.md`` into ``out``."""
    rows = [r for r in read_jsonl(out / "rows.jsonl") if r.get("counted")]
    drawn = seeded_sample(rows, rows_wanted, seed, key=lambda r: str(r.get("event_id")))
    cached = load_cache(cache) if cache else {}
    key: dict[str, dict[str, Any]] = {}
    to_judge: list[tuple[str, dict[str, Any]]] = []
    for i, row in enumerate(drawn):
        row_id = f"e{i:03d}"
        entry = dict(row)
        verdict = cached.get(cache_key(row))
        if verdict is not None:
            entry["cached_verdict"] = verdict
        else:
            to_judge.append((row_id, row))
        key[row_id] = entry
    for path in out.glob("audit_sheet_*.json"):
        path.unlink()
    sheets, outputs = [], []
    for number, chunk in enumerate(batches(to_judge, batch), 1):
        name, verdicts = f"audit_sheet_{number}.json", f"audit_verdicts_{number}.json"
        write_json(
            out / name,
            {
                "rules": AUDIT_RULES,
                "write_to": verdicts,
                "rows": {row_id: sheet_item(row) for row_id, row in chunk},
            },
        )
        for row_id, _ in chunk:
            key[row_id]["sheet"] = number
        sheets.append(name)
        outputs.append(verdicts)
    write_json(
        out / KEY_FILE,
        {
            "seed": seed,
            "rows_requested": rows_wanted,
            "counted_rows": len(rows),
            "cache": str(cache) if cache else None,
            "rows": key,
        },
    )
    (out / "audit_brief.md").write_text(
        brief_text("Audit of coded event rows", sheets, outputs, AUDIT_RULES, out),
        encoding="utf-8",
    )
    return {
        "counted_rows": len(rows),
        "sampled": len(drawn),
        "from_cache": len(drawn) - len(to_judge),
        "to_judge": len(to_judge),
        "sheets": sheets,
        "key": str(out / KEY_FILE),
        "brief": str(out / "audit_brief.md"),
    }


# ---------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------
def read_verdicts(out: Path, prefix: str = "audit_verdicts_") -> dict[str, Any]:
    verdicts: dict[str, Any] = {}
    for path in sorted(out.glob(f"{prefix}*.json")):
        data = read_json(path)
        if not isinstance(data, dict):
            raise AuditFileError(f"{path}: expected one JSON object keyed by item id")
        verdicts.update(data)
    return verdicts


def is_right(verdict: dict[str, Any]) -> bool:
    if "correct" in verdict:
        return bool(verdict["correct"])
    return all(bool(verdict.get(part)) for part in PARTS)


def judged_rows(out: Path) -> list[dict[str, Any]]:
    """The key's rows that have a verdict (from a verdict file or the cache)."""
    key = read_json(out / KEY_FILE)["rows"]
    verdicts = read_verdicts(out)
    judged = []
    for row_id, row in key.items():
        verdict = verdicts.get(row_id) or row.get("cached_verdict")
        if isinstance(verdict, dict):
            judged.append({"row_id": row_id, **row, "verdict": verdict})
    return judged


def _summary(judged: list[dict[str, Any]], counts: dict[str, Any]) -> dict[str, Any]:
    right = sum(is_right(r["verdict"]) for r in judged)
    share = right / len(judged) if judged else None
    per_type: dict[str, dict[str, Any]] = {}
    for event_type in sorted({str(r.get("event_type")) for r in judged}):
        of_type = [r for r in judged if str(r.get("event_type")) == event_type]
        per_type[event_type] = proportion(
            sum(is_right(r["verdict"]) for r in of_type), len(of_type)
        )
    counted, english = counts.get("counted_rows"), counts.get("english_articles")
    yield_ = (
        round(share * counted / english * 100, 2)
        if share is not None and counted is not None and english
        else None
    )
    return {
        "n": len(judged),
        "fully_right": proportion(right, len(judged)),
        "parts": {
            part: proportion(sum(bool(r["verdict"].get(part)) for r in judged), len(judged))
            for part in PARTS
        },
        "per_type": per_type,
        "yield_per_100_english_articles": yield_,
        "yield_inputs": {
            "share_fully_right": round(share, 3) if share is not None else None,
            "counted_rows": counted,
            "english_articles": english,
        },
    }


def score(out: Path) -> dict[str, Any]:
    """The audit's figures; also writes ``audit_judged.json`` (rows with verdicts,
    usable as ``sample --cache`` of a later audit)."""
    key = read_json(out / KEY_FILE)["rows"]
    judged = judged_rows(out)
    run = read_json(out / "run.json") if (out / "run.json").is_file() else {}
    result = {
        "audit": str(out),
        "sampled": len(key),
        "judged": len(judged),
        "missing_verdicts": sorted(set(key) - {r["row_id"] for r in judged}),
        "from_cache": sum(
            1 for r in judged if "cached_verdict" in r and r["verdict"] is r["cached_verdict"]
        ),
        **_summary(judged, run.get("counts", {})),
    }
    inputs = sorted({str(r.get("input")) for r in judged})
    if len(inputs) > 1:
        per_input = run.get("counts_per_input", {})
        result["per_input"] = {
            name: _summary(
                [r for r in judged if str(r.get("input")) == name], per_input.get(name, {})
            )
            for name in inputs
        }
    write_json(
        out / JUDGED_FILE,
        {
            "what": f"judged rows of the audit in {out}",
            "fully_right": sum(is_right(r["verdict"]) for r in judged),
            "rows": judged,
        },
    )
    return result
