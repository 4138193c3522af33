"""``newsflow eval audit``: measure the chain on real news by judged samples.

Five sub-commands, every output a file in one audit folder OUT, so sampling
and scoring need no database:

* ``run INPUT... --out OUT``: serve the pages (a folder of ``*.html`` /
  ``*.html.gz``, or a ``.jsonl`` file of stories) as sites with RSS feeds on
  127.0.0.1, run ``feeds import-opml``, ``ingest --once``, ``annotate`` and
  ``transform`` in a scratch database, and export ``run.json``,
  ``rows.jsonl`` (every ``marts.fct_events`` row), ``mentions.jsonl`` and
  ``sentences.jsonl``.  ``--keep`` keeps the database; ``--reuse OUT`` then
  re-runs only annotate and transform on it (after ``--reannotate``, from
  scratch, for an annotator changed without a version bump).
* ``sample OUT``: a seeded sample of counted rows on judging sheets
  (``AUDIT.md``); ``score OUT`` scores the verdicts.
* ``recall-sample OUT``: a seeded sample of story sentences on listing
  sheets (``RECALL.md``); ``recall-score OUT`` scores the lists against the
  run in OUT (``--lists`` may point at the lists of an earlier audit).

Exit codes: 0 done; 2 the audit could not run (bad input, no database, a
stage that could not run, a missing file of the audit folder).
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from newsflow.eval.audit_pages import Page

RUN_FILE = "run.json"
PAGES_FILE = "pages.json"


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _echo(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _report(func: Any, *args: Any) -> None:
    """Print what an audit step returns as JSON; a missing or bad audit file exits 2."""
    from newsflow.eval.audit_rows import AuditFileError

    try:
        _echo(func(*args))
    except AuditFileError as exc:
        _fail(str(exc))


def _annotator_version() -> str | None:
    try:
        from transforms.version import ANNOTATOR_VERSION
    except ImportError:
        return None
    return ANNOTATOR_VERSION


def _continue_run(
    run: dict[str, Any], reuse: Path, reannotate: bool, log: Path
) -> tuple[str, list[dict[str, Any]]]:
    """Annotate and transform the kept database of an earlier audit again."""
    from newsflow.eval import audit_chain as chain

    previous = json.loads((reuse / RUN_FILE).read_text(encoding="utf-8"))
    database_url = previous.get("database_url")
    if not database_url:
        raise chain.ChainError(f"{reuse / RUN_FILE} names no kept database (run with --keep)")
    pages_index = json.loads((reuse / PAGES_FILE).read_text(encoding="utf-8"))
    run["inputs"] = previous.get("inputs", [])
    run["reused"] = str(reuse)
    # the run that served and ingested the pages, however often it is reused
    run["ingest_run"] = previous.get("ingest_run") or {
        k: previous.get(k) for k in ("started_at", "git_commit", "elapsed_s", "stages")
    }
    if reannotate:
        run["annotations_deleted"] = chain.delete_annotations(database_url)
    run["stages"] = chain.annotate_and_transform(database_url, log=log)
    return str(database_url), pages_index


def _fresh_run(
    run: dict[str, Any], pages: list[Page], out: Path, database_url: str
) -> list[dict[str, Any]]:
    """Serve the pages and run the whole chain on them in ``database_url``."""
    from newsflow.eval import audit_chain as chain
    from newsflow.eval.audit_pages import Sites, opml

    with Sites(pages) as sites:
        (out / "feeds.opml").write_text(opml(sites.feeds), encoding="utf-8")
        run["sites"] = len(sites.feeds)
        run["stages"] = chain.run_chain(database_url, out / "feeds.opml", log=out / "chain.log")
    return [
        {
            "id": p.id,
            "input": p.input,
            "original_url": p.original_url,
            "served_url": p.served_url,
            "title": p.title,
        }
        for p in pages
    ]


def run_audit(
    inputs: list[Path],
    out: Path,
    *,
    server_url: str | None = None,
    keep: bool = False,
    reuse: Path | None = None,
    reannotate: bool = False,
    urls_file: Path | None = None,
) -> dict[str, Any]:
    """``audit run``; returns what it writes to ``run.json``.

    A fresh run creates a scratch database on ``server_url``'s server (default:
    the configured or embedded one) and drops it at the end unless ``keep``;
    ``reuse`` continues the kept database of an earlier audit folder instead.
    """
    from newsflow.eval import audit_chain as chain
    from newsflow.eval.audit_pages import load_inputs
    from newsflow.eval.audit_rows import write_json
    from newsflow.eval.events import create_scratch_database, drop_database

    started = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    run: dict[str, Any] = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": chain.git_commit(),
        "annotator_version": _annotator_version(),
    }
    created = None
    if reuse is not None:  # appends to the chain log it continues
        database_url, pages_index = _continue_run(run, reuse, reannotate, out / "chain.log")
        keep = True
    else:
        pages = load_inputs(inputs, urls_file)  # bad input fails before any database exists
        run["inputs"] = [str(p) for p in inputs]
        (out / "chain.log").write_text("", encoding="utf-8")
        if server_url is None:
            from newsflow.db import resolve_database_url

            server_url = resolve_database_url()
        database_url = created = create_scratch_database(server_url)
        if keep:  # a run that fails half way still says where its database is
            write_json(out / RUN_FILE, {**run, "database_url": database_url, "finished": False})
    try:
        if created:
            pages_index = _fresh_run(run, pages, out, created)
        run["pages"] = len(pages_index)
        run.update(
            chain.export(database_url, out, {str(p["id"]): str(p["input"]) for p in pages_index})
        )
    finally:
        if created and not keep and server_url:
            drop_database(server_url, created)
    if keep:
        run["database_url"] = database_url
    run["elapsed_s"] = round(time.monotonic() - started, 1)
    write_json(out / PAGES_FILE, pages_index)
    write_json(out / RUN_FILE, run)
    return run


@click.group(name="audit")
def main() -> None:
    """Audit the whole chain on real news: run, sample, score (see AUDIT.md, RECALL.md)."""


_OUT = click.Path(file_okay=False, path_type=Path)
_EXISTING_OUT = click.Path(exists=True, file_okay=False, path_type=Path)


@main.command("run")
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--out", type=_OUT, help="Audit folder to write (default: the --reuse folder).")
@click.option(
    "--database-url",
    default=None,
    help="A server URL to create the scratch database on (default: NEWSFLOW_DATABASE_URL's "
    "server, else the embedded one).",
)
@click.option("--keep", is_flag=True, help="Keep the scratch database (its URL goes in run.json).")
@click.option(
    "--reuse",
    type=_EXISTING_OUT,
    default=None,
    help="An earlier audit folder run with --keep: annotate and transform its database again "
    "(no serving, no ingest) and export anew.",
)
@click.option(
    "--reannotate",
    is_flag=True,
    help="With --reuse: delete every annotation first, so an annotator changed without a "
    "version bump annotates everything again.",
)
@click.option(
    "--urls",
    "urls_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='JSON {id: {"url": ...}} of the pages\' original URLs (default: a ground-truth.json '
    "in or above the page folder).",
)
def run_cmd(
    inputs: tuple[Path, ...],
    out: Path | None,
    database_url: str | None,
    keep: bool,
    reuse: Path | None,
    reannotate: bool,
    urls_file: Path | None,
) -> None:
    """Serve INPUT... (page folders, story .jsonl files) and run the whole chain on them."""
    from newsflow.eval.audit_chain import ChainError
    from newsflow.eval.audit_pages import InputError
    from newsflow.eval.events import EvalError

    if reuse is None and not inputs:
        _fail("give at least one INPUT (a folder of pages or a .jsonl file), or --reuse OUT")
    if reuse is None and out is None:
        _fail("--out is required")
    if reannotate and reuse is None:
        _fail("--reannotate needs --reuse")
    try:
        run = run_audit(
            list(inputs),
            out or reuse,  # type: ignore[arg-type]
            server_url=database_url,
            keep=keep,
            reuse=reuse,
            reannotate=reannotate,
            urls_file=urls_file,
        )
    except (ChainError, InputError, EvalError, OSError, json.JSONDecodeError) as exc:
        _fail(str(exc))
    _echo({k: v for k, v in run.items() if k != "stages"})


@main.command("sample")
@click.argument("out", type=_EXISTING_OUT)
@click.option("--rows", default=100, show_default=True, help="Counted rows to sample.")
@click.option("--seed", default=1, show_default=True)
@click.option("--batch", default=30, show_default=True, help="Rows per judging sheet (about).")
@click.option(
    "--cache",
    type=click.Path(exists=True, path_type=Path),
    help="Earlier verdicts (an audit_judged.json, or an earlier audit folder): rows judged "
    "identically are scored with them and left off the sheets.",
)
def sample_cmd(out: Path, rows: int, seed: int, batch: int, cache: Path | None) -> None:
    """Seeded random sample of counted rows of OUT on judging sheets."""
    from newsflow.eval.audit_rows import sample

    _report(sample, out, rows, seed, batch, cache)


@main.command("score")
@click.argument("out", type=_EXISTING_OUT)
def score_cmd(out: Path) -> None:
    """Score OUT's audit_verdicts_*.json: share right (95% CI), parts, types, yield."""
    from newsflow.eval.audit_rows import score

    _report(score, out)


@main.command("recall-sample")
@click.argument("out", type=_EXISTING_OUT)
@click.option("--sentences", default=60, show_default=True, help="Sentences to sample.")
@click.option("--seed", default=1, show_default=True)
@click.option("--batch", default=30, show_default=True, help="Sentences per sheet (about).")
@click.option(
    "--from",
    "source",
    default=None,
    help="The input to sample (a stories .jsonl path or name; default: every .jsonl input).",
)
def recall_sample_cmd(out: Path, sentences: int, seed: int, batch: int, source: str | None) -> None:
    """Seeded random sample of story sentences of OUT on listing sheets."""
    from newsflow.eval.audit_recall import recall_sample

    _report(recall_sample, out, sentences, seed, batch, source)


@main.command("recall-score")
@click.argument("out", type=_EXISTING_OUT)
@click.option(
    "--lists",
    type=_EXISTING_OUT,
    default=None,
    help="Folder with recall_key.json and recall_lists_*.json (default: OUT).",
)
def recall_score_cmd(out: Path, lists: Path | None) -> None:
    """Share of the judges' listed events that OUT's run counted (same type, countries)."""
    from newsflow.eval.audit_recall import recall_score

    _report(recall_score, out, lists)


if __name__ == "__main__":
    main()
