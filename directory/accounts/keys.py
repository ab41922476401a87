"""API keys: one organisation each, stored as a SHA-256 hash, revocable at once.

A key reads `pw_<lookup>_<secret>`. The lookup part finds the row; the whole key is
compared by hash in constant time. Keys are long random strings, so a fast hash is enough
(no password stretching needed).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.accounts.models import ApiClient
from directory.catalogue.models import Organisation
from directory.catalogue.service import Reporter, write_audit
from directory.errors import DirectoryError, InvalidDataError, InvalidParam, NotFoundError

KEY_PREFIX = "pw_"
LOOKUP_LENGTH = 12
OFFERS_WRITE = "offers:write"  # offers and locations
AVAILABILITY_WRITE = "availability:write"
WAITLIST_WRITE = "waitlist:write"
# For municipalities and samenwerkingsverbanden (directory.watches.service).
WATCHES_WRITE = "watches:write"
SCOPES = (OFFERS_WRITE, AVAILABILITY_WRITE, WAITLIST_WRITE, WATCHES_WRITE)
# Keys are made and revoked with the command line, by whoever runs the deployment.
OPERATOR = Reporter(name="operator")
BEARER_HINT = "send your API key as 'Authorization: Bearer <key>'"
# last_used_at is kept to the minute: no write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class UnauthorizedError(DirectoryError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            title="Unauthorized",
            detail=detail,
            status=401,
            headers={"WWW-Authenticate": 'Bearer realm="plekwijzer"'},
        )


class ForbiddenError(DirectoryError):
    def __init__(self, scope: str) -> None:
        super().__init__(
            title="Forbidden", detail=f"this API key lacks the scope {scope!r}", status=403
        )


def hash_key(key: str) -> str:
    """The SHA-256 of a long random secret (an API key, a one-time link's code): enough to
    find it again, useless to whoever reads the table."""
    return hashlib.sha256(key.encode()).hexdigest()


def lookup_part(key: str) -> str | None:
    """The part of a key that finds its row, or None when it is not shaped like a key."""
    if not key.startswith(KEY_PREFIX):
        return None
    lookup, _, secret = key[len(KEY_PREFIX) :].partition("_")
    if len(lookup) != LOOKUP_LENGTH or not secret:
        return None
    return lookup


def create_key(
    session: Session, organisation_id: int, scopes: list[str], name: str, now: datetime
) -> tuple[ApiClient, str]:
    """A new key for the organisation; the plain key is returned here and never again."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise InvalidDataError(
            "unknown scope",
            [InvalidParam("scope", f"{s!r} is not one of {SCOPES}") for s in unknown],
        )
    if session.get(Organisation, organisation_id) is None:
        raise NotFoundError(f"organisation {organisation_id}")
    lookup = secrets.token_hex(LOOKUP_LENGTH // 2)
    key = f"{KEY_PREFIX}{lookup}_{secrets.token_urlsafe(32)}"
    client = ApiClient(
        organisation_id=organisation_id,
        name=name,
        key_prefix=lookup,
        key_hash=hash_key(key),
        scopes=sorted(set(scopes)),
        created_at=now,
    )
    session.add(client)
    session.flush()
    write_audit(
        session, OPERATOR, "api_key.create", ("api_key", client.id), now=now,
        after={"name": name, "scopes": client.scopes}, organisation_id=organisation_id,
    )  # fmt: skip
    return client, key


def revoke_key(session: Session, key_id: int, now: datetime) -> ApiClient:
    client = session.get(ApiClient, key_id)
    if client is None:
        raise NotFoundError(f"API key {key_id}")
    if client.revoked_at is None:
        client.revoked_at = now
        write_audit(
            session, OPERATOR, "api_key.revoke", ("api_key", client.id), now=now,
            organisation_id=client.organisation_id,
        )  # fmt: skip
    session.flush()
    return client


def authenticate(session: Session, authorization: str | None, now: datetime) -> ApiClient:
    """The API client behind an `Authorization: Bearer <key>` header."""
    scheme, _, key = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise UnauthorizedError(BEARER_HINT)
    key = key.strip()
    lookup = lookup_part(key)
    client = (
        session.scalar(select(ApiClient).where(ApiClient.key_prefix == lookup)) if lookup else None
    )
    if client is None or not hmac.compare_digest(client.key_hash, hash_key(key)):
        raise UnauthorizedError("this API key is not valid")
    if client.revoked_at is not None:
        raise UnauthorizedError("this API key has been revoked")
    if client.last_used_at is None or now - client.last_used_at >= LAST_USED_RESOLUTION:
        client.last_used_at = now
    return client


def require_scope(client: ApiClient, scope: str) -> None:
    if scope not in client.scopes:
        raise ForbiddenError(scope)
