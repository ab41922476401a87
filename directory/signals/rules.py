"""The signal rule: pure functions over plain data.

For a municipality M and a category C, M's own supply is the offers contracted for M on
`today` (zorg in natura bought by M or by its jeugdregio) or, for school places, which
nobody buys, the schools that serve M (`counts_for`). The finding (`evaluate`) is a
*shortage* only where fresh figures show that none of them can start within the norm;
*unknown* where a figure is missing, stale or incomplete; *no_contract* where M has no
supply at all (a sweep cannot tell that from a category nobody in M needs: see
`service.evaluate_signals`). What a shortage is (a PGB route, an education gap, a care
gap) is `policy.policy_for`; the texts are `wording`; what a PGB would pay of an
alternative is `tariffs`. The PGB route *may* apply; it is never promised (DOMAIN.md,
Jeugdwet art. 8.1.1).
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
    total_wait_weeks,
)
from directory.enums import AvailabilityStatus, ContractKind, OfferKind
from directory.geo import distance_km
from directory.signals.evidence import UNKNOWN_REASONS, Evidence, evidence_for
from directory.signals.policy import GapKind, policy_for
from directory.signals.tariffs import PgbTariff, pgb_cost
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

# Why the evaluation as a whole finds what it finds.
NO_CONTRACTED_OFFER = "no_contracted_offer"
NONE_WITHIN_NORM = "none_within_norm"
CONTRACTED_WITHIN_NORM = "contracted_within_norm"
FIGURES_UNKNOWN = "figures_unknown"


@dataclass(frozen=True, slots=True)
class ContractTerm:
    """A contract as the rule sees it: bought by a municipality, or by a jeugdregio for all
    its members; `valid_to` is the last day it holds (inclusive)."""

    municipality_code: str | None
    valid_from: date
    valid_to: date | None = None
    kind: ContractKind = ContractKind.ZORG_IN_NATURA
    jeugdregio_code: str | None = None


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
    # School places are not bought: the municipalities a school serves are those it is
    # located in and those its samenwerkingsverband covers.
    serves: frozenset[str] = frozenset()
    # A school's groepen or leerjaren (`catalogue.rules.taught_leerjaren`; empty: not
    # organised by leerjaar) and, where it publishes per leerjaar, each one's own figure.
    leerjaren: tuple[int, ...] = ()
    by_leerjaar: tuple[tuple[int, Figures | None], ...] = ()

    def figures_for(self, leerjaar: int) -> tuple[bool, Figures | None]:
        """Whether the offer takes children in `leerjaar`, and its figure for it."""
        own = dict(self.by_leerjaar)
        if leerjaar in own:
            return True, own[leerjaar]
        return not self.leerjaren or leerjaar in self.leerjaren, self.figures


@dataclass(frozen=True, slots=True)
class MunicipalityPoint:
    """A municipality, its jeugdregio, and the point distances are measured from (unknown
    for some)."""

    code: str
    lat: float | None
    lon: float | None
    jeugdregio_code: str | None = None


@dataclass(frozen=True, slots=True)
class Alternative:
    """A non-contracted offer that accepts a PGB and can start within the norm, and what
    a PGB at the municipality's tariff would pay of its tariff (`tariffs.PgbCost`: all
    None when they cannot be compared)."""

    offer_id: int
    # Its headline figure, as every page shows it (an open offer may still have a wait to
    # its intake: the total is then shown beside the places, never hidden as 0).
    status: str  # an AvailabilityStatus value
    open_places: int | None
    total_wait_weeks: int | None
    distance_km: float
    tariff_cents: int | None
    tariff_unit: str | None
    pgb_tariff_cents: int | None
    pgb_pays_cents: int | None
    parents_pay_cents: int | None
    above_pgb_tariff: bool | None


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
    pgb_tariff: PgbTariff | None = None  # the municipality's, for a PGB-route category
    # The leerjaren (groepen) a school shortage is in; empty: the category as a whole.
    leerjaren: tuple[int, ...] = ()

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
        return signal_text(self.kind, self.category, language, leerjaren=self.leerjaren)


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


def bought_for(term: ContractTerm, municipality: MunicipalityPoint) -> bool:
    """Was `term` bought by the municipality itself or by its jeugdregio?"""
    if term.municipality_code is not None:
        return term.municipality_code == municipality.code
    return term.jeugdregio_code is not None and term.jeugdregio_code == municipality.jeugdregio_code


def contracted_for(offer: CandidateOffer, municipality: MunicipalityPoint, today: date) -> bool:
    """Does `offer` have a zorg-in-natura contract for the municipality (its own or its
    jeugdregio's) valid on `today`?"""
    return any(bought_for(term, municipality) and in_force(term, today) for term in offer.contracts)


def counts_for(offer: CandidateOffer, municipality: MunicipalityPoint, today: date) -> bool:
    """Does `offer` count as the municipality's own supply: contracted care, or for school
    places (which nobody buys) a school that serves the municipality?"""
    if offer.kind is OfferKind.SPECIAL_EDUCATION:
        return municipality.code in offer.serves
    return contracted_for(offer, municipality, today)


def fits_age(offer: CandidateOffer, age: int | None) -> bool:
    """Without an age every offer fits; an open end of the range is no limit."""
    if age is None:
        return True
    return (offer.min_age is None or offer.min_age <= age) and (
        offer.max_age is None or age <= offer.max_age
    )


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
    pgb_tariff: PgbTariff | None = None,
    explain: bool = True,
) -> Evaluation:
    """Is the PGB route (or, for schools, an education gap) open for `category` in M?

    `offers` may hold offers of other categories; they are ignored. With `age`, offers
    whose age range excludes it count neither as contracted nor as alternatives. Without
    `explain`, a finding of "available" comes without its evidence (a sweep over every
    pair needs the evidence only where a signal opens, changes or resolves).
    """
    kind = signal_kind(category)
    relevant = sorted(
        (o for o in offers if o.category == category and fits_age(o, age)),
        key=lambda o: o.offer_id,
    )
    is_contracted = {o.offer_id: counts_for(o, municipality, today) for o in relevant}
    contracted = [o for o in relevant if is_contracted[o.offer_id]]
    finding: Finding
    available = any(available_within_norm(o.figures, norm, now) for o in contracted)
    evidence = (
        tuple(evidence_for(o.offer_id, o.figures, norm, now) for o in contracted)
        if explain or not available
        else ()
    )
    if not contracted:
        finding, reason_code = "no_contract", NO_CONTRACTED_OFFER
    elif available:
        finding, reason_code = "available", CONTRACTED_WITHIN_NORM
    elif any(item.reason_code in UNKNOWN_REASONS for item in evidence):
        # An offer without a fresh, complete figure might start within the norm: saying
        # there is a shortage would state what the figures do not show.
        finding, reason_code = "unknown", FIGURES_UNKNOWN
    else:
        finding, reason_code = "shortage", NONE_WITHIN_NORM
    leerjaren: tuple[int, ...] = ()
    if finding != "shortage" and any(o.by_leerjaar for o in contracted):
        # The best leerjaar must not hide the others: a school open in leerjaar 1 and 80
        # weeks in leerjaar 3 leaves leerjaar 3 without a place.
        short = _leerjaar_shortages(contracted, norm, now)
        if short:
            leerjaren = tuple(short)
            finding, reason_code = "shortage", NONE_WITHIN_NORM
            evidence = tuple(item for items in short.values() for item in items)
    alternatives: tuple[Alternative, ...] = ()
    if kind == "pgb_route":
        # Listed even while closed, so a page can show them; the signal decides on `open`.
        others = [o for o in relevant if not is_contracted[o.offer_id]]
        alternatives = _alternatives(
            municipality, others, norm, pgb_tariff, now=now, max_distance_km=max_distance_km
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
        pgb_tariff=pgb_tariff if kind == "pgb_route" else None,
        leerjaren=leerjaren,
    )


