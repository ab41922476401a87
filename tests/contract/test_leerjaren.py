"""Per leerjaar: the `leerjaar` filter and each leerjaar's own figure, the same on every
backend (the Rotterdam report asks for waits per school *and leerjaar*).

Four offers are added to the fixture catalogue for these cases only (built in a
transaction that is rolled back, loaded before each case and removed after it):
- 41 SO, groep 1-3: groep 1 open (2 places, no wait), groep 3 waits 80 weeks, groep 2
  has no figure at all;
- 42 VSO, leerjaar 1-6: an offer-wide wait of 30 weeks, leerjaar 1 waits 10, leerjaar 2
  is stale (it was open);
- 43 SBO, groep 3-4: groep 3 at two locations (40 weeks; open with 1 place and 6 weeks),
  groep 4 has the offer-wide 12 weeks;
- 44 a day programme that lists no leerjaren.
The fixture's own school places list no leerjaren, so they are found under every groep
(SO, SBO: 1-8) or leerjaar (VSO: 1-6) of their type, with their offer-wide figure; care
and day programmes are never found with a leerjaar.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from directory.enums import DayProgrammeType, SchoolType
from search.backend import SearchBackend
from search.documents import SearchDocument, build_documents
from search.query import MAX_PER_PAGE, Hit, LeerjaarHit, SearchQuery, Sort
from tests.conftest import NOW
from tests.contract.fixture import (
    DP,
    OPEN,
    SE,
    TODAY,
    WAITLIST,
    YC,
    Catalogue,
    ago,
    ahead,
    search_all,
)
from tests.factories import create_location, create_offer, create_organisation, create_report

EXTRA_IDS = (41, 42, 43, 44)
SE_ALL = [1, 2, 3, 4, 5, 6, 7, 8, 38, 39, 40]
SO_SBO = [1, 3, 4, 6, 7, 38, 40]


def _extra_documents(catalogue: Catalogue) -> list[SearchDocument]:
    with catalogue.session_factory() as session:
        school = create_organisation(session, id=20, name="Stichting De Lindeboom")
        north = create_location(session, school, id=2001, name="Lindeboom Noord", lat=51.95)
        south = create_location(session, school, id=2002, name="Lindeboom Zuid", lat=51.88)
        common = {"kind": SE, "min_age": 4, "max_age": 13}
        so = create_offer(
            session,
            school,
            [north],
            id=41,
            name="SO De Lindeboom",
            cluster=3,
            school_type=SchoolType.SO,
            leerjaren=[1, 2, 3],
            **common,
        )
        vso = create_offer(
            session,
            school,
            [north],
            id=42,
            name="VSO De Lindeboom",
            kind=SE,
            cluster=4,
            school_type=SchoolType.VSO,
            leerjaren=[1, 2, 3, 4, 5, 6],
            min_age=12,
            max_age=18,
        )
        sbo = create_offer(
            session,
            school,
            [north, south],
            id=43,
            name="SBO Het Anker",
            school_type=SchoolType.SBO,
            leerjaren=[3, 4],
            **common,
        )
        programme = create_offer(
            session,
            school,
            [south],
            id=44,
            name="Dagprogramma De Lindeboom",
            kind=DP,
            day_programme_type=DayProgrammeType.DAGBESTEDING,
            min_age=6,
            max_age=18,
        )
        for offer, leerjaar, location, status, places, wait, measured, valid in (
            (so, 1, None, OPEN, 2, 0, ago(1), ahead(20)),
            (so, 3, None, WAITLIST, 0, 80, ago(2), ahead(20)),
            (vso, None, None, WAITLIST, 0, 30, ago(6), ahead(20)),
            (vso, 1, None, WAITLIST, 0, 10, ago(4), ahead(20)),
            (vso, 2, None, OPEN, 3, 0, ago(40), ago(5)),
            (sbo, None, None, WAITLIST, 0, 12, ago(7), ahead(20)),
            (sbo, 3, north.id, WAITLIST, 0, 40, ago(8), ahead(20)),
            (sbo, 3, south.id, OPEN, 1, 6, ago(9), ahead(20)),
            (programme, None, None, OPEN, 4, 0, ago(1), ahead(20)),
        ):
            create_report(
                session, offer, now=NOW, measured_at=measured, valid_until=valid,
                status=status, open_places=places, intake_wait_weeks=wait,
                treatment_wait_weeks=0, leerjaar=leerjaar, location_id=location,
            )  # fmt: skip
        documents = build_documents(session, EXTRA_IDS, today=TODAY, now=NOW)
        session.rollback()
    return [documents[offer_id] for offer_id in EXTRA_IDS]


@pytest.fixture(scope="session")
def extra_documents(sqlite_catalogue_fts: Catalogue) -> list[SearchDocument]:
    return _extra_documents(sqlite_catalogue_fts)


@pytest.fixture
def with_leerjaren(
    backend: SearchBackend, extra_documents: list[SearchDocument]
) -> Iterator[SearchBackend]:
    """`backend` with the four offers above; the fixture catalogue alone again after."""
    backend.upsert(extra_documents)
    yield backend
    backend.delete(list(EXTRA_IDS))


LEERJAAR_CASES: list[tuple[str, SearchQuery, list[int]]] = [
    ("groep or leerjaar 3: every school place that takes it", SearchQuery(leerjaar=3),
     [*SE_ALL, 41, 42, 43]),
    ("groep 7: SO and SBO only (VSO has leerjaar 1-6)", SearchQuery(leerjaar=7), SO_SBO),
    ("care and day programmes are not organised by leerjaar",
     SearchQuery(leerjaar=3, kinds=(DP, YC)), []),
    ("groep 3 with places: 41 has none there, 43 at one location",
     SearchQuery(leerjaar=3, has_places=True), [3, 38, 43]),
    ("groep 1 with places: 41 is open there", SearchQuery(leerjaar=1, has_places=True),
     [3, 38, 41]),
    ("without a leerjaar, places in any of them count",
     SearchQuery(kinds=(SE,), has_places=True), [3, 38, 41, 43]),
    ("leerjaar 3 within 20 weeks: 42 falls back to its offer-wide 30",
     SearchQuery(leerjaar=3, max_wait_weeks=20), [3, 4, 5, 38, 43]),
    ("leerjaar 1 within 20 weeks: 42's own 10", SearchQuery(leerjaar=1, max_wait_weeks=20),
     [3, 4, 5, 38, 41, 42]),
    ("leerjaar 2: stale is unknown, not open", SearchQuery(leerjaar=2, has_places=True),
     [3, 38]),
    ("leerjaar 3 by wait: each its own; stale and unknown last",
     SearchQuery(leerjaar=3, sort=Sort.WAIT), [3, 38, 43, 4, 5, 42, 1, 39, 2, 41, 40, 6, 7, 8]),
    ("groep 1 by wait", SearchQuery(leerjaar=1, sort=Sort.WAIT),
     [3, 38, 41, 42, 4, 5, 1, 39, 2, 40, 6, 7, 8]),
    ("without a leerjaar by wait: the shortest of any leerjaar",
     SearchQuery(kinds=(SE,), sort=Sort.WAIT),
     [3, 38, 41, 43, 42, 4, 5, 1, 39, 2, 40, 6, 7, 8]),
    ("groep 1 by update: that leerjaar's measurement",
     SearchQuery(leerjaar=1, sort=Sort.UPDATED), [41, 8, 3, 38, 42, 4, 5, 1, 2, 39, 40, 7, 6]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [case[1:] for case in LEERJAAR_CASES],
    ids=[case[0] for case in LEERJAAR_CASES],
)
def test_leerjaar_filter_and_figures(
    with_leerjaren: SearchBackend, query: SearchQuery, expected: list[int]
) -> None:
    assert search_all(with_leerjaren, query) == expected


def test_the_status_facet_counts_the_leerjaar_asked_for(with_leerjaren: SearchBackend) -> None:
    facets = with_leerjaren.search(SearchQuery(leerjaar=3, per_page=1), NOW).facets
    assert facets["status"] == {"open": 3, "waitlist": 8, "closed": 1, "unknown": 2}


def _hit(backend: SearchBackend, offer_id: int, leerjaar: int | None = None) -> Hit:
    query = SearchQuery(kinds=(SE,), leerjaar=leerjaar, per_page=MAX_PER_PAGE)
    return next(hit for hit in backend.search(query, NOW).items if hit.id == offer_id)


def test_one_leerjaar_open_never_hides_another_waiting_80_weeks(
    with_leerjaren: SearchBackend,
) -> None:
    whole = _hit(with_leerjaren, 41)
    assert (whole.status, whole.open_places, whole.total_wait_weeks) == ("open", 2, 0)
    assert whole.by_leerjaar == (
        LeerjaarHit(1, "open", 2, 0, stale=False),
        LeerjaarHit(2, "unknown", None, None, stale=False),
        LeerjaarHit(3, "waitlist", 0, 80, stale=False),
    )
    groep_3 = _hit(with_leerjaren, 41, leerjaar=3)
    assert (groep_3.status, groep_3.open_places, groep_3.total_wait_weeks) == ("waitlist", 0, 80)
    assert (groep_3.measured_at, groep_3.by_leerjaar) == (ago(2), ())
    groep_1 = _hit(with_leerjaren, 41, leerjaar=1)
    assert (groep_1.status, groep_1.open_places, groep_1.total_wait_weeks) == ("open", 2, 0)


def test_a_stale_leerjaar_shows_as_unknown_with_its_date(with_leerjaren: SearchBackend) -> None:
    leerjaar_2 = _hit(with_leerjaren, 42, leerjaar=2)
    assert (leerjaar_2.status, leerjaar_2.open_places, leerjaar_2.total_wait_weeks) == (
        "unknown",
        None,
        None,
    )
    assert (leerjaar_2.stale, leerjaar_2.measured_at) == (True, ago(40))
    whole = _hit(with_leerjaren, 42)
    assert [
        (hit.leerjaar, hit.status, hit.total_wait_weeks, hit.stale) for hit in whole.by_leerjaar
    ] == [
        (1, "waitlist", 10, False),
        (2, "unknown", None, True),
        *((leerjaar, "waitlist", 30, False) for leerjaar in (3, 4, 5, 6)),
    ]


def test_the_same_figure_for_every_leerjaar_needs_no_breakdown(
    with_leerjaren: SearchBackend,
) -> None:
    assert _hit(with_leerjaren, 3).by_leerjaar == ()
    assert _hit(with_leerjaren, 3, leerjaar=5).total_wait_weeks == 0
