"""The fields of a hit: the headline figure judged at the query's `now`, the same on every
backend.

A stale figure shows as status "unknown" without places or wait, but keeps its date and
says `stale`; an offer without any figure is "unknown" and not stale. `distance_km` is
given only with `near`, from the main location, rounded to 0.1 km; without coordinates it
is None.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from search.backend import SearchBackend
from search.query import MAX_PER_PAGE, Hit, SearchQuery
from tests.conftest import NOW
from tests.contract.fixture import (
    DEN_BOSCH,
    DEN_HAAG,
    DP,
    ROTTERDAM,
    ROTTERDAM_CENTRE,
    SCHIEDAM,
    SE,
    UTRECHT,
    YC,
    ago,
)

HORIZON = "Jeugdhulp Horizon"
BRUG = "Stichting Brug en Basis"

# Hits as seen from the centre of Rotterdam.
HIT_CASES: list[tuple[str, Hit]] = [
    (
        "stale since yesterday: unknown, but dated",
        Hit(7, "De Vlinder SO", SE, "Scholengroep De Vlinder", DEN_HAAG, "unknown", None, None,
            ago(60), True, 20.5),
    ),
    (
        "valid until exactly now: stale",
        Hit(16, "Horizon pleegzorg", YC, HORIZON, UTRECHT, "unknown", None, None, ago(31),
            True, 47.5),
    ),
    (
        "stale with open places and a short wait: none of it shown",
        Hit(25, "Onderwijsgericht dagprogramma Maasstad", DP, BRUG, ROTTERDAM, "unknown", None,
            None, ago(45), True, 3.7),
    ),
    (
        "no figure at all: unknown, not stale",
        Hit(6, "Zichtlijn SO", SE, "Stichting Zichtlijn", "GM0363", "unknown", None, None, None,
            False, 56.5),
    ),
    (
        "fresh without a treatment wait: no total wait",
        Hit(19, "Specialistische ggz voor jongeren", YC, HORIZON, UTRECHT, "waitlist", None,
            None, ago(9), False, 47.5),
    ),
    (
        "closed",
        Hit(8, "De Vlinder VSO", SE, "Scholengroep De Vlinder", DEN_HAAG, "closed", 0, None,
            ago(2), False, 20.5),
    ),
    (
        "assessment required",
        Hit(26, "Jeugdbescherming Hofstad", YC, "Stichting Hofstad Jeugd", DEN_HAAG,
            "assessment_required", None, 2, ago(5), False, 21.0),
    ),
    (
        "diacritics kept; a wait of 0 is known",
        Hit(9, "Dagbesteding Café de Regenboog", DP, "Café de Regenboog", ROTTERDAM, "open", 2,
            0, ago(1), False, 2.7),
    ),
    (
        "two locations: municipality and distance of the main (first) one",
        Hit(2, "De Kompasschool VSO", SE, "Stichting Kompasscholen", ROTTERDAM, "waitlist", 0,
            60, ago(10), False, 2.4),
    ),
    (
        "two fresh location figures: best status, summed places, shortest wait, newest date",
        Hit(29, "Horizon dagbehandeling autisme", YC, HORIZON, ROTTERDAM, "open", 2, 3, ago(4),
            False, 0.1),
    ),
    (
        "a stale and a fresh location figure: the fresh one stands",
        Hit(30, "Brug en Basis ambulant", YC, BRUG, SCHIEDAM, "waitlist", None, 15, ago(10),
            False, 6.8),
    ),
    (
        "a location without coordinates: no distance",
        Hit(14, "Crisisopvang Horizon", YC, HORIZON, ROTTERDAM, "open", 1, 0, ago(1), False,
            None),
    ),
    (
        "no location at all: no municipality, no distance",
        Hit(23, "Ontwikkelgericht dagprogramma", DP, BRUG, None, "waitlist", 0, 30, ago(20),
            False, None),
    ),
    (
        "'s-Hertogenbosch",
        Hit(17, "Jeugd-ggz Jong Brabant", YC, "GGZ Jong Brabant", DEN_BOSCH, "waitlist", 0, 22,
            ago(12), False, 62.1),
    ),
    (
        "far away: Groningen",
        Hit(20, "Noorderzorg dagbehandeling", YC, "Noorderzorg", "GM0014", "open", 5, 2, ago(2),
            False, 201.1),
    ),
]  # fmt: skip


def hits_by_id(backend: SearchBackend, query: SearchQuery) -> dict[int, Hit]:
    result = backend.search(replace(query, per_page=MAX_PER_PAGE), NOW)
    return {hit.id: hit for hit in result.items}


@pytest.mark.parametrize("expected", [pytest.param(hit, id=name) for name, hit in HIT_CASES])
def test_hits_show_the_headline_as_of_now(backend: SearchBackend, expected: Hit) -> None:
    hits = hits_by_id(backend, SearchQuery(near=ROTTERDAM_CENTRE))
    assert hits[expected.id] == expected


def test_hits_have_no_distance_without_near(backend: SearchBackend) -> None:
    hits = hits_by_id(backend, SearchQuery())
    expected = [replace(hit, distance_km=None) for _, hit in HIT_CASES]
    assert [hits[hit.id] for hit in expected] == expected
    assert all(hit.distance_km is None for hit in hits.values())
