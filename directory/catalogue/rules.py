"""Pure decisions over plain data: no database, no clock (the caller passes `now`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from directory.enums import AvailabilityStatus, OfferKind


@dataclass(frozen=True, slots=True)
class Figures:
    """The part of an availability report the rules look at."""

    status: AvailabilityStatus
    open_places: int | None
    intake_wait_weeks: int | None
    treatment_wait_weeks: int | None
    valid_until: datetime


@dataclass(frozen=True, slots=True)
class Norm:
    """A maximum acceptable wait and where it came from."""

    intake_weeks: int
    treatment_weeks: int
    source: str  # "municipality:GM0599", "jeugdregio:JZ21", "national:<category>", "default"

    @property
    def total_weeks(self) -> int:
        return self.intake_weeks + self.treatment_weeks


@dataclass(frozen=True, slots=True)
class NormRow:
    """A configured norm: for a municipality, a jeugdregio, or (neither) the whole country."""

    category: str
    municipality_code: str | None
    jeugdregio_code: str | None
    intake_weeks: int
    treatment_weeks: int


def is_fresh(valid_until: datetime, now: datetime) -> bool:
    """A figure past its valid-until date is unknown, never "available"."""
    return now < valid_until


def total_wait_weeks(intake_wait_weeks: int | None, treatment_wait_weeks: int | None) -> int | None:
    """Aanmeldwachttijd + behandelwachttijd; unknown unless both parts are known.

    A provider without a separate treatment wait publishes 0 for it: guessing a missing
    part as 0 would make a wait look shorter than it is.
    """
    if intake_wait_weeks is None or treatment_wait_weeks is None:
        return None
    return intake_wait_weeks + treatment_wait_weeks


def netto_waiting_list(bruto: int | None, bridging_count: int | None) -> int | None:
    """The netto list excludes children already getting bridging care."""
    if bruto is None or bridging_count is None:
        return None
    return bruto - bridging_count


def availability_scope(location_id: int | None, leerjaar: int | None) -> str:
    """The key under which a report is current: the offer, a location, a leerjaar or both."""
    parts = []
    if location_id is not None:
        parts.append(f"location:{location_id}")
    if leerjaar is not None:
        parts.append(f"leerjaar:{leerjaar}")
    return "/".join(parts) or "offer"


def supersedes(new_measured_at: datetime, current_measured_at: datetime | None) -> bool:
    """A report becomes current unless the current one was measured later.

    A report that arrives late but was measured earlier is kept as history only; one with
    the same measurement time is a correction and replaces it.
    """
    return current_measured_at is None or new_measured_at >= current_measured_at


def category_key(
    kind: OfferKind,
    *,
    ijw_category: int | None = None,
    day_programme_type: str | None = None,
    cluster: int | None = None,
    school_type: str | None = None,
) -> str:
    """The category an offer counts under for contracts, norms and signals.

    Youth care: its iJw category ("ijw:45"); day programmes: their type
    ("day_programme:dagbesteding"); education: cluster and school type
    ("education:cluster-4:vso", or "education:sbo", which has no cluster).
    """
    if kind is OfferKind.YOUTH_CARE:
        if ijw_category is None:
            raise ValueError("youth care needs an iJw category")
        return f"ijw:{ijw_category}"
    if kind is OfferKind.DAY_PROGRAMME:
        if day_programme_type is None:
            raise ValueError("a day programme needs a type")
        return f"day_programme:{day_programme_type}"
    if school_type is None:
        raise ValueError("special education needs a school type")
    if cluster is None:
        return f"education:{school_type}"
    return f"education:cluster-{cluster}:{school_type}"


def resolve_norm(
    category: str,
    municipality_code: str,
    jeugdregio_code: str | None,
    norms: list[NormRow],
    default: Norm,
) -> Norm:
    """The norm for `category` in a municipality: its own, else its jeugdregio's, else the
    national norm for the category, else the national default (4 + 10 weeks)."""
    by_level: dict[str, NormRow] = {}
    for row in norms:
        if row.category != category:
            continue
        if row.municipality_code is not None:
            if row.municipality_code == municipality_code:
                by_level["municipality"] = row
        elif row.jeugdregio_code is not None:
            if row.jeugdregio_code == jeugdregio_code:
                by_level["jeugdregio"] = row
        else:
            by_level["national"] = row
    for level, region in (
        ("municipality", municipality_code),
        ("jeugdregio", jeugdregio_code),
        ("national", category),
    ):
        if level in by_level:
            row = by_level[level]
            return Norm(row.intake_weeks, row.treatment_weeks, f"{level}:{region}")
    return default


def available_within_norm(figures: Figures | None, norm: Norm, now: datetime) -> bool:
    """Can this offer start within the norm? Only a fresh figure can say yes: open with
    free places, or a total wait within the norm (an assessment or a list may come first)."""
    if figures is None or not is_fresh(figures.valid_until, now):
        return False
    if figures.status is AvailabilityStatus.CLOSED:
        return False
    if figures.status is AvailabilityStatus.OPEN and figures.open_places:
        return True
    total = total_wait_weeks(figures.intake_wait_weeks, figures.treatment_wait_weeks)
    return total is not None and total <= norm.total_weeks


@dataclass(frozen=True, slots=True)
class Headline:
    """The one figure that stands for an offer in lists and search."""

    status: AvailabilityStatus
    open_places: int | None
    total_wait_weeks: int | None
    measured_at: datetime
    valid_until: datetime


@dataclass(frozen=True, slots=True)
class ScopedFigures:
    """A current figure and the scope it is for ("offer", "location:12", ...)."""

    scope: str
    status: AvailabilityStatus
    open_places: int | None
    intake_wait_weeks: int | None
    treatment_wait_weeks: int | None
    measured_at: datetime
    valid_until: datetime


STATUS_RANK = {
    AvailabilityStatus.OPEN: 0,
    AvailabilityStatus.ASSESSMENT_REQUIRED: 1,
    AvailabilityStatus.WAITLIST: 2,
    AvailabilityStatus.CLOSED: 3,
}


def headline(figures: list[ScopedFigures], now: datetime) -> Headline | None:
    """The offer's headline: its offer-wide figure when it has one; otherwise what its
    fresh location and leerjaar figures say together (the best status, the places summed,
    the shortest known wait, the newest measurement, the first expiry). Stale parts are
    left out; when all parts are stale, the newest of them stands (and shows as stale)."""
    for figure in figures:
        if figure.scope == "offer":
            return _headline_of(figure)
    if not figures:
        return None
    fresh = [figure for figure in figures if is_fresh(figure.valid_until, now)]
    if not fresh:
        return _headline_of(max(figures, key=lambda figure: figure.measured_at))
    waits = [
        wait
        for figure in fresh
        if (wait := total_wait_weeks(figure.intake_wait_weeks, figure.treatment_wait_weeks))
        is not None
    ]
    places = [figure.open_places for figure in fresh if figure.open_places is not None]
    return Headline(
        status=min((figure.status for figure in fresh), key=STATUS_RANK.__getitem__),
        open_places=sum(places) if places else None,
        total_wait_weeks=min(waits) if waits else None,
        measured_at=max(figure.measured_at for figure in fresh),
        valid_until=min(figure.valid_until for figure in fresh),
    )


def _headline_of(figure: ScopedFigures) -> Headline:
    return Headline(
        status=figure.status,
        open_places=figure.open_places,
        total_wait_weeks=total_wait_weeks(figure.intake_wait_weeks, figure.treatment_wait_weeks),
        measured_at=figure.measured_at,
        valid_until=figure.valid_until,
    )
