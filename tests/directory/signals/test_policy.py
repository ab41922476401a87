"""What each category's gap means, as a truth table: the kind a shortage raises, what a PGB
can pay, the norm that applies without a configured one, and the words that go with it."""

from __future__ import annotations

import pytest

from directory.catalogue.rules import Norm
from directory.signals.policy import (
    CRISIS_NORM,
    EDUCATION_REFERENCE,
    default_norm,
    is_school_category,
    policy_for,
)
from directory.signals.wording import money, norm_source_text, pgb_cost_text, signal_text

TREEKNORM = Norm(4, 10, "default")


@pytest.mark.parametrize(
    ("category", "kind", "pgb", "norm"),
    [
        pytest.param("ijw:45", "pgb_route", "all", TREEKNORM, id="ambulant-care"),
        pytest.param("ijw:43", "pgb_route", "all", TREEKNORM, id="residential-care"),
        pytest.param("ijw:46", "care_gap", "none", CRISIS_NORM, id="crisis-within-24-hours"),
        pytest.param("ijw:49", "care_gap", "none", TREEKNORM, id="preventief-justitieel"),
        pytest.param(
            "day_programme:dagbesteding", "pgb_route", "all", TREEKNORM, id="dagbesteding"
        ),
        pytest.param(
            "day_programme:onderwijszorgarrangement", "pgb_route", "care_part", TREEKNORM, id="oza"
        ),
        pytest.param(
            "day_programme:onderwijsgericht_dagprogramma",
            "pgb_route",
            "care_part",
            TREEKNORM,
            id="onderwijsgericht",
        ),
        pytest.param(
            "day_programme:behandel_onderwijsgroep",
            "pgb_route",
            "care_part",
            TREEKNORM,
            id="behandel-onderwijsgroep",
        ),
        pytest.param(
            "day_programme:opdc", "education_gap", "none", EDUCATION_REFERENCE, id="opdc-is-school"
        ),
        pytest.param(
            "education:cluster-1:so", "education_gap", "none", EDUCATION_REFERENCE, id="cluster-1"
        ),
        pytest.param("education:sbo", "education_gap", "none", EDUCATION_REFERENCE, id="sbo"),
    ],
)
def test_each_category_has_its_own_kind_pgb_cover_and_default_norm(
    category: str, kind: str, pgb: str, norm: Norm
) -> None:
    policy = policy_for(category)

    assert (policy.kind, policy.pgb) == (kind, pgb)
    assert default_norm(category, TREEKNORM) == norm


def test_crisis_care_is_held_to_a_start_at_once_not_to_fourteen_weeks() -> None:
    assert default_norm("ijw:46", TREEKNORM).total_weeks == 0
    assert "24 uur" in norm_source_text(CRISIS_NORM.source)


def test_the_school_reference_is_three_months_and_says_it_is_no_law() -> None:
    assert EDUCATION_REFERENCE.total_weeks == 13
    words = norm_source_text(EDUCATION_REFERENCE.source)
    assert "geen wet" in words
    assert "Thuiszitterspact" in words
    assert "no legal waiting norm" in norm_source_text(EDUCATION_REFERENCE.source, "en")


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("default", "Treeknorm"),
        ("default", "voor jeugdhulp bestaat geen wettelijke norm"),
        ("municipality:GM0599", "norm van de gemeente (GM0599)"),
        ("jeugdregio:JZ31", "norm van de jeugdregio (JZ31)"),
        ("national:ijw:45", "landelijke norm"),
    ],
)
def test_every_norm_says_whose_it_is(source: str, says: str) -> None:
    assert says in norm_source_text(source)


def test_only_school_places_count_schools_by_where_they_are() -> None:
    assert is_school_category("education:cluster-4:vso")
    assert not is_school_category("day_programme:opdc")
    assert not is_school_category("ijw:45")


# --- the words of a shortage, per route --------------------------------------------------

