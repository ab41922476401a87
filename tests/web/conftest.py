"""The app under test for tests/web: built on the test's rolled-back database and fixed
clock. A module that needs other settings overrides the `settings` fixture."""

from datetime import datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.testclient import TestClient

from directory.config import Settings
from sync.relay import rebuild_index
from web.app import create_app


@pytest.fixture
def settings() -> Settings:
    return Settings(_env_file=None)


@pytest.fixture
def app(settings: Settings, session_factory: sessionmaker[Session], now: datetime) -> Starlette:
    return create_app(settings, session_factory=session_factory, clock=lambda: now)


def index(app: Starlette, now: datetime) -> None:
    """Build every search index of `app` from the catalogue as committed so far."""
    for backend in app.state.search.backends:
        rebuild_index(app.state.session_factory, backend, now)


def publish_wait(
    api: TestClient, key: str, offer_id: int, at: datetime, intake: int, treatment: int
) -> None:
    """A provider publishes a waiting list with these waits through its API, as its own
    system would."""
    published = api.post(
        f"/api/v1/provider/offers/{offer_id}/availability",
        json={
            "status": "waitlist",
            "measured_at": at.isoformat(),
            "intake_wait_weeks": intake,
            "treatment_wait_weeks": treatment,
        },
        headers={"Authorization": f"Bearer {key}"},
    )
    assert published.status_code == 201, published.text
