"""The demo catalogue: fictional organisations in Rotterdam and Utrecht, labelled as demo.

Figures follow the ranges in DOMAIN.md (VSO cluster 4 waits over a year, SO cluster 3
almost two, care and day programmes six months to a year, some with no wait at all), a
share of them is stale, and every offer has a few months of history.

Two stories are built in on purpose:
- Rotterdam, jeugdhulp ambulant (iJw 45): every contracted offer has current figures and
  waits longer than the Rijnmond norm, while a non-contracted provider that accepts a PGB
  can start now (the PGB route may apply);
- Rotterdam, SO cluster 3: no school place within reach for almost two years (an
  education gap, for the onderwijsconsulent).

The invented names and facts are in `demo_data`; `demo_builder` writes the rows.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.catalogue.models import (
    AvailabilityReport,
    Location,
    Offer,
    Organisation,
    WaitingNorm,
)
from directory.catalogue.service import count_offers
from directory.devdata.demo_builder import DemoBuilder, DemoCatalogue, digits
from directory.devdata.demo_data import (
    BOARD,
    CITIES,
    CLUSTER_NEEDS,
    DAY_PROGRAMMES,
    NO_WAIT_PROGRAMMES,
    PROVIDERS,
    ROTTERDAM,
    SCHOOLS,
    UTRECHT,
    YOUTH_CARE,
    City,
)
from directory.enums import ExitProfile, OfferKind, OrganisationKind, SchoolType, TlvCategory
from directory.errors import DirectoryError


def load_demo(session: Session, now: datetime) -> DemoCatalogue:
    """Fill an empty catalogue with the demo data (refuses a catalogue that has offers)."""
    if count_offers(session):
        raise DirectoryError(
            title="The catalogue is not empty",
            detail="demo data is only loaded into an empty database",
            status=409,
        )
    builder = DemoBuilder(session, now)
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


def _schools(builder: DemoBuilder, city: City) -> None:
    rng = builder.rng
    board = builder.organisation(
        BOARD[city.code], OrganisationKind.SCHOOL_BOARD, kvk=digits(rng, 8)
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


def _care(builder: DemoBuilder, city: City) -> None:
    rng = builder.rng
    for index, provider_name in enumerate(PROVIDERS[city.code]):
        provider = builder.organisation(
            provider_name, OrganisationKind.CARE_PROVIDER, kvk=digits(rng, 8), agb=digits(rng, 8)
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
    builder: DemoBuilder,
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
        # Contracted, with current figures, every one longer than the norm: a shortage, so
        # the PGB route may apply. (A stale figure would make it unknown, not a shortage.)
        builder.history(offer, weeks=(rng.randint(8, 14), rng.randint(16, 30)))
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
