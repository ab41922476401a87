"""The documented calls that describe the API itself: openapi.json and the docs page."""

from __future__ import annotations

from web.api.operations import HTML, Operation, QueryParam

OPERATIONS: list[Operation] = [
    Operation(
        "getOpenapi",
        "GET",
        "/api/v1/openapi.json",
        "meta",
        "Deze API als OpenAPI 3.1",
        "This API as OpenAPI 3.1",
        "Gegenereerd uit de pydantic-modellen van de API. Geen sleutel nodig.",
        "Generated from the API's pydantic models. No key needed.",
        auth="public",
    ),
    Operation(
        "getApiDocs",
        "GET",
        "/api/v1/docs",
        "meta",
        "Deze documentatie als webpagina",
        "This documentation as a web page",
        "Nederlands, of Engels met ?lang=en.",
        "Dutch, or English with ?lang=en.",
        response_media=HTML,
        auth="public",
        query=(QueryParam("lang", {"enum": ["nl", "en"], "default": "nl"}, "Language.", "en"),),
    ),
]
