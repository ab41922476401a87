"""Assertions about HTTP answers shared by the API tests."""

from typing import Any


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """The answer is a problem+json document with this status; returns its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert {"type", "title", "status", "detail", "invalid_params"} <= set(body)
    return body
