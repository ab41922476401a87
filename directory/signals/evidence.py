"""Why one offer of a municipality's own supply can or cannot start within the norm: pure,
mirroring `directory.catalogue.rules.available_within_norm` branch by branch so the words
match the verdict."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from directory.catalogue.rules import (
    Figures,
    Norm,
    available_within_norm,
    is_fresh,
    total_wait_weeks,
)
from directory.enums import AvailabilityStatus

# Why a contracted offer is or is not available; `Evidence.reason` is the English text.
REASON_NO_FIGURE = "no_figure"
REASON_STALE = "stale"
REASON_CLOSED = "closed"
REASON_OPEN_PLACES = "open_places"
REASON_WAIT_UNKNOWN = "wait_unknown"
REASON_WITHIN_NORM = "within_norm"
REASON_OVER_NORM = "over_norm"
# Reasons of contracted offers whose figure says nothing about a start within the norm.
UNKNOWN_REASONS = frozenset({REASON_NO_FIGURE, REASON_STALE, REASON_WAIT_UNKNOWN})


@dataclass(frozen=True, slots=True)
class Evidence:
    """One offer of the municipality's own supply and why it can or cannot start within the norm.

    A stale figure keeps its last status and wait (with `fresh=False`) so the reader sees
    what is out of date; it never counts as available.
    """

    offer_id: int
    status: str  # an AvailabilityStatus value, or "unknown" when nothing was published
    open_places: int | None
    total_wait_weeks: int | None
    fresh: bool
    valid_until: datetime | None
    available: bool
    reason_code: str
    reason: str
    leerjaar: int | None = None  # for a school's figure of one leerjaar (groep)


def evidence_for(
    offer_id: int, figures: Figures | None, norm: Norm, now: datetime, leerjaar: int | None = None
) -> Evidence:
    """Why an offer (for `leerjaar`, or as a whole) can or cannot start within the norm, in
    the order the rule decides."""
    available = available_within_norm(figures, norm, now)
    if figures is None:
        return Evidence(
            offer_id=offer_id,
            status="unknown",
            open_places=None,
            total_wait_weeks=None,
            fresh=False,
            valid_until=None,
            available=available,
            reason_code=REASON_NO_FIGURE,
            reason="no figure published",
            leerjaar=leerjaar,
        )
    total = total_wait_weeks(figures.intake_wait_weeks, figures.treatment_wait_weeks)
    fresh = is_fresh(figures.valid_until, now)
    code, reason = _reason(figures, total, fresh, norm)
    return Evidence(
        offer_id=offer_id,
        status=figures.status.value,
        open_places=figures.open_places,
        total_wait_weeks=total,
        fresh=fresh,
        valid_until=figures.valid_until,
        available=available,
        reason_code=code,
        reason=reason,
        leerjaar=leerjaar,
    )


def _reason(figures: Figures, total: int | None, fresh: bool, norm: Norm) -> tuple[str, str]:
    # Mirrors rules.available_within_norm branch by branch, so the text matches the verdict.
    if not fresh:
        return REASON_STALE, f"figure is stale (valid until {figures.valid_until.date()})"
    if figures.status is AvailabilityStatus.CLOSED:
        return REASON_CLOSED, "closed to new registrations"
    if figures.status is AvailabilityStatus.OPEN and figures.open_places:
        return REASON_OPEN_PLACES, f"{figures.open_places} open places"
    if total is None:
        return REASON_WAIT_UNKNOWN, "waiting time not published"
    if total <= norm.total_weeks:
        return REASON_WITHIN_NORM, f"wait {total} weeks within norm {norm.total_weeks}"
    return REASON_OVER_NORM, f"wait {total} weeks exceeds norm {norm.total_weeks}"
