"""Facets and totals: exact counts over the whole filtered result, the same on every backend.

Each row is (what it shows, the query, the total, the facets). Facets count after every
filter (a facet's own filter included); a bucket with no offers is absent. Keys are strings:
"none" holds offers without the attribute (no cluster, no iJw category, no location), and
"unknown" the status of offers whose figure is stale (7, 16, 25, 35) or missing (6, 12, 32,
34). The municipality facet counts every municipality an offer has a location in, like the
`municipality` filter, so choosing a bucket gives exactly its count (2 is in Rotterdam and
Schiedam, 29 in Rotterdam and Utrecht, 30 in Schiedam and 's-Gravenhage).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from search.backend import SearchBackend
from search.query import FACETS, SearchQuery
from tests.conftest import NOW
from tests.contract.fixture import (
    DP,
    ROTTERDAM,
    ROTTERDAM_CENTRE,
    SCHIEDAM,
    SE,
    YC,
)

Facets = dict[str, dict[str, int]]

EVERY_IJW_CATEGORY = {str(code): 1 for code in range(40, 56)} | {"41": 2, "45": 2}

FACET_CASES: list[tuple[str, SearchQuery, int, Facets]] = [
    (
        "the whole catalogue",
        SearchQuery(),
        40,
        {
            "kind": {"special_education": 11, "day_programme": 11, "youth_care": 18},
            "cluster": {"1": 1, "2": 2, "3": 3, "4": 3, "none": 31},
            "ijw_category": EVERY_IJW_CATEGORY | {"none": 22},
            "municipality": {
                "GM0014": 2,
                "GM0344": 8,
                "GM0363": 5,
                "GM0518": 6,
                "GM0599": 11,
                "GM0606": 4,
                "GM0796": 3,
                "GM0935": 1,
                "GM1621": 2,
                "none": 1,
            },
            "status": {
                "open": 9,
                "waitlist": 21,
                "closed": 1,
                "assessment_required": 1,
                "unknown": 8,
            },
        },
    ),
    (
        "youth care: the kind facet counts the chosen kind only",
        SearchQuery(kinds=(YC,)),
        18,
        {
            "kind": {"youth_care": 18},
            "cluster": {"none": 18},
            "ijw_category": EVERY_IJW_CATEGORY,
            "municipality": {
                "GM0014": 2,
                "GM0344": 5,
                "GM0363": 3,
                "GM0518": 3,
                "GM0599": 4,
                "GM0606": 1,
                "GM0796": 2,
            },
            "status": {"open": 5, "waitlist": 8, "assessment_required": 1, "unknown": 4},
        },
    ),
    (
        "contracted by Rotterdam with a wait of at most 20: no unknown status",
        SearchQuery(contracted_by=ROTTERDAM, max_wait_weeks=20),
        8,
        {
            "kind": {"day_programme": 3, "youth_care": 5},
            "cluster": {"none": 8},
            "ijw_category": {"41": 1, "45": 1, "46": 1, "50": 1, "53": 1, "none": 3},
            "municipality": {
                "GM0344": 1,
                "GM0363": 1,
                "GM0599": 5,
                "GM0606": 1,
                "GM1621": 1,
            },
            "status": {"open": 5, "waitlist": 3},
        },
    ),
    (
        "in Schiedam: offers with a second location count there too",
        SearchQuery(municipality=SCHIEDAM),
        4,
        {
            "kind": {"special_education": 2, "day_programme": 1, "youth_care": 1},
            "cluster": {"4": 1, "none": 3},
            "ijw_category": {"45": 1, "none": 3},
            "municipality": {"GM0518": 1, "GM0599": 1, "GM0606": 4},
            "status": {"open": 2, "waitlist": 2},
        },
    ),
    (
        "without places: stale and missing figures under unknown",
        SearchQuery(has_places=False),
        31,
        {
            "kind": {"special_education": 9, "day_programme": 9, "youth_care": 13},
            "cluster": {"1": 1, "2": 2, "3": 3, "4": 3, "none": 22},
            "ijw_category": {
                "40": 1,
                "43": 1,
                "44": 1,
                "45": 2,
                "47": 1,
                "48": 1,
                "49": 1,
                "50": 1,
                "51": 1,
                "52": 1,
                "54": 1,
                "55": 1,
                "none": 18,
            },
            "municipality": {
                "GM0014": 1,
                "GM0344": 7,
                "GM0363": 4,
                "GM0518": 6,
                "GM0599": 7,
                "GM0606": 2,
                "GM0796": 2,
                "GM0935": 1,
                "GM1621": 2,
                "none": 1,
            },
            "status": {"waitlist": 21, "closed": 1, "assessment_required": 1, "unknown": 8},
        },
    ),
    (
        "education and day programmes without pgb: no iJw category at all",
        SearchQuery(kinds=(DP, SE), accepts_pgb=False),
        16,
        {
            "kind": {"day_programme": 5, "special_education": 11},
            "cluster": {"1": 1, "2": 2, "3": 3, "4": 3, "none": 7},
            "ijw_category": {"none": 16},
            "municipality": {
                "GM0344": 2,
                "GM0363": 2,
                "GM0518": 2,
                "GM0599": 6,
                "GM0606": 3,
                "GM0796": 1,
                "GM0935": 1,
            },
            "status": {"open": 3, "waitlist": 9, "closed": 1, "unknown": 3},
        },
    ),
    (
        "within 25 km of Rotterdam",
        SearchQuery(near=ROTTERDAM_CENTRE, radius_km=25),
        20,
        {
            "kind": {"special_education": 6, "day_programme": 8, "youth_care": 6},
            "cluster": {"3": 3, "4": 2, "none": 15},
            "ijw_category": {"41": 1, "45": 2, "48": 1, "49": 1, "53": 1, "none": 14},
            "municipality": {"GM0344": 1, "GM0518": 6, "GM0599": 10, "GM0606": 4, "GM1621": 2},
            "status": {
                "open": 5,
                "waitlist": 9,
                "closed": 1,
                "assessment_required": 1,
                "unknown": 4,
            },
        },
    ),
    (
        "text: autisme",
        SearchQuery(q="autisme"),
        3,
        {
            "kind": {"day_programme": 1, "youth_care": 2},
            "cluster": {"none": 3},
            "ijw_category": {"41": 1, "45": 1, "none": 1},
            "municipality": {"GM0344": 1, "GM0599": 2, "GM1621": 1},
            "status": {"open": 1, "waitlist": 2},
        },
    ),
    (
        "nothing found: a total of 0 and empty facets",
        SearchQuery(kinds=(SE,), ijw_categories=(45,)),
        0,
        {facet: {} for facet in FACETS},
    ),
]


@pytest.mark.parametrize(
    ("query", "total", "facets"),
    [pytest.param(query, total, facets, id=name) for name, query, total, facets in FACET_CASES],
)
def test_facets_count_the_whole_result_exactly(
    backend: SearchBackend, query: SearchQuery, total: int, facets: Facets
) -> None:
    result = backend.search(query, NOW)
    assert result.total == total
    assert result.facets == facets


@pytest.mark.parametrize(
    ("query", "total"),
    [pytest.param(query, total, id=name) for name, query, total, _ in FACET_CASES],
)
def test_the_total_does_not_depend_on_the_page(
    backend: SearchBackend, query: SearchQuery, total: int
) -> None:
    for page, per_page in ((1, 1), (2, 7), (100, 5)):
        result = backend.search(replace(query, page=page, per_page=per_page), NOW)
        assert (result.total, result.page, result.per_page) == (total, page, per_page)
