"""Recall audit: judges list the events of sampled sentences; which did the chain count?

``recall-sample`` draws sentences of the stories at random (seeded) and
writes sheets of ``{title, sentence}`` only.  The key identifies each sentence
by its story id and its normalised text, not by article id or sentence index,
so the same judged lists score any later run of the same stories, however it
splits the sentences.  ``recall-score`` counts, per listed event, whether the
run has a counted mention from that sentence with the same type, and with the
same type and the listed source and target countries.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from newsflow.eval.audit_rows import (
    AuditFileError,
    batches,
    brief_text,
    normalise,
    proportion,
    read_json,
    read_jsonl,
    read_verdicts,
    seeded_sample,
    write_json,
)

RECALL_RULES = "/work/shared/eval/events/RECALL.md"
KEY_FILE = "recall_key.json"
#: sentences shorter than this (in words) are not sampled
MIN_WORDS = 6
#: share of the listed sentence's words a run's sentence must cover to match it
MIN_OVERLAP = 0.8


def _story_inputs(sentences: list[dict[str, Any]], source: str | None) -> set[str]:
    names = {str(s.get("input")) for s in sentences if s.get("input")}
    if source:
        wanted = Path(source).name
        if wanted not in names:
            raise AuditFileError(f"no sentences of input {wanted!r} (inputs: {sorted(names)})")
        return {wanted}
    stories = {n for n in names if n.endswith(".jsonl")}
    return stories or names


def recall_sample(
    out: Path, n: int, seed: int, batch: int = 30, source: str | None = None
) -> dict[str, Any]:
    """Write ``recall_sheet_N.json``, ``recall_key.json`` and ``recall_brief.md``."""
    sentences = read_jsonl(out / "sentences.jsonl")
    inputs = _story_inputs(sentences, source)
    pool = [
        s
        for s in sentences
        if str(s.get("input")) in inputs and len(str(s.get("text") or "").split()) >= MIN_WORDS
    ]
    drawn = seeded_sample(
        pool, n, seed, key=lambda s: (str(s.get("story_id")), int(s.get("sentence_index") or 0))
    )
    items = {
        f"s{i:03d}": {
            "story_id": s.get("story_id"),
            "input": s.get("input"),
            "title": s.get("article_title"),
            "sentence": s.get("text"),
            "normalised": normalise(s.get("text")),
        }
        for i, s in enumerate(drawn)
    }
    for path in out.glob("recall_sheet_*.json"):
        path.unlink()
    sheets, outputs = [], []
    for number, chunk in enumerate(batches(list(items.items()), batch), 1):
        name, lists = f"recall_sheet_{number}.json", f"recall_lists_{number}.json"
        write_json(
            out / name,
            {
                "rules": RECALL_RULES,
                "write_to": lists,
                "items": {
                    item_id: {"title": item["title"], "sentence": item["sentence"]}
                    for item_id, item in chunk
                },
            },
        )
        sheets.append(name)
        outputs.append(lists)
    write_json(
        out / KEY_FILE,
        {"seed": seed, "inputs": sorted(inputs), "pool": len(pool), "items": items},
    )
    (out / "recall_brief.md").write_text(
        brief_text(
            "Recall audit: list the events of each sentence", sheets, outputs, RECALL_RULES, out
        ),
        encoding="utf-8",
    )
    return {
        "inputs": sorted(inputs),
        "pool": len(pool),
        "sampled": len(items),
        "sheets": sheets,
        "key": str(out / KEY_FILE),
        "brief": str(out / "recall_brief.md"),
    }


def same_sentence(listed: str, found: str) -> bool:
    """Normalised texts that are equal, or where most of the listed sentence's words
    appear in the run's sentence (another sentence split, an edited quote)."""
    if not listed or not found:
        return False
    if listed == found or listed in found or found in listed:
        return True
    words, other = Counter(listed.split()), Counter(found.split())
    shared = sum((words & other).values())
    return (
        shared / max(sum(words.values()), 1) >= MIN_OVERLAP
        and shared / max(sum(other.values()), 1) >= MIN_OVERLAP / 2
    )


