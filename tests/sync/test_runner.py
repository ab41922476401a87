"""The scheduler: its jobs, what they do when called with a given time, and that a second
scheduler on the same database does nothing while the first one holds the lock (what the
signal jobs evaluate: `tests/sync/test_signals.py`).

No test waits for a schedule: jobs are called directly with an injected time, or (once)
woken up at once.
"""

import logging
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from directory.catalogue.models import (
    AuditEvent,
    AvailabilityReport,
    Contract,
    CurrentAvailability,
    Location,
    Offer,
    Organisation,
    offer_location,
)
from directory.config import Settings
from directory.db import make_session_factory, unit_of_work
from directory.jobs import ChangeMark, JobRunRecord
from directory.notifications.models import Notification
from directory.search_index import IndexOutbox
from directory.signals.models import Signal, SignalTransition
from sync.lock import SchedulerLock
from sync.notify import SEND_NOTIFICATIONS
from sync.reminders import FRESHNESS_REMINDERS
from sync.runner import RENEW_LOCK, Scheduler
from sync.signals import EVALUATE_CHANGES, EVALUATE_SIGNALS
from sync.watches import EVALUATE_WATCHES
from tests.sync.test_signals import AMBULANT, ROTTERDAM, contracted_offer
from web.capabilities import JOB_SOURCES

SETTINGS = Settings(_env_file=None)


def no_sending(_factory: sessionmaker[Session], _now: datetime) -> None:
    return None


# --- registration and failures ----------------------------------------------------------


def test_every_job_has_a_stable_id_coalesces_runs_once_at_a_time_and_has_a_grace_time(
    engine: Engine,
) -> None:
    lock = SchedulerLock(engine, f"test-{uuid.uuid4().hex[:12]}", "registration")
    scheduler = Scheduler(make_session_factory(engine), SETTINGS, sources=JOB_SOURCES, lock=lock)
    scheduler.start(paused=True)  # registered and timed, but nothing runs
    try:
        jobs = {job.id: job for job in scheduler.jobs()}
    finally:
        scheduler.shutdown()
    assert set(jobs) == {
        EVALUATE_SIGNALS,
        EVALUATE_CHANGES,
        EVALUATE_WATCHES,
        FRESHNESS_REMINDERS,
        SEND_NOTIFICATIONS,
        RENEW_LOCK,
    }
    for job in jobs.values():
        assert job.coalesce is True
        assert job.max_instances == 1
        assert job.misfire_grace_time > 0
        assert job.next_run_time is not None
    every = jobs[EVALUATE_SIGNALS].trigger
    assert isinstance(every, IntervalTrigger)
    assert every.interval == timedelta(minutes=SETTINGS.signal_evaluation_minutes)
    assert isinstance(jobs[FRESHNESS_REMINDERS].trigger, CronTrigger)
    assert jobs[EVALUATE_CHANGES].trigger.interval == timedelta(
        seconds=SETTINGS.signal_change_poll_seconds
    )


def failing_sender(_factory: sessionmaker[Session], _now: datetime) -> None:
    raise RuntimeError("SMTP server said no")


def test_a_failing_job_is_logged_and_reported_and_the_other_jobs_still_run(
    session_factory: sessionmaker[Session], now: datetime, caplog: pytest.LogCaptureFixture
) -> None:
    scheduler = Scheduler(
        session_factory,
        SETTINGS,
        sources=JOB_SOURCES,
        clock=lambda: now,
        send_notifications=failing_sender,
    )
    with caplog.at_level(logging.ERROR, logger="sync.runner"):
        assert scheduler.run_job(SEND_NOTIFICATIONS) == "failed"
    (record,) = [r for r in caplog.records if "JobFailure" in r.getMessage()]
    assert SEND_NOTIFICATIONS in record.getMessage()
    assert record.exc_info is not None  # with its traceback
    status = scheduler.status()[SEND_NOTIFICATIONS]
    assert (status.runs, status.failures) == (1, 1)
    assert status.last_failed_at == now  # the injected clock
    assert status.last_error == "RuntimeError: SMTP server said no"

    assert scheduler.run_job(EVALUATE_SIGNALS) == "ran"
    assert scheduler.status()[EVALUATE_SIGNALS].last_succeeded_at == now
    assert scheduler.run_job(SEND_NOTIFICATIONS) == "failed"  # and it is tried again
    assert scheduler.status()[SEND_NOTIFICATIONS].failures == 2


@pytest.fixture
def bookkeeping(engine: Engine) -> Iterator[None]:
    """The scheduler's committed bookkeeping (change mark, job runs) starts and ends empty."""
    factory = make_session_factory(engine)

    def empty() -> None:
        with unit_of_work(factory) as session:
            session.execute(delete(ChangeMark))
            session.execute(delete(JobRunRecord))

    empty()
    yield
    empty()


