"""The documented health calls (`web.api.health`) and the shapes of their answer."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from web.api.operations import Operation


class JobHealthOut(BaseModel):
    """How one scheduled job has fared (web/health.py renders it)."""

    state: Literal["ok", "failing", "late", "never_ran"] = Field(
        description="failing: its latest run failed; late: it has not run for several "
        "intervals plus two minutes (the daily reminders: 26 hours), so the scheduler may be "
        "down."
    )
    last_run_at: datetime | None
    last_succeeded_at: datetime | None
    last_failed_at: datetime | None
    runs: int
    failures: int = Field(description="Failed runs, counted since the job first ran.")


class HealthOut(BaseModel):
    """Whether the app is up and reaches its database (web/health.py renders it)."""

    status: str = Field(examples=["ok"])
    database: str = Field(examples=["ok"])
    offers: int | None = Field(default=None, description="Offers in the catalogue.")
    jobs: dict[str, JobHealthOut] = Field(
        default_factory=dict,
        description="Per scheduled job (evaluate-signals, evaluate-changes, "
        "evaluate-watches, freshness-reminders, send-notifications) once it has run.",
    )


OPERATIONS: list[Operation] = [
    Operation(
        "getHealth",
        "GET",
        "/health",
        "meta",
        "Status van de dienst",
        "Service status",
        "Geeft 503 als de database niet bereikbaar is. Met per geplande taak de laatste run, "
        "het laatste succes en de laatste fout en het aantal fouten. Geen sleutel nodig.",
        "Answers 503 when the database cannot be reached. Shows per scheduled job its last "
        "run, last success and failure, and how many runs failed. No key needed.",
        response=HealthOut,
        auth="public",
    ),
    Operation(
        "getApiHealth",
        "GET",
        "/api/v1/health",
        "meta",
        "Status van de dienst (onder /api/v1)",
        "Service status (under /api/v1)",
        "Hetzelfde als /health.",
        "The same as /health.",
        response=HealthOut,
        auth="public",
    ),
]
