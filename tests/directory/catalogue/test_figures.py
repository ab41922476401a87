from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from directory.catalogue.figures import current_figures, figure_rows, figures_by_offer
from directory.catalogue.models import CurrentAvailability
from directory.catalogue.rules import ScopedFigures
from directory.enums import AvailabilityStatus
from tests.factories import create_location, create_offer, create_organisation, create_report


def test_current_figures_are_the_newest_of_each_scope_and_leave_out_offers_without(
    session: Session, now: datetime
) -> None:
    organisation = create_organisation(session)
    location = create_location(session, organisation)
    offer = create_offer(session, organisation, [location])
    silent = create_offer(session, organisation)
    create_report(session, offer, now=now, measured_at=now - timedelta(days=9), open_places=1)
    create_report(session, offer, now=now, measured_at=now - timedelta(days=1), open_places=4)
    create_report(
        session,
        offer,
        now=now,
        status=AvailabilityStatus.OPEN,
        open_places=2,
        location_id=location.id,
    )

    figures = current_figures(session, [offer.id, silent.id])

    assert set(figures) == {offer.id}
    by_scope = {figure.scope: figure for figure in figures[offer.id]}
    assert set(by_scope) == {"offer", f"location:{location.id}"}
    assert by_scope["offer"].open_places == 4
    assert by_scope["offer"].measured_at == now - timedelta(days=1)
    assert by_scope[f"location:{location.id}"].status is AvailabilityStatus.OPEN


def test_plain_rows_through_the_connection_give_each_report_field_its_place(
    session: Session, now: datetime
) -> None:
    offers = [create_offer(session) for _ in range(2)]
    for weeks, offer in enumerate(offers):
        create_report(
            session,
            offer,
            now=now,
            measured_at=now - timedelta(hours=weeks),
            status=AvailabilityStatus.WAITLIST,
            open_places=0,
            intake_wait_weeks=weeks,
            treatment_wait_weeks=10 + weeks,
            valid_until=now + timedelta(days=30 + weeks),
        )
    ids = [offer.id for offer in offers]

    query = figure_rows().where(CurrentAvailability.offer_id.in_(ids))
    figures = figures_by_offer(session.connection().execute(query).all())

    assert figures == {
        offer.id: [
            ScopedFigures(
                scope="offer",
                status=AvailabilityStatus.WAITLIST,
                open_places=0,
                intake_wait_weeks=weeks,
                treatment_wait_weeks=10 + weeks,
                measured_at=now - timedelta(hours=weeks),
                valid_until=now + timedelta(days=30 + weeks),
            )
        ]
        for weeks, offer in enumerate(offers)
    }
    assert figures == current_figures(session, ids)
