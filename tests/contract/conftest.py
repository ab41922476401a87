"""Every search backend, loaded with the same fixture documents, under one fixture name.

`backend` is parametrized over the four ways Plekwijzer searches:
- `embedded`: `SqlIndex` with FTS5 on SQLite (the default deployment);
- `database-sqlite` and `database-postgresql`: `SqlIndex` with plain substring matching
  (the fallback when Meilisearch is down, and the embedded engine on PostgreSQL);
- `meilisearch`: `MeiliBackend` on a fresh index of the test server.

Each database backend gets a database of its own with the fixture catalogue committed
(Meilisearch takes the embedded engine's documents: it keeps nothing in the database), so
nothing here depends on the per-test rollback of tests/conftest.py, and its parametrized
`database_url` is not used: each backend id appears once per case. The backends are
session-scoped and loaded once; the cases read, except those in test_writes.py, which put
the fixture documents back.

The servers come from the same helpers as everywhere else: PLEKWIJZER_TEST_POSTGRES_URL
(`tests.conftest.postgres_url`) and PLEKWIJZER_TEST_MEILI_URL / _KEY
(`tests.search.conftest.meili_server`); in CI a missing one fails the cases of its backend,
nothing is skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from meilisearch import Client
from sqlalchemy import Engine, make_url, text

from directory.db import make_engine, make_session_factory, unit_of_work
from directory.migrate import upgrade
from directory.reference import load_reference_data
from search.backend import SearchBackend
from search.documents import SearchDocument
from search.meili import MeiliBackend
from search.sqlindex import SqlIndex
from tests.conftest import postgres_url
from tests.contract.fixture import Catalogue, fixture_documents, load_fixture
from tests.search.conftest import meili_server

ALL_BACKENDS = ("embedded", "database-sqlite", "database-postgresql", "meilisearch")
# Typos, synonyms and compounds are promised by the text engines only; the substring
# fallback has a table of its own.
TEXT_ENGINES = ("embedded", "meilisearch")
SUBSTRING_BACKENDS = ("database-sqlite", "database-postgresql")


def _params(names: tuple[str, ...]) -> list[object]:
    return [
        pytest.param(name, marks=pytest.mark.postgresql) if name.endswith("postgresql") else name
        for name in names
    ]


def _catalogue(engine: Engine) -> Catalogue:
    upgrade(engine)
    factory = make_session_factory(engine)
    with unit_of_work(factory) as session:
        load_reference_data(session)
    with unit_of_work(factory) as session:
        load_fixture(session)
    with unit_of_work(factory, read_only=True) as session:
        documents = fixture_documents(session)
    return Catalogue(factory, documents)


def _sqlite_catalogue(directory: Path) -> Iterator[Catalogue]:
    engine = make_engine(f"sqlite:///{directory / 'contract.db'}")
    yield _catalogue(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_catalogue_fts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalogue]:
    yield from _sqlite_catalogue(tmp_path_factory.mktemp("contract-fts"))


@pytest.fixture(scope="session")
def sqlite_catalogue_substring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalogue]:
    yield from _sqlite_catalogue(tmp_path_factory.mktemp("contract-substring"))


@pytest.fixture(scope="session")
def postgres_catalogue() -> Iterator[Catalogue]:
    # A database of this run's own, beside the one tests/conftest.py creates.
    server = make_url(postgres_url())
    name = f"plekwijzer_contract_{os.getpid()}"
    admin = make_engine(server.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(server.set(database=name).render_as_string(hide_password=False))
    try:
        yield _catalogue(engine)
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _loaded(backend: SearchBackend, documents: list[SearchDocument]) -> SearchBackend:
    backend.upsert(documents)
    return backend


@pytest.fixture(scope="session")
def embedded_backend(sqlite_catalogue_fts: Catalogue) -> SearchBackend:
    catalogue = sqlite_catalogue_fts
    return _loaded(SqlIndex(catalogue.session_factory, text_mode="fts"), catalogue.documents)


@pytest.fixture(scope="session")
def database_sqlite_backend(sqlite_catalogue_substring: Catalogue) -> SearchBackend:
    catalogue = sqlite_catalogue_substring
    return _loaded(SqlIndex(catalogue.session_factory, text_mode="substring"), catalogue.documents)


@pytest.fixture(scope="session")
def database_postgresql_backend(postgres_catalogue: Catalogue) -> SearchBackend:
    catalogue = postgres_catalogue
    return _loaded(SqlIndex(catalogue.session_factory, text_mode="substring"), catalogue.documents)


@pytest.fixture(scope="session")
def meilisearch_backend(sqlite_catalogue_fts: Catalogue) -> Iterator[SearchBackend]:
    # Meilisearch keeps nothing in the database: the embedded engine's catalogue gives it
    # the same documents.
    url, key = meili_server()
    index = f"contract_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    backend = MeiliBackend(url, key, index=index, timeout=10.0)
    try:
        yield _loaded(backend, sqlite_catalogue_fts.documents)
    finally:
        client = Client(url, key)
        client.wait_for_task(client.delete_index(index).task_uid)


def _backend(request: pytest.FixtureRequest) -> SearchBackend:
    name = str(request.param).replace("-", "_")
    backend = request.getfixturevalue(f"{name}_backend")
    assert isinstance(backend, SqlIndex | MeiliBackend)
    return backend


@pytest.fixture(scope="session", params=_params(ALL_BACKENDS))
def backend(request: pytest.FixtureRequest) -> SearchBackend:
    """Each backend in turn, loaded with the fixture documents."""
    return _backend(request)


@pytest.fixture(scope="session", params=_params(TEXT_ENGINES))
def text_engine(request: pytest.FixtureRequest) -> SearchBackend:
    """The backends that promise typo tolerance, synonyms and compounds."""
    return _backend(request)


@pytest.fixture(scope="session", params=_params(SUBSTRING_BACKENDS))
def substring_backend(request: pytest.FixtureRequest) -> SearchBackend:
    """The database fallback: plain substring matching."""
    return _backend(request)


@pytest.fixture(scope="session", params=_params(ALL_BACKENDS))
def backend_with_documents(
    request: pytest.FixtureRequest,
) -> tuple[SearchBackend, list[SearchDocument]]:
    """A backend and the documents it was loaded with (for the writes and the fingerprint)."""
    catalogues = {
        "embedded": "sqlite_catalogue_fts",
        "database-sqlite": "sqlite_catalogue_substring",
        "database-postgresql": "postgres_catalogue",
        "meilisearch": "sqlite_catalogue_fts",
    }
    catalogue = request.getfixturevalue(catalogues[str(request.param)])
    return _backend(request), catalogue.documents
