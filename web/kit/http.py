"""HTTP plumbing shared by the JSON API handlers: bodies, transactions, ETags, pages.

Handlers stay thin: read the body with `json_body`, do the work with `transact` (one
session and one transaction, committed in `unit_of_work`; the body is parsed there with
`parse_model`, after the key was checked), render with `json_response`.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from directory.config import Settings
from directory.db import unit_of_work
from directory.errors import DirectoryError, InvalidDataError, InvalidParam, NotFoundError
from providers.strict_input import (
    DUPLICATE_REASON,
    MAX_ID,
    DuplicateKeysError,
    field_reason,
    load_json,
)

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
MAX_PER_PAGE = 200
WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")  # ASCII digits only: "²" is a digit to str.isdigit


def by_method(path: str, **handlers: Callable[[Request], Awaitable[Response]]) -> Route:
    """One route for a path and each method's handler (`GET=read, PUT=replace`), so a
    method the path does not have is answered 405 with every method it has in `Allow`
    (separate routes per method would each name only their own). HEAD is GET's."""
    methods = {name.upper(): handler for name, handler in handlers.items()}

    async def dispatch(request: Request) -> Response:
        return await methods["GET" if request.method == "HEAD" else request.method](request)

    return Route(path, dispatch, methods=sorted(methods))


def client_address(request: Request) -> str:
    """The address a request came from (behind a proxy, only when its address is in
    PLEKWIJZER_FORWARDED_ALLOW_IPS: `web.cli_kit.server_options`)."""
    return request.client.host if request.client else "-"


def whole_number(request: Request, name: str, default: int, low: int, high: int) -> int:
    """A whole-number query parameter from `low` to `high`, or 422 naming it."""
    raw = request.query_params.get(name, str(default))
    if not WHOLE_NUMBER.fullmatch(raw) or not low <= int(raw) <= high:
        raise InvalidDataError(
            f"bad parameter {name}", [InvalidParam(name, f"a whole number from {low} to {high}")]
        )
    return int(raw)


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def now_of(request: Request) -> datetime:
    """The app's clock (tests inject their own)."""
    clock: Callable[[], datetime] = getattr(request.app.state, "clock", lambda: datetime.now(UTC))
    return clock()


async def transact(request: Request, work: Callable[[Session], T], *, read_only: bool = False) -> T:
    """Run `work` in one session and transaction, off the event loop."""

    def run() -> T:
        with unit_of_work(request.app.state.session_factory, read_only=read_only) as session:
            return work(session)

    return await run_in_threadpool(run)


def path_id(request: Request, name: str = "id") -> int:
    """A path id; one that no row can have (beyond 32 bits) is simply not found."""
    value: int = request.path_params[name]
    if value > MAX_ID:
        raise NotFoundError(f"{name} {value}")
    return value


def media_type_of(request: Request) -> str:
    """The request's media type without parameters ("text/csv; charset=utf-8" → "text/csv")."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def read_body(request: Request, media_types: tuple[str, ...], max_bytes: int) -> bytes:
    """The body, refused with 415 for another media type and 413 when too large."""
    if media_type_of(request) not in media_types:
        raise DirectoryError(
            title="Unsupported Media Type",
            detail=f"send the body as {' or '.join(media_types)}",
            status=415,
        )
    declared = request.headers.get("content-length")
    if declared is not None and WHOLE_NUMBER.fullmatch(declared) and int(declared) > max_bytes:
        raise _too_large(max_bytes)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise _too_large(max_bytes)
    return bytes(body)


def _too_large(max_bytes: int) -> DirectoryError:
    return DirectoryError(
        title="Content Too Large", detail=f"the body may be at most {max_bytes} bytes", status=413
    )


def parse_model(model: type[M], data: bytes | dict[str, Any]) -> M:
    """Validate with pydantic, then the model's `cross_field_problems()` if it has them;
    every bad field becomes an `invalid_params` entry (422).

    Bytes are a request body: JSON, with no field named twice in one object, validated as
    JSON, so a strict model takes ISO dates and enum values but no `"3"` for a number. A
    dict holds values already typed (a stored offer with a PATCH applied, as Python objects):
    it is validated in Python mode without strictness, but with every other rule."""
    try:
        if isinstance(data, bytes):
            _refuse_repeated_fields(data)
            result = model.model_validate_json(data)
        else:
            result = model.model_validate(data, strict=False)
    except ValidationError as error:
        raise InvalidDataError("the request body is not valid", invalid_params(error)) from None
    check = getattr(result, "cross_field_problems", None)
    problems: list[InvalidParam] = check() if check else []
    if problems:
        raise InvalidDataError("the request body is not valid", problems)
    return result


def _refuse_repeated_fields(body: bytes) -> None:
    """422 naming each field that a JSON object of `body` names twice. Other faults of the
    JSON are left to pydantic, which says where they are."""
    try:
        load_json(body)
    except DuplicateKeysError as error:
        params = [InvalidParam(_dotted(path), DUPLICATE_REASON) for path in error.paths]
        raise InvalidDataError("the request body is not valid", params) from None
    except ValueError:
        pass


def parse_patch(patch: type[BaseModel], model: type[M], current: dict[str, Any], data: bytes) -> M:
    """A PATCH body over `current`: only the fields sent change, and the result is checked
    as a whole, like `parse_model(model, ...)`."""
    changes = parse_model(patch, data).model_dump(exclude_unset=True)
    return parse_model(model, {**current, **changes})


def invalid_params(error: ValidationError) -> list[InvalidParam]:
    return [
        InvalidParam(_dotted(item["loc"]), field_reason(item))
        for item in error.errors(include_url=False)
    ]


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in path) or "body"


async def json_body(request: Request) -> bytes:
    """A JSON body, checked for type and size only: it is parsed after authentication,
    so a caller without a valid key learns nothing from validation errors."""
    return await read_body(request, ("application/json",), settings_of(request).max_body_bytes)


def json_response(
    data: BaseModel | dict[str, Any],
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    content = data.model_dump(mode="json") if isinstance(data, BaseModel) else data
    return JSONResponse(content, status_code=status, headers=headers)


def etag(kind: str, entity_id: int, version: int) -> str:
    return f'"{kind}-{entity_id}-v{version}"'


def if_match(request: Request) -> str:
    """The If-Match header a write must carry (428 without it)."""
    value = request.headers.get("if-match")
    if not value:
        raise DirectoryError(
            title="Precondition Required",
            detail="send If-Match with the ETag you read, so no one's edit is overwritten",
            status=428,
        )
    return value


def check_etag(expected: str, sent: str) -> None:
    """412 unless `sent` (an If-Match value) names the current ETag."""
    # Strong comparison (RFC 9110): a weak validator never matches an If-Match.
    candidates = {part.strip() for part in sent.split(",")}
    if "*" not in candidates and expected not in candidates:
        raise DirectoryError(
            title="Precondition Failed",
            detail="the resource changed since you read it; read it again and re-apply",
            status=412,
        )


def page_params(request: Request) -> tuple[int, int]:
    """`page` (from 1) and `per_page` (1-200) from the query string."""
    page = whole_number(request, "page", 1, 1, 1_000_000)
    return page, whole_number(request, "per_page", 50, 1, MAX_PER_PAGE)
