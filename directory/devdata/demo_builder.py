"""How the demo catalogue is written: organisations, locations and offers flagged as demo,
with contact details that reach nobody, a few months of availability history per figure,
and contracts, counted as they are made.

The history is not written as it is planned: `publish` sends it in week by week as the
providers would have, and lets the signals be evaluated after each week, so every signal's
opened and resolved times come from an evaluation of the figures known at that moment.

`directory.devdata.demo` decides what to write; every random choice comes from one seeded
generator, so the demo is the same each time it is loaded.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from directory.catalogue.models import Contract, Location, Offer, Organisation
from directory.catalogue.service import (
    AvailabilityInput,
    Reporter,
    apply_reports,
    check_reports,
    lock_offers,
)
from directory.config import DEFAULT_VALIDITY
from directory.devdata.demo_data import City
from directory.enums import AvailabilityStatus, OrganisationKind, WaitMeasure
from directory.errors import InvalidDataError

SEED = 20240226
CONTRACT_START = date(2024, 1, 1)
REPORTER = Reporter(name="demo")
HISTORY_MONTHS = 5  # monthly figures per offer, the last one current
MONTH = timedelta(days=30)
# The figures are sent in over the weeks before the demo loads, with an evaluation of the
# signals after each week; every offer has a figure by the first of them.
HISTORY_WEEKS = 17
# Reserved by RFC 2606 and RFC 6761: never delegated, so no demo e-mail address or website
# can reach anyone (unlike example.nl, which is an ordinary registered domain).
RESERVED_TLD = ".example"


def history_moments(now: datetime) -> list[datetime]:
    """When the demo's history is sent in and its signals evaluated, oldest first; the
    last moment is `now`, when the current figures are in."""
    return [now - timedelta(weeks=weeks) for weeks in range(HISTORY_WEEKS, 0, -1)] + [now]


@dataclass(frozen=True)
class Month:
    """One monthly figure of an offer: its waits in weeks and its free places."""

    intake: int
    treatment: int
    open_places: int = 0


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
        self.planned: list[tuple[int, AvailabilityInput]] = []

    # --- organisations and locations ---

    def organisation(
        self,
        name: str,
        kind: OrganisationKind,
        *,
        area_code: str,
        domain_name: str | None = None,
        **identifiers: object,
    ) -> Organisation:
        """A demo organisation; its web and mail domain is made of `domain_name` (default
        `name`) under the reserved top-level domain `.example`."""
        domain = f"{_slug(domain_name or name)}{RESERVED_TLD}"
        organisation = Organisation(
            name=f"{name} (demo)",
            kind=kind,
            is_demo=True,
            website=f"https://www.{domain}",
            email=f"info@{domain}",
            phone=unreachable_phone(self.rng, area_code),
            **identifiers,
        )
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
        self,
        organisation: Organisation,
        locations: list[Location],
        *,
        area_code: str,
        **fields: object,
    ) -> Offer:
        website = organisation.website or ""
        offer = Offer(
            organisation=organisation,
            locations=locations,
            is_demo=True,
            languages=["nl"] if self.rng.random() < 0.7 else ["nl", "en"],
            contact_email=f"aanmelden@{website.removeprefix('https://www.')}",
            contact_phone=unreachable_phone(self.rng, area_code),
            website=website,
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
        growth: tuple[int, int] = (0, 3),
    ) -> None:
        """Plan monthly reports ending in the current figure (`weeks`, `open_places`), with
        waits that grew towards today's by up to `growth` weeks a month."""
        months = self._drift(weeks, open_places, growth)
        self.monthly(offer, months, stale=stale, location=location, leerjaar=leerjaar)

    def monthly(
        self,
        offer: Offer,
        months: Sequence[Month],
        *,
        stale: bool = False,
        location: Location | None = None,
        leerjaar: int | None = None,
    ) -> None:
        """Plan one report a month with these figures (oldest first), the last one current
        (or, when `stale`, months old); `publish` sends them in."""
        self.session.flush()
        latest = self.now - timedelta(
            days=self.rng.randint(70, 120) if stale else self.rng.randint(1, 20)
        )
        measure = self.rng.choice(
            (WaitMeasure.CURRENT, WaitMeasure.CURRENT, WaitMeasure.RETROSPECTIVE)
        )
        for months_back, month in zip(range(len(months) - 1, -1, -1), months, strict=True):
            total = month.intake + month.treatment
            bruto = max(0, total // 2 + self.rng.randint(-3, 6)) if total else 0
            report = AvailabilityInput(
                status=_status(month.open_places, total),
                measured_at=latest - MONTH * months_back,
                measure=measure,
                open_places=month.open_places,
                waiting_list_size=bruto,
                bridging_count=bruto // 3,
                intake_wait_weeks=month.intake,
                treatment_wait_weeks=month.treatment,
                location_id=location.id if location else None,
                leerjaar=leerjaar,
            )
            self.planned.append((offer.id, report))
            self.result.reports += 1

    def _drift(
        self, weeks: tuple[int, int], open_places: int, growth: tuple[int, int]
    ) -> list[Month]:
        intake, treatment = weeks
        months = []
        for months_back in range(HISTORY_MONTHS - 1, -1, -1):
            drift = months_back * self.rng.randint(*growth)
            places = open_places if months_back == 0 else self.rng.choice((0, 0, open_places))
            months.append(Month(max(0, intake - drift // 2), max(0, treatment - drift), places))
        return months

    def publish(self, evaluate: Callable[[datetime], object] | None) -> None:
        """Send the planned reports in at the `history_moments`, each at the first moment
        after it was measured and in the order they were measured, and call `evaluate`
        with each moment once its reports are in."""
        self.session.flush()
        planned = sorted(self.planned, key=lambda item: item[1].measured_at)
        sent = 0
        for moment in history_moments(self.now):
            due = []
            while sent < len(planned) and planned[sent][1].measured_at <= moment:
                due.append(planned[sent])
                sent += 1
            if due:
                offers = lock_offers(self.session, {offer_id for offer_id, _ in due})
                problems = check_reports(due, offers, now=moment, default_validity=DEFAULT_VALIDITY)
                if problems:
                    raise InvalidDataError("a demo report is not valid", min(problems.items())[1])
                apply_reports(
                    self.session,
                    due,
                    offers,
                    REPORTER,
                    now=moment,
                    default_validity=DEFAULT_VALIDITY,
                )
            if evaluate is not None:
                evaluate(moment)
        self.planned = []  # every report was measured before now, so all were sent

    def contract(
        self, offer: Offer, municipality: str | None = None, *, jeugdregio: str | None = None
    ) -> None:
        """Zorg in natura bought by a municipality, or by a jeugdregio for all its members."""
        self.session.add(
            Contract(
                municipality_code=municipality,
                jeugdregio_code=jeugdregio,
                offer_id=offer.id,
                valid_from=CONTRACT_START,
            )
        )
        self.result.contracts += 1

    def remember(self, story: str, offer: Offer) -> None:
        self.session.flush()
        self.result.stories.setdefault(story, []).append(offer.id)


def unreachable_phone(rng: random.Random, area_code: str) -> str:
    """A made-up phone number that reaches nobody: a real area code (netnummer) with a
    subscriber number that starts with 0, which no Dutch subscriber number does (0 is the
    trunk prefix), e.g. "010 - 012 34 56"."""
    return f"{area_code} - 0{rng.randint(10, 99)} {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"


def _status(open_places: int, total_weeks: int) -> AvailabilityStatus:
    if open_places:
        return AvailabilityStatus.OPEN
    return AvailabilityStatus.OPEN if total_weeks == 0 else AvailabilityStatus.WAITLIST


def _slug(name: str) -> str:
    """A domain label (at most 63 characters) made of a name's letters and digits."""
    return "".join(char for char in name.lower() if char.isascii() and char.isalnum())[:63]


def digits(rng: random.Random, count: int) -> str:
    """`count` random decimal digits: a made-up KvK or AGB number."""
    return "".join(rng.choice("0123456789") for _ in range(count))
