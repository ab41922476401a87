from datetime import UTC, datetime

from sqlalchemy.orm import Session

from search.backend import SearchUnavailableError
from search.query import SearchQuery, SearchResult
from search.service import Search

NOW = datetime(2026, 3, 2, tzinfo=UTC)


class Down:
    """An engine that is down; counts how often it was asked."""

    name = "down"

    def __init__(self) -> None:
        self.asked = 0

    def search(
        self, query: SearchQuery, now: datetime, session: Session | None = None
    ) -> SearchResult:
        self.asked += 1
        raise SearchUnavailableError("timed out")


class Database:
    name = "database"

    def search(
        self, query: SearchQuery, now: datetime, session: Session | None = None
    ) -> SearchResult:
        return SearchResult(items=[], total=7, page=1, per_page=20)


def test_after_a_failure_the_engine_is_left_alone_for_a_while() -> None:
    down = Down()
    search = Search(primary=down, fallback=Database(), pause_seconds=60)  # type: ignore[arg-type]
    first = search.search(SearchQuery(), NOW)
    second = search.search(SearchQuery(), NOW)
    assert (first.degraded, second.degraded, second.total) == (True, True, 7)
    assert down.asked == 1  # the second visitor did not wait for the timeout again


def test_without_a_pause_the_engine_is_tried_every_time() -> None:
    down = Down()
    search = Search(primary=down, fallback=Database(), pause_seconds=0)  # type: ignore[arg-type]
    search.search(SearchQuery(), NOW)
    search.search(SearchQuery(), NOW)
    assert down.asked == 2
