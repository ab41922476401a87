"""Freshness: remind providers before their figures expire, and list who let them expire.

A figure past its valid-until already counts as unknown everywhere (no job is needed for
that); these help keep figures from getting there. A reminder is an e-mail queued in the
`notification` outbox, once per figure (its dedupe key names the report), sent after the
commit by the notification sender. `jobs` registers the daily `freshness-reminders` job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from directory.catalogue.figures import current_reports
from directory.catalogue.models import (
    AvailabilityReport,
    Contract,
    CurrentAvailability,
    Location,
    Offer,
    Organisation,
    offer_location,
)
from directory.config import Settings
from directory.db import unit_of_work
from directory.notifications.models import Notification
from sync.runner import JobContext, JobSpec

REMINDER_EVENT = "freshness_reminder"


def reminder_key(report_id: int) -> str:
    """The dedupe key of the reminder about one figure."""
    return f"reminder:{report_id}"


def queue_freshness_reminders(session: Session, *, now: datetime, days_before: int) -> int:
    """Queue an e-mail to the organisation for each current figure that expires within
    `days_before` days and has had no reminder yet. Returns how many were queued.

    Figures already expired and figures further off are left alone, as are organisations
    without an e-mail address. Only flushes; the caller's unit of work commits."""
    due = session.execute(
        current_reports(
            AvailabilityReport.id,
            AvailabilityReport.valid_until,
            CurrentAvailability.scope,
            Offer.id.label("offer_id"),
            Offer.name.label("offer_name"),
            Organisation.id.label("organisation_id"),
            Organisation.name.label("organisation_name"),
            Organisation.email,
        )
        .join(Offer, Offer.id == CurrentAvailability.offer_id)
        .join(Organisation, Organisation.id == Offer.organisation_id)
        .where(
            AvailabilityReport.valid_until > now,
            AvailabilityReport.valid_until <= now + timedelta(days=days_before),
            Offer.deleted_at.is_(None),
            Organisation.email.is_not(None),
            Organisation.email != "",
        )
        .order_by(AvailabilityReport.valid_until, AvailabilityReport.id)
    ).all()
    if not due:
        return 0
    keys = [reminder_key(row.id) for row in due]
    queued = set(
        session.scalars(select(Notification.dedupe_key).where(Notification.dedupe_key.in_(keys)))
    )
    new = [
        Notification(
            channel="email",
            recipient=row.email,
            event=REMINDER_EVENT,
            subject=f"Uw cijfers voor {row.offer_name} verlopen op {row.valid_until:%d-%m-%Y}"[
                :300
            ],
            payload={
                "organisation_id": row.organisation_id,
                "organisation": row.organisation_name,
                "offer_id": row.offer_id,
                "offer": row.offer_name,
                "report_id": row.id,
                "scope": row.scope,
                "valid_until": row.valid_until.isoformat(),
                "days_left": (row.valid_until - now).days,
            },
            dedupe_key=key,
            state="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        for row, key in zip(due, keys, strict=True)
        if key not in queued
    ]
    session.add_all(new)
    session.flush()
    return len(new)


@dataclass(frozen=True, slots=True)
class ExpiredFigures:
    """An organisation with figures that have expired, for one municipality."""

    organisation_id: int
    name: str
    email: str | None
    expired: int  # current figures past their valid-until
    offers: int  # offers with at least one such figure
    oldest_valid_until: datetime


def organisations_with_expired_figures(
    session: Session, municipality_code: str, *, now: datetime
) -> list[ExpiredFigures]:
    """Organisations whose offers for the municipality (located there, or contracted by
    it) have current figures past their valid-until: longest expired first."""
    located = (
        select(offer_location.c.offer_id)
        .join(Location, Location.id == offer_location.c.location_id)
        .where(Location.municipality_code == municipality_code, Location.deleted_at.is_(None))
    )
    contracted = select(Contract.offer_id).where(Contract.bought_for([municipality_code]))
    oldest = func.min(AvailabilityReport.valid_until)
    rows = session.execute(
        current_reports(
            Organisation.id,
            Organisation.name,
            Organisation.email,
            func.count(AvailabilityReport.id),
            func.count(func.distinct(Offer.id)),
            oldest,
        )
        .join(Offer, Offer.id == CurrentAvailability.offer_id)
        .join(Organisation, Organisation.id == Offer.organisation_id)
        .where(
            AvailabilityReport.valid_until <= now,
            Offer.deleted_at.is_(None),
            or_(Offer.id.in_(located), Offer.id.in_(contracted)),
        )
        .group_by(Organisation.id, Organisation.name, Organisation.email)
        .order_by(oldest, Organisation.id)
    ).all()
    return [ExpiredFigures(*row) for row in rows]


# --- the job --------------------------------------------------------------------------

FRESHNESS_REMINDERS = "freshness-reminders"
REMINDER_TIMEZONE = ZoneInfo("Europe/Amsterdam")
# The daily reminder is late when a day and a bit passed (a DST change, a slow start).
REMINDERS_LATE_AFTER = timedelta(hours=26)


def send_freshness_reminders(
    session_factory: sessionmaker[Session], settings: Settings, now: datetime
) -> int:
    """Queue reminders for figures expiring within `reminder_days_before_expiry` days."""
    with unit_of_work(session_factory) as session:
        return queue_freshness_reminders(
            session, now=now, days_before=settings.reminder_days_before_expiry
        )


def jobs(context: JobContext) -> list[JobSpec]:
    """The reminders daily at `reminder_hour`, Amsterdam time."""
    settings, factory = context.settings, context.session_factory
    return [
        JobSpec(
            FRESHNESS_REMINDERS,
            "remind providers of figures about to expire",
            lambda now: send_freshness_reminders(factory, settings, now),
            CronTrigger(hour=settings.reminder_hour, timezone=REMINDER_TIMEZONE),
            misfire_grace_seconds=6 * 3600,
            late_after=REMINDERS_LATE_AFTER,
        )
    ]
