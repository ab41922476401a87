"""Signals over the catalogue: opened, kept, resolved and reopened from the demo's stories."""

from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.catalogue.models import Contract, Offer
from directory.config import Settings
from directory.devdata.demo import load_demo
from directory.devdata.demo_builder import DemoCatalogue
from directory.enums import AvailabilityStatus
from directory.errors import InvalidDataError
from directory.signals.models import Signal, SignalTransition
from directory.signals.rules import GAP_KINDS
from directory.signals.service import EvaluationSummary, evaluate_as_configured
from tests.factories import create_report

SETTINGS = Settings(_env_file=None)
ROTTERDAM = "GM0599"
AMBULANT, SO_CLUSTER_3 = "ijw:45", "education:cluster-3:so"


def evaluate(session: Session, now: datetime, **scope: set[str]) -> EvaluationSummary:
    return evaluate_as_configured(session, SETTINGS, now, **scope)


def signal_of(
    session: Session, category: str, municipality: str = ROTTERDAM, kinds: Sequence[str] = GAP_KINDS
) -> Signal:
    return session.scalars(
        select(Signal).where(
            Signal.municipality_code == municipality,
            Signal.category == category,
            Signal.kind.in_(kinds),
        )
    ).one()


def transitions_of(session: Session, signal: Signal) -> list[str]:
    return list(
        session.scalars(
            select(SignalTransition.state)
            .where(SignalTransition.signal_id == signal.id)
            .order_by(SignalTransition.id)
        )
    )


def contracted_in_rotterdam(session: Session, demo: DemoCatalogue) -> list[int]:
    """The demo's contracted ambulant offers that Rotterdam itself contracts."""
    return sorted(
        session.scalars(
            select(Contract.offer_id).where(
                Contract.bought_for([ROTTERDAM]),
                Contract.offer_id.in_(demo.stories["pgb_contracted"]),
            )
        )
    )


def publish(session: Session, offer_ids: list[int], at: datetime, weeks: tuple[int, int]) -> None:
    for offer_id in offer_ids:
        create_report(
            session,
            session.get_one(Offer, offer_id),
            now=at,
            status=AvailabilityStatus.WAITLIST,
            intake_wait_weeks=weeks[0],
            treatment_wait_weeks=weeks[1],
        )


@pytest.fixture
def demo(session: Session, now: datetime) -> DemoCatalogue:
    return load_demo(session, now)


def test_the_demo_opens_a_pgb_route_and_an_education_gap_in_rotterdam(
    session: Session, now: datetime, demo: DemoCatalogue
) -> None:
    # The demo comes with its signals, evaluated over its history: nothing new opens now.
    assert evaluate(session, now).opened == 0

    pgb = signal_of(session, AMBULANT)
    assert (pgb.kind, pgb.state, pgb.reason_code) == ("pgb_route", "open", "none_within_norm")
    assert pgb.norm_source == "jeugdregio:JZ31"
    contracted = contracted_in_rotterdam(session, demo)
    assert sorted(item["offer_id"] for item in pgb.evidence) == contracted
    assert not any(item["available"] for item in pgb.evidence)
    assert {item["reason_code"] for item in pgb.evidence} <= {"over_norm", "stale"}
    (alternative,) = demo.stories["pgb_alternative"]
    assert [item["offer_id"] for item in pgb.alternatives] == [alternative]
    assert pgb.alternatives[0]["status"] == "open"  # open places: it can start now
    assert transitions_of(session, pgb) == ["open"]

    gap = signal_of(session, SO_CLUSTER_3)
    assert (gap.kind, gap.state) == ("education_gap", "open")
    assert demo.stories["education_gap"][0] in {item["offer_id"] for item in gap.evidence}
    assert gap.alternatives == []  # education has no PGB


def test_evaluating_again_changes_nothing(
    session: Session, now: datetime, demo: DemoCatalogue
) -> None:
    evaluate(session, now)
    signals = session.scalar(select(func.count()).select_from(Signal))
    transitions = session.scalar(select(func.count()).select_from(SignalTransition))
    before = {signal.id: signal.updated_at for signal in session.scalars(select(Signal))}
    # Something to keep unchanged, else the counts below would hold for any evaluation.
    assert signals
    assert transitions

    again = evaluate(session, now)
    assert (again.opened, again.resolved, again.updated) == (0, 0, 0)
    assert again.evaluated > 0
    assert session.scalar(select(func.count()).select_from(Signal)) == signals
    assert session.scalar(select(func.count()).select_from(SignalTransition)) == transitions
    assert {signal.id: signal.updated_at for signal in session.scalars(select(Signal))} == before


