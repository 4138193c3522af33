"""The actor dictionary, role nouns and event codebook, read from the dbt seeds.

One set of CSV files serves both halves of the system: dbt loads them as seeds
to decide what a mention *means*, and the annotator reads the same files to
*find* mentions (EntityRuler patterns, nationality adjectives, capitals for
metonymy, role nouns, the object nouns of predicate patterns).  The loader
takes a directory, so tests bring their own small files.

Files (headers fixed, extra columns ignored, missing files allowed):

* ``actor_dictionary.csv``: ``actor_code,name,actor_kind,aliases,adjectives,
  capital,country_code,sector,sponsor_code,description`` (``|``-separated lists);
* ``role_nouns.csv``: ``term,sector,description``;
* ``event_codebook.csv``: ``event_type,mode,cameo_root,quad_class,goldstein,
  lemmas,description`` with ``|``-separated predicate patterns.

Terms are compared in the normal form of dbt's ``normalize_term`` macro
(:func:`normalize_term`), so both sides agree on what matches.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from transforms.config import default_seeds_dir

__all__ = [
    "Actor",
    "ActorDictionary",
    "load_dictionary",
    "normalize_term",
]

log = logging.getLogger(__name__)

ACTOR_FILE = "actor_dictionary.csv"
ROLE_FILE = "role_nouns.csv"
CODEBOOK_FILE = "event_codebook.csv"

_TRANSLATE = str.maketrans({"’": "'", "‘": "'", "`": "'", "–": "-", "—": "-"})
_LEADING_THE = re.compile(r"^the\s+")
_SPACES = re.compile(r"\s+")

#: label an EntityRuler pattern gets, by actor kind
KIND_LABELS = {
    "country": "GPE",
    "person": "PERSON",
    "organization": "ORG",
    "armed_group": "ORG",
    "igo": "ORG",
    "media": "ORG",
}
#: which actor wins when one term names several (countries before groups before people)
KIND_RANK = {"country": 0, "igo": 1, "armed_group": 2, "organization": 3, "media": 4, "person": 5}
TERM_RANK = {"name": 0, "alias": 1, "capital": 2, "adjective": 3}


def normalize_term(text: str | None) -> str:
    """dbt's ``normalize_term``: lower case, plain quotes and dashes, no leading "the"."""
    if not text:
        return ""
    value = text.strip().lower().translate(_TRANSLATE)
    value = _LEADING_THE.sub("", value)
    return _SPACES.sub(" ", value).strip()


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split("|") if part.strip()]


@dataclass(frozen=True)
class Actor:
    code: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    capital: str | None = None
    country_code: str | None = None
    sector: str | None = None
    sponsor_code: str | None = None


@dataclass(frozen=True)
class Term:
    """One way of writing an actor: its name, an alias, an adjective or its capital."""

    text: str
    actor_code: str
    kind: str  # name, alias, adjective, capital
    actor_kind: str


