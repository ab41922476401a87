"""Sending the outbox to real receivers on loopback: an SMTP server and an HTTP server."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword
from aiosmtpd.smtp import Session as SmtpSession
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from directory.config import Settings
from directory.db import unit_of_work
from directory.devdata.demo import load_demo
from directory.notifications.models import Notification, WebhookSubscription
from directory.notifications.service import MAX_ATTEMPTS, next_attempt, queue_notification
from directory.signals.service import evaluate_as_configured
from sync.notify import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SendSummary,
    SmtpSettings,
    send_due_notifications,
    sign,
    verify_signature,
)

SECRET = "gedeeld-geheim-van-de-gemeente"
SENDER = "Plekwijzer <noreply@plekwijzer.example>"


def free_port() -> int:
    """A loopback port nobody listens on (right now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- an SMTP server -------------------------------------------------------------------


@dataclass
class Mailbox:
    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: SmtpSession, envelope: Envelope) -> str:  # noqa: N802
        assert isinstance(envelope.content, bytes)
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"


@dataclass
class SmtpServer:
    mailbox: Mailbox
    settings: SmtpSettings


def start_smtp(**options: Any) -> tuple[Controller, Mailbox, int]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    return controller, mailbox, port


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    controller, mailbox, port = start_smtp()
    yield SmtpServer(mailbox, SmtpSettings(host="127.0.0.1", port=port, sender=SENDER, timeout=5))
    controller.stop()


# --- an HTTP receiver -----------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver(ThreadingHTTPServer):
    """Keeps every request and answers with `status`."""

    status = 204
    requests: list[Received]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class ReceiverHandler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.requests.append(Received(self.path, dict(self.headers.items()), body))
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet test output


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver(("127.0.0.1", 0), ReceiverHandler)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


# --- helpers --------------------------------------------------------------------------


def unused_smtp() -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=free_port(), sender=SENDER, timeout=2)


def send(
    session_factory: sessionmaker[Session], at: datetime, smtp: SmtpSettings | None = None
) -> SendSummary:
    return send_due_notifications(session_factory, at, smtp=smtp or unused_smtp(), http_timeout=2.0)


def create_subscription(session: Session, url: str, **fields: Any) -> WebhookSubscription:
    subscription = WebhookSubscription(url=url, secret=SECRET, events=[], **fields)
    session.add(subscription)
    session.flush()
    return subscription


def queue_webhook(
    session: Session, subscription: WebhookSubscription, now: datetime, key: str = "test:1"
) -> int:
    row_id = queue_notification(
        session,
        channel="webhook",
        recipient=subscription.url,
        event="signal.opened",
        subject="signal.opened pgb_route GM0599 ijw:45",
        payload={"signal_id": 7, "state": "open", "link": "/api/v1/signals/7"},
        dedupe_key=key,
        webhook_id=subscription.id,
        now=now,
    )
    assert row_id is not None
    return row_id


def text_of(message: EmailMessage) -> str:
    return str(message.get_content()).replace("\r\n", "\n")


def stored(session: Session, row_id: int) -> Notification:
    session.expire_all()  # the sender wrote through its own sessions
    return session.get_one(Notification, row_id)


# --- e-mail ---------------------------------------------------------------------------


