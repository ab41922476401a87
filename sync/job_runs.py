"""How each scheduled job has fared, kept in the database (`job_run`) so that `/health`
in any web worker can tell, whichever process runs the scheduler.

The scheduler records a run after it finished (ran or failed) in a short unit of work of
its own; runs skipped because another process holds the lock are not recorded here (that
process records its own). A quiet poll writes nothing: a run is written when it failed,
when the job's state changes (failing to ok), or when the stored last run is
`RECORD_EVERY` old; the runs in between are counted with the next write
(`should_record`). So `last_run_at` may lag up to `RECORD_EVERY` plus one interval, which
`late_after` allows for.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from directory.db import unit_of_work
from directory.jobs import JobRunRecord

log = logging.getLogger(__name__)
MAX_ERROR_CHARS = 2_000


RECORD_EVERY = timedelta(seconds=60)


def should_record(
    *,
    failed: bool,
    stored_failing: bool | None,
    stored_last_run_at: datetime | None,
    now: datetime,
) -> bool:
    """Must this run be written? Yes when it failed, when nothing is stored yet
    (`stored_failing` None), when it ends a failing state, or when the stored last run is
    at least `RECORD_EVERY` old; a quiet success in between is only counted in memory."""
    if failed or stored_failing is None or stored_failing:
        return True
    return stored_last_run_at is None or now - stored_last_run_at >= RECORD_EVERY


def record_run(
    session_factory: sessionmaker[Session],
    job_id: str,
    started_at: datetime,
    error: str | None = None,
    *,
    runs: int = 1,
) -> bool:
    """Count `runs` finished runs of `job_id`, the last one started at `started_at` (a
    failure when `error` is given), if `should_record` says so; the stored row is read
    first without taking a write lock. Returns whether it wrote (the caller keeps the runs
    it did not, for the next write).

    Never raises: a job's bookkeeping failing must not turn its run into a failure."""
    try:
        with unit_of_work(session_factory, read_only=True) as session:
            stored = session.execute(
                select(
                    JobRunRecord.last_started_at,
                    JobRunRecord.last_succeeded_at,
                    JobRunRecord.last_failed_at,
                ).where(JobRunRecord.job_id == job_id)
            ).one_or_none()
        failing = None if stored is None else _failing(stored[2], stored[1])
        last_run = None if stored is None else stored[0]
        if not should_record(
            failed=error is not None,
            stored_failing=failing,
            stored_last_run_at=last_run,
            now=started_at,
        ):
            return False
        with unit_of_work(session_factory) as session:
            row = session.get(JobRunRecord, job_id)
            if row is None:
                row = JobRunRecord(job_id=job_id, runs=0, failures=0)
                session.add(row)
            row.runs += runs
            row.last_started_at = started_at
            if error is None:
                row.last_succeeded_at = started_at
            else:
                row.failures += 1
                row.last_failed_at = started_at
                row.last_error = error[:MAX_ERROR_CHARS]
    except Exception:
        log.exception("the run of job %s could not be recorded", job_id)
        return False
    return True


def _failing(last_failed_at: datetime | None, last_succeeded_at: datetime | None) -> bool:
    return last_failed_at is not None and (
        last_succeeded_at is None or last_failed_at >= last_succeeded_at
    )


@dataclass(frozen=True, slots=True)
class JobHealth:
    """What `/health` shows of one job."""

    job_id: str
    runs: int
    failures: int
    last_run_at: datetime | None
    last_succeeded_at: datetime | None
    last_failed_at: datetime | None
    late: bool = False  # its last run is older than the job's `late_after`

    @property
    def state(self) -> str:
        """ "late" when it has not run for too long (the scheduler may be down), else
        "failing" when the latest run failed, "ok" when it succeeded, else "never_ran"."""
        if self.late:
            return "late"
        if _failing(self.last_failed_at, self.last_succeeded_at):
            return "failing"
        return "ok" if self.last_succeeded_at is not None else "never_ran"


def job_health(
    session: Session,
    now: datetime | None = None,
    late_after: Mapping[str, timedelta] | None = None,
) -> list[JobHealth]:
    """Every recorded job, by id: one primary-key scan of a table of a few rows. A job
    named in `late_after` whose last run is older than its limit at `now` is late."""
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
    limits = late_after or {}
    jobs = []
    for job_id, runs, failures, last_run, succeeded, failed in rows:
        limit = limits.get(job_id)
        late = bool(now and limit and last_run and now - last_run > limit)
        jobs.append(JobHealth(job_id, runs, failures, last_run, succeeded, failed, late))
    return jobs
