"""How each scheduled job has fared, kept in the database (`job_run`) so that `/health`
in any web worker can tell, whichever process runs the scheduler.

The scheduler records a run after it finished (ran or failed) in a short unit of work of
its own; runs skipped because another process holds the lock are not recorded here (that
process records its own).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from directory.db import unit_of_work
from directory.jobs import JobRunRecord

log = logging.getLogger(__name__)
MAX_ERROR_CHARS = 2_000


def record_run(
    session_factory: sessionmaker[Session],
    job_id: str,
    started_at: datetime,
    error: str | None = None,
) -> None:
    """Count one finished run of `job_id` (a failure when `error` is given).

    Never raises: a job's bookkeeping failing must not turn its run into a failure."""
    try:
        with unit_of_work(session_factory) as session:
            row = session.get(JobRunRecord, job_id)
            if row is None:
                row = JobRunRecord(job_id=job_id, runs=0, failures=0)
                session.add(row)
            row.runs += 1
            row.last_started_at = started_at
            if error is None:
                row.last_succeeded_at = started_at
            else:
                row.failures += 1
                row.last_failed_at = started_at
                row.last_error = error[:MAX_ERROR_CHARS]
    except Exception:
        log.exception("the run of job %s could not be recorded", job_id)


@dataclass(frozen=True, slots=True)
class JobHealth:
    """What `/health` shows of one job."""

    job_id: str
    runs: int
    failures: int
    last_run_at: datetime | None
    last_succeeded_at: datetime | None
    last_failed_at: datetime | None

    @property
    def state(self) -> str:
        """ "failing" when the latest run failed, "ok" when it succeeded, else "never_ran"."""
        if self.last_failed_at is not None and (
            self.last_succeeded_at is None or self.last_failed_at >= self.last_succeeded_at
        ):
            return "failing"
        return "ok" if self.last_succeeded_at is not None else "never_ran"


def job_health(session: Session) -> list[JobHealth]:
    """Every recorded job, by id: one primary-key scan of a table of a few rows."""
    rows = session.execute(
        select(
            JobRunRecord.job_id,
            JobRunRecord.runs,
            JobRunRecord.failures,
            JobRunRecord.last_started_at,
            JobRunRecord.last_succeeded_at,
            JobRunRecord.last_failed_at,
        ).order_by(JobRunRecord.job_id)
    )
    return [JobHealth(*row) for row in rows]
