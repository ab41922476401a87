"""The scheduler lock: of all scheduler processes on one database, only the holder runs jobs.

Production runs exactly one scheduler, but a second one started by mistake (or a standby)
must do nothing. On PostgreSQL the lock is a session-level advisory lock, held on a
connection of its own for as long as the process lives: when the process dies, its
connection closes and the server lets go of the lock at once. SQLite has no such lock, so
the holder keeps a row in `scheduler_lease` with an expiry and renews it before then;
a standby takes the row over once it has expired.

Jobs call `acquire(now)` at every run (it renews what is held), so a standby takes over at
its next run after the holder died or released the lock.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
import uuid
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import Connection, Engine, delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from directory.jobs import SchedulerLease

log = logging.getLogger(__name__)
LockMode = Literal["advisory", "lease"]


def default_holder() -> str:
    """A name for this process, unique among the processes sharing a database."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def advisory_key(name: str) -> int:
    """The signed 64-bit key of the PostgreSQL advisory lock named `name`."""
    digest = hashlib.sha256(f"plekwijzer:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class SchedulerLock:
    """A database lock with one holder at a time; see the module docstring.

    `mode` is "advisory" on PostgreSQL and "lease" elsewhere unless given (the lease works
    on PostgreSQL too). `ttl` is how long a lease lasts without renewal; advisory locks
    need none. Safe to share between the scheduler's threads.
    """

    def __init__(
        self,
        engine: Engine,
        name: str = "scheduler",
        holder: str | None = None,
        ttl: timedelta = timedelta(seconds=60),
        *,
        mode: LockMode | None = None,
    ) -> None:
        if ttl <= timedelta(0):
            raise ValueError("the lease must last some time")
        self.engine, self.name, self.ttl = engine, name, ttl
        self.holder = holder or default_holder()
        self.mode: LockMode = mode or (
            "advisory" if engine.dialect.name == "postgresql" else "lease"
        )
        self.key = advisory_key(name)
        self._guard = threading.Lock()
        self._connection: Connection | None = None  # advisory: the connection holding it
        self._expires_at: datetime | None = None  # lease: when ours runs out

    def acquire(self, now: datetime) -> bool:
        """Take the lock, or keep it if held (renewing a lease that is half spent).

        True when this process holds the lock now; False when another does."""
        with self._guard:
            if self.mode == "advisory":
                return self._acquire_advisory()
            return self._acquire_lease(now)

    def held(self, now: datetime) -> bool:
        """Whether this process held the lock at its last `acquire` and it has not run out.

        Does not ask the database; jobs call `acquire` instead."""
        with self._guard:
            if self.mode == "advisory":
                return self._connection is not None
            return self._expires_at is not None and now < self._expires_at

    def release(self) -> None:
        """Let go of the lock (at shutdown), so a standby can take over at once."""
        with self._guard:
            if self.mode == "advisory":
                self._release_advisory()
            else:
                self._release_lease()

    # --- PostgreSQL: advisory lock ----------------------------------------------------

    def _acquire_advisory(self) -> bool:
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT 1"))
                return True
            except DBAPIError:
                # The connection died and the server released the lock with it.
                log.warning("scheduler lock %s: its connection was lost", self.name)
                self._drop_connection()
        connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            taken = connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key})
        except BaseException:
            connection.close()
            raise
        if not taken:
            connection.close()
            return False
        log.info("scheduler lock %s taken by %s", self.name, self.holder)
        self._connection = connection
        return True

    def _release_advisory(self) -> None:
        if self._connection is None:
            return
        try:
            self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
            self._connection.close()
        except DBAPIError:
            self._drop_connection()
        self._connection = None

    def _drop_connection(self) -> None:
        # Never hand a connection that may still hold the lock back to the pool.
        if self._connection is not None:
            self._connection.invalidate()
            self._connection.close()
        self._connection = None

    # --- SQLite (and anywhere): a lease row -------------------------------------------

    def _acquire_lease(self, now: datetime) -> bool:
        if self._expires_at is not None and now < self._expires_at - self.ttl / 2:
            return True  # ours, and far from running out: no need to write
        expires_at = now + self.ttl
        try:
            with self.engine.begin() as connection:
                row = connection.execute(
                    select(SchedulerLease.holder, SchedulerLease.expires_at)
                    .where(SchedulerLease.name == self.name)
                    .with_for_update()
                ).first()
                if row is None:
                    connection.execute(
                        insert(SchedulerLease).values(
                            name=self.name, holder=self.holder, expires_at=expires_at
                        )
                    )
                elif row.holder == self.holder or row.expires_at <= now:
                    connection.execute(
                        update(SchedulerLease)
                        .where(SchedulerLease.name == self.name)
                        .values(holder=self.holder, expires_at=expires_at)
                    )
                else:
                    self._expires_at = None
                    return False
        except IntegrityError:  # another process inserted the row first
            self._expires_at = None
            return False
        if self._expires_at is None:
            log.info("scheduler lock %s taken by %s", self.name, self.holder)
        self._expires_at = expires_at
        return True

    def _release_lease(self) -> None:
        self._expires_at = None
        with self.engine.begin() as connection:
            connection.execute(
                delete(SchedulerLease).where(
                    SchedulerLease.name == self.name, SchedulerLease.holder == self.holder
                )
            )
