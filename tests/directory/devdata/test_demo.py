from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.catalogue.models import (
    AvailabilityReport,
    Contract,
    CurrentAvailability,
    Offer,
    Organisation,
    WaitingNorm,
)
from directory.catalogue.rules import (
    Figures,
    Norm,
    NormRow,
    available_within_norm,
    is_fresh,
    resolve_norm,
)
from directory.config import Settings
from directory.devdata.demo import load_demo, refresh_demo
from directory.enums import OfferKind
from directory.errors import DirectoryError
from directory.reference.models import Municipality

DEFAULT_NORM = Settings(_env_file=None).default_norm


def current_figures(session: Session, offer_id: int) -> Figures:
    report = session.scalars(
        select(AvailabilityReport)
        .join(CurrentAvailability, CurrentAvailability.report_id == AvailabilityReport.id)
        .where(CurrentAvailability.offer_id == offer_id, CurrentAvailability.scope == "offer")
    ).one()
    return Figures(
        report.status,
        report.open_places,
        report.intake_wait_weeks,
        report.treatment_wait_weeks,
        report.valid_until,
    )


def norm_for(session: Session, category: str, municipality_code: str) -> Norm:
    municipality = session.get_one(Municipality, municipality_code)
    rows = [
        NormRow(
            n.category, n.municipality_code, n.jeugdregio_code, n.intake_weeks, n.treatment_weeks
        )
        for n in session.scalars(select(WaitingNorm))
    ]
    return resolve_norm(
        category, municipality.code, municipality.jeugdregio_code, rows, DEFAULT_NORM
    )


def test_demo_catalogue_covers_every_kind_cluster_and_many_categories(
    session: Session, now: datetime
) -> None:
    result = load_demo(session, now)
    offers = session.scalars(select(Offer)).all()
    assert len(offers) == result.offers >= 150
    assert {offer.kind for offer in offers} == set(OfferKind)
    assert {offer.cluster for offer in offers} >= {1, 2, 3, 4}
    assert len({offer.ijw_category for offer in offers} - {None}) >= 5
    assert len({offer.day_programme_type for offer in offers} - {None}) >= 5
    unlabelled = session.scalars(select(Offer.name).where(Offer.is_demo.is_(False))).all()
    assert unlabelled == []
    assert all("(demo)" in name for name in session.scalars(select(Organisation.name)))


def test_demo_waits_follow_the_reported_ranges_and_some_are_stale(
    session: Session, now: datetime
) -> None:
    load_demo(session, now)
    figures = [current_figures(session, offer.id) for offer in session.scalars(select(Offer))]
    totals = [
        f.intake_wait_weeks + f.treatment_wait_weeks
        for f in figures
        if f.intake_wait_weeks is not None and f.treatment_wait_weeks is not None
    ]
    assert max(totals) > 52  # some wait more than a year
    assert any(f.open_places for f in figures)
    assert 0 in totals  # "no waiting time" exists
    stale = [f for f in figures if not is_fresh(f.valid_until, now)]
    assert 0 < len(stale) < len(figures) / 3
    history = session.scalar(select(func.count()).select_from(AvailabilityReport))
    assert history > len(figures) * 3  # months of history, not just today's figure


def test_demo_shows_the_pgb_story_in_rotterdam(session: Session, now: datetime) -> None:
    result = load_demo(session, now)
    norm = norm_for(session, "ijw:45", "GM0599")
    assert norm.source == "jeugdregio:JZ31"
    contracted = session.scalars(
        select(Offer.id)
        .join(Contract, Contract.offer_id == Offer.id)
        .where(Contract.municipality_code == "GM0599", Offer.ijw_category == 45)
    ).all()
    assert len(contracted) >= 3
    assert not any(
        available_within_norm(current_figures(session, o), norm, now) for o in contracted
    )
    (alternative_id,) = result.stories["pgb_alternative"]
    alternative = session.get_one(Offer, alternative_id)
    assert alternative.accepts_pgb
    assert alternative_id not in contracted
    assert available_within_norm(current_figures(session, alternative_id), norm, now)


def test_demo_shows_an_education_gap_for_so_cluster_3_in_rotterdam(
    session: Session, now: datetime
) -> None:
    load_demo(session, now)
    norm = norm_for(session, "education:cluster-3:so", "GM0599")
    schools = session.scalars(
        select(Offer.id).where(
            Offer.kind == OfferKind.SPECIAL_EDUCATION,
            Offer.cluster == 3,
            Offer.school_type == "so",
            Offer.locations.any(municipality_code="GM0599"),
        )
    ).all()
    assert schools
    for school in schools:
        figures = current_figures(session, school)
        assert not available_within_norm(figures, norm, now)
        assert (figures.intake_wait_weeks or 0) + (figures.treatment_wait_weeks or 0) > 80


def test_a_demo_started_weeks_later_still_tells_its_stories(
    session: Session, now: datetime
) -> None:
    result = load_demo(session, now - timedelta(days=45))
    (alternative,) = result.stories["pgb_alternative"]
    norm = norm_for(session, "ijw:45", "GM0599")
    assert not available_within_norm(current_figures(session, alternative), norm, now)
    assert refresh_demo(session, now) == timedelta(days=45)
    assert available_within_norm(current_figures(session, alternative), norm, now)
    assert refresh_demo(session, now) == timedelta(0)


def test_demo_is_only_loaded_into_an_empty_catalogue(session: Session, now: datetime) -> None:
    load_demo(session, now)
    with pytest.raises(DirectoryError, match="not empty"):
        load_demo(session, now)
