"""``newsflow annotate`` and ``newsflow annotate-text``.

``annotate``: annotate every article not yet annotated by the current
annotator version (incremental; a second run does nothing), with a progress
bar on a terminal and a summary table (``--json`` for scripts).

``annotate-text FILE|-``: no database; sentences, actor mentions and event
candidates of a text or HTML file, for debugging and for analysts checking
why something was or was not coded.

Exit codes: 0 done; 1 some articles failed (recorded with status 'error', the
rest landed); 2 usage or configuration error (no model when one is required,
unreadable file, no database).
"""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from newsflow.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    ProgressBar,
    database_url,
)


def _annotate_config() -> Any:
    """The annotator's config from the environment; a usage error on a bad value."""
    from newsflow.settings import Env, SettingsError
    from newsflow.settings.transforms import annotate_config

    try:
        return annotate_config(Env())
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from exc


def _pipeline_option(use_model: str) -> bool | None:
    return {"auto": None, "model": True, "rules": False}[use_model]


@click.command("annotate")
@click.option("--limit", type=click.IntRange(min=1), help="Annotate at most this many articles.")
@click.option(
    "--pipeline",
    "use_model",
    type=click.Choice(["auto", "model", "rules"]),
    default=None,
    help="Force the spaCy model or the rule path (default: NEWSFLOW_ANNOTATE_PIPELINE or auto).",
)
@click.option("--batch-size", type=click.IntRange(min=1), help="Articles per transaction.")
@click.option("--processes", type=click.IntRange(min=1), help="Worker processes for the model.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def annotate(
    limit: int | None,
    use_model: str | None,
    batch_size: int | None,
    processes: int | None,
    as_json: bool,
) -> None:
    """Annotate the articles not yet annotated by this annotator version."""
    from dataclasses import replace

    from transforms.nlp import AnnotatorError
    from transforms.pipeline import run_annotate

    config = _annotate_config()
    if use_model:
        config = replace(config, pipeline=use_model)
    if batch_size:
        config = replace(config, batch_size=batch_size)
    if processes:
        config = replace(config, processes=processes)
    url = database_url()
    with ProgressBar(enabled=not as_json) as bar:
        try:
            summary = run_annotate(
                url, config=config, limit=limit, progress=bar.stage("annotating")
            )
        except AnnotatorError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_USAGE)
    if as_json:
        click.echo(json.dumps(summary.to_dict(), indent=2, default=str))
    else:
        _print_summary(summary)
    sys.exit(EXIT_PARTIAL if summary.errors else EXIT_OK)


def _print_summary(summary: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"annotate {summary.run_id}", header_style="bold")
    table.add_column("what")
    table.add_column("count", justify="right")
    for label, value in (
        ("articles annotated", summary.articles),
        ("  ok", summary.ok),
        ("  empty", summary.empty),
        ("  other language (skipped)", summary.skipped_language),
        ("  errors (recorded)", summary.errors),
        ("sentences", summary.sentences),
        ("actor mentions", summary.actor_mentions),
        ("event candidates", summary.event_mentions),
        ("batches", summary.batches),
    ):
        table.add_row(label, str(value))
    rate = f", {summary.articles_per_second:.1f} articles/s" if summary.articles else ""
    pipeline = summary.pipeline or "nothing to do"
    table.caption = f"{summary.annotator_version} · {pipeline} · {summary.seconds:.1f} s{rate}"
    Console().print(table)
    for sample in summary.error_samples:
        click.echo(f"article {sample['article_id']}: {sample['error']}", err=True)


# -----------------------------------------------------------------------------
# annotate-text
# -----------------------------------------------------------------------------
_HTML = re.compile(r"^\s*(?:<!doctype html|<html|<\?xml|<head|<body|<article|<div|<p[ >])", re.I)


def _read_input(source: str) -> str:
    if source == "-":
        data = sys.stdin.buffer.read()
    else:
        path = Path(source).expanduser()
        if not path.is_file():
            raise click.UsageError(f"{source}: no such file")
        data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _html_to_text(html: str) -> tuple[str, datetime | None]:
    """The article text of a page: the ingest extractor's, else (no text) the tags stripped."""
    from ingest.extract import extract_article

    try:
        result = extract_article(html)
    except Exception as exc:  # a page the extractor cannot take is still annotated
        click.echo(f"warning: extractor failed ({exc}); stripping tags instead", err=True)
    else:
        if result.text:
            return result.text, result.published_at
    import html as html_lib

    body = re.sub(r"(?is)<(script|style|noscript|template)\b.*?</\1>", " ", html)
    body = re.sub(r"(?i)<\s*(br|/p|/div|/h[1-6]|/li|/tr|/section|/article)\s*/?>", "\n", body)
    body = re.sub(r"(?s)<[^>]+>", " ", body)
    body = html_lib.unescape(body)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in body.splitlines()]
    return "\n".join(line for line in lines if line), None


