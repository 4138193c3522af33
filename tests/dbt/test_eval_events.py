"""newsflow eval events: gold records in, scores out, on a scratch database.

The annotator here is a stand-in (the test is about loading, coding and
scoring, not about the annotator): it reads "<Country> <verb> <Country>."
sentences and writes the rows the real annotator would.
"""

from __future__ import annotations

import json
from pathlib import Path

import psycopg

from newsflow.eval import events as ev
from tests.dbt import fixtures

COUNTRIES = {
    "Syria": "SYR",
    "Turkey": "TUR",
    "Iran": "IRN",
    "Iraq": "IRQ",
    "Russia": "RUS",
    "Jordan": "JOR",
}
VERBS = {
    "accused": ("accuse", "accuse"),
    "met": ("meet", "meet with"),
    "praised": ("praise", "praise"),
    "pondered": ("ponder", "ponder"),
}

GOLD = [
    {
        "id": "T-1",
        "event": "DISAPPROVE",
        "text": "Syria accused Turkey.",
        "source": [{"code": "SYR"}],
        "target": [{"code": "TUR"}],
        "date": "2020-01-01",
    },
    {
        "id": "T-2",
        "event": "CONSULT",
        "text": "Iran met Iraq.",
        "source": [{"code": "IRN"}],
        "target": [{"code": "IRQ"}],
        "date": "2020-01-01",
    },
    {
        "id": "T-3",
        "event": "SUPPORT",
        "text": "Russia praised Jordan.",
        "source": [{"code": "RUS"}],
        "target": [{"code": "SYR"}],
        "date": "2020-01-01",
    },
    {
        "id": "T-4",
        "event": "THREATEN",
        "text": "Turkey pondered Syria.",
        "source": [{"code": "TUR"}],
        "target": "",
        "date": "2020-01-01",
    },
]


def fake_annotate(database_url: str) -> int:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "select article_id, text from raw.articles order by article_id"
        ).fetchall()
        for article_id, text in rows:
            source, verb, target = text.rstrip(".").split()
            lemma, predicate = VERBS[verb]
            article = fixtures.Article(
                url="",
                host="",
                sentences=[text],
                published_at=None,
                first_seen_at=None,  # type: ignore[arg-type]
                mentions=[
                    fixtures.Mention(source, 0, dictionary_key=COUNTRIES[source]),
                    fixtures.Mention(target, 0, dictionary_key=COUNTRIES[target]),
                ],
                events=[fixtures.Event(0, verb, lemma, predicate, sources=[0], targets=[1])],
            )
            fixtures.annotate(conn, article_id, article)
    return len(rows)


def test_evaluate_scores_on_a_scratch_database(
    pg_admin_url: str, _template_db: str, tmp_path: Path
) -> None:
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps([{"event": "DOCUMENT", "id": "header"}, *GOLD]))
    details = tmp_path / "details.json"
    result = ev.evaluate(
        gold, server_url=pg_admin_url, annotate=fake_annotate, details_path=details
    )
    assert result["records"] == 4
    assert result["sentences_with_event"] == 3
    assert result["event_type_accuracy"] == 1.0  # ACCUSE scored as PLOVER's DISAPPROVE
    assert result["recall"] == 0.75
    assert result["source_country_accuracy"] == 1.0
    assert result["target_country_accuracy"] == 0.667  # Jordan is not Syria
    assert result["per_type"]["THREATEN"] == {"gold": 1}
    assert len(json.loads(details.read_text())) == 4
    # the scratch database is gone
    with psycopg.connect(pg_admin_url) as conn:
        left = conn.execute(
            "select count(*) from pg_database where datname like 'newsflow_eval_%'"
        ).fetchone()
    assert left is not None and left[0] == 0


def test_load_gold_skips_the_header_and_reads_codes(tmp_path: Path) -> None:
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps([{"event": "DOCUMENT"}, *GOLD]))
    records = ev.load_gold(gold)
    assert [r.event_type for r in records] == ["DISAPPROVE", "CONSULT", "SUPPORT", "THREATEN"]
    assert records[0].sources == ("SYR",) and records[3].targets == ()
