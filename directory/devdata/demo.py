"""The demo catalogue: fictional organisations in Rotterdam and Utrecht, labelled as demo.

Figures follow the ranges in DOMAIN.md (VSO cluster 4 waits over a year, SO cluster 3
almost two, care and day programmes six months to a year, some with no wait at all), a
share of them is stale, and every offer has a few months of history.

Two stories are built in on purpose:
- Rotterdam, jeugdhulp ambulant (iJw 45): every contracted offer waits longer than the
  Rijnmond norm or has stale figures, while a non-contracted provider that accepts a PGB
  can start now (the PGB route may apply);
- Rotterdam, SO cluster 3: no school place within reach for almost two years (an
  education gap, for the onderwijsconsulent).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.catalogue.models import (
    AvailabilityReport,
    Contract,
    Location,
    Offer,
    Organisation,
    WaitingNorm,
)
from directory.catalogue.service import (
    AvailabilityInput,
    Reporter,
    count_offers,
    record_availability,
)
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
from directory.errors import DirectoryError

SEED = 20240226
CONTRACT_START = date(2024, 1, 1)
REPORTER = Reporter(name="demo")
HISTORY_MONTHS = 5

ROTTERDAM, UTRECHT = "GM0599", "GM0344"


@dataclass(frozen=True)
class City:
    code: str
    name: str
    lat: float
    lon: float
    postcode_range: tuple[int, int]
    streets: tuple[str, ...]
    neighbours: tuple[str, ...]  # municipalities that also contract this city's care


CITIES = (
    City(
        ROTTERDAM,
        "Rotterdam",
        51.9225,
        4.47917,
        (3011, 3089),
        ("Havenkade", "Lijnbaanweg", "Maasboulevard", "Kralingseweg", "Vierhavensstraat"),
        ("GM0606", "GM0502"),
    ),
    City(
        UTRECHT,
        "Utrecht",
        52.09083,
        5.12222,
        (3511, 3585),
        ("Singelpad", "Vaartsche Rijnkade", "Leidsche Weg", "Biltsestraatweg", "Kanaaldijk"),
        ("GM0356", "GM0355"),
    ),
)

# (name, city, kind of organisation); every name is invented.
PROVIDERS = {
    ROTTERDAM: (
        "Jeugdhulp Havenlicht",
        "Kinder- en jeugd-ggz Lichtbaken",
        "Gezinshulp De Kademuur",
        "Zorgboerderij De Wilgenhoeve",
        "Dagbehandeling Het Kompasnest",
        "Jeugdhulp Zevenwinden",
        "Ouder- en kindhulp De Brugwachter",
        "Jeugdhulp Noordereiland-Oost",
    ),
    UTRECHT: (
        "Jeugdhulp Domtoren-Oost",
        "Kinder-ggz De Singelkring",
        "Zorgboerderij De Kromme Akker",
        "Gezinsbegeleiding Het Lindenhof",
        "Dagbesteding De Werkplaats Noord",
        "Jeugdhulp Vaartzicht",
        "Ouder- en kindhulp De Waterlinie",
        "Jeugdhulp Kanaleneiland-Zuid",
    ),
}
SCHOOLS = {
    ROTTERDAM: ("De Vuurtoren", "Het Anker", "De Getijden", "De Regenboogbrug", "Het Baken"),
    UTRECHT: ("De Kapstok", "De Sterrenwacht", "Het Vlot", "De Wegwijzer", "De Lindeboom"),
}
BOARD = {ROTTERDAM: "Schoolbestuur Nieuwe Maas", UTRECHT: "Schoolbestuur Vechtstroom"}

YOUTH_CARE = {
    41: "Dagbehandeling",
    43: "Behandelgroep met verblijf",
    45: "Ambulante jeugdhulp",
    46: "Crisisopvang",
    51: "Basis-ggz voor jeugd",
    52: "Specialistische jeugd-ggz",
    54: "Jeugd-ggz",
}
DAY_PROGRAMMES = {
    DayProgrammeType.ONDERWIJSZORGARRANGEMENT: ("Onderwijszorgarrangement", True, 12),
    DayProgrammeType.ONDERWIJSGERICHT: ("Onderwijsgericht dagprogramma", True, 15),
    DayProgrammeType.ONTWIKKELGERICHT: ("Ontwikkelgericht dagprogramma", False, None),
    DayProgrammeType.DAGBESTEDING: ("Dagbesteding", False, None),
    DayProgrammeType.BSO_PLUS: ("BSO+", False, None),
    DayProgrammeType.OVERBRUGGING: ("Overbruggingszorg", False, None),
    DayProgrammeType.BEHANDEL_ONDERWIJSGROEP: ("Behandel- en onderwijsgroep", True, 10),
}
# Reported "no waiting time" in Rotterdam on 26 February 2024 (DOMAIN.md).
NO_WAIT_PROGRAMMES = {DayProgrammeType.BEHANDEL_ONDERWIJSGROEP, DayProgrammeType.OVERBRUGGING}
CLUSTER_NEEDS = {
    1: "blinde en slechtziende leerlingen",
    2: "dove en slechthorende leerlingen, TOS en autisme met communicatiebehoefte",
    3: "zeer moeilijk lerende leerlingen en leerlingen met een lichamelijke beperking",
    4: "leerlingen met ernstige gedrags- en psychiatrische problemen",
}


@dataclass
class DemoCatalogue:
    """What `load_demo` created, for the command line and tests."""

    organisations: int = 0
    offers: int = 0
    reports: int = 0
    contracts: int = 0
    stories: dict[str, list[int]] = field(default_factory=dict)


class _Builder:
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


def load_demo(session: Session, now: datetime) -> DemoCatalogue:
    """Fill an empty catalogue with the demo data (refuses a catalogue that has offers)."""
    if count_offers(session):
        raise DirectoryError(
            title="The catalogue is not empty",
            detail="demo data is only loaded into an empty database",
            status=409,
        )
    builder = _Builder(session, now)
    for city in CITIES:
        _schools(builder, city)
        _care(builder, city)
    _norms(session)
    session.flush()
    return builder.result


def refresh_demo(session: Session, now: datetime) -> timedelta:
    """Move the demo's figures forward in time, so a demo started weeks after it was
    loaded still tells its stories (otherwise every figure would be stale by now).

    Only reports of demo offers move; returns how far they moved (zero when less than a
    day had passed).
    """
    demo_reports = select(AvailabilityReport).join(Offer).where(Offer.is_demo.is_(True))
    newest = session.scalar(
        select(func.max(AvailabilityReport.received_at)).join(Offer).where(Offer.is_demo.is_(True))
    )
    if newest is None or now - newest < timedelta(days=1):
        return timedelta(0)
    shift = now - newest
    for report in session.scalars(demo_reports):
        report.measured_at += shift
        report.valid_until += shift
        report.received_at += shift
    session.flush()
    return shift


def _schools(builder: _Builder, city: City) -> None:
    rng = builder.rng
    board = builder.organisation(
        BOARD[city.code], OrganisationKind.SCHOOL_BOARD, kvk=_digits(rng, 8)
    )
    builder.session.flush()
    brin_base = 20 if city.code == ROTTERDAM else 40
    for number, school_name in enumerate(SCHOOLS[city.code]):
        school = builder.organisation(
            f"School voor speciaal onderwijs {school_name}",
            OrganisationKind.SCHOOL,
            parent_id=board.id,
            brin=f"{brin_base + number:02d}DM",
            vestigingsnummer="00",
        )
        location = builder.location(school, city)
        cluster = number % 4 + 1
        for school_type in (SchoolType.SO, SchoolType.VSO):
            so = school_type is SchoolType.SO
            offer = builder.offer(
                school,
                [location],
                name=f"{school_type.value.upper()} cluster {cluster} – {school_name}",
                description=f"{'S' if so else 'Voortgezet s'}peciaal onderwijs voor "
                f"{CLUSTER_NEEDS[cluster]}.",
                kind=OfferKind.SPECIAL_EDUCATION,
                cluster=cluster,
                school_type=school_type,
                tlv_required=cluster in (3, 4),
                tlv_category=rng.choice(list(TlvCategory)) if cluster in (3, 4) else None,
                exit_profile=None if so else rng.choice(list(ExitProfile)),
                min_age=4 if so else 12,
                max_age=12 if so else 20,
                leerjaren=[] if so else [1, 2, 3, 4],
                how_to_apply=(
                    "Vraag een toelaatbaarheidsverklaring (TLV) aan bij het samenwerkingsverband."
                    if cluster in (3, 4)
                    else "Meld uw kind aan bij de commissie van onderzoek van de instelling."
                ),
            )
            if city.code == ROTTERDAM and cluster == 3 and so:
                builder.history(offer, weeks=(60, 34))  # almost two years: the education gap
                builder.remember("education_gap", offer)
            elif city.code == ROTTERDAM and cluster == 4 and not so:
                builder.history(offer, weeks=(30, 28))  # more than a year
                for leerjaar in (1, 2):
                    builder.history(offer, weeks=(30 + leerjaar * 4, 28), leerjaar=leerjaar)
            else:
                weeks = (rng.randint(4, 40), rng.randint(0, 30))
                builder.history(
                    offer,
                    weeks=weeks,
                    open_places=rng.choice((0, 0, 1, 2)),
                    stale=rng.random() < 0.15,
                )
    sbo = builder.organisation(
        f"SBO De Brug {city.name}",
        OrganisationKind.SCHOOL,
        parent_id=board.id,
        brin=f"{brin_base + 9:02d}DN",
        vestigingsnummer="00",
    )
    offer = builder.offer(
        sbo,
        [builder.location(sbo, city)],
        name=f"Speciaal basisonderwijs De Brug {city.name}",
        description="Speciaal basisonderwijs: kleinere groepen en extra begeleiding.",
        kind=OfferKind.SPECIAL_EDUCATION,
        school_type=SchoolType.SBO,
        tlv_required=True,
        min_age=4,
        max_age=13,
        leerjaren=[3, 4, 5, 6, 7, 8],
    )
    builder.history(offer, weeks=(8, 4), open_places=3)


def _care(builder: _Builder, city: City) -> None:
    rng = builder.rng
    for index, provider_name in enumerate(PROVIDERS[city.code]):
        provider = builder.organisation(
            provider_name, OrganisationKind.CARE_PROVIDER, kvk=_digits(rng, 8), agb=_digits(rng, 8)
        )
        main = builder.location(provider, city)
        second = (
            builder.location(provider, city, rng.choice(city.neighbours)) if index % 2 else None
        )
        places = [main] + ([second] if second else [])
        for category, label in YOUTH_CARE.items():
            if rng.random() < 0.15 and category != 45:
                continue
            _youth_care(
                builder, city, provider, places, category, label, pgb_alternative=index == 5
            )
        for programme, (label, education, hours) in DAY_PROGRAMMES.items():
            if rng.random() < 0.35:
                continue
            offer = builder.offer(
                provider,
                places,
                name=f"{label} {provider_name}",
                description=f"{label} voor kinderen en jongeren die (nog) niet naar school gaan.",
                kind=OfferKind.DAY_PROGRAMME,
                day_programme_type=programme,
                includes_education=education,
                education_hours_per_week=hours,
                min_age=4,
                max_age=18,
                accepts_pgb=rng.random() < 0.5,
                tariff_cents=rng.randint(90, 180) * 100,
                tariff_unit="day",
            )
            if programme in NO_WAIT_PROGRAMMES:
                builder.history(offer, weeks=(0, 0), open_places=rng.randint(1, 4))
            else:
                builder.history(
                    offer,
                    weeks=(rng.randint(6, 26), rng.randint(10, 30)),
                    stale=rng.random() < 0.15,
                )
            for municipality in (city.code, *city.neighbours):
                builder.contract(offer, municipality)


def _youth_care(
    builder: _Builder,
    city: City,
    provider: Organisation,
    places: list[Location],
    category: int,
    label: str,
    *,
    pgb_alternative: bool,
) -> None:
    rng = builder.rng
    offer = builder.offer(
        provider,
        places,
        name=f"{label} – {provider.name.removesuffix(' (demo)')}",
        description=f"{label} voor kinderen, jongeren en hun ouders in {city.name} en omgeving.",
        kind=OfferKind.YOUTH_CARE,
        ijw_category=category,
        beschikking_required=category != 51,
        min_age=0 if category != 52 else 6,
        max_age=18 if category != 54 else 23,
        accepts_pgb=pgb_alternative or rng.random() < 0.4,
        tariff_cents=rng.randint(70, 110) * 100,
        tariff_unit="hour",
        how_to_apply=(
            "Via het wijkteam of een verwijzing van huisarts of jeugdarts"
            + ("; de gemeente geeft een beschikking." if category != 51 else ".")
        ),
    )
    story = city.code == ROTTERDAM and category == 45
    if story and pgb_alternative:
        # Not contracted, accepts PGB, can start now: the alternative in the PGB story.
        offer.tariff_cents = 10_500
        builder.history(offer, weeks=(1, 2), open_places=2)
        builder.remember("pgb_alternative", offer)
        return
    if story:
        # Contracted, but longer than the norm or no longer current: the PGB route may apply.
        stale = provider.name.startswith("Gezinshulp")
        builder.history(offer, weeks=(rng.randint(8, 14), rng.randint(16, 30)), stale=stale)
        builder.remember("pgb_contracted", offer)
    elif category == 46:
        builder.history(offer, weeks=(0, 0), open_places=rng.randint(0, 2))
    else:
        weeks = (rng.randint(2, 16), rng.randint(12, 40))
        builder.history(
            offer, weeks=weeks, open_places=rng.choice((0, 0, 0, 1)), stale=rng.random() < 0.15
        )
    for municipality in (city.code, *city.neighbours):
        builder.contract(offer, municipality)


def _norms(session: Session) -> None:
    session.add_all(
        [
            WaitingNorm(
                category="ijw:45",
                jeugdregio_code="JZ31",
                intake_weeks=4,
                treatment_weeks=8,
                note="Demo: regional norm for ambulant care in Rijnmond",
            ),
            WaitingNorm(
                category="day_programme:dagbesteding",
                municipality_code=UTRECHT,
                intake_weeks=2,
                treatment_weeks=6,
                note="Demo: Utrecht's own norm",
            ),
        ]
    )


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))
