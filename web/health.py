"""`GET /health`: is the app up, can it reach its database, how big is the catalogue."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse

from directory.db import unit_of_work
from directory.service import count_offers

log = logging.getLogger(__name__)


def health(request: Request) -> JSONResponse:
    """200 with the offer count when the database answers, 503 when it does not."""
    try:
        with unit_of_work(request.app.state.session_factory, read_only=True) as session:
            offers = count_offers(session)
    except SQLAlchemyError:
        log.exception("health check: database unreachable")
        return JSONResponse({"status": "error", "database": "error"}, status_code=503)
    return JSONResponse(
        {"status": "ok", "database": "ok", "offers": offers},
        headers={"Cache-Control": "no-store"},
    )
