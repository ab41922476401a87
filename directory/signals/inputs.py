"""What a signal evaluation reads from the catalogue, in a few bulk queries: municipalities
with their regions, norms, and the candidate offers of each category with their headline
figure, contract terms, coordinates and tariffs (`directory.signals.rules.CandidateOffer`).
Which offers are candidates is `directory.signals.candidates`."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.catalogue.figures import figure_rows, figures_by_offer
from directory.catalogue.models import (
    Contract,
    CurrentAvailability,
    Location,
    Offer,
    Organisation,
    WaitingNorm,
    offer_location,
)
from directory.catalogue.rules import (
    Figures,
    Headline,
    NormRow,
    ScopedFigures,
    category_key,
    headline,
    leerjaar_headline,
    taught_leerjaren,
)
from directory.db import CHUNK
from directory.enums import OfferKind
from directory.reference.models import Municipality, swv_municipality
from directory.signals.candidates import (
    KM_PER_DEGREE,
    SKIPPED_IJW_CATEGORIES,
    bounding_box,
    candidate_offers,
    category_condition,
)
from directory.signals.models import PgbTariffSetting
from directory.signals.rules import CandidateOffer, ContractTerm, MunicipalityPoint
from directory.signals.tariffs import PgbTariffRow

MAX_LISTED = 20_000
R = TypeVar("R")
# The categories no signal is about (`candidates.SKIPPED_IJW_CATEGORIES`), as keys.
SKIPPED_CATEGORIES = frozenset(f"ijw:{code}" for code in SKIPPED_IJW_CATEGORIES)


def is_category(category: str) -> bool:
    """Whether `category` is a category key signals can be about."""
    try:
        category_condition(category)
    except ValueError:
        return False
    return True


# --- evaluation -----------------------------------------------------------------------


class NearbyOffers:
    """Offers in square cells of about the search radius, to find the near ones fast."""

    def __init__(self, radius_km: float) -> None:
        self.radius_km = radius_km
        self.step = max(radius_km, 1.0) / KM_PER_DEGREE  # degrees per cell, both axes
        self.cells: dict[tuple[int, int], list[CandidateOffer]] = defaultdict(list)

    def add(self, offer: CandidateOffer, lat: float, lon: float) -> None:
        self.cells[(math.floor(lat / self.step), math.floor(lon / self.step))].append(offer)

    def around(self, lat: float, lon: float) -> list[CandidateOffer]:
        """Every offer within the radius of (lat, lon), and some beyond it."""
        south, north, west, east = bounding_box(lat, lon, self.radius_km)
        found: list[CandidateOffer] = []
        for row in range(math.floor(south / self.step), math.floor(north / self.step) + 1):
            for column in range(math.floor(west / self.step), math.floor(east / self.step) + 1):
                found.extend(self.cells.get((row, column), ()))
        return found


# --- loading --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Municipalities:
    """Every municipality's point, its jeugdregio, and each jeugdregio's current members
    (a regional contract counts for those; a merged municipality is no member any more)."""

    points: dict[str, MunicipalityPoint]
    regions: dict[str, str | None]
    members: dict[str, set[str]]


def load_municipalities(session: Session) -> Municipalities:
    found = Municipalities({}, {}, defaultdict(set))
    query = select(
        Municipality.code,
        Municipality.jeugdregio_code,
        Municipality.lat,
        Municipality.lon,
        Municipality.valid_to,
    )
    for code, region, lat, lon, valid_to in session.execute(query):
        found.points[code] = MunicipalityPoint(code, lat, lon, region)
        found.regions[code] = region
        if region is not None and valid_to is None:
            found.members[region].add(code)
    return found


def load_norms(session: Session) -> dict[str, list[NormRow]]:
    """The waiting norms municipalities, jeugdregio's and the country set, by category."""
    return _by_category(
        session,
        NormRow,
        WaitingNorm.category,
        WaitingNorm.municipality_code,
        WaitingNorm.jeugdregio_code,
        WaitingNorm.intake_weeks,
        WaitingNorm.treatment_weeks,
    )


