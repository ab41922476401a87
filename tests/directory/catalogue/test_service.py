from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.catalogue.models import AuditEvent, AvailabilityReport, CurrentAvailability
from directory.catalogue.service import count_offers
from directory.enums import AvailabilityStatus
from directory.errors import InvalidDataError
from directory.search_index import IndexOutbox
from tests.factories import create_location, create_offer, create_organisation, create_report


def current_report(session: Session, offer_id: int, scope: str = "offer") -> AvailabilityReport:
    row = session.get_one(CurrentAvailability, (offer_id, scope))
    return session.get_one(AvailabilityReport, row.report_id)


def test_newest_measurement_becomes_current(session: Session, now: datetime) -> None:
    offer = create_offer(session)
    create_report(
        session, offer, now=now, measured_at=now - timedelta(days=10), intake_wait_weeks=9
    )
    _, became_current = create_report(
        session, offer, now=now, measured_at=now - timedelta(days=1), intake_wait_weeks=3
    )
    assert became_current
    assert current_report(session, offer.id).intake_wait_weeks == 3


def test_a_report_for_the_same_moment_corrects_the_current_one(
    session: Session, now: datetime
) -> None:
    offer = create_offer(session)
    create_report(session, offer, now=now, measured_at=now, intake_wait_weeks=30)
    _, became_current = create_report(session, offer, now=now, measured_at=now, intake_wait_weeks=3)
    assert became_current
    assert current_report(session, offer.id).intake_wait_weeks == 3


def test_report_arriving_late_goes_to_history_only(session: Session, now: datetime) -> None:
    offer = create_offer(session)
    create_report(session, offer, now=now, measured_at=now - timedelta(days=1), intake_wait_weeks=3)
    _, became_current = create_report(
        session, offer, now=now, measured_at=now - timedelta(days=20), intake_wait_weeks=40
    )
    assert not became_current
    assert current_report(session, offer.id).intake_wait_weeks == 3
    history = session.scalars(
        select(AvailabilityReport.intake_wait_weeks).where(AvailabilityReport.offer_id == offer.id)
    ).all()
    assert sorted(history) == [3, 40]


def test_every_report_is_audited_and_a_current_change_queues_the_index(
    session: Session, now: datetime
) -> None:
    offer = create_offer(session)
    create_report(session, offer, now=now, measured_at=now - timedelta(days=1))
    create_report(session, offer, now=now, measured_at=now - timedelta(days=5))
    actions = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.entity_id == str(offer.id))
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["availability.report", "availability.report_history_only"]
    queued = session.scalars(select(IndexOutbox).where(IndexOutbox.offer_id == offer.id)).all()
    assert len(queued) == 1


def test_figures_without_valid_until_stay_valid_for_the_default_period(
    session: Session, now: datetime
) -> None:
    offer = create_offer(session)
    report, _ = create_report(session, offer, now=now, measured_at=now - timedelta(days=2))
    assert report.valid_until == now - timedelta(days=2) + timedelta(days=31)


def test_location_and_leerjaar_figures_are_current_side_by_side(
    session: Session, now: datetime
) -> None:
    organisation = create_organisation(session)
    location = create_location(session, organisation)
    offer = create_offer(session, organisation, [location], leerjaren=[1, 2])
    create_report(session, offer, now=now, intake_wait_weeks=10)
    create_report(session, offer, now=now, location_id=location.id, intake_wait_weeks=20)
    create_report(session, offer, now=now, leerjaar=2, intake_wait_weeks=30)
    assert current_report(session, offer.id).intake_wait_weeks == 10
    assert current_report(session, offer.id, f"location:{location.id}").intake_wait_weeks == 20
    assert current_report(session, offer.id, "leerjaar:2").intake_wait_weeks == 30


HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("fields", "bad_param"),
    [
        (lambda now: {"measured_at": now, "open_places": -1}, "open_places"),
        (
            lambda now: {"measured_at": now, "waiting_list_size": 3, "bridging_count": 4},
            "bridging_count",
        ),
        (lambda now: {"measured_at": now + HOUR}, "measured_at"),
        (lambda now: {"measured_at": now, "valid_until": now}, "valid_until"),
        (lambda now: {"measured_at": now, "location_id": 999_999}, "location_id"),
        (lambda now: {"measured_at": now, "leerjaar": 7}, "leerjaar"),
        (lambda now: {"measured_at": now.replace(tzinfo=None)}, "measured_at"),
        (lambda now: {"measured_at": now, "valid_until": now + timedelta(days=400)}, "valid_until"),
        (
            lambda now: {"measured_at": now, "status": AvailabilityStatus.CLOSED, "open_places": 2},
            "open_places",
        ),
    ],
    ids=[
        "negative",
        "bridging",
        "future",
        "validity",
        "location",
        "leerjaar",
        "no time zone",
        "valid for years",
        "closed with places",
    ],
)
def test_invalid_reports_are_refused_naming_the_field(
    session: Session,
    now: datetime,
    fields: Callable[[datetime], dict[str, Any]],
    bad_param: str,
) -> None:
    offer = create_offer(session, leerjaren=[1, 2])
    with pytest.raises(InvalidDataError) as raised:
        create_report(session, offer, now=now, **fields(now))
    assert [param.name for param in raised.value.invalid_params] == [bad_param]
    stored = select(AvailabilityReport).where(AvailabilityReport.offer_id == offer.id)
    assert session.scalar(stored) is None


def test_deleted_offers_are_not_counted(session: Session, now: datetime) -> None:
    before = count_offers(session)
    create_offer(session)
    create_offer(session, deleted_at=now)
    assert count_offers(session) == before + 1


def test_status_is_stored_as_published(session: Session, now: datetime) -> None:
    offer = create_offer(session)
    create_report(session, offer, now=now, status=AvailabilityStatus.ASSESSMENT_REQUIRED)
    assert current_report(session, offer.id).status is AvailabilityStatus.ASSESSMENT_REQUIRED
