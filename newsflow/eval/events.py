"""Score event coding on PLOVER gold-standard records.

``python -m newsflow.eval.events FILE`` (or ``newsflow eval events FILE``)
loads the records' sentences into a scratch database as articles (one article
per sentence), runs the annotator and the dbt models exactly as production does,
and compares the coded events with the human coding:

* ``event_type_accuracy``: over sentences where at least one countable event
  was produced, the share whose main event has the gold type;
* ``recall``: over all sentences, the share where the gold type is among the
  countable events produced;
* ``source_country_accuracy`` / ``target_country_accuracy``: over sentences
  with an event produced (and a gold source / target), the share whose main
  event's actor 1 / actor 2 country is one of the gold codes (an actor of
  sector ``IGO``, ``NGO`` or ``IMG`` is scored by that code, as the gold file
  codes them).

The main event of a sentence is its most confident countable event (earliest
trigger on ties).  The gold file follows PLOVER 0.5, which has neither
ACCUSE (accusations are DISAPPROVE there) nor REQUEST (PLOVER does not code
appeals): :data:`PLOVER_TYPE_MAP` translates the codebook's types before
scoring.  The gold sentences are never used to tune anything automatically.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import click
import psycopg
from psycopg import sql

from storage import eval as storage_eval
from storage.connection import connect

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

#: codebook type -> PLOVER 0.5 type of the gold file (None: not a PLOVER event)
PLOVER_TYPE_MAP: dict[str, str | None] = {"ACCUSE": "DISAPPROVE", "REQUEST": None}
#: sectors that stand for themselves where the gold file has no country
SECTOR_CODES = {"IGO", "NGO", "IMG"}
#: where the article rows say they come from
EVAL_HOST = "plover.eval"


class EvalError(RuntimeError):
    """The evaluation could not run (no annotator, no scratch database, ...)."""


@dataclass(frozen=True)
class GoldRecord:
    record_id: str
    text: str
    event_type: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    record_date: date | None


@dataclass
class Prediction:
    event_type: str
    actor1_code: str | None
    actor2_code: str | None
    confidence: float
    trigger_start: int
    predicate: str


@dataclass
class Scores:
    records: int = 0
    produced: int = 0
    type_correct: int = 0
    found: int = 0
    source_scored: int = 0
    source_correct: int = 0
    target_scored: int = 0
    target_correct: int = 0
    per_type: dict[str, Counter[str]] = field(default_factory=dict)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    @staticmethod
    def _rate(n: int, d: int) -> float | None:
        return round(n / d, 3) if d else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "sentences_with_event": self.produced,
            "event_type_accuracy": self._rate(self.type_correct, self.produced),
            "recall": self._rate(self.found, self.records),
            "source_country_accuracy": self._rate(self.source_correct, self.source_scored),
            "target_country_accuracy": self._rate(self.target_correct, self.target_scored),
            "counts": {
                "type_correct": self.type_correct,
                "gold_type_found": self.found,
                "source_scored": self.source_scored,
                "source_correct": self.source_correct,
                "target_scored": self.target_scored,
                "target_correct": self.target_correct,
            },
            "per_type": {t: dict(c) for t, c in sorted(self.per_type.items())},
            "top_confusions": [
                {"gold": g, "predicted": p, "n": n} for (g, p), n in self.confusion.most_common(10)
            ],
            "type_map": {k: v for k, v in PLOVER_TYPE_MAP.items()},
        }


# ---------------------------------------------------------------------------
# Gold records
# ---------------------------------------------------------------------------


def _codes(actors: Any) -> tuple[str, ...]:
    if not isinstance(actors, list):
        return ()
    return tuple(
        str(a["code"]).upper()[:3] for a in actors if isinstance(a, dict) and a.get("code")
    )


def load_gold(path: Path) -> list[GoldRecord]:
    """The event records of a PLOVER gold file (the DOCUMENT header is skipped)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise EvalError(f"{path}: expected a JSON list of records")
    records = []
    for item in data:
        if not isinstance(item, dict) or not item.get("text") or not item.get("event"):
            continue
        if item["event"] == "DOCUMENT":
            continue
        try:
            record_date = date.fromisoformat(str(item.get("date", ""))[:10])
        except ValueError:
            record_date = None
        records.append(
            GoldRecord(
                record_id=str(item.get("id") or hashlib.sha1(item["text"].encode()).hexdigest()),
                text=str(item["text"]).strip(),
                event_type=str(item["event"]).upper(),
                sources=_codes(item.get("source")),
                targets=_codes(item.get("target")),
                record_date=record_date,
            )
        )
    return records


