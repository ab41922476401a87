"""How the demo catalogue is written: organisations, locations and offers flagged as demo,
a few months of availability history per figure, and contracts, counted as they are made.

`directory.devdata.demo` decides what to write; every random choice comes from one seeded
generator, so the demo is the same each time it is loaded.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from directory.catalogue.models import Contract, Location, Offer, Organisation
from directory.catalogue.service import AvailabilityInput, Reporter, record_availability
from directory.config import DEFAULT_VALIDITY
from directory.devdata.demo_data import City
from directory.enums import AvailabilityStatus, OrganisationKind, WaitMeasure

SEED = 20240226
CONTRACT_START = date(2024, 1, 1)
REPORTER = Reporter(name="demo")
HISTORY_MONTHS = 5


@dataclass
class DemoCatalogue:
    """What `load_demo` created, for the command line and tests."""

    organisations: int = 0
    offers: int = 0
    reports: int = 0
    contracts: int = 0
    stories: dict[str, list[int]] = field(default_factory=dict)


class DemoBuilder:
    """Writes demo rows in `session`, drawing every random choice from one seeded rng."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session = session
        self.now = now
        self.rng = random.Random(SEED)
        self.result = DemoCatalogue()

    # --- organisations and locations ---

    def organisation(
        self, name: str, kind: OrganisationKind, **identifiers: object
    ) -> Organisation:
        organisation = Organisation(name=f"{name} (demo)", kind=kind, is_demo=True, **identifiers)
        self.session.add(organisation)
        self.result.organisations += 1
        return organisation

    def location(
        self, organisation: Organisation, city: City, municipality: str | None = None
    ) -> Location:
        low, high = city.postcode_range
        letters = self.rng.choice("ABCDEGHJKLMNPRTVWXZ") + self.rng.choice("ABCDEGHJKLMNPRTVWXZ")
        location = Location(
            organisation=organisation,
            name=f"{organisation.name.removesuffix(' (demo)')}, {city.name}",
            street=self.rng.choice(city.streets),
            house_number=str(self.rng.randint(1, 240)),
            postcode=f"{self.rng.randint(low, high)}{letters}",
            city=city.name,
            municipality_code=municipality or city.code,
            lat=round(city.lat + self.rng.uniform(-0.03, 0.03), 5),
            lon=round(city.lon + self.rng.uniform(-0.05, 0.05), 5),
            accessibility=self.rng.choice(
                ("Rolstoeltoegankelijk, invalidentoilet", "Begane grond, geen lift", None)
            ),
        )
        self.session.add(location)
        return location

    def offer(
        self, organisation: Organisation, locations: list[Location], **fields: object
    ) -> Offer:
        offer = Offer(
            organisation=organisation,
            locations=locations,
            is_demo=True,
            languages=["nl"] if self.rng.random() < 0.7 else ["nl", "en"],
            contact_email=f"aanmelden@{_slug(organisation.name)}.demo.invalid",
            contact_phone=f"010-{self.rng.randint(1000000, 9999999)}",
            **fields,
        )
        self.session.add(offer)
        self.result.offers += 1
        return offer

    # --- figures ---

    def history(
        self,
        offer: Offer,
        *,
        weeks: tuple[int, int],
        open_places: int = 0,
        stale: bool = False,
        location: Location | None = None,
        leerjaar: int | None = None,
    ) -> None:
        """A few monthly reports ending in the current figure; waits drift towards today's."""
        self.session.flush()
        latest = self.now - timedelta(
            days=self.rng.randint(70, 120) if stale else self.rng.randint(1, 20)
        )
        intake, treatment = weeks
        measure = self.rng.choice(
            (WaitMeasure.CURRENT, WaitMeasure.CURRENT, WaitMeasure.RETROSPECTIVE)
        )
        for months_back in range(HISTORY_MONTHS - 1, -1, -1):
            drift = months_back * self.rng.randint(0, 3)
            bruto = (
                max(0, (intake + treatment) // 2 + self.rng.randint(-3, 6))
                if intake + treatment
                else 0
            )
            places = open_places if months_back == 0 else self.rng.choice((0, 0, open_places))
            status = _status(places, intake + treatment)
            report = AvailabilityInput(
                status=status,
                measured_at=latest - timedelta(days=30 * months_back),
                measure=measure,
                open_places=places,
                waiting_list_size=bruto,
                bridging_count=bruto // 3,
                intake_wait_weeks=max(0, intake - drift // 2),
                treatment_wait_weeks=max(0, treatment - drift),
                location_id=location.id if location else None,
                leerjaar=leerjaar,
            )
            record_availability(
                self.session,
                offer.id,
                report,
                REPORTER,
                now=self.now,
                default_validity=DEFAULT_VALIDITY,
            )
            self.result.reports += 1

    def contract(self, offer: Offer, municipality: str) -> None:
        self.session.add(
            Contract(municipality_code=municipality, offer_id=offer.id, valid_from=CONTRACT_START)
        )
        self.result.contracts += 1

    def remember(self, story: str, offer: Offer) -> None:
        self.session.flush()
        self.result.stories.setdefault(story, []).append(offer.id)


def _status(open_places: int, total_weeks: int) -> AvailabilityStatus:
    if open_places:
        return AvailabilityStatus.OPEN
    return AvailabilityStatus.OPEN if total_weeks == 0 else AvailabilityStatus.WAITLIST


def _slug(name: str) -> str:
    return "".join(char for char in name.lower().removesuffix(" (demo)") if char.isalnum())[:30]


def digits(rng: random.Random, count: int) -> str:
    """`count` random decimal digits: a made-up KvK or AGB number."""
    return "".join(rng.choice("0123456789") for _ in range(count))
