"""Sends the notification outbox (the `send-notifications` job): signed webhook calls and
e-mail, after the commit.

`send_due_notifications` claims due rows in one short transaction, sends each one outside
any transaction (a slow receiver never holds a database lock), and records each outcome in
its own short transaction: sent, or tried again later on the schedule of
`directory.notifications.service.next_attempt`, or dead after `MAX_ATTEMPTS`. Delivery is
at-least-once: a process that dies between sending and recording sends that row again, so
receivers should ignore a delivery id they have seen.

Webhook subscribers verify each call like this (`verify_signature` does it)::

    X-Plekwijzer-Timestamp: 1772442000             (unix seconds when it was sent)
    X-Plekwijzer-Signature: sha256=<hex>           (HMAC-SHA256, key: the shared secret,
                                                    message: f"{timestamp}.{raw body}")

Compute the HMAC over the raw body bytes as received, compare in constant time, and refuse
a timestamp more than five minutes from your clock: a captured call cannot be replayed
later.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import smtplib
import ssl
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any
from urllib.parse import urlsplit

from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from directory.config import Settings
from directory.db import unit_of_work
from directory.notifications.models import Notification, WebhookSubscription
from directory.notifications.service import DEAD, MAX_ATTEMPTS, PENDING, SENT, next_attempt
from sync.runner import JobContext, JobSpec, NotificationSender, late_after_every

log = logging.getLogger(__name__)

SEND_NOTIFICATIONS = "send-notifications"
TIMESTAMP_HEADER = "X-Plekwijzer-Timestamp"
SIGNATURE_HEADER = "X-Plekwijzer-Signature"
SIGNATURE_PREFIX = "sha256="
REPLAY_TOLERANCE_SECONDS = 300
USER_AGENT = "Plekwijzer-Webhook/1"
MAX_ERROR_CHARS = 1_000


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """Where e-mail goes: an SMTP server, optionally with STARTTLS and a login."""

    host: str
    port: int
    sender: str  # the From header
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpSettings:
        """The SMTP part of the application settings."""
        password = settings.smtp_password
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            username=settings.smtp_username,
            password=password.get_secret_value() if password else None,
            starttls=settings.smtp_starttls,
            timeout=settings.smtp_timeout_seconds,
        )


@dataclass(frozen=True, slots=True)
class SendSummary:
    """What one pass did with the rows that were due."""

    sent: int
    retried: int  # failed, tried again later
    dead: int  # failed for the last time, or could not be sent at all


@dataclass(frozen=True, slots=True)
class _Due:
    id: int
    channel: str
    recipient: str
    event: str
    subject: str
    payload: dict[str, Any]
    attempts: int
    created_at: datetime
    secret: str | None  # of an active subscription; None: there is nobody to sign for


class WebhookRefusedError(Exception):
    """The receiver answered, but not with 2xx."""

    def __init__(self, status: int) -> None:
        super().__init__(f"the receiver answered HTTP {status}")
        self.status = status


class _UndeliverableError(Exception):
    """Trying again cannot help (e.g. the subscription was switched off)."""


def send_due_notifications(
    session_factory: sessionmaker[Session],
    now: datetime,
    *,
    smtp: SmtpSettings,
    http_timeout: float,
    limit: int = 100,
) -> SendSummary:
    """Send up to `limit` notifications that are due at `now`, oldest due first.

    Never raises for a failed delivery: the row records the error and is tried again later
    (or is dead after `MAX_ATTEMPTS`). Safe to run in several processes at once: claimed
    rows are pushed out of the others' reach until their outcome is recorded.
    """
    # A claim lasts until the whole batch could have timed out, so no other sender picks a
    # row up while this one is still trying it.
    lease = timedelta(seconds=60 + limit * max(http_timeout, smtp.timeout))
    outcomes = Counter(
        _record(session_factory, notification, now, _deliver(notification, now, smtp, http_timeout))
        for notification in _claim(session_factory, now, limit, now + lease)
    )
    return SendSummary(outcomes[SENT], outcomes[PENDING], outcomes[DEAD])


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value for `body` sent at `timestamp` (unix seconds)."""
    message = timestamp.encode() + b"." + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def verify_signature(
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    now: datetime,
    tolerance: int = REPLAY_TOLERANCE_SECONDS,
) -> bool:
    """For receivers: is this a call Plekwijzer signed with `secret` within `tolerance`
    seconds of `now`? `body` is the raw request body; a replayed or altered call fails."""
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs(now.timestamp() - sent_at) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


# --- claiming and recording -----------------------------------------------------------


def _claim(
    session_factory: sessionmaker[Session], now: datetime, limit: int, until: datetime
) -> list[_Due]:
    with unit_of_work(session_factory) as session:
        query = (
            select(Notification)
            .where(Notification.state == PENDING, Notification.next_attempt_at <= now)
            .order_by(Notification.next_attempt_at, Notification.id)
            .limit(limit)
        )
        if session.get_bind().dialect.name == "postgresql":
            # Two senders at once each take different rows; SQLite serialises writers anyway.
            query = query.with_for_update(skip_locked=True)
        rows = list(session.scalars(query))
        if not rows:
            return []
        session.execute(
            update(Notification)
            .where(Notification.id.in_([row.id for row in rows]))
            .values(next_attempt_at=until)
            .execution_options(synchronize_session=False)
        )
        secrets = _secrets(session, {row.webhook_id for row in rows if row.webhook_id})
        return [
            _Due(
                id=row.id,
                channel=row.channel,
                recipient=row.recipient,
                event=row.event,
                subject=row.subject,
                payload=row.payload,
                attempts=row.attempts,
                created_at=row.created_at,
                secret=secrets.get(row.webhook_id) if row.webhook_id else None,
            )
            for row in rows
        ]


