"""Who is asking: the one place a request becomes a `Principal`.

Today a principal comes from an API key (`Authorization: Bearer <key>`, checked in
`directory.accounts.keys`); a later login session is to make the same `Principal`, so
handlers and services need not know which it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session
from starlette.requests import Request

from directory.accounts.keys import UnauthorizedError, authenticate, require_scope
from directory.accounts.models import ApiClient
from web.kit.http import client_address, now_of, transact
from web.kit.ratelimit import RateLimiter


@dataclass(frozen=True, slots=True)
class Principal:
    """An organisation acting through the API with one of its keys. A login session will
    make a principal too (with its user instead of a key); fields are added then."""

    client: ApiClient

    @property
    def organisation_id(self) -> int:
        return self.client.organisation_id

    @property
    def api_client_id(self) -> int:
        return self.client.id


def key_limiter_of(request: Request) -> RateLimiter:
    """The per-minute counter of the keyed API: requests per key, others per address."""
    limiter: RateLimiter = request.app.state.provider_limiter
    return limiter


async def authorise(request: Request, scope: str | None = None) -> Principal:
    """Who is behind the request's key, checked in a short transaction of its own before
    anything else is read: without a valid key the answer is 401, whatever else is wrong;
    without `scope` it is 403. Requests count against the key; failed attempts against
    the address, so guessing keys is slowed down too."""
    now = now_of(request)
    limiter = key_limiter_of(request)

    def check(session: Session) -> Principal:
        try:
            client = authenticate(session, request.headers.get("authorization"), now)
        except UnauthorizedError:
            limiter.hit(f"ip:{client_address(request)}", now)
            raise
        limiter.hit(f"key:{client.id}", now)
        if scope is not None:
            # Inside the transaction: a refused request does not mark the key as used.
            require_scope(client, scope)
        return Principal(client)

    return await transact(request, check)
