"""The security-header check accepts a strict set and names each thing that is lax."""

from __future__ import annotations

import re

import pytest

from tests.e2e.headers import assert_security_headers, security_header_problems

GOOD = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def test_strict_headers_pass_in_any_letter_case() -> None:
    assert_security_headers({name.lower(): value for name, value in GOOD.items()})
    assert_security_headers(GOOD)


@pytest.mark.parametrize(
    ("header", "value", "problem"),
    [
        ("Content-Security-Policy", None, "no Content-Security-Policy"),
        (
            "Content-Security-Policy",
            "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
            "CSP script-src allows 'unsafe-inline'",
        ),
        (
            "Content-Security-Policy",
            "default-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
            "CSP script-src allows 'unsafe-inline'",
        ),
        (
            "Content-Security-Policy",
            "img-src 'self'; frame-ancestors 'none'",
            "CSP limits no scripts (neither script-src nor default-src)",
        ),
        (
            "Content-Security-Policy",
            "default-src 'self'; frame-ancestors 'self'",
            "CSP lacks frame-ancestors 'none'",
        ),
        ("X-Content-Type-Options", None, "no X-Content-Type-Options: nosniff"),
        ("Referrer-Policy", None, "no Referrer-Policy"),
        (
            "Referrer-Policy",
            "unsafe-url",
            "Referrer-Policy 'unsafe-url' may send the page address to other sites",
        ),
    ],
)
def test_each_lax_header_is_named(header: str, value: str | None, problem: str) -> None:
    headers = {name: v for name, v in GOOD.items() if name != header}
    if value is not None:
        headers[header] = value

    assert security_header_problems(headers) == [problem]
    with pytest.raises(AssertionError, match=re.escape(problem)):
        assert_security_headers(headers)
