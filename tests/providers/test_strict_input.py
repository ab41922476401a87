"""What a provider publishes is shown to parents as it is: figures that contradict each
other and loosely typed values ("3", true, a Unix time, "٥", a field sent twice) are
refused with 422 naming the field and showing the right form, and nothing is written."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from directory.catalogue.models import AuditEvent, AvailabilityReport, WaitlistEntry
from directory.errors import InvalidDataError
from providers.strict_input import DUPLICATE_REASON, DuplicateKeysError, load_json
from tests.http import assert_problem
from tests.providers.conftest import Provider
from tests.providers.test_api import LOCATIONS, OFFERS
from web.api.openapi import request_example
from web.api.watch_schemas import WatchIn
from web.capabilities import OPERATIONS
from web.kit.http import parse_model

BULK = "/api/v1/provider/availability/bulk"
CSV_HEADER = "offer_id,status,open_places,intake_wait_weeks,measured_at"
WHOLE_NUMBER = "must be a whole number in the digits 0-9, e.g. 3 (in JSON without quotes)"
MOMENT = 'must be a date and time with its time zone, as text: "2026-03-01T09:00:00+01:00"'
DAY_PROGRAMME = {
    "name": "Onderwijszorgarrangement De Brug",
    "kind": "day_programme",
    "day_programme_type": "onderwijszorgarrangement",
    "includes_education": True,
}


def written(session: Session) -> list[int]:
    """Reports, waiting-list places and audit rows: what any write would add to."""
    session.expire_all()
    return [
        session.scalar(select(func.count()).select_from(table)) or 0
        for table in (AvailabilityReport, WaitlistEntry, AuditEvent)
    ]


def refused(response: Any) -> dict[str, str]:
    """The 422's invalid params as {name: reason}."""
    problem = assert_problem(response, 422)
    return {param["name"]: param["reason"] for param in problem["invalid_params"]}


def post_raw(api: TestClient, url: str, provider: Provider, body: str) -> Any:
    headers = {**provider.auth, "Content-Type": "application/json"}
    return api.post(url, content=body.encode(), headers=headers)


# --- one availability report --------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"status": "open", "open_places": 0}, "open_places"),
        ({"status": "closed", "open_places": 2}, "open_places"),
        ({"waiting_list_size": 3, "bridging_count": 5}, "bridging_count"),
        ({"valid_until": "2026-02-01T09:00:00+01:00"}, "valid_until"),
        ({"measured_at": "2026-03-09T09:00:00+01:00"}, "measured_at"),
        ({"intake_wait_weeks": 5000}, "intake_wait_weeks"),
        ({"valid_until": "9999-12-31T00:00:00Z"}, "valid_until"),
    ],
    ids=[
        "open without places",
        "closed with places",
        "more bridged than waiting",
        "valid before measured",
        "measured next week",
        "a 5000-week wait",
        "valid until 9999",
    ],
)
def test_a_report_that_contradicts_itself_is_refused_and_not_stored(
    api: TestClient, provider: Provider, session: Session, fields: dict[str, Any], field: str
) -> None:
    body = {"status": "waitlist", "measured_at": "2026-03-01T09:00:00+01:00", **fields}
    before = written(session)
    url = f"{OFFERS}/{provider.offer.id}/availability"
    assert field in refused(api.post(url, json=body, headers=provider.auth))
    assert written(session) == before


