"""PGB-route and education-gap signals over the catalogue: evaluate, record, read.

`evaluate_signals` loads what the pure rule (`directory.signals.rules.evaluate`) needs in a few
bulk queries, evaluates every (municipality, category) pair in scope and keeps one `Signal`
row per gap: opened when the gap appears, resolved when it closes, opened again when it
comes back, with a `SignalTransition` for every change. Re-running changes nothing.
Services only flush; the caller's unit of work commits.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Collection
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from directory.bulk import collector_paused
from directory.catalogue.rules import Norm, resolve_norm
from directory.config import Settings
from directory.enums import OfferKind
from directory.errors import InvalidDataError, InvalidParam
from directory.notifications.service import queue_signal_transitions
from directory.signals.inputs import (
    SKIPPED_CATEGORIES,
    NearbyOffers,
    is_category,
    load_candidates,
    load_municipalities,
    load_norms,
    load_pgb_tariffs,
)
from directory.signals.models import Signal, SignalTransition
from directory.signals.policy import default_norm as category_default_norm
from directory.signals.rules import (
    CandidateOffer,
    Evaluation,
    evaluate,
    in_force,
    transition,
)
from directory.signals.tariffs import resolve_pgb_tariff

OPEN, RESOLVED = "open", "resolved"
# The best alternatives (by wait, then distance) are kept; `alternatives_total` counts all.
MAX_ALTERNATIVES = 25


@dataclass(frozen=True, slots=True)
class EvaluationSummary:
    """What one evaluation did: pairs looked at and signals changed."""

    evaluated: int  # (municipality, category) pairs with a contracted offer
    opened: int  # new signals and ones that came back
    resolved: int
    updated: int  # open signals whose evidence or alternatives changed

    def __add__(self, other: EvaluationSummary) -> EvaluationSummary:
        return EvaluationSummary(
            self.evaluated + other.evaluated,
            self.opened + other.opened,
            self.resolved + other.resolved,
            self.updated + other.updated,
        )


# --- categories -----------------------------------------------------------------------


@collector_paused()  # a sweep builds objects by the hundred thousand
def evaluate_signals(
    session: Session,
    *,
    now: datetime,
    today: date,
    default_norm: Norm,
    max_distance_km: float,
    municipalities: set[str] | None = None,
    categories: set[str] | None = None,
) -> EvaluationSummary:
    """Evaluate every (municipality, category) pair that has a contracted offer, and open,
    update or resolve its signals: at most one row per pair is open, of the kind its finding
    names (a shortage's gap kind, `figures_unknown` or `no_contract`).

    `municipalities` and `categories` restrict the work to pairs in both (None: all), so a
    change can be re-evaluated alone. Pairs without any contracted offer are left out (a
    sweep cannot tell a gap from a category nobody there needs), unless one of their rows
    is open: then the need was known, and a `no_contract` task opens in its place.

    Municipalities do not buy school places: for education, M's supply is the schools
    that serve M (`rules.counts_for`), not contracts.
    """
    if categories is not None:
        unknown = sorted(category for category in categories if not is_category(category))
        if unknown:
            raise InvalidDataError(
                "unknown categories", [InvalidParam("category", c) for c in unknown]
            )
        categories = categories - SKIPPED_CATEGORIES
        if not categories:
            return EvaluationSummary(0, 0, 0, 0)
    known = load_municipalities(session)
    points, regions = known.points, known.regions
    scope = set(points) if municipalities is None else municipalities & set(points)
    offers = load_candidates(
        session,
        now=now,
        today=today,
        municipalities=None if municipalities is None else [points[code] for code in scope],
        categories=categories,
        max_distance_km=max_distance_km,
    )
    contracted: dict[tuple[str, str], list[CandidateOffer]] = defaultdict(list)
    near: dict[str, NearbyOffers] = defaultdict(lambda: NearbyOffers(max_distance_km))
    for offer in offers:
        for code in _supplied(offer, known.members, today) & scope:
            contracted[(code, offer.category)].append(offer)
        if offer.accepts_pgb and offer.lat is not None and offer.lon is not None:
            near[offer.category].add(offer, offer.lat, offer.lon)
    norms = load_norms(session)
    tariffs = load_pgb_tariffs(session)
    existing = _signals(session, municipalities, categories)

    arguments: dict[str, Any] = {"now": now, "today": today, "max_distance_km": max_distance_km}
    recorder = _Recorder(session, now)
    for code, category in sorted(contracted.keys() | existing.keys()):
        rows = existing.get((code, category), {})
        chosen = contracted.get((code, category), [])
        if not chosen and not any(row.state == OPEN for row in rows.values()):
            continue  # nothing bought and nothing open: no known need here
        point = points[code]
        norm = resolve_norm(
            category,
            code,
            regions[code],
            norms.get(category, []),
            category_default_norm(category, default_norm),
        )
        arguments["pgb_tariff"] = resolve_pgb_tariff(
            category, code, regions[code], tariffs.get(category, ())
        )
        # The verdict depends on the contracted offers alone; alternatives are looked up
        # only where there is a shortage to show them on.
        explain = any(row.state == OPEN for row in rows.values())
        verdict = evaluate(point, category, chosen, norm, explain=explain, **arguments)
        recorder.evaluated += bool(chosen)
        if verdict.open and verdict.kind == "pgb_route" and point.lat and point.lon:
            ids = {offer.offer_id for offer in chosen}
            others = [
                offer
                for offer in near[category].around(point.lat, point.lon)
                if offer.offer_id not in ids
            ]
            verdict = evaluate(point, category, [*chosen, *others], norm, **arguments)
        recorder.settle(rows, verdict)
    return recorder.finish()


def _supplied(offer: CandidateOffer, members: dict[str, set[str]], today: date) -> set[str]:
    """The municipalities `offer` is supply for on `today` (`rules.counts_for`): those a
    school serves; those with a contract in force, a regional one for every member."""
    if offer.kind is OfferKind.SPECIAL_EDUCATION:
        return set(offer.serves)
    found: set[str] = set()
    for term in offer.contracts:
        if not in_force(term, today):
            continue
        if term.municipality_code is not None:
            found.add(term.municipality_code)
        elif term.jeugdregio_code is not None:
            found |= members.get(term.jeugdregio_code, set())
    return found


def evaluate_as_configured(
    session: Session,
    settings: Settings,
    now: datetime,
    *,
    municipalities: set[str] | None = None,
    categories: set[str] | None = None,
) -> EvaluationSummary:
    """`evaluate_signals` with the deployment's norm and alternatives distance, on the
    day `now` falls on."""
    return evaluate_signals(
        session,
        now=now,
        today=now.date(),
        default_norm=settings.default_norm,
        max_distance_km=settings.signal_max_distance_km,
        municipalities=municipalities,
        categories=categories,
    )


@dataclass(frozen=True, slots=True)
class _Stored:
    id: int
    state: str
    digest: str


class _Recorder:
    """Collects the changes of one evaluation and writes them in a few statements."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session = session
        self.now = now
        self.new: list[tuple[dict[str, Any], dict[str, Any]]] = []  # (row, snapshot)
        self.changes: list[dict[str, Any]] = []
        self.transitions: list[dict[str, Any]] = []
        self.evaluated = self.opened = self.resolved = self.updated = 0

    def settle(self, rows: dict[str, _Stored], verdict: Evaluation) -> None:
        """Keep open the one row whose kind the finding names (none when a contracted offer
        is available) and resolve the pair's others: a shortage that turns out unknown
        closes as a shortage and opens as a task, and back."""
        holding = None if verdict.finding == "available" else verdict.kind
        closing = [
            row
            for kind, row in sorted(rows.items())
            if kind != holding and transition(row.state == OPEN, False) == "resolve"
        ]
        if holding is None and not closing:
            return  # most pairs: available, nothing open; no content to build
        content = _content(verdict)
        for row in closing:
            self._change(row, content, state=RESOLVED, resolved_at=self.now)
            self.resolved += 1
        if holding is not None:
            self._hold(rows.get(holding), verdict, content)

    def _hold(self, signal: _Stored | None, verdict: Evaluation, content: dict[str, Any]) -> None:
        if signal is None:
            row = {
                "kind": verdict.kind,
                "municipality_code": verdict.municipality_code,
                "category": verdict.category,
                "state": OPEN,
                "opened_at": self.now,
                "resolved_at": None,
                "updated_at": self.now,
                **content,
            }
            self.new.append((row, _snapshot(content)))
            self.opened += 1
        elif transition(signal.state == OPEN, True) == "open":
            self._change(signal, content, state=OPEN, opened_at=self.now, resolved_at=None)
            self.opened += 1
        elif content["digest"] != signal.digest:
            self.changes.append({"id": signal.id, "updated_at": self.now, **content})
            self.updated += 1

    def _change(self, signal: _Stored, content: dict[str, Any], **fields: Any) -> None:
        self.changes.append({"id": signal.id, "updated_at": self.now, **content, **fields})
        self.transitions.append(
            _transition(signal.id, fields["state"], self.now, _snapshot(content))
        )

    def finish(self) -> EvaluationSummary:
        if self.new:
            ids = self.session.scalars(
                insert(Signal).returning(Signal.id, sort_by_parameter_order=True),
                [row for row, _ in self.new],
            ).all()
            self.transitions += [
                _transition(signal_id, OPEN, self.now, snapshot)
                for signal_id, (_, snapshot) in zip(ids, self.new, strict=True)
            ]
        if self.changes:
            self.session.execute(update(Signal), self.changes)
        if self.transitions:
            self.session.execute(insert(SignalTransition), self.transitions)
        if self.new or self.changes:
            # The bulk statements bypass the identity map: reload signals already loaded.
            for instance in list(self.session.identity_map.values()):
                if isinstance(instance, Signal):
                    self.session.expire(instance)
        self.session.flush()
        # Subscribers hear of each change through the outbox, committed with it or not at all.
        queue_signal_transitions(
            self.session, {item["signal_id"]: item["state"] for item in self.transitions}, self.now
        )
        return EvaluationSummary(self.evaluated, self.opened, self.resolved, self.updated)


def _transition(signal_id: int, state: str, at: datetime, evidence: Any) -> dict[str, Any]:
    return {"signal_id": signal_id, "state": state, "at": at, "evidence": evidence}


def _content(verdict: Evaluation) -> dict[str, Any]:
    """The columns a signal shows for an evaluation, with their digest."""
    content: dict[str, Any] = {
        "reason_code": verdict.reason_code,
        "norm_intake_weeks": verdict.norm.intake_weeks,
        "norm_treatment_weeks": verdict.norm.treatment_weeks,
        "norm_source": verdict.norm.source,
        "evidence": [
            {
                **asdict(item),
                "valid_until": item.valid_until.isoformat() if item.valid_until else None,
            }
            for item in verdict.evidence
        ],
        "alternatives": [asdict(item) for item in verdict.alternatives[:MAX_ALTERNATIVES]],
        "alternatives_total": len(verdict.alternatives),
        "leerjaren": list(verdict.leerjaren),
        "pgb_tariff": asdict(verdict.pgb_tariff) if verdict.pgb_tariff else None,
    }
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":")).encode()
    content["digest"] = hashlib.sha256(encoded).hexdigest()
    return content


