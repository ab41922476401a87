"""The browser helpers catch what they promise, also on a page whose CSP forbids inline
scripts: axe finds violations and names them; `console_errors` sees a blocked script."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Route

from tests.e2e.axe import assert_accessible, axe_violations

STRICT_CSP = "default-src 'self'; script-src 'self'; frame-ancestors 'none'"
PAGE = """<!doctype html><html lang="nl"><head><title>Test</title></head>
<body><main><h1>Test</h1>{body}</main></body></html>"""


def serve(page: Page, body: str) -> None:
    """Answer every request of `page` with PAGE (strict CSP) from inside the browser."""

    def fulfil(route: Route) -> None:
        route.fulfill(
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": STRICT_CSP},
            body=PAGE.format(body=body),
        )

    page.route("**/*", fulfil)
    page.goto("http://plekwijzer.test/")


def test_an_image_without_alt_text_is_a_violation_with_its_selector(page: Page) -> None:
    serve(page, '<img src="/chart.png" id="chart">')

    violations = axe_violations(page)

    assert [(v.rule, v.targets) for v in violations] == [("image-alt", ("#chart",))]


def test_the_failure_names_rule_impact_and_element(page: Page) -> None:
    serve(page, '<label>Postcode</label><input id="postcode">')

    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)

    assert "label (critical)" in str(failure.value)
    assert "#postcode" in str(failure.value)


def test_a_labelled_field_passes(page: Page) -> None:
    serve(page, '<label for="postcode">Postcode</label><input id="postcode">')

    assert_accessible(page)


def test_a_script_the_csp_blocks_is_a_console_error(page: Page, console_errors: list[str]) -> None:
    serve(page, "<script>document.title = 'ran'</script>")

    assert page.title() == "Test"
    assert any("Content Security Policy" in error for error in console_errors), console_errors
