"""Freshness is judged at the query's `now`, not when the index was built: a figure turns
unknown the moment its valid_until passes, without re-indexing, on every backend.

16 is valid until exactly `NOW`; 28 and 40 until a day after it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from search.backend import SearchBackend
from search.query import MAX_PER_PAGE, SearchQuery, Sort
from tests.conftest import NOW

A_MINUTE_BEFORE = NOW - timedelta(minutes=1)
TWO_DAYS_LATER = NOW + timedelta(days=2)

BY_WAIT_TWO_DAYS_LATER = [3, 9, 14, 33, 38, 27, 20, 24, 26, 21, 29, 11, 37, 18, 10, 36, 13]
BY_WAIT_TWO_DAYS_LATER += [30, 4, 5, 15, 31, 17, 22, 23, 1, 39, 2]
BY_WAIT_TWO_DAYS_LATER += [6, 7, 8, 12, 16, 19, 25, 28, 32, 34, 35, 40]  # stale or unknown

FRESHNESS_CASES: list[tuple[str, datetime, SearchQuery, list[int]]] = [
    (
        "a minute before its end, 16 still counts (wait 4)",
        A_MINUTE_BEFORE,
        SearchQuery(max_wait_weeks=4),
        [3, 9, 11, 14, 16, 20, 21, 24, 26, 27, 28, 29, 33, 37, 38],
    ),
    (
        "two days later, 28 has no known places any more",
        TWO_DAYS_LATER,
        SearchQuery(has_places=True),
        [3, 9, 14, 20, 24, 29, 33, 38],
    ),
    (
        "two days later, 28 and 40 sort with the unknown waits",
        TWO_DAYS_LATER,
        SearchQuery(sort=Sort.WAIT),
        BY_WAIT_TWO_DAYS_LATER,
    ),
]


@pytest.mark.parametrize(
    ("now", "query", "expected"),
    [pytest.param(now, query, expected, id=name) for name, now, query, expected in FRESHNESS_CASES],
)
def test_figures_expire_at_the_query_time(
    backend: SearchBackend, now: datetime, query: SearchQuery, expected: list[int]
) -> None:
    result = backend.search(replace(query, per_page=MAX_PER_PAGE), now)
    assert [hit.id for hit in result.items] == expected
    assert result.total == len(expected)


def test_the_status_facet_follows_the_query_time(backend: SearchBackend) -> None:
    result = backend.search(SearchQuery(), TWO_DAYS_LATER)
    assert result.facets["status"] == {
        "open": 8,
        "waitlist": 20,
        "closed": 1,
        "assessment_required": 1,
        "unknown": 10,
    }
    hits = {
        hit.id: hit
        for hit in backend.search(SearchQuery(per_page=MAX_PER_PAGE), TWO_DAYS_LATER).items
    }
    assert (hits[28].status, hits[28].open_places, hits[28].stale) == ("unknown", None, True)