def _parse_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO 8601 date or time: {value!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@click.command("annotate-text")
@click.argument("source", metavar="FILE_OR_-")
@click.option("--json", "as_json", is_flag=True, help="Print the full annotation as JSON.")
@click.option(
    "--published",
    help="Publication date/time (ISO 8601) that relative dates ('on Sunday') refer to.",
)
@click.option("--html/--text", "force_html", default=None, help="Treat the input as HTML or text.")
@click.option(
    "--pipeline",
    "use_model",
    type=click.Choice(["auto", "model", "rules"]),
    default="auto",
    help="Force the spaCy model or the rule path.",
)
@click.option("--language", help="Skip language detection: the text's ISO 639-1 code.")
@click.option(
    "--seeds",
    type=click.Path(file_okay=False, exists=True),
    help="Directory with actor_dictionary.csv etc. (default: the dbt seeds).",
)
def annotate_text(
    source: str,
    as_json: bool,
    published: str | None,
    force_html: bool | None,
    use_model: str,
    language: str | None,
    seeds: str | None,
) -> None:
    """Sentences, actor mentions and event candidates of a text or HTML file (no database)."""
    from transforms.annotate import annotate_text as run
    from transforms.nlp import AnnotatorError

    config = _annotate_config()
    raw = _read_input(source)
    published_at = _parse_datetime(published)
    is_html = force_html if force_html is not None else bool(_HTML.match(raw[:2000]))
    text = raw
    if is_html:
        text, page_date = _html_to_text(raw)
        published_at = published_at or page_date
    try:
        doc = run(
            text,
            published_at=published_at,
            language=language,
            dictionary=seeds,
            use_model=_pipeline_option(use_model),
            config=config,
        )
    except AnnotatorError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    if as_json:
        data = doc.to_dict()
        data["published_at"] = published_at.isoformat() if published_at else None
        click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    else:
        _print_document(doc)
    sys.exit(EXIT_PARTIAL if doc.status == "error" else EXIT_OK)


def _print_document(doc: Any) -> None:
    click.echo(
        f"status {doc.status} · language {doc.language} · {doc.pipeline} · "
        f"{len(doc.sentences)} sentences, {len(doc.mentions)} mentions, {len(doc.events)} events"
    )
    if doc.error:
        click.echo(f"error: {doc.error}")
    mentions = doc.mentions
    click.echo("\nmentions:")
    for m in mentions:
        details = [
            f"{k}={v}"
            for k, v in (
                ("key", m.dictionary_key),
                ("refers to", m.resolved_text),
                ("nationality", m.nationality),
                ("role", m.role),
                ("sponsor", m.sponsor),
                (
                    "place",
                    f"{m.place.name} {m.place.country} ({m.place.precision})" if m.place else None,
                ),
            )
            if v
        ]
        flags = [f for f, on in (("metonym", m.is_metonym), ("descriptor", m.is_descriptor)) if on]
        click.echo(
            f"  [{m.index}] {m.start}-{m.end} {m.text!r} {m.label}/{m.method} "
            + " ".join(details + flags)
        )
    click.echo("\nevents:")
    for e in doc.events:
        sources = ", ".join(mentions[i].text for i in e.sources) or "?"
        targets = ", ".join(mentions[i].text for i in e.targets) or "-"
        flags = [e.modality] if e.modality != "asserted" else []
        if e.negated:
            flags.append("negated")
        if e.is_background:
            flags.append("background")
        if e.attributed_to is not None:
            flags.append(f"according to {mentions[e.attributed_to].text}")
        where = f" in {e.place_text} ({e.place_source})" if e.place_text else ""
        when = f" on {e.event_date} ({e.date_cue!r})" if e.event_date else ""
        click.echo(
            f"  [{e.index}] s{e.sentence_index} {sources} --{e.predicate}--> {targets}"
            f"{where}{when} {' '.join(flags)}".rstrip()
        )
