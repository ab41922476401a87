"""The security headers every page must send (issue 6): checked on a response's headers.

Works on any mapping of header names to values: a Starlette TestClient/httpx response's
`headers`, or a Playwright `Response.all_headers()` (``page.goto(...)`` returns it).
"""

from __future__ import annotations

from collections.abc import Mapping

# Values that keep a parent's search (in the URL) from reaching other sites.
PRIVATE_REFERRER_POLICIES = frozenset(
    {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
)


def content_security_policy(value: str) -> dict[str, list[str]]:
    """The directives of a Content-Security-Policy header, by lower-case name."""
    directives: dict[str, list[str]] = {}
    for part in value.split(";"):
        if words := part.split():
            # A repeated directive is ignored by browsers: the first one counts.
            directives.setdefault(words[0].lower(), words[1:])
    return directives


def security_header_problems(headers: Mapping[str, str]) -> list[str]:
    """What is missing or too lax in these response headers; empty when all is well."""
    lower = {name.lower(): value for name, value in headers.items()}
    problems = []
    csp = lower.get("content-security-policy")
    if csp is None:
        problems.append("no Content-Security-Policy")
    else:
        directives = content_security_policy(csp)
        # Without script-src, browsers fall back to default-src.
        scripts = directives.get("script-src", directives.get("default-src"))
        if scripts is None:
            problems.append("CSP limits no scripts (neither script-src nor default-src)")
        elif "'unsafe-inline'" in scripts:
            problems.append("CSP script-src allows 'unsafe-inline'")
        if directives.get("frame-ancestors") != ["'none'"]:
            problems.append("CSP lacks frame-ancestors 'none'")
    if lower.get("x-content-type-options", "").strip().lower() != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    referrer = lower.get("referrer-policy")
    if referrer is None:
        problems.append("no Referrer-Policy")
    # Browsers use the last value they understand in a comma-separated list.
    elif referrer.split(",")[-1].strip().lower() not in PRIVATE_REFERRER_POLICIES:
        problems.append(f"Referrer-Policy {referrer!r} may send the page address to other sites")
    return problems


def assert_security_headers(headers: Mapping[str, str]) -> None:
    """Fail with every problem `security_header_problems` finds."""
    problems = security_header_problems(headers)
    assert not problems, "security headers: " + "; ".join(problems)
