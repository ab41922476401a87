"""The PGB-route and education-gap rule: pure functions over plain data.

For a municipality M and a category C, the *contracted* offers are those with a valid
zorg-in-natura contract with M on `today`. When none of them can start within the norm
(`rules.available_within_norm`), the signal is open: a PGB-route signal for youth care and
day programmes, an education-gap signal for special education (which has no PGB).

No contracted offer at all is open too: nothing contracted can start within the norm, and
a municipality that bought nothing in a category it must supply (Jeugdwet art. 2.6) is the
starkest gap. But that is also what every category nobody in M needs looks like, so the
evaluation says which case it is (`has_contracts`). A caller that sweeps every (M, C)
should raise signals for `has_contracts=False` only where there is a demand (a watch, a
case); a caller evaluating a watched case can take `open` as it is.

Wording: the PGB route *may* apply; it is never promised (see DOMAIN.md, art. 8.1.1). The
texts are in `directory.signals.wording`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from directory.catalogue.rules import (
    Figures,
    Norm,
    available_within_norm,
    is_fresh,
    total_wait_weeks,
)
from directory.enums import AvailabilityStatus, ContractKind, OfferKind
from directory.geo import distance_km
from directory.signals.policy import GapKind, policy_for
from directory.signals.wording import (
    Language,
    signal_text,
)

# A signal row's kind: a shortage (`policy.GapKind`), or a task for the municipality: the
# figures of its contracted offers are not known well enough to say, or it contracts
# nothing any more in a category where a gap was open.
SignalKind = Literal["pgb_route", "education_gap", "care_gap", "figures_unknown", "no_contract"]
TASK_KINDS: tuple[SignalKind, ...] = ("figures_unknown", "no_contract")
GAP_KINDS: tuple[SignalKind, ...] = ("pgb_route", "education_gap", "care_gap")
# The gaps a case watch alerts on as "the PGB route may apply" (or, for schools, the
# onderwijsconsulent): not a care gap, which no PGB can fill.
WATCHED_GAP_KINDS: tuple[SignalKind, ...] = ("pgb_route", "education_gap")
# What the figures show for one municipality and category.
Finding = Literal["shortage", "unknown", "no_contract", "available"]
Transition = Literal["open", "resolve", "none"]

# Why a contracted offer is or is not available; `Evidence.reason` is the English text.
REASON_NO_FIGURE = "no_figure"
REASON_STALE = "stale"
REASON_CLOSED = "closed"
REASON_OPEN_PLACES = "open_places"
REASON_WAIT_UNKNOWN = "wait_unknown"
REASON_WITHIN_NORM = "within_norm"
REASON_OVER_NORM = "over_norm"
# Why the evaluation as a whole finds what it finds.
NO_CONTRACTED_OFFER = "no_contracted_offer"
NONE_WITHIN_NORM = "none_within_norm"
CONTRACTED_WITHIN_NORM = "contracted_within_norm"
FIGURES_UNKNOWN = "figures_unknown"
# Reasons of contracted offers whose figure says nothing about a start within the norm.
UNKNOWN_REASONS = frozenset({REASON_NO_FIGURE, REASON_STALE, REASON_WAIT_UNKNOWN})


@dataclass(frozen=True, slots=True)
class ContractTerm:
    """A contract as the rule sees it; `valid_to` is the last day it holds (inclusive)."""

    municipality_code: str
    valid_from: date
    valid_to: date | None = None
    kind: ContractKind = ContractKind.ZORG_IN_NATURA


@dataclass(frozen=True, slots=True)
class CandidateOffer:
    """An offer of the evaluated category with its headline figure and contracts."""

    offer_id: int
    category: str  # rules.category_key
    kind: OfferKind
    figures: Figures | None  # the headline figure; None when nothing was published
    accepts_pgb: bool = False
    tariff_cents: int | None = None
    tariff_unit: str | None = None
    lat: float | None = None  # of its main location
    lon: float | None = None
    min_age: int | None = None
    max_age: int | None = None
    contracts: tuple[ContractTerm, ...] = ()


@dataclass(frozen=True, slots=True)
class MunicipalityPoint:
    """A municipality and the point distances are measured from (unknown for some)."""

    code: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class Evidence:
    """One contracted offer and why it can or cannot start within the norm.

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


