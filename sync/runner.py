"""The scheduled jobs and the APScheduler 3 scheduler that runs them.

Jobs: a full signal evaluation every few minutes; every few seconds a look at what
changed (availability, contracts, norms) that re-evaluates only the pairs it touches;
the case watches every minute; freshness reminders daily; the notification sender; and,
with a lock, its renewal.

Every job is a plain function of the time it runs at (`Scheduler.run_job` calls it with
the injected clock's `now`; tests call it with their own), runs in one unit of work, and
runs only while this process holds the scheduler lock: a second scheduler on the same
database does nothing until the first one is gone. A job that fails is logged
(`JobFailure`, with its traceback) and recorded in `Scheduler.status` and in the
`job_run` table that `/health` reads (`sync.job_runs`, which writes a quiet success only
once a minute); it runs again at its next time and the other jobs carry on. `/health`
calls a job late when its last run is older than `late_after` allows.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.orm import Session, sessionmaker

from directory.config import Settings
from directory.db import unit_of_work
from directory.signals.service import EvaluationSummary, evaluate_as_configured
from search.service import Search, make_search
from sync.changes import affected_pairs, load_state, read_changes, save_state, start_state
from sync.job_runs import MAX_ERROR_CHARS, RECORD_EVERY, record_run
from sync.lock import SchedulerLock
from sync.notify import SendSummary, SmtpSettings, send_due_notifications
from sync.reminders import queue_freshness_reminders
from sync.watches import WatchRun, evaluate_watches

log = logging.getLogger(__name__)

EVALUATE_SIGNALS = "evaluate-signals"
EVALUATE_CHANGES = "evaluate-changes"
EVALUATE_WATCHES = "evaluate-watches"
FRESHNESS_REMINDERS = "freshness-reminders"
SEND_NOTIFICATIONS = "send-notifications"
RENEW_LOCK = "renew-lock"
REMINDER_TIMEZONE = ZoneInfo("Europe/Amsterdam")
# The daily reminder is late when a day and a bit passed (a DST change, a slow start).
REMINDERS_LATE_AFTER = timedelta(hours=26)
# Beyond this many changed offers one full evaluation is cheaper than many small ones.
FULL_EVALUATION_ABOVE = 2_000

Clock = Callable[[], datetime]
NotificationSender = Callable[[sessionmaker[Session], datetime], object]
Outcome = Literal["ran", "skipped", "failed"]


def utc_now() -> datetime:
    return datetime.now(UTC)


# --- the jobs, as plain functions -------------------------------------------------------


def evaluate_all_signals(
    session_factory: sessionmaker[Session], settings: Settings, now: datetime
) -> EvaluationSummary:
    """Evaluate every municipality and category (what time alone changes, such as a figure
    passing its valid-until or a contract ending, is caught here)."""
    with unit_of_work(session_factory) as session:
        return evaluate_as_configured(session, settings, now)


@dataclass(frozen=True, slots=True)
class ChangeRun:
    """What one run of the change job did."""

    full: bool  # evaluated everything (the first run, or too much changed)
    offers: int  # changed offers seen
    pairs: frozenset[tuple[str, str]]  # (municipality, category) pairs asked for
    summary: EvaluationSummary


def evaluate_changes(
    session_factory: sessionmaker[Session], settings: Settings, now: datetime
) -> ChangeRun:
    """Re-evaluate the signals touched by what changed since the last committed run (see
    `sync.changes`; the mark is stored with the evaluation). Without a stored mark (a new
    database) it evaluates everything and starts following changes from there."""
    with unit_of_work(session_factory) as session:
        previous = load_state(session)
        if previous is None:
            state = start_state(session)
            run = ChangeRun(True, 0, frozenset(), evaluate_as_configured(session, settings, now))
        else:
            changes, state = read_changes(session, previous)
            run = _evaluate_changed(session, settings, now, changes.offer_ids, changes.norm_scopes)
        if state != previous:  # a quiet poll writes nothing
            save_state(session, state, now)
    return run


def _evaluate_changed(
    session: Session,
    settings: Settings,
    now: datetime,
    offer_ids: frozenset[int],
    norm_scopes: dict[str, set[str] | None],
) -> ChangeRun:
    if len(offer_ids) > FULL_EVALUATION_ABOVE:
        return ChangeRun(
            True, len(offer_ids), frozenset(), evaluate_as_configured(session, settings, now)
        )
    scopes: dict[str, set[str] | None] = dict(
        affected_pairs(session, offer_ids, settings.signal_max_distance_km)
    )
    for category, municipalities in norm_scopes.items():
        known = scopes.get(category, set())
        wider = None if municipalities is None or known is None else known | municipalities
        scopes[category] = wider
    totals = EvaluationSummary(0, 0, 0, 0)
    pairs: set[tuple[str, str]] = set()
    for category, municipalities in sorted(scopes.items()):
        if municipalities is not None and not municipalities:
            continue
        # "*" stands for every municipality (a national norm changed).
        pairs.update((code, category) for code in municipalities or {"*"})
        summary = evaluate_as_configured(
            session, settings, now, municipalities=municipalities, categories={category}
        )
        totals += summary
    return ChangeRun(False, len(offer_ids), frozenset(pairs), totals)


def send_freshness_reminders(
    session_factory: sessionmaker[Session], settings: Settings, now: datetime
) -> int:
    """Queue reminders for figures expiring within `reminder_days_before_expiry` days."""
    with unit_of_work(session_factory) as session:
        return queue_freshness_reminders(
            session, now=now, days_before=settings.reminder_days_before_expiry
        )


def notification_sender(settings: Settings) -> NotificationSender:
    """The `send-notifications` job: `sync.notify.send_due_notifications` with the SMTP and
    webhook settings (it commits per row itself, so a slow receiver holds no lock)."""
    smtp = SmtpSettings.from_settings(settings)

    def send(session_factory: sessionmaker[Session], now: datetime) -> SendSummary:
        return send_due_notifications(
            session_factory, now, smtp=smtp, http_timeout=settings.webhook_timeout_seconds
        )

    return send


# --- the scheduler ----------------------------------------------------------------------


def _did_something(result: object) -> bool:
    if isinstance(result, ChangeRun):
        return result.full or bool(result.pairs)
    if isinstance(result, WatchRun):
        return bool(result.alerts or result.failed)
    if isinstance(result, SendSummary):
        return bool(result.sent or result.retried or result.dead)
    return result is not True and result is not None


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


@dataclass(frozen=True, slots=True)
class JobSpec:
    id: str
    name: str
    run: Callable[[datetime], object]
    trigger: Any
    misfire_grace_seconds: int
    start_now: bool = False


@dataclass(slots=True)
class _Statuses:
    by_job: dict[str, JobStatus] = field(default_factory=dict)
    unrecorded: dict[str, int] = field(default_factory=dict)  # runs not yet in job_run
    guard: threading.Lock = field(default_factory=threading.Lock)


# A healthy run may take this long (a full evaluation after a bulk import, a few SMTP
# timeouts) without its job being called late.
RUN_ALLOWANCE = timedelta(minutes=2)


def late_after(settings: Settings) -> dict[str, timedelta]:
    """How old each job's last recorded run may be before `/health` calls it late: three
    intervals, but at least what a healthy quiet job may lag (`sync.job_runs` writes a
    quiet run only every `RECORD_EVERY`, and only once it has finished), plus
    `RUN_ALLOWANCE` for one long run; the daily reminders after `REMINDERS_LATE_AFTER`."""
    intervals = {
        EVALUATE_SIGNALS: timedelta(minutes=settings.signal_evaluation_minutes),
        EVALUATE_CHANGES: timedelta(seconds=settings.signal_change_poll_seconds),
        EVALUATE_WATCHES: timedelta(seconds=settings.watch_evaluation_seconds),
        SEND_NOTIFICATIONS: timedelta(seconds=settings.notification_send_seconds),
    }
    limits = {
        job_id: max(3 * interval, RECORD_EVERY + 2 * interval) + RUN_ALLOWANCE
        for job_id, interval in intervals.items()
    }
    return {**limits, FRESHNESS_REMINDERS: REMINDERS_LATE_AFTER}


class Scheduler:
    """The jobs on an APScheduler `BackgroundScheduler`, each run through `run_job`.

    `lock` None means this process runs every job (tests, or a deployment that
    guarantees one scheduler by other means)."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        settings: Settings,
        *,
        lock: SchedulerLock | None = None,
        clock: Clock = utc_now,
        send_notifications: NotificationSender | None = None,
        search: Search | None = None,
    ) -> None:
        self.session_factory, self.settings = session_factory, settings
        self.search = search or make_search(settings, session_factory)
        self.lock, self.clock = lock, clock
        self._held: bool | None = None  # at the last look at the lock
        self.send_notifications = send_notifications or notification_sender(settings)
        self.specs = {spec.id: spec for spec in self._specs()}
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

    def _specs(self) -> list[JobSpec]:
        settings, factory = self.settings, self.session_factory
        specs = [
            JobSpec(
                EVALUATE_SIGNALS,
                "evaluate every PGB-route and education-gap signal",
                lambda now: evaluate_all_signals(factory, settings, now),
                IntervalTrigger(minutes=settings.signal_evaluation_minutes),
                misfire_grace_seconds=300,
            ),
            JobSpec(
                EVALUATE_CHANGES,
                "re-evaluate the signals touched by changes",
                lambda now: evaluate_changes(factory, settings, now),
                IntervalTrigger(seconds=settings.signal_change_poll_seconds),
                misfire_grace_seconds=30,
                start_now=True,  # a new database's first run is the full evaluation
            ),
            JobSpec(
                EVALUATE_WATCHES,
                "alert professionals' case watches",
                lambda now: evaluate_watches(factory, self.search, settings, now),
                IntervalTrigger(seconds=settings.watch_evaluation_seconds),
                misfire_grace_seconds=120,
            ),
            JobSpec(
                FRESHNESS_REMINDERS,
                "remind providers of figures about to expire",
                lambda now: send_freshness_reminders(factory, settings, now),
                CronTrigger(hour=settings.reminder_hour, timezone=REMINDER_TIMEZONE),
                misfire_grace_seconds=6 * 3600,
            ),
        ]
        sender = self.send_notifications
        specs.append(
            JobSpec(
                SEND_NOTIFICATIONS,
                "send queued webhooks and e-mails",
                lambda now: sender(factory, now),
                IntervalTrigger(seconds=settings.notification_send_seconds),
                misfire_grace_seconds=60,
            )
        )
        if self.lock is not None:
            # Renews the lease between runs of the other jobs, and lets a standby notice
            # soon that the holder is gone.
            every = max(1.0, self.lock.ttl.total_seconds() / 4)
            specs.append(
                JobSpec(
                    RENEW_LOCK,
                    "hold the scheduler lock",
                    lambda now: True,
                    IntervalTrigger(seconds=every),
                    misfire_grace_seconds=max(1, int(every)),
                    start_now=True,
                )
            )
        return specs

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
        # The frequent jobs log only when they did something.
        level = logging.INFO if _did_something(result) else logging.DEBUG
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
    clock: Clock = utc_now,
    holder: str | None = None,
) -> Scheduler:
    """The scheduler of a worker (or of the embedded `serve`), with the database lock."""
    bind = session_factory.kw.get("bind")
    if bind is None:
        raise ValueError("the session factory is bound to no database")
    lock = SchedulerLock(
        bind.engine, holder=holder, ttl=timedelta(seconds=settings.scheduler_lease_seconds)
    )
    return Scheduler(session_factory, settings, lock=lock, clock=clock)