def _leerjaar_shortages(
    supply: Sequence[CandidateOffer], norm: Norm, now: datetime
) -> dict[int, tuple[Evidence, ...]]:
    """The leerjaren that schools publish separately and in which, by fresh and complete
    figures, none of `supply` taking children in it can start within the norm; with the
    evidence of each."""
    published = sorted({number for o in supply for number, _ in o.by_leerjaar})
    short: dict[int, tuple[Evidence, ...]] = {}
    for number in published:
        evidence = tuple(
            evidence_for(o.offer_id, figures, norm, now, leerjaar=number)
            for o in supply
            for takes, figures in [o.figures_for(number)]
            if takes
        )
        if evidence and not any(
            item.available or item.reason_code in UNKNOWN_REASONS for item in evidence
        ):
            short[number] = evidence
    return short


def _alternatives(
    municipality: MunicipalityPoint,
    others: Sequence[CandidateOffer],
    norm: Norm,
    pgb_tariff: PgbTariff | None,
    *,
    now: datetime,
    max_distance_km: float,
) -> tuple[Alternative, ...]:
    if municipality.lat is None or municipality.lon is None:
        return ()  # no point to measure from: no offer can be shown to lie near enough
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
        cost = pgb_cost(offer.tariff_cents, offer.tariff_unit, pgb_tariff)
        found.append(
            Alternative(
                offer_id=offer.offer_id,
                status=figures.status.value,
                open_places=figures.open_places,
                total_wait_weeks=total,
                distance_km=round(distance, 1),
                tariff_cents=offer.tariff_cents,
                tariff_unit=offer.tariff_unit,
                pgb_tariff_cents=cost.pgb_tariff_cents,
                pgb_pays_cents=cost.pgb_pays_cents,
                parents_pay_cents=cost.parents_pay_cents,
                above_pgb_tariff=cost.above_pgb_tariff,
            )
        )
    found.sort(key=_soonest)
    return tuple(found)


def _soonest(alternative: Alternative) -> tuple[int, float, int]:
    """Open places first, then the shortest wait, then the nearest; the rounded distance,
    so offers that show the same distance fall back to id order."""
    places = alternative.status == AvailabilityStatus.OPEN.value and bool(alternative.open_places)
    wait = 0 if places else alternative.total_wait_weeks or 0
    return wait, alternative.distance_km, alternative.offer_id


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
