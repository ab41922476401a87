"""The database index: the embedded engine (SQLite FTS5) and the substring fallback.

Filters, facets and sorts are one SQL code path for both text modes and run on SQLite and
PostgreSQL. Tests of the FTS5 text engine only exist for SQLite: they parametrize the
database to "sqlite" alone, so no PostgreSQL case is collected (nothing is skipped).
The backend contract suite (tests/contract) holds every backend to the shared semantics;
this file covers what is particular to this engine.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, ClassVar

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from directory.catalogue.models import Offer
from directory.enums import AvailabilityStatus, DayProgrammeType, OfferKind, SchoolType
from directory.geo import distance_km
from search import sqlfilters
from search.backend import Fingerprint, fingerprint
from search.documents import SearchDocument, build_documents, document_digest, index_checksum
from search.query import Point, SearchQuery, SearchResult, Sort
from search.sqlfilters import ensure_math_functions
from search.sqlindex import SqlIndex
from tests.factories import (
    create_contract,
    create_location,
    create_offer,
    create_organisation,
    create_report,
)

sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
postgresql_only = pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgresql)], indirect=True
)
ROTTERDAM = Point(51.9225, 4.47917)
UTRECHT = (52.0907, 5.1214)
GRONINGEN = (53.2194, 6.5665)


@pytest.fixture
def index(engine: Engine, session_factory: sessionmaker[Session]) -> SqlIndex:
    """The index as a deployment without Meilisearch has it: FTS5 on SQLite, substring
    matching on PostgreSQL."""
    mode = "fts" if engine.dialect.name == "sqlite" else "substring"
    return SqlIndex(session_factory, text_mode=mode)


@pytest.fixture
def substring(session_factory: sessionmaker[Session]) -> SqlIndex:
    return SqlIndex(session_factory, text_mode="substring")


def documents(session: Session, now: datetime, offers: Iterable[Offer]) -> list[SearchDocument]:
    built = build_documents(session, [offer.id for offer in offers], today=now.date(), now=now)
    return [built[offer_id] for offer_id in sorted(built)]


def index_offers(session: Session, index: SqlIndex, now: datetime, *offers: Offer) -> None:
    index.upsert(documents(session, now, offers))


def offer(session: Session, name: str, description: str = "", **fields: Any) -> Offer:
    location = fields.pop("location", None)
    if location is None and fields.pop("located", True):
        location = create_location(session, create_organisation(session))
    return create_offer(
        session,
        locations=[location] if location else [],
        name=name,
        description=description,
        **fields,
    )


def ids(result: SearchResult) -> list[int]:
    return [hit.id for hit in result.items]


def search(index: SqlIndex, now: datetime, q: str = "", **fields: Any) -> SearchResult:
    return index.search(SearchQuery(q=q, **fields), now)


# --- figures and freshness (both databases) -----------------------------------------------


def test_stale_figures_never_count_as_places(
    session: Session, index: SqlIndex, now: datetime
) -> None:
    fresh = offer(session, "Vers")
    stale = offer(session, "Verlopen")
    create_report(session, fresh, now=now, status=AvailabilityStatus.OPEN, open_places=2)
    create_report(
        session,
        stale,
        now=now - timedelta(days=60),
        status=AvailabilityStatus.OPEN,
        open_places=5,
    )
    index_offers(session, index, now, fresh, stale)

    assert ids(search(index, now, has_places=True)) == [fresh.id]
    assert ids(search(index, now, has_places=False)) == [stale.id]
    [hit] = search(index, now, has_places=False).items
    assert (hit.status, hit.open_places, hit.total_wait_weeks, hit.stale) == (
        "unknown",
        None,
        None,
        True,
    )
    assert search(index, now).facets["status"] == {"open": 1, "unknown": 1}


def test_a_figure_turns_unknown_at_valid_until_without_reindexing(
    session: Session, index: SqlIndex, now: datetime
) -> None:
    item = offer(session, "Bijna verlopen")
    create_report(
        session,
        item,
        now=now,
        status=AvailabilityStatus.OPEN,
        open_places=1,
        valid_until=now + timedelta(days=1),
    )
    index_offers(session, index, now, item)

    assert ids(search(index, now, has_places=True)) == [item.id]
    later = now + timedelta(days=1)
    assert ids(search(index, later, has_places=True)) == []
    assert search(index, later).items[0].status == "unknown"


def test_max_wait_passes_only_fresh_known_waits(
    session: Session, index: SqlIndex, now: datetime
) -> None:
    short = offer(session, "Kort")
    long = offer(session, "Lang")
    stale = offer(session, "Oud kort")
    unknown = offer(session, "Onbekend")
    no_figure = offer(session, "Zonder cijfer")
    create_report(session, short, now=now, intake_wait_weeks=2, treatment_wait_weeks=3)
    create_report(session, long, now=now, intake_wait_weeks=10, treatment_wait_weeks=30)
    create_report(
        session, stale, now=now - timedelta(days=60), intake_wait_weeks=0, treatment_wait_weeks=0
    )
    create_report(session, unknown, now=now, intake_wait_weeks=1)
    index_offers(session, index, now, short, long, stale, unknown, no_figure)

    assert ids(search(index, now, max_wait_weeks=5)) == [short.id]
    assert ids(search(index, now, max_wait_weeks=40)) == [short.id, long.id]


def test_sort_by_wait_puts_unknown_and_stale_waits_last_in_id_order(
    session: Session, index: SqlIndex, now: datetime
) -> None:
    no_figure = offer(session, "Zonder cijfer")
    stale = offer(session, "Oud")
    long = offer(session, "Lang")
    short = offer(session, "Kort")
    create_report(
        session, stale, now=now - timedelta(days=60), intake_wait_weeks=0, treatment_wait_weeks=0
    )
    create_report(session, long, now=now, intake_wait_weeks=20, treatment_wait_weeks=0)
    create_report(session, short, now=now, intake_wait_weeks=1, treatment_wait_weeks=1)
    index_offers(session, index, now, no_figure, stale, long, short)

    assert ids(search(index, now, sort=Sort.WAIT)) == [short.id, long.id, no_figure.id, stale.id]


def test_sort_by_updated_shows_the_newest_figure_first_and_offers_without_last(
    session: Session, index: SqlIndex, now: datetime
) -> None:
    without = offer(session, "Zonder cijfer")
    older = offer(session, "Ouder")
    newer = offer(session, "Nieuwer")
    create_report(session, older, now=now, measured_at=now - timedelta(days=3))
    create_report(session, newer, now=now, measured_at=now - timedelta(days=1))
    index_offers(session, index, now, without, older, newer)

    assert ids(search(index, now, sort=Sort.UPDATED)) == [newer.id, older.id, without.id]


# --- filters and facets (both databases) --------------------------------------------------


def test_facets_count_the_filtered_result_with_explicit_none_buckets(
    session: Session, index: SqlIndex, now: datetime
) -> None:
    school = offer(
        session,
        "School",
        kind=OfferKind.SPECIAL_EDUCATION,
        school_type=SchoolType.SO,
        cluster=4,
    )
    sbo = offer(session, "SBO", kind=OfferKind.SPECIAL_EDUCATION, school_type=SchoolType.SBO)
    care = offer(session, "Zorg", located=False, ijw_category=45, accepts_pgb=True)
    create_report(session, school, now=now, status=AvailabilityStatus.WAITLIST)
    index_offers(session, index, now, school, sbo, care)

    result = search(index, now)
    assert result.total == 3
    assert result.facets == {
        "kind": {"special_education": 2, "youth_care": 1},
        "cluster": {"4": 1, "none": 2},
        "ijw_category": {"45": 1, "none": 2},
        "municipality": {"GM0599": 2, "none": 1},
        "status": {"waitlist": 1, "unknown": 2},
    }
    filtered = search(index, now, accepts_pgb=False)
    assert filtered.total == 2
    assert filtered.facets["ijw_category"] == {"none": 2}


def test_municipality_matches_any_location_and_its_facet_counts_every_one(
    session: Session, index: SqlIndex, now: datetime
) -> None:
    organisation = create_organisation(session)
    rotterdam = create_location(session, organisation, municipality_code="GM0599")
    utrecht = create_location(session, organisation, city="Utrecht", municipality_code="GM0344")
    both = create_offer(session, organisation, locations=[rotterdam, utrecht])
    only_utrecht = create_offer(session, organisation, locations=[utrecht])
    index_offers(session, index, now, both, only_utrecht)

    result = search(index, now, municipality="GM0344")
    assert ids(result) == [both.id, only_utrecht.id]
    # Choosing a bucket gives exactly its count.
    assert result.facets["municipality"] == {"GM0599": 1, "GM0344": 2}
    assert ids(search(index, now, municipality="GM0599")) == [both.id]
    assert [hit.municipality for hit in result.items] == ["GM0599", "GM0344"]  # the main one


def test_contracted_by_keeps_offers_a_municipality_bought(
    session: Session, index: SqlIndex, now: datetime
) -> None:
    bought = offer(session, "Gecontracteerd")
    not_bought = offer(session, "Niet gecontracteerd")
    create_contract(session, bought, "GM0599")
    create_contract(session, not_bought, "GM0344")
    index_offers(session, index, now, bought, not_bought)

    assert ids(search(index, now, contracted_by="GM0599")) == [bought.id]
    assert ids(search(index, now, contracted_by="GM0363")) == []


def test_an_age_passes_open_ended_age_ranges(
    session: Session, index: SqlIndex, now: datetime
) -> None:
    young = offer(session, "Jong", min_age=4, max_age=12)
    from_twelve = offer(session, "Vanaf twaalf", min_age=12)
    any_age = offer(session, "Alle leeftijden")
    index_offers(session, index, now, young, from_twelve, any_age)

    assert ids(search(index, now, age=12)) == [young.id, from_twelve.id, any_age.id]
    assert ids(search(index, now, age=13)) == [from_twelve.id, any_age.id]
    assert ids(search(index, now, age=3)) == [any_age.id]


def test_distance_sorts_and_filters_and_offers_without_coordinates_come_last(
    session: Session, index: SqlIndex, now: datetime
) -> None:
    organisation = create_organisation(session)
    places = {
        "near": create_location(session, organisation, lat=51.93, lon=4.48),
        "utrecht": create_location(session, organisation, lat=UTRECHT[0], lon=UTRECHT[1]),
        "groningen": create_location(session, organisation, lat=GRONINGEN[0], lon=GRONINGEN[1]),
        "nowhere": create_location(session, organisation),
    }
    offers = {
        name: create_offer(session, organisation, locations=[location])
        for name, location in places.items()
    }
    index_offers(session, index, now, *offers.values())

    by_distance = search(index, now, near=ROTTERDAM, sort=Sort.DISTANCE)
    assert ids(by_distance) == [offers[name].id for name in places]
    distances = [hit.distance_km for hit in by_distance.items]
    assert distances[0] == round(distance_km(ROTTERDAM.lat, ROTTERDAM.lon, 51.93, 4.48), 1)
    assert distances[1] == round(distance_km(ROTTERDAM.lat, ROTTERDAM.lon, *UTRECHT), 1)
    assert distances[-1] is None
    within = search(index, now, near=ROTTERDAM, radius_km=60)
    assert ids(within) == [offers["near"].id, offers["utrecht"].id]
    assert within.total == 2
    assert search(index, now).items[0].distance_km is None  # no point, no distance


@sqlite_only
def test_a_radius_finds_the_same_offers_by_scanning_as_through_the_index(
    session: Session, index: SqlIndex, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    organisation = create_organisation(session)
    spots = [(51.93, 4.48), (51.95, 4.30), (51.80, 4.47), (52.05, 4.60), UTRECHT, GRONINGEN]
    offers = [
        create_offer(
            session,
            organisation,
            locations=[create_location(session, organisation, lat=lat, lon=lon)],
        )
        for lat, lon in spots
    ]
    index_offers(session, index, now, *offers)
    query = SearchQuery(near=ROTTERDAM, radius_km=15, sort=Sort.DISTANCE)

    answers = []
    for share, wide in ((1.0, False), (0.0, True)):  # never / always wide enough to scan
        monkeypatch.setattr(sqlfilters, "WIDE_BAND", share)
        assert sqlfilters.box_is_wide(session.connection(), query) is wide
        answers.append(index.search(query, now))
    assert answers[0] == answers[1]
    assert ids(answers[0]) == [offer.id for offer in offers[:3]]  # the fourth is 16 km away


class SqliteWithoutMath(sqlite3.Connection):
    """A SQLite built without its math functions (they are optional)."""

    registered: ClassVar[list[str]] = []

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if sql.startswith("SELECT sin("):
            raise sqlite3.OperationalError("no such function: sin")
        return super().execute(sql, *args)

    def create_function(self, name: str, *args: Any, **kwargs: Any) -> None:
        self.registered.append(name)
        super().create_function(name, *args, **kwargs)


def test_distance_works_where_sqlite_lacks_math_functions() -> None:
    engine = create_engine("sqlite://", connect_args={"factory": SqliteWithoutMath})
    with engine.connect() as connection:
        ensure_math_functions(connection)
        ensure_math_functions(connection)  # once per connection
        values = connection.exec_driver_sql("SELECT sin(0.0), sqrt(4.0), asin(NULL)").one()
    engine.dispose()
    math = {"asin", "cos", "sin", "sqrt"}  # SQLAlchemy registers a few of its own
    assert sorted(name for name in SqliteWithoutMath.registered if name in math) == sorted(math)
    assert tuple(values) == (0.0, 2.0, None)


def test_pages_never_repeat_or_skip(session: Session, index: SqlIndex, now: datetime) -> None:
    offers = [offer(session, f"Plek {number}") for number in range(7)]
    for item in offers[:4]:
        create_report(session, item, now=now, intake_wait_weeks=3, treatment_wait_weeks=3)
    index_offers(session, index, now, *offers)

    for sort in Sort:
        pages = [
            search(index, now, sort=sort, near=ROTTERDAM, page=page, per_page=3)
            for page in (1, 2, 3)
        ]
        seen = [offer_id for page in pages for offer_id in ids(page)]
        assert sorted(seen) == sorted(item.id for item in offers), sort
        assert all(page.total == 7 for page in pages)
    beyond = search(index, now, page=4, per_page=3)
    assert (beyond.items, beyond.total, beyond.page) == ([], 7, 4)


def test_an_impossible_page_is_refused(index: SqlIndex, now: datetime) -> None:
    with pytest.raises(ValueError, match="per_page"):
        search(index, now, per_page=101)
    with pytest.raises(ValueError, match="page"):
        search(index, now, page=0)


# --- writing (both databases) -------------------------------------------------------------


def test_upsert_replaces_a_document_with_its_text_and_values(
    session: Session, index: SqlIndex, now: datetime
) -> None:
    item = offer(session, "Logeerhuis De Linde")
    create_contract(session, item, "GM0599")
    index_offers(session, index, now, item)
    [document] = documents(session, now, [item])

    index.upsert(
        [
            replace(
                document, name="Kamphuis De Eik", text="Kamphuis De Eik", contracted_by=("GM0344",)
            )
        ]
    )

    assert ids(search(index, now, "eik")) == [item.id]
    assert ids(search(index, now, "linde")) == []
    assert ids(search(index, now, contracted_by="GM0344")) == [item.id]
    assert ids(search(index, now, contracted_by="GM0599")) == []
    assert search(index, now).total == 1


def test_delete_removes_documents_and_ignores_unknown_ids(
    session: Session, index: SqlIndex, now: datetime
) -> None:
    kept, removed = offer(session, "Blijft"), offer(session, "Verdwijnt")
    index_offers(session, index, now, kept, removed)

    index.delete([removed.id, 999_999])

    assert ids(search(index, now)) == [kept.id]
    assert ids(search(index, now, "verdwijnt")) == []


def test_fingerprint_is_the_count_and_checksum_of_the_stored_documents(
    session: Session, index: SqlIndex, now: datetime
) -> None:
    assert fingerprint(index) == Fingerprint(0, index_checksum([]))
    stored = documents(session, now, [offer(session, "Een"), offer(session, "Twee")])
    index.upsert(stored)

    expected = index_checksum((document.id, document_digest(document)) for document in stored)
    assert fingerprint(index) == Fingerprint(2, expected)


def test_rebuild_replaces_the_whole_index_and_reports_progress(
    session: Session, index: SqlIndex, now: datetime
) -> None:
    old = offer(session, "Oude inhoud")
    index_offers(session, index, now, old)
    new = documents(session, now, [offer(session, f"Nieuw {n}") for n in range(5)])
    progress: list[int] = []

    index.rebuild([new[:3], new[3:]], progress.append)

    assert progress == [3, 2]
    assert ids(search(index, now)) == [document.id for document in new]
    assert ids(search(index, now, "oude")) == []
    assert fingerprint(index).count == 5


# --- substring matching (both databases) --------------------------------------------------


def test_substring_matching_ignores_case_and_diacritics(
    session: Session, substring: SqlIndex, now: datetime
) -> None:
    cafe = offer(session, "Café 't Hoekje", "Dagbesteding in 's-Hertogenbosch")
    other = offer(session, "Zorgboerderij")
    index_offers(session, substring, now, cafe, other)

    assert substring.name == "database"
    assert ids(search(substring, now, "CAFE")) == [cafe.id]
    assert ids(search(substring, now, "hertogenbosch")) == [cafe.id]
    assert ids(search(substring, now, "boerderij")) == [other.id]  # inside a word


def test_substring_matching_needs_every_word_and_ranks_by_id(
    session: Session, substring: SqlIndex, now: datetime
) -> None:
    first = offer(session, "Dagbesteding Noord")
    second = offer(session, "Dagbesteding Zuid")
    index_offers(session, substring, now, first, second)

    assert ids(search(substring, now, "dagbesteding")) == [first.id, second.id]
    assert ids(search(substring, now, "dagbesteding zuid")) == [second.id]
    assert ids(search(substring, now, "autsime")) == []  # no typo tolerance


@postgresql_only
def test_the_fts_engine_needs_sqlite(session_factory: sessionmaker[Session]) -> None:
    with pytest.raises(ValueError, match="needs SQLite"):
        SqlIndex(session_factory, text_mode="fts")


# --- the embedded engine: SQLite FTS5 ------------------------------------------------------


@sqlite_only
def test_the_embedded_engine_is_named_embedded(index: SqlIndex) -> None:
    assert (index.name, index.text_mode) == ("embedded", "fts")


@sqlite_only
def test_a_typo_in_a_long_word_still_finds_the_offer(
    session: Session, index: SqlIndex, now: datetime
) -> None:
    autism = offer(session, "Ambulante hulp bij autisme")
    day = offer(session, "Dagbesteding De Hoeve")
    index_offers(session, index, now, autism, day)

    assert ids(search(index, now, "autsime")) == [autism.id]
    assert ids(search(index, now, "dgabestedign hoeve")) == [day.id]  # two typos from 9


@sqlite_only
def test_short_words_and_first_letters_must_be_exact(
    session: Session, index: SqlIndex, now: datetime
) -> None:
    item = offer(session, "Zorg voor autisme", "TOS-groep")
    index_offers(session, index, now, item)

    assert ids(search(index, now, "zorh ")) == []  # four letters: no typo allowed
    assert ids(search(index, now, "tso ")) == []
    assert ids(search(index, now, "butisme")) == []  # the first letter is never a typo
    assert ids(search(index, now, "atsime")) == []  # two typos in six letters


@sqlite_only
def test_the_last_word_is_a_prefix_while_the_user_types(
    session: Session, index: SqlIndex, now: datetime
) -> None:
    item = offer(session, "Dagbesteding Het Erf")
    index_offers(session, index, now, item)

    assert ids(search(index, now, "dagbest")) == [item.id]
    assert ids(search(index, now, "dagbsted")) == [item.id]  # a typo in the prefix
    assert ids(search(index, now, "dagbest ")) == []  # a finished word is whole
    assert ids(search(index, now, "dagb erf")) == []  # only the last word


@sqlite_only
def test_diacritics_and_case_never_matter(session: Session, index: SqlIndex, now: datetime) -> None:
    item = offer(session, "CAFÉ Crème", "In 's-Hertogenbosch")
    index_offers(session, index, now, item)

    for q in ("cafe creme", "Café crème", "S-HERTOGENBOSCH", "hertogenbosch"):
        assert ids(search(index, now, q)) == [item.id], q


@sqlite_only
@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("tos", "Behandeling voor kinderen met een taalontwikkelingsstoornis"),
        ("taalontwikkelingsstoornis", "Groep voor kinderen met TOS"),
        ("ggz", "Specialistische jeugd-GGZ"),
        ("geestelijke gezondheidszorg", "Kinder-GGZ in de wijk"),
        ("autisme", "Training voor jongeren met ASS"),
        ("licht verstandelijke beperking", "Begeleiding bij LVB"),
        ("zml", "Onderwijs voor zeer moeilijk lerende leerlingen"),
        ("bso+", "Buitenschoolse opvang plus met begeleiding"),
        ("dagactiviteiten", "Dagbesteding op een boerderij"),
    ],
)
def test_synonyms_find_each_other(
    session: Session, index: SqlIndex, now: datetime, query: str, text: str
) -> None:
    item = offer(session, "Aanbod", text)
    other = offer(session, "Iets anders", "Ambulante hulp")
    index_offers(session, index, now, item, other)

    assert ids(search(index, now, query + " ")) == [item.id]


@sqlite_only
def test_stop_words_are_ignored(session: Session, index: SqlIndex, now: datetime) -> None:
    item = offer(session, "Dagbesteding Rotterdam")
    index_offers(session, index, now, item)

    assert ids(search(index, now, "dagbesteding in de buurt van rotterdam")) == []  # "buurt"
    assert ids(search(index, now, "dagbesteding in de rotterdam")) == [item.id]
    assert search(index, now, "de het een").total == 1  # only stop words: no text filter


@sqlite_only
def test_every_word_must_match(session: Session, index: SqlIndex, now: datetime) -> None:
    farm = offer(session, "Zorgboerderij De Hoeve", "Dagbesteding voor jongeren")
    school = offer(session, "School De Hoeve")
    index_offers(session, index, now, farm, school)

    assert sorted(ids(search(index, now, "hoeve"))) == [farm.id, school.id]
    assert ids(search(index, now, "dagbesteding hoeve")) == [farm.id]


@sqlite_only
def test_a_part_of_a_compound_finds_the_compound(
    session: Session, index: SqlIndex, now: datetime
) -> None:
    farm = offer(
        session,
        "Zorgboerderij De Hoeve",
        kind=OfferKind.DAY_PROGRAMME,
        day_programme_type=DayProgrammeType.DAGBESTEDING,
    )
    other = offer(session, "Jeugdhulp thuis")
    index_offers(session, index, now, farm, other)

    assert ids(search(index, now, "dagbesteding boerderij")) == [farm.id]
    assert ids(search(index, now, "hulp ")) == [other.id]


@sqlite_only
def test_a_match_in_the_name_ranks_above_one_in_the_description(
    session: Session, index: SqlIndex, now: datetime
) -> None:
    mentions = offer(session, "Ambulante begeleiding", "Ook voor kinderen met autisme en angst")
    named = offer(session, "Autisme-team", "Ambulante begeleiding thuis en op school")
    index_offers(session, index, now, mentions, named)

    assert ids(search(index, now, "autisme")) == [named.id, mentions.id]
    # Other sorts keep the text filter but not the text order.
    assert ids(search(index, now, "autisme", sort=Sort.UPDATED)) == [mentions.id, named.id]


@sqlite_only
def test_offers_whose_name_matches_the_whole_query_come_first_in_id_order(
    session: Session, index: SqlIndex, now: datetime
) -> None:
    repeats = offer(session, "Ambulante begeleiding", "Autisme. Autisme en angst. Autisme.")
    long_name = offer(session, "Begeleiding thuis, op school en in de wijk bij autisme en angst")
    half = offer(session, "Autisme-team", "Ook bij angst")
    short_name = offer(session, "Autisme en angst")
    index_offers(session, index, now, repeats, long_name, half, short_name)

    # Neither how often a word occurs nor how long the text is changes the order.
    assert ids(search(index, now, "autisme angst")) == [
        long_name.id,
        short_name.id,
        repeats.id,
        half.id,
    ]


@sqlite_only
@pytest.mark.parametrize(
    "filters", [{}, {"kinds": (OfferKind.YOUTH_CARE,)}], ids=["text", "filtered"]
)
def test_relevance_pages_run_through_the_names_then_the_rest(
    session: Session, index: SqlIndex, now: datetime, filters: dict[str, Any]
) -> None:
    mentioned = [offer(session, f"Plek {number}", "Ook bij autisme") for number in range(3)]
    named = [offer(session, f"Autisme {number}") for number in range(2)]
    school = offer(
        session, "Autisme op school", kind=OfferKind.SPECIAL_EDUCATION, school_type=SchoolType.SBO
    )
    index_offers(session, index, now, *mentioned, *named, school)
    expected = [*named, *mentioned] if filters else [*named, school, *mentioned]

    pages = [search(index, now, "autisme", page=page, per_page=2, **filters) for page in (1, 2, 3)]

    assert [offer_id for page in pages for offer_id in ids(page)] == [o.id for o in expected]
    assert {page.total for page in pages} == {len(expected)}


@sqlite_only
def test_equal_relevance_is_ordered_by_id(session: Session, index: SqlIndex, now: datetime) -> None:
    offers = [offer(session, "Logeeropvang", "Weekend") for _ in range(4)]
    index_offers(session, index, now, *offers)

    result = search(index, now, "logeeropvang", per_page=2, page=2)
    assert ids(result) == [offers[2].id, offers[3].id]


@sqlite_only
def test_typos_reach_words_indexed_after_the_first_search(
    session: Session, index: SqlIndex, now: datetime
) -> None:
    first = offer(session, "Ambulante hulp bij autisme")
    index_offers(session, index, now, first)
    assert ids(search(index, now, "epilepsei")) == []

    later = offer(session, "School voor kinderen met epilepsie")
    index_offers(session, index, now, later)
    assert ids(search(index, now, "epilepsei")) == [later.id]

    index.delete([later.id])
    assert ids(search(index, now, "epilepsei")) == []


@sqlite_only
def test_typos_reach_words_another_process_indexed(
    session: Session, session_factory: sessionmaker[Session], index: SqlIndex, now: datetime
) -> None:
    writer = SqlIndex(session_factory, text_mode="fts")  # the relay, elsewhere
    index_offers(session, writer, now, offer(session, "Ambulante hulp bij autisme"))
    assert ids(search(index, now, "epilepsei")) == []

    later = offer(session, "School voor kinderen met epilepsie")
    index_offers(session, writer, now, later)
    assert ids(search(index, now, "epilepsei")) == [later.id]


@sqlite_only
def test_text_filters_and_facets_combine(session: Session, index: SqlIndex, now: datetime) -> None:
    rotterdam = offer(session, "Dagbesteding Noord", min_age=12, max_age=18)
    utrecht = offer(
        session,
        "Dagbesteding Utrecht",
        location=create_location(
            session, create_organisation(session), city="Utrecht", municipality_code="GM0344"
        ),
    )
    young = offer(session, "Dagbesteding Jong", min_age=4, max_age=8)
    create_report(session, rotterdam, now=now, status=AvailabilityStatus.OPEN, open_places=3)
    index_offers(session, index, now, rotterdam, utrecht, young)

    result = search(index, now, "dagbest", age=14, sort=Sort.WAIT)
    assert ids(result) == [rotterdam.id, utrecht.id]
    assert result.facets["municipality"] == {"GM0599": 1, "GM0344": 1}
    assert result.facets["status"] == {"open": 1, "unknown": 1}
