"""``newsflow feeds``: the feed catalogue, and parsing feeds without a database.

Exit codes: 0 success; 1 some inputs failed (the rest were processed);
2 usage or configuration error (bad arguments, an invalid catalogue file,
no database).
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from newsflow.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    database_url,
    exits_cleanly,
    ingest_config,
)


def _connect() -> Any:
    from newsflow.db import connect

    return connect(database_url(), autocommit=True)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


@click.group()
def feeds() -> None:
    """The feed catalogue (raw.feeds) and feed parsing."""


# ---------------------------------------------------------------------------
# Catalogue commands (database)
# ---------------------------------------------------------------------------
@feeds.command()
@click.argument("url")
@click.option("--name", help="Display name (default: the host).")
@click.option("--language", help="BCP 47 language of the outlet, e.g. en, pt-BR.")
@click.option("--country", help="ISO 3166-1 alpha-3 (or alpha-2) country of the outlet.")
@click.option("--tag", "tags", multiple=True, help="A tag; repeat for several.")
@click.option("--interval", help="Poll interval: seconds, or 90s / 15m / 2h / 1d.")
@click.option("--disabled", is_flag=True, help="Add the feed without polling it.")
@exits_cleanly
def add(
    url: str,
    name: str | None,
    language: str | None,
    country: str | None,
    tags: tuple[str, ...],
    interval: str | None,
    disabled: bool,
) -> None:
    """Add a feed, or update it when its URL is already known (re-enables it)."""
    from ingest.catalog import spec_from_mapping, upsert_feeds
    from storage.monitoring import feed_known

    raw: dict[str, Any] = {"url": url, "name": name, "language": language, "country": country}
    raw["tags"] = list(tags)
    raw["enabled"] = not disabled
    if interval is not None:
        raw["poll_interval"] = interval
    try:
        spec = spec_from_mapping({k: v for k, v in raw.items() if v is not None})
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    with _connect() as conn:
        known = feed_known(conn, spec.url)
        changed = upsert_feeds(conn, [spec], reenable=True)
    verb = "updated" if known and changed else "unchanged" if known else "added"
    click.echo(f"{verb}: {spec.name} <{spec.url}>")


@feeds.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (every column).")
@exits_cleanly
def list_cmd(as_json: bool) -> None:
    """List feeds with their health and next due time."""
    from ingest.catalog import list_feeds

    with _connect() as conn:
        rows = list_feeds(conn)
    if as_json:
        click.echo(json.dumps(_jsonable(rows), ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no feeds yet: add one with `newsflow feeds add URL` or `newsflow feeds load`")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for column in ("id", "name", "url", "on", "last outcome", "fails", "last success", "next due"):
        table.add_column(column, overflow="fold")
    for r in rows:
        success = r["last_success_at"].strftime("%Y-%m-%d %H:%M") if r["last_success_at"] else "-"
        table.add_row(
            str(r["feed_id"]),
            r["name"],
            r["url"],
            "yes" if r["enabled"] else "no",
            r["last_outcome"] or "-",
            str(r["consecutive_failures"]),
            success,
            r["next_due_at"].strftime("%Y-%m-%d %H:%M"),
        )
    Console(soft_wrap=False, width=max(120, Console().width)).print(table)


@feeds.command()
@click.argument("url_or_name")
@exits_cleanly
def remove(url_or_name: str) -> None:
    """Remove a feed (and its entries) by URL or name."""
    from ingest.catalog import remove_feed

    with _connect() as conn:
        try:
            removed = remove_feed(conn, url_or_name)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
    if not removed:
        click.echo(f"no feed with URL or name {url_or_name!r}", err=True)
        sys.exit(EXIT_PARTIAL)
    click.echo(f"removed: {url_or_name}")


@feeds.command("import-opml")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@exits_cleanly
def import_opml(file: Path) -> None:
    """Import the feeds of an OPML subscription list (folders become tags)."""
    from ingest.catalog import CatalogError, parse_opml, upsert_feeds

    problems: list[str] = []
    try:
        specs = parse_opml(file.read_bytes(), problems=problems)
    except CatalogError as exc:
        click.echo(f"error: {file}: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    with _connect() as conn:
        changed = upsert_feeds(conn, specs)
    for problem in problems:
        click.echo(f"skipped: {file}: {problem}", err=True)
    click.echo(f"{len(specs)} feeds in {file.name}, {changed} new or changed")
    sys.exit(EXIT_PARTIAL if problems else EXIT_OK)


@feeds.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@exits_cleanly
def load(file: Path | None) -> None:
    """Load (add or update) every feed of a feeds.yaml (default: NEWSFLOW_FEEDS_FILE)."""
    from ingest.catalog import CatalogError, load_feeds_yaml, upsert_feeds
    from newsflow.cli.common import settings

    if file is None:
        configured = settings().feeds_file
        if not configured:
            raise click.UsageError("give a feeds.yaml, or set NEWSFLOW_FEEDS_FILE")
        file = Path(configured).expanduser()
    if not file.is_file():
        raise click.UsageError(f"{file}: no such file")
    try:
        specs = load_feeds_yaml(file)
    except CatalogError as exc:
        click.echo(f"error: the catalogue was not loaded, fix these first:\n{exc}", err=True)
        sys.exit(EXIT_USAGE)
    with _connect() as conn:
        changed = upsert_feeds(conn, specs)
    click.echo(f"{len(specs)} feeds in {file.name}, {changed} new or changed")


# ---------------------------------------------------------------------------
# feeds parse (no database)
# ---------------------------------------------------------------------------
def _expand(inputs: tuple[str, ...]) -> Iterator[str]:
    for item in inputs:
        path = Path(item)
        if not item.startswith(("http://", "https://")) and path.is_dir():
            yield from (
                str(p) for p in sorted(path.iterdir()) if p.is_file() and not p.name.startswith(".")
            )
        else:
            yield item


def _parse_one(source: str, base_url: str | None, max_bytes: int) -> dict[str, Any]:
    from ingest.feed_parser import parse_feed

    record: dict[str, Any] = {"source": source}
    if source.startswith(("http://", "https://")):
        from ingest.http import fetch_sync  # written by the HTTP stage; imported when needed

        record["id"] = source
        result = fetch_sync(source, kind="feed", options=ingest_config().http, max_bytes=max_bytes)
        record["status"] = result.status
        if not result.ok:
            record.update(outcome=str(result.outcome), error=result.error)
            return record
        parsed = parse_feed(
            result.body, url=result.final_url, content_type=result.content_type, max_bytes=max_bytes
        )
    else:
        path = Path(source)
        record["id"] = path.name.split(".", 1)[0]
        try:
            with path.open("rb") as handle:
                body = handle.read(max_bytes + 1)
        except OSError as exc:
            record.update(outcome="error", error=f"{exc.__class__.__name__}: {exc.strerror or exc}")
            return record
        parsed = parse_feed(body, url=base_url or path.resolve().as_uri(), max_bytes=max_bytes)
    record.update(
        outcome=str(parsed.outcome),
        version=parsed.version,
        title=parsed.title,
        site_url=parsed.site_url,
        feed_url=parsed.feed_url,
        language=parsed.language,
        ttl_s=parsed.ttl_s,
        entry_count=len(parsed.entries),
        items_found=parsed.items_found,
        skipped=parsed.skipped,
        error=parsed.error,
        warnings=list(parsed.warnings),
        entries=[_jsonable(dataclasses.asdict(e)) for e in parsed.entries],
    )
    return record


def _print_human(record: dict[str, Any]) -> None:
    head = f"{record['source']}: {record['outcome']}"
    if record.get("outcome") == "ok":
        head += f" ({record.get('version') or 'unknown format'}, {record['entry_count']} entries)"
    click.echo(head)
    if record.get("skipped"):
        reasons = ", ".join(f"{n} {reason}" for reason, n in record["skipped"].items())
        click.echo(f"  {record['items_found']} items; not entries: {reasons}")
    if record.get("error"):
        click.echo(f"  error: {record['error']}")
    if record.get("title"):
        click.echo(f"  title: {record['title']}")
    for warning in record.get("warnings") or []:
        click.echo(f"  warning: {warning}")
    for entry in record.get("entries") or []:
        when = entry["published_at"] or ("invalid date" if entry["date_invalid"] else "no date")
        click.echo(f"  - [{when}] {entry['title'] or '(no title)'}")
        click.echo(f"    {entry['canonical_url'] or entry['entry_key']}")


@feeds.command()
@click.argument("inputs", nargs=-1, required=True, metavar="PATH_OR_URL...")
@click.option("--json", "as_json", is_flag=True, help="JSON (one line per input when several).")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="One JSON line per input.")
@click.option("--base-url", help="Resolve relative links in files against this URL.")
@click.option(
    "--max-bytes", type=int, help="Size limit per feed (default NEWSFLOW_MAX_FEED_BYTES)."
)
@exits_cleanly
def parse(
    inputs: tuple[str, ...],
    as_json: bool,
    as_jsonl: bool,
    base_url: str | None,
    max_bytes: int | None,
) -> None:
    """Parse feed files, directories of feeds or URLs; print normalised entries.

    RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1.0/1.1.  Every item of a
    feed is an entry or counted in ``skipped`` with its reason.

    No database is needed.  A directory means every file in it.  One broken
    input never stops the rest; the exit code is 1 when any input is not a
    usable feed.
    """
    from newsflow.cli.common import settings

    limit = max_bytes if max_bytes is not None else settings().ingest.http.max_feed_bytes
    sources = list(_expand(inputs))
    if not sources:
        click.echo("no input files found", err=True)
        sys.exit(EXIT_PARTIAL)
    single = len(sources) == 1 and not as_jsonl
    failed = 0
    for source in sources:
        try:
            record = _parse_one(source, base_url, limit)
        except Exception as exc:  # one broken input never stops the rest
            record = {"source": source, "outcome": "error", "error": f"{exc!r}"}
        if record.get("outcome") != "ok":
            failed += 1
        if as_json and single:
            click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        elif as_json or as_jsonl:
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            _print_human(record)
    if failed and not (as_json or as_jsonl):
        click.echo(f"{failed} of {len(sources)} inputs are not usable feeds", err=True)
    sys.exit(EXIT_PARTIAL if failed else EXIT_OK)
