"""A running Plekwijzer and a real Chromium, for the browser tests and `make screenshots`.

`live_server` serves the app over HTTP on 127.0.0.1 from a fresh SQLite database with the
demo catalogue, as `plekwijzer serve --demo` would. `launch_chromium` starts Debian's
chromium (scripts/install-chromium.sh installs it) through Playwright: Playwright's own
browser downloads are not used.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn
from urllib.error import URLError

import pytest
import uvicorn
from playwright.sync_api import Browser, Playwright, ViewportSize
from sqlalchemy.orm import Session, sessionmaker

from directory.config import Settings
from directory.db import make_engine, make_session_factory, unit_of_work
from directory.devdata.demo import load_demo
from directory.migrate import upgrade
from directory.reference import load_reference_data
from directory.signals.service import evaluate_as_configured
from sync.relay import rebuild_index
from web.app import create_app
from web.cli_kit import server_options

CHROMIUM_VARIABLE = "PLEKWIJZER_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
# This machine's network is closed: without the background-networking flags Chromium's
# own connections (updates, sync, QUIC probes) are refused and slow every start.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
# Browser tests load many pages from one address; the production limits would refuse them.
GENEROUS_LIMITS: dict[str, Any] = {
    "public_rate_per_minute": 1_000_000,
    "waitlist_lookups_per_minute": 1_000_000,
    "provider_rate_per_minute": 1_000_000,
}
STARTUP_SECONDS = 30.0
# A common phone and a laptop; full-page screenshots grow past the height.
MOBILE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}


def missing_component(reason: str) -> NoReturn:
    """Skip on a developer's machine, fail in CI (`CI` set), where nothing may be skipped:
    the convention of tests/conftest.py for PostgreSQL."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def chromium_path() -> Path:
    """The Chromium executable: `PLEKWIJZER_CHROMIUM`, else Debian's /usr/bin/chromium."""
    return Path(os.environ.get(CHROMIUM_VARIABLE) or DEFAULT_CHROMIUM)


def chromium_missing() -> str | None:
    """Why Chromium cannot be started, or None when its executable is there."""
    path = chromium_path()
    if os.access(path, os.X_OK):
        return None
    return f"Chromium is not installed at {path} (scripts/install-chromium.sh installs it)"


def launch_chromium(playwright: Playwright, **options: Any) -> Browser:
    """Start headless Chromium from `chromium_path()`; `options` go to `chromium.launch`."""
    return playwright.chromium.launch(
        executable_path=chromium_path(), args=list(CHROMIUM_ARGS), **options
    )


def demo_settings(directory: Path, **overrides: Any) -> Settings:
    """Settings for a live server: a SQLite file in `directory`, the embedded search,
    generous rate limits; `overrides` win. The environment and any .env are ignored, so a
    developer's MEILI_URL or DATABASE_URL cannot leak in."""
    values: dict[str, Any] = {
        "database_url": f"sqlite:///{directory / 'plekwijzer.db'}",
        "meili_url": None,
        **GENEROUS_LIMITS,
        **overrides,
    }
    return Settings(_env_file=None, **values)


@dataclass(frozen=True)
class LiveServer:
    url: str  # http://127.0.0.1:PORT, no trailing slash
    # The server's own database: add rows a test needs (e.g. waiting-list entries) with
    # `unit_of_work(live.session_factory)`; the server sees them once committed.
    session_factory: sessionmaker[Session]
    settings: Settings


@contextmanager
def live_server(directory: Path, **overrides: Any) -> Iterator[LiveServer]:
    """Serve the app with the demo catalogue from a new database in `directory` and yield
    it once `/health` answers.

    Runs uvicorn in a background thread of this process, on a port the system picks;
    `overrides` are settings (see `demo_settings`). Stops the server on exit.
    """
    settings = demo_settings(directory, **overrides)
    engine = make_engine(settings.database_url)
    try:
        now = datetime.now(UTC)
        upgrade(engine)
        factory = make_session_factory(engine)
        with unit_of_work(factory) as session:
            load_reference_data(session)
            load_demo(session, now)
            evaluate_as_configured(session, settings, now)
        # No relay or scheduler thread: the catalogue does not change under the browser,
        # so building the search index once is enough.
        app = create_app(settings, session_factory=factory)
        for backend in app.state.search.backends:
            rebuild_index(factory, backend, now)
        with _serving(app, settings) as url:
            yield LiveServer(url, factory, settings)
    finally:
        engine.dispose()


@contextmanager
def _serving(app: Any, settings: Settings) -> Iterator[str]:
    # The socket is bound before uvicorn starts, so no other process can take the port.
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        config = uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            ws="none",
            lifespan="on",
            **server_options(settings),  # as `plekwijzer serve` runs it
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="live-server", daemon=True
        )
        thread.start()
        try:
            _wait_until_healthy(url, thread)
            yield url
        finally:
            server.should_exit = True
            thread.join(timeout=STARTUP_SECONDS)


def _wait_until_healthy(url: str, thread: threading.Thread) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("The live server stopped while starting (see the log above)")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (URLError, ConnectionError):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"The live server did not answer {url}/health in {STARTUP_SECONDS} s")
