"""Filters: every one alone and in combination, the same exact answer from every backend.

Each row is (what it shows, the query, the ids expected, in id order: without `q` the
relevance order is the id). Expectations are read off tests/contract/fixture.py by hand.
"""

from __future__ import annotations

import pytest

from search.backend import SearchBackend
from search.query import SearchQuery, Sort
from tests.contract.fixture import (
    ALL_IDS,
    AMSTERDAM,
    DEN_BOSCH,
    DEN_HAAG,
    DP,
    LANSINGERLAND,
    ROTTERDAM,
    ROTTERDAM_CENTRE,
    SCHIEDAM,
    SE,
    UTRECHT,
    UTRECHT_CENTRE,
    YC,
    all_but,
    place,
    search_all,
)

FILTER_CASES: list[tuple[str, SearchQuery, list[int]]] = [
    ("no filter: every offer", SearchQuery(), list(ALL_IDS)),
    # kinds: OR among the values
    ("kind special_education", SearchQuery(kinds=(SE,)), [1, 2, 3, 4, 5, 6, 7, 8, 38, 39, 40]),
    ("kind day_programme", SearchQuery(kinds=(DP,)), [9, 10, 11, 12, 21, 22, 23, 24, 25, 36, 37]),
    (
        "kind youth_care",
        SearchQuery(kinds=(YC,)),
        [13, 14, 15, 16, 17, 18, 19, 20, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35],
    ),
    (
        "kinds day_programme OR youth_care",
        SearchQuery(kinds=(DP, YC)),
        all_but(1, 2, 3, 4, 5, 6, 7, 8, 38, 39, 40),
    ),
    ("kinds: all three is no filter", SearchQuery(kinds=(SE, DP, YC)), list(ALL_IDS)),
    # clusters: OR; SBO (3, 38) and every other kind have none
    ("cluster 4", SearchQuery(clusters=(4,)), [1, 2, 39]),
    ("clusters 2 OR 3", SearchQuery(clusters=(2, 3)), [4, 5, 7, 8, 40]),
    (
        "clusters 1-4 leave out SBO",
        SearchQuery(clusters=(1, 2, 3, 4)),
        [1, 2, 4, 5, 6, 7, 8, 39, 40],
    ),
    # iJw categories: OR
    ("ijw 45", SearchQuery(ijw_categories=(45,)), [13, 30]),
    ("ijw 41 OR 54", SearchQuery(ijw_categories=(41, 54)), [17, 20, 29]),
    ("ijw 46 (crisis)", SearchQuery(ijw_categories=(46,)), [14]),
    ("kind AND ijw", SearchQuery(kinds=(YC,), ijw_categories=(41,)), [20, 29]),
    ("kind AND ijw exclude each other", SearchQuery(kinds=(SE,), ijw_categories=(45,)), []),
    # age: within [min_age, max_age]; a missing bound is open (16, 26 and 34 have none)
    (
        "age 12",
        SearchQuery(age=12),
        all_but(9, 33, 37),
    ),
    ("age 0 (lower bound 0)", SearchQuery(age=0), [13, 15, 16, 26, 27, 31, 33, 34]),
    (
        "age 13 (upper bound 13 included)",
        SearchQuery(age=13),
        all_but(1, 4, 6, 9, 10, 20, 21, 22, 23, 29, 33, 36, 37, 40),
    ),
    (
        "age 14 (lower bound 14 included)",
        SearchQuery(age=14),
        all_but(1, 3, 4, 6, 10, 20, 21, 22, 23, 29, 33, 36, 38, 40),
    ),
    ("age 23", SearchQuery(age=23), [9, 16, 26, 31, 32, 34, 37]),
    ("age 24: only offers without bounds", SearchQuery(age=24), [16, 26, 34]),
    # municipality: any of the offer's locations, not only the main one
    (
        "municipality Schiedam (2 and 30 have it as a second location)",
        SearchQuery(municipality=SCHIEDAM),
        [2, 3, 24, 30],
    ),
    ("municipality 's-Hertogenbosch", SearchQuery(municipality=DEN_BOSCH), [17, 18, 38]),
    (
        "municipality Rotterdam (14 has no coordinates; 23 has no location)",
        SearchQuery(municipality=ROTTERDAM),
        [1, 2, 9, 10, 13, 14, 22, 25, 29, 33, 40],
    ),
    ("municipality 's-Gravenhage", SearchQuery(municipality=DEN_HAAG), [7, 8, 26, 30, 35, 36]),
    ("municipality Utrecht", SearchQuery(municipality=UTRECHT), [4, 5, 15, 16, 19, 29, 32, 37]),
    ("municipality Lansingerland", SearchQuery(municipality=LANSINGERLAND), [11, 12]),
    ("municipality without offers", SearchQuery(municipality="GM0307"), []),
    # contracted_by: a contract valid today; 16 has only an expired and a future one
    (
        "contracted by Rotterdam",
        SearchQuery(contracted_by=ROTTERDAM),
        [1, 2, 9, 11, 13, 14, 22, 23, 24, 25, 29, 31, 33, 40],
    ),
    (
        "contracted by Utrecht (expired contract of 16 left out)",
        SearchQuery(contracted_by=UTRECHT),
        [4, 13, 15, 19, 29, 32, 37],
    ),
    ("contracted by Schiedam", SearchQuery(contracted_by=SCHIEDAM), [2, 3, 13, 24, 30]),
    ("contracted by 's-Hertogenbosch", SearchQuery(contracted_by=DEN_BOSCH), [17]),
    ("contracted by Lansingerland", SearchQuery(contracted_by=LANSINGERLAND), [11]),
    ("contracted by Amsterdam", SearchQuery(contracted_by=AMSTERDAM), [27, 31, 39]),
    # max_wait_weeks: a fresh, known total wait; stale (7, 16, 25, 35) and unknown never pass
    ("max wait 0: waits of 0", SearchQuery(max_wait_weeks=0), [3, 9, 14, 28, 33, 38]),
    (
        "max wait 4 (stale 16 and 35 wait 4: left out)",
        SearchQuery(max_wait_weeks=4),
        [3, 9, 11, 14, 20, 21, 24, 26, 27, 28, 29, 33, 37, 38],
    ),
    (
        "max wait 20 (equal waits included)",
        SearchQuery(max_wait_weeks=20),
        [3, 4, 5, 9, 10, 11, 13, 14, 15, 18, 20, 21, 24, 26, 27, 28, 29, 30, 31, 33, 36, 37, 38],
    ),
    (
        "max wait 100: every known fresh wait, no stale or unknown",
        SearchQuery(max_wait_weeks=100),
        all_but(6, 7, 8, 12, 16, 19, 25, 32, 34, 35),
    ),
    # has_places: a fresh figure with open places; false is everything else
    ("has places", SearchQuery(has_places=True), [3, 9, 14, 20, 24, 28, 29, 33, 38]),
    (
        "has places false: all others, stale and unknown included",
        SearchQuery(has_places=False),
        all_but(3, 9, 14, 20, 24, 28, 29, 33, 38),
    ),
    # accepts_pgb
    (
        "accepts pgb",
        SearchQuery(accepts_pgb=True),
        [9, 11, 12, 13, 16, 17, 19, 20, 23, 27, 28, 30, 31, 36, 37],
    ),
    (
        "does not accept pgb",
        SearchQuery(accepts_pgb=False),
        all_but(9, 11, 12, 13, 16, 17, 19, 20, 23, 27, 28, 30, 31, 36, 37),
    ),
    # near + radius: the main location within the radius; no coordinates never pass
    (
        "near Rotterdam (place) within 5 km",
        SearchQuery(near=ROTTERDAM_CENTRE, radius_km=5),
        [1, 2, 9, 10, 13, 22, 25, 29, 33, 40],
    ),
    (
        "near Rotterdam within 10 km (Schiedam and Bergschenhoek)",
        SearchQuery(near=ROTTERDAM_CENTRE, radius_km=10),
        [1, 2, 3, 9, 10, 11, 12, 13, 22, 24, 25, 29, 30, 33, 40],
    ),
    (
        "near Rotterdam within 25 km (Den Haag)",
        SearchQuery(near=ROTTERDAM_CENTRE, radius_km=25),
        [1, 2, 3, 7, 8, 9, 10, 11, 12, 13, 22, 24, 25, 26, 29, 30, 33, 35, 36, 40],
    ),
    (
        "near Rotterdam within 100 km: Groningen, Maastricht, no coordinates left out",
        SearchQuery(near=ROTTERDAM_CENTRE, radius_km=100),
        all_but(14, 20, 21, 23, 28, 34),
    ),
    (
        "near coordinates in Utrecht within 2 km",
        SearchQuery(near=UTRECHT_CENTRE, radius_km=2),
        [4, 5, 15, 16, 19, 32, 37],
    ),
    (
        "near coordinates in Utrecht within 50 km",
        SearchQuery(near=UTRECHT_CENTRE, radius_km=50),
        all_but(3, 7, 8, 9, 10, 14, 20, 21, 23, 24, 26, 28, 30, 34, 35, 36),
    ),
    (
        "near 's-Hertogenbosch (place) within 5 km",
        SearchQuery(near=place("'s-Hertogenbosch"), radius_km=5),
        [17, 18, 38],
    ),
    (
        "near Groningen (place) within 10 km",
        SearchQuery(near=place("Groningen"), radius_km=10),
        [20, 34],
    ),
    ("near without radius filters nothing", SearchQuery(near=ROTTERDAM_CENTRE), list(ALL_IDS)),
    # combinations: AND across filters
    (
        "day programmes accepting pgb contracted by Rotterdam",
        SearchQuery(kinds=(DP,), accepts_pgb=True, contracted_by=ROTTERDAM),
        [9, 11, 23],
    ),
    (
        "youth care for age 12 in Rotterdam",
        SearchQuery(kinds=(YC,), age=12, municipality=ROTTERDAM),
        [13, 14, 29],
    ),
    (
        "contracted by Rotterdam, places now, wait at most 10",
        SearchQuery(contracted_by=ROTTERDAM, has_places=True, max_wait_weeks=10),
        [9, 14, 24, 29, 33],
    ),
    (
        "special education cluster 4 at age 12",
        SearchQuery(kinds=(SE,), clusters=(4,), age=12),
        [1, 2, 39],
    ),
    (
        "within 10 km of Rotterdam and wait at most 10",
        SearchQuery(near=ROTTERDAM_CENTRE, radius_km=10, max_wait_weeks=10),
        [3, 9, 10, 11, 13, 24, 29, 33],
    ),
    (
        "contracted by Rotterdam, located in Schiedam",
        SearchQuery(contracted_by=ROTTERDAM, municipality=SCHIEDAM),
        [2, 24],
    ),
    (
        "youth care accepting pgb without places",
        SearchQuery(kinds=(YC,), accepts_pgb=True, has_places=False),
        [13, 16, 17, 19, 27, 30, 31],
    ),
    (
        "within 50 km of Utrecht, contracted by Utrecht, age 12",
        SearchQuery(near=UTRECHT_CENTRE, radius_km=50, contracted_by=UTRECHT, age=12),
        [4, 13, 15, 19, 29, 32],
    ),
    (
        "every filter at once",
        SearchQuery(
            kinds=(DP, YC),
            ijw_categories=(41, 45),
            age=8,
            municipality=ROTTERDAM,
            contracted_by=UTRECHT,
            max_wait_weeks=10,
            has_places=True,
            accepts_pgb=False,
            near=ROTTERDAM_CENTRE,
            radius_km=1,
        ),
        [29],
    ),
]

