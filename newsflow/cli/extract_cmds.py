"""``newsflow extract PATH_OR_URL...``: clean text and metadata of pages, no database.

Inputs are files (``.html``, ``.htm``, gzip-compressed ``.gz``), directories
(every ``.html``/``.htm``/``.html.gz``/``.htm.gz`` directly inside, sorted) and
``http(s)://`` URLs, fetched through the same safe HTTP client as ingestion
(private addresses refused unless ``NEWSFLOW_ALLOWED_HOSTS`` allows them,
robots.txt honoured, size and time capped).

Output: a readable header (title, date, URL, language, words) and the text;
``--json`` one JSON document (an object for one input, an array for several);
``--jsonl`` one JSON object per line and input, in input order, with ``id`` =
the file name up to its first dot (the URL for URLs).  Several inputs are
extracted in the sandboxed worker pool (``NEWSFLOW_EXTRACT_WORKERS``, CPU,
memory and time limits); a single one in this process.

Exit codes: 0 every input extracted; 1 some inputs failed (unreadable file,
fetch error, or an extraction outcome other than ``ok``), the others are still
printed; 2 usage error.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from newsflow.cli.common import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, ingest_config, settings

PAGE_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")


@dataclass
class _Input:
    """One page to extract, or why it could not be read."""

    id: str
    source: str
    html: bytes | None = None
    url: str | None = None
    error: str | None = None
    outcome: str | None = None  # for read/fetch failures


def _is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def _page_id(path: Path) -> str:
    return path.name.split(".", 1)[0] or path.name


def _read_file(path: Path, max_bytes: int) -> _Input:
    item = _Input(id=_page_id(path), source=str(path))
    try:
        data = path.read_bytes()
        if path.suffix == ".gz" or data[:2] == b"\x1f\x8b":
            # bounded, so a gzip bomb on disk cannot exhaust memory
            decomp = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
            data = decomp.decompress(data, max_bytes + 1)
            if len(data) > max_bytes:
                item.outcome, item.error = "extract_too_large", f"more than {max_bytes} bytes"
                return item
    except (OSError, zlib.error, EOFError, gzip.BadGzipFile) as exc:
        item.outcome, item.error = "read_error", f"cannot read {path}: {exc}"
        return item
    item.html = data
    return item


def _fetch(url: str) -> _Input:
    item = _Input(id=url, source=url, url=url)
    try:
        from ingest.http import fetch_sync
    except ImportError as exc:  # the HTTP client is part of the same package
        item.outcome, item.error = "fetch_error", f"HTTP client unavailable: {exc}"
        return item
    result = fetch_sync(url, kind="page", options=ingest_config().http)
    if not result.ok:
        status = f" (HTTP {result.status})" if result.status else ""
        item.outcome = str(result.outcome)
        item.error = f"{result.outcome}{status}: {result.error or 'fetch failed'}"
        return item
    item.html = result.body
    item.url = result.final_url or url
    return item


def _expand(inputs: tuple[str, ...]) -> Iterator[str | Path]:
    for value in inputs:
        if _is_url(value):
            yield value
            continue
        path = Path(value)
        if path.is_dir():
            yield from sorted(
                p for p in path.iterdir() if p.is_file() and p.name.lower().endswith(PAGE_SUFFIXES)
            )
        else:
            yield path


def _load(target: str | Path, max_bytes: int) -> _Input:
    if isinstance(target, str):
        return _fetch(target)
    if not target.exists():
        return _Input(
            id=_page_id(target),
            source=str(target),
            outcome="read_error",
            error=f"no such file: {target}",
        )
    return _read_file(target, max_bytes)


def _record(item: _Input, article: Any | None) -> dict[str, Any]:
    record: dict[str, Any] = {"id": item.id, "source": item.source}
    if article is None:
        record.update(outcome=item.outcome, error=item.error, text="")
        return record
    data = dataclasses.asdict(article)
    data["outcome"] = str(article.outcome)
    if article.published_at is not None:
        data["published_at"] = article.published_at.isoformat()
    data["authors"] = list(article.authors)
    text = data.pop("text")
    record.update(data)
    record["text"] = text  # last, so the metadata reads first
    return record


def _plain(record: dict[str, Any]) -> str:
    lines = [f"== {record.get('source')}"]
    if record.get("outcome") != "ok":
        lines.append(f"outcome:  {record.get('outcome')}  ({record.get('error')})")
    for label, key in (
        ("title", "title"),
        ("date", "published_at"),
        ("url", "canonical_url"),
        ("site", "site_name"),
    ):
        if record.get(key):
            lines.append(f"{label + ':':9} {record[key]}")
    if record.get("authors"):
        lines.append(f"{'authors:':9} {', '.join(record['authors'])}")
    if record.get("language"):
        confidence = record.get("language_confidence")
        suffix = f" ({confidence:.2f})" if isinstance(confidence, float) else ""
        lines.append(f"{'language:':9} {record['language']}{suffix}")
    if "word_count" in record:
        lines.append(
            f"{'words:':9} {record['word_count']}   extractor: {record.get('extractor')} "
            f"{record.get('extractor_version')}"
        )
    text = record.get("text") or ""
    return "\n".join(lines) + ("\n\n" + text if text else "") + "\n"


def _extract_all(
    targets: list[str | Path], workers: int, max_bytes: int
) -> Iterator[tuple[_Input, Any | None]]:
    """Read, fetch and extract every target; yields in input order.

    Pages are read lazily (the pool reads its input a bounded window ahead),
    so a directory of thousands of pages never sits in memory at once.
    """
    cfg = ingest_config().extraction
    loaded: dict[int, _Input] = {}

    def readable() -> Iterator[tuple[int, bytes, str | None]]:
        for index, target in enumerate(targets):
            item = _load(target, max_bytes)
            loaded[index] = item
            if item.html is not None:
                html, item.html = item.html, None  # the pool holds the page from here on
                yield index, html, item.url

    pool = None
    if len(targets) <= 1 or workers <= 1:
        from ingest.extract import extract_article

        stream: Iterator[tuple[Any, Any]] = (
            (index, extract_article(html, url=url, settings=cfg)) for index, html, url in readable()
        )
    else:
        from ingest.sandbox import ExtractionPool

        pool = ExtractionPool(workers=workers, settings=cfg)
        stream = pool.extract_many(readable())
    articles: dict[int, Any] = {}
    next_out = 0
    try:
        for index, article in stream:
            articles[index] = article
            while next_out in articles or (
                next_out in loaded and loaded[next_out].outcome is not None
            ):
                yield loaded.pop(next_out), articles.pop(next_out, None)
                next_out += 1
        while next_out < len(targets):
            yield loaded.pop(next_out), articles.pop(next_out, None)
            next_out += 1
    finally:
        if pool is not None:
            pool.close()


@click.command(name="extract")
@click.argument("inputs", nargs=-1, metavar="PATH_OR_URL...")
@click.option(
    "--json", "as_json", is_flag=True, help="One JSON document (array for several inputs)."
)
@click.option("--jsonl", "as_jsonl", is_flag=True, help="One JSON object per line and input.")
@click.option(
    "--workers",
    type=int,
    default=None,
    help="Extraction processes for several inputs [NEWSFLOW_EXTRACT_WORKERS].",
)
def extract(inputs: tuple[str, ...], as_json: bool, as_jsonl: bool, workers: int | None) -> None:
    """Print clean text and metadata of HTML pages (files, directories or URLs); no database."""
    import logging

    if not inputs:
        raise click.UsageError("give at least one file, directory or URL")
    if as_json and as_jsonl:
        raise click.UsageError("--json and --jsonl are exclusive")
    for name in ("trafilatura", "readability", "htmldate", "courlan"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    app = settings()
    if workers is not None and workers < 1:
        raise click.UsageError("--workers must be at least 1")
    n_workers = workers if workers is not None else app.ingest.extraction.workers
    targets = list(_expand(inputs))
    if not targets:
        click.echo("error: no .html or .html.gz files in the given directories", err=True)
        sys.exit(EXIT_PARTIAL)
    failed = 0
    collected: list[dict[str, Any]] = []
    for item, article in _extract_all(targets, n_workers, app.ingest.http.max_page_bytes):
        record = _record(item, article)
        if record.get("outcome") != "ok":
            failed += 1
            if not (as_json or as_jsonl):
                click.echo(
                    f"error: {item.source}: {record.get('outcome')}: {record.get('error')}",
                    err=True,
                )
        if as_jsonl:
            click.echo(json.dumps(record, ensure_ascii=False))
        elif as_json:
            collected.append(record)
        else:
            click.echo(_plain(record))
    if as_json:
        payload: Any = collected[0] if len(collected) == 1 else collected
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    sys.exit(EXIT_PARTIAL if failed else EXIT_OK)


__all__ = ["EXIT_USAGE", "extract"]
