"""Errors as `application/problem+json` (RFC 9457), one vocabulary for the whole API; a
page gets a helpful page in the visitor's language instead."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from directory.errors import DirectoryError, InvalidParam
from web.pages.render import error_page, is_page

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"


def problem(
    status: int,
    *,
    title: str | None = None,
    detail: str = "",
    invalid_params: list[InvalidParam] | None = None,
    type_: str = "about:blank",
    headers: Mapping[str, str] | None = None,
    extensions: Mapping[str, Any] | None = None,
) -> JSONResponse:
    """A problem+json response with the members every client can rely on."""
    body: dict[str, Any] = {
        **(extensions or {}),
        "type": type_,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "invalid_params": [
            {"name": param.name, "reason": param.reason} for param in invalid_params or []
        ],
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


async def _directory_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DirectoryError)
    if is_page(request):
        return error_page(request, exc.status, exc.headers)
    return problem(
        exc.status,
        title=exc.title,
        detail=exc.detail,
        invalid_params=exc.invalid_params,
        type_=exc.type,
        headers=exc.headers,
        extensions=exc.extensions,
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if is_page(request):
        return error_page(request, exc.status_code, exc.headers)
    return problem(exc.status_code, detail=exc.detail or "", headers=exc.headers)


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    if is_page(request):
        return error_page(request, 500)
    return problem(500, detail="Something went wrong on our side; it has been logged.")


async def _stale_write(_request: Request, _exc: Exception) -> Response:
    # Two writers passed the ETag check at once and the second lost the version race.
    return problem(412, detail="the resource changed meanwhile; read it again and re-apply")


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DirectoryError: _directory_error,
    StaleDataError: _stale_write,
    HTTPException: _http_error,
    Exception: _unexpected_error,
}
