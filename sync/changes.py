"""What changed since the last look, for re-evaluating only the signals it touches.

Three feeds: the `index_outbox` (every change of an offer or its availability writes a row
there in the same transaction), new `contract` rows, and the waiting norms (a small table,
compared as a whole). Rows are followed by id past a high-water mark. On PostgreSQL a
transaction that took a lower id may commit after one with a higher id, so ids skipped
below the mark are looked for again for a few runs before they are given up (a rolled-back
insert leaves such a gap for good).

An offer's change touches the pairs (municipality, its category) for the municipalities
that contract it or where it is located (for a school: also those its
samenwerkingsverband covers), plus the open signals of its category near it, where it
may be or have been an alternative. What no feed shows (a contract edited or deleted in
place, a figure passing its valid-until) is caught by the periodic full evaluation.

The state is kept in the `change_mark` table (`load_state`, `save_state`), written in the
unit of work of the evaluation it led to: a restart, or another scheduler taking over,
resumes where the last committed run stopped instead of evaluating everything again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from directory.catalogue.listing import contracted_pairs
from directory.catalogue.models import (
    Contract,
    Location,
    Offer,
    Organisation,
    WaitingNorm,
    offer_location,
)
from directory.db import CHUNK
from directory.geo import distance_km
from directory.jobs import ChangeMark
from directory.reference.models import Municipality, swv_municipality
from directory.search_index import IndexOutbox
from directory.signals.inputs import is_category, offer_categories
from directory.signals.models import Signal
from directory.signals.policy import is_school_category

GAP_RUNS = 12  # how many runs an id skipped below the mark is looked for again
MAX_GAPS = 1_000
Pair = tuple[str, str]  # (municipality code, category)
NormRow = tuple[str, str | None, str | None, int, int]


@dataclass(frozen=True, slots=True)
class IdCursor:
    """How far a feed was read: every id up to `mark`, except the `gaps` (id -> runs left)."""

    mark: int
    gaps: dict[int, int] = field(default_factory=dict)

    def condition(self, column: InstrumentedAttribute[int]) -> ColumnElement[bool]:
        newer = column > self.mark
        return or_(newer, column.in_(sorted(self.gaps))) if self.gaps else newer

    def after(self, seen: Iterable[int]) -> IdCursor:
        """The cursor once the rows with ids `seen` have been read."""
        ids = set(seen)
        top = max(ids | {self.mark})
        gaps = {i: left - 1 for i, left in self.gaps.items() if i not in ids and left > 1}
        for missing in range(max(self.mark + 1, top - MAX_GAPS), top):
            if missing not in ids:
                gaps[missing] = GAP_RUNS
        return IdCursor(top, gaps)


@dataclass(frozen=True, slots=True)
class ChangeState:
    """Where the feeds were read up to, and the norms as they were then."""

    outbox: IdCursor
    contracts: IdCursor
    norms: dict[int, NormRow]


@dataclass(frozen=True, slots=True)
class Changes:
    """What the feeds showed since the last state."""

    offer_ids: frozenset[int]
    # Norms that changed: category -> municipalities, None meaning all of them.
    norm_scopes: dict[str, set[str] | None]

    def __bool__(self) -> bool:
        return bool(self.offer_ids or self.norm_scopes)


def start_state(session: Session) -> ChangeState:
    """The state as of now: everything there is counts as seen."""
    return ChangeState(
        IdCursor(session.scalar(select(func.max(IndexOutbox.id))) or 0),
        IdCursor(session.scalar(select(func.max(Contract.id))) or 0),
        _norms(session),
    )


STATE_VERSION = 1
SIGNAL_CHANGES = "signal-changes"  # the name of the change job's row in change_mark


def state_to_json(state: ChangeState) -> dict[str, Any]:
    """The state as JSON (object keys are strings there; `state_from_json` undoes it)."""

    def cursor(item: IdCursor) -> dict[str, Any]:
        return {"mark": item.mark, "gaps": [[i, left] for i, left in sorted(item.gaps.items())]}

    return {
        "version": STATE_VERSION,
        "outbox": cursor(state.outbox),
        "contracts": cursor(state.contracts),
        "norms": [[norm_id, *row] for norm_id, row in sorted(state.norms.items())],
    }


def state_from_json(data: dict[str, Any]) -> ChangeState | None:
    """The state stored by `state_to_json`; None for a shape this version cannot read
    (the change job then starts again with a full evaluation)."""
    if data.get("version") != STATE_VERSION:
        return None

    def cursor(item: dict[str, Any]) -> IdCursor:
        return IdCursor(int(item["mark"]), {int(i): int(left) for i, left in item["gaps"]})

    norms: dict[int, NormRow] = {
        int(row[0]): (row[1], row[2], row[3], int(row[4]), int(row[5])) for row in data["norms"]
    }
    return ChangeState(cursor(data["outbox"]), cursor(data["contracts"]), norms)


def load_state(session: Session, name: str = SIGNAL_CHANGES) -> ChangeState | None:
    """The stored state, or None when there is none yet."""
    row = session.get(ChangeMark, name)
    return None if row is None else state_from_json(row.state)


def save_state(
    session: Session, state: ChangeState, now: datetime, name: str = SIGNAL_CHANGES
) -> None:
    """Store the state in the caller's unit of work (only the lock holder writes it)."""
    row = session.get(ChangeMark, name)
    if row is None:
        session.add(ChangeMark(name=name, state=state_to_json(state), updated_at=now))
    else:
        row.state, row.updated_at = state_to_json(state), now
    session.flush()


