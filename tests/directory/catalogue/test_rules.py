from datetime import UTC, datetime, timedelta

import pytest

from directory.catalogue.rules import (
    Figures,
    Norm,
    NormRow,
    ScopedFigures,
    availability_scope,
    available_within_norm,
    category_key,
    headline,
    is_fresh,
    leerjaar_headline,
    netto_waiting_list,
    resolve_norm,
    supersedes,
    taught_leerjaren,
    total_wait_weeks,
)
from directory.config import Settings
from directory.enums import AvailabilityStatus, OfferKind, SchoolType

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
DEFAULT = Norm(4, 10, "default")


def figures(
    status: AvailabilityStatus = AvailabilityStatus.WAITLIST,
    open_places: int | None = 0,
    intake: int | None = 4,
    treatment: int | None = 6,
    valid_for: timedelta = timedelta(days=10),
) -> Figures:
    return Figures(status, open_places, intake, treatment, NOW + valid_for)


def test_a_figure_is_fresh_until_its_valid_until() -> None:
    assert is_fresh(NOW + timedelta(seconds=1), NOW)
    assert not is_fresh(NOW, NOW)
    assert not is_fresh(NOW - timedelta(days=1), NOW)


def test_stale_availability_counts_as_unknown_even_with_open_places() -> None:
    stale = figures(AvailabilityStatus.OPEN, open_places=5, valid_for=-timedelta(days=1))
    assert not available_within_norm(stale, DEFAULT, NOW)


def test_total_wait_is_intake_plus_treatment_and_unknown_when_a_part_is_missing() -> None:
    assert total_wait_weeks(4, 10) == 14
    assert total_wait_weeks(0, 0) == 0
    assert total_wait_weeks(None, 10) is None
    assert total_wait_weeks(4, None) is None


def test_netto_list_excludes_children_with_bridging_care() -> None:
    assert netto_waiting_list(30, 12) == 18
    assert netto_waiting_list(30, None) is None
    assert netto_waiting_list(None, 3) is None


def test_each_location_and_leerjaar_has_its_own_current_figure() -> None:
    assert availability_scope(None, None) == "offer"
    assert availability_scope(12, None) == "location:12"
    assert availability_scope(None, 3) == "leerjaar:3"
    assert availability_scope(12, 3) == "location:12/leerjaar:3"


def test_a_late_report_measured_earlier_does_not_replace_the_current_one() -> None:
    assert supersedes(NOW, None)
    assert supersedes(NOW, NOW - timedelta(days=1))
    assert not supersedes(NOW - timedelta(days=1), NOW)


def test_a_second_report_with_the_same_measurement_time_is_a_correction() -> None:
    assert supersedes(NOW, NOW)


def test_category_keys_name_the_unit_that_contracts_and_norms_use() -> None:
    assert category_key(OfferKind.YOUTH_CARE, ijw_category=45) == "ijw:45"
    assert (
        category_key(OfferKind.DAY_PROGRAMME, day_programme_type="dagbesteding")
        == "day_programme:dagbesteding"
    )
    assert (
        category_key(OfferKind.SPECIAL_EDUCATION, cluster=4, school_type="vso")
        == "education:cluster-4:vso"
    )
    assert category_key(OfferKind.SPECIAL_EDUCATION, school_type="sbo") == "education:sbo"
    with pytest.raises(ValueError, match="iJw"):
        category_key(OfferKind.YOUTH_CARE)


NORMS = [
    NormRow("ijw:45", "GM0599", None, 2, 6),
    NormRow("ijw:45", None, "JZ31", 4, 8),
    NormRow("ijw:45", None, None, 3, 9),
    NormRow("ijw:41", None, "JZ31", 1, 1),
]


@pytest.mark.parametrize(
    ("category", "municipality", "region", "expected"),
    [
        ("ijw:45", "GM0599", "JZ31", Norm(2, 6, "municipality:GM0599")),
        ("ijw:45", "GM0606", "JZ31", Norm(4, 8, "jeugdregio:JZ31")),
        ("ijw:45", "GM0344", "JZ15", Norm(3, 9, "national:ijw:45")),
        ("ijw:41", "GM0344", "JZ15", DEFAULT),
        ("ijw:52", "GM0599", "JZ31", DEFAULT),
        ("ijw:41", "GM0599", None, DEFAULT),
    ],
)
def test_norm_is_the_municipalitys_then_the_jeugdregios_then_the_national_one(
    category: str, municipality: str, region: str | None, expected: Norm
) -> None:
    assert resolve_norm(category, municipality, region, NORMS, DEFAULT) == expected