# Free text together with filters: words every backend matches the same way (whole words
# that occur literally, no typo, synonym or compound involved), so the answers are exact
# on all of them. Sorted by wait where the relevance order of a text engine would differ.
TEXT_FILTER_CASES: list[tuple[str, SearchQuery, list[int]]] = [
    ("q regenboog", SearchQuery(q="regenboog", sort=Sort.WAIT), [9, 10]),
    ("q regenboog AND accepts pgb", SearchQuery(q="regenboog", accepts_pgb=True), [9]),
    ("q autisme sorted by wait", SearchQuery(q="autisme", sort=Sort.WAIT), [29, 11, 13]),
    (
        "q autisme AND contracted by Utrecht",
        SearchQuery(q="autisme", contracted_by=UTRECHT, sort=Sort.WAIT),
        [29, 13],
    ),
    ("q autisme AND has places", SearchQuery(q="autisme", has_places=True), [29]),
    ("q epilepsie AND kind youth care: nothing", SearchQuery(q="epilepsie", kinds=(YC,)), []),
    ("q crisisopvang", SearchQuery(q="crisisopvang"), [14]),
]


def _params(cases: list[tuple[str, SearchQuery, list[int]]]) -> list[object]:
    return [pytest.param(query, expected, id=name) for name, query, expected in cases]


@pytest.mark.parametrize(("query", "expected"), _params(FILTER_CASES))
def test_filters_find_exactly_the_matching_offers(
    backend: SearchBackend, query: SearchQuery, expected: list[int]
) -> None:
    assert search_all(backend, query) == expected


@pytest.mark.parametrize(("query", "expected"), _params(TEXT_FILTER_CASES))
def test_text_combines_with_filters(
    backend: SearchBackend, query: SearchQuery, expected: list[int]
) -> None:
    if query.sort is Sort.RELEVANCE:
        # A text engine ranks by relevance: compare the set, the order is not the point.
        assert sorted(search_all(backend, query)) == expected
    else:
        assert search_all(backend, query) == expected