@dataclass
class ActorDictionary:
    actors: dict[str, Actor] = field(default_factory=dict)
    terms: dict[str, list[Term]] = field(default_factory=dict)  # normalized -> terms
    role_nouns: dict[str, str] = field(default_factory=dict)  # normalized -> sector
    role_heads: frozenset[str] = frozenset()  # last words of role nouns
    patterns: tuple[str, ...] = ()  # codebook predicate patterns, normalized
    event_nouns: frozenset[str] = frozenset()  # "* talks" -> talks
    verb_objects: frozenset[tuple[str, str]] = frozenset()  # "send troops" -> (send, troops)
    source: str = ""
    # derived lookups (set in __post_init__)
    pattern_set: frozenset[str] = frozenset()
    pattern_prefixes: frozenset[str] = frozenset()  # every leading word sequence of a pattern
    object_nouns: frozenset[str] = frozenset()
    #: last words that several countries' names share ("korea": North and South Korea)
    country_name_cores: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.pattern_set = frozenset(self.patterns)
        prefixes = set()
        for pattern in self.patterns:
            words = pattern.split(" ")
            prefixes.update(" ".join(words[:n]) for n in range(1, len(words) + 1))
        self.pattern_prefixes = frozenset(prefixes)
        self.object_nouns = frozenset(obj for _verb, obj in self.verb_objects)
        owners: dict[str, set[str]] = {}
        for actor in self.actors.values():
            if actor.kind != "country":
                continue
            for name in (actor.name, *actor.aliases):
                words = normalize_term(name).split(" ")
                if len(words) > 1:
                    owners.setdefault(words[-1], set()).add(actor.country_code or actor.code)
        self.country_name_cores = frozenset(w for w, codes in owners.items() if len(codes) > 1)

    # -- lookups ---------------------------------------------------------------
    def lookup(self, text: str, kinds: Iterable[str] | None = None) -> list[Term]:
        found = self.terms.get(normalize_term(text), [])
        if kinds is not None:
            wanted = set(kinds)
            found = [t for t in found if t.kind in wanted]
        return found

    def best(self, text: str, kinds: Iterable[str] | None = None) -> Term | None:
        found = self.lookup(text, kinds)
        if not found:
            return None
        return min(
            found,
            key=lambda t: (TERM_RANK.get(t.kind, 9), KIND_RANK.get(t.actor_kind, 9), t.actor_code),
        )

    def is_country_term(self, text: str) -> Term | None:
        """A country's name, alias or adjective ("Iraq", "Iraqi")."""
        found = [t for t in self.lookup(text) if t.actor_kind == "country" and t.kind != "capital"]
        return min(found, key=lambda t: TERM_RANK.get(t.kind, 9)) if found else None

    def is_adjective(self, text: str) -> Term | None:
        found = self.lookup(text, ("adjective",))
        return found[0] if found else None

    def capital_of(self, text: str) -> Term | None:
        found = self.lookup(text, ("capital",))
        return found[0] if found else None

    def role_sector(self, text: str) -> str | None:
        return self.role_nouns.get(normalize_term(text))

    def is_role_head(self, word: str) -> bool:
        return word.lower() in self.role_heads

    def ruler_terms(self) -> list[Term]:
        """Every term worth an EntityRuler pattern, longest first."""
        out = [t for terms in self.terms.values() for t in terms]
        return sorted(out, key=lambda t: (-len(t.text), t.text))


