"""`GET /health`: is the app up, can it reach its database, how big is the catalogue, and
how the scheduled jobs have fared (read from `job_run`, whichever process runs them;
"late" when one has not run for longer than its job's `late_after` allows).

Load balancers poll it often, so it reads nothing that grows with the catalogue on every
call: the offer count (a scan of the offer table, 30 ms at 100,000 offers) is read at most
once per `OfferCount.max_age_seconds`; the job rows are few and show the database answers."""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from directory.catalogue.service import count_offers
from directory.db import unit_of_work
from sync.job_runs import JobHealth, job_health
from web.kit.http import now_of

log = logging.getLogger(__name__)


class OfferCount:
    """The number of offers, read from the database at most every `max_age_seconds`."""

    def __init__(self, max_age_seconds: float = 60.0) -> None:
        self.max_age_seconds = max_age_seconds
        self._lock = threading.Lock()
        self._value: int | None = None
        self._read_at = 0.0

    def get(self, session: Session) -> int:
        with self._lock:
            if self._value is None or time.monotonic() - self._read_at > self.max_age_seconds:
                self._value, self._read_at = count_offers(session), time.monotonic()
            return self._value


def health(request: Request) -> JSONResponse:
    """200 with the offer count and the jobs when the database answers, 503 when it does
    not. A failing or late job is shown but does not make the answer 503: the service
    still answers, and a load balancer should not take it out for a job's sake."""
    now = now_of(request)
    limits = request.app.state.late_after
    try:
        with unit_of_work(request.app.state.session_factory, read_only=True) as session:
            jobs = job_health(session, now, limits)
            offers = request.app.state.offer_count.get(session)
    except SQLAlchemyError:
        log.exception("health check: database unreachable")
        return JSONResponse({"status": "error", "database": "error"}, status_code=503)
    return JSONResponse(
        {
            "status": "ok",
            "database": "ok",
            "offers": offers,
            "jobs": {job.job_id: job_json(job) for job in jobs},
        },
        headers={"Cache-Control": "no-store"},
    )


def job_json(job: JobHealth) -> dict[str, Any]:
    def stamp(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "state": job.state,
        "last_run_at": stamp(job.last_run_at),
        "last_succeeded_at": stamp(job.last_succeeded_at),
        "last_failed_at": stamp(job.last_failed_at),
        "runs": job.runs,
        "failures": job.failures,
    }


routes = [Route("/health", health), Route("/api/v1/health", health)]
