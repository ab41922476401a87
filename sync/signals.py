"""The signal jobs: `evaluate-signals` evaluates every municipality and category every few
minutes; `evaluate-changes` looks every few seconds at what changed (availability,
contracts, norms: `sync.changes`) and re-evaluates only the pairs it touches.

Both are plain functions of the time they run at, each in one unit of work; `jobs`
registers them with the runner (`sync.runner`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.orm import Session, sessionmaker

from directory.config import Settings
from directory.db import unit_of_work
from directory.signals.service import EvaluationSummary, evaluate_as_configured
from sync.changes import affected_pairs, load_state, read_changes, save_state, start_state
from sync.runner import JobContext, JobSpec, late_after_every

EVALUATE_SIGNALS = "evaluate-signals"
EVALUATE_CHANGES = "evaluate-changes"
# Beyond this many changed offers one full evaluation is cheaper than many small ones.
FULL_EVALUATION_ABOVE = 2_000


def evaluate_all_signals(
    session_factory: sessionmaker[Session], settings: Settings, now: datetime
) -> EvaluationSummary:
    """Evaluate every municipality and category (what time alone changes, such as a figure
    passing its valid-until or a contract ending, is caught here)."""
    with unit_of_work(session_factory) as session:
        return evaluate_as_configured(session, settings, now)


@dataclass(frozen=True, slots=True)
class ChangeRun:
    """What one run of the change job did."""

    full: bool  # evaluated everything (the first run, or too much changed)
    offers: int  # changed offers seen
    pairs: frozenset[tuple[str, str]]  # (municipality, category) pairs asked for
    summary: EvaluationSummary


def evaluate_changes(
    session_factory: sessionmaker[Session], settings: Settings, now: datetime
) -> ChangeRun:
    """Re-evaluate the signals touched by what changed since the last committed run (see
    `sync.changes`; the mark is stored with the evaluation). Without a stored mark (a new
    database) it evaluates everything and starts following changes from there."""
    with unit_of_work(session_factory) as session:
        previous = load_state(session)
        if previous is None:
            state = start_state(session)
            run = ChangeRun(True, 0, frozenset(), evaluate_as_configured(session, settings, now))
        else:
            changes, state = read_changes(session, previous)
            run = _evaluate_changed(session, settings, now, changes.offer_ids, changes.norm_scopes)
        if state != previous:  # a quiet poll writes nothing
            save_state(session, state, now)
    return run


def _evaluate_changed(
    session: Session,
    settings: Settings,
    now: datetime,
    offer_ids: frozenset[int],
    norm_scopes: dict[str, set[str] | None],
) -> ChangeRun:
    if len(offer_ids) > FULL_EVALUATION_ABOVE:
        return ChangeRun(
            True, len(offer_ids), frozenset(), evaluate_as_configured(session, settings, now)
        )
    scopes: dict[str, set[str] | None] = dict(
        affected_pairs(session, offer_ids, settings.signal_max_distance_km)
    )
    for category, municipalities in norm_scopes.items():
        known = scopes.get(category, set())
        wider = None if municipalities is None or known is None else known | municipalities
        scopes[category] = wider
    totals = EvaluationSummary(0, 0, 0, 0)
    pairs: set[tuple[str, str]] = set()
    for category, municipalities in sorted(scopes.items()):
        if municipalities is not None and not municipalities:
            continue
        # "*" stands for every municipality (a national norm changed).
        pairs.update((code, category) for code in municipalities or {"*"})
        summary = evaluate_as_configured(
            session, settings, now, municipalities=municipalities, categories={category}
        )
        totals += summary
    return ChangeRun(False, len(offer_ids), frozenset(pairs), totals)


def jobs(context: JobContext) -> list[JobSpec]:
    """The full evaluation every `signal_evaluation_minutes`, and the change job every
    `signal_change_poll_seconds`."""
    settings, factory = context.settings, context.session_factory
    return [
        JobSpec(
            EVALUATE_SIGNALS,
            "evaluate every PGB-route and education-gap signal",
            lambda now: evaluate_all_signals(factory, settings, now),
            IntervalTrigger(minutes=settings.signal_evaluation_minutes),
            misfire_grace_seconds=300,
            late_after=late_after_every(timedelta(minutes=settings.signal_evaluation_minutes)),
        ),
        JobSpec(
            EVALUATE_CHANGES,
            "re-evaluate the signals touched by changes",
            lambda now: evaluate_changes(factory, settings, now),
            IntervalTrigger(seconds=settings.signal_change_poll_seconds),
            misfire_grace_seconds=30,
            start_now=True,  # a new database's first run is the full evaluation
            late_after=late_after_every(timedelta(seconds=settings.signal_change_poll_seconds)),
            did_something=lambda run: run.full or bool(run.pairs),
        ),
    ]
