"""The watches' tables: professionals' case watches and the alerts they raised."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from directory.db import Base, UTCDateTime, partial_index, utcnow


class Watch(Base):
    """A professional's saved search for a case: the filters of `GET /api/v1/offers`, a
    pseudonymous case reference (no personal data, see `directory.watches.rules`), the
    municipality of the case and optionally its category. It belongs to an organisation;
    `api_client_id` says which key made it (a later login gives a user instead)."""

    __tablename__ = "watch"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    api_client_id: Mapped[int | None] = mapped_column(ForeignKey("api_client.id"))
    case_reference: Mapped[str] = mapped_column(String(40))
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipality.code"))
    category: Mapped[str | None] = mapped_column(String(60))  # see rules.category_key
    search: Mapped[dict[str, Any]] = mapped_column(JSON)  # directory.watches.rules.WatchSearch
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    evaluated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WatchAlert(Base):
    """One episode of a watch event: raised when it starts, ended when it stops holding.

    At most one episode per (watch, event, subject) is running (`ended_at` NULL), so
    evaluating again raises nothing new; after it ends, a new episode is a new alert. The
    subject is an offer (`place_opened`, `wait_within_norm`) or a signal (`pgb_route`).
    """

    __tablename__ = "watch_alert"
    __table_args__ = (
        CheckConstraint("event IN ('place_opened', 'wait_within_norm', 'pgb_route')", name="event"),
        partial_index(
            "uq_watch_alert_running",
            "watch_id",
            "event",
            "subject_id",
            where="ended_at IS NULL",
            unique=True,
        ),
        Index("ix_watch_alert_watch_raised", "watch_id", "raised_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    watch_id: Mapped[int] = mapped_column(ForeignKey("watch.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(20))  # directory.watches.rules.WatchEvent
    subject_id: Mapped[int]  # no FK: an offer or a signal id, kept after either goes
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
