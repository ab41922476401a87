"""The rows of a deterministic, clearly fictional catalogue of any size (pure: no database).

`build_rows` turns a seed and a list of municipalities into plain rows, so determinism is
testable on its own; `directory.devdata.generate` writes them. Every organisation and offer is named
"Synthetisch(e) ..." and flagged `is_demo`: made-up waits must never appear under a real
provider's name.

What each offer says, its kind's fields and its figure, is drawn in
`directory.devdata.synthetic_fields`; this module numbers the rows and links them.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import count
from string import ascii_uppercase
from typing import Any

from directory.catalogue.rules import availability_scope
from directory.config import DEFAULT_VALIDITY
from directory.devdata.synthetic_fields import (
    CLUSTERS,
    DAY_PROGRAMMES_AT_PROVIDER,
    DAY_PROGRAMMES_AT_SCHOOL,
    IJW_WEIGHTS,
    LANGUAGES,
    Weighted,
    day_programme,
    figure,
    special_education,
    youth_care,
)
from directory.enums import OfferKind, OrganisationKind, WaitMeasure
from directory.geo import UNISSUED_POSTCODE_LETTERS, distance_km

Row = dict[str, Any]
Batch = dict[str, list[Row]]  # table name -> rows, in foreign-key order

DEFAULT_SEED = 20240301
BATCH_OFFERS = 5_000
NUMBERED_TABLES = ("organisation", "location", "offer", "availability_report", "contract")
INSERT_ORDER = (
    "organisation", "location", "offer", "offer_location",
    "availability_report", "current_availability", "contract",
)  # fmt: skip

# Schools make 85% education offers and care providers 68% youth care, so 41% schools
# gives roughly 35% education, 25% day programmes and 40% youth care.
SCHOOL_SHARE, EDUCATION_AT_SCHOOL, YOUTH_CARE_AT_PROVIDER = 0.41, 0.85, 0.68
SBO_SCHOOL_SHARE = 0.15
PGB_SHARE, TARIFF_KNOWN_SHARE, CONTRACTED_SHARE = 0.4, 0.5, 0.6
# Of the contracted care, what a jeugdregio buys for all its members (as Rijnmond does);
# of the schools that list leerjaren, those that publish a figure per leerjaar.
REGIONAL_SHARE, PER_LEERJAAR_SHARE = 0.3, 0.4
MEASURED_WITHIN = timedelta(days=60)
VALIDITY = DEFAULT_VALIDITY  # with MEASURED_WITHIN, about half the figures are stale
JITTER_KM, KM_PER_DEGREE = 3.5, 111.32
# Rough populations; other municipalities get a deterministic pseudo-population.
BIG_CITIES = {"GM0363": 930_000.0, "GM0599": 670_000.0, "GM0518": 560_000.0, "GM0344": 370_000.0}

ORGANISATION_LABELS = {
    OrganisationKind.SCHOOL_BOARD: "Synthetisch schoolbestuur",
    OrganisationKind.SCHOOL: "Synthetische school",
    OrganisationKind.CARE_PROVIDER: "Synthetische zorgaanbieder",
}
LETTER_PAIRS = [a + b for a in ascii_uppercase for b in ascii_uppercase]
POSTCODE_LETTERS = [pair for pair in LETTER_PAIRS if pair not in UNISSUED_POSTCODE_LETTERS]
STREETS = ("Voorbeeldstraat", "Proeflaan", "Testweg", "Fictiefplein", "Demohof", "Modelkade")
OFFER_KIND_COLUMNS: Row = dict.fromkeys(
    ("cluster", "school_type", "tlv_required", "tlv_category", "exit_profile",
     "day_programme_type", "includes_education", "education_hours_per_week", "ijw_category",
     "beschikking_required", "tariff_unit", "tariff_cents"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class MunicipalityPoint:
    """A current municipality with coordinates: where generated organisations sit."""

    code: str
    name: str
    lat: float
    lon: float
    jeugdregio: str | None = None


def build_rows(
    municipalities: Sequence[MunicipalityPoint],
    ijw_categories: Mapping[int, str],
    *,
    offers: int,
    now: datetime,
    seed: int = DEFAULT_SEED,
    first_ids: Mapping[str, int] | None = None,
) -> Iterator[Batch]:
    """The rows of a synthetic catalogue, in batches of about BATCH_OFFERS offers.

    Ids start at `first_ids[table]` (default 1) for each table in NUMBERED_TABLES.
    Columns that are the same in every row (`is_demo`, timestamps) are left to the
    caller. Pure: the same arguments always give the same rows.
    """
    builder = _Builder(municipalities, ijw_categories, now, seed, first_ids or {})
    return builder.batches(offers, BATCH_OFFERS)


class _Builder:
    def __init__(
        self,
        municipalities: Sequence[MunicipalityPoint],
        ijw_categories: Mapping[int, str],
        now: datetime,
        seed: int,
        first_ids: Mapping[str, int],
    ) -> None:
        self.rng, self.now, self.ijw_names = random.Random(seed), now, ijw_categories
        places = sorted(municipalities, key=lambda place: place.code)
        self.places = Weighted({place: _pseudo_population(place.code) for place in places})
        self.neighbours = _nearest(places, 3)
        # Disjoint PC4 ranges per municipality, so a postcode points to one municipality.
        self.pc4_width = max(1, 9000 // len(places))
        self.pc4 = {place.code: 1000 + i * self.pc4_width % 9000 for i, place in enumerate(places)}
        self.ijw = Weighted({c: w for c, w in IJW_WEIGHTS.items() if c in ijw_categories})
        self.ids = {name: count(first_ids.get(name, 1)) for name in NUMBERED_TABLES}
        self.board_id, self.board_room = 0, 0
        self.batch: Batch = {name: [] for name in INSERT_ORDER}

    def batches(self, offers: int, batch_offers: int) -> Iterator[Batch]:
        remaining = offers
        while remaining > 0:
            offer_count = min(remaining, self.rng.randint(1, 9))
            place = self.places.pick(self.rng)
            if self.rng.random() < SCHOOL_SHARE:
                self._school(place, offer_count)
            else:
                self._care_provider(place, offer_count)
            remaining -= offer_count
            if len(self.batch["offer"]) >= batch_offers or remaining == 0:
                yield self.batch
                self.batch = {name: [] for name in INSERT_ORDER}

    def _school(self, place: MunicipalityPoint, offer_count: int) -> None:
        rng = self.rng
        if self.board_room == 0:
            self.board_id = self._organisation(OrganisationKind.SCHOOL_BOARD, place)
            self.board_room = rng.randint(1, 3)
        self.board_room -= 1
        school = self._organisation(OrganisationKind.SCHOOL, place, parent_id=self.board_id)
        locations = self._locations(school, place)
        cluster = None if rng.random() < SBO_SCHOOL_SHARE else CLUSTERS.pick(rng)
        for _ in range(offer_count):
            if rng.random() < EDUCATION_AT_SCHOOL:
                fields = special_education(rng, cluster)
            else:
                fields = day_programme(rng, DAY_PROGRAMMES_AT_SCHOOL.pick(rng))
            self._offer(school, place, locations, fields)

    def _care_provider(self, place: MunicipalityPoint, offer_count: int) -> None:
        provider = self._organisation(OrganisationKind.CARE_PROVIDER, place)
        locations = self._locations(provider, place)
        for _ in range(offer_count):
            if self.rng.random() < YOUTH_CARE_AT_PROVIDER:
                fields = youth_care(self.rng, self.ijw.pick(self.rng), self.ijw_names)
            else:
                fields = day_programme(self.rng, DAY_PROGRAMMES_AT_PROVIDER.pick(self.rng))
            self._offer(provider, place, locations, fields)

    def _organisation(
        self, kind: OrganisationKind, place: MunicipalityPoint, parent_id: int | None = None
    ) -> int:
        org_id = next(self.ids["organisation"])
        school = kind is OrganisationKind.SCHOOL
        self.batch["organisation"].append(
            {
                "id": org_id,
                "name": f"{ORGANISATION_LABELS[kind]} {org_id:05d}",
                "kind": kind,
                "kvk": None if school else f"9{org_id % 10_000_000:07d}",
                "agb": f"98{org_id % 1_000_000:06d}"
                if kind is OrganisationKind.CARE_PROVIDER
                else None,
                # Two digits and two letters, unique for the first 6.76 million ids.
                "brin": f"{org_id % 100:02d}{_letters(org_id // 100)}" if school else None,
                "vestigingsnummer": f"{org_id // 67_600 % 100:02d}" if school else None,
                "parent_id": parent_id,
                "municipality_code": place.code,
                "website": f"https://synthetisch-{org_id:05d}.example",
                "email": f"info@synthetisch-{org_id:05d}.example",
            }
        )
        return org_id

    def _locations(self, org_id: int, place: MunicipalityPoint) -> list[int]:
        rng = self.rng
        ids = []
        for number in range(1, rng.randint(1, 3) + 1):
            location_id = next(self.ids["location"])
            distance, angle = JITTER_KM * math.sqrt(rng.random()), rng.random() * math.tau
            lat = place.lat + distance * math.cos(angle) / KM_PER_DEGREE
            lon_km = KM_PER_DEGREE * math.cos(math.radians(place.lat))
            lon = place.lon + distance * math.sin(angle) / lon_km
            pc4 = self.pc4[place.code] + rng.randrange(self.pc4_width)
            self.batch["location"].append(
                {
                    "id": location_id,
                    "organisation_id": org_id,
                    "name": f"Synthetische locatie {org_id:05d}-{number}",
                    "street": rng.choice(STREETS),
                    "house_number": str(rng.randint(1, 250)),
                    "postcode": f"{pc4}{rng.choice(POSTCODE_LETTERS)}",
                    "city": place.name,
                    "municipality_code": place.code,
                    "lat": round(lat, 6),
                    "lon": round(lon, 6),
                    "accessibility": "Rolstoeltoegankelijk" if rng.random() < 0.3 else None,
                }
            )
            ids.append(location_id)
        return ids

    def _offer(
        self, org_id: int, place: MunicipalityPoint, locations: list[int], fields: Row
    ) -> None:
        rng = self.rng
        offer_id = next(self.ids["offer"])
        (min_age, max_age), focus = fields.pop("ages"), fields.pop("focus")
        row = {**OFFER_KIND_COLUMNS, "leerjaren": [], **fields}
        care = row["kind"] is not OfferKind.SPECIAL_EDUCATION
        if care and rng.random() < TARIFF_KNOWN_SHARE:
            euros = rng.randint(60, 120) if row["tariff_unit"] == "hour" else rng.randint(90, 250)
            row["tariff_cents"] = euros * 100
        else:
            row["tariff_unit"] = None
        row.update(
            id=offer_id,
            organisation_id=org_id,
            name=f"{row['name']} (synthetisch {offer_id:05d})",
            description=f"Synthetisch aanbod voor {focus}, {min_age} tot {max_age} jaar. "
            "Demogegevens: geen echte aanbieder.",
            min_age=min_age,
            max_age=max_age,
            languages=list(LANGUAGES.pick(rng)),
            accepts_pgb=care and rng.random() < PGB_SHARE,
        )
        self.batch["offer"].append(row)
        for location_id in rng.sample(locations, min(len(locations), rng.randint(1, 2))):
            self.batch["offer_location"].append({"offer_id": offer_id, "location_id": location_id})
        if len(row["leerjaren"]) > 1 and rng.random() < PER_LEERJAAR_SHARE:
            for leerjaar in row["leerjaren"]:
                self._report(offer_id, row["kind"], leerjaar)
        else:
            self._report(offer_id, row["kind"])
        if care and rng.random() < CONTRACTED_SHARE:
            neighbours = self.neighbours[place.code][: rng.choice((1, 2, 2, 3))]
            regional = place.jeugdregio is not None and rng.random() < REGIONAL_SHARE
            buyers = (
                [(None, place.jeugdregio)]
                if regional
                else [(code, None) for code in (place.code, *neighbours)]
            )
            self.batch["contract"].extend(
                {
                    "id": next(self.ids["contract"]),
                    "municipality_code": code,
                    "jeugdregio_code": region,
                    "offer_id": offer_id,
                    "valid_from": date(2024, 1, 1),
                    "valid_to": None,
                }
                for code, region in buyers
            )

    def _report(self, offer_id: int, kind: OfferKind, leerjaar: int | None = None) -> None:
        rng = self.rng
        status, open_places, bruto, intake, treatment = figure(rng, kind)
        age = timedelta(seconds=rng.randrange(int(MEASURED_WITHIN.total_seconds())))
        measured_at = (self.now - age).replace(microsecond=0)
        report_id = next(self.ids["availability_report"])
        self.batch["availability_report"].append(
            {
                "id": report_id,
                "offer_id": offer_id,
                "location_id": None,
                "leerjaar": leerjaar,
                "status": status,
                "open_places": open_places,
                "waiting_list_size": bruto,
                "bridging_count": None if bruto is None else rng.randint(0, bruto // 2),
                "intake_wait_weeks": intake,
                "treatment_wait_weeks": treatment,
                "measure": WaitMeasure.CURRENT if rng.random() < 0.7 else WaitMeasure.RETROSPECTIVE,
                "measured_at": measured_at,
                "valid_until": measured_at + VALIDITY,
                "received_at": measured_at,
            }
        )
        self.batch["current_availability"].append(
            {
                "offer_id": offer_id,
                "scope": availability_scope(None, leerjaar),
                "report_id": report_id,
            }
        )


def _letters(number: int) -> str:
    return ascii_uppercase[number // 26 % 26] + ascii_uppercase[number % 26]


def _pseudo_population(code: str) -> float:
    if code in BIG_CITIES:
        return BIG_CITIES[code]
    # Seeded by the code alone, so a municipality keeps its size whatever the seed.
    return min(250_000.0, 12_000 * math.exp(abs(random.Random(code).gauss(0, 1.1))))


def _nearest(places: Sequence[MunicipalityPoint], how_many: int) -> dict[str, list[str]]:
    def by_distance(place: MunicipalityPoint) -> list[str]:
        others = [other for other in places if other.code != place.code]
        others.sort(key=lambda other: distance_km(place.lat, place.lon, other.lat, other.lon))
        return [other.code for other in others[:how_many]]

    return {place.code: by_distance(place) for place in places}
