"""The whole chain on served audit pages, and what it produced as files.

:func:`run_chain` runs the commands a user runs (``feeds import-opml``,
``ingest --once``, ``annotate``, ``transform``), each as a ``newsflow``
subprocess pointed at the audit's scratch database, while
:class:`~newsflow.eval.audit_pages.Sites` serves the pages in this process.
:func:`export` then writes ``rows.jsonl`` (every ``marts.fct_events`` row
with its sentence, article and input story) and ``sentences.jsonl`` (every
sentence of every article), so sampling and scoring need no database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import psycopg
from psycopg.rows import dict_row

import newsflow
from newsflow.settings import Env, load
from newsflow.settings.env import with_host_allowed
from storage import eval as storage_eval
from storage.connection import connect

#: fct_events columns that only serve dbt's incremental bookkeeping
BOOKKEEPING = {"watermark_xmin", "written_xact"}
#: passes of ``ingest --once`` at most (a pass takes a batch of pages)
MAX_INGEST_PASSES = 5


class ChainError(RuntimeError):
    """A stage of the chain could not run at all."""


def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(newsflow.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    env["NEWSFLOW_DATABASE_URL"] = database_url
    allowed = load(Env(env)).ingest.http.allowed_hosts
    env["NEWSFLOW_ALLOWED_HOSTS"] = with_host_allowed(allowed, "127.0.0.1")
    return env


def newsflow_cli(database_url: str, *args: str, log: Path | None = None) -> dict[str, Any]:
    """Run ``newsflow ARGS`` on the database; its JSON summary when it prints one.

    Exit code 1 (partial failure: some pages or tests failed, the rest landed)
    is recorded, not raised; 2 and above mean the stage could not run.
    """
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "newsflow.cli", *args],
        env=_env(database_url),
        capture_output=True,
        text=True,
        check=False,
    )
    if log is not None:
        with log.open("a", encoding="utf-8") as fh:
            fh.write(f"$ newsflow {' '.join(args)}  (exit {proc.returncode})\n")
            fh.write(proc.stdout + proc.stderr + "\n")
    if proc.returncode >= 2:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-20:])
        raise ChainError(f"newsflow {' '.join(args)} failed (exit {proc.returncode}):\n{tail}")
    summary: dict[str, Any] = {}
    out = proc.stdout.strip()
    if out.startswith("{"):
        try:
            summary = json.loads(out)
        except json.JSONDecodeError:  # one JSON object per line (ingest)
            summary = json.loads(out.splitlines()[-1])
    return {
        "command": "newsflow " + " ".join(args),
        "exit": proc.returncode,
        "seconds": round(time.monotonic() - started, 1),
        "summary": summary,
    }


def _due_entries(database_url: str) -> int:
    with connect(database_url) as conn:
        return storage_eval.due_entries(conn)


def ingest_all(database_url: str, log: Path | None = None) -> list[dict[str, Any]]:
    """``ingest --once`` until no entry is waiting for its page (failures back off)."""
    passes = []
    for _ in range(MAX_INGEST_PASSES):
        passes.append(newsflow_cli(database_url, "ingest", "--once", "--json", log=log))
        if _due_entries(database_url) == 0:
            break
    return passes


def annotate_and_transform(database_url: str, log: Path | None = None) -> dict[str, Any]:
    return {
        "annotate": newsflow_cli(database_url, "annotate", "--json", log=log),
        "transform": newsflow_cli(database_url, "transform", "--json", log=log),
    }


def run_chain(database_url: str, opml_path: Path, log: Path | None = None) -> dict[str, Any]:
    """Import the feeds, ingest, annotate, transform: the stages' summaries."""
    stages: dict[str, Any] = {
        "import_opml": newsflow_cli(database_url, "feeds", "import-opml", str(opml_path), log=log)
    }
    stages["ingest"] = ingest_all(database_url, log=log)
    stages.update(annotate_and_transform(database_url, log=log))
    return stages


def delete_annotations(database_url: str) -> int:
    """Delete every article's annotation rows, so the next ``annotate`` redoes them all.

    For an annotator changed without a version bump.  ``raw.annotated_articles``
    is the parent of the other annotation tables (sentences, actor and event
    mentions), which go with it (``on delete cascade``).  Returns the number of
    article annotations deleted.
    """
    with connect(database_url) as conn:
        deleted = storage_eval.delete_annotations(conn)
        conn.commit()
    return deleted


# ---------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------
def _columns(conn: psycopg.Connection[Any], schema: str, table: str) -> list[str]:
    rows = conn.execute(
        "select column_name from information_schema.columns "
        "where table_schema = %s and table_name = %s order by ordinal_position",
        (schema, table),
    ).fetchall()
    return [str(_first(r)) for r in rows]


def _first(row: Any) -> Any:
    """The first column of a row, whatever the row factory."""
    return next(iter(row.values())) if isinstance(row, dict) else row[0]


def is_counted(row: dict[str, Any]) -> bool:
    """Whether a ``fct_events`` row counts in the marts (``is_counted`` if the model has
    one, else not background: the marts leave background events out)."""
    if row.get("is_counted") is not None:
        return bool(row["is_counted"])
    return not row.get("is_background")


