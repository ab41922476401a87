"""The provider API under /api/v1/provider: parse, call one service function, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from directory.models import ApiClient, AvailabilityReport, Location, Offer
from providers import service
from providers.http import (
    check_etag,
    etag,
    if_match,
    json_body,
    json_response,
    now_of,
    page_params,
    parse_model,
    settings_of,
    transact,
)
from providers.keys import (
    BEARER_HINT,
    UnauthorizedError,
    authenticate,
    lookup_part,
    require_scope,
)
from providers.ratelimit import RateLimiter
from providers.schemas import (
    AuditList,
    AuditOut,
    AvailabilityFields,
    AvailabilityOut,
    LocationFields,
    LocationList,
    LocationOut,
    LocationPatch,
    OfferFields,
    OfferList,
    OfferOut,
    OfferPatch,
)

PREFIX = "/api/v1/provider"


def limiter_of(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.provider_limiter
    return limiter


def throttle(request: Request, *, needs_key: bool = True) -> None:
    """Count the request against its key (or, without a usable key, its address).

    A request that needs a key but has nothing shaped like one is refused here, before
    its body is read or its headers are judged: 401 comes first.
    """
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    lookup = lookup_part(token.strip()) if scheme.lower() == "bearer" else None
    who = f"key:{lookup}" if lookup else f"ip:{request.client.host if request.client else '-'}"
    limiter_of(request).hit(who, now_of(request))
    if needs_key and lookup is None:
        raise UnauthorizedError(BEARER_HINT)


def client_for(request: Request, session: Session, scope: str | None = None) -> ApiClient:
    client = authenticate(session, request.headers.get("authorization"), now_of(request))
    if scope is not None:
        require_scope(client, scope)
    return client


def path_id(request: Request, name: str = "id") -> int:
    value: int = request.path_params[name]
    return value


def offer_out(offer: Offer) -> OfferOut:
    return OfferOut.model_validate(
        {
            **service.offer_data(offer),
            "id": offer.id,
            "organisation_id": offer.organisation_id,
            "version": offer.version,
            "created_at": offer.created_at,
            "updated_at": offer.updated_at,
        }
    )


def offer_etag(offer: Offer) -> str:
    return etag("offer", offer.id, offer.version)


def location_out(location: Location) -> LocationOut:
    return LocationOut.model_validate(
        {
            **service.location_data(location),
            "id": location.id,
            "organisation_id": location.organisation_id,
            "version": location.version,
        }
    )


def location_etag(location: Location) -> str:
    return etag("location", location.id, location.version)


# --- offers -------------------------------------------------------------------------------


async def list_offers(request: Request) -> Response:
    throttle(request)
    page, per_page = page_params(request)

    def work(session: Session) -> OfferList:
        client = client_for(request, session)
        offers, total = service.list_offers(session, client, page, per_page)
        items = [offer_out(offer) for offer in offers]
        return OfferList(items=items, total=total, page=page, per_page=per_page)

    return json_response(await transact(request, work))


async def create_offer(request: Request) -> Response:
    throttle(request)
    body = await json_body(request)

    def work(session: Session) -> Offer:
        client = client_for(request, session, "offers:write")
        fields = parse_model(OfferFields, body)
        return service.create_offer(session, client, fields, now_of(request))

    offer = await transact(request, work)
    headers = {"ETag": offer_etag(offer), "Location": f"{PREFIX}/offers/{offer.id}"}
    return json_response(offer_out(offer), 201, headers)


async def get_offer(request: Request) -> Response:
    throttle(request)

    def work(session: Session) -> Offer:
        return service.own_offer(session, client_for(request, session), path_id(request))

    offer = await transact(request, work)
    return json_response(offer_out(offer), headers={"ETag": offer_etag(offer)})


async def replace_offer(request: Request) -> Response:
    throttle(request)
    sent_etag = if_match(request)
    body = await json_body(request)
    return await _write_offer(request, sent_etag, lambda _offer: parse_model(OfferFields, body))


async def patch_offer(request: Request) -> Response:
    throttle(request)
    sent_etag = if_match(request)
    body = await json_body(request)

    def merged(offer: Offer) -> OfferFields:
        patch = parse_model(OfferPatch, body)
        return parse_model(OfferFields, {**service.offer_data(offer), **patch.model_dump()})

    return await _write_offer(request, sent_etag, merged)


async def _write_offer(
    request: Request, sent_etag: str, new_fields: Callable[[Offer], OfferFields]
) -> Response:
    def work(session: Session) -> Offer:
        client = client_for(request, session, "offers:write")
        offer = service.own_offer(session, client, path_id(request))
        check_etag(offer_etag(offer), sent_etag)
        return service.update_offer(session, client, offer, new_fields(offer), now_of(request))

    offer = await transact(request, work)
    return json_response(offer_out(offer), headers={"ETag": offer_etag(offer)})


async def delete_offer(request: Request) -> Response:
    throttle(request)
    sent_etag = if_match(request)

    def work(session: Session) -> None:
        client = client_for(request, session, "offers:write")
        offer = service.own_offer(session, client, path_id(request))
        check_etag(offer_etag(offer), sent_etag)
        service.delete_offer(session, client, offer, now_of(request))

    await transact(request, work)
    return Response(status_code=204)


# --- locations ----------------------------------------------------------------------------


async def list_locations(request: Request) -> Response:
    throttle(request)
    page, per_page = page_params(request)

    def work(session: Session) -> LocationList:
        client = client_for(request, session)
        locations, total = service.list_locations(session, client, page, per_page)
        items = [location_out(location) for location in locations]
        return LocationList(items=items, total=total, page=page, per_page=per_page)

    return json_response(await transact(request, work))


async def create_location(request: Request) -> Response:
    throttle(request)
    body = await json_body(request)

    def work(session: Session) -> Location:
        client = client_for(request, session, "offers:write")
        fields = parse_model(LocationFields, body)
        return service.create_location(session, client, fields, now_of(request))

    location = await transact(request, work)
    headers = {"ETag": location_etag(location), "Location": f"{PREFIX}/locations/{location.id}"}
    return json_response(location_out(location), 201, headers)


async def get_location(request: Request) -> Response:
    throttle(request)

    def work(session: Session) -> Location:
        return service.own_location(session, client_for(request, session), path_id(request))

    location = await transact(request, work)
    return json_response(location_out(location), headers={"ETag": location_etag(location)})


async def replace_location(request: Request) -> Response:
    throttle(request)
    sent_etag = if_match(request)
    body = await json_body(request)
    return await _write_location(
        request, sent_etag, lambda _location: parse_model(LocationFields, body)
    )


async def patch_location(request: Request) -> Response:
    throttle(request)
    sent_etag = if_match(request)
    body = await json_body(request)

    def merged(location: Location) -> LocationFields:
        patch = parse_model(LocationPatch, body)
        data: dict[str, Any] = {**service.location_data(location), **patch.model_dump()}
        return parse_model(LocationFields, data)

    return await _write_location(request, sent_etag, merged)


async def _write_location(
    request: Request, sent_etag: str, new_fields: Callable[[Location], LocationFields]
) -> Response:
    def work(session: Session) -> Location:
        client = client_for(request, session, "offers:write")
        location = service.own_location(session, client, path_id(request))
        check_etag(location_etag(location), sent_etag)
        fields = new_fields(location)
        return service.update_location(session, client, location, fields, now_of(request))

    location = await transact(request, work)
    return json_response(location_out(location), headers={"ETag": location_etag(location)})


async def delete_location(request: Request) -> Response:
    throttle(request)
    sent_etag = if_match(request)

    def work(session: Session) -> None:
        client = client_for(request, session, "offers:write")
        location = service.own_location(session, client, path_id(request))
        check_etag(location_etag(location), sent_etag)
        service.delete_location(session, client, location, now_of(request))

    await transact(request, work)
    return Response(status_code=204)


# --- availability and audit ---------------------------------------------------------------


def availability_out(report: AvailabilityReport, current: bool) -> AvailabilityOut:
    return AvailabilityOut.model_validate(
        {
            **{name: getattr(report, name) for name in AvailabilityFields.model_fields},
            "id": report.id,
            "offer_id": report.offer_id,
            "current": current,
            "reported_by": report.reported_by,
            "received_at": report.received_at,
        }
    )


async def report_availability(request: Request) -> Response:
    throttle(request)
    body = await json_body(request)
    validity = settings_of(request).availability_validity

    def work(session: Session) -> AvailabilityOut:
        client = client_for(request, session, "availability:write")
        fields = parse_model(AvailabilityFields, body)
        report, current = service.report_availability(
            session,
            client,
            path_id(request),
            fields,
            now=now_of(request),
            default_validity=validity,
        )
        return availability_out(report, current)

    return json_response(await transact(request, work), 201)


async def audit(request: Request) -> Response:
    throttle(request)
    page, per_page = page_params(request)

    def work(session: Session) -> AuditList:
        client = client_for(request, session)
        events, total = service.audit_log(session, client, page, per_page)
        items = [AuditOut.model_validate(event) for event in events]
        return AuditList(items=items, total=total, page=page, per_page=per_page)

    return json_response(await transact(request, work))


routes = [
    Route(f"{PREFIX}/offers", list_offers, methods=["GET"]),
    Route(f"{PREFIX}/offers", create_offer, methods=["POST"]),
    Route(f"{PREFIX}/offers/{{id:int}}", get_offer, methods=["GET"]),
    Route(f"{PREFIX}/offers/{{id:int}}", replace_offer, methods=["PUT"]),
    Route(f"{PREFIX}/offers/{{id:int}}", patch_offer, methods=["PATCH"]),
    Route(f"{PREFIX}/offers/{{id:int}}", delete_offer, methods=["DELETE"]),
    Route(f"{PREFIX}/offers/{{id:int}}/availability", report_availability, methods=["POST"]),
    Route(f"{PREFIX}/locations", list_locations, methods=["GET"]),
    Route(f"{PREFIX}/locations", create_location, methods=["POST"]),
    Route(f"{PREFIX}/locations/{{id:int}}", get_location, methods=["GET"]),
    Route(f"{PREFIX}/locations/{{id:int}}", replace_location, methods=["PUT"]),
    Route(f"{PREFIX}/locations/{{id:int}}", patch_location, methods=["PATCH"]),
    Route(f"{PREFIX}/locations/{{id:int}}", delete_location, methods=["DELETE"]),
    Route(f"{PREFIX}/audit", audit, methods=["GET"]),
]
