"""Bulk availability upload: many reports as JSON or CSV, all or nothing, retried safely.

Every row is checked (types with pydantic, then the catalogue's own rules) before
anything is written; one bad row refuses the whole upload with an error per row and
column. A good upload is applied in row order in the caller's transaction, so two rows for
the same offer behave like two single reports sent one after the other.

Row numbers are 1-based data rows: in JSON the first element of `reports` is row 1, in
CSV the first line after the header is row 1.

With an `Idempotency-Key` the first answer is stored in the same transaction as the
reports; a retry with the same key and body gets that answer back and changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.accounts.models import ApiClient, IdempotencyRecord
from directory.catalogue.models import Offer
from directory.catalogue.rules import availability_scope
from directory.catalogue.service import AvailabilityInput, apply_reports, check_reports, lock_offers
from directory.errors import DirectoryError, InvalidDataError, InvalidParam
from providers.schemas import (
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
# The documented columns: offer_id, then the fields of a single report in their order.
CSV_COLUMNS = ("offer_id", *(name for name in BulkReport.model_fields if name != "offer_id"))
REQUIRED_COLUMNS = tuple(
    name for name in CSV_COLUMNS if BulkReport.model_fields[name].is_required()
)
# Offer 123 stands for one of the provider's own offers; location_id and leerjaar stay empty.
TEMPLATE_EXAMPLE = (
    "123,waitlist,0,14,3,6,10,current,2026-03-01T09:00:00+01:00,2026-03-31T09:00:00+01:00,,"
)
CREATED = 201

_ROWS = TypeAdapter(list[BulkReport])

Row = tuple[int, Any]  # (row number, the row as sent)


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


# --- parsing ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Parsed:
    """An upload's rows as sent, and the rows already refused while reading the file."""

    rows: list[Row]
    errors: list[BulkRowError]


def parse_upload(body: bytes, media_type: str) -> Parsed:
    """The rows of a JSON (`{"reports": [...]}`) or CSV upload, not yet validated.

    Refuses (422) a body that is not JSON/CSV at all or has no rows, and (413) one with
    more than `MAX_ROWS` rows."""
    parsed = parse_csv(body) if media_type == "text/csv" else Parsed(parse_json(body), [])
    if not parsed.rows and not parsed.errors:
        raise InvalidDataError("the upload has no reports", [InvalidParam("reports", "is empty")])
    return parsed


def parse_json(body: bytes) -> list[Row]:
    """The elements of `reports`, numbered from 1."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        # ValueError covers bad JSON and bad UTF-8; RecursionError absurdly deep nesting.
        raise InvalidDataError(
            "the body is not valid JSON", [InvalidParam("body", "is not valid JSON")]
        ) from None
    if (
        not isinstance(data, dict)
        or set(data) != {"reports"}
        or not isinstance(data["reports"], list)
    ):
        raise InvalidDataError(
            'send {"reports": [...]}', [InvalidParam("reports", "a list of reports is required")]
        )
    _check_row_count(len(data["reports"]))
    return list(enumerate(data["reports"], start=1))


def parse_csv(body: bytes) -> Parsed:
    """The data lines of a CSV file with the template's header, as dicts without the empty
    cells (an empty cell means "not given"). Lines that are wholly empty are skipped but
    still counted, so row numbers match the lines of the file after the header.

    UTF-8, with or without a byte-order mark; comma- or semicolon-separated (a spreadsheet
    in a Dutch locale saves with semicolons)."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidDataError(
            "the CSV file is not UTF-8 text", [InvalidParam("body", "save the file as CSV UTF-8")]
        ) from None
    first_line = text.partition("\n")[0]
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    parsed = Parsed([], [])
    number = 0
    try:
        header = next(reader, None)
        if header is None:
            return parsed
        columns = _check_header([name.strip() for name in header])
        for number, cells in enumerate(reader, start=1):
            values = [cell.strip() for cell in cells]
            if not any(values):
                continue
            _check_row_count(len(parsed.rows) + len(parsed.errors) + 1)
            if any(values[len(columns) :]):
                reason = "has more cells than the header has columns"
                parsed.errors.append(BulkRowError(row=number, column=None, reason=reason))
                continue
            row = {column: value for column, value in zip(columns, values, strict=False) if value}
            parsed.rows.append((number, row))
    except csv.Error as error:
        raise InvalidDataError(
            "the CSV file cannot be read", [InvalidParam(f"row {number + 1}", str(error))]
        ) from None
    return parsed


def _check_header(columns: list[str]) -> list[str]:
    problems = [
        InvalidParam(f"header: {name}", "is not a column of the template")
        for name in columns
        if name not in CSV_COLUMNS
    ]
    problems += [
        InvalidParam(f"header: {name}", "appears more than once")
        for name in sorted({name for name in columns if columns.count(name) > 1})
    ]
    problems += [
        InvalidParam(f"header: {name}", "is a required column")
        for name in REQUIRED_COLUMNS
        if name not in columns
    ]
    if problems:
        raise InvalidDataError(
            f"the header must name the template's columns: {','.join(CSV_COLUMNS)}", problems
        )
    return columns


def _check_row_count(rows: int) -> None:
    if rows > MAX_ROWS:
        raise DirectoryError(
            title="Content Too Large",
            detail=f"an upload may have at most {MAX_ROWS} rows; split it into several uploads",
            status=413,
        )


def csv_template() -> str:
    """The CSV header with one example row, with CRLF line ends as spreadsheets write them."""
    return f"{','.join(CSV_COLUMNS)}\r\n{TEMPLATE_EXAMPLE}\r\n"


# --- validation ---------------------------------------------------------------------------


def type_check(rows: list[Row]) -> tuple[list[tuple[int, BulkReport]], list[BulkRowError]]:
    """The rows that have the right fields and types, and an error per wrong field."""
    try:
        return _typed(rows), []
    except ValidationError as error:
        errors: list[BulkRowError] = []
        bad: set[int] = set()
        for item in error.errors(include_url=False):
            index, *column = item["loc"]
            assert isinstance(index, int)
            bad.add(index)
            reason = "is required" if item["type"] == "missing" else item["msg"]
            errors.append(
                BulkRowError(
                    row=rows[index][0], column=".".join(map(str, column)) or None, reason=reason
                )
            )
    # The remaining rows passed just now, so this cannot fail.
    return _typed([row for index, row in enumerate(rows) if index not in bad]), errors


def _typed(rows: list[Row]) -> list[tuple[int, BulkReport]]:
    reports = _ROWS.validate_python([data for _, data in rows])
    return [(number, report) for (number, _), report in zip(rows, reports, strict=True)]


@dataclass(frozen=True, slots=True)
class Prepared:
    """An upload read and type-checked, before any database work."""

    typed: list[tuple[int, BulkReport]]
    errors: list[BulkRowError]
    rows: int


def prepare(body: bytes, media_type: str) -> Prepared:
    """Read the rows and check their fields and types (pure: no database)."""
    parsed = parse_upload(body, media_type)
    typed, errors = type_check(parsed.rows)
    return Prepared(typed, errors + parsed.errors, len(parsed.rows) + len(parsed.errors))


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
