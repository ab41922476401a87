"""Reading a bulk upload: a JSON or CSV body to numbered rows, then the rows' fields and
types checked with pydantic, as strictly as a single report (`providers.schemas`). Pure:
no database; `providers.bulk` checks the rows against the catalogue and applies them.

A CSV cell is text, so the whole numbers of CSV columns are read here, from the digits 0-9
only; every row is then validated as JSON, like a JSON upload's rows.

Row numbers are 1-based data rows: in JSON the first element of `reports` is row 1, in
CSV the first line after the header is row 1.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from directory.errors import DirectoryError, InvalidDataError, InvalidParam
from providers.bulk_schemas import BulkReport, BulkRowError
from providers.strict_input import (
    DUPLICATE_REASON,
    DuplicateKeysError,
    JsonPath,
    field_reason,
    load_json,
)

# The documented columns: offer_id, then the fields of a single report in their order.
CSV_COLUMNS = ("offer_id", *(name for name in BulkReport.model_fields if name != "offer_id"))
REQUIRED_COLUMNS = tuple(
    name for name in CSV_COLUMNS if BulkReport.model_fields[name].is_required()
)


def _is_integer(schema: dict[str, Any]) -> bool:
    options = schema.get("anyOf", [schema])
    return any(option.get("type") == "integer" for option in options)


# The columns whose cells are whole numbers (the counts, waits and ids).
INTEGER_COLUMNS = frozenset(
    name
    for name, schema in BulkReport.model_json_schema()["properties"].items()
    if _is_integer(schema)
)
WHOLE_NUMBER = re.compile(r"-?[0-9]+")  # ASCII only: int("٥") would be 5

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
    parsed = parse_csv(body, max_rows) if media_type == "text/csv" else parse_json(body, max_rows)
    if not parsed.rows and not parsed.errors:
        raise InvalidDataError("the upload has no reports", [InvalidParam("reports", "is empty")])
    return parsed


def parse_json(body: bytes, max_rows: int) -> Parsed:
    """The elements of `reports`, numbered from 1; a row that names a field twice is
    refused, with that field as the column."""
    twice: list[JsonPath] = []
    try:
        data = load_json(body)
    except DuplicateKeysError as error:
        data, twice = error.data, error.paths
    except ValueError:
        # Bad JSON and bad UTF-8, NaN, or absurdly deep nesting.
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
    in_rows = [path for path in twice if path[0] == "reports" and len(path) > 2]
    if len(in_rows) < len(twice):  # {"reports": [...], "reports": [...]}
        raise InvalidDataError("the body is not valid", [InvalidParam("reports", DUPLICATE_REASON)])
    errors = [
        BulkRowError(
            row=int(path[1]) + 1, column=".".join(map(str, path[2:])), reason=DUPLICATE_REASON
        )
        for path in in_rows
    ]
    refused = {error.row for error in errors}
    rows = [row for row in enumerate(data["reports"], start=1) if row[0] not in refused]
    return Parsed(rows, errors)


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
            row = {
                column: _cell(column, value)
                for column, value in zip(columns, values, strict=False)
                if value
            }
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


def _cell(column: str, value: str) -> str | int:
    """A CSV cell as its JSON value: a whole number where the column holds one. Anything
    else stays text, which the strict check then refuses for a number column."""
    if column in INTEGER_COLUMNS and WHOLE_NUMBER.fullmatch(value):
        return int(value)
    return value


def type_check(rows: list[Row]) -> tuple[list[tuple[int, BulkReport]], list[BulkRowError]]:
    """The rows that have the right fields and types and do not contradict themselves, and
    an error per wrong field."""
    errors: list[BulkRowError] = []
    try:
        typed = _typed(rows)
    except ValidationError as error:
        bad: set[int] = set()
        for item in error.errors(include_url=False):
            index, *column = item["loc"]
            assert isinstance(index, int)
            bad.add(index)
            reason = "is required" if item["type"] == "missing" else field_reason(item)
            errors.append(
                BulkRowError(
                    row=rows[index][0], column=".".join(map(str, column)) or None, reason=reason
                )
            )
        # The remaining rows passed just now, so this cannot fail.
        typed = _typed([row for index, row in enumerate(rows) if index not in bad])
    consistent = []
    for number, report in typed:
        problems = report.cross_field_problems()
        errors += [BulkRowError(row=number, column=p.name, reason=p.reason) for p in problems]
        if not problems:
            consistent.append((number, report))
    return consistent, errors


def _typed(rows: list[Row]) -> list[tuple[int, BulkReport]]:
    # As JSON, like a single report: strict types, dates from ISO text.
    reports = _ROWS.validate_json(json.dumps([data for _, data in rows]))
    return [(number, report) for (number, _), report in zip(rows, reports, strict=True)]
