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
from directory.devdata.demo_builder import history_moments
from directory.enums import OfferKind
from directory.errors import DirectoryError
from directory.reference.models import Municipality
from directory.signals.models import Signal, SignalTransition

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


def signal_of(session: Session, municipality: str, category: str, kind: str) -> Signal:
    return session.scalars(
        select(Signal).where(
            Signal.municipality_code == municipality,
            Signal.category == category,
            Signal.kind == kind,
        )
    ).one()


def transitions_of(session: Session, signal: Signal) -> list[tuple[str, datetime]]:
    query = (
        select(SignalTransition.state, SignalTransition.at)
        .where(SignalTransition.signal_id == signal.id)
        .order_by(SignalTransition.id)
    )
    return [(state, at) for state, at in session.execute(query)]


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
        .where(Contract.bought_for(["GM0599"]), Offer.ijw_category == 45)
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
    pgb = signal_of(session, "GM0599", "ijw:45", "pgb_route")
    opened, changes = pgb.opened_at, transitions_of(session, pgb)
    assert not available_within_norm(current_figures(session, alternative), norm, now)
    assert refresh_demo(session, now) == timedelta(days=45)
    assert available_within_norm(current_figures(session, alternative), norm, now)
    # The signals move with the figures, so "open since" stays as true as it was.
    session.expire_all()
    assert pgb.opened_at == opened + timedelta(days=45)
    moved = [(state, at - timedelta(days=45)) for state, at in transitions_of(session, pgb)]
    assert moved == changes
    assert refresh_demo(session, now) == timedelta(0)


def test_the_pgb_route_has_been_open_for_months_since_an_evaluation_saw_the_shortage(
    session: Session, now: datetime
) -> None:
    result = load_demo(session, now)
    pgb = signal_of(session, "GM0599", "ijw:45", "pgb_route")
    assert pgb.state == "open"
    assert pgb.opened_at < now - timedelta(weeks=8)
    # It opened at one of the weekly evaluations, not when the history began: before, a
    # contracted provider could still start within the norm.
    moments = history_moments(now)
    assert pgb.opened_at in moments
    assert pgb.opened_at > moments[0]
    assert transitions_of(session, pgb) == [("open", pgb.opened_at)]
    # The shortage it opened on was published by then: every contracted offer's figure
    # then was measured and received before, still valid, and over the norm (4 + 8 weeks).
    opening = session.scalars(
        select(SignalTransition.evidence).where(SignalTransition.signal_id == pgb.id)
    ).one()
    cited = {item["offer_id"] for item in opening["evidence"]}
    assert cited <= set(result.stories["pgb_contracted"])
    assert len(cited) >= 3
    for offer_id in cited:
        known = session.scalars(
            select(AvailabilityReport)
            .where(
                AvailabilityReport.offer_id == offer_id,
                AvailabilityReport.received_at <= pgb.opened_at,
                AvailabilityReport.location_id.is_(None),
                AvailabilityReport.leerjaar.is_(None),
            )
            .order_by(AvailabilityReport.measured_at.desc())
            .limit(1)
        ).one()
        assert known.valid_until > pgb.opened_at
        assert (known.intake_wait_weeks or 0) + (known.treatment_wait_weeks or 0) > 12


def test_a_gap_that_closed_again_keeps_its_history(session: Session, now: datetime) -> None:
    result = load_demo(session, now)
    # Utrecht's dagbesteding: over Utrecht's own norm for weeks, until a new group started.
    gap = signal_of(session, "GM0344", "day_programme:dagbesteding", "pgb_route")
    assert gap.state == "resolved"
    assert gap.resolved_at is not None
    assert gap.opened_at + timedelta(weeks=4) < gap.resolved_at < now - timedelta(weeks=2)
    assert transitions_of(session, gap) == [
        ("open", gap.opened_at),
        ("resolved", gap.resolved_at),
    ]
    places = session.scalars(
        select(AvailabilityReport.open_places).where(
            AvailabilityReport.offer_id.in_(result.stories["gap_closed"]),
            AvailabilityReport.received_at == gap.resolved_at,
        )
    ).all()
    assert any(places)  # the new group's free places, sent in when it resolved


def test_demo_is_only_loaded_into_an_empty_catalogue(session: Session, now: datetime) -> None:
    load_demo(session, now)
    with pytest.raises(DirectoryError, match="not empty"):
        load_demo(session, now)
