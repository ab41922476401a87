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
    netto_waiting_list,
    resolve_norm,
    supersedes,
    total_wait_weeks,
)
from directory.config import Settings
from directory.enums import AvailabilityStatus, OfferKind

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
