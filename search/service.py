"""Which backend answers, and what happens when it cannot.

Meilisearch (when `MEILI_URL` is set) answers searches; the database index is always kept
too and answers when Meilisearch is unreachable, with `degraded` set. Without Meilisearch
the embedded engine answers: SQLite FTS5, or plain substring matching on PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from directory.config import Settings
from search.backend import SearchBackend, SearchUnavailableError
from search.meili import MeiliBackend
from search.query import SearchQuery, SearchResult
from search.sqlindex import SqlIndex, TextMode

log = logging.getLogger(__name__)


@dataclass
class Search:
    """The configured backends: `primary` answers, `fallback` stands in when it is down.

    After a failure the primary is left alone for `pause_seconds`, so a hanging engine
    does not cost every visitor the full timeout.
    """

    primary: SearchBackend
    fallback: SearchBackend | None = None
    pause_seconds: float = 10.0
    _resume_at: float = 0.0

    @property
    def backends(self) -> list[SearchBackend]:
        """Every index the relay keeps up to date (the fallback first: it is local)."""
        return [b for b in (self.fallback, self.primary) if b is not None]

    def search(
        self, query: SearchQuery, now: datetime, session: Session | None = None
    ) -> SearchResult:
        """Answer `query` (in the caller's `session` where the database answers)."""
        if self.fallback is not None and time.monotonic() < self._resume_at:
            return dataclasses.replace(self.fallback.search(query, now, session), degraded=True)
        try:
            return self.primary.search(query, now, session)
        except SearchUnavailableError as error:
            if self.fallback is None:
                raise
            self._resume_at = time.monotonic() + self.pause_seconds
            log.warning("search engine unavailable, answering from the database: %s", error)
            return dataclasses.replace(self.fallback.search(query, now, session), degraded=True)


def make_search(settings: Settings, session_factory: sessionmaker[Session]) -> Search:
    """The search set-up the settings ask for."""
    if not settings.meili_url:
        dialect = session_factory.kw["bind"].dialect.name if "bind" in session_factory.kw else ""
        mode: TextMode = "fts" if dialect == "sqlite" else "substring"
        return Search(primary=SqlIndex(session_factory, text_mode=mode))
    meili = MeiliBackend(
        settings.meili_url,
        settings.meili_key.get_secret_value() if settings.meili_key else None,
        index=settings.meili_index,
        timeout=settings.meili_timeout_seconds,
    )
    fallback = SqlIndex(session_factory, text_mode="substring")
    return Search(primary=meili, fallback=fallback)