def test_open_without_places_says_what_to_send_instead(api: TestClient, provider: Provider) -> None:
    url = f"{OFFERS}/{provider.offer.id}/availability"
    body = {"status": "open", "measured_at": "2026-03-01T09:00:00+01:00"}
    response = api.post(url, json={**body, "open_places": 0}, headers=provider.auth)
    reason = refused(response)["open_places"]
    assert '"open"' in reason
    assert '"waitlist"' in reason
    # Open with places, or with the number unknown, is what the status means.
    for places in ({"open_places": 2}, {}):
        response = api.post(url, json={**body, **places}, headers=provider.auth)
        assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"open_places": True}, "open_places", WHOLE_NUMBER),
        ({"open_places": "3"}, "open_places", WHOLE_NUMBER),
        ({"open_places": 3.0}, "open_places", WHOLE_NUMBER),
        ({"intake_wait_weeks": "٥"}, "intake_wait_weeks", WHOLE_NUMBER),
        ({"measured_at": 1772352000}, "measured_at", MOMENT),
        ({"measured_at": "1772352000"}, "measured_at", MOMENT),
        ({"measured_at": "٢٠٢٦-03-01T09:00:00+01:00"}, "measured_at", MOMENT),
    ],
    ids=["true", "quoted", "3.0", "arabic-indic digit", "unix time", "quoted unix time", "٢٠٢٦"],
)
def test_loosely_typed_figures_are_refused_with_the_right_form(
    api: TestClient,
    provider: Provider,
    session: Session,
    fields: dict[str, Any],
    field: str,
    reason: str,
) -> None:
    body = {"status": "waitlist", "measured_at": "2026-03-01T09:00:00+01:00", **fields}
    before = written(session)
    url = f"{OFFERS}/{provider.offer.id}/availability"
    assert refused(api.post(url, json=body, headers=provider.auth)) == {field: reason}
    assert written(session) == before


def test_a_field_sent_twice_is_refused_not_resolved_by_the_last_one(
    api: TestClient, provider: Provider, session: Session
) -> None:
    before = written(session)
    body = (
        '{"status": "open", "open_places": 2, "status": "closed",'
        ' "measured_at": "2026-03-01T09:00:00+01:00"}'
    )
    url = f"{OFFERS}/{provider.offer.id}/availability"
    assert refused(post_raw(api, url, provider, body)) == {"status": DUPLICATE_REASON}
    assert written(session) == before


@pytest.mark.parametrize("body", ['{"status": "open", "open_places": NaN}', '{"status": '])
def test_a_body_that_is_not_json_is_a_422_not_a_crash(
    api: TestClient, provider: Provider, body: str
) -> None:
    url = f"{OFFERS}/{provider.offer.id}/availability"
    assert_problem(post_raw(api, url, provider, body), 422)


# --- offers and locations -----------------------------------------------------------------


@pytest.mark.parametrize("hours", ["٥", "12.5", True])
def test_education_hours_must_be_a_number(api: TestClient, provider: Provider, hours: Any) -> None:
    body = {**DAY_PROGRAMME, "education_hours_per_week": hours}
    reason = refused(api.post(OFFERS, json=body, headers=provider.auth))
    assert reason == {
        "education_hours_per_week": "must be a number in the digits 0-9, e.g. 12.5 "
        "(in JSON without quotes)"
    }


def test_education_hours_are_answered_as_a_number_that_can_be_sent_back(
    api: TestClient, provider: Provider
) -> None:
    body = {**DAY_PROGRAMME, "education_hours_per_week": 12.5}
    created = api.post(OFFERS, json=body, headers=provider.auth)
    assert created.status_code == 201, created.text
    offer = created.json()
    assert offer["education_hours_per_week"] == 12.5
    # What a GET answers is a valid PUT: read, change, send back.
    sent_back = {name: offer[name] for name in (*DAY_PROGRAMME, "education_hours_per_week")}
    headers = {**provider.auth, "If-Match": created.headers["ETag"]}
    replaced = api.put(created.headers["Location"], json=sent_back, headers=headers)
    assert replaced.status_code == 200, replaced.text


def test_education_hours_without_education_are_refused(api: TestClient, provider: Provider) -> None:
    body = {**DAY_PROGRAMME, "includes_education": False, "education_hours_per_week": 10}
    assert "education_hours_per_week" in refused(api.post(OFFERS, json=body, headers=provider.auth))