def test_the_default_norm_is_the_treeknorm_of_four_plus_ten_weeks() -> None:
    norm = Settings(_env_file=None).default_norm
    assert (norm.intake_weeks, norm.treatment_weeks, norm.total_weeks) == (4, 10, 14)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (None, False),
        (figures(AvailabilityStatus.OPEN, open_places=2, intake=None, treatment=None), True),
        (figures(AvailabilityStatus.WAITLIST, intake=4, treatment=10), True),
        (figures(AvailabilityStatus.WAITLIST, intake=5, treatment=10), False),
        (figures(AvailabilityStatus.WAITLIST, intake=None, treatment=2), False),
        (figures(AvailabilityStatus.ASSESSMENT_REQUIRED, intake=2, treatment=2), True),
        (figures(AvailabilityStatus.WAITLIST, open_places=2, intake=20, treatment=2), False),
        (figures(AvailabilityStatus.CLOSED, open_places=3, intake=0, treatment=0), False),
        (figures(AvailabilityStatus.OPEN, open_places=2, valid_for=-timedelta(hours=1)), False),
        (
            figures(AvailabilityStatus.WAITLIST, intake=1, treatment=1, valid_for=timedelta(0)),
            False,
        ),
    ],
    ids=[
        "no figure",
        "open places",
        "wait equal to norm",
        "wait over norm",
        "wait unknown",
        "assessment within norm",
        "places but a long list",
        "closed",
        "stale with places",
        "expires now",
    ],
)
def test_available_within_norm(case: Figures | None, expected: bool) -> None:
    assert available_within_norm(case, DEFAULT, NOW) is expected


def scoped(
    scope: str,
    status: AvailabilityStatus,
    places: int | None,
    wait: int | None,
    days_valid: float = 10,
    days_old: float = 1,
) -> ScopedFigures:
    return ScopedFigures(
        scope,
        status,
        places,
        wait,
        0 if wait is not None else None,
        NOW - timedelta(days=days_old),
        NOW + timedelta(days=days_valid),
    )


def test_the_offer_wide_figure_is_the_headline() -> None:
    figures = [
        scoped("location:1", AvailabilityStatus.OPEN, 3, 0),
        scoped("offer", AvailabilityStatus.WAITLIST, 0, 30),
    ]
    result = headline(figures, NOW)
    assert result is not None
    assert (result.status, result.open_places, result.total_wait_weeks) == (
        AvailabilityStatus.WAITLIST,
        0,
        30,
    )


def test_without_an_offer_wide_figure_the_fresh_parts_are_combined() -> None:
    figures = [
        scoped("location:1", AvailabilityStatus.WAITLIST, 0, 40, days_old=2),
        scoped("location:2", AvailabilityStatus.OPEN, 2, 6, days_old=5),
        scoped("leerjaar:3", AvailabilityStatus.OPEN, 1, 9, days_valid=-1),  # stale: left out
    ]
    result = headline(figures, NOW)
    assert result is not None
    assert (result.status, result.open_places, result.total_wait_weeks) == (
        AvailabilityStatus.OPEN,
        2,
        6,
    )
    assert result.measured_at == NOW - timedelta(days=2)


def test_when_every_part_is_stale_the_newest_stands_and_shows_as_stale() -> None:
    figures = [
        scoped("location:1", AvailabilityStatus.OPEN, 4, 0, days_valid=-3, days_old=40),
        scoped("location:2", AvailabilityStatus.WAITLIST, 0, 20, days_valid=-1, days_old=32),
    ]
    result = headline(figures, NOW)
    assert result is not None
    assert result.total_wait_weeks == 20
    assert not is_fresh(result.valid_until, NOW)
    assert headline([], NOW) is None


# --- per leerjaar (the Rotterdam report: waits per school *and leerjaar*) ---------------

