"""Every test that touches the database runs on SQLite and on a real PostgreSQL.

The schema is built once per database with the migrations (not `create_all`), the shipped
reference data is loaded and committed, and each test then runs inside a transaction that
is rolled back, so tests cannot see each other's rows.

PostgreSQL comes from `PLEKWIJZER_TEST_POSTGRES_URL` (`make test` starts one with
scripts/test-postgres.sh). Without it the PostgreSQL cases are skipped on a developer's
machine but fail in CI, where nothing may be skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from directory.db import make_engine, make_session_factory, unit_of_work
from directory.migrate import upgrade
from directory.reference import load_reference_data

POSTGRES_URL_VARIABLE = "PLEKWIJZER_TEST_POSTGRES_URL"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def postgres_url() -> str:
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if url:
        return url
    message = f"{POSTGRES_URL_VARIABLE} is not set (make test starts PostgreSQL and sets it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)],
)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    # A database of this run's own, so parallel runs on one server do not collide.
    server = make_url(postgres_url())
    name = f"plekwijzer_test_{os.getpid()}"
    admin = make_engine(server.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    with unit_of_work(make_session_factory(engine)) as session:
        load_reference_data(session)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Sessions that share one outer transaction, rolled back after the test.

    A unit of work's commit only releases a savepoint here, so code under test commits
    exactly as it does in production.
    """
    with engine.connect() as connection:
        outer = connection.begin()
        yield sessionmaker(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        outer.rollback()


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as session:
        yield session


@pytest.fixture
def now() -> datetime:
    return NOW


def days(n: float) -> timedelta:
    return timedelta(days=n)
