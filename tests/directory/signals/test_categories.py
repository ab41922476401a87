"""Each category's gap over the database (SQLite and PostgreSQL): which kind of signal a
shortage opens, which norm judges it, and that missing figures never read as a shortage."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.catalogue.models import AvailabilityReport, CurrentAvailability, Offer
from directory.config import Settings
from directory.enums import AvailabilityStatus, DayProgrammeType, OfferKind
from directory.signals.models import Signal
from directory.signals.service import evaluate_as_configured
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