@dataclass(frozen=True, slots=True)
class Alternative:
    """A non-contracted offer that accepts a PGB and can start within the norm.

    `costs_more` is None when the tariffs cannot be compared (a tariff or its unit is
    missing, or no contracted offer has a tariff in the same unit).
    """

    offer_id: int
    wait_weeks: int  # until a start as the figure says: 0 with open places, else the total
    total_wait_weeks: int | None
    open_places: int | None
    distance_km: float
    tariff_cents: int | None
    tariff_unit: str | None
    contracted_tariff_cents: int | None  # the cheapest contracted tariff in the same unit
    tariff_difference_cents: int | None  # this tariff minus that one
    costs_more: bool | None


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The rule's answer for one municipality and category."""

    municipality_code: str
    category: str
    gap_kind: GapKind  # what a shortage in this category is (`policy.policy_for`)
    norm: Norm
    finding: Finding
    reason_code: str  # NO_CONTRACTED_OFFER, FIGURES_UNKNOWN, NONE_WITHIN_NORM, CONTRACTED_…
    evidence: tuple[Evidence, ...]
    alternatives: tuple[Alternative, ...]

    @property
    def open(self) -> bool:
        """A shortage: the figures show that no contracted offer can start within the norm.
        Only then may a PGB route (or an education or care gap) be stated."""
        return self.finding == "shortage"

    @property
    def has_contracts(self) -> bool:
        return self.finding != "no_contract"

    @property
    def kind(self) -> SignalKind:
        """The kind of signal row this finding keeps open (the gap kind when available)."""
        if self.finding == "unknown":
            return "figures_unknown"
        if self.finding == "no_contract":
            return "no_contract"
        return self.gap_kind

    def text(self, language: Language = "nl") -> str:
        """The public wording for this finding (`directory.signals.wording`)."""
        return signal_text(self.kind, self.category, language)


def signal_kind(category: str) -> GapKind:
    """What a shortage in `category` is: a PGB route, an education gap or a care gap."""
    return policy_for(category).kind


def in_force(term: ContractTerm, today: date) -> bool:
    """Is `term` a zorg-in-natura contract valid on `today`?"""
    return (
        term.kind is ContractKind.ZORG_IN_NATURA
        and term.valid_from <= today
        and (term.valid_to is None or today <= term.valid_to)
    )


def contracted_for(offer: CandidateOffer, municipality_code: str, today: date) -> bool:
    """Does `offer` have a zorg-in-natura contract with the municipality valid on `today`?"""
    return any(
        term.municipality_code == municipality_code and in_force(term, today)
        for term in offer.contracts
    )


def fits_age(offer: CandidateOffer, age: int | None) -> bool:
    """Without an age every offer fits; an open end of the range is no limit."""
    if age is None:
        return True
    return (offer.min_age is None or offer.min_age <= age) and (
        offer.max_age is None or age <= offer.max_age
    )


