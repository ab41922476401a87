"""Waiting-list positions over HTTP: providers publish lists, parents look up a place.

The lookup is public (no key) and counted per client address, because it is the one
place where someone could try codes until one fits.
"""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from directory.accounts.keys import WAITLIST_WRITE
from providers import waitlist
from providers.waitlist_schemas import ReferencesOut, WaitlistIn, WaitlistOut, WaitlistPosition
from web.api.provider.offers import PREFIX
from web.kit.auth import authorise
from web.kit.http import (
    client_address,
    json_body,
    json_response,
    now_of,
    parse_model,
    path_id,
    transact,
    whole_number,
)
from web.kit.ratelimit import RateLimiter


async def replace_waitlist(request: Request) -> Response:
    client = (await authorise(request, WAITLIST_WRITE)).client
    body = await json_body(request)
    now = now_of(request)

    def work(session: Session) -> WaitlistOut:
        entries = parse_model(WaitlistIn, body)
        offer_id = path_id(request)
        count = waitlist.replace_waitlist(session, client, offer_id, entries, now)
        return WaitlistOut(offer_id=offer_id, entries=count, updated_at=now)

    return json_response(await transact(request, work))


async def mint_references(request: Request) -> Response:
    await authorise(request, WAITLIST_WRITE)
    count = whole_number(request, "count", 1, 1, waitlist.MAX_MINT)

    def work(session: Session) -> ReferencesOut:
        return ReferencesOut(references=waitlist.mint_references(session, count))

    return json_response(await transact(request, work), headers={"Cache-Control": "no-store"})


def lookup_limiter_of(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.waitlist_limiter
    return limiter


async def lookup_position(request: Request) -> Response:
    # Every lookup counts, malformed ones too, so all wrong guesses cost the same.
    lookup_limiter_of(request).hit(f"ip:{client_address(request)}", now_of(request))
    reference: str = request.path_params["reference"]

    def work(session: Session) -> WaitlistPosition:
        return waitlist.find_position(session, reference)

    position = await transact(request, work, read_only=True)
    return json_response(position, headers={"Cache-Control": "no-store"})


routes = [
    Route(f"{PREFIX}/offers/{{id:int}}/waitlist", replace_waitlist, methods=["PUT"]),
    Route(f"{PREFIX}/waitlist/references", mint_references, methods=["POST"]),
    Route("/api/v1/waitlist/{reference}", lookup_position, methods=["GET"]),
]
