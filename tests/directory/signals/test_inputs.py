"""What a signal evaluation reads from the catalogue."""

from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.catalogue.models import Contract
from directory.enums import DayProgrammeType, OfferKind, SchoolType
from directory.signals.inputs import category_of, offer_categories
from directory.signals.rules import ContractTerm, in_force
from tests.factories import create_contract, create_offer


def test_an_offer_without_what_its_category_needs_has_no_category() -> None:
    school = SimpleNamespace(
        kind=OfferKind.SPECIAL_EDUCATION,
        ijw_category=None,
        day_programme_type=None,
        cluster=4,
        school_type=SchoolType.VSO,
    )
    assert category_of(school) == "education:cluster-4:vso"
    assert category_of(SimpleNamespace(**{**vars(school), "kind": OfferKind.YOUTH_CARE})) is None


def test_offer_categories_names_each_existing_offer_by_its_category(session: Session) -> None:
    care = create_offer(session, ijw_category=45)
    day = create_offer(
        session, kind=OfferKind.DAY_PROGRAMME, day_programme_type=DayProgrammeType.ONTWIKKELGERICHT
    )
    school = create_offer(
        session, kind=OfferKind.SPECIAL_EDUCATION, cluster=3, school_type=SchoolType.SO
    )
    missing = school.id + 1_000

    assert offer_categories(session, [school.id, care.id, day.id, care.id, missing]) == {
        care.id: "ijw:45",
        day.id: "day_programme:ontwikkelgericht_dagprogramma",
        school.id: "education:cluster-3:so",
    }


def test_the_sql_and_the_rule_agree_on_which_contracts_are_in_force(session: Session) -> None:
    today = date(2026, 3, 2)
    ranges = {
        "started today": (today, None),
        "ends today": (date(2025, 1, 1), today),
        "ended yesterday": (date(2025, 1, 1), today - timedelta(days=1)),
        "starts tomorrow": (today + timedelta(days=1), None),
        "open-ended": (date(2024, 1, 1), None),
    }
    offer = create_offer(session)
    ids = {}
    for name, (valid_from, valid_to) in ranges.items():
        contract = create_contract(session, offer)
        contract.valid_from, contract.valid_to = valid_from, valid_to
        ids[contract.id] = name
    session.flush()

    in_sql = {ids[i] for i in session.scalars(select(Contract.id).where(Contract.in_force(today)))}
    in_rule = {
        name
        for name, (valid_from, valid_to) in ranges.items()
        if in_force(ContractTerm("GM0599", valid_from, valid_to), today)
    }
    assert in_sql == in_rule == {"started today", "ends today", "open-ended"}
