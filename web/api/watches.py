"""The watches API under /api/v1/watches: a professional's case watches, with an API key of
their organisation (a municipality or samenwerkingsverband). Parse, call one service
function (`directory.watches.service`), render."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from directory.accounts.keys import WATCHES_WRITE
from directory.errors import InvalidDataError, InvalidParam
from directory.watches import service
from directory.watches.models import Watch, WatchAlert
from directory.watches.rules import EVENT_TEXT
from search.places import resolve_near
from search.query import Point
from sync.watches import search_json
from web.api.operations import PAGING, Operation
from web.api.watch_schemas import AlertList, AlertOut, WatchIn, WatchList, WatchOut
from web.kit.auth import authorise
from web.kit.http import (
    by_method,
    json_body,
    json_response,
    now_of,
    page_params,
    parse_model,
    path_id,
    transact,
)

PREFIX = "/api/v1/watches"
OFFER_EVENTS = ("place_opened", "wait_within_norm")


def watch_out(watch: Watch) -> WatchOut:
    return WatchOut(
        id=watch.id,
        case_reference=watch.case_reference,
        municipality=watch.municipality_code,
        category=watch.category,
        search=watch.search,
        created_at=watch.created_at,
        evaluated_at=watch.evaluated_at,
        alerts=f"{PREFIX}/{watch.id}/alerts",
    )


def alert_out(alert: WatchAlert) -> AlertOut:
    offer = alert.event in OFFER_EVENTS
    return AlertOut(
        id=alert.id,
        watch_id=alert.watch_id,
        event=alert.event,
        offer_id=alert.subject_id if offer else None,
        signal_id=None if offer else alert.subject_id,
        raised_at=alert.raised_at,
        ended_at=alert.ended_at,
        details=alert.details,
        text=dict(EVENT_TEXT[alert.event]),
    )


async def list_watches(request: Request) -> Response:
    """`GET /api/v1/watches`: the organisation's watches, newest first."""
    principal = await authorise(request)
    page, per_page = page_params(request)

    def work(session: Session) -> WatchList:
        watches, total = service.list_watches(
            session, principal.organisation_id, page=page, per_page=per_page
        )
        items = [watch_out(watch) for watch in watches]
        return WatchList(items=items, total=total, page=page, per_page=per_page)

    return json_response(await transact(request, work, read_only=True))


async def create_watch(request: Request) -> Response:
    """`POST /api/v1/watches`: save a watch for a case."""
    principal = await authorise(request, WATCHES_WRITE)  # 401 first, whatever the body is
    body = await json_body(request)
    data = parse_model(WatchIn, body)
    query, near = data.search.checked()
    now = now_of(request)

    def work(session: Session) -> WatchOut:
        located = dataclasses.replace(query, near=place(session, near)) if near else query
        watch = service.create_watch(
            session,
            principal.organisation_id,
            service.WatchInput(
                case_reference=data.case_reference,
                municipality_code=data.municipality,
                category=data.category,
                search=search_json(located, near),
            ),
            now=now,
            api_client_id=principal.api_client_id,
        )
        return watch_out(watch)

    created = await transact(request, work)
    return json_response(created, status=201, headers={"Location": f"{PREFIX}/{created.id}"})


def place(session: Session, near: str) -> Point:
    """Where `near` is, as the offer search places it; 422 naming `search.near`."""
    try:
        return resolve_near(session, near)
    except InvalidDataError as error:
        params = [InvalidParam(f"search.{p.name}", p.reason) for p in error.invalid_params]
        raise InvalidDataError(error.detail, params) from None


async def get_watch(request: Request) -> Response:
    """`GET /api/v1/watches/{id}`: one watch of the organisation."""
    principal = await authorise(request)
    watch_id = path_id(request)

    def work(session: Session) -> WatchOut:
        return watch_out(service.get_watch(session, principal.organisation_id, watch_id))

    return json_response(await transact(request, work, read_only=True))


async def delete_watch(request: Request) -> Response:
    """`DELETE /api/v1/watches/{id}`: stop watching (its alerts go too)."""
    principal = await authorise(request, WATCHES_WRITE)
    watch_id = path_id(request)

    def work(session: Session) -> None:
        service.delete_watch(session, principal.organisation_id, watch_id)

    await transact(request, work)
    return Response(status_code=204)


async def list_alerts(request: Request) -> Response:
    """`GET /api/v1/watches/{id}/alerts`: the watch's alerts, newest first."""
    principal = await authorise(request)
    watch_id = path_id(request)
    page, per_page = page_params(request)

    def work(session: Session) -> AlertList:
        alerts, total = service.list_alerts(
            session, principal.organisation_id, watch_id, page=page, per_page=per_page
        )
        items = [alert_out(alert) for alert in alerts]
        return AlertList(items=items, total=total, page=page, per_page=per_page)

    return json_response(await transact(request, work, read_only=True))


