"""What a documented call of the JSON API is: the `Operation` record and the words shared
by openapi.json and the providers' docs page. Each capability lists its own calls; they
are collected in `web.capabilities`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from web.kit.http import MAX_PER_PAGE

JSON = "application/json"
CSV = "text/csv"
HTML = "text/html"
# `{id:int}` in a Starlette path; the OpenAPI path has `{id}`.
PATH_PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")


@dataclass(frozen=True)
class QueryParam:
    """A query-string parameter of one call."""

    name: str
    schema: dict[str, Any]
    description: str
    # Shown in the curl example when set.
    example: str | None = None


PAGING = (
    QueryParam("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number, from 1."),
    QueryParam(
        "per_page",
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 50},
        f"Items per page (1-{MAX_PER_PAGE}).",
    ),
)


@dataclass(frozen=True)
class Operation:
    """One documented call: its HTTP shape, its models and what can go wrong.

    `path` is the Starlette route path (`{id:int}`), so it can be compared with the app's
    routes exactly. `errors` lists the statuses particular to the call; those implied by
    the other fields (401/429 for a key, 403 for a scope, 428/412 for If-Match, 413/415
    for a body) are added by `error_statuses`.
    """

    name: str  # operationId, and the anchor on the docs page
    method: str
    path: str
    tag: str
    summary_nl: str
    summary_en: str
    description_nl: str = ""
    description_en: str = ""
    request: type[BaseModel] | None = None
    # Also (or, without `request`, only) a CSV body.
    csv: bool = False
    response: type[BaseModel] | None = None
    status: int = 200
    response_media: str = JSON
    errors: tuple[int, ...] = ()
    auth: Literal["public", "bearer"] = "bearer"
    scope: str | None = None
    if_match: bool = False
    idempotency_key: bool = False
    # The response carries the resource's ETag (and a Location header after a create).
    etag: bool = False
    query: tuple[QueryParam, ...] = ()
    # A request body for the docs; without it one is built from the model's examples.
    example: dict[str, Any] | None = None
    csv_example: str | None = None

    @property
    def openapi_path(self) -> str:
        """The path with OpenAPI parameters: `/offers/{id}`."""
        return PATH_PARAM.sub(r"{\1}", self.path)

    @property
    def path_params(self) -> list[tuple[str, str]]:
        """`(name, starlette convertor)` for each parameter in the path."""
        return [(name, convertor or "str") for name, convertor in PATH_PARAM.findall(self.path)]

    @property
    def has_body(self) -> bool:
        return self.request is not None or self.csv

    @property
    def request_media(self) -> tuple[str, ...]:
        return ((JSON,) if self.request is not None else ()) + ((CSV,) if self.csv else ())

    @property
    def error_statuses(self) -> tuple[int, ...]:
        """Every error status the call can answer, ascending."""
        implied: set[int] = set(self.errors)
        if self.auth == "bearer":
            implied |= {401, 429}
        if self.scope:
            implied.add(403)
        if self.if_match:
            implied |= {412, 428}
        if self.has_body:
            implied |= {413, 415, 422}
        return tuple(sorted(implied))


# name: (Dutch, English)
TAGS: dict[str, tuple[str, str]] = {
    "meta": ("Algemeen", "General"),
    "search": ("Zoeken (openbaar)", "Search (public)"),
    "offers": ("Aanbod", "Offers"),
    "availability": ("Plaatsen en wachttijden", "Places and waiting times"),
    "locations": ("Locaties", "Locations"),
    "waitlist": ("Wachtlijstposities", "Waiting-list positions"),
    "audit": ("Wijzigingslog", "Change log"),
    "signals": ("Signalen (openbaar)", "Signals (public)"),
    "watches": ("Bewakingen voor een dossier", "Case watches"),
}

# status: (Dutch, English); every error is application/problem+json.
ERROR_TEXTS: dict[int, tuple[str, str]] = {
    401: (
        "Geen API-sleutel, of een onbekende of ingetrokken sleutel.",
        "No API key, or one that is unknown or revoked.",
    ),
    403: (
        "De sleutel mist de scope die deze aanroep nodig heeft.",
        "The key lacks the scope this call needs.",
    ),
    404: (
        "Bestaat niet. Zo zien gegevens van een andere organisatie er ook uit.",
        "Does not exist. This is also what another organisation's data looks like.",
    ),
    409: (
        "Botst met de huidige stand (bijvoorbeeld een locatie die nog in gebruik is).",
        "Conflicts with the current state (for example a location still in use).",
    ),
    412: (
        "If-Match noemt niet de huidige ETag: lees opnieuw en pas je wijziging opnieuw toe.",
        "If-Match does not name the current ETag: read again and re-apply your change.",
    ),
    413: ("De body is te groot.", "The body is too large."),
    415: (
        "Verkeerd Content-Type: stuur application/json (of text/csv waar dat kan).",
        "Wrong Content-Type: send application/json (or text/csv where allowed).",
    ),
    422: (
        "Ongeldige gegevens; invalid_params noemt elk fout veld met de reden.",
        "Invalid data; invalid_params names each bad field with the reason.",
    ),
    428: (
        "If-Match ontbreekt: stuur de ETag mee die je las.",
        "If-Match is missing: send the ETag you read.",
    ),
    429: (
        "Te veel verzoeken; wacht het aantal seconden in Retry-After.",
        "Too many requests; wait the number of seconds in Retry-After.",
    ),
}
