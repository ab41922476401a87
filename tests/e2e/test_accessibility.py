"""Every page meets WCAG 2.1 AA by axe-core, on a phone and on a desktop, in real Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize

from tests.e2e.axe import assert_accessible
from tests.e2e.live import DESKTOP, MOBILE

# Known failures of the API docs (web/templates/api_docs.html); strict, so the fix shows
# up as XPASS and this mark must go.
API_DOCS_KNOWN = pytest.mark.xfail(
    reason="API docs: <pre> code samples scroll but cannot take keyboard focus (axe "
    "scrollable-region-focusable); the field tables make the page 792 px wide at 390 px",
    raises=AssertionError,
    strict=True,
)
# Every page a visitor can reach, with the query strings that change what it shows.
PAGES = [
    pytest.param("/api/v1/docs", marks=API_DOCS_KNOWN),
    pytest.param("/api/v1/docs?lang=en", marks=API_DOCS_KNOWN),
]


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["390px", "1280px"])
@pytest.mark.parametrize("path", PAGES)
def test_page_meets_wcag_21_aa(page: Page, path: str, viewport: ViewportSize) -> None:
    response = page.goto(path)

    assert response is not None
    assert response.ok, f"{path} answered {response.status}"
    assert page.locator("html").get_attribute("lang"), "<html> has no lang"
    assert page.locator("h1").count() >= 1, "the page has no <h1>"
    # WCAG 1.4.10 (reflow), which axe cannot see: no sideways scrolling of the whole page.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], (
        f"the page is {width} px wide in a {viewport['width']} px window"
    )
    assert_accessible(page)