def evidence_for(offer: CandidateOffer, norm: Norm, now: datetime) -> Evidence:
    """Why this offer can or cannot start within the norm, in the order the rule decides."""
    figures = offer.figures
    available = available_within_norm(figures, norm, now)
    if figures is None:
        return Evidence(
            offer_id=offer.offer_id,
            status="unknown",
            open_places=None,
            total_wait_weeks=None,
            fresh=False,
            valid_until=None,
            available=available,
            reason_code=REASON_NO_FIGURE,
            reason="no figure published",
        )
    total = total_wait_weeks(figures.intake_wait_weeks, figures.treatment_wait_weeks)
    fresh = is_fresh(figures.valid_until, now)
    code, reason = _reason(figures, total, fresh, norm)
    return Evidence(
        offer_id=offer.offer_id,
        status=figures.status.value,
        open_places=figures.open_places,
        total_wait_weeks=total,
        fresh=fresh,
        valid_until=figures.valid_until,
        available=available,
        reason_code=code,
        reason=reason,
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


def evaluate(
    municipality: MunicipalityPoint,
    category: str,
    offers: Sequence[CandidateOffer],
    norm: Norm,
    *,
    now: datetime,
    today: date,
    age: int | None = None,
    max_distance_km: float,
) -> Evaluation:
    """Is the PGB route (or, for schools, an education gap) open for `category` in M?

    `offers` may hold offers of other categories; they are ignored. With `age`, offers
    whose age range excludes it count neither as contracted nor as alternatives.
    """
    kind = signal_kind(category)
    relevant = sorted(
        (o for o in offers if o.category == category and fits_age(o, age)),
        key=lambda o: o.offer_id,
    )
    is_contracted = {o.offer_id: contracted_for(o, municipality.code, today) for o in relevant}
    contracted = [o for o in relevant if is_contracted[o.offer_id]]
    evidence = tuple(evidence_for(o, norm, now) for o in contracted)
    finding: Finding
    if not contracted:
        finding, reason_code = "no_contract", NO_CONTRACTED_OFFER
    elif any(item.available for item in evidence):
        finding, reason_code = "available", CONTRACTED_WITHIN_NORM
    elif any(item.reason_code in UNKNOWN_REASONS for item in evidence):
        # An offer without a fresh, complete figure might start within the norm: saying
        # there is a shortage would state what the figures do not show.
        finding, reason_code = "unknown", FIGURES_UNKNOWN
    else:
        finding, reason_code = "shortage", NONE_WITHIN_NORM
    alternatives: tuple[Alternative, ...] = ()
    if kind == "pgb_route":
        # Listed even while closed, so a page can show them; the signal decides on `open`.
        others = [o for o in relevant if not is_contracted[o.offer_id]]
        alternatives = _alternatives(
            municipality, others, contracted, norm, now=now, max_distance_km=max_distance_km
        )
    return Evaluation(
        municipality_code=municipality.code,
        category=category,
        gap_kind=kind,
        norm=norm,
        finding=finding,
        reason_code=reason_code,
        evidence=evidence,
        alternatives=alternatives,
    )


def _alternatives(
    municipality: MunicipalityPoint,
    others: Sequence[CandidateOffer],
    contracted: Sequence[CandidateOffer],
    norm: Norm,
    *,
    now: datetime,
    max_distance_km: float,
) -> tuple[Alternative, ...]:
    if municipality.lat is None or municipality.lon is None:
        return ()  # no point to measure from: no offer can be shown to lie near enough
    cheapest = _cheapest_by_unit(contracted)
    found: list[Alternative] = []
    for offer in others:
        figures = offer.figures
        # available_within_norm implies a fresh figure and that the offer is not closed.
        if (
            not offer.accepts_pgb
            or figures is None
            or not available_within_norm(figures, norm, now)
        ):
            continue
        if offer.lat is None or offer.lon is None:
            continue
        distance = distance_km(municipality.lat, municipality.lon, offer.lat, offer.lon)
        if distance > max_distance_km:
            continue
        total = total_wait_weeks(figures.intake_wait_weeks, figures.treatment_wait_weeks)
        has_places = figures.status is AvailabilityStatus.OPEN and bool(figures.open_places)
        contracted_tariff = cheapest.get(_unit(offer.tariff_unit) or "")
        difference = (
            offer.tariff_cents - contracted_tariff
            if offer.tariff_cents is not None and contracted_tariff is not None
            else None
        )
        found.append(
            Alternative(
                offer_id=offer.offer_id,
                wait_weeks=0 if has_places or total is None else total,
                total_wait_weeks=total,
                open_places=figures.open_places,
                distance_km=round(distance, 1),
                tariff_cents=offer.tariff_cents,
                tariff_unit=offer.tariff_unit,
                contracted_tariff_cents=contracted_tariff,
                tariff_difference_cents=difference,
                costs_more=difference > 0 if difference is not None else None,
            )
        )
    # The rounded distance, so offers that show the same distance fall back to id order.
    found.sort(key=lambda a: (a.wait_weeks, a.distance_km, a.offer_id))
    return tuple(found)


def _unit(unit: str | None) -> str | None:
    # Units are free text from providers: "Uur " and "uur" are the same unit.
    cleaned = unit.strip().lower() if unit else ""
    return cleaned or None


def _cheapest_by_unit(contracted: Sequence[CandidateOffer]) -> dict[str, int]:
    # The cheapest is the strictest comparison: a PGB that costs more than *any* contracted
    # option in the same unit gives the municipality ground to refuse (art. 8.1.1).
    cheapest: dict[str, int] = {}
    for offer in contracted:
        unit = _unit(offer.tariff_unit)
        if unit is None or offer.tariff_cents is None:
            continue
        cheapest[unit] = min(cheapest.get(unit, offer.tariff_cents), offer.tariff_cents)
    return cheapest


def transition(previous_open: bool | None, holds: bool) -> Transition:
    """What the caller should record for one signal row, given its last state (None: never
    seen) and whether its finding holds now.

    Only a change of state is a transition, so re-running an evaluation changes nothing.
    """
    if holds and not previous_open:
        return "open"
    if not holds and previous_open:
        return "resolve"
    return "none"
