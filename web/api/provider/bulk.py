"""Bulk availability upload over HTTP: `POST /availability/bulk` and its CSV template.

The upload is JSON (`{"reports": [{"offer_id": ..., ...}]}`) or CSV with the template's
columns (`offer_id,status,open_places,waiting_list_size,bridging_count,intake_wait_weeks,
treatment_wait_weeks,measure,measured_at,valid_until,location_id,leerjaar`; an empty cell
means "not given"; row 1 is the first line after the header). See `providers.bulk`.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from directory.accounts.keys import AVAILABILITY_WRITE
from providers import bulk
from web.api.provider.offers import PREFIX
from web.kit.auth import authorise, key_limiter_of
from web.kit.http import (
    client_address,
    json_response,
    media_type_of,
    now_of,
    read_body,
    settings_of,
    transact,
)

TEMPLATE_NAME = "plekwijzer-beschikbaarheid.csv"


def render(answer: bulk.Answer) -> Response:
    headers = {"Idempotent-Replayed": "true"} if answer.replayed else None
    return json_response(answer.body, answer.status, headers)


async def upload_availability(request: Request) -> Response:
    """Check every row, then apply all of them in one transaction, or none."""
    client = (await authorise(request, AVAILABILITY_WRITE)).client
    settings = settings_of(request)
    key = bulk.idempotency_key(request.headers.get("idempotency-key"))
    body = await read_body(request, bulk.MEDIA_TYPES, settings.max_bulk_body_bytes)
    # Parsing and type checks need no database: done before the write lock is taken.
    prepared = bulk.prepare(body, media_type_of(request))
    now = now_of(request)
    validity = settings.availability_validity

    def work(session: Session) -> bulk.Answer:
        return bulk.upload(
            session, client, body, prepared, key=key, now=now, default_validity=validity
        )

    try:
        answer = await transact(request, work)
    except IntegrityError:
        if key is None:
            raise

        # A concurrent request with the same key committed first; ours was rolled back
        # whole, so answer as the first one did.
        def replay(session: Session) -> bulk.Answer | None:
            return bulk.stored_answer(session, client, key, bulk.request_hash(body))

        raced = await transact(request, replay)
        if raced is None:
            raise
        answer = raced
    return render(answer)


async def availability_template(request: Request) -> Response:
    """The CSV header and one example row, as a file to open in a spreadsheet.

    No key needed: it holds no data, and a spreadsheet user fetches it with a browser."""
    key_limiter_of(request).hit(f"ip:{client_address(request)}", now_of(request))
    return Response(
        bulk.csv_template(),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{TEMPLATE_NAME}"'},
    )


routes = [
    Route(f"{PREFIX}/availability/bulk", upload_availability, methods=["POST"]),
    Route(f"{PREFIX}/availability/template.csv", availability_template, methods=["GET"]),
]
