"""Use-cases of the catalogue. Services `flush()`; the caller's unit of work commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from directory.catalogue.figures import current_reports
from directory.catalogue.models import (
    AuditEvent,
    AvailabilityReport,
    Contract,
    CurrentAvailability,
    Offer,
)
from directory.catalogue.rules import availability_scope, supersedes
from directory.db import CHUNK
from directory.enums import AvailabilityStatus, WaitMeasure
from directory.errors import InvalidDataError, InvalidParam, NotFoundError
from directory.search_index import IndexOutbox

# Clocks differ: a measurement a few minutes "in the future" is accepted.
CLOCK_SKEW = timedelta(minutes=5)
# A figure must be renewed at least yearly; older ones are unknown.
MAX_VALIDITY = timedelta(days=366)
# Stay well under SQLite's limit on bound parameters per statement.
COUNTS = ("open_places", "waiting_list_size", "bridging_count")
WAITS = ("intake_wait_weeks", "treatment_wait_weeks")


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
    """Who writes: a person or system name, its organisation and API key when known."""

    name: str
    organisation_id: int | None = None
    api_client_id: int | None = None


def count_offers(session: Session) -> int:
    """Offers in the catalogue (deleted ones excluded)."""
    query = select(func.count()).select_from(Offer).where(Offer.deleted_at.is_(None))
    return session.scalar(query) or 0


def write_audit(
    session: Session,
    reporter: Reporter,
    action: str,
    entity: tuple[str, int],
    *,
    now: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    organisation_id: int | None = None,
) -> None:
    """Append to the audit log, in the caller's transaction."""
    entity_type, entity_id = entity
    session.add(
        AuditEvent(
            occurred_at=now,
            organisation_id=organisation_id or reporter.organisation_id,
            api_client_id=reporter.api_client_id,
            actor=reporter.name,
            action=action,
            entity_type=entity_type,
            entity_id=str(entity_id),
            before=before,
            after=after,
        )
    )


def queue_index(session: Session, offer_id: int, operation: str, now: datetime) -> None:
    """Tell the search index about a change, in the same transaction as the change."""
    session.add(IndexOutbox(offer_id=offer_id, operation=operation, created_at=now))


def record_availability(
    session: Session,
    offer_id: int,
    report: AvailabilityInput,
    reporter: Reporter,
    *,
    now: datetime,
    default_validity: timedelta,
) -> tuple[AvailabilityReport, bool]:
    """Append one report to the offer's history; make it current if it is the newest.

    Returns the stored report and whether it became current.
    """
    items = [(offer_id, report)]
    offers = lock_offers(session, {offer_id})
    problems = check_reports(
        items,
        offers,
        now=now,
        default_validity=default_validity,
        organisation_id=reporter.organisation_id,
    )
    if problems:
        raise InvalidDataError("the availability report is not valid", problems[0])
    applied = apply_reports(
        session, items, offers, reporter, now=now, default_validity=default_validity
    )
    return applied[0]


def lock_offers(session: Session, ids: set[int]) -> dict[int, Offer]:
    """The live offers among `ids`, with their locations, locked until the transaction
    ends: concurrent reports for one offer are serialised (PostgreSQL; SQLite has one
    writer at a time anyway), so "current" cannot be lost and no offer is deleted between
    `check_reports` and `apply_reports`."""
    return _offers(session, ids, lock=True)


def check_reports(
    items: Sequence[tuple[int, AvailabilityInput]],
    offers: Mapping[int, Offer],
    *,
    now: datetime,
    default_validity: timedelta,
    organisation_id: int | None = None,
) -> dict[int, list[InvalidParam]]:
    """Problems per item index (empty when all are valid), against the offers from
    `lock_offers`. With `organisation_id`, offers of other organisations count as unknown."""
    problems: dict[int, list[InvalidParam]] = {}
    for index, (offer_id, report) in enumerate(items):
        offer = offers.get(offer_id)
        if offer is None or (
            organisation_id is not None and offer.organisation_id != organisation_id
        ):
            found = [InvalidParam("offer_id", f"{offer_id} is not one of your offers")]
        else:
            found = _check_report(offer, report, default_validity, now)
        if found:
            problems[index] = found
    return problems


def apply_reports(
    session: Session,
    items: Sequence[tuple[int, AvailabilityInput]],
    offers: Mapping[int, Offer],
    reporter: Reporter,
    *,
    now: datetime,
    default_validity: timedelta,
) -> list[tuple[AvailabilityReport, bool]]:
    """Store checked reports in order: history rows, current pointers, audit, outbox.
    `offers` are those `lock_offers` gave for the same transaction."""
    missing = {offer_id for offer_id, _ in items} - set(offers)
    if missing:  # only if the caller skipped check_reports
        raise InvalidDataError(
            "unknown offers", [InvalidParam("offer_id", f"{i} is unknown") for i in sorted(missing)]
        )
    current = _current(session, set(offers))
    stored: list[AvailabilityReport] = []
    for offer_id, given in items:
        fields = {key: value for key, value in asdict(given).items() if key != "valid_until"}
        stored.append(
            AvailabilityReport(
                offer_id=offer_id,
                **fields,
                valid_until=given.valid_until or given.measured_at + default_validity,
                reported_by=reporter.name,
                api_client_id=reporter.api_client_id,
                received_at=now,
            )
        )
    session.add_all(stored)
    session.flush()

    results: list[tuple[AvailabilityReport, bool]] = []
    changed_offers: set[int] = set()
    for report in stored:
        key = (report.offer_id, availability_scope(report.location_id, report.leerjaar))
        pointer, newest = current.get(key, (None, None))
        became_current = supersedes(report.measured_at, newest)
        if became_current:
            if pointer is None:
                pointer = CurrentAvailability(offer_id=key[0], scope=key[1], report_id=report.id)
                session.add(pointer)
            else:
                pointer.report_id = report.id
            current[key] = (pointer, report.measured_at)
            changed_offers.add(report.offer_id)
        write_audit(
            session,
            reporter,
            "availability.report" if became_current else "availability.report_history_only",
            ("offer", report.offer_id),
            now=now,
            after=report_snapshot(report),
            organisation_id=offers[report.offer_id].organisation_id,
        )
        results.append((report, became_current))
    for offer_id in sorted(changed_offers):
        queue_index(session, offer_id, "upsert", now)
    session.flush()
    return results