OPEN, WAITLIST = AvailabilityStatus.OPEN, AvailabilityStatus.WAITLIST
LJ1_OPEN = scoped("leerjaar:1", OPEN, 2, 0)
LJ3_LONG = scoped("leerjaar:3", WAITLIST, 0, 80)
# (what the row shows, figures, leerjaren taught or None, leerjaar asked or None,
#  expected (status, open places, total wait) or None, leerjaren in `by_leerjaar`)
LEERJAAR_CASES: list[
    tuple[
        str,
        list[ScopedFigures],
        tuple[int, ...] | None,
        int | None,
        tuple[AvailabilityStatus, int | None, int | None] | None,
        list[int | None],
    ]
] = [
    # Without a leerjaar: the best part, and every leerjaar's own figure when they differ.
    ("one open, one long: best part, varies", [LJ1_OPEN, LJ3_LONG], (1, 3), None,
     (OPEN, 2, 0), [1, 3]),
    ("a taught leerjaar without any figure is unknown: it varies too", [LJ1_OPEN], (1, 2),
     None, (OPEN, 2, 0), [1, 2]),
    ("the same figure for each leerjaar: no breakdown",
     [scoped("leerjaar:1", WAITLIST, 0, 20), scoped("leerjaar:2", WAITLIST, 0, 20)], (1, 2),
     None, (WAITLIST, 0, 20), []),
    ("offer-wide figure for the leerjaren without their own; its places counted once",
     [scoped("offer", OPEN, 3, 58), scoped("leerjaar:1", WAITLIST, 0, 62)], (1, 2, 3), None,
     (OPEN, 3, 58), [1, 2, 3]),
    ("a stale leerjaar is left out of the best, but shows as unknown",
     [LJ1_OPEN, scoped("leerjaar:3", WAITLIST, 0, 10, days_valid=-1)], (1, 3), None,
     (OPEN, 2, 0), [1, 3]),
    ("taught leerjaren unknown (signals): own figures, then the others",
     [scoped("offer", OPEN, 1, 0), LJ3_LONG], None, None, (OPEN, 1, 0), [3, None]),
    ("no leerjaar figure at all: the offer-wide figure, no breakdown",
     [scoped("offer", WAITLIST, 0, 30), scoped("location:1", OPEN, 2, 0)], (1, 2), None,
     (WAITLIST, 0, 30), []),
    # With a leerjaar: that leerjaar's figure only.
    ("leerjaar 3 asked: its own long wait", [LJ1_OPEN, LJ3_LONG], (1, 3), 3,
     (WAITLIST, 0, 80), []),
    ("leerjaar 1 asked: open", [LJ1_OPEN, LJ3_LONG], (1, 3), 1, (OPEN, 2, 0), []),
    ("its own figure beats locations and the offer",
     [scoped("offer", OPEN, 5, 0), scoped("location:7/leerjaar:3", OPEN, 1, 0), LJ3_LONG],
     (3,), 3, (WAITLIST, 0, 80), []),
    ("its location figures combined",
     [scoped("offer", OPEN, 5, 0), scoped("location:7/leerjaar:3", WAITLIST, 0, 40),
      scoped("location:8/leerjaar:3", WAITLIST, 0, 30)], (3,), 3, (WAITLIST, 0, 30), []),
    ("no figure of its own: the offer-wide one", [scoped("offer", WAITLIST, 0, 12), LJ3_LONG],
     (1, 3), 1, (WAITLIST, 0, 12), []),
    ("not taught: no figure", [scoped("offer", OPEN, 2, 0)], (1, 2), 5, None, []),
    ("taught leerjaren unknown: the offer-wide figure stands", [scoped("offer", OPEN, 2, 0)],
     None, 5, (OPEN, 2, 0), []),
    ("nothing published for it", [LJ3_LONG], (1, 3), 1, None, []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("figures", "leerjaren", "leerjaar", "expected", "breakdown"),
    [case[1:] for case in LEERJAAR_CASES],
    ids=[case[0] for case in LEERJAAR_CASES],
)
def test_headline_per_leerjaar(
    figures: list[ScopedFigures],
    leerjaren: tuple[int, ...] | None,
    leerjaar: int | None,
    expected: tuple[AvailabilityStatus, int | None, int | None] | None,
    breakdown: list[int | None],
) -> None:
    result = headline(figures, NOW, leerjaar=leerjaar, leerjaren=leerjaren)
    shown = None if result is None else (result.status, result.open_places, result.total_wait_weeks)
    assert shown == expected
    assert [entry.leerjaar for entry in (result.by_leerjaar if result else ())] == breakdown
    assert (result is not None and result.varies_by_leerjaar) is bool(breakdown)


def test_a_long_wait_in_one_leerjaar_is_never_hidden_behind_another_that_is_open() -> None:
    result = headline([LJ1_OPEN, LJ3_LONG], NOW, leerjaren=(1, 3))
    assert result is not None
    assert result.varies_by_leerjaar
    waits = {
        entry.leerjaar: entry.figure.total_wait_weeks
        for entry in result.by_leerjaar
        if entry.figure is not None
    }
    assert waits == {1: 0, 3: 80}


def test_the_figure_of_one_leerjaar_is_the_headline_asked_for_it() -> None:
    figures = [scoped("offer", OPEN, 2, 0), LJ3_LONG]
    for leerjaar in (1, 2, 3):
        assert leerjaar_headline(figures, leerjaar, NOW, leerjaren=(1, 2, 3)) == headline(
            figures, NOW, leerjaar=leerjaar, leerjaren=(1, 2, 3)
        )
    assert leerjaar_headline(figures, 4, NOW, leerjaren=(1, 2, 3)) is None


@pytest.mark.parametrize(
    ("leerjaren", "school_type", "expected"),
    [
        ([3, 1, 3], SchoolType.SO, (1, 3)),
        ([], SchoolType.SO, (1, 2, 3, 4, 5, 6, 7, 8)),
        ([], SchoolType.SBO, (1, 2, 3, 4, 5, 6, 7, 8)),
        ([], SchoolType.VSO, (1, 2, 3, 4, 5, 6)),
        ([], None, ()),
        ([2], None, (2,)),
    ],
    ids=["listed", "SO: groep 1-8", "SBO: groep 1-8", "VSO: leerjaar 1-6", "care", "listed"],
)
def test_taught_leerjaren(
    leerjaren: list[int], school_type: SchoolType | None, expected: tuple[int, ...]
) -> None:
    assert taught_leerjaren(leerjaren, school_type) == expected