def read_changes(session: Session, state: ChangeState) -> tuple[Changes, ChangeState]:
    """The changes since `state`, and the state after them."""
    outbox = session.execute(
        select(IndexOutbox.id, IndexOutbox.offer_id).where(state.outbox.condition(IndexOutbox.id))
    ).all()
    contracts = session.execute(
        select(Contract.id, Contract.offer_id).where(state.contracts.condition(Contract.id))
    ).all()
    norms = _norms(session)
    changes = Changes(
        frozenset(offer_id for _, offer_id in [*outbox, *contracts]),
        _norm_scopes(session, state.norms, norms),
    )
    after = ChangeState(
        state.outbox.after(row_id for row_id, _ in outbox),
        state.contracts.after(row_id for row_id, _ in contracts),
        norms,
    )
    return changes, after


def affected_pairs(
    session: Session, offer_ids: Iterable[int], max_distance_km: float
) -> dict[str, set[str]]:
    """The municipalities, per category, whose signals the offers' changes may touch."""
    categories = offer_categories(session, offer_ids)
    education = {i for i, key in categories.items() if is_school_category(key)}
    pairs: dict[str, set[str]] = defaultdict(set)
    known = sorted(categories)
    places: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for chunk in _chunks(known):
        # Every contract, ended or not (one may just have ended).
        for offer_id, code in session.execute(contracted_pairs(chunk, None)):
            pairs[categories[offer_id]].add(code)
        # Deleted locations too: the offer may just have left them.
        for offer_id, code, lat, lon in session.execute(
            select(
                offer_location.c.offer_id, Location.municipality_code, Location.lat, Location.lon
            )
            .join(Location, Location.id == offer_location.c.location_id)
            .where(offer_location.c.offer_id.in_(chunk))
        ):
            pairs[categories[offer_id]].add(code)
            if lat is not None and lon is not None:
                places[offer_id].append((lat, lon))
        schools = [offer_id for offer_id in chunk if offer_id in education]
        if schools:
            for offer_id, code in session.execute(
                select(Offer.id, swv_municipality.c.municipality_code)
                .join(Organisation, Organisation.id == Offer.organisation_id)
                .join(swv_municipality, swv_municipality.c.swv_code == Organisation.swv_code)
                .where(Offer.id.in_(schools))
            ):
                pairs[categories[offer_id]].add(code)
    _add_nearby_signals(session, categories, education, places, max_distance_km, pairs)
    return dict(pairs)


def _add_nearby_signals(
    session: Session,
    categories: dict[int, str],
    education: set[int],
    places: dict[int, list[tuple[float, float]]],
    max_distance_km: float,
    pairs: dict[str, set[str]],
) -> None:
    """Open signals of an offer's category within reach of it list it as an alternative
    (or could, or did); education has no alternatives."""
    wanted = {categories[i] for i in places if i not in education}
    if not wanted:
        return
    open_signals = session.execute(
        select(Signal.category, Signal.municipality_code, Municipality.lat, Municipality.lon)
        .join(Municipality, Municipality.code == Signal.municipality_code)
        .where(Signal.state == "open", Signal.category.in_(sorted(wanted)))
    ).all()
    for offer_id, points in places.items():
        if offer_id in education:
            continue
        category = categories[offer_id]
        for signal_category, code, lat, lon in open_signals:
            if signal_category != category or lat is None or lon is None:
                continue
            if any(distance_km(lat, lon, *place) <= max_distance_km for place in points):
                pairs[category].add(code)


def _norms(session: Session) -> dict[int, NormRow]:
    query = select(
        WaitingNorm.id,
        WaitingNorm.category,
        WaitingNorm.municipality_code,
        WaitingNorm.jeugdregio_code,
        WaitingNorm.intake_weeks,
        WaitingNorm.treatment_weeks,
    )
    return {row[0]: tuple(row[1:]) for row in session.execute(query)}  # type: ignore[misc]


def _norm_scopes(
    session: Session, before: dict[int, NormRow], now: dict[int, NormRow]
) -> dict[str, set[str] | None]:
    """Per category whose norms changed, the municipalities they apply to (None: all)."""
    changed = [
        row
        for norm_id in before.keys() | now.keys()
        if before.get(norm_id) != now.get(norm_id)
        for row in (before.get(norm_id), now.get(norm_id))
        if row is not None
    ]
    scopes: dict[str, set[str] | None] = {}
    for category, municipality, region, *_ in changed:
        if not is_category(category):
            continue
        if municipality is None and region is None:
            scopes[category] = None  # a national norm: everywhere
            continue
        codes: set[str] = (
            {municipality}
            if municipality is not None
            else set(
                session.scalars(
                    select(Municipality.code).where(Municipality.jeugdregio_code == region)
                )
            )
        )
        scope = scopes.get(category, set())
        if scope is not None:
            scopes[category] = scope | codes
    return scopes


def _chunks(ids: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]
