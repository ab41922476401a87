"""`GET /api/v1/openapi.json`: an OpenAPI 3.1 document generated from the documented calls
(`web.capabilities.OPERATIONS`) and the pydantic models they name, never written by hand."""

from __future__ import annotations

import json
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from starlette.requests import Request
from starlette.responses import Response

from providers.schemas import Problem
from web.api.operations import CSV, ERROR_TEXTS, JSON, TAGS, Operation
from web.capabilities import OPERATIONS
from web.kit.problems import PROBLEM_JSON

REF = "#/components/schemas/{model}"
PATH_PARAM_SCHEMAS = {"int": {"type": "integer"}, "str": {"type": "string"}}
SchemaMode = Literal["validation", "serialization"]
# Values for the example builder where a schema gives no example of its own.
EXAMPLE_STRINGS = {"date-time": "2026-03-01T09:00:00+01:00", "date": "2026-09-01"}


def _model_pairs(operations: list[Operation]) -> list[tuple[type[BaseModel], SchemaMode]]:
    """Each model once per mode: requests as they are validated, answers as serialised."""
    pairs: list[tuple[type[BaseModel], SchemaMode]] = [(Problem, "serialization")]
    for op in operations:
        if op.request is not None:
            pairs.append((op.request, "validation"))
        if op.response is not None:
            pairs.append((op.response, "serialization"))
    return list(dict.fromkeys(pairs))


def build_openapi(operations: list[Operation] = OPERATIONS) -> dict[str, Any]:
    """The OpenAPI 3.1 document for `operations`, every model under components.schemas."""
    refs, definitions = models_json_schema(_model_pairs(operations), ref_template=REF)
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        paths.setdefault(op.openapi_path, {})[op.method.lower()] = _operation(op, refs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Plekwijzer API",
            "version": "1",
            "summary": "Places and waiting times for special education and youth care.",
            "description": (
                "The provider API (`/api/v1/provider`) lets a care provider or school keep its "
                "own offers, places, waiting times and waiting-list positions current with an "
                "API key. Every error is `application/problem+json`. Human-readable docs with "
                "curl examples, in Dutch and English: `/api/v1/docs`."
            ),
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "tags": [{"name": name, "description": en} for name, (_nl, en) in TAGS.items()],
        "paths": paths,
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API key from `plekwijzer keys create`; it belongs to "
                    "one organisation and sees only that organisation's data.",
                }
            },
        },
    }


def _operation(op: Operation, refs: dict[tuple[Any, SchemaMode], Any]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "operationId": op.name,
        "tags": [op.tag],
        "summary": op.summary_en,
    }
    if op.description_en:
        item["description"] = op.description_en
    parameters = _parameters(op)
    if parameters:
        item["parameters"] = parameters
    if op.has_body:
        content: dict[str, Any] = {}
        if op.request is not None:
            content[JSON] = {"schema": refs[(op.request, "validation")]}
            example = request_example(op)
            if example is not None:
                content[JSON]["example"] = example
        if op.csv:
            content[CSV] = {"schema": {"type": "string"}}
            if op.csv_example:
                content[CSV]["example"] = op.csv_example
        item["requestBody"] = {"required": True, "content": content}
    item["responses"] = {str(op.status): _success(op, refs)} | {
        str(status): _problem_response(status) for status in op.error_statuses
    }
    # A scope rides along as an OpenAPI 3.1 "role" on the bearer requirement.
    item["security"] = [{"bearer": [op.scope] if op.scope else []}] if op.auth == "bearer" else []
    if op.scope:
        item["x-scope"] = op.scope
    return item


def _parameters(op: Operation) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": PATH_PARAM_SCHEMAS[convertor]}
        for name, convertor in op.path_params
    ]
    params += [
        {"name": q.name, "in": "query", "description": q.description, "schema": q.schema}
        for q in op.query
    ]
    if op.if_match:
        params.append(
            {
                "name": "If-Match",
                "in": "header",
                "required": True,
                "description": "The ETag you read; 428 without it, 412 when it is stale.",
                "schema": {"type": "string"},
            }
        )
    if op.idempotency_key:
        params.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "A retry with the same key is not applied again; it returns "
                "the first answer.",
                "schema": {"type": "string", "maxLength": 200},
            }
        )
    return params


def _success(op: Operation, refs: dict[tuple[Any, SchemaMode], Any]) -> dict[str, Any]:
    response: dict[str, Any] = {"description": op.summary_en}
    if op.status != 204:
        if op.response is not None:
            schema = refs[(op.response, "serialization")]
        elif op.response_media == JSON:
            schema = {"type": "object"}
        else:
            schema = {"type": "string"}
        response["content"] = {op.response_media: {"schema": schema}}
    headers = {}
    if op.etag:
        headers["ETag"] = _header("The resource's version; send it back in If-Match.")
    if op.etag and op.status == 201:
        headers["Location"] = _header("The new resource's URL.")
    if op.idempotency_key:
        headers["Idempotent-Replayed"] = _header("`true` when this is the stored first answer.")
    if headers:
        response["headers"] = headers
    return response


def _problem_response(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": ERROR_TEXTS[status][1],
        "content": {PROBLEM_JSON: {"schema": {"$ref": REF.format(model="Problem")}}},
    }
    if status == 401:
        response["headers"] = {"WWW-Authenticate": _header('Always `Bearer realm="plekwijzer"`.')}
    if status == 429:
        response["headers"] = {"Retry-After": _header("Seconds to wait.", "integer")}
    return response


def _header(description: str, type_: str = "string") -> dict[str, Any]:
    return {"description": description, "schema": {"type": type_}}


def request_example(op: Operation) -> dict[str, Any] | None:
    """The JSON body shown for a call: its own example, or one built from the model."""
    if op.example is not None:
        return op.example
    if op.request is None:
        return None
    schema = op.request.model_json_schema()
    example = example_from_schema(schema, schema.get("$defs", {}))
    return example if isinstance(example, dict) else None


def example_from_schema(schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    """A plausible value for `schema`: its own example first, else its required shape."""
    if "$ref" in schema:
        return example_from_schema(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if schema.get("examples"):
        return schema["examples"][0]
    if schema.get("default") is not None:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema:
        options = [option for option in schema["anyOf"] if option.get("type") != "null"]
        return example_from_schema(options[0], defs) if options else None
    kind = schema.get("type")
    if kind == "object":
        required = set(schema.get("required", []))
        # Required fields, plus optional ones the model gives an example for.
        return {
            name: example_from_schema(sub, defs)
            for name, sub in schema.get("properties", {}).items()
            if name in required or sub.get("examples")
        }
    if kind == "array":
        return [example_from_schema(schema.get("items", {}), defs)]
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    if kind == "string":
        return EXAMPLE_STRINGS.get(schema.get("format", ""), "tekst")
    return None


@cache
def openapi_bytes() -> bytes:
    """The document, serialised once per process (it depends only on the code)."""
    return json.dumps(build_openapi(), ensure_ascii=False).encode()


async def openapi(_request: Request) -> Response:
    """`GET /api/v1/openapi.json`; public, like the catalogue it describes."""
    return Response(
        openapi_bytes(), media_type=JSON, headers={"Cache-Control": "public, max-age=300"}
    )
