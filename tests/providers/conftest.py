"""A provider API client per test: the app on the test's rolled-back transaction, a fixed
clock, and `create_*` helpers for organisations with keys."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from directory.accounts.keys import SCOPES, create_key
from directory.catalogue.models import Location, Offer, Organisation
from directory.config import Settings
from directory.enums import OfferKind, OrganisationKind
from tests.factories import create_location, create_offer, create_organisation
from web.app import create_app


@dataclass
class Provider:
    """An organisation with a key, one location and one offer at it."""

    organisation: Organisation
    key: str
    key_id: int
    location: Location
    offer: Offer

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


def create_provider(
    session: Session, now: datetime, scopes: tuple[str, ...] = SCOPES, **offer_fields: Any
) -> Provider:
    organisation = create_organisation(session, kind=OrganisationKind.CARE_PROVIDER)
    location = create_location(session, organisation)
    offer_fields.setdefault("kind", OfferKind.YOUTH_CARE)
    offer = create_offer(session, organisation, [location], **offer_fields)
    client, key = create_key(session, organisation.id, list(scopes), "test", now)
    session.flush()
    return Provider(organisation, key, client.id, location, offer)


@pytest.fixture
def settings() -> Settings:
    return Settings(_env_file=None, provider_rate_per_minute=1000, waitlist_lookups_per_minute=5)


@pytest.fixture
def api(
    session_factory: sessionmaker[Session], settings: Settings, now: datetime
) -> Iterator[TestClient]:
    app = create_app(settings, session_factory=session_factory, clock=lambda: now)
    with TestClient(app) as client:
        yield client


@pytest.fixture
def provider(session: Session, now: datetime) -> Provider:
    provider = create_provider(session, now)
    session.commit()
    return provider


@pytest.fixture
def other(session: Session, now: datetime) -> Provider:
    """Another organisation, whose data `provider` must never reach."""
    other = create_provider(session, now)
    session.commit()
    return other
