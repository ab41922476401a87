from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from directory.accounts.keys import revoke_key
from directory.accounts.models import ApiClient
from directory.catalogue.models import AuditEvent, AvailabilityReport, Location, Offer
from directory.search_index import IndexOutbox
from tests.http import assert_problem
from tests.providers.conftest import Provider, create_provider

OFFERS = "/api/v1/provider/offers"
LOCATIONS = "/api/v1/provider/locations"

NEW_OFFER = {
    "name": "Ambulante jeugdhulp – angst",
    "kind": "youth_care",
    "ijw_category": 45,
    "beschikking_required": True,
    "min_age": 6,
    "max_age": 18,
    "accepts_pgb": True,
    "tariff_cents": 9500,
    "tariff_unit": "hour",
}


def report(measured_at: datetime, **fields: Any) -> dict[str, Any]:
    return {"status": "waitlist", "measured_at": measured_at.isoformat(), **fields}


def test_a_provider_creates_reads_and_updates_its_offer_with_etags(
    api: TestClient, provider: Provider
) -> None:
    created = api.post(
        OFFERS, json={**NEW_OFFER, "location_ids": [provider.location.id]}, headers=provider.auth
    )
    assert created.status_code == 201, created.text
    offer = created.json()
    assert offer["organisation_id"] == provider.organisation.id
    assert offer["location_ids"] == [provider.location.id]
    read = api.get(created.headers["Location"], headers=provider.auth)
    assert read.json() == offer
    assert read.headers["ETag"] == created.headers["ETag"]

    patched = api.patch(
        created.headers["Location"],
        json={"max_age": 23},
        headers={**provider.auth, "If-Match": read.headers["ETag"]},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["max_age"] == 23
    assert patched.json()["name"] == NEW_OFFER["name"]
    assert patched.headers["ETag"] != read.headers["ETag"]


def test_a_write_with_an_old_etag_is_refused_and_changes_nothing(
    api: TestClient, provider: Provider
) -> None:
    url = f"{OFFERS}/{provider.offer.id}"
    old_etag = api.get(url, headers=provider.auth).headers["ETag"]
    first = api.patch(
        url, json={"name": "Eerste wijziging"}, headers={**provider.auth, "If-Match": old_etag}
    )
    assert first.status_code == 200
    stale = api.patch(
        url, json={"name": "Tweede wijziging"}, headers={**provider.auth, "If-Match": old_etag}
    )
    assert_problem(stale, 412)
    assert api.get(url, headers=provider.auth).json()["name"] == "Eerste wijziging"


def test_a_write_without_if_match_is_refused(api: TestClient, provider: Provider) -> None:
    response = api.put(f"{OFFERS}/{provider.offer.id}", json=NEW_OFFER, headers=provider.auth)
    assert_problem(response, 428)


def test_invalid_offers_name_each_bad_field(api: TestClient, provider: Provider) -> None:
    body = {**NEW_OFFER, "min_age": -1, "colour": "red"}
    problem = assert_problem(api.post(OFFERS, json=body, headers=provider.auth), 422)
    assert {param["name"] for param in problem["invalid_params"]} == {"min_age", "colour"}


def test_an_offer_must_fit_its_kind(api: TestClient, provider: Provider) -> None:
    body = {**NEW_OFFER, "cluster": 3, "ijw_category": None, "min_age": 12, "max_age": 4}
    problem = assert_problem(api.post(OFFERS, json=body, headers=provider.auth), 422)
    assert [(p["name"], p["reason"]) for p in problem["invalid_params"]] == [
        ("cluster", "is not used for youth_care"),
        ("ijw_category", "is required for youth_care"),
        ("max_age", "must not be below min_age"),
    ]


def test_education_places_cannot_accept_pgb(api: TestClient, provider: Provider) -> None:
    body = {
        "name": "SO cluster 3",
        "kind": "special_education",
        "school_type": "so",
        "cluster": 3,
        "accepts_pgb": True,
    }
    problem = assert_problem(api.post(OFFERS, json=body, headers=provider.auth), 422)
    assert "PGB" in problem["invalid_params"][0]["reason"]


def test_deleting_an_offer_removes_it_from_the_catalogue_but_keeps_history(
    api: TestClient, provider: Provider, session: Session
) -> None:
    url = f"{OFFERS}/{provider.offer.id}"
    etag = api.get(url, headers=provider.auth).headers["ETag"]
    assert api.delete(url, headers={**provider.auth, "If-Match": etag}).status_code == 204
    assert_problem(api.get(url, headers=provider.auth), 404)
    assert session.get(Offer, provider.offer.id) is not None
    operations = session.scalars(
        select(IndexOutbox.operation).where(IndexOutbox.offer_id == provider.offer.id)
    ).all()
    assert operations[-1] == "delete"


def test_a_location_in_use_cannot_be_deleted(api: TestClient, provider: Provider) -> None:
    url = f"{LOCATIONS}/{provider.location.id}"
    etag = api.get(url, headers=provider.auth).headers["ETag"]
    problem = assert_problem(api.delete(url, headers={**provider.auth, "If-Match": etag}), 409)
    assert str(provider.offer.id) in problem["detail"]


def test_locations_get_coordinates_from_the_place_name_when_none_are_given(
    api: TestClient, provider: Provider
) -> None:
    body = {
        "name": "Vestiging Zuid",
        "postcode": "3083 ab",
        "city": "Rotterdam",
        "municipality_code": "GM0599",
    }
    created = api.post(LOCATIONS, json=body, headers=provider.auth)
    assert created.status_code == 201, created.text
    location = created.json()
    assert location["postcode"] == "3083AB"
    assert location["lat"] == pytest.approx(51.92, abs=0.05)


def test_reports_out_of_order_keep_the_newest_measurement_current(
    api: TestClient, provider: Provider, now: datetime
) -> None:
    url = f"{OFFERS}/{provider.offer.id}/availability"
    newer = api.post(
        url,
        json=report(now - timedelta(days=1), intake_wait_weeks=3, treatment_wait_weeks=5),
        headers=provider.auth,
    )
    assert newer.status_code == 201, newer.text
    assert newer.json()["current"] is True
    assert newer.json()["valid_until"].startswith((now + timedelta(days=30)).date().isoformat())
    older = api.post(
        url,
        json=report(now - timedelta(days=9), intake_wait_weeks=30, treatment_wait_weeks=5),
        headers=provider.auth,
    )
    assert older.status_code == 201
    assert older.json()["current"] is False


def test_invalid_reports_name_each_field(
    api: TestClient, provider: Provider, now: datetime
) -> None:
    url = f"{OFFERS}/{provider.offer.id}/availability"
    body = report(now + timedelta(hours=2), waiting_list_size=2, bridging_count=5, open_places=-3)
    problem = assert_problem(api.post(url, json=body, headers=provider.auth), 422)
    assert [p["name"] for p in problem["invalid_params"]] == ["open_places"]
    body = report(now + timedelta(hours=2), waiting_list_size=2, bridging_count=5, leerjaar=4)
    problem = assert_problem(api.post(url, json=body, headers=provider.auth), 422)
    assert {p["name"] for p in problem["invalid_params"]} == {
        "bridging_count",
        "measured_at",
        "leerjaar",
    }
    naive = {"status": "open", "measured_at": "2026-03-01T09:00:00"}
    problem = assert_problem(api.post(url, json=naive, headers=provider.auth), 422)
    assert problem["invalid_params"][0]["name"] == "measured_at"


def test_every_write_is_in_the_organisations_audit_log_newest_first(
    api: TestClient, provider: Provider, other: Provider, now: datetime
) -> None:
    api.post(f"{OFFERS}/{provider.offer.id}/availability", json=report(now), headers=provider.auth)
    api.post(OFFERS, json=NEW_OFFER, headers=provider.auth)
    api.post(OFFERS, json=NEW_OFFER, headers=other.auth)
    log = api.get("/api/v1/provider/audit?per_page=1", headers=provider.auth).json()
    assert log["total"] == 3  # the key's creation, the report, the offer
    assert [item["action"] for item in log["items"]] == ["offer.create"]
    assert log["items"][0]["api_client_id"] == provider.key_id
    assert log["items"][0]["after"]["name"] == NEW_OFFER["name"]
    older = api.get("/api/v1/provider/audit?per_page=2&page=2", headers=provider.auth).json()
    assert [item["action"] for item in older["items"]] == ["api_key.create"]
    second = api.get("/api/v1/provider/audit?per_page=1&page=2", headers=provider.auth).json()
    assert second["items"][0]["action"] == "availability.report"


# --- access -------------------------------------------------------------------------------


def test_requests_without_a_valid_key_are_refused(api: TestClient, provider: Provider) -> None:
    for headers in ({}, {"Authorization": "Bearer pw_nonsense"}, {"Authorization": provider.key}):
        problem = assert_problem(api.get(OFFERS, headers=headers), 401)
        assert problem["title"] == "Unauthorized"
    tampered = provider.key[:-2] + ("AA" if not provider.key.endswith("AA") else "BB")
    assert_problem(api.get(OFFERS, headers={"Authorization": f"Bearer {tampered}"}), 401)


def test_the_last_use_of_a_key_is_kept(
    api: TestClient, provider: Provider, session: Session, now: datetime
) -> None:
    assert session.get_one(ApiClient, provider.key_id).last_used_at is None
    api.get(OFFERS, headers=provider.auth)
    session.expire_all()
    assert session.get_one(ApiClient, provider.key_id).last_used_at == now


def test_a_revoked_key_is_refused_at_once(
    api: TestClient, provider: Provider, session: Session, now: datetime
) -> None:
    assert api.get(OFFERS, headers=provider.auth).status_code == 200
    revoke_key(session, provider.key_id, now)
    session.commit()
    problem = assert_problem(api.get(OFFERS, headers=provider.auth), 401)
    assert "revoked" in problem["detail"]


def test_a_key_without_the_scope_cannot_write(
    api: TestClient, session: Session, now: datetime
) -> None:
    reader = create_provider(session, now, scopes=("waitlist:write",))
    session.commit()
    assert api.get(OFFERS, headers=reader.auth).status_code == 200
    assert_problem(api.post(OFFERS, json=NEW_OFFER, headers=reader.auth), 403)
    url = f"{OFFERS}/{reader.offer.id}/availability"
    assert_problem(api.post(url, json=report(now), headers=reader.auth), 403)


def test_wrong_content_type_and_oversized_bodies_are_refused(
    api: TestClient, provider: Provider
) -> None:
    assert_problem(
        api.post(
            OFFERS,
            content="name=x",
            headers={**provider.auth, "Content-Type": "application/x-www-form-urlencoded"},
        ),
        415,
    )
    huge = {**NEW_OFFER, "description": "x" * 1_100_000}
    assert_problem(api.post(OFFERS, json=huge, headers=provider.auth), 413)


def test_a_key_over_its_rate_gets_429_with_retry_after(
    session_factory: Any, provider: Provider, now: datetime
) -> None:
    from directory.config import Settings
    from web.app import create_app

    app = create_app(
        Settings(_env_file=None, provider_rate_per_minute=3),
        session_factory=session_factory,
        clock=lambda: now,
    )
    with TestClient(app) as api:
        for _ in range(3):
            assert api.get(OFFERS, headers=provider.auth).status_code == 200
        problem = assert_problem(api.get(OFFERS, headers=provider.auth), 429)
        assert 1 <= int(api.get(OFFERS, headers=provider.auth).headers["Retry-After"]) <= 60
        assert "per minute" in problem["detail"]


# --- tenant isolation ---------------------------------------------------------------------


def snapshot(session: Session, provider: Provider) -> tuple[Any, ...]:
    session.expire_all()
    offer = session.get_one(Offer, provider.offer.id)
    location = session.get_one(Location, provider.location.id)
    reports = session.scalar(
        select(func.count())
        .select_from(AvailabilityReport)
        .where(AvailabilityReport.offer_id == offer.id)
    )
    audit = session.scalar(select(func.count()).select_from(AuditEvent))
    return (
        offer.version,
        offer.deleted_at,
        offer.name,
        location.version,
        location.deleted_at,
        reports,
        audit,
    )


def test_no_endpoint_reaches_another_organisations_data(
    api: TestClient, provider: Provider, other: Provider, session: Session, now: datetime
) -> None:
    before = snapshot(session, other)
    theirs_offer = f"{OFFERS}/{other.offer.id}"
    theirs_location = f"{LOCATIONS}/{other.location.id}"
    guessed_etag = {"If-Match": "*"}
    calls = [
        ("GET", theirs_offer, None),
        ("PUT", theirs_offer, NEW_OFFER),
        ("PATCH", theirs_offer, {"name": "Overgenomen"}),
        ("DELETE", theirs_offer, None),
        ("POST", f"{theirs_offer}/availability", report(now)),
        ("GET", theirs_location, None),
        (
            "PUT",
            theirs_location,
            {"name": "Overgenomen", "city": "Rotterdam", "municipality_code": "GM0599"},
        ),
        ("PATCH", theirs_location, {"name": "Overgenomen"}),
        ("DELETE", theirs_location, None),
    ]
    for method, url, body in calls:
        response = api.request(method, url, json=body, headers={**provider.auth, **guessed_etag})
        assert_problem(response, 404)
    # Their location cannot be attached to our offer either.
    response = api.post(
        OFFERS, json={**NEW_OFFER, "location_ids": [other.location.id]}, headers=provider.auth
    )
    assert_problem(response, 422)
    listed = api.get(OFFERS, headers=provider.auth).json()
    assert [item["id"] for item in listed["items"]] == [provider.offer.id]
    assert snapshot(session, other) == before


def test_without_a_key_the_answer_is_401_whatever_else_is_wrong(api: TestClient) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert_problem(api.post(OFFERS, content="x", headers=form), 401)
    assert_problem(api.delete(f"{OFFERS}/1"), 401)  # no If-Match either


def test_no_shared_cache_keeps_what_a_key_reads_or_is_refused(
    api: TestClient, provider: Provider
) -> None:
    read = api.get(OFFERS, headers=provider.auth)
    refused = api.get(OFFERS)
    public = api.get("/api/v1/offers")

    assert read.status_code == 200
    assert refused.status_code == 401
    assert read.headers["Cache-Control"] == "private, no-store"
    assert refused.headers["Cache-Control"] == "private, no-store"
    assert public.headers.get("Cache-Control") != "private, no-store"  # public search caches


def test_a_method_a_path_does_not_have_names_all_it_has(
    api: TestClient, provider: Provider
) -> None:
    collection = api.request("PATCH", OFFERS, headers=provider.auth)
    one = api.post(f"{OFFERS}/{provider.offer.id}", headers=provider.auth)

    assert collection.status_code == 405
    assert set(collection.headers["Allow"].split(", ")) == {"GET", "HEAD", "POST"}
    assert one.status_code == 405
    assert set(one.headers["Allow"].split(", ")) == {"DELETE", "GET", "HEAD", "PATCH", "PUT"}
    assert api.head(OFFERS, headers=provider.auth).status_code == 200
