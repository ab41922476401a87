"""The PGB-route / education-gap rule as a truth table: plain data in, verdicts out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from directory.catalogue.rules import Figures, Norm, available_within_norm
from directory.enums import AvailabilityStatus, OfferKind
from directory.geo import distance_km
from directory.signals.rules import (
    NO_CONTRACTED_OFFER,
    CandidateOffer,
    ContractTerm,
    Evaluation,
    MunicipalityPoint,
    contracted_for,
    evaluate,
    transition,
)
from directory.signals.tariffs import PgbTariff
from directory.signals.wording import (
    EDUCATION_GAP_TEXT,
    NO_CONTRACT_TEXT,
    PGB_ROUTE_TEXT,
    PGB_TARIFF_ABOVE_TEXT,
    signal_text,
)

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
NORM = Norm(4, 8, "municipality:GM0599")  # 12 weeks in total
ROTTERDAM = MunicipalityPoint("GM0599", 51.92, 4.48, "JZ31")
CARE = "ijw:45"
SCHOOL = "education:cluster-4:vso"
MAX_KM = 25.0
# Points measured from ROTTERDAM.
NEAR = (51.92, 4.40)  # ~5.5 km
FIFTEEN_KM = (51.92, 4.26)
TWENTY_KM = (52.10, 4.48)
UTRECHT = (52.09, 5.12)  # ~48 km: beyond MAX_KM

WAITLIST = AvailabilityStatus.WAITLIST
OPEN = AvailabilityStatus.OPEN
CLOSED = AvailabilityStatus.CLOSED


def create_figures(
    status: AvailabilityStatus = WAITLIST,
    open_places: int | None = 0,
    intake: int | None = 4,
    treatment: int | None = 6,
    valid_for: timedelta = timedelta(days=10),
) -> Figures:
    return Figures(status, open_places, intake, treatment, NOW + valid_for)


def zin(
    municipality: str = "GM0599", valid_from: date = date(2024, 1, 1), valid_to: date | None = None
) -> ContractTerm:
    return ContractTerm(municipality, valid_from, valid_to)


def create_offer(
    offer_id: int,
    figures: Figures | None = None,
    *,
    contracts: tuple[ContractTerm, ...] = (),
    category: str = CARE,
    accepts_pgb: bool = False,
    point: tuple[float, float] | None = NEAR,
    tariff: tuple[int | None, str | None] = (None, None),
    ages: tuple[int | None, int | None] = (None, None),
) -> CandidateOffer:
    kind = (
        OfferKind.SPECIAL_EDUCATION if category.startswith("education:") else OfferKind.YOUTH_CARE
    )
    school = kind is OfferKind.SPECIAL_EDUCATION
    return CandidateOffer(
        offer_id=offer_id,
        category=category,
        kind=kind,
        figures=figures,
        accepts_pgb=accepts_pgb,
        tariff_cents=tariff[0],
        tariff_unit=tariff[1],
        lat=point[0] if point else None,
        lon=point[1] if point else None,
        min_age=ages[0],
        max_age=ages[1],
        # Nobody buys school places: a "contracted" school here is one that serves the
        # municipalities named.
        contracts=() if school else contracts,
        serves=frozenset(t.municipality_code or "" for t in contracts) if school else frozenset(),
    )


def contracted(offer_id: int, figures: Figures | None, **kwargs: Any) -> CandidateOffer:
    return create_offer(offer_id, figures, contracts=(zin(),), **kwargs)


def pgb_offer(offer_id: int, figures: Figures | None, **kwargs: Any) -> CandidateOffer:
    return create_offer(offer_id, figures, accepts_pgb=True, **kwargs)


def run(
    offers: list[CandidateOffer],
    *,
    category: str = CARE,
    age: int | None = None,
    municipality: MunicipalityPoint = ROTTERDAM,
) -> Evaluation:
    return evaluate(
        municipality, category, offers, NORM, now=NOW, today=TODAY, age=age, max_distance_km=MAX_KM
    )


# --- the gap: is any contracted offer available within the norm? -------------------------

WITHIN = create_figures(intake=4, treatment=6)
OVER = create_figures(intake=10, treatment=24)
STALE_WITH_PLACES = create_figures(OPEN, open_places=3, valid_for=-timedelta(days=1))


@dataclass(frozen=True)
class GapRow:
    offers: list[CandidateOffer]
    finding: str
    reasons: tuple[str, ...]  # reason_code per contracted offer, by offer id
    age: int | None = None


GAP_TABLE = [
    pytest.param(
        GapRow([contracted(1, WITHIN)], "available", ("within_norm",)),
        id="fresh-within-norm-is-available",
    ),
    pytest.param(
        GapRow([contracted(1, create_figures(OPEN, 2, None, None))], "available", ("open_places",)),
        id="open-places-are-available-even-without-a-published-wait",
    ),
    pytest.param(
        GapRow([contracted(1, OVER)], "shortage", ("over_norm",)), id="wait-over-norm-is-a-shortage"
    ),
    pytest.param(
        GapRow([contracted(1, STALE_WITH_PLACES)], "unknown", ("stale",)),
        id="stale-figure-is-unknown-not-a-shortage",
    ),
    pytest.param(
        GapRow([contracted(1, None)], "unknown", ("no_figure",)),
        id="no-figure-is-unknown-not-a-shortage",
    ),
    pytest.param(
        GapRow([contracted(1, create_figures(WAITLIST, 3, 10, 24))], "shortage", ("over_norm",)),
        id="open-places-on-a-waitlist-with-long-wait-are-a-shortage",
    ),
    pytest.param(
        GapRow([contracted(1, create_figures(CLOSED, 0, 0, 0))], "shortage", ("closed",)),
        id="closed-offer-is-a-shortage-whatever-its-wait",
    ),
    pytest.param(
        GapRow([contracted(1, create_figures(intake=None))], "unknown", ("wait_unknown",)),
        id="wait-not-published-is-unknown",
    ),
    pytest.param(
        GapRow(
            [contracted(1, OVER), contracted(2, STALE_WITH_PLACES)],
            "unknown",
            ("over_norm", "stale"),
        ),
        id="one-expired-figure-beside-long-waits-is-unknown-not-a-shortage",
    ),
    pytest.param(
        GapRow(
            [contracted(1, OVER), contracted(2, create_figures(CLOSED, 0, 0, 0))],
            "shortage",
            ("over_norm", "closed"),
        ),
        id="every-fresh-figure-over-the-norm-or-closed-is-a-shortage",
    ),
    pytest.param(
        GapRow(
            [contracted(1, OVER), contracted(2, WITHIN)], "available", ("over_norm", "within_norm")
        ),
        id="one-available-contracted-offer-is-enough",
    ),
    pytest.param(
        GapRow(
            [contracted(1, STALE_WITH_PLACES), contracted(2, WITHIN)],
            "available",
            ("stale", "within_norm"),
        ),
        id="one-available-offer-is-enough-beside-an-unknown-one",
    ),
    pytest.param(
        GapRow(
            [create_offer(1, WITHIN, contracts=(zin(valid_to=TODAY - timedelta(days=1)),))],
            "no_contract",
            (),
        ),
        id="expired-contract-is-not-counted",
    ),
    pytest.param(
        GapRow(
            [create_offer(1, WITHIN, contracts=(zin(valid_to=TODAY),))],
            "available",
            ("within_norm",),
        ),
        id="contract-holds-through-its-last-day",
    ),
    pytest.param(
        GapRow(
            [create_offer(1, WITHIN, contracts=(zin(valid_from=TODAY + timedelta(days=1)),))],
            "no_contract",
            (),
        ),
        id="contract-not-yet-valid-is-not-counted",
    ),
    pytest.param(
        GapRow([create_offer(1, WITHIN, contracts=(zin("GM0344"),))], "no_contract", ()),
        id="contract-with-another-municipality-is-not-counted",
    ),
    pytest.param(
        GapRow([contracted(1, WITHIN, category="ijw:41")], "no_contract", ()),
        id="offer-of-another-category-is-not-counted",
    ),
    pytest.param(
        GapRow([contracted(1, WITHIN, ages=(12, 18))], "no_contract", (), age=8),
        id="age-below-range-is-not-counted",
    ),
    pytest.param(
        GapRow([contracted(1, WITHIN, ages=(4, 11))], "no_contract", (), age=12),
        id="age-above-range-is-not-counted",
    ),
    pytest.param(
        GapRow([contracted(1, WITHIN, ages=(4, 12))], "available", ("within_norm",), age=12),
        id="age-at-the-edge-of-range-is-counted",
    ),
    pytest.param(
        GapRow([contracted(1, WITHIN, ages=(12, 18))], "available", ("within_norm",)),
        id="age-range-ignored-without-an-age",
    ),
    pytest.param(GapRow([], "no_contract", ()), id="nothing-contracted-is-no-contract"),
]


@pytest.mark.parametrize("row", GAP_TABLE)
def test_only_fresh_figures_that_all_miss_the_norm_make_a_shortage(row: GapRow) -> None:
    evaluation = run(row.offers, age=row.age)

    assert evaluation.finding == row.finding
    assert evaluation.open is (row.finding == "shortage")
    assert evaluation.has_contracts is bool(row.reasons)
    assert tuple(item.reason_code for item in evaluation.evidence) == row.reasons
    # The evidence agrees with the one rule that decides availability.
    by_id = {offer.offer_id: offer for offer in row.offers}
    for item in evaluation.evidence:
        assert item.available is available_within_norm(by_id[item.offer_id].figures, NORM, NOW)


def test_evidence_says_why_in_words_with_the_wait_and_the_norm() -> None:
    evaluation = run([contracted(1, OVER), contracted(2, STALE_WITH_PLACES), contracted(3, None)])

    over, stale, unknown = evaluation.evidence
    assert (over.status, over.total_wait_weeks, over.fresh) == ("waitlist", 34, True)
    assert over.reason == "wait 34 weeks exceeds norm 12"
    # A stale figure keeps what it last said, marked as not fresh and never available.
    assert (stale.status, stale.open_places, stale.fresh, stale.available) == (
        "open",
        3,
        False,
        False,
    )
    assert stale.reason == "figure is stale (valid until 2026-03-01)"
    assert (unknown.status, unknown.total_wait_weeks, unknown.fresh) == ("unknown", None, False)
    assert unknown.reason == "no figure published"


def test_nothing_contracted_is_a_task_for_the_municipality_not_a_shortage() -> None:
    evaluation = run([pgb_offer(7, WITHIN)])

    assert not evaluation.open
    assert (evaluation.finding, evaluation.kind) == ("no_contract", "no_contract")
    assert evaluation.reason_code == NO_CONTRACTED_OFFER
    assert evaluation.evidence == ()
    assert [alt.offer_id for alt in evaluation.alternatives] == [7]
    assert evaluation.text("nl") == NO_CONTRACT_TEXT["nl"]
    assert "pgb-route" not in evaluation.text("nl")


def test_unknown_figures_are_a_task_that_never_states_the_pgb_route() -> None:
    evaluation = run([contracted(1, STALE_WITH_PLACES), pgb_offer(7, WITHIN)])

    assert (evaluation.finding, evaluation.kind, evaluation.open) == (
        "unknown",
        "figures_unknown",
        False,
    )
    assert "geen tekort" in evaluation.text("nl")
    assert "Dan kan de pgb-route" not in evaluation.text("nl")


def test_contracted_for_needs_a_zorg_in_natura_contract_with_that_municipality_today() -> None:
    offer = create_offer(1, WITHIN, contracts=(zin("GM0344"), zin(valid_to=date(2025, 12, 31))))
    utrecht = MunicipalityPoint("GM0344", 52.09, 5.12, "JZ21")

    assert contracted_for(offer, utrecht, TODAY)
    assert not contracted_for(offer, ROTTERDAM, TODAY)
    assert contracted_for(offer, ROTTERDAM, date(2025, 12, 31))


REGIONAL = ContractTerm(None, date(2024, 1, 1), jeugdregio_code="JZ31")


@pytest.mark.parametrize(
    ("term", "municipality", "expected"),
    [
        pytest.param(REGIONAL, ROTTERDAM, True, id="region-buys-for-its-member"),
        pytest.param(
            REGIONAL, MunicipalityPoint("GM0613", 51.86, 4.42, "JZ31"), True, id="every-member"
        ),
        pytest.param(
            REGIONAL, MunicipalityPoint("GM0344", 52.09, 5.12, "JZ21"), False, id="not-another"
        ),
        pytest.param(
            REGIONAL, MunicipalityPoint("GM9999", 52.0, 5.0, None), False, id="no-region-no-match"
        ),
        pytest.param(zin("GM0613"), ROTTERDAM, False, id="a-neighbours-own-contract-is-not-ours"),
    ],
)
def test_a_regional_contract_counts_for_each_member_municipality(
    term: ContractTerm, municipality: MunicipalityPoint, expected: bool
) -> None:
    offer = create_offer(1, WITHIN, contracts=(term,))

    assert contracted_for(offer, municipality, TODAY) is expected
    assert run([offer], municipality=municipality).has_contracts is expected


def test_a_school_counts_where_it_serves_and_a_contract_does_not_make_it_count() -> None:
    school = CandidateOffer(
        1, SCHOOL, OfferKind.SPECIAL_EDUCATION, OVER, contracts=(zin(),), serves=frozenset()
    )
    serving = CandidateOffer(
        2, SCHOOL, OfferKind.SPECIAL_EDUCATION, OVER, serves=frozenset({"GM0599"})
    )

    assert run([school], category=SCHOOL).finding == "no_contract"
    assert run([serving], category=SCHOOL).finding == "shortage"


def test_the_verdict_does_not_depend_on_the_order_of_the_offers() -> None:
    offers = [contracted(1, OVER), pgb_offer(2, WITHIN), pgb_offer(3, WITHIN, point=FIFTEEN_KM)]

    assert run(offers) == run(list(reversed(offers)))


# --- education has no PGB ---------------------------------------------------------------


def test_education_gap_for_schools_without_alternatives() -> None:
    offers = [
        contracted(1, OVER, category=SCHOOL),
        pgb_offer(2, WITHIN, category=SCHOOL),  # the database forbids this; the rule ignores it
    ]
    evaluation = run(offers, category=SCHOOL)

    assert evaluation.kind == "education_gap"
    assert evaluation.open
    assert evaluation.alternatives == ()
    assert "onderwijsconsulent" in evaluation.text("nl")
    assert "samenwerkingsverband" in evaluation.text("en")


@pytest.mark.parametrize(
    ("category", "kind"),
    [
        ("ijw:45", "pgb_route"),
        ("ijw:41", "pgb_route"),
        ("day_programme:dagbesteding", "pgb_route"),
        ("day_programme:onderwijszorgarrangement", "pgb_route"),
        ("day_programme:opdc", "education_gap"),
        ("education:sbo", "education_gap"),
        ("education:cluster-3:so", "education_gap"),
        ("ijw:46", "care_gap"),
        ("ijw:49", "care_gap"),
    ],
)
def test_what_a_shortage_is_follows_the_category(category: str, kind: str) -> None:
    shortage = run([contracted(1, OVER, category=category)], category=category)

    assert (shortage.gap_kind, shortage.kind, shortage.open) == (kind, kind, True)


# --- alternatives: non-contracted, accepts PGB, fresh, within norm, near -----------------


@dataclass(frozen=True)
class AlternativeRow:
    candidate: CandidateOffer
    listed: bool
    age: int | None = None


ALTERNATIVE_TABLE = [
    pytest.param(
        AlternativeRow(pgb_offer(9, WITHIN), True), id="pgb-fresh-within-norm-near-is-listed"
    ),
    pytest.param(
        AlternativeRow(pgb_offer(9, create_figures(OPEN, 2, 20, 20)), True),
        id="open-places-are-listed-whatever-the-published-wait",
    ),
    pytest.param(
        AlternativeRow(pgb_offer(9, WITHIN, contracts=(zin("GM0344"),)), True),
        id="contracted-elsewhere-is-an-alternative-here",
    ),
    pytest.param(AlternativeRow(create_offer(9, WITHIN), False), id="no-pgb-not-listed"),
    pytest.param(AlternativeRow(pgb_offer(9, STALE_WITH_PLACES), False), id="stale-not-listed"),
    pytest.param(AlternativeRow(pgb_offer(9, None), False), id="no-figure-not-listed"),
    pytest.param(AlternativeRow(pgb_offer(9, OVER), False), id="over-norm-not-listed"),
    pytest.param(
        AlternativeRow(pgb_offer(9, create_figures(CLOSED, 0, 0, 0)), False), id="closed-not-listed"
    ),
    pytest.param(
        AlternativeRow(pgb_offer(9, WITHIN, point=UTRECHT), False), id="too-far-not-listed"
    ),
    pytest.param(
        AlternativeRow(pgb_offer(9, WITHIN, point=None), False), id="no-coordinates-not-listed"
    ),
    pytest.param(
        AlternativeRow(pgb_offer(9, WITHIN, contracts=(zin(),)), False),
        id="contracted-here-is-evidence-not-an-alternative",
    ),
    pytest.param(
        AlternativeRow(pgb_offer(9, WITHIN, category="ijw:41"), False),
        id="other-category-not-listed",
    ),
    pytest.param(
        AlternativeRow(pgb_offer(9, WITHIN, ages=(12, 18)), False, age=8),
        id="age-outside-range-not-listed",
    ),
]


@pytest.mark.parametrize("row", ALTERNATIVE_TABLE)
def test_alternatives_are_non_contracted_pgb_offers_that_can_start_nearby(
    row: AlternativeRow,
) -> None:
    evaluation = run([contracted(1, OVER), row.candidate], age=row.age)

    assert [alt.offer_id for alt in evaluation.alternatives] == ([9] if row.listed else [])


def test_alternatives_sorted_by_wait_then_distance_then_id_with_open_places_as_zero() -> None:
    offers = [
        contracted(1, OVER),
        pgb_offer(5, WITHIN, point=NEAR),
        pgb_offer(4, WITHIN, point=NEAR),
        pgb_offer(2, WITHIN, point=FIFTEEN_KM),
        pgb_offer(3, create_figures(OPEN, 1, 6, 6), point=TWENTY_KM),
        pgb_offer(6, create_figures(intake=2, treatment=2), point=FIFTEEN_KM),
    ]
    alternatives = run(offers).alternatives

    assert [alt.offer_id for alt in alternatives] == [3, 6, 4, 5, 2]
    assert [alt.total_wait_weeks for alt in alternatives] == [12, 4, 10, 10, 10]
    # Open places sort first, but the wait shown is the one published, as on every page.
    assert (alternatives[0].status, alternatives[0].open_places) == ("open", 1)
    assert alternatives[2].distance_km == round(distance_km(51.92, 4.48, *NEAR), 1)


def test_no_alternatives_when_the_municipality_has_no_point_to_measure_from() -> None:
    nowhere = MunicipalityPoint("GM0599", None, None)

    assert run([contracted(1, OVER), pgb_offer(9, WITHIN)], municipality=nowhere).alternatives == ()


# --- tariffs: what a PGB at the municipality's PGB tariff pays (lid 4a, "voor zover") ------

HOURLY = PgbTariff(7500, "hour", "municipality:GM0599")


@dataclass(frozen=True)
class TariffRow:
    pgb_tariff: PgbTariff | None
    alternative_tariff: tuple[int | None, str | None]
    pays: int | None
    parents_pay: int | None
    above: bool | None


TARIFF_TABLE = [
    pytest.param(
        TariffRow(HOURLY, (9500, "hour"), 7500, 2000, True), id="dearer-pgb-pays-its-tariff"
    ),
    pytest.param(TariffRow(HOURLY, (7500, "hour"), 7500, 0, False), id="same-tariff-fits"),
    pytest.param(
        TariffRow(HOURLY, (6000, "Hour "), 6000, 0, False), id="cheaper-pays-the-price-units-case"
    ),
    pytest.param(TariffRow(HOURLY, (60000, "day"), None, None, None), id="units-differ-unknown"),
    pytest.param(TariffRow(HOURLY, (None, None), None, None, None), id="no-tariff-unknown"),
    pytest.param(TariffRow(HOURLY, (9000, None), None, None, None), id="no-unit-unknown"),
    pytest.param(
        TariffRow(None, (9000, "hour"), None, None, None), id="municipality-set-none-unknown"
    ),
]


@pytest.mark.parametrize("row", TARIFF_TABLE)
def test_an_alternative_shows_what_a_pgb_at_the_municipalitys_tariff_pays(row: TariffRow) -> None:
    offers = [
        contracted(1, OVER, tariff=(5000, "hour")),  # a contracted tariff plays no part
        pgb_offer(9, WITHIN, tariff=row.alternative_tariff),
    ]

    evaluation = evaluate(
        ROTTERDAM,
        CARE,
        offers,
        NORM,
        now=NOW,
        today=TODAY,
        max_distance_km=MAX_KM,
        pgb_tariff=row.pgb_tariff,
    )
    (alternative,) = evaluation.alternatives

    assert (alternative.tariff_cents, alternative.tariff_unit) == row.alternative_tariff
    assert alternative.pgb_pays_cents == row.pays
    assert alternative.parents_pay_cents == row.parents_pay
    assert alternative.above_pgb_tariff is row.above
    assert evaluation.pgb_tariff == row.pgb_tariff


def test_only_a_pgb_route_carries_the_pgb_tariff() -> None:
    school = evaluate(
        ROTTERDAM,
        SCHOOL,
        [contracted(1, OVER, category=SCHOOL)],
        NORM,
        now=NOW,
        today=TODAY,
        max_distance_km=MAX_KM,
        pgb_tariff=HOURLY,
    )

    assert school.pgb_tariff is None


# --- transitions and wording --------------------------------------------------------------

OPEN_EVALUATION = run([contracted(1, OVER)])
CLOSED_EVALUATION = run([contracted(1, WITHIN)])


@pytest.mark.parametrize(
    ("previous_open", "evaluation", "expected"),
    [
        pytest.param(None, OPEN_EVALUATION, "open", id="never-seen-and-open-opens"),
        pytest.param(None, CLOSED_EVALUATION, "none", id="never-seen-and-closed-does-nothing"),
        pytest.param(True, OPEN_EVALUATION, "none", id="open-and-still-open-does-nothing"),
        pytest.param(True, CLOSED_EVALUATION, "resolve", id="open-and-now-closed-resolves"),
        pytest.param(False, OPEN_EVALUATION, "open", id="resolved-and-open-again-reopens"),
        pytest.param(False, CLOSED_EVALUATION, "none", id="resolved-and-still-closed-does-nothing"),
    ],
)
def test_transition_table(
    previous_open: bool | None, evaluation: Evaluation, expected: str
) -> None:
    assert transition(previous_open, evaluation.open) == expected


def test_rerunning_an_evaluation_records_each_change_once() -> None:
    state: bool | None = None
    recorded = []
    for evaluation in [OPEN_EVALUATION, OPEN_EVALUATION, CLOSED_EVALUATION, CLOSED_EVALUATION]:
        step = transition(state, evaluation.open)
        recorded.append(step)
        state = evaluation.open if step != "none" else state

    assert recorded == ["open", "none", "resolve", "none"]


def test_wording_says_the_pgb_route_may_apply_and_promises_nothing() -> None:
    assert "kan de pgb-route van toepassing zijn" in PGB_ROUTE_TEXT["nl"]
    assert "PGB route may" in PGB_ROUTE_TEXT["en"]
    for texts in (PGB_ROUTE_TEXT, EDUCATION_GAP_TEXT, NO_CONTRACT_TEXT, PGB_TARIFF_ABOVE_TEXT):
        assert "recht op" not in texts["nl"].lower()
        assert "right to" not in texts["en"].lower()
    assert "8.1.1" in PGB_ROUTE_TEXT["nl"]
    assert "pgb-route" not in EDUCATION_GAP_TEXT["nl"]
    assert OPEN_EVALUATION.text("en").startswith(PGB_ROUTE_TEXT["en"])


# --- schools that publish per leerjaar (groep) ------------------------------------------

OPEN_PLACES = create_figures(OPEN, open_places=2, intake=0, treatment=0)
EIGHTY_WEEKS = create_figures(intake=0, treatment=80)


def school(
    offer_id: int,
    figures: Figures | None,
    *,
    leerjaren: tuple[int, ...] = (1, 2, 3, 4, 5, 6),
    by_leerjaar: tuple[tuple[int, Figures | None], ...] = (),
) -> CandidateOffer:
    return CandidateOffer(
        offer_id,
        SCHOOL,
        OfferKind.SPECIAL_EDUCATION,
        figures,
        serves=frozenset({"GM0599"}),
        leerjaren=leerjaren,
        by_leerjaar=by_leerjaar,
    )


# Leerjaar 1 open, leerjaar 3 at 80 weeks: the headline says "open" (the best part).
SPLIT = school(1, OPEN_PLACES, by_leerjaar=((1, OPEN_PLACES), (3, EIGHTY_WEEKS)))


@pytest.mark.parametrize(
    ("offers", "finding", "leerjaren"),
    [
        pytest.param([SPLIT], "shortage", (3,), id="best-leerjaar-hides-nothing"),
        pytest.param(
            [SPLIT, school(2, WITHIN)], "available", (), id="another-school-takes-leerjaar-3"
        ),
        pytest.param(
            [SPLIT, school(2, WITHIN, leerjaren=(1, 2))],
            "shortage",
            (3,),
            id="another-school-without-leerjaar-3-does-not-count",
        ),
        pytest.param(
            [SPLIT, school(2, STALE_WITH_PLACES)],
            "available",
            (),
            id="a-stale-school-for-leerjaar-3-is-no-proof-of-a-shortage",
        ),
        pytest.param(
            [school(1, OVER, by_leerjaar=((1, OVER), (3, EIGHTY_WEEKS)))],
            "shortage",
            (),
            id="every-leerjaar-short-is-the-whole-category",
        ),
    ],
)
def test_a_school_gap_is_found_per_leerjaar_where_schools_publish_them(
    offers: list[CandidateOffer], finding: str, leerjaren: tuple[int, ...]
) -> None:
    evaluation = run(offers, category=SCHOOL)

    assert (evaluation.finding, evaluation.leerjaren) == (finding, leerjaren)
    if leerjaren:
        assert {item.leerjaar for item in evaluation.evidence} == set(leerjaren)
        assert "in leerjaar 3" in evaluation.text("nl")  # VSO counts in leerjaren


def test_primary_schools_say_groep() -> None:
    words = signal_text("education_gap", "education:cluster-3:so", "nl", leerjaren=(3, 4, 6))

    assert "binnen de norm een leerling plaatsen in groep 3, 4 en 6." in words


def test_a_sweep_builds_no_evidence_where_a_contracted_offer_is_available() -> None:
    offers = [contracted(1, WITHIN), contracted(2, OVER)]
    quiet = evaluate(
        ROTTERDAM, CARE, offers, NORM, now=NOW, today=TODAY, max_distance_km=MAX_KM, explain=False
    )

    assert (quiet.finding, quiet.evidence) == ("available", ())
    assert run(offers).evidence  # asked for, the evidence is there
    short = evaluate(
        ROTTERDAM,
        CARE,
        [contracted(2, OVER)],
        NORM,
        now=NOW,
        today=TODAY,
        max_distance_km=MAX_KM,
        explain=False,
    )
    assert [item.offer_id for item in short.evidence] == [2]  # a shortage always explains
