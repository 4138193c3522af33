"""The news the demo corpus tells: storylines, day by day, written for newsflow.

The stories are data: one YAML file per storyline in this folder
(``NN_key.yaml``; the number fixes the order), read by :func:`load_stories`.
Edit them, then run ``python -m newsflow.demo.build_corpus``.

Everything in them is synthetic: the events did not happen and no sentence is
taken from a publisher.  The actors are real countries and organisations, so
the actor dictionary resolves them; people are referred to by their office
("Azerbaijan's president"), never by a real name, so no real person is given
words they did not say.  A few invented people (a rebel commander, a protest
organiser, spokespeople) remain unresolved on purpose: they fill the analysts'
``mart_unresolved_actors`` work-list.

Each storyline has *beats*: what happened on one day of the ten (1 = Sunday
2026-03-01).  A beat offers several wordings of its lead, details and quotes,
so that outlets covering the same beat write different articles; the wire
agency's copy is the one other outlets syndicate with small edits.  Sentences
use plain news constructions the annotator can code ("X met Y in Z on
Tuesday", "X accused Y of ...", "X imposed sanctions on Y").  ``{wd}`` is the
weekday of the beat's day, ``{wd_prev}`` the day before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["STORIES", "STORYLINES_DIR", "Beat", "Story", "load_stories"]

STORYLINES_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Beat:
    story: str
    day: int  # 1..10 -> 2026-03-01..2026-03-10
    dateline: str  # city for the dateline, upper-cased in print
    headlines: tuple[str, ...]
    leads: tuple[str, ...]
    details: tuple[str, ...]
    quotes: tuple[str, ...]
    recap: str = ""  # one sentence later articles use to recall this beat
    wire: bool = False  # the wire agency covers it (and others syndicate it)


@dataclass(frozen=True)
class Story:
    key: str
    title: str
    section: str
    background: tuple[str, ...]
    beats: tuple[Beat, ...] = field(default_factory=tuple)


def _strings(data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = data.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"{where}: {key} must be a list of strings")
    return tuple(values)


def _story(data: dict[str, Any], where: str) -> Story:
    key = str(data["key"])
    beats = tuple(
        Beat(
            story=key,
            day=int(b["day"]),
            dateline=str(b["dateline"]),
            headlines=_strings(b, "headlines", f"{where} day {b['day']}"),
            leads=_strings(b, "leads", f"{where} day {b['day']}"),
            details=_strings(b, "details", f"{where} day {b['day']}"),
            quotes=_strings(b, "quotes", f"{where} day {b['day']}"),
            recap=str(b.get("recap", "")),
            wire=bool(b.get("wire", False)),
        )
        for b in data.get("beats") or []
    )
    return Story(
        key=key,
        title=str(data["title"]),
        section=str(data["section"]),
        background=_strings(data, "background", where),
        beats=beats,
    )


def load_stories(folder: Path = STORYLINES_DIR) -> tuple[Story, ...]:
    """Every storyline of ``folder``, in file-name order."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when built with it
    stories = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        stories.append(_story(data, path.name))
    return tuple(stories)


STORIES: tuple[Story, ...] = load_stories()
