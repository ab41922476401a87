"""What every search backend offers. The contract suite (tests/contract) holds each
implementation to the semantics written down in `search.query`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from search.documents import SearchDocument
from search.query import SearchQuery, SearchResult


class SearchUnavailableError(Exception):
    """The engine cannot be reached or did not answer in time; callers fall back to the
    database and say so (`degraded`)."""


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What the drift check compares between the catalogue and an index."""

    count: int
    checksum: str  # over (id, document digest) of every document, in id order


class SearchBackend(Protocol):
    """A place documents are kept and searched."""

    name: str

    def search(self, query: SearchQuery, now: datetime) -> SearchResult:
        """Answer `query`; `now` decides which figures are stale."""
        ...

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        """Add or replace documents (idempotent)."""
        ...

    def delete(self, offer_ids: Sequence[int]) -> None:
        """Remove documents; ids that are not there are ignored."""
        ...

    def fingerprint(self) -> Fingerprint:
        """Count and checksum of what the index holds now."""
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
