"""The bulk-upload shapes: one row (an availability report naming its offer), the JSON
request, and the answers: what was applied, or why each refused row was refused.

Part of the provider API's boundary, like `providers.schemas`; `providers.bulk` reads and
applies uploads with them.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from providers.schemas import AvailabilityFields
from providers.strict_input import Id, Strict

MAX_BULK_ROWS = 50_000


class BulkReport(AvailabilityFields):
    """One row of a bulk upload: an availability report for one of your offers."""

    offer_id: Id = Field(description="One of your own offers.")


class BulkRequest(Strict):
    """A bulk upload as JSON. As CSV: the same fields as columns, one report per line."""

    reports: list[BulkReport] = Field(min_length=1, max_length=MAX_BULK_ROWS)


class BulkReportResult(BaseModel):
    row: int = Field(description="1-based; in CSV, row 1 is the first line after the header.")
    id: int
    offer_id: int
    current: bool = Field(description="False when a newer measurement was already known.")


class BulkResult(BaseModel):
    """What a bulk upload applied; a retry with the same Idempotency-Key gets it again."""

    applied: int
    became_current: int
    reports: list[BulkReportResult]


class BulkRowError(BaseModel):
    """Why one row of a bulk upload was refused."""

    row: int = Field(description="1-based; in CSV, row 1 is the first line after the header.")
    column: str | None = Field(description="Empty when the row as a whole is wrong.")
    reason: str
