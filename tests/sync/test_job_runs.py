"""The job log that `/health` reads: a quiet poll writes nothing, yet every run is counted,
and a job that stops running shows as late."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from directory.config import Settings
from directory.jobs import JobRunRecord
from search.service import make_search
from sync.job_runs import RECORD_EVERY, job_health, should_record
from sync.notify import SEND_NOTIFICATIONS
from sync.reminders import FRESHNESS_REMINDERS
from sync.runner import JobContext, Scheduler, late_after
from sync.signals import EVALUATE_CHANGES, EVALUATE_SIGNALS
from sync.watches import EVALUATE_WATCHES
from web.capabilities import JOB_SOURCES

SETTINGS = Settings(_env_file=None)
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("failed", "stored_failing", "age_seconds", "written"),
    [
        (False, None, None, True),  # nothing stored yet
        (False, False, 5, False),  # a quiet success soon after the last write
        (False, False, 59, False),
        (False, False, 60, True),  # the stored run is a minute old
        (True, False, 5, True),  # a failure: always
        (True, True, 5, True),
        (False, True, 5, True),  # failing to ok: a change of state
    ],
)
def test_a_run_is_written_on_failure_a_change_of_state_or_once_a_minute(
    failed: bool, stored_failing: bool | None, age_seconds: int | None, written: bool
) -> None:
    last = None if age_seconds is None else T0 - timedelta(seconds=age_seconds)
    decided = should_record(
        failed=failed, stored_failing=stored_failing, stored_last_run_at=last, now=T0
    )
    assert decided is written


def stored(session: Session) -> tuple[int, int, datetime | None, datetime | None]:
    session.expire_all()
    row = session.get_one(JobRunRecord, SEND_NOTIFICATIONS)
    return row.runs, row.failures, row.last_started_at, row.last_succeeded_at


def test_a_quiet_poll_writes_nothing_and_its_runs_are_counted_with_the_next_write(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    failing = False

    def sender(_factory: sessionmaker[Session], _now: datetime) -> None:
        if failing:
            raise RuntimeError("receiver down")

    scheduler = Scheduler(session_factory, SETTINGS, sources=JOB_SOURCES, send_notifications=sender)

    def at(seconds: int) -> datetime:
        return now + timedelta(seconds=seconds)

    assert scheduler.run_job(SEND_NOTIFICATIONS, at(0)) == "ran"
    assert stored(session) == (1, 0, at(0), at(0))
    scheduler.run_job(SEND_NOTIFICATIONS, at(10))
    scheduler.run_job(SEND_NOTIFICATIONS, at(20))
    assert stored(session) == (1, 0, at(0), at(0))  # quiet: nothing written

    failing = True
    assert scheduler.run_job(SEND_NOTIFICATIONS, at(30)) == "failed"
    assert stored(session) == (4, 1, at(30), at(0))  # a failure is written, with the runs
    failing = False
    scheduler.run_job(SEND_NOTIFICATIONS, at(40))
    assert stored(session) == (5, 1, at(40), at(40))  # failing to ok is written
    scheduler.run_job(SEND_NOTIFICATIONS, at(50))
    assert stored(session) == (5, 1, at(40), at(40))
    scheduler.run_job(SEND_NOTIFICATIONS, at(40) + RECORD_EVERY)
    assert stored(session) == (7, 1, at(40) + RECORD_EVERY, at(40) + RECORD_EVERY)


def test_a_job_is_late_after_three_intervals_and_a_long_run_or_a_day_for_reminders(
    session_factory: sessionmaker[Session],
) -> None:
    context = JobContext(session_factory, SETTINGS, make_search(SETTINGS, session_factory))
    limits = late_after(JOB_SOURCES, context)
    long_run = timedelta(minutes=2)  # a full evaluation after a bulk import, SMTP timeouts
    assert limits[EVALUATE_SIGNALS] == timedelta(minutes=45) + long_run  # 3 x 15 min
    assert limits[EVALUATE_WATCHES] == timedelta(minutes=3) + long_run  # 3 x 60 s
    assert limits[FRESHNESS_REMINDERS] == timedelta(hours=26)
    # A 5 s poll writes a quiet run only once a minute: it is not late before that lag.
    assert limits[EVALUATE_CHANGES] == RECORD_EVERY + timedelta(seconds=10) + long_run
    assert limits[SEND_NOTIFICATIONS] == RECORD_EVERY + timedelta(seconds=20) + long_run


def test_job_health_calls_a_job_late_when_its_last_run_is_too_old(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    scheduler = Scheduler(
        session_factory, SETTINGS, sources=JOB_SOURCES, send_notifications=lambda _f, _n: None
    )
    scheduler.run_job(SEND_NOTIFICATIONS, now)
    limits = {SEND_NOTIFICATIONS: timedelta(seconds=80)}
    (soon,) = job_health(session, now + timedelta(seconds=80), limits)
    (later,) = job_health(session, now + timedelta(seconds=81), limits)
    assert (soon.state, later.state) == ("ok", "late")
