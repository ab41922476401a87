"""The provider API under /api/v1/provider: parse, call one service function, render."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from directory.accounts.keys import AVAILABILITY_WRITE, OFFERS_WRITE
from directory.accounts.models import ApiClient
from directory.catalogue.models import AvailabilityReport, Location, Offer
from providers import service
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
from web.kit.auth import authorise
from web.kit.http import (
    by_method,
    check_etag,
    etag,
    if_match,
    json_body,
    json_response,
    now_of,
    page_params,
    parse_model,
    parse_patch,
    path_id,
    settings_of,
    transact,
)

PREFIX = "/api/v1/provider"


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
    client = (await authorise(request)).client
    page, per_page = page_params(request)

    def work(session: Session) -> OfferList:
        offers, total = service.list_offers(session, client, page, per_page)
        items = [offer_out(offer) for offer in offers]
        return OfferList(items=items, total=total, page=page, per_page=per_page)

    return json_response(await transact(request, work, read_only=True))


async def create_offer(request: Request) -> Response:
    client = (await authorise(request, OFFERS_WRITE)).client
    body = await json_body(request)

    def work(session: Session) -> tuple[OfferOut, str]:
        fields = parse_model(OfferFields, body)
        offer = service.create_offer(session, client, fields, now_of(request))
        return offer_out(offer), offer_etag(offer)

    offer, tag = await transact(request, work)
    headers = {"ETag": tag, "Location": f"{PREFIX}/offers/{offer.id}"}
    return json_response(offer, 201, headers)


async def get_offer(request: Request) -> Response:
    client = (await authorise(request)).client

    def work(session: Session) -> tuple[OfferOut, str]:
        offer = service.own_offer(session, client, path_id(request))
        return offer_out(offer), offer_etag(offer)

    offer, tag = await transact(request, work, read_only=True)
    return json_response(offer, headers={"ETag": tag})


async def replace_offer(request: Request) -> Response:
    client = (await authorise(request, OFFERS_WRITE)).client
    sent_etag = if_match(request)
    body = await json_body(request)
    return await _write_offer(
        request, client, sent_etag, lambda _offer: parse_model(OfferFields, body)
    )


async def patch_offer(request: Request) -> Response:
    client = (await authorise(request, OFFERS_WRITE)).client
    sent_etag = if_match(request)
    body = await json_body(request)

    def merged(offer: Offer) -> OfferFields:
        return parse_patch(OfferPatch, OfferFields, service.offer_data(offer), body)

    return await _write_offer(request, client, sent_etag, merged)


async def _write_offer(
    request: Request,
    client: ApiClient,
    sent_etag: str,
    new_fields: Callable[[Offer], OfferFields],
) -> Response:
    def work(session: Session) -> tuple[OfferOut, str]:
        offer = service.own_offer(session, client, path_id(request), for_update=True)
        check_etag(offer_etag(offer), sent_etag)
        offer = service.update_offer(session, client, offer, new_fields(offer), now_of(request))
        return offer_out(offer), offer_etag(offer)

    offer, tag = await transact(request, work)
    return json_response(offer, headers={"ETag": tag})


async def delete_offer(request: Request) -> Response:
    client = (await authorise(request, OFFERS_WRITE)).client
    sent_etag = if_match(request)

    def work(session: Session) -> None:
        offer = service.own_offer(session, client, path_id(request), for_update=True)
        check_etag(offer_etag(offer), sent_etag)
        service.delete_offer(session, client, offer, now_of(request))

    await transact(request, work)
    return Response(status_code=204)


# --- locations ----------------------------------------------------------------------------


async def list_locations(request: Request) -> Response:
    client = (await authorise(request)).client
    page, per_page = page_params(request)

    def work(session: Session) -> LocationList:
        locations, total = service.list_locations(session, client, page, per_page)
        items = [location_out(location) for location in locations]
        return LocationList(items=items, total=total, page=page, per_page=per_page)

    return json_response(await transact(request, work, read_only=True))


async def create_location(request: Request) -> Response:
    client = (await authorise(request, OFFERS_WRITE)).client
    body = await json_body(request)

    def work(session: Session) -> tuple[LocationOut, str]:
        fields = parse_model(LocationFields, body)
        location = service.create_location(session, client, fields, now_of(request))
        return location_out(location), location_etag(location)

    location, tag = await transact(request, work)
    headers = {"ETag": tag, "Location": f"{PREFIX}/locations/{location.id}"}
    return json_response(location, 201, headers)


async def get_location(request: Request) -> Response:
    client = (await authorise(request)).client

    def work(session: Session) -> tuple[LocationOut, str]:
        location = service.own_location(session, client, path_id(request))
        return location_out(location), location_etag(location)

    location, tag = await transact(request, work, read_only=True)
    return json_response(location, headers={"ETag": tag})


async def replace_location(request: Request) -> Response:
    client = (await authorise(request, OFFERS_WRITE)).client
    sent_etag = if_match(request)
    body = await json_body(request)
    return await _write_location(
        request, client, sent_etag, lambda _location: parse_model(LocationFields, body)
    )


async def patch_location(request: Request) -> Response:
    client = (await authorise(request, OFFERS_WRITE)).client
    sent_etag = if_match(request)
    body = await json_body(request)

    def merged(location: Location) -> LocationFields:
        return parse_patch(LocationPatch, LocationFields, service.location_data(location), body)

    return await _write_location(request, client, sent_etag, merged)


async def _write_location(
    request: Request,
    client: ApiClient,
    sent_etag: str,
    new_fields: Callable[[Location], LocationFields],
) -> Response:
    def work(session: Session) -> tuple[LocationOut, str]:
        location = service.own_location(session, client, path_id(request), for_update=True)
        check_etag(location_etag(location), sent_etag)
        fields = new_fields(location)
        location = service.update_location(session, client, location, fields, now_of(request))
        return location_out(location), location_etag(location)

    location, tag = await transact(request, work)
    return json_response(location, headers={"ETag": tag})


async def delete_location(request: Request) -> Response:
    client = (await authorise(request, OFFERS_WRITE)).client
    sent_etag = if_match(request)

    def work(session: Session) -> None:
        location = service.own_location(session, client, path_id(request), for_update=True)
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
    client = (await authorise(request, AVAILABILITY_WRITE)).client
    body = await json_body(request)
    validity = settings_of(request).availability_validity

    def work(session: Session) -> AvailabilityOut:
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
    client = (await authorise(request)).client
    page, per_page = page_params(request)

    def work(session: Session) -> AuditList:
        events, total = service.audit_log(session, client, page, per_page)
        items = [AuditOut.model_validate(event) for event in events]
        return AuditList(items=items, total=total, page=page, per_page=per_page)

    return json_response(await transact(request, work, read_only=True))


routes = [
    by_method(f"{PREFIX}/offers", get=list_offers, post=create_offer),
    by_method(
        f"{PREFIX}/offers/{{id:int}}",
        get=get_offer,
        put=replace_offer,
        patch=patch_offer,
        delete=delete_offer,
    ),
    Route(f"{PREFIX}/offers/{{id:int}}/availability", report_availability, methods=["POST"]),
    by_method(f"{PREFIX}/locations", get=list_locations, post=create_location),
    by_method(
        f"{PREFIX}/locations/{{id:int}}",
        get=get_location,
        put=replace_location,
        patch=patch_location,
        delete=delete_location,
    ),
    Route(f"{PREFIX}/audit", audit, methods=["GET"]),
]
