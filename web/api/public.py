"""The public JSON API: search offers and read one offer (no key, CORS open, cached
briefly)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from directory.enums import OfferKind
from directory.errors import InvalidDataError, InvalidParam
from search.places import resolve_near
from search.query import MAX_PER_PAGE, Point, SearchQuery, SearchResult, Sort
from search.service import Search
from web.api import offer_detail
from web.api.public_schemas import OfferHit, SearchAnswer
from web.kit.http import client_address, json_response, now_of, path_id, transact
from web.kit.ratelimit import RateLimiter

T = TypeVar("T")
CACHE = {"Cache-Control": "public, max-age=30"}
MUNICIPALITY = re.compile(r"^GM[0-9]{4}$")
DIGITS = re.compile(r"-?[0-9]{1,9}")
BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


class _Reader:
    """Reads query parameters, collecting every problem instead of stopping at the first."""

    def __init__(self, params: QueryParams) -> None:
        self.params = params
        self.problems: list[InvalidParam] = []

    def many(self, name: str, parse: Callable[[str], T], hint: str) -> tuple[T, ...]:
        values = []
        for raw in self.params.getlist(name):
            for part in raw.split(","):
                try:
                    values.append(parse(part.strip()))
                except ValueError:
                    self.problems.append(InvalidParam(name, f"{part!r}: {hint}"))
        return tuple(dict.fromkeys(values))

    def one(self, name: str, parse: Callable[[str], T], hint: str) -> T | None:
        raw = self.params.get(name)
        if raw is None or raw == "":
            return None
        try:
            return parse(raw.strip())
        except ValueError:
            self.problems.append(InvalidParam(name, f"{raw!r}: {hint}"))
            return None


def _int_between(low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        # int() also takes "١٠" and " 10 ": only ASCII digits are a number here.
        if not DIGITS.fullmatch(raw):
            raise ValueError(raw)
        value = int(raw)
        if not low <= value <= high:
            raise ValueError(raw)
        return value

    return parse


def _float_between(low: float, high: float) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        value = float(raw)
        if not low <= value <= high:
            raise ValueError(raw)
        return value

    return parse


def _boolean(raw: str) -> bool:
    return BOOLEANS[raw.lower()] if raw.lower() in BOOLEANS else _raise(raw)


def _municipality(raw: str) -> str:
    return raw.upper() if MUNICIPALITY.match(raw.upper()) else _raise(raw)


def _raise(raw: str) -> Any:
    raise ValueError(raw)


def parse_query(params: QueryParams) -> tuple[SearchQuery, str | None]:
    """The SearchQuery a request asks for, and its `near` text still to be resolved."""
    read = _Reader(params)
    kinds = read.many("kind", OfferKind, "one of " + ", ".join(kind.value for kind in OfferKind))
    clusters = read.many("cluster", _int_between(1, 4), "a cluster from 1 to 4")
    categories = read.many("ijw_category", _int_between(40, 55), "an iJw category 40-55")
    age = read.one("age", _int_between(0, 30), "an age from 0 to 30")
    municipality = read.one("municipality", _municipality, "a CBS code like GM0599")
    contracted_by = read.one("contracted_by", _municipality, "a CBS code like GM0599")
    max_wait = read.one("max_wait_weeks", _int_between(0, 520), "weeks from 0 to 520")
    has_places = read.one("has_places", _boolean, "true or false")
    accepts_pgb = read.one("accepts_pgb", _boolean, "true or false")
    radius = read.one("radius_km", _float_between(0.1, 500), "kilometres from 0.1 to 500")
    sort = read.one("sort", Sort, "one of " + ", ".join(sort.value for sort in Sort))
    page = read.one("page", _int_between(1, 100_000), "a page number from 1")
    per_page = read.one("per_page", _int_between(1, MAX_PER_PAGE), f"1 to {MAX_PER_PAGE}")
    near = (params.get("near") or "").strip() or None
    if near is None and radius is not None:
        read.problems.append(InvalidParam("radius_km", "needs near"))
    if near is None and sort is Sort.DISTANCE:
        read.problems.append(InvalidParam("sort", "distance needs near"))
    q = (params.get("q") or "").strip()
    if len(q) > 200:
        read.problems.append(InvalidParam("q", "at most 200 characters"))
    for name, text in (("q", q), ("near", near or "")):
        if "\x00" in text:
            read.problems.append(InvalidParam(name, "must not contain NUL characters"))
    if read.problems:
        raise InvalidDataError("the search parameters are not valid", read.problems)
    query = SearchQuery(
        q=q,
        kinds=kinds,
        clusters=clusters,
        ijw_categories=categories,
        age=age,
        municipality=municipality,
        contracted_by=contracted_by,
        max_wait_weeks=max_wait,
        has_places=has_places,
        accepts_pgb=accepts_pgb,
        radius_km=radius,
        sort=sort or Sort.RELEVANCE,
        page=page or 1,
        per_page=per_page or 20,
    )
    return query, near


def result_json(result: SearchResult, query: SearchQuery) -> dict[str, Any]:
    """The answer of `GET /api/v1/offers` (DESIGN.md, "Interfaces"); `distance_km` only
    when the query has a point."""
    answer = SearchAnswer(
        items=[OfferHit.model_validate(hit, from_attributes=True) for hit in result.items],
        total=result.total,
        page=result.page,
        per_page=result.per_page,
        facets=result.facets,
        degraded=result.degraded,
    )
    exclude = None if query.near is not None else {"items": {"__all__": {"distance_km"}}}
    return answer.model_dump(mode="json", exclude=exclude)


def count_request(request: Request) -> None:
    """Count a read against the caller's address (429 with Retry-After past the limit)."""
    limiter: RateLimiter = request.app.state.public_limiter
    limiter.hit(f"ip:{client_address(request)}", now_of(request))


def search_of(request: Request) -> Search:
    search: Search = request.app.state.search
    return search


async def search_offers(request: Request) -> Response:
    """`GET /api/v1/offers`: search with filters, facets and sorting."""
    now = now_of(request)
    count_request(request)
    query, near = parse_query(request.query_params)

    def work(session: Session) -> dict[str, Any]:
        point: Point | None = resolve_near(session, near) if near else None
        located = dataclasses.replace(query, near=point)
        return result_json(search_of(request).search(located, now), located)

    return JSONResponse(await transact(request, work, read_only=True), headers=CACHE)


async def get_offer(request: Request) -> Response:
    """`GET /api/v1/offers/{id}`: one offer with locations, figures, contracts, history."""
    now = now_of(request)
    count_request(request)
    offer_id = path_id(request)

    def work(session: Session) -> dict[str, Any]:
        return offer_detail.offer_json(session, offer_id, now)

    return json_response(await transact(request, work, read_only=True), headers=CACHE)


routes = [
    Route("/api/v1/offers", search_offers, methods=["GET"]),
    Route("/api/v1/offers/{id:int}", get_offer, methods=["GET"]),
]