# ---------------------------------------------------------------------------
# Scratch database
# ---------------------------------------------------------------------------


def _with_database(url: str, database: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + database))


def create_scratch_database(server_url: str) -> str:
    """A new, migrated database on the same server; returns its URL."""
    from newsflow.db.migrate import apply_migrations

    name = "newsflow_eval_" + uuid.uuid4().hex[:10]
    try:
        with connect(server_url, autocommit=True) as conn:
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        raise EvalError(
            f"cannot create a scratch database on the server ({exc}); "
            "pass --database-url with an empty database instead"
        ) from exc
    url = _with_database(server_url, name)
    with connect(url, autocommit=True) as conn:
        apply_migrations(conn)
    return url


def drop_database(server_url: str, url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with connect(server_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
        )


def load_articles(url: str, records: Iterable[GoldRecord]) -> dict[int, GoldRecord]:
    """One article per gold sentence; returns article_id -> record."""
    by_article: dict[int, GoldRecord] = {}
    now = datetime.now(UTC)
    with connect(url) as conn:
        for record in records:
            published = (
                datetime(
                    record.record_date.year,
                    record.record_date.month,
                    record.record_date.day,
                    12,
                    tzinfo=UTC,
                )
                if record.record_date
                else None
            )
            canonical = f"http://{EVAL_HOST}/{record.record_id}"
            article_id = storage_eval.insert_article(
                conn,
                canonical_url=canonical,
                title=record.record_id,
                published_at=published,
                host=EVAL_HOST,
                text=record.text,
                content_hash=hashlib.sha256(record.text.encode()).hexdigest(),
                seen_at=now,
            )
            by_article[article_id] = record
        conn.commit()
    return by_article


# ---------------------------------------------------------------------------
# Annotation and coding
# ---------------------------------------------------------------------------


def default_annotator() -> Callable[..., Any]:
    """``transforms.pipeline.run_annotate``, the annotator production uses, as configured."""
    from newsflow.settings.transforms import annotate_config
    from transforms.pipeline import run_annotate

    return functools.partial(run_annotate, config=annotate_config())


def run_annotator(annotate: Callable[..., Any], url: str) -> Any:
    """Call the annotator on every article of the scratch database."""
    return annotate(url)


def run_coding(url: str, target_path: Path | None = None) -> None:
    """The dbt models that turn annotations into coded event mentions (no tests)."""
    from newsflow.dbt_runner import run_dbt

    result = run_dbt(
        [
            "build",
            "--select",
            "+fct_event_mentions",
            "--exclude-resource-type",
            "test",
            "--exclude-resource-type",
            "unit_test",
        ],
        database_url=url,
        capture=True,
        target_path=target_path,
    )
    if not result.success:
        tail = "\n".join(result.output.strip().splitlines()[-20:])
        raise EvalError(f"dbt failed:\n{tail}")


def read_predictions(url: str) -> dict[int, list[Prediction]]:
    """Countable coded events per article."""
    predictions: dict[int, list[Prediction]] = {}
    with connect(url) as conn:
        rows = conn.execute(
            """
            select
                article_id,
                event_type,
                case when actor1_sector in ('IGO', 'NGO', 'IMG') then actor1_sector
                     else actor1_country_code end,
                case when actor2_sector in ('IGO', 'NGO', 'IMG') then actor2_sector
                     else actor2_country_code end,
                -- the parse's own confidence picks a sentence's main event;
                -- the row confidence says whether a row is right, not which
                -- act the sentence is about
                coalesce(annotator_confidence, 0),
                trigger_start,
                predicate
            from marts.fct_event_mentions
            where is_countable
            order by article_id, event_index, pair_index
            """
        ).fetchall()
    for article_id, event_type, actor1, actor2, confidence, trigger_start, predicate in rows:
        mapped = PLOVER_TYPE_MAP.get(event_type, event_type)
        if mapped is None:
            continue
        predictions.setdefault(article_id, []).append(
            Prediction(mapped, actor1, actor2, float(confidence), int(trigger_start), predicate)
        )
    return predictions


def main_event(predictions: list[Prediction]) -> Prediction:
    return sorted(predictions, key=lambda p: (-p.confidence, p.trigger_start))[0]


def score(
    records: dict[int, GoldRecord], predictions: dict[int, list[Prediction]]
) -> tuple[Scores, list[dict[str, Any]]]:
    scores = Scores()
    details = []
    for article_id, record in records.items():
        scores.records += 1
        per_type = scores.per_type.setdefault(record.event_type, Counter())
        per_type["gold"] += 1
        predicted = predictions.get(article_id, [])
        detail: dict[str, Any] = {
            "id": record.record_id,
            "text": record.text,
            "gold": record.event_type,
            "gold_source": list(record.sources),
            "gold_target": list(record.targets),
            "predicted": [
                {
                    "type": p.event_type,
                    "actor1": p.actor1_code,
                    "actor2": p.actor2_code,
                    "predicate": p.predicate,
                }
                for p in predicted
            ],
        }
        details.append(detail)
        if record.event_type in {p.event_type for p in predicted}:
            scores.found += 1
            per_type["found"] += 1
        if not predicted:
            continue
        scores.produced += 1
        per_type["produced"] += 1
        main = main_event(predicted)
        detail["main"] = main.event_type
        if main.event_type == record.event_type:
            scores.type_correct += 1
            per_type["correct"] += 1
        else:
            scores.confusion[(record.event_type, main.event_type)] += 1
        if record.sources:
            scores.source_scored += 1
            scores.source_correct += main.actor1_code in record.sources
        if record.targets:
            scores.target_scored += 1
            scores.target_correct += main.actor2_code in record.targets
    return scores, details


def evaluate(
    gold_path: Path,
    *,
    server_url: str | None = None,
    database_url: str | None = None,
    annotate: Callable[..., Any] | None = None,
    keep: bool = False,
    details_path: Path | None = None,
) -> dict[str, Any]:
    """Load, annotate, code and score; the result as a JSON-ready dict.

    ``database_url``: an empty, migrated database to use as is; otherwise a
    scratch database is created on ``server_url``'s server (default: the
    configured or embedded database) and dropped afterwards unless ``keep``.
    """
    started = time.monotonic()
    records = load_gold(gold_path)
    if not records:
        raise EvalError(f"{gold_path}: no gold records")
    annotate = annotate or default_annotator()
    created = None
    if database_url is None:
        if server_url is None:
            from newsflow.db import resolve_database_url

            server_url = resolve_database_url()
        database_url = created = create_scratch_database(server_url)
    try:
        by_article = load_articles(database_url, records)
        run_annotator(annotate, database_url)
        run_coding(database_url)
        predictions = read_predictions(database_url)
        scores, details = score(by_article, predictions)
    finally:
        if created and not keep and server_url:
            drop_database(server_url, created)
    result = {
        "gold_file": str(gold_path),
        **scores.as_dict(),
        "elapsed_s": round(time.monotonic() - started, 1),
    }
    if keep and created:
        result["database_url"] = created
    if details_path:
        Path(details_path).write_text(json.dumps(details, indent=2), encoding="utf-8")
    return result


@click.command(name="events")
@click.argument("gold_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--database-url",
    default=None,
    help="An empty migrated database to use instead of a scratch one.",
)
@click.option("--keep", is_flag=True, help="Keep the scratch database (its URL is printed).")
@click.option(
    "--details",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write every sentence with gold and predicted events to this JSON file.",
)
def main(gold_file: Path, database_url: str | None, keep: bool, details: Path | None) -> None:
    """Score event coding on PLOVER gold records in GOLD_FILE; prints JSON."""
    import sys

    try:
        result = evaluate(gold_file, database_url=database_url, keep=keep, details_path=details)
    except EvalError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
