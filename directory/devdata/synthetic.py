"""The rows of a deterministic, clearly fictional catalogue of any size (pure: no database).

`build_rows` turns a seed and a list of municipalities into plain rows, so determinism is
testable on its own; `directory.devdata.generate` writes them. Every organisation and offer is named
"Synthetisch(e) ..." and flagged `is_demo`: made-up waits must never appear under a real
provider's name.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate, count
from string import ascii_uppercase
from typing import Any, Generic, TypeVar

from directory.catalogue.rules import availability_scope
from directory.config import DEFAULT_VALIDITY
from directory.enums import (
    AvailabilityStatus,
    DayProgrammeType,
    ExitProfile,
    OfferKind,
    OrganisationKind,
    SchoolType,
    TlvCategory,
    WaitMeasure,
)
from directory.geo import UNISSUED_POSTCODE_LETTERS, distance_km

Row = dict[str, Any]
Batch = dict[str, list[Row]]  # table name -> rows, in foreign-key order
T = TypeVar("T")

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
CLUSTER_FOCUS = {
    1: ("slechtziende leerlingen", "blinde leerlingen"),
    2: ("TOS", "doof en slechthorend", "autisme en communicatie"),
    3: ("ZML", "lichamelijke beperking", "epilepsie", "langdurig zieke leerlingen"),
    4: ("gedragsproblemen", "autisme", "psychiatrische problematiek", "angst"),
}
SBO_FOCUS = ("leerproblemen", "gedrag en leren", "extra ondersteuning")
CARE_FOCUS = (
    "autisme", "ADHD", "angst", "depressie", "trauma", "hechting", "gezinsbegeleiding",
    "LVB", "eetstoornis", "gedragsproblemen", "ouder en kind", "middelengebruik",
)  # fmt: skip
# Label, ages, and how often such a programme includes education.
DAY_PROGRAMMES = {
    DayProgrammeType.ONDERWIJSZORGARRANGEMENT: ("Onderwijszorgarrangement", (4, 18), 0.9),
    DayProgrammeType.ONDERWIJSGERICHT: ("Onderwijsgericht dagprogramma", (6, 18), 0.9),
    DayProgrammeType.ONTWIKKELGERICHT: ("Ontwikkelgericht dagprogramma", (4, 12), 0.5),
    DayProgrammeType.DAGBESTEDING: ("Dagbesteding", (12, 18), 0.0),
    DayProgrammeType.BSO_PLUS: ("BSO+", (4, 12), 0.0),
    DayProgrammeType.OVERBRUGGING: ("Overbruggingszorg", (4, 18), 0.0),
    DayProgrammeType.BEHANDEL_ONDERWIJSGROEP: ("Behandel- en onderwijsgroep", (4, 12), 0.9),
}
HOW_TO_APPLY = {
    "tlv": "Aanmelden met een TLV van het samenwerkingsverband.",
    "institution": "Aanmelden bij de commissie van onderzoek van de instelling.",
    "day_programme": "Aanmelden via het wijkteam of de onderwijsconsulent.",
    "beschikking": "Aanmelden via het wijkteam of een verwijzer (beschikking nodig).",
    "free": "Vrij toegankelijk: direct aanmelden.",
}
CARE_AGES = ((0, 18), (0, 23), (0, 6), (4, 12), (4, 18), (6, 18), (12, 18), (12, 23))
EXIT_PROFILES = tuple(ExitProfile)
# Residential, crisis and day treatment are paid per day; the rest per hour.
PAID_PER_DAY = frozenset({41, 43, 44, 46})
OFFER_KIND_COLUMNS: Row = dict.fromkeys(
    ("cluster", "school_type", "tlv_required", "tlv_category", "exit_profile",
     "day_programme_type", "includes_education", "education_hours_per_week", "ijw_category",
     "beschikking_required", "tariff_unit", "tariff_cents"),
)  # fmt: skip


class _Weighted(Generic[T]):
    """A fixed weighted choice, cheaper than `random.choices` when drawn many times."""

    def __init__(self, weights: Mapping[T, float]) -> None:
        self.values = list(weights)
        self.cumulative = list(accumulate(weights.values()))

    def pick(self, rng: random.Random) -> T:
        return self.values[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


Status, DP = AvailabilityStatus, DayProgrammeType
STATUSES = _Weighted(
    {Status.OPEN: 20, Status.WAITLIST: 55, Status.ASSESSMENT_REQUIRED: 10, Status.CLOSED: 15}
)
CLUSTERS = _Weighted({1: 8, 2: 16, 3: 34, 4: 42})
TLV_CATEGORIES = _Weighted({TlvCategory.LAAG: 5, TlvCategory.MIDDEN: 3, TlvCategory.HOOG: 2})
DAY_PROGRAMMES_AT_SCHOOL = _Weighted(
    {DP.ONDERWIJSZORGARRANGEMENT: 4, DP.ONDERWIJSGERICHT: 3, DP.BEHANDEL_ONDERWIJSGROEP: 3}
)
DAY_PROGRAMMES_AT_PROVIDER = _Weighted(
    {DP.ONTWIKKELGERICHT: 3, DP.DAGBESTEDING: 3, DP.BSO_PLUS: 2, DP.OVERBRUGGING: 2,
     DP.ONDERWIJSZORGARRANGEMENT: 1, DP.ONDERWIJSGERICHT: 1, DP.BEHANDEL_ONDERWIJSGROEP: 1}
)  # fmt: skip
IJW_WEIGHTS = {
    45: 30, 41: 12, 54: 12, 43: 10, 52: 10, 51: 5, 44: 4, 46: 3,
    50: 3, 40: 2, 53: 2, 42: 1, 47: 1, 48: 1, 49: 1, 55: 1,
}  # fmt: skip
LANGUAGES = _Weighted({("nl",): 90, ("nl", "en"): 7, ("nl", "tr"): 2, ("nl", "ar"): 1})


@dataclass(frozen=True, slots=True)
class MunicipalityPoint:
    """A current municipality with coordinates: where generated organisations sit."""

    code: str
    name: str
    lat: float
    lon: float


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
        self.places = _Weighted({place: _pseudo_population(place.code) for place in places})
        self.neighbours = _nearest(places, 3)
        # Disjoint PC4 ranges per municipality, so a postcode points to one municipality.
        self.pc4_width = max(1, 9000 // len(places))
        self.pc4 = {place.code: 1000 + i * self.pc4_width % 9000 for i, place in enumerate(places)}
        self.ijw = _Weighted({c: w for c, w in IJW_WEIGHTS.items() if c in ijw_categories})
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
                fields = self._special_education(cluster)
            else:
                fields = self._day_programme(DAY_PROGRAMMES_AT_SCHOOL.pick(rng))
            self._offer(school, place, locations, fields)

    def _care_provider(self, place: MunicipalityPoint, offer_count: int) -> None:
        provider = self._organisation(OrganisationKind.CARE_PROVIDER, place)
        locations = self._locations(provider, place)
        for _ in range(offer_count):
            if self.rng.random() < YOUTH_CARE_AT_PROVIDER:
                fields = self._youth_care()
            else:
                fields = self._day_programme(DAY_PROGRAMMES_AT_PROVIDER.pick(self.rng))
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

    def _special_education(self, cluster: int | None) -> Row:
        rng = self.rng
        if cluster is None:
            school_type, ages, focus = SchoolType.SBO, (4, 12), rng.choice(SBO_FOCUS)
        else:
            school_type = SchoolType.SO if rng.random() < 0.5 else SchoolType.VSO
            ages = (4, 12) if school_type is SchoolType.SO else (12, rng.choice((18, 20)))
            focus = rng.choice(CLUSTER_FOCUS[cluster])
        tlv_required = cluster is None or cluster >= 3  # clusters 1-2 do their own intake
        leerjaren: list[int] = []
        if rng.random() < 0.35:
            last = 6 if school_type is SchoolType.VSO else 8
            start = rng.randint(1, last - 1)
            leerjaren = list(range(start, min(last, start + rng.randint(1, 3)) + 1))
        label = school_type.value.upper() + (f" cluster {cluster}" if cluster else "")
        return {
            "kind": OfferKind.SPECIAL_EDUCATION,
            "name": f"{label} – {focus}",
            "focus": focus,
            "ages": ages,
            "leerjaren": leerjaren,
            "cluster": cluster,
            "school_type": school_type,
            "tlv_required": tlv_required,
            "tlv_category": TLV_CATEGORIES.pick(rng) if tlv_required else None,
            "exit_profile": rng.choice(EXIT_PROFILES) if school_type is SchoolType.VSO else None,
            "how_to_apply": HOW_TO_APPLY["tlv" if tlv_required else "institution"],
        }

    def _day_programme(self, kind: DayProgrammeType) -> Row:
        rng = self.rng
        label, ages, education_share = DAY_PROGRAMMES[kind]
        includes_education = rng.random() < education_share
        focus = rng.choice(CARE_FOCUS)
        return {
            "kind": OfferKind.DAY_PROGRAMME,
            "name": f"{label} – {focus}",
            "focus": focus,
            "ages": ages,
            "day_programme_type": kind,
            "includes_education": includes_education,
            "education_hours_per_week": Decimal(rng.randint(4, 40)) / 2
            if includes_education
            else None,
            "tariff_unit": "day",
            "how_to_apply": HOW_TO_APPLY["day_programme"],
        }

    def _youth_care(self) -> Row:
        rng = self.rng
        category = self.ijw.pick(rng)
        beschikking = rng.random() < 0.85
        focus = rng.choice(CARE_FOCUS)
        return {
            "kind": OfferKind.YOUTH_CARE,
            "name": f"{self.ijw_names[category]} – {focus}",
            "focus": focus,
            "ages": rng.choice(CARE_AGES),
            "ijw_category": category,
            "beschikking_required": beschikking,
            "tariff_unit": "day" if category in PAID_PER_DAY else "hour",
            "how_to_apply": HOW_TO_APPLY["beschikking" if beschikking else "free"],
        }

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
        self._report(offer_id, row["kind"])
        if care and rng.random() < CONTRACTED_SHARE:
            neighbours = self.neighbours[place.code][: rng.choice((1, 2, 2, 3))]
            self.batch["contract"].extend(
                {
                    "id": next(self.ids["contract"]),
                    "municipality_code": code,
                    "offer_id": offer_id,
                    "valid_from": date(2024, 1, 1),
                    "valid_to": None,
                }
                for code in (place.code, *neighbours)
            )

    def _report(self, offer_id: int, kind: OfferKind) -> None:
        rng = self.rng
        status = STATUSES.pick(rng)
        open_places: int | None = 0
        bruto: int | None = None
        intake: int | None = None
        treatment: int | None = None
        if status is Status.OPEN:
            open_places, bruto, intake, treatment = rng.randint(1, 8), 0, *_short_waits(rng)
        elif status is Status.WAITLIST:
            bruto = rng.randint(3, 150) if rng.random() < 0.95 else None
            intake, treatment = _waits(rng, kind)
        elif status is Status.ASSESSMENT_REQUIRED:
            open_places, bruto, intake = None, rng.randint(0, 40), rng.randint(1, 8)
            treatment = rng.randint(4, 30) if rng.random() < 0.5 else None
        elif rng.random() < 0.5:
            bruto = rng.randint(10, 200)  # a closed list that still has children on it
        age = timedelta(seconds=rng.randrange(int(MEASURED_WITHIN.total_seconds())))
        measured_at = (self.now - age).replace(microsecond=0)
        report_id = next(self.ids["availability_report"])
        self.batch["availability_report"].append(
            {
                "id": report_id,
                "offer_id": offer_id,
                "location_id": None,
                "leerjaar": None,
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
            {"offer_id": offer_id, "scope": availability_scope(None, None), "report_id": report_id}
        )


def _short_waits(rng: random.Random) -> tuple[int, int]:
    return rng.randint(0, 4), rng.randint(0, 8)


def _waits(rng: random.Random, kind: OfferKind) -> tuple[int, int]:
    """Intake and treatment wait in weeks: education mostly 20-100 weeks in total, care
    and day programmes mostly six months to over a year (DOMAIN.md); a few short ones."""
    if kind is OfferKind.SPECIAL_EDUCATION:
        return (
            _short_waits(rng) if rng.random() < 0.1 else (rng.randint(2, 10), rng.randint(18, 90))
        )
    return _short_waits(rng) if rng.random() < 0.2 else (rng.randint(2, 16), rng.randint(20, 52))


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