def _snapshot(content: dict[str, Any]) -> dict[str, Any]:
    """What a transition keeps: why the state changed (alternatives by id only)."""
    return {
        "reason_code": content["reason_code"],
        "norm": {
            "intake_weeks": content["norm_intake_weeks"],
            "treatment_weeks": content["norm_treatment_weeks"],
            "source": content["norm_source"],
        },
        "evidence": content["evidence"],
        "leerjaren": content["leerjaren"],
        "alternatives": [item["offer_id"] for item in content["alternatives"]],
    }


def _signals(
    session: Session, municipalities: Collection[str] | None, categories: Collection[str] | None
) -> dict[tuple[str, str], dict[str, _Stored]]:
    """The stored signal rows of each (municipality, category) pair, by kind."""
    query = select(
        Signal.municipality_code,
        Signal.category,
        Signal.kind,
        Signal.id,
        Signal.state,
        Signal.digest,
    ).where(Signal.category.not_in(SKIPPED_CATEGORIES))
    if municipalities is not None:
        query = query.where(Signal.municipality_code.in_(sorted(municipalities)))
    if categories is not None:
        query = query.where(Signal.category.in_(sorted(categories)))
    found: dict[tuple[str, str], dict[str, _Stored]] = defaultdict(dict)
    for code, category, kind, signal_id, state, digest in session.execute(query):
        found[(code, category)][kind] = _Stored(signal_id, state, digest)
    return found
