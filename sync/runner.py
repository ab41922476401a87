"""The runner of the scheduled jobs: an APScheduler 3 scheduler that only a lock lets run.

Each capability registers its own jobs next to their bodies, as a `JobSource` (a function
of the `JobContext` that returns its `JobSpec`s: `sync.signals.jobs`, `sync.watches.jobs`,
…); `web.capabilities` names the sources this application runs. The runner adds one job of its
own: with a lock, the lock's renewal.

Every job is a plain function of the time it runs at (`Scheduler.run_job` calls it with
the injected clock's `now`; tests call it with their own), runs in one unit of work, and
runs only while this process holds the scheduler lock: a second scheduler on the same
database does nothing until the first one is gone. A job that fails is logged
(`JobFailure`, with its traceback) and recorded in `Scheduler.status` and in the
`job_run` table that `/health` reads (`sync.job_runs`, which writes a quiet success only
once a minute); it runs again at its next time and the other jobs carry on. `/health`
calls a job late when its last run is older than its spec's `late_after` allows (the
function `late_after` collects them).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.orm import Session, sessionmaker

from directory.config import Settings
from search.service import Search, make_search
from sync.job_runs import MAX_ERROR_CHARS, RECORD_EVERY, record_run
from sync.lock import SchedulerLock

log = logging.getLogger(__name__)

RENEW_LOCK = "renew-lock"
# A healthy run may take this long (a full evaluation after a bulk import, a few SMTP
# timeouts) without its job being called late.
RUN_ALLOWANCE = timedelta(minutes=2)

Clock = Callable[[], datetime]
NotificationSender = Callable[[sessionmaker[Session], datetime], object]
Outcome = Literal["ran", "skipped", "failed"]


def utc_now() -> datetime:
    return datetime.now(UTC)


# --- what the capabilities register -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class JobContext:
    """What the job sources build their jobs' bodies from."""

    session_factory: sessionmaker[Session]
    settings: Settings
    search: Search
    # Tests hand in their own sender; None: `sync.notify` sends as the settings say.
    send_notifications: NotificationSender | None = None


def returned_something(result: object) -> bool:
    """A run did something unless its job returned nothing (None) or just True."""
    return result is not True and result is not None


@dataclass(frozen=True, slots=True)
class JobSpec:
    """One scheduled job: a stable id, its body (a function of the time it runs at), when
    it runs, and how its runs are judged."""

    id: str
    name: str
    run: Callable[[datetime], object]
    trigger: Any
    misfire_grace_seconds: int
    start_now: bool = False
    late_after: timedelta | None = None  # `/health` calls it late past this; None: never
    # Whether a result is worth an INFO line: the frequent jobs log only what they did.
    did_something: Callable[[Any], bool] = returned_something


JobSource = Callable[[JobContext], list[JobSpec]]


def late_after_every(interval: timedelta) -> timedelta:
    """`JobSpec.late_after` for a job that runs every `interval`: three intervals, but at
    least what a healthy quiet job may lag (`sync.job_runs` writes a quiet run only every
    `RECORD_EVERY`, and only once it has finished), plus `RUN_ALLOWANCE` for one long run."""
    return max(3 * interval, RECORD_EVERY + 2 * interval) + RUN_ALLOWANCE


def job_specs(sources: Sequence[JobSource], context: JobContext) -> list[JobSpec]:
    """The jobs the sources register, in their order."""
    specs = [spec for source in sources for spec in source(context)]
    ids = [spec.id for spec in specs]
    if len(set(ids)) != len(ids):  # one would silently replace the other
        raise ValueError(f"two jobs with one id among {ids}")
    return specs


def late_after(sources: Sequence[JobSource], context: JobContext) -> dict[str, timedelta]:
    """How old each job's last recorded run may be before `/health` calls it late (its
    spec's `late_after`; jobs without one are never late)."""
    return {
        spec.id: spec.late_after
        for spec in job_specs(sources, context)
        if spec.late_after is not None
    }


def _lock_renewal(lock: SchedulerLock) -> JobSpec:
    # Renews the lease between runs of the other jobs, and lets a standby notice soon that
    # the holder is gone.
    every = max(1.0, lock.ttl.total_seconds() / 4)
    return JobSpec(
        RENEW_LOCK,
        "hold the scheduler lock",
        lambda now: True,
        IntervalTrigger(seconds=every),
        misfire_grace_seconds=max(1, int(every)),
        start_now=True,
    )


# --- the scheduler ----------------------------------------------------------------------


@dataclass(slots=True)
class JobStatus:
    """How a job has fared in this process (for logs, health and tests)."""

    runs: int = 0
    failures: int = 0
    skipped: int = 0  # runs while another process held the lock
    missed: int = 0  # runs APScheduler dropped (too late, or the previous still running)
    last_started_at: datetime | None = None
    last_succeeded_at: datetime | None = None
    last_failed_at: datetime | None = None
    last_error: str | None = None
    last_result: str | None = None


@dataclass(slots=True)
class _Statuses:
    by_job: dict[str, JobStatus] = field(default_factory=dict)
    unrecorded: dict[str, int] = field(default_factory=dict)  # runs not yet in job_run
    guard: threading.Lock = field(default_factory=threading.Lock)


