"""Reading a bulk upload: a JSON or CSV body to numbered rows, then the rows' fields and
types checked with pydantic. Pure: no database; `providers.bulk` checks the rows against
the catalogue and applies them.

Row numbers are 1-based data rows: in JSON the first element of `reports` is row 1, in
CSV the first line after the header is row 1.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from directory.errors import DirectoryError, InvalidDataError, InvalidParam
from providers.bulk_schemas import BulkReport, BulkRowError

# The documented columns: offer_id, then the fields of a single report in their order.
CSV_COLUMNS = ("offer_id", *(name for name in BulkReport.model_fields if name != "offer_id"))
REQUIRED_COLUMNS = tuple(
    name for name in CSV_COLUMNS if BulkReport.model_fields[name].is_required()
)

_ROWS = TypeAdapter(list[BulkReport])

Row = tuple[int, Any]  # (row number, the row as sent)


@dataclass(frozen=True, slots=True)
class Parsed:
    """An upload's rows as sent, and the rows already refused while reading the file."""

    rows: list[Row]
    errors: list[BulkRowError]


def parse_upload(body: bytes, media_type: str, max_rows: int) -> Parsed:
    """The rows of a JSON (`{"reports": [...]}`) or CSV upload, not yet validated.

    Refuses (422) a body that is not JSON/CSV at all or has no rows, and (413) one with
    more than `max_rows` rows."""
    if media_type == "text/csv":
        parsed = parse_csv(body, max_rows)
    else:
        parsed = Parsed(parse_json(body, max_rows), [])
    if not parsed.rows and not parsed.errors:
        raise InvalidDataError("the upload has no reports", [InvalidParam("reports", "is empty")])
    return parsed


def parse_json(body: bytes, max_rows: int) -> list[Row]:
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
    _check_row_count(len(data["reports"]), max_rows)
    return list(enumerate(data["reports"], start=1))


def parse_csv(body: bytes, max_rows: int) -> Parsed:
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
            _check_row_count(len(parsed.rows) + len(parsed.errors) + 1, max_rows)
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


def _check_row_count(rows: int, max_rows: int) -> None:
    if rows > max_rows:
        raise DirectoryError(
            title="Content Too Large",
            detail=f"an upload may have at most {max_rows} rows; split it into several uploads",
            status=413,
        )


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
