"""The public JSON API: search offers and read one offer (no key, CORS open, cached
briefly)."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from search.params import parse_query
from search.places import resolve_near
from search.query import Point, SearchQuery, SearchResult
from search.service import Search
from web.api import offer_detail
from web.api.public_schemas import OfferHit, SearchAnswer
from web.kit.http import json_response, now_of, path_id, transact
from web.kit.ratelimit import count_public_read

CACHE = {"Cache-Control": "public, max-age=30"}


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


def search_of(request: Request) -> Search:
    search: Search = request.app.state.search
    return search


async def search_offers(request: Request) -> Response:
    """`GET /api/v1/offers`: search with filters, facets and sorting."""
    now = now_of(request)
    count_public_read(request)
    query, near = parse_query(request.query_params)

    def work(session: Session) -> dict[str, Any]:
        point: Point | None = resolve_near(session, near) if near else None
        located = dataclasses.replace(query, near=point)
        return result_json(search_of(request).search(located, now, session), located)

    return JSONResponse(await transact(request, work, read_only=True), headers=CACHE)


async def get_offer(request: Request) -> Response:
    """`GET /api/v1/offers/{id}`: one offer with locations, figures, contracts, history."""
    now = now_of(request)
    count_public_read(request)
    offer_id = path_id(request)

    def work(session: Session) -> dict[str, Any]:
        return offer_detail.offer_json(session, offer_id, now)

    return json_response(await transact(request, work, read_only=True), headers=CACHE)


routes = [
    Route("/api/v1/offers", search_offers, methods=["GET"]),
    Route("/api/v1/offers/{id:int}", get_offer, methods=["GET"]),
]