# -----------------------------------------------------------------------------
# loading
# -----------------------------------------------------------------------------
def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return [
            {(k or "").strip(): (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(handle)
        ]


def _add_term(terms: dict[str, list[Term]], text: str, code: str, kind: str, actor_kind: str):
    key = normalize_term(text)
    if not key:
        return
    bucket = terms.setdefault(key, [])
    if not any(t.actor_code == code and t.kind == kind for t in bucket):
        bucket.append(Term(text=text.strip(), actor_code=code, kind=kind, actor_kind=actor_kind))


def _plural_variants(term: str) -> set[str]:
    words = term.split(" ")
    last = words[-1]
    out = {term}
    if last.endswith("ies"):
        out.add(" ".join([*words[:-1], last[:-3] + "y"]))
    elif last.endswith("s") and not last.endswith("ss"):
        out.add(" ".join([*words[:-1], last[:-1]]))
    elif last.endswith("y") and not last.endswith(("ay", "ey", "oy")):
        out.add(" ".join([*words[:-1], last[:-1] + "ies"]))
    elif last.endswith("man"):
        out.add(" ".join([*words[:-1], last[:-3] + "men"]))
    else:
        out.add(term + "s")
    return out


def parse_dictionary(
    actor_rows: list[dict[str, str]],
    role_rows: list[dict[str, str]],
    codebook_rows: list[dict[str, str]],
    source: str = "",
) -> ActorDictionary:
    actors: dict[str, Actor] = {}
    terms: dict[str, list[Term]] = {}
    for row in actor_rows:
        code = row.get("actor_code", "")
        name = row.get("name", "")
        kind = (row.get("actor_kind") or "organization").lower()
        if not code or not name:
            continue
        actor = Actor(
            code=code,
            name=name,
            kind=kind,
            aliases=tuple(_split(row.get("aliases"))),
            adjectives=tuple(_split(row.get("adjectives"))),
            capital=row.get("capital") or None,
            country_code=row.get("country_code") or None,
            sector=row.get("sector") or None,
            sponsor_code=row.get("sponsor_code") or None,
        )
        actors[code] = actor
        _add_term(terms, name, code, "name", kind)
        for alias in actor.aliases:
            _add_term(terms, alias, code, "alias", kind)
        for adjective in actor.adjectives:
            _add_term(terms, adjective, code, "adjective", kind)
        if actor.capital and kind == "country":
            _add_term(terms, actor.capital, code, "capital", kind)

    role_nouns: dict[str, str] = {}
    for row in role_rows:
        term = normalize_term(row.get("term"))
        if not term:
            continue
        sector = row.get("sector", "")
        for variant in _plural_variants(term):
            role_nouns.setdefault(variant, sector)
    role_heads = frozenset(term.split(" ")[-1] for term in role_nouns)

    patterns: list[str] = []
    event_nouns: set[str] = set()
    verb_objects: set[tuple[str, str]] = set()
    for row in codebook_rows:
        for raw in _split(row.get("lemmas")):
            pattern = _SPACES.sub(" ", raw.lower().strip())
            patterns.append(pattern)
            words = pattern.split(" ")
            if words[0] == "*" and len(words) > 1:
                event_nouns.add(words[1])
            elif len(words) > 1 and words[1] not in _FUNCTION_WORDS:
                verb_objects.add((words[0], words[1]))
            elif len(words) > 2 and words[1] in _PARTICLES and words[2] not in _FUNCTION_WORDS:
                verb_objects.add((words[0], words[2]))  # "carry out strike" -> (carry, strike)
    return ActorDictionary(
        actors=actors,
        terms=terms,
        role_nouns=role_nouns,
        role_heads=role_heads,
        patterns=tuple(patterns),
        event_nouns=frozenset(event_nouns),
        verb_objects=frozenset(verb_objects),
        source=source,
    )


#: words that follow a verb in a pattern without being its object
_FUNCTION_WORDS = frozenset(
    [
        "to",
        "with",
        "on",
        "upon",
        "for",
        "from",
        "into",
        "in",
        "at",
        "of",
        "by",
        "about",
        "against",
        "over",
        "out",
        "off",
        "up",
        "down",
        "back",
        "away",
        "together",
        "alongside",
        "beside",
        "between",
        "as",
    ]
)

#: particles between a verb and its object in a pattern ("carry out strike")
_PARTICLES = frozenset(["out", "off", "up", "down", "back", "away", "over"])

_CACHE: dict[tuple[str, tuple[float, ...]], ActorDictionary] = {}


def load_dictionary(directory: str | Path | None = None) -> ActorDictionary:
    """The dictionary in ``directory`` (default: the dbt seeds, :func:`default_seeds_dir`).

    Cached per directory and file modification times, so an edited seed is
    picked up by the next call without restarting a worker.
    """
    if directory is None:
        directory = default_seeds_dir()
    path = Path(directory)
    files = [path / ACTOR_FILE, path / ROLE_FILE, path / CODEBOOK_FILE]
    stamps = tuple(f.stat().st_mtime if f.is_file() else 0.0 for f in files)
    key = (str(path.resolve()), stamps)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    if not files[0].is_file():
        log.warning("no actor dictionary at %s: only model entities will be found", files[0])
    dictionary = parse_dictionary(
        _read_csv(files[0]), _read_csv(files[1]), _read_csv(files[2]), source=str(path)
    )
    if len(_CACHE) >= 4:
        _CACHE.clear()
    _CACHE[key] = dictionary
    return dictionary
