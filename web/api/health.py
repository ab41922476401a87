"""`GET /health`: is the app up, can it reach its database, how big is the catalogue, and
how the scheduled jobs have fared (read from `job_run`, whichever process runs them;
"late" when one has not run for longer than its job's `late_after` allows)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from directory.catalogue.service import count_offers
from directory.db import unit_of_work
from sync.job_runs import JobHealth, job_health
from web.kit.http import now_of

log = logging.getLogger(__name__)


def health(request: Request) -> JSONResponse:
    """200 with the offer count and the jobs when the database answers, 503 when it does
    not. A failing or late job is shown but does not make the answer 503: the service
    still answers, and a load balancer should not take it out for a job's sake."""
    now = now_of(request)
    limits = request.app.state.late_after
    try:
        with unit_of_work(request.app.state.session_factory, read_only=True) as session:
            offers = count_offers(session)
            jobs = job_health(session, now, limits)
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
