"""Waiting-list positions over HTTP: providers publish lists, parents look up a place.

The lookup is public (no key) and counted per client address, because it is the one
place where someone could try codes until one fits.
"""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from directory.errors import InvalidDataError, InvalidParam
from providers import waitlist
from providers.http import json_body, json_response, now_of, parse_model, transact
from providers.ratelimit import RateLimiter
from providers.routes import PREFIX, client_for, path_id, throttle
from providers.schemas import ReferencesOut, WaitlistIn, WaitlistOut, WaitlistPosition

SCOPE = "waitlist:write"


async def replace_waitlist(request: Request) -> Response:
    throttle(request)
    body = await json_body(request)
    now = now_of(request)

    def work(session: Session) -> WaitlistOut:
        client = client_for(request, session, SCOPE)
        entries = parse_model(WaitlistIn, body)
        offer_id = path_id(request)
        count = waitlist.replace_waitlist(session, client, offer_id, entries, now)
        return WaitlistOut(offer_id=offer_id, entries=count, updated_at=now)

    return json_response(await transact(request, work))


def count_param(request: Request) -> int:
    """`count` from the query string: 1 to waitlist.MAX_MINT, default 1."""
    raw = request.query_params.get("count", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= waitlist.MAX_MINT:
        raise InvalidDataError(
            "bad count", [InvalidParam("count", f"a whole number from 1 to {waitlist.MAX_MINT}")]
        )
    return int(raw)


async def mint_references(request: Request) -> Response:
    throttle(request)

    def work(session: Session) -> ReferencesOut:
        client_for(request, session, SCOPE)
        # Checked after the key, like bodies: no answer without a valid key.
        count = count_param(request)
        return ReferencesOut(references=waitlist.mint_references(session, count))

    return json_response(await transact(request, work), headers={"Cache-Control": "no-store"})


def lookup_limiter_of(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.waitlist_limiter
    return limiter


async def lookup_position(request: Request) -> Response:
    # Every lookup counts, malformed ones too, so all wrong guesses cost the same.
    host = request.client.host if request.client else "-"
    lookup_limiter_of(request).hit(f"ip:{host}", now_of(request))
    reference: str = request.path_params["reference"]

    def work(session: Session) -> WaitlistPosition:
        return waitlist.find_position(session, reference)

    position = await transact(request, work)
    return json_response(position, headers={"Cache-Control": "no-store"})


routes = [
    Route(f"{PREFIX}/offers/{{id:int}}/waitlist", replace_waitlist, methods=["PUT"]),
    Route(f"{PREFIX}/waitlist/references", mint_references, methods=["POST"]),
    Route("/api/v1/waitlist/{reference}", lookup_position, methods=["GET"]),
]
