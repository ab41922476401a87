"""What one synthetic offer says, drawn from the caller's seeded generator: the fields of
its kind (school type and cluster, day programme, iJw category; focus, ages, how to apply)
and its availability figure (status, places, list, waits), with the weights behind them.

Pure, like the rest of the generator: `directory.devdata.synthetic` numbers the rows and
links organisations, locations, offers and contracts. Keep the order of the draws: it is
what makes a seed give the same catalogue every time.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Mapping
from decimal import Decimal
from itertools import accumulate
from typing import Any, Generic, NamedTuple, TypeVar

from directory.enums import (
    AvailabilityStatus,
    DayProgrammeType,
    ExitProfile,
    OfferKind,
    SchoolType,
    TlvCategory,
)

Fields = dict[str, Any]  # the columns of one offer row that depend on its kind
T = TypeVar("T")


class Weighted(Generic[T]):
    """A fixed weighted choice, cheaper than `random.choices` when drawn many times."""

    def __init__(self, weights: Mapping[T, float]) -> None:
        self.values = list(weights)
        self.cumulative = list(accumulate(weights.values()))

    def pick(self, rng: random.Random) -> T:
        return self.values[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


Status, DP = AvailabilityStatus, DayProgrammeType
STATUSES = Weighted(
    {Status.OPEN: 20, Status.WAITLIST: 55, Status.ASSESSMENT_REQUIRED: 10, Status.CLOSED: 15}
)
CLUSTERS = Weighted({1: 8, 2: 16, 3: 34, 4: 42})
TLV_CATEGORIES = Weighted({TlvCategory.LAAG: 5, TlvCategory.MIDDEN: 3, TlvCategory.HOOG: 2})
DAY_PROGRAMMES_AT_SCHOOL = Weighted(
    {DP.ONDERWIJSZORGARRANGEMENT: 4, DP.ONDERWIJSGERICHT: 3, DP.BEHANDEL_ONDERWIJSGROEP: 3}
)
DAY_PROGRAMMES_AT_PROVIDER = Weighted(
    {DP.ONTWIKKELGERICHT: 3, DP.DAGBESTEDING: 3, DP.BSO_PLUS: 2, DP.OVERBRUGGING: 2,
     DP.ONDERWIJSZORGARRANGEMENT: 1, DP.ONDERWIJSGERICHT: 1, DP.BEHANDEL_ONDERWIJSGROEP: 1}
)  # fmt: skip
IJW_WEIGHTS = {
    45: 30, 41: 12, 54: 12, 43: 10, 52: 10, 51: 5, 44: 4, 46: 3,
    50: 3, 40: 2, 53: 2, 42: 1, 47: 1, 48: 1, 49: 1, 55: 1,
}  # fmt: skip
LANGUAGES = Weighted({("nl",): 90, ("nl", "en"): 7, ("nl", "tr"): 2, ("nl", "ar"): 1})

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


class Figure(NamedTuple):
    """One availability figure as drawn; None where it is not published."""

    status: AvailabilityStatus
    open_places: int | None
    waiting_list_size: int | None
    intake_wait_weeks: int | None
    treatment_wait_weeks: int | None


def special_education(rng: random.Random, cluster: int | None) -> Fields:
    """A school's education offer; `cluster` None makes it an SBO."""
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


def day_programme(rng: random.Random, kind: DayProgrammeType) -> Fields:
    """A day programme of `kind`, with or without education."""
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
        "education_hours_per_week": Decimal(rng.randint(4, 40)) / 2 if includes_education else None,
        "tariff_unit": "day",
        "how_to_apply": HOW_TO_APPLY["day_programme"],
    }


def youth_care(rng: random.Random, category: int, ijw_names: Mapping[int, str]) -> Fields:
    """Youth care in iJw `category` (drawn by the caller from `IJW_WEIGHTS`)."""
    beschikking = rng.random() < 0.85
    focus = rng.choice(CARE_FOCUS)
    return {
        "kind": OfferKind.YOUTH_CARE,
        "name": f"{ijw_names[category]} – {focus}",
        "focus": focus,
        "ages": rng.choice(CARE_AGES),
        "ijw_category": category,
        "beschikking_required": beschikking,
        "tariff_unit": "day" if category in PAID_PER_DAY else "hour",
        "how_to_apply": HOW_TO_APPLY["beschikking" if beschikking else "free"],
    }


def figure(rng: random.Random, kind: OfferKind) -> Figure:
    """A status with places, list size and waits that fit it and the offer's kind."""
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
    return Figure(status, open_places, bruto, intake, treatment)


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
