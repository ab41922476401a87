"""The scheduler lock: one holder at a time per database; a standby takes over.

These tests commit for real (two holders need two connections), on lock names of their
own, and release what they took.
"""

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, text

from sync.lock import LockMode, SchedulerLock

TTL = timedelta(seconds=60)


@pytest.fixture
def make_lock(engine: Engine) -> Iterator[type[SchedulerLock]]:
    name = f"test-{uuid.uuid4().hex[:12]}"
    made: list[SchedulerLock] = []

    class Lock(SchedulerLock):
        def __init__(self, holder: str, mode: LockMode | None = None) -> None:
            super().__init__(engine, name, holder, TTL, mode=mode)
            made.append(self)

    yield Lock
    for lock in made:
        lock.release()


def die(lock: SchedulerLock, now: datetime) -> datetime:
    """The holder's process dies: its connection goes (PostgreSQL), or it stops renewing
    its lease. Returns a time at which the lock is free for others."""
    if lock.mode == "lease":
        return now + TTL + timedelta(seconds=1)
    high, low = (lock.key >> 32) & 0xFFFFFFFF, lock.key & 0xFFFFFFFF
    with lock.engine.connect() as connection:
        killed = connection.scalar(
            text(
                "SELECT bool_and(pg_terminate_backend(pid, 5000)) FROM pg_locks "
                "WHERE locktype = 'advisory' AND granted AND classid::bigint = :high "
                "AND objid::bigint = :low AND objsubid = 1"
            ),
            {"high": high, "low": low},
        )
    assert killed
    return now


def test_only_one_of_two_schedulers_holds_the_lock(
    make_lock: type[SchedulerLock], now: datetime
) -> None:
    first, second = make_lock("first"), make_lock("second")
    assert first.mode == ("advisory" if first.engine.dialect.name == "postgresql" else "lease")
    assert first.acquire(now)
    assert not second.acquire(now)
    assert first.acquire(now + timedelta(seconds=5))  # holding it again is renewing it
    assert first.held(now)
    assert not second.held(now)


def test_when_the_holder_releases_the_standby_takes_over_at_once(
    make_lock: type[SchedulerLock], now: datetime
) -> None:
    first, second = make_lock("first"), make_lock("second")
    assert first.acquire(now)
    first.release()
    assert not first.held(now)
    assert second.acquire(now)
    assert not first.acquire(now)


@pytest.mark.parametrize("mode", [None, "lease"])
def test_when_the_holder_dies_the_standby_takes_over(
    make_lock: type[SchedulerLock], now: datetime, mode: LockMode | None
) -> None:
    holder, standby = make_lock("holder", mode), make_lock("standby", mode)
    assert holder.acquire(now)
    assert not standby.acquire(now)
    later = die(holder, now)
    assert standby.acquire(later)
    assert not holder.acquire(later)  # back from the dead, it is the standby now
    assert not holder.held(later)


def test_a_renewed_lease_does_not_pass_to_the_standby(
    make_lock: type[SchedulerLock], now: datetime
) -> None:
    holder, standby = make_lock("holder", "lease"), make_lock("standby", "lease")
    assert holder.acquire(now)
    assert not standby.acquire(now + TTL - timedelta(seconds=1))
    renewed = now + TTL * 0.75  # past half its time: written again, lasting a full TTL
    assert holder.acquire(renewed)
    assert not standby.acquire(now + TTL + timedelta(seconds=1))
    assert holder.held(now + TTL + timedelta(seconds=1))
    assert standby.acquire(renewed + TTL)
    assert not holder.held(renewed + TTL)
