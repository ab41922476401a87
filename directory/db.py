"""Engine, sessions and the one place where a unit of work is committed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, DateTime, Engine, Enum, Index, MetaData, create_engine, event, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The declarative base of every table; constraint names follow one convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database.

    SQLite has no time zones and hands back naive datetimes; storing naive UTC and
    re-attaching UTC on the way out keeps comparisons with `datetime.now(UTC)` safe.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a timezone-aware one is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def enum_column(enum_class: type[Any]) -> Enum:
    # Stored as plain strings with a CHECK constraint: identical on SQLite and PostgreSQL,
    # and a new value is a constraint change rather than an ALTER TYPE.
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=40,
        values_callable=lambda members: [member.value for member in members],
    )


# JSON lists: JSONB on PostgreSQL, so rows compare, DISTINCT works and indexes are possible.
JSONList = JSON().with_variant(JSONB(), "postgresql")


def partial_index(name: str, *columns: str, where: str, unique: bool = False) -> Index:
    """An index over the rows where `where` holds (SQLite and PostgreSQL both have them):
    e.g. one norm per category *and municipality*, among the rows that have one."""
    return Index(
        name, *columns, unique=unique, sqlite_where=text(where), postgresql_where=text(where)
    )


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC: the default of every timestamp column."""
    return datetime.now(UTC)


READ_ONLY = "plekwijzer_read_only"
# Ids bound per statement (`IN (...)`), well under SQLite's limit of bound parameters.
CHUNK = 500


def make_engine(database_url: str, **kwargs: Any) -> Engine:
    """An engine for `database_url`; SQLite gets real transactions, WAL and foreign keys."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **kwargs)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    # Sessions are handed between threads (ASGI thread pool); the pool still gives each
    # connection to one thread at a time.
    kwargs.setdefault("connect_args", {"check_same_thread": False})
    engine = create_engine(url, **kwargs)

    # pysqlite's own transaction handling skips BEGIN for DDL and breaks SAVEPOINT;
    # let SQLAlchemy emit BEGIN itself (the documented recipe).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # Long enough to wait out a full reindex (about 20 s at 100,000 offers).
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    # A deferred transaction that reads and then writes fails at once ("database is
    # locked") when another writer went first; IMMEDIATE takes the write lock up front and
    # waits for it (busy_timeout). Read-only units ask for a plain deferred BEGIN.
    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for `unit_of_work`; objects stay readable after the commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session], *, read_only: bool = False) -> Iterator[Session]:
    """One session and one transaction per request or job: committed here, nowhere else.

    Services only `flush()`; if anything raises, everything is rolled back. On SQLite a
    unit that writes takes the write lock when it begins; `read_only` units do not.
    """
    with factory() as session, session.begin():
        if read_only:
            session.connection(execution_options={READ_ONLY: True})
        yield session