def _secrets(session: Session, webhook_ids: set[int]) -> dict[int, str]:
    if not webhook_ids:
        return {}
    query = select(WebhookSubscription.id, WebhookSubscription.secret).where(
        WebhookSubscription.id.in_(sorted(webhook_ids)), WebhookSubscription.active.is_(True)
    )
    return {webhook_id: secret for webhook_id, secret in session.execute(query)}


def _record(
    session_factory: sessionmaker[Session],
    notification: _Due,
    now: datetime,
    error: Exception | None,
) -> str:
    """Store how the attempt went; returns the row's new state."""
    attempts = notification.attempts + 1
    values: dict[str, Any]
    if error is None:
        values = {"state": SENT, "attempts": attempts, "sent_at": now}
    else:
        final = isinstance(error, _UndeliverableError) or attempts >= MAX_ATTEMPTS
        values = {
            "state": DEAD if final else PENDING,
            "attempts": attempts,
            "last_error": _describe(error),
            "next_attempt_at": now if final else next_attempt(attempts, now),
        }
        logger = log.error if final else log.warning
        logger(
            "notification %d (%s to %s) failed, attempt %d%s: %s",
            notification.id,
            notification.channel,
            notification.recipient,
            attempts,
            ", set aside as dead" if final else "",
            values["last_error"],
        )
    with unit_of_work(session_factory) as session:
        session.execute(
            update(Notification)
            .where(Notification.id == notification.id, Notification.state == PENDING)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    return str(values["state"])


def _describe(error: Exception) -> str:
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return text[:MAX_ERROR_CHARS]


# --- delivery -------------------------------------------------------------------------


def _deliver(
    notification: _Due, now: datetime, smtp: SmtpSettings, http_timeout: float
) -> Exception | None:
    """Send one notification; the error when it was not delivered."""
    try:
        if notification.channel == "webhook":
            _post_webhook(notification, now, http_timeout)
        elif notification.channel == "email":
            _send_email(notification, now, smtp)
        else:
            raise _UndeliverableError(f"unknown channel {notification.channel!r}")
    except Exception as error:  # any failure of one row is that row's, never the pass's
        return error
    return None


def webhook_body(notification_id: int, event: str, created_at: datetime, data: Any) -> bytes:
    """The JSON a subscriber receives: `id` names the delivery (the same on every retry)."""
    document = {"id": notification_id, "event": event, "created_at": created_at.isoformat()}
    document["data"] = data
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _post_webhook(notification: _Due, now: datetime, timeout: float) -> None:
    if notification.secret is None:
        raise _UndeliverableError("the webhook subscription is gone or switched off")
    url = urlsplit(notification.recipient)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise _UndeliverableError(f"not an http(s) URL: {notification.recipient!r}")
    body = webhook_body(
        notification.id, notification.event, notification.created_at, notification.payload
    )
    timestamp = str(int(now.timestamp()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Plekwijzer-Event": notification.event,
        "X-Plekwijzer-Delivery": str(notification.id),
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(notification.secret, timestamp, body),
    }
    # http.client rather than a client library: it follows no redirects, so a call goes
    # only where the subscriber registered it.
    connection: http.client.HTTPConnection
    if url.scheme == "https":
        connection = http.client.HTTPSConnection(
            url.hostname, url.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    path = (url.path or "/") + (f"?{url.query}" if url.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(4_096)  # only the status counts; a huge answer is not waited for
        status = response.status
    finally:
        connection.close()
    if not 200 <= status < 300:
        raise WebhookRefusedError(status)


def _send_email(notification: _Due, now: datetime, smtp: SmtpSettings) -> None:
    message = EmailMessage()
    message["From"] = smtp.sender
    message["To"] = notification.recipient
    message["Subject"] = notification.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain="plekwijzer.nl")
    message.set_content(email_text(notification.payload))
    with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout) as client:
        if smtp.starttls:
            client.starttls(context=ssl.create_default_context())
        if smtp.username:
            client.login(smtp.username, smtp.password or "")
        client.send_message(message)


def email_text(payload: dict[str, Any]) -> str:
    """The plain-text body: `payload["text"]` when given, else one `key: value` a line."""
    text = payload.get("text")
    if isinstance(text, str):
        return text
    return "\n".join(f"{key}: {_plain(value)}" for key, value in payload.items()) + "\n"


def _plain(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Sequence | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# --- the job --------------------------------------------------------------------------


def notification_sender(settings: Settings) -> NotificationSender:
    """The `send-notifications` job: `send_due_notifications` with the SMTP and webhook
    settings (it commits per row itself, so a slow receiver holds no lock)."""
    smtp = SmtpSettings.from_settings(settings)

    def send(session_factory: sessionmaker[Session], now: datetime) -> SendSummary:
        return send_due_notifications(
            session_factory, now, smtp=smtp, http_timeout=settings.webhook_timeout_seconds
        )

    return send


def jobs(context: JobContext) -> list[JobSpec]:
    """The sender every `notification_send_seconds` (the context's own sender, if any)."""
    settings, factory = context.settings, context.session_factory
    sender = context.send_notifications or notification_sender(settings)
    return [
        JobSpec(
            SEND_NOTIFICATIONS,
            "send queued webhooks and e-mails",
            lambda now: sender(factory, now),
            IntervalTrigger(seconds=settings.notification_send_seconds),
            misfire_grace_seconds=60,
            late_after=late_after_every(timedelta(seconds=settings.notification_send_seconds)),
            did_something=_sent_anything,
        )
    ]


def _sent_anything(result: object) -> bool:
    # A sender handed in by a test may return anything: only a summary tells of sending.
    return isinstance(result, SendSummary) and bool(result.sent or result.retried or result.dead)
