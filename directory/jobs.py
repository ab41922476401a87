"""Tables of the scheduled jobs (`sync`): which scheduler may run (the lease), how each job
has fared (`job_run`), and how far the change job has read (`change_mark`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from directory.db import Base, UTCDateTime


class SchedulerLease(Base):
    """Who runs the scheduled jobs. On SQLite a process holds the lease while it renews it
    before `expires_at`; on PostgreSQL an advisory lock does the same job."""

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class JobRunRecord(Base):
    """How a scheduled job has fared, across processes and restarts (read by /health).

    Written by the scheduler process that holds the lock after each run; `failures`
    counts every failed run since the row was made."""

    __tablename__ = "job_run"

    job_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    runs: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_succeeded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class ChangeMark(Base):
    """How far the change job has read its feeds (`sync.changes.ChangeState` as JSON),
    committed with the evaluation it led to, so a restart resumes incrementally."""

    __tablename__ = "change_mark"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
