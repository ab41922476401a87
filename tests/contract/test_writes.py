"""Writes and the fingerprint: what the outbox relay and the drift check rely on.

Every backend reports the count and checksum of exactly the documents it holds; upserts
are idempotent, deletes take effect at once and a rebuild replaces everything. The tests
that write put the fixture documents back before they end, so the other cases see them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from search.backend import Fingerprint, SearchBackend, fingerprint
from search.documents import SearchDocument, document_digest, index_checksum
from search.query import SearchQuery
from tests.contract.fixture import ALL_IDS, Catalogue, all_but, search_all

Loaded = tuple[SearchBackend, list[SearchDocument]]


def fingerprint_of(documents: list[SearchDocument]) -> Fingerprint:
    digests = [(document.id, document_digest(document)) for document in documents]
    return Fingerprint(len(digests), index_checksum(digests))


@pytest.fixture
def loaded(backend_with_documents: Loaded) -> Iterator[Loaded]:
    """A backend a test may write to; the fixture documents are restored afterwards."""
    backend, documents = backend_with_documents
    yield backend, documents
    backend.upsert(documents)


def test_the_fingerprint_covers_exactly_the_loaded_documents(loaded: Loaded) -> None:
    backend, documents = loaded
    assert fingerprint(backend) == fingerprint_of(documents)
    assert fingerprint(backend).count == len(ALL_IDS)


def test_upserting_the_same_documents_again_changes_nothing(loaded: Loaded) -> None:
    backend, documents = loaded
    backend.upsert(documents[:5] + documents[:5])
    assert fingerprint(backend) == fingerprint_of(documents)
    assert search_all(backend, SearchQuery()) == list(ALL_IDS)


def test_deleted_offers_are_gone_at_once(loaded: Loaded) -> None:
    backend, documents = loaded
    backend.delete([9, 29, 999])
    assert search_all(backend, SearchQuery()) == all_but(9, 29)
    assert search_all(backend, SearchQuery(q="autisme")) in ([11, 13], [13, 11])
    rest = [document for document in documents if document.id not in (9, 29)]
    assert fingerprint(backend) == fingerprint_of(rest)


def test_a_rebuild_replaces_the_whole_index(loaded: Loaded) -> None:
    backend, documents = loaded
    backend.upsert(documents)
    progress: list[int] = []
    backend.rebuild(
        [documents[start : start + 7] for start in range(0, 14, 7)], on_progress=progress.append
    )
    assert search_all(backend, SearchQuery()) == list(range(1, 15))
    assert fingerprint(backend) == fingerprint_of(documents[:14])
    assert progress == [7, 7]  # the size of each batch written (`SearchBackend.rebuild`)
    backend.rebuild([documents])
    assert fingerprint(backend) == fingerprint_of(documents)


def test_sqlite_and_postgresql_build_the_same_documents(
    sqlite_catalogue_fts: Catalogue, postgres_catalogue: Catalogue
) -> None:
    assert sqlite_catalogue_fts.documents == postgres_catalogue.documents