def _country(value: Any) -> str | None:
    text = str(value or "").strip().upper()
    return text or None if text not in {"NULL", "NONE"} else None


def _mentions(out: Path) -> list[dict[str, Any]]:
    """The run's coded mentions as (story, sentence, type, countries, countable, counted)."""
    path = out / "mentions.jsonl"
    if path.is_file():
        rows, text_field = read_jsonl(path), "sentence_text"
    else:  # an export without mentions: the rows' representative sentences
        rows, text_field = read_jsonl(out / "rows.jsonl"), "sentence"
    return [
        {
            "story_id": str(r.get("story_id")),
            "normalised": normalise(r.get(text_field)),
            "event_type": r.get("event_type"),
            "source_country": _country(r.get("actor1_country_code")),
            "target_country": _country(r.get("actor2_country_code")),
            "countable": bool(r.get("is_countable", r.get("counted"))),
            "counted": bool(r.get("counted")),
        }
        for r in rows
    ]


def recall_score(out: Path, lists_dir: Path | None = None) -> dict[str, Any]:
    """Score the judged lists in ``lists_dir`` (default ``out``) against ``out``'s run."""
    lists_dir = lists_dir or out
    items = read_json(lists_dir / KEY_FILE)["items"]
    lists = read_verdicts(lists_dir, prefix="recall_lists_")
    by_story: dict[str, list[dict[str, Any]]] = {}
    stories = {str(item.get("story_id")) for item in items.values()}
    story_mentions: Counter[str] = Counter()
    for mention in _mentions(out):
        if mention["story_id"] not in stories:
            continue
        story_mentions["coded"] += 1
        story_mentions["countable"] += mention["countable"]
        story_mentions["counted"] += mention["counted"]
        if mention["counted"]:
            by_story.setdefault(mention["story_id"], []).append(mention)
    sentences_found = {
        (str(s.get("story_id")), normalise(s.get("text")))
        for s in read_jsonl(out / "sentences.jsonl")
    }
    listed = same_type = same_all = 0
    per_type: dict[str, Counter[str]] = {}
    unmatched_sentences = 0
    for item_id, item in items.items():
        events = lists.get(item_id)
        if not isinstance(events, list):
            continue
        story = str(item.get("story_id"))
        if not any(
            s == story and same_sentence(item["normalised"], text) for s, text in sentences_found
        ):
            unmatched_sentences += 1
        coded = [
            m for m in by_story.get(story, []) if same_sentence(item["normalised"], m["normalised"])
        ]
        for event in events:
            if not isinstance(event, dict) or not event.get("type"):
                continue
            event_type = str(event["type"]).upper()
            counter = per_type.setdefault(event_type, Counter())
            listed += 1
            counter["listed"] += 1
            typed = [m for m in coded if m["event_type"] == event_type]
            if typed:
                same_type += 1
                counter["same_type"] += 1
            if any(
                m["source_country"] == _country(event.get("source_country"))
                and m["target_country"] == _country(event.get("target_country"))
                for m in typed
            ):
                same_all += 1
                counter["same_type_and_countries"] += 1
    judged = [i for i in items if isinstance(lists.get(i), list)]
    return {
        "run": str(out),
        "lists": str(lists_dir),
        "sentences": len(items),
        "sentences_judged": len(judged),
        "sentences_with_events": sum(1 for i in judged if lists[i]),
        "sentences_not_in_run": unmatched_sentences,
        "mentions_of_the_sampled_stories": dict(story_mentions),
        "listed_events": listed,
        "same_type": proportion(same_type, listed),
        "same_type_and_countries": proportion(same_all, listed),
        "per_type": {
            t: {
                "listed": c["listed"],
                "same_type": c["same_type"],
                "same_type_and_countries": c["same_type_and_countries"],
            }
            for t, c in sorted(per_type.items())
        },
    }