@pytest.mark.usefixtures("bookkeeping")
def test_a_running_scheduler_keeps_running_a_job_after_it_failed(engine: Engine) -> None:
    runs: list[datetime] = []
    second = threading.Event()

    def fails(_factory: sessionmaker[Session], now: datetime) -> None:
        runs.append(now)
        if len(runs) >= 2:
            second.set()
        raise RuntimeError("receiver down")

    settings = Settings(_env_file=None, signal_change_poll_seconds=3600)
    scheduler = Scheduler(
        make_session_factory(engine), settings, sources=JOB_SOURCES, send_notifications=fails
    )
    scheduler.start()
    try:
        # A wake-up while the failed run is still finishing is rightly skipped
        # (max_instances=1), so wake it until it has run again.
        deadline = time.monotonic() + 20
        while not second.is_set() and time.monotonic() < deadline:
            scheduler.wakeup(SEND_NOTIFICATIONS)
            second.wait(0.1)
        assert second.is_set()
        assert scheduler.running
    finally:
        scheduler.shutdown()  # waits for the running job to finish
    assert scheduler.status()[SEND_NOTIFICATIONS].failures == len(runs) >= 2


# --- two schedulers, one database -------------------------------------------------------

COMMITTED = [
    Notification,
    SignalTransition,
    Signal,
    AuditEvent,
    IndexOutbox,
    CurrentAvailability,
    AvailabilityReport,
    Contract,
    offer_location,
    Offer,
    Location,
    Organisation,
]


@pytest.fixture
def committed(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Sessions that really commit; every row added after the start is removed again."""
    factory = make_session_factory(engine)

    def key(table: Any) -> Any:
        if table is CurrentAvailability:
            return CurrentAvailability.report_id
        if table is offer_location:
            return offer_location.c.offer_id
        return table.id

    with unit_of_work(factory, read_only=True) as session:
        marks = [(table, session.scalar(select(func.max(key(table)))) or 0) for table in COMMITTED]
    yield factory
    with unit_of_work(factory) as session:
        for table, mark in marks:
            session.execute(delete(table).where(key(table) > mark))


@pytest.mark.usefixtures("bookkeeping")
def test_two_schedulers_on_one_database_run_each_job_once_and_the_standby_takes_over(
    committed: sessionmaker[Session], engine: Engine, now: datetime
) -> None:
    with unit_of_work(committed) as session:
        offer = contracted_offer(session, now, ROTTERDAM, weeks=30, email="planning@zorg.nl")
        report_id = session.scalars(
            select(AvailabilityReport.id).where(AvailabilityReport.offer_id == offer.id)
        ).one()
        session.execute(
            update(AvailabilityReport)
            .where(AvailabilityReport.id == report_id)
            .values(valid_until=now + timedelta(days=3))
        )
    sent: list[str] = []
    name = f"test-{uuid.uuid4().hex[:12]}"

    def scheduler(holder: str) -> Scheduler:
        def send(_factory: sessionmaker[Session], _now: datetime) -> None:
            sent.append(holder)

        lock = SchedulerLock(engine, name, holder, timedelta(seconds=60))
        return Scheduler(
            committed,
            SETTINGS,
            sources=JOB_SOURCES,
            lock=lock,
            clock=lambda: now,
            send_notifications=send,
        )

    first, second = scheduler("first"), scheduler("second")
    try:
        jobs = [EVALUATE_CHANGES, EVALUATE_SIGNALS, FRESHNESS_REMINDERS, SEND_NOTIFICATIONS]
        for job_id in jobs:
            assert (first.run_job(job_id), second.run_job(job_id)) == ("ran", "skipped")
        for job_id in jobs:
            assert first.status()[job_id].runs + second.status()[job_id].runs == 1

        with unit_of_work(committed, read_only=True) as session:
            signal = session.scalars(
                select(Signal).where(
                    Signal.municipality_code == ROTTERDAM, Signal.category == AMBULANT
                )
            ).one()
            assert signal.state == "open"
            opened = select(func.count()).where(SignalTransition.signal_id == signal.id)
            assert session.scalar(opened) == 1
            keys = select(Notification.dedupe_key).where(
                Notification.dedupe_key == f"reminder:{report_id}"
            )
            assert len(session.scalars(keys).all()) == 1
        assert sent == ["first"]

        first.shutdown()  # lets go of the lock
        assert second.run_job(SEND_NOTIFICATIONS) == "ran"
        assert first.run_job(SEND_NOTIFICATIONS) == "skipped"
        assert sent == ["first", "second"]
        # The new holder resumes from the mark the first one committed.
        assert second.run_job(EVALUATE_CHANGES) == "ran"
        assert "full=False" in (second.status()[EVALUATE_CHANGES].last_result or "")
    finally:
        first.shutdown()
        second.shutdown()
