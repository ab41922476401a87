from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.testclient import TestClient

from directory.accounts.keys import create_key
from directory.config import Settings
from directory.enums import AvailabilityStatus, OfferKind, SchoolType
from sync.relay import rebuild_index, relay_once
from tests.factories import (
    create_contract,
    create_location,
    create_offer,
    create_organisation,
    create_report,
)
from tests.http import assert_problem
from tests.web.conftest import index, publish_wait
from web.app import create_app

OFFERS = "/api/v1/offers"


@pytest.fixture
def api(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def test_search_answers_items_totals_and_facets_with_freshness(
    app: Starlette, api: TestClient, session: Session, now: datetime
) -> None:
    organisation = create_organisation(session, name="Stichting Havenlicht")
    rotterdam = create_location(session, organisation, city="Rotterdam", lat=51.92, lon=4.48)
    fresh = create_offer(session, organisation, [rotterdam], name="Ambulante hulp bij angst")
    create_report(session, fresh, now=now, intake_wait_weeks=4, treatment_wait_weeks=6)
    stale = create_offer(session, organisation, [rotterdam], name="Ambulante hulp bij rouw")
    create_report(
        session,
        stale,
        now=now,
        measured_at=now - timedelta(days=40),
        intake_wait_weeks=1,
        treatment_wait_weeks=1,
    )
    session.commit()
    index(app, now)

    response = api.get(OFFERS, params={"q": "ambulante hulp", "sort": "wait"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == 2
    assert [item["id"] for item in body["items"]] == [fresh.id, stale.id]  # stale sorts last
    first, second = body["items"]
    assert (first["total_wait_weeks"], first["stale"], first["organisation"]) == (
        10,
        False,
        "Stichting Havenlicht",
    )
    assert (second["total_wait_weeks"], second["stale"], second["status"]) == (
        None,
        True,
        "unknown",
    )
    assert body["facets"]["kind"] == {"youth_care": 2}
    assert body["facets"]["status"] == {"waitlist": 1, "unknown": 1}
    assert body["degraded"] is False
    assert "distance_km" not in first  # only with near
    assert response.headers["Cache-Control"] == "public, max-age=30"


def test_any_site_may_read_the_public_api(api: TestClient) -> None:
    response = api.get(OFFERS, headers={"Origin": "https://gemeente.example"})
    assert response.headers["access-control-allow-origin"] == "*"


def test_bad_search_parameters_are_all_named(api: TestClient) -> None:
    params: dict[str, Any] = {
        "kind": "hospital",
        "cluster": "5",
        "radius_km": "10",
        "sort": "distance",
        "per_page": "1000",
        "municipality": "Rotterdam",
    }
    problem = assert_problem(api.get(OFFERS, params=params), 422)
    names = sorted(param["name"] for param in problem["invalid_params"])
    assert names == ["cluster", "kind", "municipality", "per_page", "radius_km", "sort"]


@pytest.mark.parametrize("leerjaar", ["0", "9", "groep 3", "3.5"])
def test_a_leerjaar_outside_groep_1_to_8_is_explained(api: TestClient, leerjaar: str) -> None:
    problem = assert_problem(api.get(OFFERS, params={"leerjaar": leerjaar}), 422)
    [invalid] = problem["invalid_params"]
    assert invalid["name"] == "leerjaar"
    assert "groep from 1 to 8" in invalid["reason"]
    assert "leerjaar from 1 to 6 (VSO)" in invalid["reason"]


def test_a_school_open_in_groep_1_but_waiting_80_weeks_in_groep_3(
    app: Starlette, api: TestClient, session: Session, now: datetime
) -> None:
    organisation = create_organisation(session, name="SO De Lindeboom")
    school = create_offer(
        session,
        organisation,
        [create_location(session, organisation)],
        kind=OfferKind.SPECIAL_EDUCATION,
        school_type=SchoolType.SO,
        cluster=3,
        leerjaren=[1, 3],
    )
    for leerjaar, status, places, wait in ((1, "open", 2, 0), (3, "waitlist", 0, 80)):
        create_report(
            session,
            school,
            now=now,
            leerjaar=leerjaar,
            status=AvailabilityStatus(status),
            open_places=places,
            intake_wait_weeks=wait,
            treatment_wait_weeks=0,
        )
    session.commit()
    index(app, now)

    [whole] = api.get(OFFERS).json()["items"]
    assert whole["varies_by_leerjaar"] is True
    assert [
        (item["leerjaar"], item["status"], item["total_wait_weeks"])
        for item in whole["by_leerjaar"]
    ] == [
        (1, "open", 0),
        (3, "waitlist", 80),
    ]
    [groep_3] = api.get(OFFERS, params={"leerjaar": "3"}).json()["items"]
    assert (groep_3["status"], groep_3["total_wait_weeks"], groep_3["by_leerjaar"]) == (
        "waitlist",
        80,
        [],
    )
    assert api.get(OFFERS, params={"leerjaar": "3", "has_places": "true"}).json()["total"] == 0
    [groep_1] = api.get(OFFERS, params={"leerjaar": "1", "has_places": "true"}).json()["items"]
    assert (groep_1["status"], groep_1["open_places"]) == ("open", 2)
    assert api.get(OFFERS, params={"leerjaar": "2"}).json()["total"] == 0  # not taught
    detail = api.get(f"{OFFERS}/{school.id}").json()["availability"]
    assert detail["varies_by_leerjaar"] is True
    assert [(item["leerjaar"], item["total_wait_weeks"]) for item in detail["by_leerjaar"]] == [
        (1, 0),
        (3, 80),
    ]


def test_near_a_place_gives_distances_and_an_unknown_place_is_explained(
    app: Starlette, api: TestClient, session: Session, now: datetime
) -> None:
    organisation = create_organisation(session)
    utrecht = create_location(
        session, organisation, city="Utrecht", municipality_code="GM0344", lat=52.09, lon=5.12
    )
    offer = create_offer(session, organisation, [utrecht])
    session.commit()
    index(app, now)
    near = api.get(
        OFFERS, params={"near": "Rotterdam", "radius_km": "60", "sort": "distance"}
    ).json()
    assert [(item["id"], item["distance_km"]) for item in near["items"]] == [
        (offer.id, pytest.approx(47.8, abs=1))
    ]
    assert api.get(OFFERS, params={"near": "Rotterdam", "radius_km": "20"}).json()["total"] == 0
    problem = assert_problem(api.get(OFFERS, params={"near": "Atlantis"}), 422)
    assert problem["invalid_params"][0]["name"] == "near"


def test_an_offer_shows_its_figures_per_leerjaar_contracts_and_history(
    api: TestClient, session: Session, now: datetime
) -> None:
    organisation = create_organisation(session)
    location = create_location(session, organisation)
    school = create_offer(
        session,
        organisation,
        [location],
        kind=OfferKind.SPECIAL_EDUCATION,
        school_type=SchoolType.VSO,
        cluster=4,
        leerjaren=[1, 2],
    )
    create_report(
        session,
        school,
        now=now,
        measured_at=now - timedelta(days=30),
        intake_wait_weeks=50,
        treatment_wait_weeks=0,
    )
    create_report(
        session,
        school,
        now=now,
        intake_wait_weeks=40,
        treatment_wait_weeks=0,
        waiting_list_size=30,
        bridging_count=12,
    )
    create_report(
        session, school, now=now, leerjaar=2, intake_wait_weeks=60, treatment_wait_weeks=0
    )
    create_contract(session, school, "GM0599")
    session.commit()
    response = api.get(f"{OFFERS}/{school.id}")
    assert response.status_code == 200, response.text
    offer = response.json()
    assert (offer["cluster"], offer["school_type"], offer["leerjaren"]) == (4, "vso", [1, 2])
    assert offer["availability"]["total_wait_weeks"] == 40
    figures = {figure["leerjaar"]: figure for figure in offer["availability"]["figures"]}
    assert figures[None]["netto_waiting_list_size"] == 18
    assert figures[2]["total_wait_weeks"] == 60
    assert [contract["municipality"] for contract in offer["contracts"]] == ["GM0599"]
    assert [figure["total_wait_weeks"] for figure in offer["history"]] == [50, 40]


def test_unknown_deleted_and_impossible_offers_are_not_found(
    api: TestClient, session: Session, now: datetime
) -> None:
    gone = create_offer(session, deleted_at=now)
    session.commit()
    for offer_id in (gone.id, 999_999, 2**40):
        assert_problem(api.get(f"{OFFERS}/{offer_id}"), 404)


def test_search_keeps_working_from_the_database_when_meilisearch_is_down(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    settings = Settings(_env_file=None, MEILI_URL="http://127.0.0.1:9", meili_timeout_seconds=1)
    app = create_app(settings, session_factory=session_factory, clock=lambda: now)
    offer = create_offer(session, name="Dagbesteding De Werkplaats")
    session.commit()
    rebuild_index(session_factory, app.state.search.fallback, now)
    with TestClient(app) as api:
        body = api.get(OFFERS, params={"q": "werkplaats"}).json()
    assert body["degraded"] is True
    assert [item["id"] for item in body["items"]] == [offer.id]


def test_a_providers_published_wait_is_what_parents_find(
    app: Starlette, api: TestClient, session: Session, now: datetime
) -> None:
    organisation = create_organisation(session, name="Stichting Kompasnest")
    offer = create_offer(session, organisation, name="Dagbehandeling Kompasnest")
    _, key = create_key(session, organisation.id, ["availability:write"], "rooster", now)
    session.commit()
    publish_wait(api, key, offer.id, now, intake=3, treatment=9)
    relay_once(app.state.session_factory, app.state.search.backends, now)
    found = api.get(OFFERS, params={"q": "kompasnest"}).json()
    assert [(item["id"], item["total_wait_weeks"]) for item in found["items"]] == [(offer.id, 12)]
