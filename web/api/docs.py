"""`GET /api/v1/docs`: the provider API explained for people, in Dutch (default) or English
(`?lang=en`), with a curl example for every call. Built from the same `OPERATIONS` as
openapi.json, so the two cannot disagree."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import HTMLResponse

from directory.accounts.keys import SCOPES
from providers.schemas import InvalidParamOut, Problem
from web.api.openapi import request_example
from web.api.operations import CSV, ERROR_TEXTS, JSON, PATH_PARAM, TAGS, Operation
from web.api.provider.offers import PREFIX as PROVIDER
from web.capabilities import OPERATIONS
from web.kit.http import settings_of

LANGUAGES = ("nl", "en")
# Values put into example paths; a reference code as the waiting-list schema shows them.
PATH_EXAMPLES = {"id": "123", "reference": "K7QM-4XTR-9PWA"}
IDEMPOTENCY_EXAMPLE = "wachttijden-2026-03-01"
# The template is downloaded to, and the bulk upload sent from, the same file.
CSV_FILE = "availability.csv"
PROBLEM_EXAMPLE = Problem(
    title="Invalid data",
    status=422,
    detail="the request body is not valid",
    invalid_params=[
        InvalidParamOut(
            name="intake_wait_weeks", reason="Input should be greater than or equal to 0"
        )
    ],
)
# The page's own words; longer prose is in the template, one paragraph per language.
TEXT: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Plekwijzer API voor aanbieders",
        "other_language": "English",
        "contents": "Inhoud",
        "key_heading": "Sleutel",
        "scopes_text": "Om te schrijven heeft een sleutel de scope nodig die bij de aanroep staat:",
        "errors_heading": "Fouten",
        "status": "Status",
        "meaning": "Betekenis",
        "etag_heading": "Gelijktijdige wijzigingen: ETag en If-Match",
        "idempotency_heading": "Opnieuw versturen: Idempotency-Key",
        "limits_heading": "Grenzen",
        "key": "Sleutel",
        "public": "niet nodig",
        "bearer": "API-sleutel",
        "scope": "scope",
        "request": "Verzoek",
        "or": "of",
        "response": "Antwoord",
        "possible_errors": "Mogelijke fouten",
        "fields": "Velden van",
        "field": "Veld",
        "type": "Type",
        "required": "Verplicht",
        "description": "Toelichting",
        "yes": "ja",
        "csv_columns": "Als CSV: deze kolommen, met een kopregel (zie template.csv):",
        "no": "nee",
    },
    "en": {
        "title": "Plekwijzer API for providers",
        "other_language": "Nederlands",
        "contents": "Contents",
        "key_heading": "API key",
        "scopes_text": "To write, a key needs the scope shown with the call:",
        "errors_heading": "Errors",
        "status": "Status",
        "meaning": "Meaning",
        "etag_heading": "Concurrent changes: ETag and If-Match",
        "idempotency_heading": "Sending again: Idempotency-Key",
        "limits_heading": "Limits",
        "key": "Key",
        "public": "not needed",
        "bearer": "API key",
        "scope": "scope",
        "request": "Request",
        "or": "or",
        "response": "Response",
        "possible_errors": "Possible errors",
        "fields": "Fields of",
        "field": "Field",
        "type": "Type",
        "required": "Required",
        "description": "Description",
        "yes": "yes",
        "csv_columns": "As CSV: these columns, with a header line (see template.csv):",
        "no": "no",
    },
}

# Autoescape on for everything: descriptions and examples end up inside HTML.
templates = Environment(
    loader=FileSystemLoader(Path(__file__).parents[1] / "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class FieldRow:
    name: str
    type: str
    required: bool
    description: str


@dataclass
class OperationView:
    """One call as the docs page shows it, in one language."""

    anchor: str
    method: str
    path: str
    summary: str
    description: str
    scope: str | None
    public: bool
    request_model: str | None
    request_note: str
    request_media: tuple[str, ...]
    csv_example: str | None
    fields: tuple[FieldRow, ...]
    response: str
    errors: tuple[int, ...]
    curls: list[str] = field(default_factory=list)


def example_path(op: Operation) -> str:
    """The call's path with example values for its parameters, plus example query values."""
    path = PATH_PARAM.sub(lambda match: PATH_EXAMPLES.get(match[1], "1"), op.path)
    query = [f"{q.name}={q.example}" for q in op.query if q.example is not None]
    return f"{path}?{'&'.join(query)}" if query else path


def etag_example(op: Operation) -> str:
    """What a real ETag for the call's resource looks like (see web.kit.http.etag)."""
    resource = op.path.removeprefix(PROVIDER + "/").split("/")[0].removesuffix("s")
    return f'"{resource}-{PATH_EXAMPLES["id"]}-v1"'


