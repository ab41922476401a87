"""One figure per offer everywhere: the search API, the offer API, a signal, the search
page, the offer page and the "wachttijd te lang" page all state the same status, open
places and wait for the same offer (a parent who compares them must never read "geen
wachttijd" in one place and 3 weeks in another)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.testclient import TestClient

from directory.config import Settings
from directory.db import unit_of_work
from directory.enums import AvailabilityStatus
from directory.signals.service import evaluate_as_configured
from tests.factories import (
    create_contract,
    create_location,
    create_offer,
    create_organisation,
    create_report,
)
from tests.web.conftest import index
from tests.web.pages.parents.test_routes import text_of

ROTTERDAM = "GM0599"


@pytest.fixture
def browser(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def shortage_with_an_alternative(session: Session, now: datetime) -> int:
    """Rotterdam's one contracted ambulant provider waits 30 weeks; a provider without a
    contract, 5 km away, accepts a PGB and has 2 open places after a 3-week intake."""
    contracted = create_organisation(session, name="Jeugdhulp Maas")
    there = create_location(session, contracted, municipality_code=ROTTERDAM, lat=51.92, lon=4.48)
    bought = create_offer(session, contracted, [there], name="Ambulant Maas")
    create_contract(session, bought, ROTTERDAM)
    create_report(session, bought, now=now, intake_wait_weeks=10, treatment_wait_weeks=20)
    other = create_organisation(session, name="Zorgpunt Kralingen")
    near = create_location(session, other, municipality_code=ROTTERDAM, lat=51.92, lon=4.41)
    alternative = create_offer(session, other, [near], name="Ambulant Kralingen", accepts_pgb=True)
    create_report(
        session,
        alternative,
        now=now,
        status=AvailabilityStatus.OPEN,
        open_places=2,
        intake_wait_weeks=3,
        treatment_wait_weeks=0,
    )
    session.commit()
    return alternative.id


def test_the_same_offer_shows_the_same_figure_in_every_place(
    app: Starlette,
    browser: TestClient,
    session: Session,
    session_factory: sessionmaker[Session],
    now: datetime,
) -> None:
    offer_id = shortage_with_an_alternative(session, now)
    with unit_of_work(session_factory) as work:
        evaluate_as_configured(work, Settings(_env_file=None), now)
    index(app, now)
    figure = ("open", 2, 3)

    hits = browser.get("/api/v1/offers", params={"q": "Kralingen"}).json()["items"]
    (hit,) = [item for item in hits if item["id"] == offer_id]
    assert (hit["status"], hit["open_places"], hit["total_wait_weeks"]) == figure

    detail = browser.get(f"/api/v1/offers/{offer_id}").json()["availability"]
    assert (detail["status"], detail["open_places"], detail["total_wait_weeks"]) == figure

    (signal,) = browser.get(
        "/api/v1/signals", params={"municipality": ROTTERDAM, "state": "open"}
    ).json()["items"]
    shown = browser.get(f"/api/v1/signals/{signal['id']}").json()["alternatives"]
    (alternative,) = [item for item in shown if item["offer_id"] == offer_id]
    assert (
        alternative["status"],
        alternative["open_places"],
        alternative["total_wait_weeks"],
    ) == figure

    card = _after(
        text_of(browser.get("/zoeken", params={"q": "Kralingen"}).text), "Ambulant Kralingen"
    )
    page = _after(text_of(browser.get(f"/aanbod/{offer_id}").text), "Ambulant Kralingen")
    too_long = _after(
        text_of(browser.get("/wachttijd-te-lang", params={"gemeente": ROTTERDAM}).text),
        "Ambulant Kralingen",
    )
    for words in (card, page, too_long):
        assert "Plaats vrij" in words
        assert re.search(r"Vrije plaatsen 2\b|\b2 vrije plaatsen", words)
        assert "3 weken" in words
        assert "geen wachttijd" not in words


def _after(text: str, name: str, length: int = 400) -> str:
    """What a reader sees from the offer's name on: its card, line or heading."""
    return text[text.index(name) : text.index(name) + length]
