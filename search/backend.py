"""What every search backend offers. The contract suite (tests/contract) holds each
implementation to the semantics written down in `search.query`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from search.documents import SearchDocument, index_checksum
from search.query import SearchQuery, SearchResult


class SearchUnavailableError(Exception):
    """The engine cannot be reached or did not answer in time; callers fall back to the
    database and say so (`degraded`)."""


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """An index's content in two values (`fingerprint`): equal fingerprints, equal
    documents. The drift repair compares the digests themselves (`SearchBackend.digests`)."""

    count: int
    checksum: str  # over (id, document digest) of every document, in id order


class SearchBackend(Protocol):
    """A place documents are kept and searched."""

    name: str

    def search(
        self, query: SearchQuery, now: datetime, session: Session | None = None
    ) -> SearchResult:
        """Answer `query`; `now` decides which figures are stale. A backend that reads the
        database reads it in the caller's `session` when one is given (one unit of work per
        request or job); one that does not ignores it."""
        ...

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        """Add or replace documents (idempotent)."""
        ...

    def delete(self, offer_ids: Sequence[int]) -> None:
        """Remove documents; ids that are not there are ignored."""
        ...

    def digests(self) -> dict[int, str]:
        """The digest of every stored document, by offer id (for repairing drift)."""
        ...

    def rebuild(
        self,
        batches: Iterable[Sequence[SearchDocument]],
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        """Replace the whole index with these documents; searches keep working meanwhile
        and see either the old or the new index, never a half-built one. `on_progress`
        gets the number of documents of each batch as it is written."""
        ...


def fingerprint(backend: SearchBackend) -> Fingerprint:
    """Count and checksum of what `backend` holds now, from its digests (the same for
    every backend, so it is not a method of each)."""
    digests = backend.digests()
    return Fingerprint(len(digests), index_checksum(digests.items()))