def _jsonable(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return float(value) if hasattr(value, "as_integer_ratio") else str(value)


def _write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(_jsonable(row), ensure_ascii=False) + "\n")
            n += 1
    return n


def fetch_rows(conn: psycopg.Connection[Any], inputs: dict[str, str]) -> list[dict[str, Any]]:
    """Every ``marts.fct_events`` row with its article, story and sentence index.

    ``inputs`` maps story ids to the input they came from.  The mention the row
    shows (its first report) comes along as ``mention`` for diagnosis.
    """
    fct = [c for c in _columns(conn, "marts", "fct_events") if c not in BOOKKEEPING]
    if not fct:
        raise ChainError("marts.fct_events does not exist: did the transform run?")
    mention_cols = set(_columns(conn, "marts", "fct_event_mentions"))
    wanted = {"event_id", "article_id", "sentence_index"}
    rows = storage_eval.event_rows(conn, fct, with_mention=wanted <= mention_cols)
    out = []
    for record in _with_input(rows, inputs):
        found = record.pop("mention") or {}
        record["sentence_index"] = found.get("sentence_index")
        record["mention"] = {k: v for k, v in found.items() if k not in BOOKKEEPING}
        record["counted"] = is_counted(record)
        out.append(record)
    return out


def _with_input(rows: Iterable[Any], inputs: dict[str, str]) -> list[dict[str, Any]]:
    """Rows with a ``story_id`` as dicts that also name the input the story came from."""
    return [{**row, "input": inputs.get(row.get("story_id") or "")} for row in rows]


def fetch_sentences(conn: psycopg.Connection[Any], inputs: dict[str, str]) -> list[dict[str, Any]]:
    rows = storage_eval.sentence_rows(conn)
    return _with_input(rows, inputs)


def fetch_mentions(
    conn: psycopg.Connection[Any], inputs: dict[str, str], counted_events: set[str]
) -> list[dict[str, Any]]:
    """Every ``marts.fct_event_mentions`` row with its sentence and story; ``counted``
    when it is countable and its event a counted ``fct_events`` row (recall is scored
    on these)."""
    if not _columns(conn, "marts", "fct_event_mentions"):
        return []
    rows = storage_eval.mention_rows(conn)
    flat = [
        {
            **{k: v for k, v in row["mention"].items() if k not in BOOKKEEPING},
            "sentence_text": row["sentence_text"],
            "story_id": row["story_id"],
        }
        for row in rows
    ]
    return [
        {**m, "counted": bool(m.get("is_countable", True)) and m.get("event_id") in counted_events}
        for m in _with_input(flat, inputs)
    ]


def counts(conn: psycopg.Connection[Any], rows: list[dict[str, Any]]) -> dict[str, int]:
    return {
        **storage_eval.chain_counts(conn),
        "fct_events_rows": len(rows),
        "counted_rows": sum(1 for r in rows if r["counted"]),
    }


def annotator_versions(conn: psycopg.Connection[Any]) -> list[str]:
    return storage_eval.annotator_versions(conn)


def export(database_url: str, out: Path, inputs: dict[str, str]) -> dict[str, Any]:
    """Write ``rows.jsonl``, ``mentions.jsonl`` and ``sentences.jsonl``; the counts and
    versions for ``run.json``."""
    with connect(database_url, row_factory=dict_row) as conn:
        rows = fetch_rows(conn, inputs)
        sentences = fetch_sentences(conn, inputs)
        mentions = fetch_mentions(conn, inputs, {r["event_id"] for r in rows if r["counted"]})
        languages = storage_eval.story_languages(conn)
        result = {
            "counts": counts(conn, rows),
            "annotator_versions": annotator_versions(conn),
        }
    _write_jsonl(out / "rows.jsonl", rows)
    result["counts"]["sentences"] = _write_jsonl(out / "sentences.jsonl", sentences)
    result["counts"]["event_mentions"] = _write_jsonl(out / "mentions.jsonl", mentions)
    result["counts"]["countable_mentions"] = sum(1 for m in mentions if m.get("is_countable"))
    result["counts"]["counted_mentions"] = sum(1 for m in mentions if m["counted"])
    result["counts_per_input"] = per_input_counts(languages, mentions, rows, inputs)
    return result


def per_input_counts(
    articles: list[dict[str, Any]],
    mentions: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    inputs: dict[str, str],
) -> dict[str, dict[str, int]]:
    """The run's counts per input (the yield of each input needs its own)."""
    fields = (
        "articles",
        "english_articles",
        "event_mentions",
        "countable_mentions",
        "fct_events_rows",
        "counted_rows",
    )
    per_input: dict[str, dict[str, int]] = {}

    def add(name: Any, **values: int) -> None:
        entry = per_input.setdefault(str(name), dict.fromkeys(fields, 0))
        for key, value in values.items():
            entry[key] += value

    for article in articles:
        english = (article["language"] or "").split("-")[0] == "en"
        add(inputs.get(article["story_id"] or ""), articles=1, english_articles=int(english))
    for mention in mentions:
        add(
            mention["input"],
            event_mentions=1,
            countable_mentions=int(bool(mention.get("is_countable"))),
        )
    for row in rows:
        add(row["input"], fct_events_rows=1, counted_rows=int(row["counted"]))
    return per_input


def git_commit() -> str | None:
    root = Path(newsflow.__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("-dirty" if dirty else "")
