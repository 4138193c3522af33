"""Recall audit of ``newsflow eval audit``: sentence sample, judged lists, matching."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from newsflow.eval import audit_recall as rc
from newsflow.eval.audit import main as audit_cli
from newsflow.eval.audit_rows import normalise, write_json

SENTENCES = [
    (
        "st-1",
        "Ukraine and Russia exchanged hundreds of prisoners on Tuesday, officials said.",
    ),
    ("st-1", "The Emirates mediated the exchange, the foreign ministry said."),
    ("st-1", "Russian forces shelled the city of Kharkiv, killing three civilians."),
    ("st-1", "It was cold."),
    ("st-2", "Delegations of the army and the rebels met in Jeddah on Wednesday for talks."),
    ("st-2", "The United States urged both sides to stop the fighting in Darfur."),
]


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def _run_dir(path: Path, sentences: list[tuple[str, str]], mentions: list[dict[str, Any]]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    _write_jsonl(
        path / "sentences.jsonl",
        [
            {
                "article_id": 1 if story == "st-1" else 2,
                "story_id": story,
                "sentence_index": i,
                "article_title": f"Title of {story}",
                "text": text,
                "input": "stories.jsonl",
            }
            for i, (story, text) in enumerate(sentences)
        ]
        + [
            {
                "story_id": "page-1",
                "sentence_index": 0,
                "text": "A page sentence of many words here.",
                "input": "pages",
            }
        ],
    )
    _write_jsonl(path / "mentions.jsonl", mentions)
    return path


def _mention(story: str, text: str, event_type: str, a1: str | None, a2: str | None) -> dict:
    return {
        "story_id": story,
        "sentence_text": text,
        "event_type": event_type,
        "actor1_country_code": a1,
        "actor2_country_code": a2,
        "counted": True,
    }


def test_normalise_and_same_sentence() -> None:
    assert normalise("“Iran,” he said —  MET   Syria.") == "iran he said met syria"
    a = normalise("Russian forces shelled the city of Kharkiv, killing three civilians.")
    assert rc.same_sentence(a, a)
    # another split: the run's sentence carries the listed one and a little more
    assert rc.same_sentence(a, a + " officials said on tuesday")
    assert rc.same_sentence(
        a, normalise("Russian forces shelled the city of Kharkiv, killing 3 civilians")
    )
    assert not rc.same_sentence(a, normalise("The United States urged both sides to stop."))
    assert not rc.same_sentence("", a)


def test_recall_sample_is_seeded_and_skips_short_sentences(tmp_path: Path) -> None:
    out = _run_dir(tmp_path / "run", SENTENCES, [])
    result = rc.recall_sample(out, 10, seed=1)
    assert result["inputs"] == ["stories.jsonl"]  # the story files, not the page folders
    assert result["pool"] == 5 and result["sampled"] == 5  # "It was cold." is too short
    key = json.loads((out / "recall_key.json").read_text())["items"]
    sheet = json.loads((out / "recall_sheet_1.json").read_text())
    assert sheet["write_to"] == "recall_lists_1.json"
    assert set(sheet["items"]) == set(key)
    assert all(set(item) == {"title", "sentence"} for item in sheet["items"].values())
    assert all(item["normalised"] == normalise(item["sentence"]) for item in key.values())
    first = (out / "recall_key.json").read_text()
    rc.recall_sample(out, 10, seed=1)
    assert (out / "recall_key.json").read_text() == first
    assert "RECALL.md" in (out / "recall_brief.md").read_text()
    assert rc.recall_sample(out, 10, seed=1, source="pages")["pool"] == 1


def _lists_for(out: Path) -> None:
    key = json.loads((out / "recall_key.json").read_text())["items"]
    by_text = {item["sentence"]: item_id for item_id, item in key.items()}
    shelled = by_text[SENTENCES[2][1]]
    urged = by_text[SENTENCES[5][1]]
    met = by_text[SENTENCES[4][1]]
    lists = {item_id: [] for item_id in key}
    lists[shelled] = [
        {
            "source_country": "RUS",
            "source": "Russian forces",
            "type": "ASSAULT",
            "target_country": "UKR",
            "target": "civilians",
        }
    ]
    lists[urged] = [
        {
            "source_country": "USA",
            "source": "United States",
            "type": "REQUEST",
            "target_country": "SDN",
            "target": "both sides",
        }
    ]
    lists[met] = [
        {
            "source_country": "SDN",
            "source": "the army",
            "type": "CONSULT",
            "target_country": "SDN",
            "target": "the rebels",
        }
    ]
    write_json(out / "recall_lists_1.json", lists)


def test_recall_score_matches_type_and_countries(tmp_path: Path) -> None:
    mentions = [
        _mention("st-1", SENTENCES[2][1], "ASSAULT", "RUS", "UKR"),
        _mention("st-2", SENTENCES[5][1], "REQUEST", "USA", None),
        _mention("st-2", SENTENCES[4][1], "FIGHT", "SDN", "SDN"),
        # same text in another story does not count for st-2
        _mention("st-1", SENTENCES[4][1], "CONSULT", "SDN", "SDN"),
        # a mention that is not counted ("did not meet") finds nothing
        {
            **_mention("st-2", SENTENCES[4][1], "CONSULT", "SDN", "SDN"),
            "counted": False,
            "is_countable": False,
        },
    ]
    out = _run_dir(tmp_path / "run", SENTENCES, mentions)
    rc.recall_sample(out, 10, seed=1)
    _lists_for(out)
    result = rc.recall_score(out)
    assert result["listed_events"] == 3
    assert result["same_type"]["right"] == 2  # ASSAULT and REQUEST found, CONSULT not
    assert result["same_type_and_countries"]["right"] == 1  # REQUEST's target is missing
    assert result["per_type"]["CONSULT"] == {
        "listed": 1,
        "same_type": 0,
        "same_type_and_countries": 0,
    }
    assert result["sentences_judged"] == 5 and result["sentences_with_events"] == 3
    assert result["sentences_not_in_run"] == 0
    assert result["mentions_of_the_sampled_stories"] == {"coded": 5, "countable": 4, "counted": 4}


def test_the_same_lists_score_a_later_run_split_differently(tmp_path: Path) -> None:
    first = _run_dir(tmp_path / "first", SENTENCES, [])
    rc.recall_sample(first, 10, seed=1)
    _lists_for(first)
    assert rc.recall_score(first)["same_type"]["right"] == 0
    # the later run joins two sentences into one and codes the attack from it
    joined = SENTENCES[1][1] + " " + SENTENCES[2][1]
    later_sentences = [SENTENCES[0], ("st-1", joined), *SENTENCES[3:]]
    later = _run_dir(
        tmp_path / "later", later_sentences, [_mention("st-1", joined, "ASSAULT", "RUS", "UKR")]
    )
    result = rc.recall_score(later, first)
    assert result["same_type"]["right"] == 1
    assert result["same_type_and_countries"]["right"] == 1
    runner = CliRunner()
    cli = runner.invoke(audit_cli, ["recall-score", str(later), "--lists", str(first)])
    assert cli.exit_code == 0, cli.output
    assert json.loads(cli.output)["same_type"]["right"] == 1
