"""The watch rules, without a database: the case reference, which signals concern a
watch, which events hold, and that each episode is alerted once."""

from datetime import UTC, datetime

import pytest

from directory.catalogue.rules import Norm
from directory.watches.rules import (
    CategoryScope,
    Holding,
    MatchedOffer,
    OpenSignal,
    case_reference_problems,
    changes,
    coarse_near,
    holding_events,
    offer_episode_ends,
    passes_elfproef,
    personal_data_problems,
)

NORM = Norm(4, 10, "default")
OPENED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


# --- the case reference ---------------------------------------------------------------


@pytest.mark.parametrize(
    "reference",
    [
        "WT-2026-0142",
        "ZAAK-88123",
        "BT 17/331",
        "case#12",
        "ZAAK:2026.0042",
        "OC-12345678",  # 12-34-5678 and 1234-56-78 are no dates
        "WT 2026 0142",
        "JZ-123456",  # 12-34-56 is no date
        "V2026/17-3",
    ],
)
def test_case_numbers_are_accepted(reference: str) -> None:
    assert case_reference_problems(reference) == []


@pytest.mark.parametrize(
    ("reference", "says"),
    [
        ("111222333", "BSN"),  # passes the 11-proef
        ("123.456.782", "BSN"),  # grouped, passes the 11-proef
        ("dossier 123 456 782", "BSN"),
        ("123456789", "BSN"),  # fails the 11-proef, still 9 digits in a row
        ("WT-1234567890", "9 or more digits"),
        ("jan@example.nl", "e-mail"),
        ("0612345678", "phone"),
        ("06-1234 5678", "phone"),
        ("+31 6 12345678", "phone"),
        ("Jan de Vries", "digit"),  # a name: no case number
        ("WT-2026-0142-" + "x" * 40, "at most 40"),
        ("", "empty"),
        ("WT<script>1", "only letters"),
        ("WT 12-03-2015", "date"),  # a date of birth, d-m-y
        ("WT 1.3.15", "date"),
        ("12/03/2015", "date"),
        ("dossier 2015-03-12", "date"),  # y-m-d
        ("JdV 120315", "date"),  # ddmmyy
        ("20150312", "date"),  # yyyymmdd
        ("WT12032015", "date"),  # ddmmyyyy
    ],
)
def test_what_may_be_personal_data_is_refused(reference: str, says: str) -> None:
    problems = case_reference_problems(reference)
    assert problems, reference
    assert any(says in problem for problem in problems), problems


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("autisme 12-03-2015", "date"),
        ("jan@example.nl", "e-mail"),
        ("dyslexie 0612345678", "phone"),
        ("111222333", "BSN"),
    ],
)
def test_a_watchs_search_text_is_held_to_the_same_checks(text: str, says: str) -> None:
    problems = personal_data_problems(text)
    assert any(says in problem for problem in problems), problems


@pytest.mark.parametrize("text", ["autisme", "cluster 4 Rotterdam", "groep 7", "ADHD 8-12 jaar"])
def test_ordinary_search_text_is_accepted(text: str) -> None:
    assert personal_data_problems(text) == []


@pytest.mark.parametrize(
    ("near", "kept"),
    [
        ("3011 AB", "3011"),  # a postcode: its four digits (PC4)
        ("3011ab", "3011"),
        ("3011", "3011"),
        ("51.923456, 4.481234", "51.92,4.48"),  # coordinates to ~1 km
        ("Rotterdam", "Rotterdam"),  # a town is no address
    ],
)
def test_a_watch_keeps_no_more_of_near_than_it_needs(near: str, kept: str) -> None:
    assert coarse_near(near) == kept


def test_the_elfproef_of_a_bsn() -> None:
    assert passes_elfproef("111222333")
    assert passes_elfproef("123456782")
    assert not passes_elfproef("123456789")
    assert not passes_elfproef("000000000")
    assert not passes_elfproef("12345678")