@pytest.mark.parametrize(
    ("patch", "field"),
    [({"min_age": "5"}, "min_age"), ({"accepts_pgb": 1}, "accepts_pgb")],
)
def test_a_patch_is_as_strict_as_the_whole_offer(
    api: TestClient, provider: Provider, patch: dict[str, Any], field: str
) -> None:
    url = f"{OFFERS}/{provider.offer.id}"
    read = api.get(url, headers=provider.auth)
    headers = {**provider.auth, "If-Match": read.headers["ETag"]}
    assert field in refused(api.patch(url, json=patch, headers=headers))
    assert api.get(url, headers=provider.auth).json() == read.json()


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"municipality_code": "GM٠٥٩٩"}, "municipality_code"), ({"postcode": "٣٠١١ AB"}, "postcode")],
)
def test_codes_and_postcodes_need_the_digits_0_to_9(
    api: TestClient, provider: Provider, fields: dict[str, str], field: str
) -> None:
    body = {"name": "Vestiging Zuid", "city": "Rotterdam", "municipality_code": "GM0599", **fields}
    assert field in refused(api.post(LOCATIONS, json=body, headers=provider.auth))


# --- waiting lists ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "estimated_start",
    ["0001-01-01", "9999-12-31", "2036-06-01", "2024-01-01", 86400, "86400", "2026-09-01T00:00"],
)
def test_an_estimated_start_no_parent_could_believe_is_refused(
    api: TestClient, provider: Provider, session: Session, estimated_start: Any
) -> None:
    before = written(session)
    entries = [
        {"reference": "K7QM-4XTR-9PWA", "position": 1, "estimated_start": "2026-09-01"},
        {"reference": "W9XR-7KPM-3HTV", "position": 2, "estimated_start": estimated_start},
    ]
    url = f"{OFFERS}/{provider.offer.id}/waitlist"
    response = api.put(url, json={"entries": entries}, headers=provider.auth)
    assert list(refused(response)) == ["entries.1.estimated_start"]
    assert written(session) == before


def test_a_position_sent_twice_in_one_entry_is_refused(
    api: TestClient, provider: Provider, session: Session
) -> None:
    before = written(session)
    body = '{"entries": [{"reference": "K7QM-4XTR-9PWA", "position": 1, "position": 2}]}'
    headers = {**provider.auth, "Content-Type": "application/json"}
    url = f"{OFFERS}/{provider.offer.id}/waitlist"
    response = api.put(url, content=body.encode(), headers=headers)
    assert refused(response) == {"entries.0.position": DUPLICATE_REASON}
    assert written(session) == before


# --- bulk uploads -------------------------------------------------------------------------


def test_a_json_upload_refuses_contradictions_loose_types_and_repeated_fields_per_row(
    api: TestClient, provider: Provider, session: Session
) -> None:
    offer = provider.offer.id
    good = f'{{"offer_id": {offer}, "status": "waitlist", "measured_at": "2026-03-01T09:00Z"}}'
    rows = [
        good,
        f'{{"offer_id": {offer}, "status": "open", "open_places": 0, "measured_at": '
        '"2026-03-01T09:00:00Z"}',
        f'{{"offer_id": {offer}, "status": "open", "open_places": true, "measured_at": '
        '"2026-03-01T09:00:00Z"}',
        f'{{"offer_id": {offer}, "status": "open", "status": "closed", "measure": "current", '
        '"measure": "current", "measured_at": "2026-03-01T09:00:00Z"}',
        f'{{"offer_id": {offer}, "status": "waitlist", "measured_at": 1772352000}}',
    ]
    before = written(session)
    response = post_raw(api, BULK, provider, '{"reports": [' + ",".join(rows) + "]}")
    reasons = refused(response)
    assert reasons.pop("row 2: open_places").startswith('is 0 while the status is "open"')
    assert reasons == {
        "row 3: open_places": WHOLE_NUMBER,
        "row 4: measure": DUPLICATE_REASON,
        "row 4: status": DUPLICATE_REASON,
        "row 5: measured_at": MOMENT,
    }
    assert response.json()["detail"] == "4 of 5 rows are not valid; nothing was applied"
    assert written(session) == before