routes = [
    by_method(PREFIX, get=list_watches, post=create_watch),
    by_method(f"{PREFIX}/{{id:int}}", get=get_watch, delete=delete_watch),
    Route(f"{PREFIX}/{{id:int}}/alerts", list_alerts, methods=["GET"]),
]

WATCH_EXAMPLE: dict[str, Any] = {
    "case_reference": "WT-2026-0142",
    "municipality": "GM0599",
    "category": "ijw:45",
    "search": {"kind": ["youth_care"], "ijw_category": [45], "age": 9, "near": "Rotterdam"},
}
WHO_NL = (
    "Met een API-sleutel van een gemeente of samenwerkingsverband (voor wijkteams en "
    "onderwijsconsulenten); andere organisaties krijgen 403. "
)
WHO_EN = (
    "With an API key of a municipality or samenwerkingsverband (for wijkteams and "
    "onderwijsconsulenten); other organisations get 403. "
)

WATCH_OPERATIONS = [
    Operation(
        "listWatches",
        "GET",
        PREFIX,
        "watches",
        "Je bewakingen opvragen",
        "List your watches",
        WHO_NL + "Alleen die van je eigen organisatie, nieuwste eerst.",
        WHO_EN + "Only your own organisation's, newest first.",
        response=WatchList,
        errors=(403, 422),
        query=PAGING,
    ),
    Operation(
        "createWatch",
        "POST",
        PREFIX,
        "watches",
        "Een dossier bewaken",
        "Watch a case",
        WHO_NL + "Een zoekopdracht (dezelfde filters als GET /api/v1/offers) met een "
        "pseudoniem dossiernummer, de gemeente en eventueel de categorie. Je krijgt één "
        "melding per gebeurtenis: er komt een passende plaats vrij, een passende wachttijd "
        "valt binnen de norm, of de pgb-route kan van toepassing zijn. Geen persoonsgegevens, "
        "ook niet in de zoektekst: een BSN, e-mailadres, telefoonnummer of datum (zoals een "
        "geboortedatum) wordt geweigerd. Namen kunnen we niet herkennen: gebruik ze niet. Van "
        "near bewaren we alleen de vier cijfers van een postcode, en coördinaten op ~1 km.",
        WHO_EN + "A search (the filters of GET /api/v1/offers) with a pseudonymous case "
        "reference, the municipality and optionally the category. You are alerted once per "
        "event: a matching place opens, a matching wait drops within the norm, or the PGB "
        "route may apply. No personal data, also not in the search text: a BSN, e-mail "
        "address, phone number or date (such as a date of birth) is refused. Names cannot be "
        "detected: do not use them. Of near only a postcode's four digits and coordinates to "
        "~1 km are kept.",
        request=WatchIn,
        response=WatchOut,
        status=201,
        scope=WATCHES_WRITE,
        example=WATCH_EXAMPLE,
    ),
    Operation(
        "getWatch",
        "GET",
        f"{PREFIX}/{{id:int}}",
        "watches",
        "Eén bewaking opvragen",
        "Read one watch",
        WHO_NL + "Een bewaking van een andere organisatie geeft 404.",
        WHO_EN + "Another organisation's watch answers 404.",
        response=WatchOut,
        errors=(403, 404),
    ),
    Operation(
        "deleteWatch",
        "DELETE",
        f"{PREFIX}/{{id:int}}",
        "watches",
        "Een bewaking stoppen",
        "Stop a watch",
        WHO_NL + "De bewaking en haar meldingen verdwijnen.",
        WHO_EN + "The watch and its alerts are removed.",
        status=204,
        errors=(404,),
        scope=WATCHES_WRITE,
    ),
    Operation(
        "listWatchAlerts",
        "GET",
        f"{PREFIX}/{{id:int}}/alerts",
        "watches",
        "Meldingen van een bewaking",
        "A watch's alerts",
        WHO_NL + "Elke melding eenmaal per gebeurtenis, nieuwste eerst; ended_at zegt wanneer "
        "ze niet meer gold. Ze gaan ook naar de webhooks en het e-mailadres van je organisatie.",
        WHO_EN + "Each alert once per event, newest first; ended_at says when it stopped "
        "holding. They also go to your organisation's webhooks and e-mail address.",
        response=AlertList,
        errors=(403, 404, 422),
        query=PAGING,
    ),
]
