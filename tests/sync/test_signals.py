"""The signal jobs: what the change job evaluates again after availability, contract and
norm changes, and that it resumes from the mark it stored.

The jobs are called directly with an injected time.
"""

import json
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from directory.catalogue.models import AvailabilityReport, Offer, WaitingNorm
from directory.config import Settings
from directory.enums import AvailabilityStatus
from directory.signals.models import Signal
from sync.changes import ChangeState, IdCursor, state_from_json, state_to_json
from sync.signals import evaluate_all_signals, evaluate_changes
from tests.factories import (
    create_contract,
    create_location,
    create_offer,
    create_organisation,
    create_report,
)

SETTINGS = Settings(_env_file=None)
AMBULANT = "ijw:45"
ROTTERDAM, SCHIEDAM, UTRECHT = "GM0599", "GM0606", "GM0344"
CENTRES = {ROTTERDAM: (51.9225, 4.4792), UTRECHT: (52.0908, 5.1222)}


def contracted_offer(
    session: Session, now: datetime, municipality: str, weeks: int, email: str | None = None
) -> Offer:
    """An ambulant offer located in and contracted by `municipality`, waiting `weeks`."""
    organisation = create_organisation(session, email=email)
    lat, lon = CENTRES[municipality]
    location = create_location(
        session, organisation, municipality_code=municipality, lat=lat, lon=lon
    )
    offer = create_offer(session, organisation, locations=[location])
    create_contract(session, offer, municipality)
    publish(session, offer, now, weeks)
    return offer


def publish(session: Session, offer: Offer, at: datetime, weeks: int) -> None:
    create_report(
        session,
        offer,
        now=at,
        status=AvailabilityStatus.WAITLIST,
        intake_wait_weeks=weeks,
        treatment_wait_weeks=0,
    )


def state_of(session: Session, municipality: str, category: str = AMBULANT) -> str | None:
    session.expire_all()
    return session.scalar(
        select(Signal.state).where(
            Signal.municipality_code == municipality, Signal.category == category
        )
    )


# --- incremental evaluation -------------------------------------------------------------


def test_after_an_availability_change_only_its_pair_is_evaluated_again(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    rotterdam = contracted_offer(session, now, ROTTERDAM, weeks=30)
    contracted_offer(session, now, UTRECHT, weeks=30)
    session.commit()
    first = evaluate_changes(session_factory, SETTINGS, now)
    assert first.full
    assert state_of(session, ROTTERDAM) == state_of(session, UTRECHT) == "open"

    later = now + timedelta(hours=1)
    publish(session, rotterdam, later, weeks=2)
    # Utrecht's figure changes behind the feeds' back: only a full run can see that.
    session.execute(
        update(AvailabilityReport)
        .where(AvailabilityReport.offer_id != rotterdam.id)
        .values(intake_wait_weeks=1)
    )
    session.commit()

    run = evaluate_changes(session_factory, SETTINGS, later)
    assert not run.full
    assert run.pairs == {(ROTTERDAM, AMBULANT)}
    assert (run.summary.evaluated, run.summary.resolved) == (1, 1)
    assert state_of(session, ROTTERDAM) == "resolved"
    assert state_of(session, UTRECHT) == "open"  # not looked at

    quiet = evaluate_changes(session_factory, SETTINGS, later)
    assert (quiet.pairs, quiet.summary.evaluated) == (frozenset(), 0)
    evaluate_all_signals(session_factory, SETTINGS, later)
    assert state_of(session, UTRECHT) == "resolved"


def test_a_new_contract_and_a_changed_norm_are_evaluated_for_their_pairs_alone(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    rotterdam = contracted_offer(session, now, ROTTERDAM, weeks=30)
    session.commit()
    evaluate_changes(session_factory, SETTINGS, now)

    create_contract(session, rotterdam, SCHIEDAM)
    session.commit()
    run = evaluate_changes(session_factory, SETTINGS, now)
    assert (SCHIEDAM, AMBULANT) in run.pairs
    assert state_of(session, SCHIEDAM) == "open"

    session.add(
        WaitingNorm(
            category=AMBULANT, municipality_code=ROTTERDAM, intake_weeks=26, treatment_weeks=10
        )
    )
    session.commit()
    run = evaluate_changes(session_factory, SETTINGS, now)
    assert run.pairs == {(ROTTERDAM, AMBULANT)}
    assert state_of(session, ROTTERDAM) == "resolved"  # 30 weeks is within 36
    assert state_of(session, SCHIEDAM) == "open"


def test_a_restart_resumes_from_the_stored_mark_instead_of_evaluating_everything(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    rotterdam = contracted_offer(session, now, ROTTERDAM, weeks=30)
    contracted_offer(session, now, UTRECHT, weeks=30)
    session.commit()
    assert evaluate_changes(session_factory, SETTINGS, now).full
    # A new process (nothing in memory) finds the mark in the database.
    publish(session, rotterdam, now, weeks=2)
    session.commit()
    run = evaluate_changes(session_factory, SETTINGS, now)
    assert not run.full
    assert run.pairs == {(ROTTERDAM, AMBULANT)}
    assert state_of(session, ROTTERDAM) == "resolved"


def test_the_mark_survives_a_round_trip_through_json_with_its_gaps_and_norms() -> None:
    state = ChangeState(
        IdCursor(40, {37: 3, 38: 12}),
        IdCursor(7),
        {3: (AMBULANT, ROTTERDAM, None, 4, 10), 4: ("ijw:41", None, None, 6, 6)},
    )
    assert state_from_json(json.loads(json.dumps(state_to_json(state)))) == state
    assert state_from_json({"version": 0}) is None  # an unknown shape: start again in full
