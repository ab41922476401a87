"""Each category's gap over the database (SQLite and PostgreSQL): which kind of signal a
shortage opens, which norm judges it, and that missing figures never read as a shortage."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.catalogue.models import AvailabilityReport, CurrentAvailability, Offer
from directory.config import Settings
from directory.enums import AvailabilityStatus, DayProgrammeType, OfferKind, SchoolType
from directory.signals.models import Signal
from directory.signals.service import evaluate_as_configured
from directory.signals.tariff_settings import Region, set_pgb_tariff
from tests.factories import (
    create_contract,
    create_location,
    create_offer,
    create_organisation,
    create_report,
)

SETTINGS = Settings(_env_file=None)
ROTTERDAM = "GM0599"


def contracted(session: Session, now: datetime, weeks: int | None, **fields: object) -> Offer:
    """An offer in Rotterdam, contracted by it, on a waiting list of `weeks` (None: no
    figure published)."""
    organisation = create_organisation(session)
    location = create_location(
        session, organisation, municipality_code=ROTTERDAM, lat=51.92, lon=4.48
    )
    offer = create_offer(session, organisation, locations=[location], **fields)
    create_contract(session, offer, ROTTERDAM)
    if weeks is not None:
        create_report(
            session,
            offer,
            now=now,
            status=AvailabilityStatus.WAITLIST,
            intake_wait_weeks=0,
            treatment_wait_weeks=weeks,
        )
    return offer


def open_signals(session: Session, now: datetime) -> dict[str, tuple[str, str, int]]:
    """Every open signal of Rotterdam after an evaluation: category → (kind, norm source,
    norm weeks)."""
    evaluate_as_configured(session, SETTINGS, now)
    rows = session.execute(
        select(
            Signal.category,
            Signal.kind,
            Signal.norm_source,
            Signal.norm_intake_weeks + Signal.norm_treatment_weeks,
        ).where(Signal.municipality_code == ROTTERDAM, Signal.state == "open")
    )
    return {category: (kind, source, weeks) for category, kind, source, weeks in rows}


@pytest.mark.parametrize(
    ("fields", "weeks", "expected"),
    [
        pytest.param({}, 13, None, id="care-13-weeks-within-the-treeknorm"),
        pytest.param({}, 20, ("pgb_route", "default", 14), id="care-20-weeks-pgb-route"),
        pytest.param(
            {"ijw_category": 46}, 13, ("care_gap", "crisis", 0), id="crisis-13-weeks-care-gap"
        ),
        pytest.param(
            {"ijw_category": 46}, 1, ("care_gap", "crisis", 0), id="crisis-a-week-is-too-late"
        ),
        pytest.param({"ijw_category": 46}, 0, None, id="crisis-at-once-is-within"),
        pytest.param(
            {"ijw_category": 49}, 20, ("care_gap", "default", 14), id="ijw-49-no-pgb-route"
        ),
        pytest.param(
            {"kind": OfferKind.DAY_PROGRAMME, "day_programme_type": DayProgrammeType.OPDC},
            20,
            ("education_gap", "reference:thuiszitterspact", 13),
            id="opdc-is-an-education-gap",
        ),
        pytest.param(
            {
                "kind": OfferKind.DAY_PROGRAMME,
                "day_programme_type": DayProgrammeType.ONDERWIJSZORGARRANGEMENT,
            },
            20,
            ("pgb_route", "default", 14),
            id="oza-pgb-route-for-the-care-part",
        ),
        pytest.param({}, None, ("figures_unknown", "default", 14), id="no-figure-is-unknown"),
    ],
)
def test_a_category_opens_its_own_kind_of_signal_by_its_own_norm(
    session: Session, now: datetime, fields: dict[str, object], weeks: int | None, expected: object
) -> None:
    offer = contracted(session, now, weeks, **fields)
    category = {
        OfferKind.YOUTH_CARE: f"ijw:{offer.ijw_category}",
        OfferKind.DAY_PROGRAMME: f"day_programme:{offer.day_programme_type}",
    }[offer.kind]

    assert open_signals(session, now).get(category) == expected


def test_an_expired_figure_with_open_places_is_unknown_not_a_shortage(
    session: Session, now: datetime
) -> None:
    contracted(session, now, 30)
    with_places = contracted(session, now, None)
    create_report(
        session,
        with_places,
        now=now,
        measured_at=now - timedelta(days=10),
        status=AvailabilityStatus.OPEN,
        open_places=3,
        intake_wait_weeks=0,
        treatment_wait_weeks=0,
    )
    assert "ijw:45" not in open_signals(session, now)

    # The figure with three open places expired yesterday: nobody knows any more whether
    # a contracted provider can start in time. A task to chase it, not a PGB argument.
    report_id = session.scalar(
        select(CurrentAvailability.report_id).where(CurrentAvailability.offer_id == with_places.id)
    )
    session.get_one(AvailabilityReport, report_id).valid_until = now - timedelta(days=1)
    session.flush()
    assert open_signals(session, now)["ijw:45"][0] == "figures_unknown"

    # Fresh again, and longer than the norm: now the figures show a shortage.
    later = now + timedelta(hours=1)
    create_report(session, with_places, now=later, intake_wait_weeks=10, treatment_wait_weeks=20)
    assert open_signals(session, later)["ijw:45"][0] == "pgb_route"


def test_a_regional_contract_opens_the_gap_for_every_current_member(
    session: Session, now: datetime
) -> None:
    organisation = create_organisation(session)
    location = create_location(
        session, organisation, municipality_code=ROTTERDAM, lat=51.92, lon=4.48
    )
    offer = create_offer(session, organisation, locations=[location])
    create_contract(session, offer, None, jeugdregio_code="JZ31")  # Jeugdhulp Rijnmond
    create_report(
        session,
        offer,
        now=now,
        status=AvailabilityStatus.WAITLIST,
        intake_wait_weeks=4,
        treatment_wait_weeks=20,
    )
    evaluate_as_configured(session, SETTINGS, now)

    opened = set(
        session.scalars(
            select(Signal.municipality_code).where(
                Signal.category == "ijw:45", Signal.kind == "pgb_route", Signal.state == "open"
            )
        )
    )
    assert {ROTTERDAM, "GM0613"} <= opened  # Rotterdam and Albrandswaard
    assert "GM0344" not in opened  # Utrecht is not in the region
    assert "GM0501" not in opened  # Brielle merged into Voorne aan Zee in 2023


def test_an_alternative_shows_what_a_pgb_at_the_regions_tariff_pays(
    session: Session, now: datetime
) -> None:
    contracted(session, now, 30)
    organisation = create_organisation(session)
    near = create_location(session, organisation, municipality_code=ROTTERDAM, lat=51.92, lon=4.4)
    alternative = create_offer(
        session,
        organisation,
        locations=[near],
        accepts_pgb=True,
        tariff_cents=9000,
        tariff_unit="hour",
    )
    create_report(
        session,
        alternative,
        now=now,
        status=AvailabilityStatus.OPEN,
        open_places=2,
        intake_wait_weeks=1,
        treatment_wait_weeks=1,
    )
    touched = set_pgb_tariff(session, Region(jeugdregio_code="JZ31"), "ijw:45", 7000, " Hour")[1]
    assert {ROTTERDAM, "GM0613"} <= touched
    evaluate_as_configured(session, SETTINGS, now)

    signal = session.scalars(
        select(Signal).where(Signal.municipality_code == ROTTERDAM, Signal.state == "open")
    ).one()
    assert signal.pgb_tariff == {"cents": 7000, "unit": "hour", "source": "jeugdregio:JZ31"}
    (shown,) = signal.alternatives
    assert (shown["offer_id"], shown["pgb_pays_cents"], shown["parents_pay_cents"]) == (
        alternative.id,
        7000,
        2000,
    )


def test_a_leerjaar_without_a_place_opens_a_gap_and_a_place_there_resolves_it(
    session: Session, now: datetime
) -> None:
    organisation = create_organisation(session)
    location = create_location(
        session, organisation, municipality_code=ROTTERDAM, lat=51.92, lon=4.48
    )
    vso = create_offer(
        session,
        organisation,
        locations=[location],
        kind=OfferKind.SPECIAL_EDUCATION,
        school_type=SchoolType.VSO,
        cluster=4,
        leerjaren=[1, 2, 3],
    )
    create_report(
        session,
        vso,
        now=now,
        leerjaar=1,
        status=AvailabilityStatus.OPEN,
        open_places=2,
        intake_wait_weeks=0,
        treatment_wait_weeks=0,
    )
    for leerjaar in (2, 3):
        create_report(
            session, vso, now=now, leerjaar=leerjaar, intake_wait_weeks=0, treatment_wait_weeks=80
        )

    kind, source, weeks = open_signals(session, now)["education:cluster-4:vso"]
    assert (kind, source, weeks) == ("education_gap", "reference:thuiszitterspact", 13)
    signal = session.scalars(select(Signal).where(Signal.state == "open")).one()
    assert signal.leerjaren == [2, 3]
    assert {(item["leerjaar"], item["total_wait_weeks"]) for item in signal.evidence} == {
        (2, 80),
        (3, 80),
    }

    later = now + timedelta(hours=1)
    for leerjaar in (2, 3):
        create_report(
            session, vso, now=later, leerjaar=leerjaar, intake_wait_weeks=0, treatment_wait_weeks=6
        )
    assert "education:cluster-4:vso" not in open_signals(session, later)