def test_an_email_notification_arrives_with_its_subject_and_body(
    session_factory: sessionmaker[Session],
    session: Session,
    now: datetime,
    smtp_server: SmtpServer,
) -> None:
    row_id = queue_notification(
        session,
        channel="email",
        recipient="wijkteam@rotterdam.example",
        event="watch.match",
        subject="Plek vrij voor zaak R-0042",
        payload={"text": "Een aanbod dat past bij zaak R-0042 heeft een plek vrij.\n"},
        dedupe_key="watch:42:match:9",
        now=now,
    )
    assert row_id is not None
    session.commit()

    assert send(session_factory, now, smtp_server.settings) == SendSummary(1, 0, 0)

    (message,) = smtp_server.mailbox.messages
    assert smtp_server.mailbox.recipients == [["wijkteam@rotterdam.example"]]
    assert message["Subject"] == "Plek vrij voor zaak R-0042"
    assert message["From"] == SENDER
    assert message["To"] == "wijkteam@rotterdam.example"
    assert text_of(message) == "Een aanbod dat past bij zaak R-0042 heeft een plek vrij.\n"
    row = stored(session, row_id)
    assert (row.state, row.attempts, row.sent_at) == ("sent", 1, now)
    assert send(session_factory, now + timedelta(days=1), smtp_server.settings).sent == 0


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_an_email_is_sent_after_logging_in_when_a_username_is_set(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    logins: list[tuple[bytes, bytes]] = []

    def authenticate(
        server: SMTP, session: SmtpSession, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        logins.append((data.login, data.password))
        return AuthResult(success=data.password == b"wachtwoord")

    # Plain-text AUTH only on loopback in a test; production uses STARTTLS.
    controller, mailbox, port = start_smtp(
        authenticator=authenticate, auth_required=True, auth_require_tls=False
    )
    try:
        smtp = SmtpSettings("127.0.0.1", port, SENDER, "plekwijzer", "wachtwoord", timeout=5)
        queue_notification(
            session,
            channel="email",
            recipient="aanbieder@example.nl",
            event="availability.expiring",
            subject="Uw wachttijden verlopen over 3 dagen",
            payload={"offer_id": 12, "valid_until": "2026-03-05"},
            dedupe_key="expiring:12:2026-03-05",
            now=now,
        )
        session.commit()
        assert send(session_factory, now, smtp).sent == 1
    finally:
        controller.stop()
    assert logins == [(b"plekwijzer", b"wachtwoord")]
    (message,) = mailbox.messages
    assert text_of(message) == "offer_id: 12\nvalid_until: 2026-03-05\n"


# --- webhooks -------------------------------------------------------------------------


def test_a_webhook_arrives_signed_with_a_timestamp_the_receiver_accepts(
    session_factory: sessionmaker[Session], session: Session, now: datetime, receiver: Receiver
) -> None:
    subscription = create_subscription(session, f"{receiver.url}/plekwijzer/hook?bron=test")
    row_id = queue_webhook(session, subscription, now)
    session.commit()

    assert send(session_factory, now) == SendSummary(1, 0, 0)

    (call,) = receiver.requests
    assert call.path == "/plekwijzer/hook?bron=test"
    assert call.headers["Content-Type"] == "application/json"
    assert call.headers[TIMESTAMP_HEADER] == str(int(now.timestamp()))
    signature = call.headers[SIGNATURE_HEADER]
    assert signature.startswith("sha256=")
    assert verify_signature(SECRET, call.headers[TIMESTAMP_HEADER], call.body, signature, now)
    document = json.loads(call.body)
    assert document["id"] == row_id
    assert document["event"] == "signal.opened"
    assert document["data"] == {"signal_id": 7, "state": "open", "link": "/api/v1/signals/7"}
    row = stored(session, row_id)
    assert (row.state, row.attempts, row.sent_at) == ("sent", 1, now)


def test_a_tampered_or_replayed_webhook_is_rejected(now: datetime) -> None:
    body = b'{"id":1,"event":"signal.opened","data":{}}'
    timestamp = str(int(now.timestamp()))
    signature = sign(SECRET, timestamp, body)
    assert verify_signature(SECRET, timestamp, body, signature, now)

    assert not verify_signature(SECRET, timestamp, body.replace(b"1", b"2"), signature, now)
    assert not verify_signature("een ander geheim", timestamp, body, signature, now)
    assert not verify_signature(SECRET, str(int(timestamp) + 1), body, signature, now)
    assert not verify_signature(SECRET, timestamp, body, signature.upper(), now)
    assert not verify_signature(SECRET, "gisteren", body, signature, now)
    # A captured call replayed later, even with its own valid signature:
    assert verify_signature(SECRET, timestamp, body, signature, now + timedelta(seconds=300))
    assert not verify_signature(SECRET, timestamp, body, signature, now + timedelta(seconds=301))
    assert not verify_signature(SECRET, timestamp, body, signature, now - timedelta(minutes=6))


def test_a_refusing_receiver_is_retried_on_the_backoff_until_the_row_is_dead(
    session_factory: sessionmaker[Session], session: Session, now: datetime, receiver: Receiver
) -> None:
    receiver.status = 500
    row_id = queue_webhook(session, create_subscription(session, receiver.url), now)
    session.commit()

    at = now
    for attempt in range(1, MAX_ATTEMPTS):
        assert send(session_factory, at) == SendSummary(0, 1, 0)
        row = stored(session, row_id)
        assert (row.state, row.attempts) == ("pending", attempt)
        assert row.next_attempt_at == next_attempt(attempt, at)
        assert row.last_error == "WebhookRefusedError: the receiver answered HTTP 500"
        # Not due yet: nothing is sent before the backoff has passed.
        assert send(session_factory, row.next_attempt_at - timedelta(seconds=1)) == SendSummary(
            0, 0, 0
        )
        at = row.next_attempt_at

    assert send(session_factory, at) == SendSummary(0, 0, 1)
    row = stored(session, row_id)
    assert (row.state, row.attempts, row.sent_at) == ("dead", MAX_ATTEMPTS, None)
    assert len(receiver.requests) == MAX_ATTEMPTS
    assert send(session_factory, at + timedelta(days=30)) == SendSummary(0, 0, 0)


def test_an_unreachable_receiver_is_tried_again_later_without_raising(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    nobody = f"http://127.0.0.1:{free_port()}/hook"
    webhook_id = queue_webhook(session, create_subscription(session, nobody), now)
    email_id = queue_notification(
        session,
        channel="email",
        recipient="wijkteam@example.nl",
        event="watch.match",
        subject="Plek vrij",
        payload={"text": "Plek vrij."},
        dedupe_key="watch:1:match:1",
        now=now,
    )
    assert email_id is not None
    session.commit()

    assert send(session_factory, now, unused_smtp()) == SendSummary(0, 2, 0)

    for row_id in (webhook_id, email_id):
        row = stored(session, row_id)
        assert (row.state, row.attempts) == ("pending", 1)
        assert row.next_attempt_at == now + timedelta(seconds=30)
        assert row.last_error is not None
        assert row.last_error.startswith("ConnectionRefusedError")


def test_a_switched_off_subscription_gets_nothing_and_its_rows_are_set_aside(
    session_factory: sessionmaker[Session], session: Session, now: datetime, receiver: Receiver
) -> None:
    subscription = create_subscription(session, receiver.url)
    row_id = queue_webhook(session, subscription, now)
    subscription.active = False
    session.commit()

    assert send(session_factory, now) == SendSummary(0, 0, 1)
    assert receiver.requests == []
    assert stored(session, row_id).state == "dead"


def test_nothing_is_sent_for_a_notification_whose_transaction_was_rolled_back(
    session_factory: sessionmaker[Session], now: datetime, receiver: Receiver
) -> None:
    class AbandonedError(Exception):
        pass

    def queue_then_fail() -> None:
        with unit_of_work(session_factory) as work:
            queue_webhook(work, create_subscription(work, receiver.url), now)
            raise AbandonedError

    with pytest.raises(AbandonedError):
        queue_then_fail()

    assert send(session_factory, now + timedelta(hours=1)) == SendSummary(0, 0, 0)
    assert receiver.requests == []


def test_an_opening_signal_reaches_a_subscribed_receiver_after_the_commit(
    session_factory: sessionmaker[Session], session: Session, now: datetime, receiver: Receiver
) -> None:
    settings = Settings(_env_file=None)
    load_demo(session, now, signals=False)  # its signals open below, with a subscriber
    create_subscription(session, receiver.url, municipality_code="GM0599")
    evaluate_as_configured(session, settings, now)
    session.commit()

    summary = send(session_factory, now)

    assert summary.sent == len(receiver.requests) >= 2
    pending = select(Notification).where(Notification.state != "sent")
    assert session.scalars(pending).all() == []
    calls = [json.loads(call.body) for call in receiver.requests]
    assert {call["data"]["municipality"] for call in calls} == {"GM0599"}
    pgb = next(call for call in calls if call["data"]["category"] == "ijw:45")
    assert pgb["event"] == "signal.opened"
    assert pgb["data"]["link"] == f"/api/v1/signals/{pgb['data']['signal_id']}"
