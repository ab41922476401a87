"""Writers at the same moment, on real committed data: one wins, the others are told why.

These tests commit (row locks only work across transactions), so they clean up after
themselves.
"""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from directory.accounts.models import ApiClient
from directory.catalogue.models import (
    AuditEvent,
    AvailabilityReport,
    CurrentAvailability,
    Location,
    Offer,
    Organisation,
    WaitlistEntry,
    offer_location,
)
from directory.config import Settings
from directory.db import make_session_factory, unit_of_work
from directory.search_index import IndexOutbox
from providers.waitlist import hash_reference
from tests.providers.conftest import Provider, create_provider

WRITERS = 4


@pytest.fixture
def committed(engine: Engine, now: datetime) -> Iterator[tuple[TestClient, Provider]]:
    factory = make_session_factory(engine)
    with unit_of_work(factory) as session:
        provider = create_provider(session, now)
    app = create_app_for(factory, now)
    with TestClient(app) as api:
        yield api, provider
    with unit_of_work(factory) as session:
        offers = select(Offer.id).where(Offer.organisation_id == provider.organisation.id)
        for table, column in (
            (CurrentAvailability, CurrentAvailability.offer_id),
            (AvailabilityReport, AvailabilityReport.offer_id),
            (IndexOutbox, IndexOutbox.offer_id),
            (WaitlistEntry, WaitlistEntry.offer_id),
        ):
            session.execute(delete(table).where(column.in_(offers)))
        session.execute(delete(offer_location).where(offer_location.c.offer_id.in_(offers)))
        session.execute(
            delete(AuditEvent).where(AuditEvent.organisation_id == provider.organisation.id)
        )
        session.execute(delete(Offer).where(Offer.organisation_id == provider.organisation.id))
        session.execute(
            delete(Location).where(Location.organisation_id == provider.organisation.id)
        )
        session.execute(
            delete(ApiClient).where(ApiClient.organisation_id == provider.organisation.id)
        )
        session.execute(delete(Organisation).where(Organisation.id == provider.organisation.id))


def create_app_for(factory: Any, now: datetime) -> Any:
    from web.app import create_app

    return create_app(Settings(_env_file=None), session_factory=factory, clock=lambda: now)


def test_writers_with_the_same_etag_get_one_success_and_412s(
    committed: tuple[TestClient, Provider],
) -> None:
    api, provider = committed
    url = f"/api/v1/provider/offers/{provider.offer.id}"
    etag = api.get(url, headers=provider.auth).headers["ETag"]

    def write(number: int) -> int:
        headers = {**provider.auth, "If-Match": etag}
        return api.patch(url, json={"name": f"Schrijver {number}"}, headers=headers).status_code

    with ThreadPoolExecutor(WRITERS) as pool:
        statuses = sorted(pool.map(write, range(WRITERS)))
    assert statuses == [200] + [412] * (WRITERS - 1)


def test_reports_racing_a_delete_are_stored_or_not_found_never_a_crash(
    committed: tuple[TestClient, Provider], now: datetime
) -> None:
    api, provider = committed
    url = f"/api/v1/provider/offers/{provider.offer.id}"
    etag = api.get(url, headers=provider.auth).headers["ETag"]
    body = {"status": "waitlist", "measured_at": now.isoformat(), "intake_wait_weeks": 3}

    def act(number: int) -> int:
        if number == 0:
            return api.delete(url, headers={**provider.auth, "If-Match": etag}).status_code
        return api.post(f"{url}/availability", json=body, headers=provider.auth).status_code

    with ThreadPoolExecutor(WRITERS) as pool:
        statuses = list(pool.map(act, range(WRITERS)))
    assert statuses[0] == 204
    assert set(statuses[1:]) <= {201, 404}


def test_waiting_lists_replaced_at_the_same_moment_are_never_mixed(
    committed: tuple[TestClient, Provider], engine: Engine
) -> None:
    api, provider = committed
    url = f"/api/v1/provider/offers/{provider.offer.id}/waitlist"
    lists = [[f"LIST-{number}-{place}-CODE" for place in (1, 2, 3)] for number in range(WRITERS)]

    def publish(number: int) -> int:
        entries = [
            {"reference": reference, "position": place}
            for place, reference in enumerate(lists[number], start=1)
        ]
        return api.put(url, json={"entries": entries}, headers=provider.auth).status_code

    with ThreadPoolExecutor(WRITERS) as pool:
        statuses = list(pool.map(publish, range(WRITERS)))
    assert statuses == [200] * WRITERS
    with Session(engine) as session:
        stored = set(
            session.scalars(
                select(WaitlistEntry.reference_hash).where(
                    WaitlistEntry.offer_id == provider.offer.id
                )
            )
        )
    # The last writer's list, whole, and nothing of the others.
    assert stored in [{hash_reference(reference) for reference in codes} for codes in lists]
