"""The watches API: a municipality's key saves, reads and stops case watches; personal
data and bad searches are refused; another organisation's watch does not exist."""

from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy.orm import Session
from starlette.applications import Starlette
from starlette.testclient import TestClient

from directory.accounts.keys import create_key
from directory.config import Settings
from directory.enums import OrganisationKind
from directory.watches.models import WatchAlert
from tests.factories import create_organisation
from tests.http import assert_problem

WATCHES = "/api/v1/watches"
SETTINGS = Settings(_env_file=None, provider_rate_per_minute=1000)
BODY = {
    "case_reference": "WT-2026-0142",
    "municipality": "GM0599",
    "category": "ijw:45",
    "search": {"kind": ["youth_care"], "ijw_category": [45], "age": 9, "near": "Rotterdam"},
}


@pytest.fixture
def settings() -> Settings:
    return SETTINGS


@pytest.fixture
def api(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def bearer(
    session: Session,
    now: datetime,
    kind: OrganisationKind = OrganisationKind.MUNICIPALITY,
    scopes: tuple[str, ...] = ("watches:write",),
) -> dict[str, str]:
    organisation = create_organisation(session, kind=kind)
    _client, key = create_key(session, organisation.id, list(scopes), "wijkteam", now)
    session.commit()
    return {"Authorization": f"Bearer {key}"}


def test_a_municipality_saves_reads_lists_and_stops_a_watch(
    api: TestClient, session: Session, now: datetime
) -> None:
    auth = bearer(session, now)
    created = api.post(WATCHES, json=BODY, headers=auth)
    assert created.status_code == 201, created.text
    watch = created.json()
    assert created.headers["location"] == f"{WATCHES}/{watch['id']}"
    assert (watch["case_reference"], watch["municipality"], watch["category"]) == (
        "WT-2026-0142",
        "GM0599",
        "ijw:45",
    )
    search = watch["search"]
    assert (search["kind"], search["ijw_category"], search["near"]) == (
        ["youth_care"],
        [45],
        "Rotterdam",
    )
    assert len(search["point"]) == 2  # where "Rotterdam" was placed
    assert watch["alerts"] == f"{WATCHES}/{watch['id']}/alerts"

    assert api.get(f"{WATCHES}/{watch['id']}", headers=auth).json() == watch
    listing = api.get(WATCHES, headers=auth).json()
    assert (listing["total"], [item["id"] for item in listing["items"]]) == (1, [watch["id"]])

    session.add(
        WatchAlert(
            watch_id=watch["id"],
            event="place_opened",
            subject_id=12,
            raised_at=now,
            details={"offer_id": 12},
        )
    )
    session.commit()
    alerts = api.get(f"{WATCHES}/{watch['id']}/alerts", headers=auth).json()
    assert alerts["total"] == 1
    (alert,) = alerts["items"]
    assert (alert["event"], alert["offer_id"], alert["signal_id"]) == ("place_opened", 12, None)
    assert alert["ended_at"] is None
    assert set(alert["text"]) == {"nl", "en"}

    assert api.delete(f"{WATCHES}/{watch['id']}", headers=auth).status_code == 204
    assert_problem(api.get(f"{WATCHES}/{watch['id']}", headers=auth), 404)
    assert_problem(api.get(f"{WATCHES}/{watch['id']}/alerts", headers=auth), 404)


def test_another_organisations_watch_does_not_exist(
    api: TestClient, session: Session, now: datetime
) -> None:
    mine = api.post(WATCHES, json=BODY, headers=bearer(session, now)).json()
    other = bearer(session, now, OrganisationKind.SWV)
    for response in (
        api.get(f"{WATCHES}/{mine['id']}", headers=other),
        api.get(f"{WATCHES}/{mine['id']}/alerts", headers=other),
        api.delete(f"{WATCHES}/{mine['id']}", headers=other),
    ):
        assert_problem(response, 404)
    assert api.get(WATCHES, headers=other).json()["total"] == 0


@pytest.mark.parametrize(
    ("reference", "says"),
    [
        ("123.456.782", "BSN"),
        ("ouder@example.nl", "e-mail"),
        ("06-12345678", "phone"),
        ("Jan de Vries", "digit"),
    ],
)
def test_a_case_reference_that_may_be_personal_data_is_refused(
    api: TestClient, session: Session, now: datetime, reference: str, says: str
) -> None:
    response = api.post(
        WATCHES, json={**BODY, "case_reference": reference}, headers=bearer(session, now)
    )
    body = assert_problem(response, 422)
    assert {param["name"] for param in body["invalid_params"]} == {"case_reference"}
    assert any(says in param["reason"] for param in body["invalid_params"])


def test_a_watch_search_is_checked_like_the_offer_search(
    api: TestClient, session: Session, now: datetime
) -> None:
    auth = bearer(session, now)
    bad = {**BODY, "search": {"age": 99, "cluster": [7], "radius_km": 10, "leerjaar": 9}}
    body = assert_problem(api.post(WATCHES, json=bad, headers=auth), 422)
    names = {param["name"] for param in body["invalid_params"]}
    assert names == {"search.age", "search.cluster", "search.radius_km", "search.leerjaar"}
    groep = {**BODY, "category": None, "search": {"kind": ["special_education"], "leerjaar": 3}}
    saved = api.post(WATCHES, json=groep, headers=auth)
    assert saved.status_code == 201, saved.text
    assert saved.json()["search"]["leerjaar"] == 3

    unknown = {**BODY, "search": {"sort": "wait"}, "category": "ijw:99", "municipality": "GM9999"}
    body = assert_problem(api.post(WATCHES, json=unknown, headers=auth), 422)
    assert {param["name"] for param in body["invalid_params"]} == {"search.sort"}
    body = assert_problem(api.post(WATCHES, json={**BODY, "category": "ijw:99"}, headers=auth), 422)
    assert [param["name"] for param in body["invalid_params"]] == ["category"]
    nowhere = {**BODY, "search": {"near": "Atlantis"}}
    body = assert_problem(api.post(WATCHES, json=nowhere, headers=auth), 422)
    assert [param["name"] for param in body["invalid_params"]] == ["search.near"]


def test_only_municipalities_and_samenwerkingsverbanden_with_the_scope_keep_watches(
    api: TestClient, session: Session, now: datetime
) -> None:
    assert_problem(api.get(WATCHES), 401)
    provider = bearer(session, now, OrganisationKind.CARE_PROVIDER)
    assert_problem(api.post(WATCHES, json=BODY, headers=provider), 403)
    assert_problem(api.get(WATCHES, headers=provider), 403)
    without_scope = bearer(session, now, scopes=("offers:write",))
    body = assert_problem(api.post(WATCHES, json=BODY, headers=without_scope), 403)
    assert "watches:write" in body["detail"]
    assert api.get(WATCHES, headers=without_scope).status_code == 200  # reading needs no scope


@pytest.mark.parametrize(
    ("reference", "says"),
    [("WT 12-03-2015", "date"), ("JdV 120315", "date"), ("20150312", "date")],
)
def test_a_case_reference_with_a_date_of_birth_is_refused(
    api: TestClient, session: Session, now: datetime, reference: str, says: str
) -> None:
    response = api.post(
        WATCHES, json={**BODY, "case_reference": reference}, headers=bearer(session, now)
    )
    body = assert_problem(response, 422)
    assert [param["name"] for param in body["invalid_params"]] == ["case_reference"]
    assert says in body["invalid_params"][0]["reason"]


@pytest.mark.parametrize("reference", ["WT-2026-0142", "ZAAK-88123"])
def test_ordinary_case_numbers_are_kept(
    api: TestClient, session: Session, now: datetime, reference: str
) -> None:
    response = api.post(
        WATCHES, json={**BODY, "case_reference": reference}, headers=bearer(session, now)
    )
    assert response.status_code == 201, response.text


def test_personal_data_in_the_search_text_is_refused(
    api: TestClient, session: Session, now: datetime
) -> None:
    bad = {**BODY, "search": {**BODY["search"], "q": "autisme 12-03-2015 0612345678"}}
    body = assert_problem(api.post(WATCHES, json=bad, headers=bearer(session, now)), 422)
    reasons = [p["reason"] for p in body["invalid_params"] if p["name"] == "search.q"]
    assert any("date" in reason for reason in reasons)
    assert any("phone" in reason for reason in reasons)


def test_a_watch_keeps_coordinates_only_to_a_kilometre(
    api: TestClient, session: Session, now: datetime
) -> None:
    near = {**BODY, "search": {"near": "51.923456,4.481234", "radius_km": 5}}
    created = api.post(WATCHES, json=near, headers=bearer(session, now))
    assert created.status_code == 201, created.text
    search = created.json()["search"]
    assert (search["near"], search["point"]) == ("51.92,4.48", [51.92, 4.48])


def test_without_a_key_a_bad_body_is_still_401(api: TestClient) -> None:
    # Whatever is wrong with the body (its type, its size, its JSON), the key is checked
    # first: a caller without one learns nothing else.
    for content, media_type in [
        ("not json", "application/json"),
        ("case_reference=1", "application/x-www-form-urlencoded"),
        ("x" * (SETTINGS.max_body_bytes + 1), "application/json"),
    ]:
        response = api.post(WATCHES, content=content, headers={"content-type": media_type})
        assert_problem(response, 401)
