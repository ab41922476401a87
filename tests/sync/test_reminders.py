"""Freshness reminders: providers hear before their figures expire, once per figure."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from directory.catalogue.models import Offer
from directory.config import Settings
from directory.notifications.models import Notification
from sync.reminders import (
    organisations_with_expired_figures,
    queue_freshness_reminders,
    send_freshness_reminders,
)
from tests.factories import (
    create_contract,
    create_location,
    create_offer,
    create_organisation,
    create_report,
)

ROTTERDAM, UTRECHT = "GM0599", "GM0344"


def reminders(session: Session) -> list[Notification]:
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.event == "freshness_reminder")
            .order_by(Notification.id)
        )
    )


def offer_expiring(
    session: Session, now: datetime, valid_for: timedelta, email: str | None = "info@zorg.nl"
) -> tuple[Offer, int]:
    organisation = create_organisation(session, email=email)
    offer = create_offer(session, organisation)
    report, _ = create_report(session, offer, now=now, valid_until=now + valid_for)
    return offer, report.id


def test_a_figure_expiring_within_the_window_gets_one_reminder_to_its_organisation(
    session: Session, now: datetime
) -> None:
    offer, report_id = offer_expiring(session, now, timedelta(days=5))

    assert queue_freshness_reminders(session, now=now, days_before=7) == 1
    (reminder,) = reminders(session)
    assert reminder.channel == "email"
    assert reminder.recipient == "info@zorg.nl"
    assert reminder.dedupe_key == f"reminder:{report_id}"
    assert reminder.state == "pending"
    assert reminder.next_attempt_at == now
    assert reminder.payload["offer_id"] == offer.id
    assert reminder.payload["days_left"] == 5
    assert offer.name in reminder.subject


def test_a_figure_is_reminded_of_only_once(session: Session, now: datetime) -> None:
    offer_expiring(session, now, timedelta(days=6))
    assert queue_freshness_reminders(session, now=now, days_before=7) == 1
    assert queue_freshness_reminders(session, now=now + timedelta(days=1), days_before=7) == 0
    assert len(reminders(session)) == 1


def test_far_off_and_already_expired_figures_get_no_reminder(
    session: Session, now: datetime
) -> None:
    offer_expiring(session, now, timedelta(days=20))  # far off
    offer_expiring(session, now - timedelta(days=40), timedelta(days=31))  # expired
    offer_expiring(session, now, timedelta(days=3), email=None)  # nobody to tell
    assert queue_freshness_reminders(session, now=now, days_before=7) == 0
    assert reminders(session) == []


def test_a_newer_figure_gets_its_own_reminder_when_it_nears_expiry(
    session: Session, now: datetime
) -> None:
    offer, first = offer_expiring(session, now, timedelta(days=2))
    queue_freshness_reminders(session, now=now, days_before=7)
    later = now + timedelta(days=1)
    second, _ = create_report(session, offer, now=later, valid_until=later + timedelta(days=30))
    # The new figure is current: nothing is due until it nears its own expiry.
    assert queue_freshness_reminders(session, now=later, days_before=7) == 0
    assert queue_freshness_reminders(session, now=later + timedelta(days=24), days_before=7) == 1
    assert [r.dedupe_key for r in reminders(session)] == [
        f"reminder:{first}",
        f"reminder:{second.id}",
    ]


def test_the_reminder_job_uses_the_configured_number_of_days(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    offer_expiring(session, now, timedelta(days=10))
    session.commit()
    assert send_freshness_reminders(session_factory, Settings(_env_file=None), now) == 0
    settings = Settings(_env_file=None, reminder_days_before_expiry=14)
    assert send_freshness_reminders(session_factory, settings, now) == 1
    assert len(reminders(session)) == 1


def test_organisations_with_expired_figures_are_listed_per_municipality(
    session: Session, now: datetime
) -> None:
    lapsed = create_organisation(session, name="Verlopen Zorg", email="a@verlopen.nl")
    in_rotterdam = create_location(session, lapsed, municipality_code=ROTTERDAM)
    for _ in range(2):
        offer = create_offer(session, lapsed, locations=[in_rotterdam])
        create_report(session, offer, now=now - timedelta(days=40))
    current = create_organisation(session, name="Actuele Zorg")
    offer = create_offer(
        session, current, locations=[create_location(session, current, municipality_code=ROTTERDAM)]
    )
    create_report(session, offer, now=now)
    # Located in Utrecht but contracted by Rotterdam: Rotterdam counts on it too.
    elsewhere = create_organisation(session, name="Utrechtse Zorg")
    offer = create_offer(
        session,
        elsewhere,
        locations=[create_location(session, elsewhere, municipality_code=UTRECHT)],
    )
    create_contract(session, offer, ROTTERDAM)
    create_report(session, offer, now=now - timedelta(days=35))

    listed = organisations_with_expired_figures(session, ROTTERDAM, now=now)
    assert [(item.name, item.expired, item.offers) for item in listed] == [
        ("Verlopen Zorg", 2, 2),
        ("Utrechtse Zorg", 1, 1),
    ]
    assert listed[0].email == "a@verlopen.nl"
    assert listed[0].oldest_valid_until < now
    assert [
        item.name for item in organisations_with_expired_figures(session, UTRECHT, now=now)
    ] == ["Utrechtse Zorg"]