# --- which signals concern a watch ----------------------------------------------------


def test_a_watch_with_a_category_hears_of_that_category_alone() -> None:
    scope = CategoryScope(category="ijw:45", kinds=("day_programme",))
    assert scope.covers("ijw:45")
    assert not scope.covers("ijw:41")
    assert not scope.covers("day_programme:dagbesteding")


@pytest.mark.parametrize(
    ("scope", "covered", "not_covered"),
    [
        (CategoryScope(), ["ijw:45", "education:sbo", "day_programme:bso_plus"], []),
        (CategoryScope(kinds=("youth_care",)), ["ijw:41"], ["education:sbo"]),
        (CategoryScope(ijw_categories=(45,)), ["ijw:45"], ["ijw:41", "day_programme:x"]),
        (
            CategoryScope(clusters=(3,)),
            ["education:cluster-3:so", "education:cluster-3:vso"],
            ["education:cluster-4:so", "education:sbo", "ijw:45"],
        ),
        (
            CategoryScope(kinds=("special_education", "day_programme")),
            ["education:sbo", "day_programme:dagbesteding"],
            ["ijw:45"],
        ),
    ],
)
def test_without_a_category_the_search_filters_decide(
    scope: CategoryScope, covered: list[str], not_covered: list[str]
) -> None:
    assert all(scope.covers(category) for category in covered)
    assert not any(scope.covers(category) for category in not_covered)


# --- which events hold ----------------------------------------------------------------


def offer(
    offer_id: int,
    status: str,
    places: int | None = None,
    wait: int | None = None,
    category: str | None = "ijw:45",
) -> MatchedOffer:
    return MatchedOffer(offer_id, f"Aanbod {offer_id}", category, status, places, wait)


def events(matches: list[MatchedOffer]) -> set[tuple[str, int]]:
    found = holding_events(
        matches, [], norm_for=lambda _category: NORM, scope=CategoryScope("ijw:45")
    )
    return {item.key for item in found}


def test_an_open_offer_with_places_is_a_place_that_opened() -> None:
    assert events([offer(1, "open", places=2)]) == {("place_opened", 1)}
    assert events([offer(1, "open", places=0)]) == set()
    assert events([offer(1, "waitlist", places=3)]) == set()  # places, but a list first
    assert events([offer(1, "unknown")]) == set()  # a stale figure says nothing


@pytest.mark.parametrize(
    ("status", "wait", "within"),
    [
        ("waitlist", 14, True),  # exactly the norm
        ("waitlist", 15, False),
        ("assessment_required", 6, True),
        ("closed", 2, False),  # closed to new registrations
        ("unknown", None, False),  # stale or missing
        ("waitlist", None, False),  # wait not published
    ],
)
def test_a_wait_within_the_norm_holds_only_for_a_known_fresh_wait(
    status: str, wait: int | None, within: bool
) -> None:
    assert (("wait_within_norm", 1) in events([offer(1, status, wait=wait)])) is within


def test_an_offer_without_a_category_has_no_norm_to_be_within() -> None:
    assert events([offer(1, "waitlist", wait=1, category=None)]) == set()


def test_an_open_signal_in_the_watchs_category_is_the_pgb_route() -> None:
    signals = [
        OpenSignal(7, "pgb_route", "ijw:45", OPENED),
        OpenSignal(8, "pgb_route", "ijw:41", OPENED),
    ]
    found = holding_events(
        [], signals, norm_for=lambda _category: NORM, scope=CategoryScope("ijw:45")
    )
    assert [item.key for item in found] == [("pgb_route", 7)]
    assert found[0].details["link"] == "/api/v1/signals/7"


# --- once per episode -----------------------------------------------------------------


