"""Use-cases of the catalogue. Services `flush()`; the caller's unit of work commits."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from directory.enums import AvailabilityStatus, WaitMeasure
from directory.errors import InvalidDataError, InvalidParam
from directory.models import (
    AuditEvent,
    AvailabilityReport,
    CurrentAvailability,
    IndexOutbox,
    Offer,
)
from directory.rules import availability_scope, supersedes

# Clocks differ: a measurement a few minutes "in the future" is accepted.
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class AvailabilityInput:
    """One availability report as a provider publishes it."""

    status: AvailabilityStatus
    measured_at: datetime
    measure: WaitMeasure = WaitMeasure.CURRENT
    open_places: int | None = None
    waiting_list_size: int | None = None
    bridging_count: int | None = None
    intake_wait_weeks: int | None = None
    treatment_wait_weeks: int | None = None
    valid_until: datetime | None = None
    location_id: int | None = None
    leerjaar: int | None = None


@dataclass(frozen=True, slots=True)
class Reporter:
    """Who publishes: a person or system name, and the API key when there is one."""

    name: str
    organisation_id: int | None = None
    api_client_id: int | None = None


def count_offers(session: Session) -> int:
    """Offers in the catalogue (deleted ones excluded)."""
    return (
        session.scalar(select(func.count()).select_from(Offer).where(Offer.deleted_at.is_(None)))
        or 0
    )


def record_availability(
    session: Session,
    offer_id: int,
    report: AvailabilityInput,
    reporter: Reporter,
    *,
    now: datetime,
    default_validity: timedelta,
) -> tuple[AvailabilityReport, bool]:
    """Append a report to the offer's history; make it current if it is the newest.

    Writes the audit row and, when the current figure changed, the index outbox row, all
    in the caller's transaction. Returns the stored report and whether it became current.
    """
    offer = session.scalar(
        select(Offer)
        .where(Offer.id == offer_id, Offer.deleted_at.is_(None))
        .options(selectinload(Offer.locations))
    )
    if offer is None:
        raise InvalidDataError(
            "no such offer", [InvalidParam("offer_id", f"{offer_id} is unknown")]
        )
    valid_until = report.valid_until or report.measured_at + default_validity
    _check_report(offer, report, valid_until, now)

    stored = AvailabilityReport(
        offer_id=offer.id,
        **{key: value for key, value in asdict(report).items() if key != "valid_until"},
        valid_until=valid_until,
        reported_by=reporter.name,
        api_client_id=reporter.api_client_id,
        received_at=now,
    )
    session.add(stored)
    session.flush()

    scope = availability_scope(report.location_id, report.leerjaar)
    current = session.get(
        CurrentAvailability, (offer.id, scope), options=[selectinload(CurrentAvailability.report)]
    )
    became_current = supersedes(report.measured_at, current.report.measured_at if current else None)
    if became_current:
        if current is None:
            session.add(CurrentAvailability(offer_id=offer.id, scope=scope, report_id=stored.id))
        else:
            current.report_id = stored.id
        session.add(IndexOutbox(offer_id=offer.id, operation="upsert", created_at=now))
    session.add(
        AuditEvent(
            occurred_at=now,
            organisation_id=reporter.organisation_id or offer.organisation_id,
            api_client_id=reporter.api_client_id,
            actor=reporter.name,
            action="availability.report" if became_current else "availability.report_history_only",
            entity_type="offer",
            entity_id=str(offer.id),
            after=_report_snapshot(stored),
        )
    )
    session.flush()
    return stored, became_current


def _check_report(
    offer: Offer, report: AvailabilityInput, valid_until: datetime, now: datetime
) -> None:
    problems: list[InvalidParam] = []
    for name in (
        "open_places",
        "waiting_list_size",
        "bridging_count",
        "intake_wait_weeks",
        "treatment_wait_weeks",
    ):
        value = getattr(report, name)
        if value is not None and value < 0:
            problems.append(InvalidParam(name, "must not be negative"))
    if (
        report.bridging_count is not None
        and report.waiting_list_size is not None
        and report.bridging_count > report.waiting_list_size
    ):
        problems.append(InvalidParam("bridging_count", "cannot exceed waiting_list_size"))
    if report.measured_at > now + CLOCK_SKEW:
        problems.append(InvalidParam("measured_at", "lies in the future"))
    if valid_until <= report.measured_at:
        problems.append(InvalidParam("valid_until", "must be after measured_at"))
    if report.location_id is not None and report.location_id not in {
        loc.id for loc in offer.locations
    }:
        problems.append(InvalidParam("location_id", "is not a location of this offer"))
    if report.leerjaar is not None and report.leerjaar not in offer.leerjaren:
        problems.append(InvalidParam("leerjaar", "is not a leerjaar of this offer"))
    if problems:
        raise InvalidDataError("the availability report is not valid", problems)


def _report_snapshot(report: AvailabilityReport) -> dict[str, object]:
    return {
        "status": report.status.value,
        "open_places": report.open_places,
        "waiting_list_size": report.waiting_list_size,
        "bridging_count": report.bridging_count,
        "intake_wait_weeks": report.intake_wait_weeks,
        "treatment_wait_weeks": report.treatment_wait_weeks,
        "measure": report.measure.value,
        "measured_at": report.measured_at.isoformat(),
        "valid_until": report.valid_until.isoformat(),
        "location_id": report.location_id,
        "leerjaar": report.leerjaar,
    }
