"""The one query model: what `GET /api/v1/offers` asks, and what every backend answers.

Semantics (the contract suite holds every backend to them):
- filters combine with AND; repeatable ones (`kinds`, `clusters`, `ijw_categories`) with OR
  among their values;
- a figure past its `valid_until` is unknown: such offers never pass `max_wait_weeks` or
  `has_places=true`, report status "unknown", and sort last by `wait`;
- facets count the whole result set (all filters applied), with an explicit "none" bucket
  for offers without the attribute and "unknown" for the status of stale or missing figures;
- totals are exact; every sort ends with the offer id, so pages never repeat or skip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from directory import geo
from directory.enums import OfferKind

MAX_PER_PAGE = 100
FACETS = ("kind", "cluster", "ijw_category", "municipality", "status")
NONE_BUCKET = "none"
UNKNOWN_STATUS = "unknown"


class Sort(StrEnum):
    RELEVANCE = "relevance"  # best text match first; without `q`, by id
    WAIT = "wait"  # shortest known total wait first; unknown and stale last
    DISTANCE = "distance"  # nearest first (needs a point); offers without coordinates last
    UPDATED = "updated"  # newest figure first; offers without figures last


@dataclass(frozen=True, slots=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A search, with `near` already resolved to a point (see `search.places`)."""

    q: str = ""
    kinds: tuple[OfferKind, ...] = ()
    clusters: tuple[int, ...] = ()
    ijw_categories: tuple[int, ...] = ()
    age: int | None = None
    municipality: str | None = None  # where the offer has a location (CBS code)
    contracted_by: str | None = None  # a municipality with a zorg-in-natura contract (CBS code)
    max_wait_weeks: int | None = None
    has_places: bool | None = None
    accepts_pgb: bool | None = None
    near: Point | None = None
    radius_km: float | None = None  # only with `near`
    sort: Sort = Sort.RELEVANCE
    page: int = 1
    per_page: int = 20


@dataclass(frozen=True, slots=True)
class Hit:
    """One offer in a result, with its headline figure as of the query's `now`."""

    id: int
    name: str
    kind: OfferKind
    organisation: str
    municipality: str | None  # of the offer's main location
    status: str  # an AvailabilityStatus value, or "unknown" when stale or missing
    open_places: int | None  # None when unknown
    total_wait_weeks: int | None  # None when unknown or stale
    measured_at: datetime | None
    stale: bool
    distance_km: float | None = None  # only when the query has `near`


def judged_hit(
    *,
    id: int,
    name: str,
    kind: OfferKind,
    organisation: str,
    municipality: str | None,
    status: str | None,
    open_places: int | None,
    total_wait_weeks: int | None,
    measured_at: datetime | None,
    valid_until: datetime | None,
    now: datetime,
    near: Point | None = None,
    lat: float | None = None,
    lon: float | None = None,
) -> Hit:
    """A hit from a stored document, its figure judged at `now`: past `valid_until` (or
    without a figure) the status is unknown and places and wait are unknown too. With a
    `near` point, the distance to (`lat`, `lon`) when the offer has coordinates. Every
    backend builds its hits here, so they judge freshness and distance alike (Meilisearch's
    own `_geoDistance` is whole metres, and given only when sorting by distance)."""
    fresh = valid_until is not None and valid_until > now
    distance = None
    if near is not None and lat is not None and lon is not None:
        distance = round(geo.distance_km(near.lat, near.lon, lat, lon), 1)
    return Hit(
        id=id,
        name=name,
        kind=kind,
        organisation=organisation,
        municipality=municipality,
        status=status if fresh and status is not None else UNKNOWN_STATUS,
        open_places=open_places if fresh else None,
        total_wait_weeks=total_wait_weeks if fresh else None,
        measured_at=measured_at,
        stale=valid_until is not None and not fresh,
        distance_km=distance,
    )


@dataclass(frozen=True, slots=True)
class SearchResult:
    items: list[Hit]
    total: int
    page: int
    per_page: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    degraded: bool = False  # True when answered by the database fallback