def test_each_episode_is_raised_once_and_a_new_episode_again() -> None:
    first = [Holding("place_opened", 1), Holding("pgb_route", 7)]
    start = changes(set(), first)
    assert [item.key for item in start.raised] == [("place_opened", 1), ("pgb_route", 7)]
    running = {item.key for item in start.raised}

    again = changes(running, first)  # evaluated again, nothing changed
    assert (again.raised, again.ended) == ((), ())

    taken = {1: offer(1, "waitlist", places=0)}
    closed = changes(running, [Holding("pgb_route", 7)], offers=taken, norm_for=norm_for)
    assert closed.ended == (("place_opened", 1),)  # the place is taken
    running -= set(closed.ended)

    reopened = changes(running, first)
    assert [item.key for item in reopened.raised] == [("place_opened", 1)]


# --- when an offer's episode ends -----------------------------------------------------


def norm_for(_category: str) -> Norm:
    return NORM  # 14 weeks in all


@pytest.mark.parametrize(
    ("status", "places", "ends"),
    [
        ("open", 2, False),  # still holds
        ("open", 0, True),  # fresh: no open places
        ("waitlist", 3, True),  # fresh: a list first
        ("assessment_required", None, True),
        ("closed", None, True),
        ("unknown", None, False),  # stale or missing: says nothing
        ("open", None, False),  # open, places not given: says nothing
    ],
)
def test_a_place_episode_ends_only_on_a_fresh_figure_without_places(
    status: str, places: int | None, ends: bool
) -> None:
    assert offer_episode_ends("place_opened", offer(1, status, places=places), norm_for) is ends


@pytest.mark.parametrize(
    ("status", "wait", "category", "ends"),
    [
        ("waitlist", 14, "ijw:45", False),  # still within
        ("waitlist", 15, "ijw:45", True),  # fresh: over the norm
        ("open", 20, "ijw:45", True),
        ("closed", 2, "ijw:45", True),  # closed to new registrations
        ("unknown", None, "ijw:45", False),  # stale or missing: says nothing
        ("waitlist", None, "ijw:45", False),  # wait not given: says nothing
        ("waitlist", 30, None, False),  # no category, no norm to be over
    ],
)
def test_a_wait_episode_ends_only_on_a_fresh_wait_over_the_norm_or_a_closure(
    status: str, wait: int | None, category: str | None, ends: bool
) -> None:
    found = offer(1, status, wait=wait, category=category)
    assert offer_episode_ends("wait_within_norm", found, norm_for) is ends


@pytest.mark.parametrize("event", ["place_opened", "wait_within_norm"])
def test_an_offer_that_is_gone_ends_its_episode(event: str) -> None:
    assert offer_episode_ends(event, None, norm_for)


def test_a_stale_figure_or_leaving_the_first_results_does_not_end_an_episode() -> None:
    running = {("place_opened", 1), ("wait_within_norm", 1), ("place_opened", 2)}
    found = changes(
        running,
        [],  # neither offer is among the matches now
        offers={1: offer(1, "unknown"), 2: offer(2, "open", places=1, wait=1)},
        norm_for=norm_for,
    )
    assert (found.raised, found.ended) == ((), ())
    # Back with the same open place: nothing new to alert.
    back = changes(running, [Holding("place_opened", 1)], offers={}, norm_for=norm_for)
    assert (back.raised, back.ended) == ((), ())


def test_a_fresh_contradicting_figure_or_a_deleted_offer_ends_the_episode() -> None:
    running = {("place_opened", 1), ("wait_within_norm", 1), ("place_opened", 2)}
    found = changes(
        running,
        [],
        offers={1: offer(1, "waitlist", places=0, wait=30), 2: None},
        norm_for=norm_for,
    )
    assert found.ended == (("place_opened", 1), ("place_opened", 2), ("wait_within_norm", 1))


def test_an_offer_nothing_is_known_of_keeps_its_episode() -> None:
    found = changes({("place_opened", 1)}, [], offers={}, norm_for=norm_for)
    assert found.ended == ()
