"""The notification outbox: queued with what caused it, once per event, on a backoff."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.catalogue.models import Contract, Offer
from directory.config import Settings
from directory.devdata.demo import load_demo
from directory.devdata.demo_builder import DemoCatalogue
from directory.enums import AvailabilityStatus
from directory.notifications.models import Notification, WebhookSubscription
from directory.notifications.service import (
    MAX_ATTEMPTS,
    next_attempt,
    queue_notification,
    watch_alert_text,
)
from directory.signals.models import Signal
from directory.signals.service import EvaluationSummary, evaluate_as_configured
from directory.watches.models import Watch, WatchAlert
from tests.factories import create_report

SETTINGS = Settings(_env_file=None)
ROTTERDAM, AMSTERDAM = "GM0599", "GM0363"
AMBULANT = "ijw:45"


def evaluate(session: Session, now: datetime) -> EvaluationSummary:
    return evaluate_as_configured(session, SETTINGS, now)


def create_subscription(session: Session, **fields: object) -> WebhookSubscription:
    fields.setdefault("url", "http://127.0.0.1:9/hook")
    fields.setdefault("secret", "gedeeld-geheim")
    fields.setdefault("events", [])
    subscription = WebhookSubscription(**fields)
    session.add(subscription)
    session.flush()
    return subscription


def queue_email(session: Session, now: datetime, dedupe_key: str) -> int | None:
    return queue_notification(
        session,
        channel="email",
        recipient="wijkteam@example.nl",
        event="watch.match",
        subject="Er is een plek vrij",
        payload={"text": "Een aanbod dat bij uw zoekopdracht past heeft een plek vrij."},
        dedupe_key=dedupe_key,
        now=now,
    )


def notifications(session: Session, subscription: WebhookSubscription) -> list[Notification]:
    query = select(Notification).where(Notification.webhook_id == subscription.id)
    return list(session.scalars(query.order_by(Notification.id)))


def signals_opened(session: Session, municipality: str | None = None) -> int:
    query = select(func.count()).select_from(Signal).where(Signal.state == "open")
    if municipality:
        query = query.where(Signal.municipality_code == municipality)
    return session.scalar(query) or 0


@pytest.fixture
def demo(session: Session, now: datetime) -> DemoCatalogue:
    return load_demo(session, now, signals=False)  # the signals open in the tests


def test_queueing_the_same_dedupe_key_again_keeps_one_pending_row(
    session: Session, now: datetime
) -> None:
    first = queue_email(session, now, "watch:7:match:123")
    again = queue_email(session, now + timedelta(minutes=5), "watch:7:match:123")
    other = queue_email(session, now, "watch:7:match:124")
    assert first is not None
    assert again is None
    assert other not in (None, first)

    row = session.get_one(Notification, first)
    assert (row.state, row.attempts, row.next_attempt_at) == ("pending", 0, now)
    count = select(func.count()).select_from(Notification)
    assert session.scalar(count.where(Notification.dedupe_key.like("watch:7:%"))) == 2


def test_an_opening_signal_queues_one_webhook_per_matching_subscription(
    session: Session, now: datetime, demo: DemoCatalogue
) -> None:
    rotterdam = create_subscription(session, municipality_code=ROTTERDAM)
    everywhere = create_subscription(session, events=["signal.opened"])
    amsterdam = create_subscription(session, municipality_code=AMSTERDAM)
    resolved_only = create_subscription(
        session, municipality_code=ROTTERDAM, events=["signal.resolved"]
    )
    switched_off = create_subscription(session, municipality_code=ROTTERDAM, active=False)

    evaluate(session, now)

    in_rotterdam = notifications(session, rotterdam)
    assert len(in_rotterdam) == signals_opened(session, ROTTERDAM) >= 2
    assert {row.payload["municipality"] for row in in_rotterdam} == {ROTTERDAM}
    assert {row.event for row in in_rotterdam} == {"signal.opened"}
    assert len(notifications(session, everywhere)) == signals_opened(session)
    assert len(notifications(session, amsterdam)) == signals_opened(session, AMSTERDAM)
    assert notifications(session, resolved_only) == []
    assert notifications(session, switched_off) == []

    pgb = next(row for row in in_rotterdam if row.payload["category"] == AMBULANT)
    signal_id = pgb.payload["signal_id"]
    assert pgb.recipient == rotterdam.url
    assert (pgb.channel, pgb.state, pgb.next_attempt_at) == ("webhook", "pending", now)
    assert pgb.payload["link"] == f"/api/v1/signals/{signal_id}"
    assert (pgb.payload["kind"], pgb.payload["state"]) == ("pgb_route", "open")
    assert pgb.payload["opened_at"] == now.isoformat()
    assert pgb.payload["resolved_at"] is None
    assert "PGB route may then apply" in pgb.payload["wording"]["en"]
    assert "van toepassing zijn" in pgb.payload["wording"]["nl"]
    wording = " ".join(pgb.payload["wording"].values()).lower()
    assert "right to" not in wording
    assert "recht op" not in wording


def test_evaluating_again_queues_nothing_new(
    session: Session, now: datetime, demo: DemoCatalogue
) -> None:
    subscription = create_subscription(session, municipality_code=ROTTERDAM)
    evaluate(session, now)
    queued = len(notifications(session, subscription))
    assert queued > 0  # else "nothing new" would hold without any queueing at all
    evaluate(session, now + timedelta(hours=1))
    assert len(notifications(session, subscription)) == queued


def test_a_resolving_signal_queues_signal_resolved_for_those_who_want_it(
    session: Session, now: datetime, demo: DemoCatalogue
) -> None:
    resolved_only = create_subscription(
        session, municipality_code=ROTTERDAM, events=["signal.resolved"]
    )
    opened_only = create_subscription(session, events=["signal.opened"])
    evaluate(session, now)
    opened = len(notifications(session, opened_only))

    later = now + timedelta(hours=1)
    contracted = session.scalars(
        select(Contract.offer_id).where(
            Contract.bought_for([ROTTERDAM]),
            Contract.offer_id.in_(demo.stories["pgb_contracted"]),
        )
    )
    for offer_id in sorted(contracted):
        create_report(
            session,
            session.get_one(Offer, offer_id),
            now=later,
            status=AvailabilityStatus.WAITLIST,
            intake_wait_weeks=1,
            treatment_wait_weeks=2,
        )
    evaluate(session, later)

    (resolved,) = notifications(session, resolved_only)
    assert (resolved.event, resolved.payload["category"]) == ("signal.resolved", AMBULANT)
    assert resolved.payload["state"] == "resolved"
    assert resolved.payload["resolved_at"] == later.isoformat()
    assert len(notifications(session, opened_only)) == opened


@pytest.mark.parametrize(
    ("attempts", "wait"),
    [
        (1, timedelta(seconds=30)),
        (2, timedelta(minutes=1)),
        (3, timedelta(minutes=2)),
        (4, timedelta(minutes=4)),
        (8, timedelta(minutes=64)),
        (10, timedelta(seconds=30 * 512)),
        (11, timedelta(hours=6)),
        (1_000, timedelta(hours=6)),
    ],
)
def test_each_failed_attempt_doubles_the_wait_up_to_six_hours(
    attempts: int, wait: timedelta, now: datetime
) -> None:
    assert next_attempt(attempts, now) == now + wait


def test_the_retries_span_an_overnight_outage_before_a_row_is_dead(now: datetime) -> None:
    last_try = now
    for attempts in range(1, MAX_ATTEMPTS):
        last_try = next_attempt(attempts, last_try)
    assert timedelta(hours=12) <= last_try - now <= timedelta(hours=24)


def test_a_pgb_route_alert_e_mail_links_to_the_page_with_the_alternatives() -> None:
    watch = Watch(id=4, case_reference="WT-2026-0142", municipality_code="GM0599")
    alert = WatchAlert(
        event="pgb_route",
        details={"signal_id": 7, "category": "ijw:45", "link": "/api/v1/signals/7"},
    )
    text = watch_alert_text(watch, alert, "https://plekwijzer.example")
    assert "https://plekwijzer.example/wachttijd-te-lang?gemeente=GM0599" in text
    assert "https://plekwijzer.example/api/v1/signals/7" in text
    assert "(API, met uw sleutel): https://plekwijzer.example/api/v1/watches/4/alerts" in text
