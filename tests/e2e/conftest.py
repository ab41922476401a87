"""Browser tests: the app served over HTTP with the demo catalogue, driven by real Chromium.

`base_url` is one live server for all of tests/e2e (package scope: the server thread and
Playwright's event loop stop before other packages' tests run); `page` is a new browser
context (own cookies, storage and viewport) per test, whose relative URLs resolve against
`base_url`: ``page.goto("/api/v1/docs")``. Set the viewport, browser language or JavaScript
per test by parametrizing the fixture of that name::

    @pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["390px", "1280px"])
    def test_...(page: Page) -> None: ...

Chromium missing (scripts/install-chromium.sh, run by `make test`, installs it): these
tests are skipped on a developer's machine and fail in CI.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright

from tests.e2e.live import (
    DESKTOP,
    LiveServer,
    chromium_missing,
    launch_chromium,
    live_server,
    missing_component,
)

# Fail a step in seconds, not Playwright's default 30: pages here are small and local.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="package")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server with the demo catalogue for all browser tests. They share its database:
    add the rows a test needs, do not change the demo rows other tests rely on."""
    with live_server(tmp_path_factory.mktemp("live")) as server:
        yield server


@pytest.fixture(scope="package")
def base_url(live: LiveServer) -> str:
    """The live server's address, e.g. ``http://127.0.0.1:41234`` (no trailing slash)."""
    return live.url


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if reason := chromium_missing():
        missing_component(reason)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def viewport() -> ViewportSize:
    return DESKTOP


@pytest.fixture
def locale() -> str:
    """The browser's language (its Accept-Language); a Dutch parent's by default."""
    return "nl-NL"


@pytest.fixture
def java_script_enabled() -> bool:
    return True


@pytest.fixture
def context(
    browser: Browser,
    base_url: str,
    viewport: ViewportSize,
    locale: str,
    java_script_enabled: bool,
) -> Iterator[BrowserContext]:
    context = browser.new_context(
        base_url=base_url,
        viewport=viewport,
        locale=locale,
        java_script_enabled=java_script_enabled,
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """What the page reports as errors while the test runs: console errors (a script
    blocked by the CSP shows up here) and uncaught exceptions. Assert it stays empty."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    return errors