ROUTE_TABLE = [
    # (kind, category, must say, must not say)
    ("education_gap", "education:cluster-1:so", "Commissie van Onderzoek", "TLV"),
    ("education_gap", "education:cluster-2:vso", "geen rol", "toelaatbaarheidsverklaring"),
    ("education_gap", "education:cluster-3:so", "samenwerkingsverband", "Commissie van Onderzoek"),
    ("education_gap", "education:cluster-4:vso", "ingeschreven of aangemeld", "pgb-route"),
    ("education_gap", "education:sbo", "zorgplicht", "Commissie van Onderzoek"),
    ("education_gap", "education:sbo", "6 weken", "pgb-route"),
    ("education_gap", "day_programme:opdc", "tijdelijke plek", "pgb-route"),
    ("care_gap", "ijw:46", "24 uur", "pgb-route van toepassing"),
    ("care_gap", "ijw:49", "geen route", "pgb-route van toepassing"),
    ("pgb_route", "ijw:45", "niet passend", "recht op"),
    ("pgb_route", "day_programme:onderwijszorgarrangement", "alleen het zorgdeel", "recht op"),
    ("pgb_route", "ijw:45", "geen toezegging", "alleen het zorgdeel"),
    ("pgb_route", "ijw:45", "huisarts, jeugdarts of medisch specialist", "recht op"),
    ("care_gap", "ijw:49", "geen besluit van de gemeente nodig", "pgb-route van toepassing"),
    ("figures_unknown", "ijw:45", "geen tekort", "Dan kan de pgb-route"),
    ("no_contract", "ijw:45", "Taak voor de gemeente", "Dan kan de pgb-route"),
]


@pytest.mark.parametrize(("kind", "category", "says", "never"), ROUTE_TABLE)
def test_a_signal_names_the_route_of_its_category(
    kind: str, category: str, says: str, never: str
) -> None:
    words = signal_text(kind, category, "nl")

    assert says in words
    assert never not in words
    assert signal_text(kind, category, "en") != words  # translated, not the Dutch again


def test_the_parents_state_why_contracted_care_is_not_passend_not_the_municipality() -> None:
    words = signal_text("pgb_route", "ijw:45")

    assert "ouders uit waarom de gecontracteerde zorg voor hun kind niet passend is" in words
    assert "De gemeente beoordeelt of die uitleg goed onderbouwd is" in words


def test_a_school_route_names_the_samenwerkingsverband_of_the_municipality() -> None:
    words = signal_text("education_gap", "education:cluster-4:vso", "nl", ["Koers VO"])
    opdc = signal_text("education_gap", "day_programme:opdc", "en", ["Koers VO"])
    institution = signal_text("education_gap", "education:cluster-2:so", "nl", ["Koers VO"])

    assert "Het samenwerkingsverband voor deze gemeente: Koers VO." in words
    assert "The samenwerkingsverband for this municipality: Koers VO." in opdc
    assert "Koers VO" not in institution  # cluster 2: the institution decides, not the SWV


PER_HOUR = {"cents": 7500, "unit": "hour", "source": "municipality:GM0599"}


@pytest.mark.parametrize(
    ("tariff", "pgb_tariff", "says"),
    [
        pytest.param(
            (9550, "hour"),
            PER_HOUR,
            "Het verschil, €\xa020,50 per uur, betaalt u dan zelf",
            id="above-the-rate-parents-pay-the-difference",
        ),
        pytest.param(
            (7000, "Hour"),
            PER_HOUR,
            "Dit aanbod kost €\xa070,00 per uur: niet meer dan het pgb-tarief van de gemeente "
            "(€\xa075,00 per uur).",
            id="within-the-rate",
        ),
        pytest.param(
            (7000, "hour"), None, "nog geen pgb-tarief voor deze hulp", id="no-rate-set-unknown"
        ),
        pytest.param((70000, "day"), PER_HOUR, None, id="another-unit-says-nothing"),
        pytest.param((None, None), PER_HOUR, None, id="no-tariff-says-nothing"),
    ],
)
def test_what_a_pgb_pays_is_said_against_the_municipalitys_own_rate(
    tariff: tuple[int | None, str | None], pgb_tariff: dict[str, object] | None, says: str | None
) -> None:
    words = pgb_cost_text(*tariff, pgb_tariff, "nl")

    if says is None:
        assert words is None
    else:
        assert words is not None
        assert says in words
        assert "pgb weigeren" not in words  # only the part above the care in kind


def test_amounts_are_written_as_people_write_them() -> None:
    assert money(123450, "nl") == "€\xa01.234,50"
    assert money(123450, "en") == "€1,234.50"
