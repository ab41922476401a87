"""Sorts and pages: the same order on every backend, ties broken by id, pages that neither
repeat nor skip.

Each row is (what it shows, the query, every id of the answer in the expected order).
- relevance without `q`: by id;
- wait: fresh known total waits, shortest first; then stale (7, 16, 25, 35) and unknown
  (no figure: 6, 12, 32, 34; no total wait: 8, 19), by id;
- distance: nearest main location first; offers without coordinates (14, 28) or without a
  location (23) last, by id;
- updated: newest measurement first (stale figures too: they have a date); offers without
  any figure last, by id.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from search.backend import SearchBackend
from search.query import SearchQuery, Sort
from tests.conftest import NOW
from tests.contract.fixture import (
    ALL_IDS,
    DP,
    ROTTERDAM,
    ROTTERDAM_CENTRE,
    SE,
    UTRECHT_CENTRE,
    YC,
    search_all,
)

BY_WAIT = [3, 9, 14, 28, 33, 38, 27, 20, 24, 26, 21, 29, 11, 37, 18, 10, 36, 13, 30]
BY_WAIT += [4, 5, 15, 31, 17, 22, 23, 1, 39, 2, 40]  # waits 20, 20, 20, 20, 22, ... 90
BY_WAIT += [6, 7, 8, 12, 16, 19, 25, 32, 34, 35]  # stale or unknown
BY_UPDATED = [9, 14, 8, 20, 33, 3, 24, 38, 11, 29, 4, 5, 26, 13, 10, 15, 19, 36, 1, 2, 30]
BY_UPDATED += [37, 17, 18, 21, 27, 31, 22, 23, 39, 28, 40, 16, 25, 7, 35]  # to 100 days ago
BY_UPDATED += [6, 12, 32, 34]  # never measured
FROM_ROTTERDAM = [13, 29, 40, 1, 2, 9, 10, 33, 22, 25, 3, 24, 30, 11, 12]  # up to 8.2 km
FROM_ROTTERDAM += [36, 7, 8, 26, 35, 4, 5, 15, 16, 19, 32, 37, 6, 27, 31, 39, 17, 18, 38]
FROM_ROTTERDAM += [21, 20, 34]  # Maastricht 145.9 km, Groningen 201.1 km
FROM_ROTTERDAM += [14, 23, 28]  # no coordinates

SORT_CASES: list[tuple[str, SearchQuery, list[int]]] = [
    ("relevance without text: by id", SearchQuery(), list(ALL_IDS)),
    ("relevance with near but no text: by id", SearchQuery(near=ROTTERDAM_CENTRE), list(ALL_IDS)),
    ("wait: every offer", SearchQuery(sort=Sort.WAIT), BY_WAIT),
    (
        "wait: youth care",
        SearchQuery(sort=Sort.WAIT, kinds=(YC,)),
        [14, 28, 33, 27, 20, 26, 29, 18, 13, 30, 15, 31, 17, 16, 19, 32, 34, 35],
    ),
    (
        "wait: contracted by Rotterdam (stale 25 last)",
        SearchQuery(sort=Sort.WAIT, contracted_by=ROTTERDAM),
        [9, 14, 33, 24, 29, 11, 13, 31, 22, 23, 1, 2, 40, 25],
    ),
    (
        "wait: special education without places (equal waits by id)",
        SearchQuery(sort=Sort.WAIT, has_places=False, kinds=(SE,)),
        [4, 5, 1, 39, 2, 40, 6, 7, 8],
    ),
    ("updated: every offer", SearchQuery(sort=Sort.UPDATED), BY_UPDATED),
    (
        "updated: day programmes",
        SearchQuery(sort=Sort.UPDATED, kinds=(DP,)),
        [9, 24, 11, 10, 36, 37, 21, 22, 23, 25, 12],
    ),
    (
        "distance from Rotterdam: every offer",
        SearchQuery(sort=Sort.DISTANCE, near=ROTTERDAM_CENTRE),
        FROM_ROTTERDAM,
    ),
    (
        "distance from Rotterdam within 10 km",
        SearchQuery(sort=Sort.DISTANCE, near=ROTTERDAM_CENTRE, radius_km=10),
        FROM_ROTTERDAM[:15],
    ),
    (
        "distance from Rotterdam: located in Rotterdam, no coordinates last",
        SearchQuery(sort=Sort.DISTANCE, near=ROTTERDAM_CENTRE, municipality=ROTTERDAM),
        [13, 29, 40, 1, 2, 9, 10, 33, 22, 25, 14],
    ),
    (
        "distance from coordinates in Utrecht: special education",
        SearchQuery(sort=Sort.DISTANCE, near=UTRECHT_CENTRE, kinds=(SE,)),
        [4, 5, 6, 39, 1, 2, 38, 40, 3, 7, 8],
    ),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [pytest.param(query, expected, id=name) for name, query, expected in SORT_CASES],
)
def test_sorts_order_every_offer_the_same_way(
    backend: SearchBackend, query: SearchQuery, expected: list[int]
) -> None:
    assert search_all(backend, query) == expected


PAGINATION_CASES: list[tuple[str, SearchQuery, list[int]]] = [
    ("by id, 7 a page", SearchQuery(per_page=7), list(ALL_IDS)),
    ("by wait, 7 a page", SearchQuery(sort=Sort.WAIT, per_page=7), BY_WAIT),
    ("by wait, 3 a page", SearchQuery(sort=Sort.WAIT, per_page=3), BY_WAIT),
    ("by wait, 1 a page", SearchQuery(sort=Sort.WAIT, per_page=1), BY_WAIT),
    ("by update, 6 a page", SearchQuery(sort=Sort.UPDATED, per_page=6), BY_UPDATED),
    (
        "by distance, 9 a page",
        SearchQuery(sort=Sort.DISTANCE, near=ROTTERDAM_CENTRE, per_page=9),
        FROM_ROTTERDAM,
    ),
    (
        "day programmes by id, 4 a page",
        SearchQuery(kinds=(DP,), per_page=4),
        [9, 10, 11, 12, 21, 22, 23, 24, 25, 36, 37],
    ),
    (
        "text sorted by wait, 2 a page",
        SearchQuery(q="autisme", sort=Sort.WAIT, per_page=2),
        [29, 11, 13],
    ),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [pytest.param(query, expected, id=name) for name, query, expected in PAGINATION_CASES],
)
def test_pages_together_are_the_whole_sorted_answer(
    backend: SearchBackend, query: SearchQuery, expected: list[int]
) -> None:
    pages = -(-len(expected) // query.per_page)
    seen: list[int] = []
    for page in range(1, pages + 1):
        result = backend.search(replace(query, page=page), NOW)
        assert result.total == len(expected)
        assert len(result.items) == min(query.per_page, len(expected) - len(seen))
        seen += [hit.id for hit in result.items]
    assert seen == expected
    past_the_end = backend.search(replace(query, page=pages + 1), NOW)
    assert (past_the_end.items, past_the_end.total) == ([], len(expected))
    assert past_the_end.facets == backend.search(query, NOW).facets
