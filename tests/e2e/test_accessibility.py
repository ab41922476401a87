"""Every page meets WCAG 2.1 AA by axe-core, on a phone and on a desktop, in real Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize

from tests.e2e.axe import assert_accessible
from tests.e2e.live import DESKTOP, MOBILE

# Every page a visitor can reach, with the query strings that change what it shows. Offer
# 1 is in the demo catalogue with figures, contracts and history; GM0599 (Rotterdam) has
# open signals.
PAGES = [
    "/",
    "/?lang=en",
    "/zoeken?kind=youth_care&age=9&near=Rotterdam&gemeente=GM0599&sort=wait",
    "/zoeken?q=autisme&lang=en",
    "/zoeken?age=twaalf&near=Atlantis",  # the form with errors
    "/zoeken?q=zzzzzz",  # no results
    "/aanbod/1?terug=gemeente%3DGM0599",
    "/aanbod/1?lang=en",
    "/wachtlijst",
    "/wachttijd-te-lang?gemeente=GM0599",
    "/wachttijd-te-lang?lang=en",
    "/bestaat-niet",
    "/api/v1/docs",
    "/api/v1/docs?lang=en",
]


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["390px", "1280px"])
@pytest.mark.parametrize("path", PAGES)
def test_page_meets_wcag_21_aa(page: Page, path: str, viewport: ViewportSize) -> None:
    response = page.goto(path)

    assert response is not None
    assert response.status < 500, f"{path} answered {response.status}"
    assert page.locator("html").get_attribute("lang"), "<html> has no lang"
    assert page.locator("h1").count() >= 1, "the page has no <h1>"
    # WCAG 1.4.10 (reflow), which axe cannot see: no sideways scrolling of the whole page.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], (
        f"the page is {width} px wide in a {viewport['width']} px window"
    )
    assert_accessible(page)
