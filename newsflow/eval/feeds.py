"""Feed parsing against rss-parser's golden outputs (an evaluation, not a test).

Usage::

    python -m newsflow.eval.feeds /work/shared/eval/feeds/rss-parser [--table] [--misses]

Prints the figures as JSON (``--table`` for a table per file instead).

The directory holds ``input/<name>.<ext>`` feeds and ``output/<name>.json``
expected parses (see its ``SOURCE.md``).  For every input the script runs
:func:`ingest.feed_parser.parse_feed` and compares, item by item (matched by link,
else GUID, else position):

* ``count``: our number of entries equals the expected number of items;
* ``title``: white-space-normalised equality (on ``uolNoticias`` only the ASCII
  non-space characters are compared: upstream read its Latin-1 bytes as UTF-8,
  so the expected strings hold U+FFFD where accents and no-break spaces belong);
* ``link``: our link as published (resolved) equals the expected link;
* ``date``: our ``published_at`` equals the expected ``isoDate`` (UTC, to the second);
* ``guid``: our GUID equals the expected ``guid``/``id``;
* ``categories``: the same set of category terms (case-insensitive);
* ``accounted``: every item the document holds is an entry or counted as
  skipped with a reason (``items_found == entries + skipped``).

A field is scored only on items where the expected parse has it.  Our titles and summaries are also
checked for U+FFFD (a decoding failure).  Inputs
without an expected output (``unrecognized.rss``) must come out "not a feed".
Prints a table per file and the overall agreement (micro-averaged); exit code
0 when every file parsed and the not-a-feed check holds, else 1.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from ingest.feed_parser import parse_feed
from ingest.records import FeedEntry, Outcome

FIELDS = ("title", "link", "date", "guid", "categories")
#: Files whose upstream parse was made with a served Content-Type (SOURCE.md).
CONTENT_TYPES = {"encoding": "text/xml; charset=latin1"}
#: Expected outputs written in Latin-1 (SOURCE.md).
LATIN1_OUTPUTS = {"encoding"}
#: Expected outputs whose accents are U+FFFD: compare ASCII only.
ASCII_ONLY_TITLES = {"uolNoticias"}


@dataclass
class FileScore:
    name: str
    outcome: str
    expected_items: int | None
    our_items: int
    agree: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    compared: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[str] = field(default_factory=list)
    replacement_chars: int = 0  # U+FFFD in our titles and summaries: a decoding failure
    items_found: int = 0  # items in the document, as the parser counted them
    skipped: dict[str, int] = field(default_factory=dict)  # items not entries, by reason

    @property
    def accounted(self) -> bool:
        return self.items_found == self.our_items + sum(self.skipped.values())

    def rate(self, name: str) -> float | None:
        return self.agree[name] / self.compared[name] if self.compared[name] else None


def _norm(text: Any, ascii_only: bool = False) -> str:
    value = re.sub(r"\s+", " ", str(text or "")).strip()
    if ascii_only:  # U+FFFD replaced accents and no-break spaces alike: compare the rest
        value = "".join(c for c in value if c.isascii() and not c.isspace())
    return value


def _expected_date(item: dict[str, Any]) -> datetime | None:
    raw = item.get("isoDate")
    if not raw:
        return None
    parsed = datetime.fromisoformat(str(raw).replace("Z", "+00:00")).astimezone(UTC)
    return parsed.replace(microsecond=0)  # feeds' milliseconds are not news


def _expected_categories(item: dict[str, Any]) -> set[str] | None:
    raw = item.get("categories")
    if raw is None:
        return None
    terms = set()
    for category in raw:
        term = category.get("_") if isinstance(category, dict) else category
        if term:
            terms.add(_norm(term).casefold())
    return terms


def _match(items: list[dict[str, Any]], entries: tuple[FeedEntry, ...]) -> list[FeedEntry | None]:
    by_link = {e.link: e for e in entries if e.link}
    by_guid = {e.guid: e for e in entries if e.guid}
    matched: list[FeedEntry | None] = []
    for index, item in enumerate(items):
        entry = by_link.get(item.get("link")) or by_guid.get(item.get("guid") or item.get("id"))
        if entry is None and index < len(entries):
            entry = entries[index]
        matched.append(entry)
    return matched


def score_file(feed_path: Path, expected_path: Path | None) -> FileScore:
    stem = feed_path.name.split(".", 1)[0]
    parsed = parse_feed(
        feed_path.read_bytes(),
        url="https://eval.invalid/" + feed_path.name,
        content_type=CONTENT_TYPES.get(stem),
        max_bytes=50 * 1024 * 1024,
        now=datetime.now(UTC),
    )
    if expected_path is None:
        score = FileScore(stem, str(parsed.outcome), None, len(parsed.entries))
        score.items_found, score.skipped = parsed.items_found, dict(parsed.skipped)
        score.compared["not_a_feed"] = 1
        score.agree["not_a_feed"] = int(parsed.outcome is Outcome.NOT_A_FEED)
        return score
    encoding = "latin-1" if stem in LATIN1_OUTPUTS else "utf-8"
    items = json.loads(expected_path.read_text(encoding=encoding))["feed"]["items"]
    score = FileScore(stem, str(parsed.outcome), len(items), len(parsed.entries))
    score.items_found, score.skipped = parsed.items_found, dict(parsed.skipped)
    score.replacement_chars = sum(
        (e.title or "").count("\ufffd") + (e.summary or "").count("\ufffd") for e in parsed.entries
    )
    score.compared["count"] = 1
    score.agree["count"] = int(len(items) == len(parsed.entries))
    ascii_only = stem in ASCII_ONLY_TITLES
    for item, entry in zip(items, _match(items, parsed.entries), strict=True):
        checks: dict[str, tuple[Any, Any]] = {}
        if "title" in item:
            ours = entry.title if entry else None
            checks["title"] = (_norm(item["title"], ascii_only), _norm(ours, ascii_only))
        if "link" in item:
            checks["link"] = (item["link"].strip(), entry.link if entry else None)
        expected_date = _expected_date(item)
        if expected_date is not None:
            ours_date = (
                entry.published_at.replace(microsecond=0) if entry and entry.published_at else None
            )
            checks["date"] = (expected_date, ours_date)
        guid = item.get("guid") or item.get("id")
        if guid:
            checks["guid"] = (str(guid).strip(), entry.guid if entry else None)
        categories = _expected_categories(item)
        if categories is not None:
            ours_c = {c.casefold() for c in entry.categories} if entry else set()
            checks["categories"] = (categories, ours_c)
        for name, (want, got) in checks.items():
            score.compared[name] += 1
            if want == got:
                score.agree[name] += 1
            elif len(score.misses) < 5:
                score.misses.append(f"{name}: expected {want!r}, got {got!r}")
    return score


def evaluate(directory: Path) -> list[FileScore]:
    inputs = sorted(p for p in (directory / "input").iterdir() if p.is_file())
    scores = []
    for feed_path in inputs:
        stem = feed_path.name.split(".", 1)[0]
        expected = directory / "output" / f"{stem}.json"
        scores.append(score_file(feed_path, expected if expected.exists() else None))
    return scores


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def summary(scores: list[FileScore]) -> dict[str, Any]:
    overall: dict[str, Any] = {}
    for name in ("count", *FIELDS):
        compared = sum(s.compared[name] for s in scores)
        agree = sum(s.agree[name] for s in scores)
        overall[name] = {"agree": agree, "compared": compared, "rate": agree / compared}
    not_feed = [s for s in scores if s.expected_items is None]
    overall["not_a_feed_reported"] = all(s.agree["not_a_feed"] for s in not_feed)
    overall["files_parsed"] = sum(s.outcome == "ok" for s in scores if s.expected_items is not None)
    overall["files_expected"] = sum(s.expected_items is not None for s in scores)
    overall["replacement_chars"] = sum(s.replacement_chars for s in scores)
    overall["items_found"] = sum(s.items_found for s in scores)
    overall["entries"] = sum(s.our_items for s in scores)
    skipped: dict[str, int] = defaultdict(int)
    for s in scores:
        for reason, n in s.skipped.items():
            skipped[reason] += n
    overall["skipped"] = dict(sorted(skipped.items()))
    overall["items_accounted"] = all(s.accounted for s in scores)
    return overall


@click.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, hidden=True, help="JSON (the default).")
@click.option("--table", is_flag=True, help="A table per file instead of JSON.")
@click.option("--misses", is_flag=True, help="Show up to five disagreements per file.")
def main(directory: Path, as_json: bool, table: bool, misses: bool) -> None:
    """Score feed parsing against rss-parser's expected outputs in DIRECTORY; print JSON."""
    scores = evaluate(directory)
    overall = summary(scores)
    if not table:
        files = [
            {
                "file": s.name,
                "outcome": s.outcome,
                "expected_items": s.expected_items,
                "our_items": s.our_items,
                "items_found": s.items_found,
                "skipped": s.skipped,
                "accounted": s.accounted,
                **{f: s.rate(f) for f in ("count", *FIELDS)},
                **({"not_a_feed": bool(s.agree["not_a_feed"])} if s.expected_items is None else {}),
                **({"misses": s.misses} if misses else {}),
            }
            for s in scores
        ]
        click.echo(json.dumps({"files": files, "overall": overall}, indent=2))
    else:
        header = f"{'file':<20} {'outcome':<12} {'items':>9} " + " ".join(
            f"{f:>10}" for f in FIELDS
        )
        click.echo(header)
        for s in scores:
            items = "-" if s.expected_items is None else f"{s.our_items}/{s.expected_items}"
            rates = " ".join(f"{_fmt(s.rate(f)):>10}" for f in FIELDS)
            note = ""
            if s.expected_items is None:
                note = "  not a feed: " + ("yes" if s.agree["not_a_feed"] else "NO")
            click.echo(f"{s.name:<20} {s.outcome:<12} {items:>9} {rates}{note}")
            if misses:
                for miss in s.misses:
                    click.echo(f"    {miss}")
        click.echo("")
        for name in ("count", *FIELDS):
            o = overall[name]
            click.echo(f"overall {name:<11} {o['rate']:.3f}  ({o['agree']}/{o['compared']})")
        click.echo(
            f"files parsed {overall['files_parsed']}/{overall['files_expected']}; "
            f"unrecognized input reported not a feed: {overall['not_a_feed_reported']}; "
            f"U+FFFD in our titles/summaries: {overall['replacement_chars']}"
        )
        click.echo(
            f"items {overall['items_found']}: {overall['entries']} entries, skipped "
            f"{overall['skipped'] or 'none'}; every item accounted for: "
            f"{overall['items_accounted']}"
        )
    ok = overall["not_a_feed_reported"] and overall["files_parsed"] == overall["files_expected"]
    ok = ok and overall["items_accounted"]
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
