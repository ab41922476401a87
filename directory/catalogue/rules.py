"""Pure decisions over plain data: no database, no clock (the caller passes `now`)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from directory.enums import AvailabilityStatus, OfferKind, SchoolType


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
    """The one figure that stands for an offer in lists and search.

    Asked without a leerjaar, it is the best any part of the offer can offer (best status,
    places summed, shortest wait): the candidate test of filters and the wait sort. When
    its leerjaren say different things, `by_leerjaar` holds each one's own figure, and
    whoever shows the headline must show those (or their range) too: the best status and
    the shortest wait do not hold for every leerjaar."""

    status: AvailabilityStatus
    open_places: int | None
    total_wait_weeks: int | None
    measured_at: datetime
    valid_until: datetime
    by_leerjaar: tuple[LeerjaarHeadline, ...] = ()

    @property
    def varies_by_leerjaar(self) -> bool:
        return bool(self.by_leerjaar)


@dataclass(frozen=True, slots=True)
class LeerjaarHeadline:
    """The figure of one groep or leerjaar (`None`: the offer's other leerjaren, when it
    does not list them); `figure` is None when nothing was published for it."""

    leerjaar: int | None
    figure: Headline | None


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
# Primary-age schools (PO, SO, SBO) say groep 1-8; secondary ones (VO, VSO) leerjaar 1-6.
GROEPEN = tuple(range(1, 9))
VO_LEERJAREN = tuple(range(1, 7))
GROEP_SCHOOL_TYPES = frozenset({SchoolType.SO.value, SchoolType.SBO.value})
# The units a tariff is given in, by providers and municipalities alike.
TARIFF_UNITS = ("hour", "day", "week", "month", "year", "session")


def counts_in_groepen(school_type: str | None) -> bool:
    """Whether an offer counts in groepen (SO, SBO: primary ages) rather than leerjaren
    (VSO, and any other offer that lists them)."""
    return school_type in GROEP_SCHOOL_TYPES


def taught_leerjaren(leerjaren: Iterable[int], school_type: SchoolType | None) -> tuple[int, ...]:
    """The groepen or leerjaren an offer takes children in: the ones it lists; a special-
    education place that lists none takes every one of its school type (SO and VSO often
    group by level, so leerjaar is optional there); any other offer that lists none is not
    organised by leerjaar (empty)."""
    listed = tuple(sorted(set(leerjaren)))
    if listed or school_type is None:
        return listed
    return VO_LEERJAREN if school_type is SchoolType.VSO else GROEPEN


def leerjaar_headline(
    figures: list[ScopedFigures],
    leerjaar: int,
    now: datetime,
    *,
    leerjaren: Collection[int] | None = None,
) -> Headline | None:
    """The figure of one leerjaar (or groep): its own figure ("leerjaar:<n>"); else its
    location figures ("location:<id>/leerjaar:<n>") combined as `headline` combines
    locations; else the offer's figure without a leerjaar (`headline` of those). None when
    nothing applies, or when `leerjaren` (the ones the offer teaches, `taught_leerjaren`)
    is given and does not hold `leerjaar`: an offer has no figure for a leerjaar it does
    not teach."""
    if leerjaren and leerjaar not in leerjaren:
        return None
    return _leerjaar_part(figures, leerjaar, now, _offer_wide(figures, now))


def _leerjaar_part(
    figures: list[ScopedFigures], leerjaar: int, now: datetime, base: Headline | None
) -> Headline | None:
    own = f"leerjaar:{leerjaar}"
    for figure in figures:
        if figure.scope == own:
            return _headline_of(figure)
    located = [figure for figure in figures if figure.scope.endswith("/" + own)]
    return _combined(located, now) if located else base


def headline(
    figures: list[ScopedFigures],
    now: datetime,
    *,
    leerjaar: int | None = None,
    leerjaren: Collection[int] | None = None,
) -> Headline | None:
    """The offer's headline; with a `leerjaar`, that leerjaar's figure (`leerjaar_headline`).

    Without one: the offer's figure without a leerjaar is its offer-wide figure when it has
    one, else what its fresh location figures say together (the best status, the places
    summed, the shortest known wait, the newest measurement, the first expiry; stale parts
    left out; when all are stale, the newest stands and shows as stale). Leerjaar figures
    count as parts beside it: every leerjaar of `leerjaren` (the ones the offer teaches;
    when not given, those with a figure of their own, and the offer's figure for the
    rest) has its `leerjaar_headline`, and the headline combines them the same way. When
    they differ as of `now` (status, wait, having places, or one is unknown or stale), the
    headline carries each one in `by_leerjaar`."""
    if leerjaar is not None:
        return leerjaar_headline(figures, leerjaar, now, leerjaren=leerjaren)
    base = _offer_wide(figures, now)
    figured = sorted({n for figure in figures if (n := _leerjaar_of(figure.scope)) is not None})
    if not figured:
        return base
    numbers = sorted(set(leerjaren)) if leerjaren else figured
    entries = [
        LeerjaarHeadline(number, _leerjaar_part(figures, number, now, base)) for number in numbers
    ]
    if not leerjaren and base is not None:
        entries.append(LeerjaarHeadline(None, base))
    # The offer's figure stands for every leerjaar without one of its own: count it once.
    parts = list({id(entry.figure): entry.figure for entry in entries if entry.figure}.values())
    if not parts:
        return base
    summary = _summary(parts, now)
    if len({_judged(entry.figure, now) for entry in entries}) > 1:
        return replace(summary, by_leerjaar=tuple(entries))
    return summary


def _leerjaar_of(scope: str) -> int | None:
    _, found, number = scope.rpartition("leerjaar:")
    return int(number) if found and number.isdigit() else None


def _offer_wide(figures: list[ScopedFigures], now: datetime) -> Headline | None:
    """The offer's figure without a leerjaar: offer-wide, else its locations combined."""
    for figure in figures:
        if figure.scope == "offer":
            return _headline_of(figure)
    return _combined([figure for figure in figures if _leerjaar_of(figure.scope) is None], now)


def _combined(figures: list[ScopedFigures], now: datetime) -> Headline | None:
    return _summary([_headline_of(figure) for figure in figures], now) if figures else None


def _summary(parts: list[Headline], now: datetime) -> Headline:
    """What `parts` (at least one) say together: the fresh ones combined, or the newest
    when all are stale."""
    if len(parts) == 1:
        return parts[0]
    fresh = [part for part in parts if is_fresh(part.valid_until, now)]
    if not fresh:
        return max(parts, key=lambda part: part.measured_at)
    waits = [part.total_wait_weeks for part in fresh if part.total_wait_weeks is not None]
    places = [part.open_places for part in fresh if part.open_places is not None]
    return Headline(
        status=min((part.status for part in fresh), key=STATUS_RANK.__getitem__),
        open_places=sum(places) if places else None,
        total_wait_weeks=min(waits) if waits else None,
        measured_at=max(part.measured_at for part in fresh),
        valid_until=min(part.valid_until for part in fresh),
    )


def _judged(figure: Headline | None, now: datetime) -> tuple[object, ...] | None:
    """What a parent would read of a figure as of `now`; None when unknown or stale."""
    if figure is None or not is_fresh(figure.valid_until, now):
        return None
    return (figure.status, figure.total_wait_weeks, bool(figure.open_places))


def _headline_of(figure: ScopedFigures) -> Headline:
    return Headline(
        status=figure.status,
        open_places=figure.open_places,
        total_wait_weeks=total_wait_weeks(figure.intake_wait_weeks, figure.treatment_wait_weeks),
        measured_at=figure.measured_at,
        valid_until=figure.valid_until,
    )
