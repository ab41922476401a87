"""Reading signals: a page of them; one with its transitions, the names of the offers it
cites and the samenwerkingsverband a family turns to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.catalogue.models import Offer
from directory.enums import SwvLayer
from directory.errors import NotFoundError
from directory.reference.models import Swv, swv_municipality
from directory.signals.models import Signal, SignalTransition
from directory.signals.rules import GAP_KINDS


@dataclass(frozen=True, slots=True)
class SignalFilter:
    """What `list_signals` may be asked for; None means any."""

    municipality: str | None = None
    state: str | None = None
    kind: str | None = None  # None: the shortages (`GAP_KINDS`), never a task
    category: str | None = None


def list_signals(
    session: Session, where: SignalFilter, *, page: int, per_page: int
) -> tuple[list[Signal], int]:
    """One page of signals, newest opened first, and how many match in all."""
    conditions = [
        column == value
        for column, value in (
            (Signal.municipality_code, where.municipality),
            (Signal.state, where.state),
            (Signal.kind, where.kind),
            (Signal.category, where.category),
        )
        if value is not None
    ]
    if where.kind is None:
        conditions.append(Signal.kind.in_(GAP_KINDS))
    total = session.scalar(select(func.count()).select_from(Signal).where(*conditions)) or 0
    signals = session.scalars(
        select(Signal)
        .where(*conditions)
        .order_by(Signal.opened_at.desc(), Signal.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return list(signals), total


def count_open_signals(session: Session) -> int:
    """How many signals are open now, shortages and tasks together."""
    return (
        session.scalar(select(func.count()).select_from(Signal).where(Signal.state == "open")) or 0
    )


@dataclass(frozen=True, slots=True)
class SignalView:
    """A signal with its transitions (oldest first), the names of the offers it cites,
    and for a school route the samenwerkingsverbanden of its municipality (code, name)."""

    signal: Signal
    transitions: list[SignalTransition]
    offer_names: dict[int, str]
    swvs: list[tuple[str, str]]


def route_layer(category: str) -> SwvLayer | None:
    """Which samenwerkingsverband a family turns to for a school category: primary (SO,
    SBO) or secondary (VSO, OPDC); none for clusters 1 and 2 (the institution's Commissie
    van Onderzoek decides) and for care."""
    if category.startswith(("education:cluster-1:", "education:cluster-2:")):
        return None
    if category == "day_programme:opdc" or category.endswith(":vso"):
        return SwvLayer.VO
    if category.startswith("education:"):
        return SwvLayer.PO
    return None


def route_swvs(
    session: Session, pairs: Collection[tuple[str, str]]
) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """The samenwerkingsverbanden (code, name) covering each (municipality, category)
    pair's municipality in the layer its category turns to (`route_layer`)."""
    layers = {pair: route_layer(pair[1]) for pair in pairs}
    codes = sorted({code for (code, _), layer in layers.items() if layer is not None})
    if not codes:
        return {}
    covering: dict[tuple[str, SwvLayer], list[tuple[str, str]]] = defaultdict(list)
    rows = session.execute(
        select(swv_municipality.c.municipality_code, Swv.layer, Swv.code, Swv.name)
        .join(Swv, Swv.code == swv_municipality.c.swv_code)
        .where(swv_municipality.c.municipality_code.in_(codes))
        .order_by(Swv.name)
    )
    for municipality, layer, swv_code, name in rows:
        covering[(municipality, layer)].append((swv_code, name))
    return {
        pair: covering.get((pair[0], layer), [])
        for pair, layer in layers.items()
        if layer is not None
    }


def load_signal(session: Session, signal_id: int) -> SignalView:
    """One signal for reading; NotFoundError when there is none with this id."""
    signal = session.get(Signal, signal_id)
    if signal is None:
        raise NotFoundError(f"signal {signal_id}")
    transitions = session.scalars(
        select(SignalTransition)
        .where(SignalTransition.signal_id == signal_id)
        .order_by(SignalTransition.at, SignalTransition.id)
    ).all()
    cited = {item["offer_id"] for item in [*signal.evidence, *signal.alternatives]}
    query = select(Offer.id, Offer.name).where(Offer.id.in_(sorted(cited)))
    names = {offer_id: name for offer_id, name in session.execute(query)}
    pair = (signal.municipality_code, signal.category)
    return SignalView(signal, list(transitions), names, route_swvs(session, [pair]).get(pair, []))
