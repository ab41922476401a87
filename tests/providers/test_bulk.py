"""Bulk availability upload: JSON and CSV, all or nothing, idempotent retries."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from directory.catalogue.models import AuditEvent, AvailabilityReport, CurrentAvailability
from directory.config import Settings
from directory.search_index import IndexOutbox
from providers import bulk
from tests.factories import create_offer
from tests.http import assert_problem
from tests.providers.conftest import Provider, create_provider
from web.app import create_app

BULK = "/api/v1/provider/availability/bulk"
TEMPLATE = "/api/v1/provider/availability/template.csv"
HEADER = (
    "offer_id,status,open_places,waiting_list_size,bridging_count,intake_wait_weeks,"
    "treatment_wait_weeks,measure,measured_at,valid_until,location_id,leerjaar"
)
WHOLE_NUMBER = "must be a whole number in the digits 0-9, e.g. 3 (in JSON without quotes)"


def row(offer_id: int, measured_at: datetime, **fields: Any) -> dict[str, Any]:
    given = {"offer_id": offer_id, "status": "waitlist", "measured_at": measured_at.isoformat()}
    return given | fields


def post_csv(api: TestClient, provider: Provider, *lines: str) -> Any:
    headers = {**provider.auth, "Content-Type": "text/csv"}
    return api.post(BULK, content="\r\n".join(lines) + "\r\n", headers=headers)


def count(session: Session, table: Any) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


def params(problem: dict[str, Any]) -> list[tuple[str, str]]:
    return [(param["name"], param["reason"]) for param in problem["invalid_params"]]


# --- applying -----------------------------------------------------------------------------


def test_a_json_upload_applies_every_row_in_one_go(
    api: TestClient, provider: Provider, session: Session, now: datetime
) -> None:
    second = create_offer(session, provider.organisation, [provider.location])
    session.commit()
    reports, audit = count(session, AvailabilityReport), count(session, AuditEvent)
    rows = [
        row(provider.offer.id, now - timedelta(days=2), intake_wait_weeks=4),
        row(second.id, now - timedelta(days=1), status="open", open_places=2),
        row(provider.offer.id, now, location_id=provider.location.id, treatment_wait_weeks=9),
    ]
    response = api.post(BULK, json={"reports": rows}, headers=provider.auth)
    assert response.status_code == 201, response.text
    answer = response.json()
    assert answer["applied"] == 3
    assert answer["became_current"] == 3
    assert [(r["row"], r["offer_id"], r["current"]) for r in answer["reports"]] == [
        (1, provider.offer.id, True),
        (2, second.id, True),
        (3, provider.offer.id, True),
    ]
    assert count(session, AvailabilityReport) == reports + 3
    assert count(session, AuditEvent) == audit + 3
    stored = session.get_one(AvailabilityReport, answer["reports"][2]["id"])
    assert (stored.location_id, stored.treatment_wait_weeks) == (provider.location.id, 9)
    queued = session.scalars(select(IndexOutbox.offer_id)).all()
    assert {provider.offer.id, second.id} <= set(queued)


def test_rows_for_one_offer_apply_in_order_and_the_newest_measurement_wins(
    api: TestClient, provider: Provider, session: Session, now: datetime
) -> None:
    rows = [
        row(provider.offer.id, now - timedelta(days=1), intake_wait_weeks=1),
        row(provider.offer.id, now - timedelta(days=5), intake_wait_weeks=2),
        row(provider.offer.id, now - timedelta(days=1), intake_wait_weeks=3),
    ]
    answer = api.post(BULK, json={"reports": rows}, headers=provider.auth).json()
    assert [r["current"] for r in answer["reports"]] == [False, False, True]
    assert answer["became_current"] == 1
    pointer = session.scalars(
        select(CurrentAvailability).where(
            CurrentAvailability.offer_id == provider.offer.id, CurrentAvailability.scope == "offer"
        )
    ).one()
    assert pointer.report_id == answer["reports"][2]["id"]


def test_a_csv_upload_with_the_templates_columns_applies_every_row(
    api: TestClient, provider: Provider, session: Session
) -> None:
    response = post_csv(
        api,
        provider,
        HEADER,
        f"{provider.offer.id},waitlist,0,12,2,5,,current,2026-03-01T09:00:00+01:00,,,",
        "",  # blank lines are skipped
        f" {provider.offer.id} ,open,3,,,,,retrospective,2026-02-20T09:00Z,2026-04-01T00:00Z,,",
    )
    assert response.status_code == 201, response.text
    answer = response.json()
    assert [(r["row"], r["current"]) for r in answer["reports"]] == [(1, True), (3, False)]
    first = session.get_one(AvailabilityReport, answer["reports"][0]["id"])
    figures = (first.waiting_list_size, first.bridging_count, first.treatment_wait_weeks)
    assert figures == (12, 2, None)  # an empty cell is "not given"
    assert first.valid_until - first.measured_at == timedelta(days=31)


def test_a_semicolon_separated_csv_from_a_dutch_spreadsheet_is_read(
    api: TestClient, provider: Provider
) -> None:
    response = post_csv(
        api,
        provider,
        HEADER.replace(",", ";"),
        f"{provider.offer.id};open;1;;;;;current;2026-03-01T09:00:00+01:00;;;",
    )
    assert response.status_code == 201, response.text
    assert response.json()["applied"] == 1


# --- refusing -----------------------------------------------------------------------------


def test_one_bad_row_refuses_the_whole_upload_with_row_and_column_errors(
    api: TestClient, provider: Provider, session: Session, now: datetime
) -> None:
    before = count(session, AvailabilityReport), count(session, AuditEvent)
    offer = provider.offer.id
    good = f"{offer},waitlist,,,,3,,current,2026-03-01T09:00:00+01:00,,,"
    response = post_csv(
        api,
        provider,
        HEADER,
        good,
        good,
        f"{offer},waitlist,,,,soon,,current,2026-03-01T09:00:00+01:00,,,",
        good,
        f"{offer},waitlist,,4,9,,,current,2026-03-01T09:00:00+01:00,,,7",
        f"{offer},full,,,,,,,2026-03-01T09:00:00,,,",
        f"{offer},open,,,,,,current,2026-03-01T09:00:00Z,,,,surplus",
        good,
    )
    problem = assert_problem(response, 422)
    assert problem["detail"] == "4 of 8 rows are not valid; nothing was applied"
    assert params(problem) == [
        ("row 3: intake_wait_weeks", WHOLE_NUMBER),
        ("row 5: bridging_count", "cannot exceed waiting_list_size"),
        ("row 5: leerjaar", "is not a leerjaar of this offer"),
        ("row 6: status", "Input should be 'open', 'waitlist', 'closed' or 'assessment_required'"),
        ("row 6: measured_at", 'needs a time zone, e.g. "2026-03-01T09:00:00+01:00"'),
        ("row 7", "has more cells than the header has columns"),
    ]
    assert problem["errors"][0] == {"row": 3, "column": "intake_wait_weeks", "reason": WHOLE_NUMBER}
    assert problem["errors"][-1] == {
        "row": 7,
        "column": None,
        "reason": "has more cells than the header has columns",
    }
    assert (count(session, AvailabilityReport), count(session, AuditEvent)) == before


def test_json_rows_are_numbered_from_one_and_name_their_field(
    api: TestClient, provider: Provider, session: Session, now: datetime
) -> None:
    before = count(session, AvailabilityReport)
    rows: list[Any] = [
        row(provider.offer.id, now),
        row(provider.offer.id, now, open_places=-1, colour="red"),
        "not a report",
        row(provider.offer.id, now + timedelta(hours=1), valid_until=now.isoformat()),
    ]
    problem = assert_problem(api.post(BULK, json={"reports": rows}, headers=provider.auth), 422)
    assert params(problem) == [
        ("row 2: open_places", "Input should be greater than or equal to 0"),
        ("row 2: colour", "Extra inputs are not permitted"),
        ("row 3", 'must be an object in curly brackets, e.g. {"status": "open"}'),
        ("row 4: measured_at", "lies in the future"),
        ("row 4: valid_until", "must be after measured_at"),
    ]
    assert count(session, AvailabilityReport) == before


def test_another_organisations_offer_in_a_row_is_refused_as_unknown(
    api: TestClient, provider: Provider, other: Provider, session: Session, now: datetime
) -> None:
    before = count(session, AvailabilityReport)
    rows = [row(provider.offer.id, now), row(other.offer.id, now), row(999_999, now)]
    problem = assert_problem(api.post(BULK, json={"reports": rows}, headers=provider.auth), 422)
    assert params(problem) == [
        ("row 2: offer_id", f"{other.offer.id} is not one of your offers"),
        ("row 3: offer_id", "999999 is not one of your offers"),
    ]
    assert count(session, AvailabilityReport) == before


@pytest.mark.parametrize(
    ("content_type", "content"),
    [
        ("application/json", '{"reports": []}'),
        ("application/json", ""),
        ("application/json", '[{"offer_id": 1}]'),
        ("text/csv", ""),
        ("text/csv", HEADER + "\r\n\r\n"),
    ],
)
def test_an_upload_without_reports_is_refused(
    api: TestClient, provider: Provider, content_type: str, content: str
) -> None:
    headers = {**provider.auth, "Content-Type": content_type}
    assert_problem(api.post(BULK, content=content, headers=headers), 422)


def test_a_csv_header_must_name_the_templates_columns(api: TestClient, provider: Provider) -> None:
    response = post_csv(api, provider, "offer_id,status,colour", f"{provider.offer.id},open,red")
    problem = assert_problem(response, 422)
    assert params(problem) == [
        ("header: colour", "is not a column of the template"),
        ("header: measured_at", "is a required column"),
    ]


def test_wrong_content_type_is_refused(api: TestClient, provider: Provider) -> None:
    headers = {**provider.auth, "Content-Type": "application/vnd.ms-excel"}
    assert_problem(api.post(BULK, content=b"PK\x03\x04", headers=headers), 415)


def test_an_oversized_upload_is_refused_and_changes_nothing(
    session_factory: sessionmaker[Session], provider: Provider, session: Session, now: datetime
) -> None:
    app = create_app(
        Settings(_env_file=None, max_bulk_body_bytes=1_000),
        session_factory=session_factory,
        clock=lambda: now,
    )
    before = count(session, AvailabilityReport)
    rows = [row(provider.offer.id, now - timedelta(minutes=i)) for i in range(20)]
    with TestClient(app) as api:
        problem = assert_problem(api.post(BULK, json={"reports": rows}, headers=provider.auth), 413)
        assert "1000 bytes" in problem["detail"]
        small = {"reports": rows[:1]}
        assert api.post(BULK, json=small, headers=provider.auth).status_code == 201
    assert count(session, AvailabilityReport) == before + 1


def test_too_many_rows_are_refused_with_the_limit(
    api: TestClient, provider: Provider, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "MAX_ROWS", 2)
    rows = [row(provider.offer.id, now)] * 3
    problem = assert_problem(api.post(BULK, json={"reports": rows}, headers=provider.auth), 413)
    assert "at most 2 rows" in problem["detail"]
    line = f"{provider.offer.id},open,,,,,,,2026-03-01T09:00:00Z,,,"
    assert_problem(post_csv(api, provider, HEADER, line, line, line), 413)


def test_a_key_without_the_availability_scope_cannot_upload(
    api: TestClient, session: Session, now: datetime
) -> None:
    reader = create_provider(session, now, scopes=("offers:write",))
    session.commit()
    rows = [row(reader.offer.id, now)]
    assert_problem(api.post(BULK, json={"reports": rows}, headers=reader.auth), 403)
    assert_problem(api.post(BULK, json={"reports": rows}), 401)


# --- idempotency --------------------------------------------------------------------------


def test_an_idempotent_retry_returns_the_first_answer_and_applies_nothing(
    api: TestClient, provider: Provider, session: Session, now: datetime
) -> None:
    upload = {"reports": [row(provider.offer.id, now), row(provider.offer.id, now)]}
    headers = {**provider.auth, "Idempotency-Key": "upload-2026-03-02"}
    first = api.post(BULK, json=upload, headers=headers)
    assert first.status_code == 201, first.text
    assert "Idempotent-Replayed" not in first.headers
    reports, audit = count(session, AvailabilityReport), count(session, AuditEvent)

    retry = api.post(BULK, json=upload, headers=headers)
    assert retry.status_code == first.status_code
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert (count(session, AvailabilityReport), count(session, AuditEvent)) == (reports, audit)


def test_a_key_used_again_for_another_upload_is_refused(
    api: TestClient, provider: Provider, session: Session, now: datetime
) -> None:
    headers = {**provider.auth, "Idempotency-Key": "k1"}
    api.post(BULK, json={"reports": [row(provider.offer.id, now)]}, headers=headers)
    before = count(session, AvailabilityReport)
    changed = {"reports": [row(provider.offer.id, now, open_places=1)]}
    problem = assert_problem(api.post(BULK, json=changed, headers=headers), 422)
    assert "used for another request" in problem["detail"]
    assert count(session, AvailabilityReport) == before


def test_keys_belong_to_one_api_client(
    api: TestClient, provider: Provider, other: Provider, now: datetime
) -> None:
    ours = api.post(
        BULK,
        json={"reports": [row(provider.offer.id, now)]},
        headers={**provider.auth, "Idempotency-Key": "same"},
    )
    theirs = api.post(
        BULK,
        json={"reports": [row(other.offer.id, now)]},
        headers={**other.auth, "Idempotency-Key": "same"},
    )
    assert (ours.status_code, theirs.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in theirs.headers


def test_a_refused_upload_does_not_use_up_its_key(
    api: TestClient, provider: Provider, now: datetime
) -> None:
    headers = {**provider.auth, "Idempotency-Key": "k2"}
    bad = {"reports": [row(provider.offer.id, now, leerjaar=3)]}
    assert_problem(api.post(BULK, json=bad, headers=headers), 422)
    corrected = {"reports": [row(provider.offer.id, now)]}
    assert api.post(BULK, json=corrected, headers=headers).status_code == 201


def test_a_concurrent_duplicate_gets_the_stored_answer(
    api: TestClient,
    provider: Provider,
    session: Session,
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    upload = {"reports": [row(provider.offer.id, now)]}
    headers = {**provider.auth, "Idempotency-Key": "raced"}
    first = api.post(BULK, json=upload, headers=headers)
    before = count(session, AvailabilityReport)
    # The duplicate looks before the first one commits (it sees no record), then finds the
    # key taken when it inserts its own.
    original = bulk.stored_answer
    looks: list[str] = []

    def not_yet_committed(*args: Any) -> bulk.Answer | None:
        looks.append("look")
        return None if len(looks) == 1 else original(*args)

    monkeypatch.setattr(bulk, "stored_answer", not_yet_committed)
    duplicate = api.post(BULK, json=upload, headers=headers)
    assert duplicate.status_code == 201, duplicate.text
    assert duplicate.json() == first.json()
    assert duplicate.headers["Idempotent-Replayed"] == "true"
    assert count(session, AvailabilityReport) == before


@pytest.mark.parametrize("key", ["", "x" * 201, "sleutel\u00e9"])
def test_an_unusable_idempotency_key_is_refused(
    api: TestClient, provider: Provider, now: datetime, key: str
) -> None:
    # As sent on the wire: header values are bytes, read back as Latin-1.
    sent = {**provider.auth, "Idempotency-Key": key}
    headers = {name.encode(): value.encode("latin-1") for name, value in sent.items()}
    upload = {"reports": [row(provider.offer.id, now)]}
    problem = assert_problem(api.post(BULK, json=upload, headers=headers), 422)
    assert problem["invalid_params"][0]["name"] == "Idempotency-Key"


# --- template -----------------------------------------------------------------------------


def test_the_template_downloads_and_round_trips_through_the_upload(
    api: TestClient, provider: Provider
) -> None:
    template = api.get(TEMPLATE)
    assert template.status_code == 200
    assert template.headers["content-type"].startswith("text/csv")
    assert template.headers["content-disposition"].startswith("attachment;")
    header, example = template.text.splitlines()
    assert header == HEADER
    assert example.startswith("123,")
    own_example = example.replace("123,", f"{provider.offer.id},", 1)
    response = post_csv(api, provider, header, own_example)
    assert response.status_code == 201, response.text
    assert response.json()["reports"][0]["current"] is True
