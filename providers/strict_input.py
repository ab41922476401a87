"""Strict input for the provider API: the shared field types (counts, weeks, moments, days,
hours, ids), the `Strict` base model, and reading JSON (`load_json`) with words for
pydantic's refusals (`field_reason`).

Input is read strictly, because what a provider sends is shown to parents as it is: a
number must be a JSON number (not `"3"`, not `true`, not `"٥"`), a moment ISO 8601 text (not
a Unix time), and a JSON object must not name a field twice.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

MAX_WAIT_WEEKS = 520  # ten years: any longer wait is a typing error, not a waiting list
Count = Annotated[int, Field(ge=0, le=100_000)]
Weeks = Annotated[int, Field(ge=0, le=MAX_WAIT_WEEKS, description="Weeks; 0 means no wait.")]
Age = Annotated[int, Field(ge=0, le=30)]
MAX_ID = 2**31 - 1  # ids are 32-bit integers on every database
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
FIRST_YEAR, LAST_YEAR = 2000, 2100
D = TypeVar("D", bound=date)  # a date or a datetime
MOMENT_EXAMPLE = "2026-03-01T09:00:00+01:00"
DAY_EXAMPLE = "2026-09-01"
# Text in ISO 8601 with ASCII digits: pydantic reads "1700000000" as a Unix time, which no
# provider means (a regex "\d" would also take "٥").
_ISO_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MOMENT_REASON = f'must be a date and time with its time zone, as text: "{MOMENT_EXAMPLE}"'
_DAY_REASON = f'must be a date as text: "{DAY_EXAMPLE}"'
_NUMBER_REASON = "must be a number in the digits 0-9, e.g. 12.5 (in JSON without quotes)"


# The checks below do what strict mode would, then let pydantic parse in lax mode: after a
# check, pydantic sees a Python value, and strict Python validation refuses text for a date.
def _iso_moment(value: Any) -> Any:
    if isinstance(value, datetime) or (isinstance(value, str) and _ISO_MOMENT.match(value)):
        return value
    raise PydanticCustomError("datetime_iso", _MOMENT_REASON)


def _iso_day(value: Any) -> Any:
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DAY.fullmatch(value)):
        return value
    raise PydanticCustomError("date_iso", _DAY_REASON)


def _number(value: Any) -> Any:
    # Strict mode would still read a Decimal from text, and Decimal("٥") is 5.
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    raise PydanticCustomError("number_type", _NUMBER_REASON)


def _plausible_year(value: D) -> D:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        example = MOMENT_EXAMPLE if isinstance(value, datetime) else DAY_EXAMPLE
        raise PydanticCustomError(
            "year_range", f'must lie between the years {FIRST_YEAR} and {LAST_YEAR}: "{example}"'
        )
    return value


Moment = Annotated[
    AwareDatetime,
    Field(strict=False),
    BeforeValidator(_iso_moment),
    AfterValidator(_plausible_year),
]
Day = Annotated[
    date, Field(strict=False), BeforeValidator(_iso_day), AfterValidator(_plausible_year)
]
# Sent and answered as a JSON number (pydantic would answer a Decimal as text).
Hours = Annotated[
    Decimal,
    BeforeValidator(_number),
    Field(strict=False, ge=0, le=40, decimal_places=1),
    PlainSerializer(float, return_type=float, when_used="json"),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 40}),
]


class Strict(BaseModel):
    """Unknown fields are refused, text is trimmed, no text may hold a NUL character
    (PostgreSQL cannot store it), and types are strict: `true` is no count, `"3"` no number.
    Validate request bodies as JSON (`model_validate_json`): strict Python validation would
    want enum members and datetime objects."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise ValueError("must not contain NUL characters")
        return value


# --- reading JSON -------------------------------------------------------------------------

JsonPath = tuple[str | int, ...]


class DuplicateKeysError(ValueError):
    """A JSON object named a field more than once: `paths` says where (sorted), `data` is
    the JSON as parsed, each object keeping the last value of a repeated field."""

    def __init__(self, paths: list[JsonPath], data: Any) -> None:
        super().__init__(f"a field is named twice: {paths}")
        self.paths = paths
        self.data = data


class _Twice(dict[str, Any]):
    """A JSON object in which the keys in `repeated` occurred more than once."""

    repeated: list[str]


def load_json(body: bytes | str) -> Any:
    """`body` parsed as JSON, refusing what `json.loads` and pydantic let through: a field
    named twice in one object (both keep the last value, which hides a client's bug) raises
    `DuplicateKeysError`; NaN and Infinity (not JSON) raise ValueError, as bad JSON does."""
    twice: list[_Twice] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        data = dict(items)
        if len(data) == len(items):
            return data
        found = _Twice(data)
        found.repeated = sorted(key for key, n in Counter(k for k, _ in items).items() if n > 1)
        twice.append(found)
        return found

    def constant(name: str) -> Any:
        raise ValueError(f"{name} is not a JSON value")

    try:
        data = json.loads(body, object_pairs_hook=pairs, parse_constant=constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if twice:
        raise DuplicateKeysError(sorted(_duplicate_paths(data), key=str), data)
    return data


def _duplicate_paths(data: Any) -> list[JsonPath]:
    paths: list[JsonPath] = []
    stack: list[tuple[JsonPath, Any]] = [((), data)]
    while stack:  # no recursion: the nesting may be as deep as json.loads allows
        path, value = stack.pop()
        if isinstance(value, dict):
            if isinstance(value, _Twice):
                paths += [(*path, key) for key in value.repeated]
            stack += [((*path, key), item) for key, item in value.items()]
        elif isinstance(value, list):
            stack += [((*path, index), item) for index, item in enumerate(value)]
    return paths


DUPLICATE_REASON = "is named twice in one JSON object; send each field once"

# Pydantic's refusals of a wrong type, worded with the right form. The rest (a value out of
# range, an unknown status) already say what is allowed.
_WHOLE_REASON = "must be a whole number in the digits 0-9, e.g. 3 (in JSON without quotes)"
_TYPES_BY_REASON = {
    _WHOLE_REASON: ("int_type", "int_parsing", "int_from_float"),
    _NUMBER_REASON: ("float_type", "float_parsing", "decimal_type", "decimal_parsing"),
    "must be true or false (in JSON without quotes)": ("bool_type", "bool_parsing"),
    _MOMENT_REASON: ("datetime_type", "datetime_parsing", "datetime_from_date_parsing"),
    _DAY_REASON: (
        "date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"
    ),
    f'needs a time zone, e.g. "{MOMENT_EXAMPLE}"': ("timezone_aware",),
    'must be text in quotes, e.g. "Rotterdam"': ("string_type",),
    "must be a list in square brackets, e.g. [1, 2]": ("list_type",),
    'must be an object in curly brackets, e.g. {"status": "open"}': ("model_type", "dict_type"),
}  # fmt: skip
_REASONS = {kind: reason for reason, kinds in _TYPES_BY_REASON.items() for kind in kinds}


def field_reason(error: ErrorDetails) -> str:
    """Why pydantic refused a value, for the sender: with the right form where the type was
    wrong."""
    return _REASONS.get(error["type"], error["msg"])
