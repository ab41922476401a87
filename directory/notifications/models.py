"""The notification outbox and who receives it: webhook subscriptions (per municipality
or for an organisation) and queued webhooks and e-mails.

A notification is written in the same transaction as what caused it and sent after the
commit by the sender job, with retries and backoff, until it is sent or set aside as dead.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from directory.db import Base, UTCDateTime, utcnow


class WebhookSubscription(Base):
    """A system that wants signal changes as signed JSON (e.g. a municipality's case system)."""

    __tablename__ = "webhook_subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(200))  # shared key for the HMAC signature
    municipality_code: Mapped[str | None] = mapped_column(ForeignKey("municipality.code"))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)  # [] means every event
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Notification(Base):
    """One message to send: a webhook call or an e-mail. `dedupe_key` makes queueing the
    same event twice a no-op."""

    __tablename__ = "notification"
    __table_args__ = (
        CheckConstraint("channel IN ('webhook', 'email')", name="channel"),
        CheckConstraint("state IN ('pending', 'sent', 'dead')", name="state"),
        Index("ix_notification_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str] = mapped_column(String(500))  # URL or e-mail address
    event: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(300), default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    webhook_id: Mapped[int | None] = mapped_column(ForeignKey("webhook_subscription.id"))
    state: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OrganisationWebhook(Base):
    """Which organisation a webhook subscription belongs to. Watch alerts go only to the
    subscriptions of the watch's organisation (a subscription without an owner hears the
    public signal changes alone)."""

    __tablename__ = "organisation_webhook"

    webhook_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_subscription.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
