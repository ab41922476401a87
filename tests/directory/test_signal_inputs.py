"""What a signal evaluation reads from the catalogue."""

from types import SimpleNamespace

from sqlalchemy.orm import Session

from directory.enums import DayProgrammeType, OfferKind, SchoolType
from directory.signal_inputs import category_of, offer_categories
from tests.factories import create_offer


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