def load_pgb_tariffs(session: Session) -> dict[str, list[PgbTariffRow]]:
    """The PGB tariffs municipalities and jeugdregio's set, by category."""
    return _by_category(
        session,
        PgbTariffRow,
        PgbTariffSetting.category,
        PgbTariffSetting.municipality_code,
        PgbTariffSetting.jeugdregio_code,
        PgbTariffSetting.cents,
        PgbTariffSetting.unit,
    )


def _by_category(session: Session, row: Callable[..., R], *columns: Any) -> dict[str, list[R]]:
    """`row` made of each row of `columns` (the category first), by category."""
    found: dict[str, list[R]] = defaultdict(list)
    for values in session.execute(select(*columns)):
        found[values[0]].append(row(*values))
    return found


def category_of(offer: Any) -> str | None:
    """The category key (`rules.category_key`) of an offer or a row with its columns; None
    when the offer lacks what its key needs (it then has no norm and no signal)."""
    try:
        return category_key(
            offer.kind,
            ijw_category=offer.ijw_category,
            day_programme_type=offer.day_programme_type,
            cluster=offer.cluster,
            school_type=offer.school_type,
        )
    except ValueError:
        return None


def offer_categories(session: Session, offer_ids: Iterable[int]) -> dict[int, str]:
    """The category key of each offer that has one (see `category_of`)."""
    ids = sorted(set(offer_ids))
    found: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        for row in session.execute(
            select(
                Offer.id,
                Offer.kind,
                Offer.ijw_category,
                Offer.day_programme_type,
                Offer.cluster,
                Offer.school_type,
            ).where(Offer.id.in_(ids[start : start + CHUNK]))
        ):
            category = category_of(row)
            if category is not None:
                found[row.id] = category
    return found


