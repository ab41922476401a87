"""The demo catalogue: fictional organisations in Rotterdam and Utrecht, labelled as demo.

Figures follow the ranges in DOMAIN.md (VSO cluster 4 waits over a year, SO cluster 3
almost two, care and day programmes six months to a year, overbruggingszorg with its own
wait, some with no wait at all), a share of them is stale, and every offer has a few months
of history. Schools for clusters 1 and 2 are at a few national institutions only
(`demo_education`). The municipalities and samenwerkingsverbanden of the region are there
as organisations too. No phone number, e-mail address or website in it reaches anyone.

The history is sent in week by week and the signals are evaluated after each week
(`DemoBuilder.publish`), so a signal says truthfully since when its gap has been open.
Three stories are built in on purpose:
- Rotterdam, jeugdhulp ambulant (iJw 45): every contracted offer has current figures and
  waits longer than the Rijnmond norm, for about three months now, while a non-contracted
  provider that accepts a PGB can start now (the PGB route may apply);
- Rotterdam, SO cluster 3: no school place within reach for almost two years (an
  education gap, for the onderwijsconsulent), open since the history began;
- Utrecht, dagbesteding: over Utrecht's own norm for two months, until a provider started
  a new group (a signal that opened and resolved again).

The invented names and facts are in `demo_data`; `demo_builder` writes the rows.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

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
from directory.config import Settings, get_settings
from directory.devdata.demo_builder import DemoBuilder, DemoCatalogue, Month, digits
from directory.devdata.demo_data import (
    CITIES,
    DAGBESTEDING_UTRECHT,
    DAY_PROGRAMMES,
    LAST_TO_FILL_UP,
    MUNICIPALITIES,
    NO_WAIT_PROGRAMMES,
    PGB_ALTERNATIVE,
    PROVIDERS,
    ROTTERDAM,
    SWVS,
    UTRECHT,
    YOUTH_CARE,
    City,
)
from directory.devdata.demo_education import institutions, schools
from directory.enums import DayProgrammeType, OfferKind, OrganisationKind
from directory.errors import DirectoryError
from directory.signals.models import Signal, SignalTransition
from directory.signals.service import evaluate_as_configured

# Utrecht's dagbesteding, oldest month first: over Utrecht's norm (2 + 6 weeks) from the
# second month, until the first provider starts a new group a month ago.
NEW_GROUP = (Month(1, 4), Month(3, 8), Month(3, 9), Month(2, 4, 2), Month(2, 5, 1))
STILL_FULL = (Month(4, 9), Month(4, 10), Month(5, 10), Month(5, 11), Month(5, 12))
# Rotterdam's ambulant care: the last contracted provider within the Rijnmond norm (4 + 8
# weeks) four months ago, over it ever since.
FILLING_UP = (Month(3, 6), Month(8, 16), Month(9, 18), Month(10, 20), Month(11, 22))


def load_demo(
    session: Session, now: datetime, *, settings: Settings | None = None, signals: bool = True
) -> DemoCatalogue:
    """Fill an empty catalogue with the demo data (refuses a catalogue that has offers).

    Its history is sent in over the weeks before `now`, with the signals evaluated (by
    `settings`, default the deployment's) after each week and at `now`. With `signals`
    false nothing is evaluated: the catalogue comes without signals, as if no evaluation
    had run yet.
    """
    if count_offers(session):
        raise DirectoryError(
            title="The catalogue is not empty",
            detail="demo data is only loaded into an empty database",
            status=409,
        )
    builder = DemoBuilder(session, now)
    _public_bodies(builder)
    for city in CITIES:
        schools(builder, city)
    institutions(builder)
    for city in CITIES:
        _care(builder, city)
    _norms(session)
    session.flush()
    configured = settings or get_settings()
    builder.publish(
        (lambda moment: evaluate_as_configured(session, configured, moment)) if signals else None
    )
    return builder.result


def refresh_demo(session: Session, now: datetime) -> timedelta:
    """Move the demo's figures and signals forward in time, so a demo started weeks after
    it was loaded still tells its stories (otherwise every figure would be stale by now)
    and says as truthfully since when each gap has been open.

    Only reports of demo offers move, and the signals (in a demo database they are about
    demo figures); returns how far they moved (zero when less than a day had passed).
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
    for signal in session.scalars(select(Signal)):
        signal.opened_at += shift
        signal.updated_at += shift
        if signal.resolved_at is not None:
            signal.resolved_at += shift
    for transition in session.scalars(select(SignalTransition)):
        transition.at += shift
        transition.evidence = _shifted(transition.evidence, shift)
    session.flush()
    return shift


def _shifted(evidence: dict[str, Any], shift: timedelta) -> dict[str, Any]:
    """A transition's snapshot with the valid-until of each figure it cites moved too."""
    items = []
    for item in evidence.get("evidence", []):
        valid_until = item.get("valid_until")
        if isinstance(valid_until, str):
            item = {
                **item,
                "valid_until": (datetime.fromisoformat(valid_until) + shift).isoformat(),
            }
        items.append(item)
    return {**evidence, "evidence": items}


def _public_bodies(builder: DemoBuilder) -> None:
    """The municipalities that contract the demo's care and the samenwerkingsverbanden of
    its two cities, by their official codes."""
    for code, (name, area_code) in MUNICIPALITIES.items():
        builder.organisation(
            f"Gemeente {name}",
            OrganisationKind.MUNICIPALITY,
            area_code=area_code,
            municipality_code=code,
        )
    for code, (name, area_code) in SWVS.items():
        builder.organisation(name, OrganisationKind.SWV, area_code=area_code, swv_code=code)


def _care(builder: DemoBuilder, city: City) -> None:
    rng = builder.rng
    for index, provider_name in enumerate(PROVIDERS[city.code]):
        provider = builder.organisation(
            provider_name,
            OrganisationKind.CARE_PROVIDER,
            area_code=city.area_code,
            kvk=digits(rng, 8),
            agb=digits(rng, 8),
        )
        main = builder.location(provider, city)
        second = (
            builder.location(provider, city, rng.choice(city.neighbours)) if index % 2 else None
        )
        places = [main] + ([second] if second else [])
        for category, label in YOUTH_CARE.items():
            if rng.random() < 0.15 and category != 45:
                continue
            _youth_care(builder, city, provider, places, category, label, index)
        for programme in DAY_PROGRAMMES:
            _day_programme(builder, city, provider, places, programme, index)


def _day_programme(
    builder: DemoBuilder,
    city: City,
    provider: Organisation,
    places: list[Location],
    programme: DayProgrammeType,
    index: int,
) -> None:
    rng = builder.rng
    story = city.code == UTRECHT and programme is DayProgrammeType.DAGBESTEDING
    if (rng.random() < 0.35 and not story) or (story and index not in DAGBESTEDING_UTRECHT):
        return
    details = DAY_PROGRAMMES[programme]
    offer = builder.offer(
        provider,
        places,
        area_code=city.area_code,
        name=f"{details.label} {provider.name.removesuffix(' (demo)')}",
        description=details.description,
        kind=OfferKind.DAY_PROGRAMME,
        day_programme_type=programme,
        includes_education=details.includes_education,
        education_hours_per_week=details.education_hours,
        min_age=details.ages[0],
        max_age=details.ages[1],
        accepts_pgb=rng.random() < 0.5,
        tariff_cents=rng.randint(90, 180) * 100,
        tariff_unit="day",
    )
    if story:
        first = index == DAGBESTEDING_UTRECHT[0]
        builder.monthly(offer, NEW_GROUP if first else STILL_FULL)
        builder.remember("gap_closed", offer)
    elif programme in NO_WAIT_PROGRAMMES:
        builder.history(offer, weeks=(0, 0), open_places=rng.randint(1, 4))
    elif programme is DayProgrammeType.OVERBRUGGING:
        # Care while waiting has a waiting list of its own, shorter than the care it bridges.
        builder.history(
            offer,
            weeks=(rng.randint(1, 4), rng.randint(2, 10)),
            open_places=rng.choice((0, 0, 1)),
            stale=rng.random() < 0.15,
        )
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
    index: int,
) -> None:
    rng = builder.rng
    pgb_alternative = index == PGB_ALTERNATIVE
    offer = builder.offer(
        provider,
        places,
        area_code=city.area_code,
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
        # Waits grew slowly, so only the last to fill up was ever within the norm.
        if index == LAST_TO_FILL_UP:
            builder.monthly(offer, FILLING_UP)
        else:
            weeks = (rng.randint(8, 14), rng.randint(16, 30))
            builder.history(offer, weeks=weeks, growth=(0, 1))
        builder.remember("pgb_contracted", offer)
    elif category == 46:
        builder.history(offer, weeks=(0, 0), open_places=rng.randint(0, 2))
    else:
        weeks = (rng.randint(2, 16), rng.randint(12, 40))
        builder.history(
            offer, weeks=weeks, open_places=rng.choice((0, 0, 0, 1)), stale=rng.random() < 0.15
        )
    if city.youth_care_region is not None:
        builder.contract(offer, jeugdregio=city.youth_care_region)
        return
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
