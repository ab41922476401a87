"""Bulk availability upload: many reports as JSON or CSV, all or nothing, retried safely.

Every row is checked (types with pydantic, then the catalogue's own rules) before
anything is written; one bad row refuses the whole upload with an error per row and
column. A good upload is applied in row order in the caller's transaction, so two rows for
the same offer behave like two single reports sent one after the other.

Row numbers are 1-based data rows: in JSON the first element of `reports` is row 1, in
CSV the first line after the header is row 1.

With an `Idempotency-Key` the first answer is stored in the same transaction as the
reports; a retry with the same key and body gets that answer back and changes nothing.

The body is read in `providers.bulk_reading`; the shapes are in `providers.bulk_schemas`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.accounts.models import ApiClient, IdempotencyRecord
from directory.catalogue.models import Offer
from directory.catalogue.rules import availability_scope
from directory.catalogue.service import AvailabilityInput, apply_reports, check_reports, lock_offers
from directory.errors import DirectoryError, InvalidDataError, InvalidParam
from providers.bulk_reading import CSV_COLUMNS, parse_upload, type_check
from providers.bulk_schemas import (
    MAX_BULK_ROWS,
    BulkReport,
    BulkReportResult,
    BulkResult,
    BulkRowError,
)
from providers.service import availability_input, reporter_for

MEDIA_TYPES = ("application/json", "text/csv")
MAX_ROWS = MAX_BULK_ROWS  # checked while reading, before any row is validated
# Enough to fix a file by; a wholly wrong 50,000-row file would otherwise answer megabytes.
MAX_ERRORS = 1_000
MAX_KEY_LENGTH = 200
# Offer 123 stands for one of the provider's own offers; location_id and leerjaar stay empty.
TEMPLATE_EXAMPLE = (
    "123,waitlist,0,14,3,6,10,current,2026-03-01T09:00:00+01:00,2026-03-31T09:00:00+01:00,,"
)
CREATED = 201


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP answer as stored for replays: status and JSON body."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


class BulkRowsError(InvalidDataError):
    """Some rows are not valid: nothing was applied. One `invalid_params` entry per row and
    column, named like ``row 3: intake_wait_weeks``; the same errors are kept structured in
    `row_errors`."""

    def __init__(self, row_errors: list[BulkRowError], rows: int) -> None:
        bad_rows = len({error.row for error in row_errors})
        listed = row_errors[:MAX_ERRORS]
        detail = f"{bad_rows} of {rows} rows are not valid; nothing was applied"
        if len(listed) < len(row_errors):
            detail += f" (the first {len(listed)} of {len(row_errors)} errors are listed)"
        super().__init__(detail, [_param(error) for error in listed])
        self.row_errors = listed
        self.extensions = {"errors": [error.model_dump() for error in listed]}


class IdempotencyKeyReusedError(DirectoryError):
    def __init__(self) -> None:
        super().__init__(
            title="Idempotency-Key already used",
            detail="this Idempotency-Key was used for another request; "
            "send a new key with a new upload",
            status=422,
            invalid_params=[InvalidParam("Idempotency-Key", "was used for another request")],
        )


def _param(error: BulkRowError) -> InvalidParam:
    name = f"row {error.row}: {error.column}" if error.column else f"row {error.row}"
    return InvalidParam(name, error.reason)


# --- reading and checking -----------------------------------------------------------------


def csv_template() -> str:
    """The CSV header with one example row, with CRLF line ends as spreadsheets write them."""
    return f"{','.join(CSV_COLUMNS)}\r\n{TEMPLATE_EXAMPLE}\r\n"


@dataclass(frozen=True, slots=True)
class Prepared:
    """An upload read and type-checked, before any database work."""

    typed: list[tuple[int, BulkReport]]
    errors: list[BulkRowError]
    rows: int


def prepare(body: bytes, media_type: str) -> Prepared:
    """Read the rows and check their fields and types (pure: no database)."""
    parsed = parse_upload(body, media_type, MAX_ROWS)
    typed, errors = type_check(parsed.rows)
    refused_while_reading = len({error.row for error in parsed.errors})
    return Prepared(typed, errors + parsed.errors, len(parsed.rows) + refused_while_reading)


def check_upload(
    offers: Mapping[int, Offer],
    client: ApiClient,
    prepared: Prepared,
    *,
    now: datetime,
    default_validity: timedelta,
) -> list[tuple[int, int, AvailabilityInput]]:
    """Every row as (row number, offer id, report), or `BulkRowsError` when any is bad.

    Offers of other organisations count as unknown, exactly like offers that do not exist.
    """
    typed, errors = prepared.typed, list(prepared.errors)
    items = [(report.offer_id, availability_input(report)) for _, report in typed]
    problems = check_reports(
        items,
        offers,
        now=now,
        default_validity=default_validity,
        organisation_id=client.organisation_id,
    )
    errors += [
        BulkRowError(row=typed[index][0], column=problem.name, reason=problem.reason)
        for index, found in problems.items()
        for problem in found
    ]
    if errors:
        # A stable sort: within a row, the errors keep the order of the fields.
        raise BulkRowsError(sorted(errors, key=lambda error: error.row), prepared.rows)
    numbers = [number for number, _ in typed]
    return [
        (number, offer_id, report)
        for number, (offer_id, report) in zip(numbers, items, strict=True)
    ]


# --- applying -----------------------------------------------------------------------------


def apply_upload(
    session: Session,
    offers: Mapping[int, Offer],
    client: ApiClient,
    items: list[tuple[int, int, AvailabilityInput]],
    *,
    now: datetime,
    default_validity: timedelta,
) -> BulkResult:
    """Apply checked rows in order (history, current pointers, audit, outbox).

    `current` in the result is the state after the whole upload: of two rows for the same
    offer, location and leerjaar, only the one that won is current."""
    stored = apply_reports(
        session,
        [(offer_id, report) for _, offer_id, report in items],
        offers,
        reporter_for(client),
        now=now,
        default_validity=default_validity,
    )
    # Per offer and scope, the last row that became current is the one current now.
    last_current = {
        (report.offer_id, availability_scope(report.location_id, report.leerjaar)): index
        for index, (report, became_current) in enumerate(stored)
        if became_current
    }
    winners = set(last_current.values())
    reports = [
        BulkReportResult(row=number, id=report.id, offer_id=report.offer_id, current=i in winners)
        for i, ((number, _, _), (report, _)) in enumerate(zip(items, stored, strict=True))
    ]
    return BulkResult(applied=len(reports), became_current=len(winners), reports=reports)


# --- idempotency --------------------------------------------------------------------------


def idempotency_key(value: str | None) -> str | None:
    """The `Idempotency-Key` header checked: 1-200 printable ASCII characters."""
    if value is None:
        return None
    if not 1 <= len(value) <= MAX_KEY_LENGTH or not all(" " <= c <= "~" for c in value):
        raise InvalidDataError(
            "the Idempotency-Key is not valid",
            [InvalidParam("Idempotency-Key", f"1 to {MAX_KEY_LENGTH} printable ASCII characters")],
        )
    return value


def request_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def stored_answer(session: Session, client: ApiClient, key: str, digest: str) -> Answer | None:
    """The answer first given to this key, or None when the key is new. A key used for a
    different body is refused rather than replayed."""
    record = session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.api_client_id == client.id, IdempotencyRecord.key == key
        )
    )
    if record is None:
        return None
    if record.request_hash != digest:
        raise IdempotencyKeyReusedError()
    return Answer(record.status_code, record.response_body, replayed=True)


def upload(
    session: Session,
    client: ApiClient,
    body: bytes,
    prepared: Prepared,
    *,
    key: str | None,
    now: datetime,
    default_validity: timedelta,
) -> Answer:
    """Check and apply an upload for `client`, or replay the first answer to `key`.

    With a key, the record is inserted before the work starts: a concurrent duplicate
    then waits on the unique (client, key) and fails with an IntegrityError once this
    transaction commits, and the caller answers it with the stored answer. If the upload
    is refused, the rollback removes the record, so a corrected retry may reuse the key.
    """
    record = None
    if key is not None:
        digest = request_hash(body)
        stored = stored_answer(session, client, key, digest)
        if stored is not None:
            return stored
        record = IdempotencyRecord(
            api_client_id=client.id,
            key=key,
            request_hash=digest,
            status_code=0,
            response_body={},
            created_at=now,
        )
        session.add(record)
        session.flush()
    # Loaded and locked once, for the checks and the writes alike.
    offers = lock_offers(session, {report.offer_id for _, report in prepared.typed})
    items = check_upload(offers, client, prepared, now=now, default_validity=default_validity)
    result = apply_upload(
        session, offers, client, items, now=now, default_validity=default_validity
    )
    answer = Answer(CREATED, result.model_dump(mode="json"))
    if record is not None:
        record.status_code = answer.status
        record.response_body = answer.body
        session.flush()
    return answer