def curl_examples(op: Operation, base_url: str) -> list[str]:
    """Copy-and-paste curl commands for the call: one per body media type it accepts."""
    head = [
        "curl -i" if op.etag else "curl",
        f"-X {op.method}",
        shlex.quote(base_url + example_path(op)),
    ]
    options: list[str] = []
    if op.auth == "bearer":
        # Double quotes, so the shell fills in the key from the environment.
        options.append('-H "Authorization: Bearer $PLEKWIJZER_KEY"')
    if op.if_match:
        options.append("-H " + shlex.quote(f"If-Match: {etag_example(op)}"))
    if op.idempotency_key:
        options.append("-H " + shlex.quote(f"Idempotency-Key: {IDEMPOTENCY_EXAMPLE}"))
    if op.response_media == CSV:
        options.append(f"-o {CSV_FILE}")
    bodies: list[list[str]] = []
    example = request_example(op)
    if example is not None:
        text = json.dumps(example, indent=2, ensure_ascii=False)
        bodies.append([f"-H 'Content-Type: {JSON}'", "--data-binary " + shlex.quote(text)])
    if op.csv:
        bodies.append([f"-H 'Content-Type: {CSV}'", f"--data-binary @{CSV_FILE}"])
    first_line = " ".join(head)
    return [" \\\n  ".join([first_line, *options, *body]) for body in bodies or [[]]]


def type_label(schema: dict[str, Any], defs: dict[str, Any]) -> str:
    """A short, language-neutral description of a JSON schema's type."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        target = defs.get(name, {})
        return type_label(target, defs) if "enum" in target else name
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"])
    if "anyOf" in schema:
        options = [option for option in schema["anyOf"] if option.get("type") != "null"]
        label = " | ".join(type_label(option, defs) for option in options)
        return f"{label} | null" if len(options) < len(schema["anyOf"]) else label
    kind = schema.get("type", "any")
    if kind == "array":
        return f"[{type_label(schema.get('items', {}), defs)}]"
    if "format" in schema:
        return f"{kind} ({schema['format']})"
    if "minimum" in schema and "maximum" in schema:
        return f"{kind} {schema['minimum']}–{schema['maximum']}"
    return str(kind)


@cache
def field_rows(model: type[BaseModel]) -> tuple[FieldRow, ...]:
    """The request model's fields, required ones first; a list of objects (the rows of a
    bulk upload, the entries of a waiting list) also gets a row per field of its items.

    Kept per model: generating the JSON schema was most of the page's time."""
    schema = model.model_json_schema()
    return tuple(_object_rows(schema, schema.get("$defs", {}), prefix=""))


def _object_rows(schema: dict[str, Any], defs: dict[str, Any], prefix: str) -> list[FieldRow]:
    required = set(schema.get("required", []))
    rows = []
    for name, sub in schema.get("properties", {}).items():
        rows.append(
            FieldRow(prefix + name, type_label(sub, defs), name in required, _description(sub))
        )
        item = sub.get("items", {}).get("$ref", "").rsplit("/", 1)[-1]
        if sub.get("type") == "array" and "properties" in defs.get(item, {}):
            rows += _object_rows(defs[item], defs, prefix=f"{prefix}{name}[].")
    return sorted(rows, key=lambda row: (row.name.count("[]"), not row.required))


def _description(schema: dict[str, Any]) -> str:
    if "description" in schema:
        return str(schema["description"])
    # An Annotated type's description sits inside the non-null branch.
    described = [
        option["description"] for option in schema.get("anyOf", []) if "description" in option
    ]
    return str(described[0]) if described else ""


def operation_view(op: Operation, lang: str, base_url: str) -> OperationView:
    """The call in `lang`, with its curl examples."""
    index = LANGUAGES.index(lang)
    model = op.request
    return OperationView(
        anchor=op.name,
        method=op.method,
        path=op.openapi_path,
        summary=(op.summary_nl, op.summary_en)[index],
        description=(op.description_nl, op.description_en)[index],
        scope=op.scope,
        public=op.auth == "public",
        request_model=model.__name__ if model else None,
        request_note=(model.__doc__ or "").strip() if model else "",
        request_media=op.request_media,
        csv_example=op.csv_example,
        fields=field_rows(model) if model else (),
        response=" ".join(
            part
            for part in (
                str(op.status),
                op.response_media if op.status != 204 else "",
                op.response.__name__ if op.response else "",
            )
            if part
        ),
        errors=op.error_statuses,
        curls=curl_examples(op, base_url),
    )


def api_docs(request: Request) -> HTMLResponse:
    """The docs page; `?lang=en` for English, anything else gives Dutch."""
    lang = "en" if request.query_params.get("lang") == "en" else "nl"
    base_url = str(request.base_url).rstrip("/")
    settings = settings_of(request)
    index = LANGUAGES.index(lang)
    groups = [
        (
            tag,
            names[index],
            [operation_view(op, lang, base_url) for op in OPERATIONS if op.tag == tag],
        )
        for tag, names in TAGS.items()
    ]
    html = templates.get_template("api_docs.html").render(
        lang=lang,
        other_lang="en" if lang == "nl" else "nl",
        t=TEXT[lang],
        groups=[group for group in groups if group[2]],
        scopes=SCOPES,
        errors=[(status, texts[index]) for status, texts in ERROR_TEXTS.items()],
        rate=settings.provider_rate_per_minute,
        max_body=settings.max_body_bytes,
        max_bulk_body=settings.max_bulk_body_bytes,
        has_idempotency=any(op.idempotency_key for op in OPERATIONS),
        base_url=base_url,
        problem_example=PROBLEM_EXAMPLE.model_dump_json(indent=2),
        style_url=f"/static/{request.app.state.style_sheet.name}",
    )
    return HTMLResponse(html, headers={"Content-Language": lang})
