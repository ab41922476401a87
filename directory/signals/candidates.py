"""Which offers a signal evaluation may use, as SQL: those contracted by a municipality in
scope, the school places located in or covered for one, and the possible PGB alternatives
near one (accepting PGB, with a fresh figure that is not closed); of the categories asked
for. `directory.signals.inputs` loads what the evaluation needs of them."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select

from directory.catalogue.figures import current_reports
from directory.catalogue.models import (
    AvailabilityReport,
    Contract,
    CurrentAvailability,
    Location,
    Offer,
    Organisation,
    offer_location,
)
from directory.enums import AvailabilityStatus, DayProgrammeType, OfferKind, SchoolType
from directory.reference.models import swv_municipality
from directory.signals.rules import MunicipalityPoint

KM_PER_DEGREE = 111.19  # of latitude, on the sphere geo.distance_km uses
BOX_MARGIN = 1.1  # bounding boxes a little wide, so they never cut off a near offer
# Beyond this many municipalities one bounding box around all of them is cheaper in SQL.
MAX_BOXES = 20
IJW_CODES = frozenset(str(code) for code in range(40, 56))
# Jeugdreclassering and jeugdbescherming are ordered by a court, landelijk ingekochte zorg
# is bought nationally: no municipality's waiting gap, no PGB route.
SKIPPED_IJW_CATEGORIES = (47, 48, 55)


def candidate_offers(
    *,
    now: datetime,
    today: date,
    municipalities: list[MunicipalityPoint] | None,
    categories: Collection[str] | None,
    max_distance_km: float,
) -> Select[int]:
    """SQL: the ids of the live offers an evaluation can use (None: every municipality,
    every category)."""
    contracts = select(Contract.offer_id).where(Contract.in_force(today))
    schools = Offer.kind == OfferKind.SPECIAL_EDUCATION
    if municipalities is not None:
        codes = sorted(point.code for point in municipalities)
        contracts = contracts.where(Contract.bought_for(codes))
        schools = and_(schools, or_(_located_in(codes), _swv_covers(codes)))
    fresh = current_reports(CurrentAvailability.offer_id).where(
        CurrentAvailability.offer_id == Offer.id,
        AvailabilityReport.valid_until > now,
        AvailabilityReport.status != AvailabilityStatus.CLOSED,
    )
    pgb = and_(
        Offer.accepts_pgb.is_(True), Offer.kind != OfferKind.SPECIAL_EDUCATION, exists(fresh)
    )
    if municipalities is not None:
        pgb = and_(pgb, _near_any(municipalities, max_distance_km))
    wanted = select(Offer.id).where(
        Offer.deleted_at.is_(None),
        or_(Offer.ijw_category.is_(None), Offer.ijw_category.not_in(SKIPPED_IJW_CATEGORIES)),
        or_(Offer.id.in_(contracts), schools, pgb),
    )
    if categories is not None:
        wanted = wanted.where(or_(*(category_condition(c) for c in sorted(categories))))
    return wanted


def category_condition(category: str) -> ColumnElement[bool]:
    """The offers of a category key (see `rules.category_key`); ValueError when unknown."""
    family, _, rest = category.partition(":")
    if family == "ijw" and rest in IJW_CODES:
        return and_(Offer.kind == OfferKind.YOUTH_CARE, Offer.ijw_category == int(rest))
    if family == "day_programme":
        programme = DayProgrammeType(rest)
        return and_(Offer.kind == OfferKind.DAY_PROGRAMME, Offer.day_programme_type == programme)
    if family == "education":
        if rest == "sbo":
            return Offer.school_type == SchoolType.SBO
        cluster, _, school_type = rest.partition(":")
        number = cluster.removeprefix("cluster-")
        if (
            cluster.startswith("cluster-")
            and number in {"1", "2", "3", "4"}
            and school_type in (SchoolType.SO, SchoolType.VSO)
        ):
            return and_(Offer.cluster == int(number), Offer.school_type == SchoolType(school_type))
    raise ValueError(f"unknown category {category!r}")


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) in degrees, holding every point within the radius."""
    half_lat = radius_km * BOX_MARGIN / KM_PER_DEGREE
    widest = math.cos(math.radians(min(89.0, abs(lat) + half_lat)))
    half_lon = min(180.0, half_lat / widest)
    return lat - half_lat, lat + half_lat, lon - half_lon, lon + half_lon


def _located_in(codes: list[str]) -> ColumnElement[bool]:
    return exists(
        select(offer_location.c.offer_id)
        .join(Location, Location.id == offer_location.c.location_id)
        .where(
            offer_location.c.offer_id == Offer.id,
            Location.deleted_at.is_(None),
            Location.municipality_code.in_(codes),
        )
    )


def _swv_covers(codes: list[str]) -> ColumnElement[bool]:
    return exists(
        select(Organisation.id)
        .join(swv_municipality, swv_municipality.c.swv_code == Organisation.swv_code)
        .where(
            Organisation.id == Offer.organisation_id,
            swv_municipality.c.municipality_code.in_(codes),
        )
    )


def _near_any(points: Iterable[MunicipalityPoint], radius_km: float) -> ColumnElement[bool]:
    """SQL: the offer has a location in the bounding box of one of the points."""
    boxes = [
        bounding_box(point.lat, point.lon, radius_km)
        for point in points
        if point.lat is not None and point.lon is not None
    ]
    if not boxes:
        return false()
    if len(boxes) > MAX_BOXES:
        boxes = [
            (
                min(box[0] for box in boxes),
                max(box[1] for box in boxes),
                min(box[2] for box in boxes),
                max(box[3] for box in boxes),
            )
        ]
    located = (
        select(offer_location.c.offer_id)
        .join(Location, Location.id == offer_location.c.location_id)
        .where(
            offer_location.c.offer_id == Offer.id,
            Location.deleted_at.is_(None),
            or_(
                *(
                    and_(Location.lat.between(south, north), Location.lon.between(west, east))
                    for south, north, west, east in boxes
                )
            ),
        )
    )
    return exists(located)
