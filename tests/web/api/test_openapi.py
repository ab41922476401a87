import html
import json
import re
import shlex
from datetime import datetime
from typing import Any

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from sqlalchemy.orm import Session, sessionmaker
from starlette.routing import Route
from starlette.testclient import TestClient

from directory.accounts.keys import SCOPES, create_key
from directory.config import Settings
from tests.factories import create_organisation
from web.api.docs import example_path
from web.api.openapi import request_example
from web.api.operations import Operation
from web.app import create_app
from web.capabilities import OPERATIONS
from web.kit.http import parse_model

BASE = "http://testserver"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture
def client() -> TestClient:
    # Neither endpoint touches the database.
    return TestClient(create_app(Settings(_env_file=None, database_url="sqlite://")))


@pytest.fixture
def document(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def served_calls(client: TestClient) -> set[tuple[str, str]]:
    calls = set()
    for route in client.app.routes:  # type: ignore[attr-defined]
        assert isinstance(route, Route), f"{route!r}: teach this test about mounts"
        calls |= {(method, route.path) for method in (route.methods or set()) - {"HEAD"}}
    return calls


def resolve(document: dict[str, Any], ref: str) -> dict[str, Any]:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    assert isinstance(node, dict)
    return node


def code_blocks(page: str) -> list[str]:
    return [
        html.unescape(block) for block in re.findall(r"<pre><code>(.*?)</code></pre>", page, re.S)
    ]


def command_line(curl: str) -> list[str]:
    """`curl [-i] -X METHOD URL` as the shell would split it."""
    return shlex.split(curl.splitlines()[0].removesuffix("\\"))


def test_every_api_route_is_documented_and_every_documented_call_exists(
    client: TestClient,
) -> None:
    served = served_calls(client)
    documented = {(op.method, op.path) for op in OPERATIONS}
    assert len(documented) == len(OPERATIONS), "a call is documented twice"
    under_api = {call for call in served if call[1].startswith("/api/v1")}
    assert under_api - documented == set(), "served but not documented"
    assert documented - served == set(), "documented but not served"


def test_openapi_json_is_valid_openapi_3_1_and_needs_no_key(client: TestClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    document = response.json()
    assert document["openapi"].startswith("3.1.")
    validate(document, cls=OpenAPIV31SpecValidator)


def test_every_reference_in_the_document_resolves(document: dict[str, Any]) -> None:
    refs = re.findall(r'"\$ref": "([^"]+)"', json.dumps(document))
    assert refs
    for ref in refs:
        assert resolve(document, ref)


def test_the_availability_report_carries_the_design_fields_both_ways(
    document: dict[str, Any],
) -> None:
    call = document["paths"]["/api/v1/provider/offers/{id}/availability"]["post"]
    request = call["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    response = call["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
    for ref in (request, response):
        properties = resolve(document, ref)["properties"]
        assert {"status", "measured_at", "intake_wait_weeks", "treatment_wait_weeks"} <= set(
            properties
        )
    assert resolve(document, request)["required"] == ["status", "measured_at"]
    assert call["security"] == [{"bearer": ["availability:write"]}]


def test_every_error_answer_is_a_problem_document(document: dict[str, Any]) -> None:
    problem = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "invalid_params"} <= set(problem["properties"])
    errors = 0
    for path in document["paths"].values():
        for call in path.values():
            for status, answer in call["responses"].items():
                if int(status) >= 400:
                    errors += 1
                    assert answer["content"] == {
                        "application/problem+json": {"schema": PROBLEM_REF}
                    }
    assert errors > len(OPERATIONS)


def test_provider_calls_need_a_bearer_key_and_say_what_they_answer_without_one(
    document: dict[str, Any],
) -> None:
    bearer = document["components"]["securitySchemes"]["bearer"]
    assert (bearer["type"], bearer["scheme"]) == ("http", "bearer")
    provider_calls = [
        (path, call)
        for path, calls in document["paths"].items()
        for call in calls.values()
        if path.startswith("/api/v1/provider/") and not path.endswith("template.csv")
    ]
    assert len(provider_calls) >= 14
    for path, call in provider_calls:
        assert call["security"][0].keys() == {"bearer"}, path
        assert {"401", "429"} <= set(call["responses"]), path
    lookup = document["paths"]["/api/v1/waitlist/{reference}"]["get"]
    assert lookup["security"] == []
    assert {"404", "429"} <= set(lookup["responses"])


def test_writes_that_need_if_match_declare_it_and_its_errors(document: dict[str, Any]) -> None:
    for method in ("put", "patch", "delete"):
        call = document["paths"]["/api/v1/provider/offers/{id}"][method]
        header = next(p for p in call["parameters"] if p["name"] == "If-Match")
        assert header["in"] == "header"
        assert header["required"] is True
        assert {"412", "428"} <= set(call["responses"])
    bulk = document["paths"]["/api/v1/provider/availability/bulk"]["post"]
    assert [p["name"] for p in bulk["parameters"]] == ["Idempotency-Key"]
    assert set(bulk["requestBody"]["content"]) == {"application/json", "text/csv"}


def test_each_call_asks_for_a_key_exactly_when_the_docs_say_so(
    session_factory: sessionmaker[Session],
) -> None:
    app = create_app(Settings(_env_file=None), session_factory=session_factory)
    with TestClient(app) as api:
        for op in OPERATIONS:
            # Everything the docs ask for except the key, so only the key can be missing.
            headers = {"If-Match": "*"} if op.if_match else {}
            content = b"{}" if op.has_body else None
            if op.has_body:
                headers["Content-Type"] = "application/json"
            response = api.request(op.method, example_path(op), content=content, headers=headers)
            if op.auth == "bearer":
                assert response.status_code == 401, op.name
                assert response.headers["WWW-Authenticate"].startswith("Bearer")
            else:
                assert response.status_code in {200, 404}, (op.name, response.text)


def test_each_call_asks_for_the_scope_the_docs_name(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    organisation = create_organisation(session)
    keys = {
        scope: create_key(session, organisation.id, [s for s in SCOPES if s != scope], "t", now)[1]
        for scope in SCOPES
    }
    session.commit()
    scoped = [op for op in OPERATIONS if op.scope]
    assert {op.scope for op in scoped} == set(SCOPES)
    app = create_app(Settings(_env_file=None), session_factory=session_factory)
    with TestClient(app) as api:
        for op in scoped:
            assert op.scope is not None
            # A key with every scope but the documented one, and all else the docs ask for.
            headers = {"Authorization": f"Bearer {keys[op.scope]}"}
            if op.if_match:
                headers["If-Match"] = "*"
            if op.has_body:
                headers["Content-Type"] = "application/json"
            content = b"{}" if op.has_body else None
            response = api.request(op.method, example_path(op), content=content, headers=headers)
            assert response.status_code == 403, (op.name, response.text)
            assert op.scope in response.json()["detail"], op.name


@pytest.mark.parametrize("op", [op for op in OPERATIONS if op.request], ids=lambda op: op.name)
def test_every_example_body_is_accepted_by_its_model(op: Operation) -> None:
    assert op.request is not None
    example = request_example(op)
    assert example
    parse_model(op.request, example)


@pytest.mark.parametrize(("query", "lang"), [("", "nl"), ("?lang=en", "en"), ("?lang=fr", "nl")])
def test_the_docs_page_has_a_curl_example_for_every_call(
    client: TestClient, query: str, lang: str
) -> None:
    response = client.get(f"/api/v1/docs{query}")
    assert response.status_code == 200
    page = response.text
    assert f'<html lang="{lang}">' in page
    assert response.headers["content-language"] == lang
    other = "en" if lang == "nl" else "nl"
    assert f'<a href="?lang={other}" hreflang="{other}"' in page
    curls = [block for block in code_blocks(page) if block.startswith("curl")]
    for op in OPERATIONS:
        url = BASE + example_path(op)
        mine = [curl for curl in curls if command_line(curl)[-2:] == [op.method, url]]
        assert mine, f"no curl example for {op.method} {op.path}"
        for curl in mine:
            assert ('-H "Authorization: Bearer $PLEKWIJZER_KEY"' in curl) == (op.auth == "bearer")
            assert ("If-Match: " in curl) == op.if_match
            assert ("Idempotency-Key: " in curl) == op.idempotency_key
            assert ("--data-binary" in curl) == op.has_body


def test_the_dutch_and_english_pages_differ_in_their_words(client: TestClient) -> None:
    dutch = client.get("/api/v1/docs").text
    english = client.get("/api/v1/docs?lang=en").text
    assert "Plaatsen en wachttijden melden" in dutch
    assert "Report places and waiting times" in english
    assert "Plaatsen en wachttijden melden" not in english


def test_the_docs_page_escapes_what_it_shows(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile = Operation(
        "hostile",
        "GET",
        "/api/v1/provider/offers",
        "offers",
        "<script>alert(1)</script>",
        "<script>alert(1)</script>",
        description_nl='"><img src=x onerror=alert(1)>',
    )
    monkeypatch.setattr("web.api.docs.OPERATIONS", [hostile])
    page = client.get("/api/v1/docs").text
    assert "<script>" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