def test_a_csv_upload_refuses_the_same_per_row(
    api: TestClient, provider: Provider, session: Session
) -> None:
    offer = provider.offer.id
    lines = [
        CSV_HEADER,
        f"{offer},waitlist,,3,2026-03-01T09:00:00+01:00",
        f"{offer},open,0,,2026-03-01T09:00:00+01:00",
        f"{offer},waitlist,,٥,2026-03-01T09:00:00+01:00",
        f"{offer},waitlist,,3.0,2026-03-01T09:00:00+01:00",
        f"{offer},waitlist,,3,0001-01-01T09:00:00+01:00",
        f"{offer},waitlist,,3,1772352000",
        f"٥{offer},waitlist,,3,2026-03-01T09:00:00+01:00",
    ]
    before = written(session)
    headers = {**provider.auth, "Content-Type": "text/csv"}
    response = api.post(BULK, content="\r\n".join(lines) + "\r\n", headers=headers)
    assert list(refused(response)) == [
        "row 2: open_places",
        "row 3: intake_wait_weeks",
        "row 4: intake_wait_weeks",
        "row 5: measured_at",
        "row 6: measured_at",
        "row 7: offer_id",
    ]
    assert refused(response)["row 3: intake_wait_weeks"] == WHOLE_NUMBER
    assert "2000" in refused(response)["row 5: measured_at"]
    assert written(session) == before


def test_reports_named_twice_refuse_the_whole_upload(api: TestClient, provider: Provider) -> None:
    body = '{"reports": [], "reports": []}'
    assert refused(post_raw(api, BULK, provider, body)) == {"reports": DUPLICATE_REASON}


# --- one place for every JSON body --------------------------------------------------------


def test_repeated_fields_are_found_wherever_they_are_nested() -> None:
    with pytest.raises(DuplicateKeysError) as raised:
        load_json(b'{"a": 1, "b": [{"c": 1, "c": 2}, {"d": {"e": 1, "e": 1}}], "a": 2}')
    assert raised.value.paths == [("a",), ("b", 0, "c"), ("b", 1, "d", "e")]
    assert load_json(b'{"a": {"a": 1}}') == {"a": {"a": 1}}


def test_a_watch_body_is_read_as_strictly_as_a_providers() -> None:
    twice = b'{"case_reference": "WT-1", "municipality": "GM0599", "municipality": "GM0363"}'
    with pytest.raises(InvalidDataError) as raised:
        parse_model(WatchIn, twice)
    assert [p.name for p in raised.value.invalid_params] == ["municipality"]
    loose = {"case_reference": "WT-1", "municipality": "GM0599", "search": {"age": "9"}}
    with pytest.raises(InvalidDataError) as raised:
        parse_model(WatchIn, json.dumps(loose).encode())
    assert [p.name for p in raised.value.invalid_params] == ["search.age"]


@pytest.mark.parametrize("op", [op for op in OPERATIONS if op.request], ids=lambda op: op.name)
def test_every_documented_example_is_accepted_as_json(op: Any) -> None:
    example = request_example(op)
    parse_model(op.request, json.dumps(example).encode())


def test_iso_times_without_seconds_or_with_a_space_are_accepted(
    api: TestClient, provider: Provider, now: datetime
) -> None:
    url = f"{OFFERS}/{provider.offer.id}/availability"
    for layout in ("%Y-%m-%dT%H:%MZ", "%Y-%m-%d %H:%M:%S+00:00"):
        moment = (now - timedelta(hours=1)).strftime(layout)
        body = {"status": "waitlist", "measured_at": moment}
        response = api.post(url, json=body, headers=provider.auth)
        assert response.status_code == 201, response.text