def test_short_waits_for_every_contracted_offer_resolve_the_signal(
    session: Session, now: datetime, demo: DemoCatalogue
) -> None:
    evaluate(session, now)
    later = now + timedelta(hours=1)
    contracted = contracted_in_rotterdam(session, demo)
    publish(session, contracted, later, (1, 2))
    evaluate(session, later)
    pgb = signal_of(session, AMBULANT)
    assert (pgb.state, pgb.resolved_at) == ("resolved", later)
    assert pgb.reason_code == "contracted_within_norm"
    assert transitions_of(session, pgb) == ["open", "resolved"]
    resolving = session.scalars(
        select(SignalTransition).where(
            SignalTransition.signal_id == pgb.id, SignalTransition.state == "resolved"
        )
    ).one()
    assert resolving.at == later
    assert any(item["available"] for item in resolving.evidence["evidence"])
    assert signal_of(session, SO_CLUSTER_3).state == "open"  # other gaps stay open


def test_a_gap_that_comes_back_reopens_the_same_signal(
    session: Session, now: datetime, demo: DemoCatalogue
) -> None:
    evaluate(session, now)
    contracted = contracted_in_rotterdam(session, demo)
    first = signal_of(session, AMBULANT)
    resolved_at, reopened_at = now + timedelta(days=1), now + timedelta(days=2)
    publish(session, contracted, resolved_at, (1, 2))
    evaluate(session, resolved_at)
    publish(session, contracted, reopened_at, (10, 30))
    summary = evaluate(session, reopened_at)

    assert summary.opened >= 1
    again = signal_of(session, AMBULANT)
    assert again.id == first.id
    assert (again.state, again.opened_at, again.resolved_at) == ("open", reopened_at, None)
    assert transitions_of(session, again) == ["open", "resolved", "open"]
    assert {item["total_wait_weeks"] for item in again.evidence} == {40}


def test_an_evaluation_restricted_to_one_pair_leaves_the_others_alone(
    session: Session, now: datetime, demo: DemoCatalogue
) -> None:
    evaluate(session, now)
    later = now + timedelta(hours=1)
    publish(session, contracted_in_rotterdam(session, demo), later, (1, 2))
    for school in demo.stories["education_gap"]:
        create_report(
            session,
            session.get_one(Offer, school),
            now=later,
            status=AvailabilityStatus.OPEN,
            open_places=3,
            intake_wait_weeks=0,
            treatment_wait_weeks=0,
        )

    summary = evaluate(session, later, municipalities={ROTTERDAM}, categories={AMBULANT})
    assert (summary.evaluated, summary.resolved) == (1, 1)
    assert signal_of(session, AMBULANT).state == "resolved"
    assert signal_of(session, SO_CLUSTER_3).state == "open"  # changed, but not evaluated
    assert signal_of(session, AMBULANT, "GM0606").state == "open"  # a neighbour: not in scope

    evaluate(session, later, categories={SO_CLUSTER_3})
    assert signal_of(session, SO_CLUSTER_3).state == "resolved"


def test_a_gap_whose_contracts_ended_turns_into_a_no_contract_task(
    session: Session, now: datetime, demo: DemoCatalogue
) -> None:
    evaluate(session, now)
    for contract in session.scalars(
        select(Contract).where(
            Contract.bought_for([ROTTERDAM]),
            Contract.offer_id.in_(demo.stories["pgb_contracted"]),
        )
    ):
        contract.valid_to = now.date() - timedelta(days=1)
    session.flush()
    evaluate(session, now)
    pgb = signal_of(session, AMBULANT)
    assert (pgb.state, transitions_of(session, pgb)) == ("resolved", ["open", "resolved"])
    task = signal_of(session, AMBULANT, kinds=["no_contract"])
    assert (task.state, task.opened_at, transitions_of(session, task)) == ("open", now, ["open"])


def test_unknown_categories_are_refused(session: Session, now: datetime) -> None:
    with pytest.raises(InvalidDataError, match="unknown categories"):
        evaluate(session, now, categories={"ijw:99"})


def test_summaries_of_several_evaluations_add_up_field_by_field() -> None:
    total = EvaluationSummary(3, 1, 0, 2) + EvaluationSummary(4, 0, 2, 1)
    assert total == EvaluationSummary(evaluated=7, opened=1, resolved=2, updated=3)