def _offers(session: Session, ids: set[int], *, lock: bool = False) -> dict[int, Offer]:
    ordered = sorted(ids)
    offers: dict[int, Offer] = {}
    for start in range(0, len(ordered), CHUNK):
        query = (
            select(Offer)
            .where(Offer.id.in_(ordered[start : start + CHUNK]), Offer.deleted_at.is_(None))
            .options(selectinload(Offer.locations))
        )
        if lock:
            query = query.with_for_update(of=Offer)
        offers.update((offer.id, offer) for offer in session.scalars(query))
    return offers


def _current(
    session: Session, offer_ids: set[int]
) -> dict[tuple[int, str], tuple[CurrentAvailability | None, datetime | None]]:
    ordered = sorted(offer_ids)
    current: dict[tuple[int, str], tuple[CurrentAvailability | None, datetime | None]] = {}
    for start in range(0, len(ordered), CHUNK):
        query = current_reports(CurrentAvailability, AvailabilityReport.measured_at).where(
            CurrentAvailability.offer_id.in_(ordered[start : start + CHUNK])
        )
        for pointer, measured_at in session.execute(query):
            current[(pointer.offer_id, pointer.scope)] = (pointer, measured_at)
    return current


def _check_report(
    offer: Offer, report: AvailabilityInput, default_validity: timedelta, now: datetime
) -> list[InvalidParam]:
    problems: list[InvalidParam] = []
    for name in COUNTS + WAITS:
        value = getattr(report, name)
        if value is not None and value < 0:
            problems.append(InvalidParam(name, "must not be negative"))
    if (
        report.bridging_count is not None
        and report.waiting_list_size is not None
        and report.bridging_count > report.waiting_list_size
    ):
        problems.append(InvalidParam("bridging_count", "cannot exceed waiting_list_size"))
    if report.measured_at.tzinfo is None or (
        report.valid_until is not None and report.valid_until.tzinfo is None
    ):
        return [InvalidParam("measured_at", "needs a time zone, e.g. 2026-03-01T09:00:00+01:00")]
    if report.measured_at > now + CLOCK_SKEW:
        problems.append(InvalidParam("measured_at", "lies in the future"))
    valid_until = report.valid_until or report.measured_at + default_validity
    if valid_until <= report.measured_at:
        problems.append(InvalidParam("valid_until", "must be after measured_at"))
    elif valid_until > report.measured_at + MAX_VALIDITY:
        problems.append(InvalidParam("valid_until", "may be at most a year after measured_at"))
    if report.status is AvailabilityStatus.CLOSED and report.open_places:
        problems.append(InvalidParam("open_places", "must be 0 when the status is closed"))
    if report.location_id is not None and report.location_id not in {
        location.id for location in offer.locations
    }:
        problems.append(InvalidParam("location_id", "is not a location of this offer"))
    if report.leerjaar is not None and report.leerjaar not in offer.leerjaren:
        problems.append(InvalidParam("leerjaar", "is not a leerjaar of this offer"))
    return problems


def report_snapshot(report: AvailabilityReport) -> dict[str, Any]:
    """A report as JSON-ready data, for the audit log."""
    return {
        "status": report.status.value,
        **{name: getattr(report, name) for name in COUNTS + WAITS},
        "measure": report.measure.value,
        "measured_at": report.measured_at.isoformat(),
        "valid_until": report.valid_until.isoformat(),
        "location_id": report.location_id,
        "leerjaar": report.leerjaar,
    }


@dataclass(frozen=True, slots=True)
class OfferView:
    """An offer with everything its public page and API show."""

    offer: Offer
    organisation_name: str
    current: list[tuple[str, AvailabilityReport]]  # (scope, report)
    history: list[AvailabilityReport]  # offer-wide figures, oldest first
    contracts: list[Contract]


def load_offer_view(session: Session, offer_id: int, history_limit: int = 100) -> OfferView:
    """One live offer for reading; NotFoundError when it does not exist (any longer)."""
    offer = session.scalar(
        select(Offer)
        .where(Offer.id == offer_id, Offer.deleted_at.is_(None))
        .options(selectinload(Offer.locations), selectinload(Offer.organisation))
    )
    if offer is None:
        raise NotFoundError(f"offer {offer_id}")
    current = session.execute(
        current_reports(CurrentAvailability.scope, AvailabilityReport)
        .where(CurrentAvailability.offer_id == offer_id)
        .order_by(CurrentAvailability.scope)
    ).all()
    history = session.scalars(
        select(AvailabilityReport)
        .where(
            AvailabilityReport.offer_id == offer_id,
            AvailabilityReport.location_id.is_(None),
            AvailabilityReport.leerjaar.is_(None),
        )
        .order_by(AvailabilityReport.measured_at.desc(), AvailabilityReport.id.desc())
        .limit(history_limit)
    ).all()
    contracts = session.scalars(
        select(Contract).where(Contract.offer_id == offer_id).order_by(Contract.municipality_code)
    ).all()
    return OfferView(
        offer=offer,
        organisation_name=offer.organisation.name,
        current=[(scope, report) for scope, report in current],
        history=list(reversed(history)),
        contracts=list(contracts),
    )
