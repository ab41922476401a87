"""Bulk availability upload over HTTP: `POST /availability/bulk` and its CSV template.

The upload is JSON (`{"reports": [{"offer_id": ..., ...}]}`) or CSV with the template's
columns (`offer_id,status,open_places,waiting_list_size,bridging_count,intake_wait_weeks,
treatment_wait_weeks,measure,measured_at,valid_until,location_id,leerjaar`; an empty cell
means "not given"; row 1 is the first line after the header). See `providers.bulk`.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from providers import bulk
from providers.http import json_response, now_of, read_body, settings_of, transact
from providers.routes import PREFIX, client_for, throttle

SCOPE = "availability:write"
TEMPLATE_NAME = "plekwijzer-beschikbaarheid.csv"


def render(answer: bulk.Answer) -> Response:
    headers = {"Idempotent-Replayed": "true"} if answer.replayed else None
    return json_response(answer.body, answer.status, headers)


async def upload_availability(request: Request) -> Response:
    """Check every row, then apply all of them in one transaction, or none."""
    throttle(request)
    settings = settings_of(request)
    body = await read_body(request, bulk.MEDIA_TYPES, settings.max_bulk_body_bytes)
    media_type = request.headers["content-type"].split(";")[0].strip().lower()
    sent_key = request.headers.get("idempotency-key")
    now = now_of(request)
    validity = timedelta(days=settings.availability_validity_days)

    def work(session: Session) -> bulk.Answer:
        client = client_for(request, session, SCOPE)
        key = bulk.idempotency_key(sent_key)
        return bulk.upload(
            session, client, body, media_type, key=key, now=now, default_validity=validity
        )

    def replay(session: Session) -> bulk.Answer | None:
        client = client_for(request, session, SCOPE)
        key = bulk.idempotency_key(sent_key)
        return bulk.stored_answer(session, client, key, bulk.request_hash(body)) if key else None

    try:
        answer = await transact(request, work)
    except IntegrityError:
        # A concurrent request with the same key committed first; ours was rolled back
        # whole, so answer as the first one did.
        raced = await transact(request, replay) if sent_key is not None else None
        if raced is None:
            raise
        answer = raced
    return render(answer)


async def availability_template(request: Request) -> Response:
    """The CSV header and one example row, as a file to open in a spreadsheet.

    No key needed: it holds no data, and a spreadsheet user fetches it with a browser."""
    throttle(request, needs_key=False)
    return Response(
        bulk.csv_template(),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{TEMPLATE_NAME}"'},
    )


routes = [
    Route(f"{PREFIX}/availability/bulk", upload_availability, methods=["POST"]),
    Route(f"{PREFIX}/availability/template.csv", availability_template, methods=["GET"]),
]
