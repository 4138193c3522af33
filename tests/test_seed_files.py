"""The actor seeds analysts edit: shape, codes, dates and the facts the pipeline relies on."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from datetime import date
from functools import cache
from itertools import pairwise
from pathlib import Path

import pycountry
import pytest

SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"
KINDS = {"country", "person", "organization", "armed_group", "igo", "media"}
PREFIX = {
    "person": "PER_",
    "organization": "ORG_",
    "armed_group": "GRP_",
    "igo": "IGO_",
    "media": "MED_",
}
NON_ISO_COUNTRIES = {"XKX"}  # Kosovo: the EU/IMF code, no ISO 3166-1 code
NON_UN_MEMBERS = {"PSE", "VAT", "XKX", "TWN"}
#: The same term for two actors, on purpose: "Brussels" is read as the EU (alias
#: beats capital), while it stays Belgium's capital.
ALLOWED_SHARED_TERMS = {"brussels"}


@cache
def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def actors() -> list[dict[str, str]]:
    return read("actor_dictionary.csv")[1]


def by_code() -> dict[str, dict[str, str]]:
    return {row["actor_code"]: row for row in actors()}


def sectors() -> set[str]:
    return {row["sector_code"] for row in read("sectors.csv")[1]}


def is_country_code(code: str) -> bool:
    return code in NON_ISO_COUNTRIES or pycountry.countries.get(alpha_3=code) is not None


def split(value: str) -> list[str]:
    return value.split("|") if value else []


def roles() -> list[dict[str, str]]:
    return read("actor_roles.csv")[1]


# ---------------------------------------------------------------------------
# actor_dictionary.csv
# ---------------------------------------------------------------------------
def test_headers_are_exactly_the_contract() -> None:
    assert read("actor_dictionary.csv")[0] == [
        "actor_code", "name", "actor_kind", "aliases", "adjectives", "capital",
        "country_code", "sector", "sponsor_code", "description",
    ]  # fmt: skip
    assert read("actor_roles.csv")[0] == [
        "actor_code", "role", "country_code", "sector", "valid_from", "valid_to",
    ]  # fmt: skip
    assert read("role_nouns.csv")[0] == ["term", "sector", "description"]


def test_actor_codes_unique_and_well_formed() -> None:
    codes = [row["actor_code"] for row in actors()]
    assert len(codes) == len(set(codes))
    for row in actors():
        code, kind = row["actor_code"], row["actor_kind"]
        assert kind in KINDS, code
        assert row["name"].strip() == row["name"] and row["name"], code
        if kind == "country":
            assert re.fullmatch(r"[A-Z]{3}", code), code
        else:
            assert code.startswith(PREFIX[kind]), code
            assert re.fullmatch(r"[A-Z]{3}_[A-Z0-9_]+", code), code


def test_country_and_sponsor_codes_are_valid() -> None:
    known = by_code()
    for row in actors():
        code = row["actor_code"]
        if row["actor_kind"] == "country":
            assert is_country_code(code), code
            assert row["country_code"] == code
        if row["country_code"]:
            assert is_country_code(row["country_code"]), code
        if row["sponsor_code"]:
            assert row["sponsor_code"] in known, code
            assert known[row["sponsor_code"]]["actor_kind"] == "country", code
        assert row["sector"] in sectors(), code


def test_every_un_member_state_and_the_four_others() -> None:
    countries = [row for row in actors() if row["actor_kind"] == "country"]
    codes = {row["actor_code"] for row in countries}
    assert codes >= NON_UN_MEMBERS
    assert len(codes - NON_UN_MEMBERS) >= 193
    assert all(row["capital"] for row in countries)
    with_adjectives = [row for row in countries if row["adjectives"]]
    assert len(with_adjectives) >= len(countries) - 2  # Congo and Dominica defer to COD and DOM


def test_lists_are_clean() -> None:
    for row in actors():
        for column in ("aliases", "adjectives"):
            items = split(row[column])
            assert all(item and item == item.strip() for item in items), (row["actor_code"], column)
            assert len({i.casefold() for i in items}) == len(items), (row["actor_code"], column)
            assert not any(item.endswith("'s") for item in items), (row["actor_code"], column)


def _norm(term: str) -> str:
    term = re.sub(r"^the\s+", "", term.strip().lower().replace("’", "'"))
    return re.sub(r"\s+", " ", term)


def test_no_term_names_two_actors_unless_allowed() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for row in actors():
        terms = [row["name"], *split(row["aliases"]), *split(row["adjectives"]), row["capital"]]
        for term in filter(None, terms):
            owners[_norm(term)].add(row["actor_code"])
    shared = {t for t, codes in owners.items() if len(codes) > 1}
    assert shared <= ALLOWED_SHARED_TERMS, {t: owners[t] for t in shared - ALLOWED_SHARED_TERMS}


@pytest.mark.parametrize(
    ("code", "aliases"),
    [
        ("USA", {"the United States", "US", "U.S.", "USA", "America"}),
        ("PER_ABBAS_ARAGHCHI", {"Araqchi", "Abbas Araqchi", "Araghchi"}),
        ("PER_RECEP_TAYYIP_ERDOGAN", {"Erdoğan", "Erdogan"}),
        ("PER_AHMED_AL_SHARAA", {"Abu Mohammad al-Jolani", "al-Sharaa"}),
        ("GRP_ISLAMIC_STATE", {"ISIS", "ISIL", "IS", "Daesh"}),
        ("GRP_PMF", {"PMF", "Hashd al-Shaabi"}),
        ("GRP_HOUTHIS", {"Ansar Allah"}),
        ("GRP_HTS", {"HTS"}),
        ("MED_AP", {"AP", "Associated Press"}),
    ],
)
def test_required_aliases(code: str, aliases: set[str]) -> None:
    assert aliases <= set(split(by_code()[code]["aliases"]))


def test_required_actors_and_their_facts() -> None:
    known = by_code()
    iraq = known["IRQ"]
    assert {"Iraqi", "Iraqis"} <= set(split(iraq["adjectives"])) and iraq["capital"] == "Baghdad"
    assert known["SYR"]["capital"] == "Damascus"
    for code in (
        "PER_BASHAR_ASSAD", "PER_AHMED_AL_SHARAA", "PER_ABBAS_ARAGHCHI", "PER_HAKAN_FIDAN",
        "PER_RECEP_TAYYIP_ERDOGAN", "PER_MOHAMMED_SHIA_AL_SUDANI", "PER_ABDULLAH_II",
        "PER_VLADIMIR_PUTIN", "PER_SERGEI_LAVROV", "PER_MASOUD_PEZESHKIAN", "PER_ALI_KHAMENEI",
        "PER_BENJAMIN_NETANYAHU", "PER_JOE_BIDEN", "PER_DONALD_TRUMP", "PER_ANTONY_BLINKEN",
        "PER_MARCO_RUBIO",
        "IGO_UN", "IGO_UNSC", "IGO_EU", "IGO_NATO", "IGO_AU", "IGO_ARAB_LEAGUE", "IGO_OPEC",
        "IGO_IAEA", "IGO_WHO", "IGO_ICC", "IGO_GCC", "IGO_ASEAN",
        "GRP_HTS", "GRP_ISLAMIC_STATE", "GRP_HEZBOLLAH", "GRP_HAMAS", "GRP_PMF", "GRP_SDF",
        "GRP_YPG", "GRP_PKK", "GRP_HOUTHIS", "GRP_AL_SHABAAB", "GRP_TALIBAN", "GRP_BOKO_HARAM",
        "GRP_WAGNER", "GRP_AL_QAEDA",
        "MED_AP", "MED_REUTERS", "MED_AFP", "MED_BBC", "MED_AL_JAZEERA",
    ):  # fmt: skip
        assert code in known, code
    assert known["GRP_HEZBOLLAH"]["sponsor_code"] == "IRN"
    assert known["GRP_PMF"]["sector"] == "PAR" and known["GRP_PMF"]["sponsor_code"] == "IRN"
    assert known["GRP_HTS"]["sector"] == "REB"
    assert all(row["sector"] == "MED" for row in actors() if row["actor_kind"] == "media")
    assert all(row["sector"] in {"IGO", "JUD", "LEG", "COP"} for row in actors()
               if row["actor_kind"] == "igo")  # fmt: skip


# ---------------------------------------------------------------------------
# actor_roles.csv
# ---------------------------------------------------------------------------
def _day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def test_roles_refer_to_actors_with_valid_dates_and_codes() -> None:
    known = by_code()
    assert roles()
    for row in roles():
        where = (row["actor_code"], row["role"], row["valid_from"])
        assert row["actor_code"] in known, where
        # people's offices, and the standing of groups that changed it (the
        # Taliban: insurgents until August 2021, then a de facto government)
        assert known[row["actor_code"]]["actor_kind"] in ("person", "armed_group"), where
        assert row["role"].strip(), where
        start, end = _day(row["valid_from"]), _day(row["valid_to"])
        assert start is not None, where
        assert end is None or start <= end, where
        assert not row["country_code"] or is_country_code(row["country_code"]), where
        assert row["sector"] in sectors(), where


def _role(code: str, fragment: str) -> list[tuple[date | None, date | None]]:
    return [
        (_day(r["valid_from"]), _day(r["valid_to"]))
        for r in roles()
        if r["actor_code"] == code and fragment in r["role"]
    ]


def test_roles_of_record() -> None:
    assert _role("PER_BASHAR_ASSAD", "President") == [(date(2000, 7, 17), date(2024, 12, 8))]
    assert (date(2024, 8, 21), None) in _role("PER_ABBAS_ARAGHCHI", "Foreign Minister")
    assert _role("PER_ANTONY_BLINKEN", "Secretary of State")[0][1] == date(2025, 1, 20)
    assert _role("PER_MARCO_RUBIO", "Secretary of State") == [(date(2025, 1, 21), None)]
    assert (date(2025, 1, 20), None) in _role("PER_DONALD_TRUMP", "President")
    assert (date(2025, 1, 29), None) in _role("PER_AHMED_AL_SHARAA", "President")


def test_one_holder_per_post_at_a_time() -> None:
    """Foreign ministers of one country never overlap by more than the handover day."""
    posts: dict[tuple[str, str], list[tuple[date, date, str]]] = defaultdict(list)
    for r in roles():
        if r["role"] in {"Foreign Minister", "Prime Minister", "Secretary of State"}:
            start = date.fromisoformat(r["valid_from"])
            end = _day(r["valid_to"]) or date.max
            posts[(r["country_code"], r["role"])].append((start, end, r["actor_code"]))
    for post, spans in posts.items():
        spans.sort()
        for (_, end, who), (start, _, nxt) in pairwise(spans):
            assert end <= start, (post, who, nxt)


# ---------------------------------------------------------------------------
# role_nouns.csv
# ---------------------------------------------------------------------------
def test_role_nouns() -> None:
    rows = read("role_nouns.csv")[1]
    terms = [row["term"] for row in rows]
    assert len(terms) == len(set(terms))
    assert all(t == t.strip().lower() and t for t in terms)
    assert all(row["sector"] in sectors() and row["description"] for row in rows)
    sector = {row["term"]: row["sector"] for row in rows}
    expected = {
        "officials": "GOV", "government": "GOV", "ministry": "GOV", "minister": "GOV",
        "president": "GOV", "diplomats": "GOV", "army": "MIL", "military": "MIL",
        "troops": "MIL", "soldiers": "MIL", "forces": "MIL", "security forces": "COP",
        "police": "COP", "navy": "MIL", "air force": "MIL", "rebels": "REB",
        "insurgents": "REB", "militants": "REB", "militia": "PAR", "fighters": "REB",
        "militia fighters": "PAR", "paramilitary": "PAR", "protesters": "ACT",
        "demonstrators": "ACT", "civilians": "CVL", "residents": "CVL", "refugees": "REF",
        "journalists": "MED", "businesses": "BUS", "companies": "BUS", "lawmakers": "LEG",
        "parliament": "LEG", "opposition": "OPP", "judges": "JUD", "court": "JUD",
        "security officials": "GOV",
    }  # fmt: skip
    assert {t: sector.get(t) for t in expected} == expected
