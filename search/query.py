"""The one query model: what `GET /api/v1/offers` asks, and what every backend answers.

Semantics (the contract suite holds every backend to them):
- filters combine with AND; repeatable ones (`kinds`, `clusters`, `ijw_categories`) with OR
  among their values;
- a figure past its `valid_until` is unknown: such offers never pass `max_wait_weeks` or
  `has_places=true`, report status "unknown", and sort last by `wait`;
- with a `leerjaar` (groep 1-8 of SO and SBO, leerjaar 1-6 of VSO), only offers that take
  children in it are found (`directory.catalogue.rules.taught_leerjaren`: the leerjaren an
  offer lists, or every one of a school place's type when it lists none; care and day
  programmes that list none are left out), and each one's figure is that leerjaar's own
  (`rules.leerjaar_headline`): status, places, wait and thus `has_places`,
  `max_wait_weeks`, the status facet and the `wait` and `updated` sorts all read it;
- without a `leerjaar` the figure is the offer's headline (`rules.headline`): the best
  any leerjaar can offer, so a filter finds an offer when one of its leerjaren passes;
  when its leerjaren differ (as of `now`), the hit lists each one (`Hit.by_leerjaar`) so
  no one reads the best as the offer's only figure;
- facets count the whole result set (all filters applied), with an explicit "none" bucket
  for offers without the attribute and "unknown" for the status of stale or missing figures;
- totals are exact; every sort ends with the offer id, so pages never repeat or skip.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

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
    leerjaar: int | None = None  # groep (SO, SBO) or leerjaar (VSO); see the module docstring
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


class LeerjaarFigure(NamedTuple):
    """One leerjaar's figure as a document stores it (`rules.leerjaar_headline`); `status`
    is None when nothing was published for the leerjaar."""

    leerjaar: int
    status: str | None  # an AvailabilityStatus value
    open_places: int | None
    total_wait_weeks: int | None
    measured_at: datetime | None
    valid_until: datetime | None


@dataclass(frozen=True, slots=True)
class LeerjaarHit:
    """One leerjaar's figure in a hit, judged at the query's `now` as the hit is."""

    leerjaar: int
    status: str  # an AvailabilityStatus value, or "unknown" when stale or missing
    open_places: int | None
    total_wait_weeks: int | None
    stale: bool


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
    # Asked without a leerjaar, of an offer whose leerjaren differ: each one's figure. The
    # hit's own figure is then the best of them and must not be shown alone.
    by_leerjaar: tuple[LeerjaarHit, ...] = ()

    @property
    def varies_by_leerjaar(self) -> bool:
        return bool(self.by_leerjaar)


def judged_leerjaren(figures: Sequence[LeerjaarFigure], now: datetime) -> tuple[LeerjaarHit, ...]:
    """Each leerjaar's figure judged at `now` (as `judged_hit` judges), when they differ in
    status, wait, having places, or being known; empty when they all say the same."""
    judged = []
    for figure in figures:
        fresh = figure.valid_until is not None and figure.valid_until > now
        judged.append(
            LeerjaarHit(
                leerjaar=figure.leerjaar,
                status=figure.status if fresh and figure.status is not None else UNKNOWN_STATUS,
                open_places=figure.open_places if fresh else None,
                total_wait_weeks=figure.total_wait_weeks if fresh else None,
                stale=figure.valid_until is not None and not fresh,
            )
        )
    said = {(hit.status, hit.total_wait_weeks, bool(hit.open_places)) for hit in judged}
    return tuple(judged) if len(said) > 1 else ()


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
    leerjaar_figures: Sequence[LeerjaarFigure] = (),
) -> Hit:
    """A hit from a stored document, its figure judged at `now`: past `valid_until` (or
    without a figure) the status is unknown and places and wait are unknown too. With a
    `near` point, the distance to (`lat`, `lon`) when the offer has coordinates. Every
    backend builds its hits here, so they judge freshness and distance alike (Meilisearch's
    own `_geoDistance` is whole metres, and given only when sorting by distance). Without a
    leerjaar asked, `leerjaar_figures` are the document's (`judged_leerjaren`); with one,
    the figure given is that leerjaar's and `leerjaar_figures` stays empty."""
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
        by_leerjaar=judged_leerjaren(leerjaar_figures, now),
    )


@dataclass(frozen=True, slots=True)
class SearchResult:
    items: list[Hit]
    total: int
    page: int
    per_page: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    degraded: bool = False  # True when answered by the database fallback