def load_candidates(
    session: Session,
    *,
    now: datetime,
    today: date,
    municipalities: list[MunicipalityPoint] | None,
    categories: Collection[str] | None,
    max_distance_km: float,
) -> list[CandidateOffer]:
    """The offers an evaluation can use (`candidates.candidate_offers`: those contracted
    by a municipality in scope, and those that might be a PGB alternative near one), with
    what the rules read of each."""
    wanted = candidate_offers(
        now=now,
        today=today,
        municipalities=municipalities,
        categories=categories,
        max_distance_km=max_distance_km,
    )
    found = list(session.scalars(wanted))
    # An incremental run names its few offers (in chunks); a full run selects them again in
    # each query below, which is cheaper than binding tens of thousands of ids.
    batches: list[Any] = (
        [found[i : i + CHUNK] for i in range(0, len(found), CHUNK)]
        if len(found) <= MAX_LISTED
        else [wanted]
    )

    # Plain column rows: through the connection they skip the ORM's row loading, which
    # costs about a second at 100,000 offers and gives nothing here.
    connection = session.connection()

    def each(build: Callable[[Any], Any]) -> Iterator[Any]:
        for ids in batches:
            yield from connection.execute(build(ids)).all()

    figures = figures_by_offer(
        each(lambda ids: figure_rows().where(CurrentAvailability.offer_id.in_(ids)))
    )
    terms: dict[int, list[ContractTerm]] = defaultdict(list)
    for offer_id, code, region, kind, valid_from, valid_to in each(
        lambda ids: select(
            Contract.offer_id,
            Contract.municipality_code,
            Contract.jeugdregio_code,
            Contract.kind,
            Contract.valid_from,
            Contract.valid_to,
        ).where(Contract.offer_id.in_(ids))
    ):
        terms[offer_id].append(ContractTerm(code, valid_from, valid_to, kind, region))
    main: dict[int, tuple[float | None, float | None]] = {}
    located: dict[int, set[str]] = defaultdict(set)
    for offer_id, code, lat, lon in each(
        lambda ids: (
            select(
                offer_location.c.offer_id, Location.municipality_code, Location.lat, Location.lon
            )
            .join(Location, Location.id == offer_location.c.location_id)
            .where(offer_location.c.offer_id.in_(ids), Location.deleted_at.is_(None))
            .order_by(offer_location.c.offer_id, Location.id)
        )
    ):
        main.setdefault(offer_id, (lat, lon))  # the first location is the main one
        located[offer_id].add(code)
    for offer_id, code in each(
        lambda ids: (
            select(Offer.id, swv_municipality.c.municipality_code)
            .join(Organisation, Organisation.id == Offer.organisation_id)
            .join(swv_municipality, swv_municipality.c.swv_code == Organisation.swv_code)
            .where(Offer.id.in_(ids), Offer.kind == OfferKind.SPECIAL_EDUCATION)
        )
    ):
        located[offer_id].add(code)

    taught = {
        offer_id: taught_leerjaren(leerjaren or (), school_type)
        for offer_id, leerjaren, school_type in each(
            lambda ids: select(Offer.id, Offer.leerjaren, Offer.school_type).where(
                Offer.id.in_(ids), Offer.kind == OfferKind.SPECIAL_EDUCATION
            )
        )
    }

    candidates = []
    for row in each(
        lambda ids: select(
            Offer.id,
            Offer.kind,
            Offer.ijw_category,
            Offer.day_programme_type,
            Offer.cluster,
            Offer.school_type,
            Offer.accepts_pgb,
            Offer.tariff_cents,
            Offer.tariff_unit,
            Offer.min_age,
            Offer.max_age,
        ).where(Offer.id.in_(ids))
    ):
        lat, lon = main.get(row.id, (None, None))
        candidates.append(
            CandidateOffer(
                offer_id=row.id,
                category=category_key(
                    row.kind,
                    ijw_category=row.ijw_category,
                    day_programme_type=row.day_programme_type,
                    cluster=row.cluster,
                    school_type=row.school_type,
                ),
                kind=row.kind,
                figures=_headline_figures(figures.get(row.id, []), now),
                accepts_pgb=row.accepts_pgb,
                tariff_cents=row.tariff_cents,
                tariff_unit=row.tariff_unit,
                lat=lat,
                lon=lon,
                min_age=row.min_age,
                max_age=row.max_age,
                contracts=tuple(terms.get(row.id, ())),
                serves=(
                    frozenset(located.get(row.id, ()))
                    if row.kind is OfferKind.SPECIAL_EDUCATION
                    else frozenset()
                ),
                leerjaren=taught.get(row.id, ()),
                by_leerjaar=(
                    _by_leerjaar(figures.get(row.id, []), taught[row.id], now)
                    if row.id in taught
                    else ()
                ),
            )
        )
    return candidates


def _by_leerjaar(
    scoped: list[ScopedFigures], taught: tuple[int, ...], now: datetime
) -> tuple[tuple[int, Figures | None], ...]:
    """Each leerjaar's own figure, for a school that publishes per leerjaar (none else)."""
    if not any("leerjaar:" in figure.scope for figure in scoped):
        return ()
    numbers = taught or sorted(
        {int(f.scope.rpartition("leerjaar:")[2]) for f in scoped if "leerjaar:" in f.scope}
    )
    return tuple(
        (number, _figures(leerjaar_headline(scoped, number, now, leerjaren=taught)))
        for number in numbers
    )


def _headline_figures(scoped: list[ScopedFigures], now: datetime) -> Figures | None:
    """The headline figure as the rule sees it; most offers publish one offer-wide figure,
    which is its own headline (read directly: this runs for every offer)."""
    if len(scoped) == 1 and scoped[0].scope == "offer":
        only = scoped[0]
        return Figures(
            only.status,
            only.open_places,
            only.intake_wait_weeks,
            only.treatment_wait_weeks,
            only.valid_until,
        )
    return _figures(headline(scoped, now))


def _figures(top: Headline | None) -> Figures | None:
    """A headline figure as the rule sees it. The headline keeps only the total wait, so
    it is handed on as intake = total, treatment = 0: the rule looks at the total."""
    if top is None:
        return None
    total = top.total_wait_weeks
    return Figures(
        top.status, top.open_places, total, None if total is None else 0, top.valid_until
    )
