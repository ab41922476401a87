"""The signals' tables: one row per (kind, municipality, category) gap and every
transition it went through, and the PGB tariffs municipalities set."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from directory.db import Base, JSONList, UTCDateTime, partial_index, utcnow


class Signal(Base):
    """A finding for one municipality and category that needs attention. A shortage: fresh
    figures show that no contracted offer can start within the norm (a PGB-route signal,
    an education gap for schools and OPDC, or a care gap a PGB cannot fill). Or a task for
    the municipality: the figures are not known well enough to say (`figures_unknown`), or
    nothing is contracted any more where a need was open (`no_contract`). At most one row
    of a pair is open at a time (see `directory.signals.service`).

    One row per gap, kept for good: when the gap closes the row is resolved, when it comes
    back the same row opens again. Every change of state is a `SignalTransition`, so how
    long a gap was open can be answered. `evidence`, `alternatives` and the norm are those
    of the latest evaluation that changed them (see `directory.signals.service`).
    """

    __tablename__ = "signal"
    __table_args__ = (
        UniqueConstraint("municipality_code", "category", "kind"),
        CheckConstraint(
            "kind IN ('pgb_route', 'education_gap', 'care_gap', 'figures_unknown', 'no_contract')",
            name="kind",
        ),
        CheckConstraint("state IN ('open', 'resolved')", name="state"),
        Index("ix_signal_state_municipality", "state", "municipality_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # directory.signals.rules.SignalKind
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipality.code"))
    category: Mapped[str] = mapped_column(String(60))  # see directory.catalogue.rules.category_key
    state: Mapped[str] = mapped_column(String(10))  # open | resolved
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)  # of the current or last episode
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason_code: Mapped[str] = mapped_column(String(40))
    norm_intake_weeks: Mapped[int]
    norm_treatment_weeks: Mapped[int]
    norm_source: Mapped[str] = mapped_column(String(80))
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    alternatives: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    alternatives_total: Mapped[int] = mapped_column(Integer, default=0)
    # The leerjaren (groepen) a school shortage is in; empty: the category as a whole.
    leerjaren: Mapped[list[int]] = mapped_column(JSONList, default=list, server_default="[]")
    # For a PGB route, the municipality's PGB tariff ({"cents", "unit", "source"}); None
    # when it has set none (what a PGB would pay is then unknown).
    pgb_tariff: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # SHA-256 of what the row shows, so an unchanged evaluation writes nothing.
    digest: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SignalTransition(Base):
    """A signal opened or resolved, with the evidence that made it so. Append-only."""

    __tablename__ = "signal_transition"
    __table_args__ = (
        CheckConstraint("state IN ('open', 'resolved')", name="state"),
        Index("ix_signal_transition_signal_at", "signal_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signal.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(10))  # the state it moved to
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)


class PgbTariffSetting(Base):
    """A municipality's, or a jeugdregio's, PGB tariff for a category: what it pays per
    `unit` for care bought with a PGB (art. 8.1.1 lid 4a: it may refuse the part above
    the cost of the care in kind). Unknown until set; see `directory.signals.tariffs`."""

    __tablename__ = "pgb_tariff"
    __table_args__ = (
        CheckConstraint(
            "(municipality_code IS NULL) <> (jeugdregio_code IS NULL)", name="one_region"
        ),
        CheckConstraint("cents > 0", name="cents"),
        partial_index(
            "uq_pgb_tariff_municipality",
            "category",
            "municipality_code",
            where="municipality_code IS NOT NULL",
            unique=True,
        ),
        partial_index(
            "uq_pgb_tariff_jeugdregio",
            "category",
            "jeugdregio_code",
            where="jeugdregio_code IS NOT NULL",
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(60))  # see directory.catalogue.rules.category_key
    municipality_code: Mapped[str | None] = mapped_column(ForeignKey("municipality.code"))
    jeugdregio_code: Mapped[str | None] = mapped_column(ForeignKey("jeugdregio.code"))
    cents: Mapped[int]
    unit: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
