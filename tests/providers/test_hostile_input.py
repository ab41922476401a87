"""What careless or hostile clients send gets a clear 4xx, never a 500."""

from datetime import datetime
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.http import assert_problem
from tests.providers.conftest import Provider
from tests.providers.test_api import NEW_OFFER, OFFERS

BIG = 2**31  # one past the largest id a row can have


def test_ids_beyond_any_row_are_not_found(api: TestClient, provider: Provider) -> None:
    for url in (f"{OFFERS}/{BIG}", f"{OFFERS}/{2**63}", f"/api/v1/provider/locations/{BIG}"):
        assert_problem(api.get(url, headers=provider.auth), 404)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NEW_OFFER, "location_ids": [BIG]}, "location_ids.0"),
        ({**NEW_OFFER, "name": "ab\x00cd"}, "name"),
        ({**NEW_OFFER, "languages": ["n\x00"]}, "languages.0"),
    ],
    ids=["huge location id", "NUL in text", "NUL in a list"],
)
def test_impossible_values_in_an_offer_are_named(
    api: TestClient, provider: Provider, body: dict[str, Any], field: str
) -> None:
    problem = assert_problem(api.post(OFFERS, json=body, headers=provider.auth), 422)
    assert field in [param["name"] for param in problem["invalid_params"]]


@pytest.mark.parametrize(
    "measured_at", ["9999-12-31T00:00:00Z", "0001-01-01T00:30:00+01:00", "1999-12-31T23:00:00Z"]
)
def test_dates_outside_any_plausible_measurement_are_refused(
    api: TestClient, provider: Provider, measured_at: str
) -> None:
    url = f"{OFFERS}/{provider.offer.id}/availability"
    body = {"status": "open", "measured_at": measured_at}
    problem = assert_problem(api.post(url, json=body, headers=provider.auth), 422)
    assert problem["invalid_params"][0]["name"] == "measured_at"


@pytest.mark.parametrize("page", ["²", "-1", "0", "1e3", "99999999999"])
def test_odd_page_numbers_are_refused_not_crashed_on(
    api: TestClient, provider: Provider, page: str
) -> None:
    problem = assert_problem(api.get(OFFERS, params={"page": page}, headers=provider.auth), 422)
    assert problem["invalid_params"][0]["name"] == "page"


def test_a_well_formed_but_invented_key_gets_401_before_anything_else(api: TestClient) -> None:
    invented = {"Authorization": "Bearer pw_0123456789ab_invented", "Content-Type": "text/plain"}
    assert_problem(api.post(OFFERS, content="x" * 2_000_000, headers=invented), 401)


def test_guessing_keys_is_slowed_down_per_address(session_factory: Any, now: datetime) -> None:
    from directory.config import Settings
    from web.app import create_app

    settings = Settings(_env_file=None, provider_rate_per_minute=3)
    app = create_app(settings, session_factory=session_factory, clock=lambda: now)
    with TestClient(app) as api:
        for number in range(3):
            guess = {"Authorization": f"Bearer pw_{number:012d}_guess"}
            assert_problem(api.get(OFFERS, headers=guess), 401)
        assert_problem(api.get(OFFERS, headers={"Authorization": "Bearer pw_000000000009_x"}), 429)


def test_a_patch_that_changes_nothing_keeps_the_etag(api: TestClient, provider: Provider) -> None:
    url = f"{OFFERS}/{provider.offer.id}"
    read = api.get(url, headers=provider.auth)
    same = api.patch(
        url,
        json={"name": read.json()["name"]},
        headers={**provider.auth, "If-Match": read.headers["ETag"]},
    )
    assert same.status_code == 200
    assert same.headers["ETag"] == read.headers["ETag"]
    changed = api.patch(
        url,
        json={"name": "Nieuwe naam"},
        headers={**provider.auth, "If-Match": read.headers["ETag"]},
    )
    assert changed.json()["version"] == read.json()["version"] + 1


def test_a_weak_etag_does_not_satisfy_if_match(api: TestClient, provider: Provider) -> None:
    url = f"{OFFERS}/{provider.offer.id}"
    etag = api.get(url, headers=provider.auth).headers["ETag"]
    weak = {**provider.auth, "If-Match": f"W/{etag}"}
    assert_problem(api.patch(url, json={"name": "Zwak"}, headers=weak), 412)