class Scheduler:
    """The jobs of `sources` on an APScheduler `BackgroundScheduler`, each run through
    `run_job`.

    `lock` None means this process runs every job (tests, or a deployment that
    guarantees one scheduler by other means)."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        settings: Settings,
        *,
        sources: Sequence[JobSource],
        lock: SchedulerLock | None = None,
        clock: Clock = utc_now,
        send_notifications: NotificationSender | None = None,
        search: Search | None = None,
    ) -> None:
        self.session_factory, self.settings = session_factory, settings
        self.search = search or make_search(settings, session_factory)
        self.lock, self.clock = lock, clock
        self._held: bool | None = None  # at the last look at the lock
        context = JobContext(session_factory, settings, self.search, send_notifications)
        specs = job_specs(sources, context)
        if lock is not None:
            specs.append(_lock_renewal(lock))
        self.specs = {spec.id: spec for spec in specs}
        self._statuses = _Statuses({job_id: JobStatus() for job_id in self.specs})
        self._scheduler = BackgroundScheduler(
            timezone=UTC, executors={"default": ThreadPoolExecutor(max_workers=4)}
        )
        for spec in self.specs.values():
            self._scheduler.add_job(
                self.run_job,
                spec.trigger,
                args=[spec.id],
                id=spec.id,
                name=spec.name,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=spec.misfire_grace_seconds,
                replace_existing=True,
            )
        self._scheduler.add_listener(self._on_missed, EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES)

    # --- running ----------------------------------------------------------------------

    def run_job(self, job_id: str, now: datetime | None = None) -> Outcome:
        """Run one job now (as the scheduler does at its time) if this process holds the
        lock. A failure is logged and recorded, not raised: the scheduler carries on."""
        spec = self.specs[job_id]
        now = now or self.clock()
        status = self._statuses.by_job[job_id]
        if not self._holds_lock(now):
            with self._statuses.guard:
                status.skipped += 1
            return "skipped"
        with self._statuses.guard:
            status.runs += 1
            status.last_started_at = now
        try:
            result = spec.run(now)
        except Exception as error:
            log.exception("JobFailure: job %s failed; it runs again at its next time", job_id)
            message = f"{type(error).__name__}: {error}"[:MAX_ERROR_CHARS]
            with self._statuses.guard:
                status.failures += 1
                status.last_failed_at = now
                status.last_error = message
            self._record(job_id, now, message)
            return "failed"
        with self._statuses.guard:
            status.last_succeeded_at = now
            status.last_result = repr(result)[:500]
        if job_id != RENEW_LOCK:  # it only keeps the lease; its runs tell nobody anything
            self._record(job_id, now, None)
        level = logging.INFO if spec.did_something(result) else logging.DEBUG
        log.log(level, "job %s done: %r", job_id, result)
        return "ran"

    def _record(self, job_id: str, now: datetime, error: str | None) -> None:
        # The runs a quiet poll did not write are counted with the next write.
        with self._statuses.guard:
            runs = self._statuses.unrecorded.get(job_id, 0) + 1
        written = record_run(self.session_factory, job_id, now, error, runs=runs)
        with self._statuses.guard:
            self._statuses.unrecorded[job_id] = 0 if written else runs

    def _holds_lock(self, now: datetime) -> bool:
        if self.lock is None:
            return True
        try:
            held = self.lock.acquire(now)
        except Exception:
            log.exception("JobFailure: the scheduler lock could not be checked")
            held = False
        if held != self._held:
            if held:
                log.info("this scheduler holds the lock and runs the jobs")
            else:
                log.log(
                    logging.WARNING if self._held else logging.INFO,
                    "another process holds the scheduler lock: this scheduler stands by",
                )
            self._held = held
        return held

    def _on_missed(self, event: JobEvent) -> None:
        status = self._statuses.by_job.get(event.job_id)
        if status is not None:
            with self._statuses.guard:
                status.missed += 1
        reason = "too late" if event.code == EVENT_JOB_MISSED else "still running"
        log.warning("JobMissed: a run of %s was skipped (%s)", event.job_id, reason)

    def status(self) -> dict[str, JobStatus]:
        """A copy of every job's status."""
        with self._statuses.guard:
            return {job_id: replace(status) for job_id, status in self._statuses.by_job.items()}

    # --- life cycle -------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def jobs(self) -> list[Any]:
        """The APScheduler jobs (after `start`, with their next run times)."""
        return list(self._scheduler.get_jobs())

    def start(self, *, paused: bool = False) -> None:
        for spec in self.specs.values():
            if spec.start_now:
                self._scheduler.modify_job(spec.id, next_run_time=datetime.now(UTC))
        self._scheduler.start(paused=paused)

    def wakeup(self, job_id: str) -> None:
        """Have APScheduler run a job as soon as it can (for operators and tests)."""
        self._scheduler.modify_job(job_id, next_run_time=datetime.now(UTC))

    def shutdown(self) -> None:
        """Stop scheduling, wait for running jobs, and let go of the lock."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=True)
        if self.lock is not None:
            try:
                self.lock.release()
            except Exception:
                log.exception("the scheduler lock could not be released; it lapses by itself")


def make_scheduler(
    session_factory: sessionmaker[Session],
    settings: Settings,
    *,
    sources: Sequence[JobSource],
    clock: Clock = utc_now,
    holder: str | None = None,
) -> Scheduler:
    """The scheduler of a worker (or of the embedded `serve`) running the jobs of
    `sources`, with the database lock."""
    bind = session_factory.kw.get("bind")
    if bind is None:
        raise ValueError("the session factory is bound to no database")
    lock = SchedulerLock(
        bind.engine, holder=holder, ttl=timedelta(seconds=settings.scheduler_lease_seconds)
    )
    return Scheduler(session_factory, settings, sources=sources, lock=lock, clock=clock)
