"""Reads for showing offers to people: what kind of offer a search hit is, whether a
municipality has contracted it, and the names behind codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import CompoundSelect, select, union
from sqlalchemy.orm import Session

from directory.catalogue.models import Contract, Offer
from directory.enums import OfferKind
from directory.reference.models import IjwCategory, Municipality


@dataclass(frozen=True, slots=True)
class OfferSummary:
    """The parts of an offer a result card shows beside its headline figure."""

    school_type: str | None
    cluster: int | None
    day_programme_type: str | None
    ijw_category: int | None
    min_age: int | None
    max_age: int | None
    accepts_pgb: bool
    is_demo: bool
    # By the asked municipality; None when none was asked, and for school places, which
    # municipalities do not buy.
    contracted: bool | None


def offer_summaries(
    session: Session, offer_ids: list[int], municipality: str | None, today: date
) -> dict[int, OfferSummary]:
    """A summary per offer id, in two queries whatever the number of ids."""
    contracted: set[int] = set()
    if municipality is not None and offer_ids:
        contracted = set(
            session.scalars(
                select(Contract.offer_id).where(
                    Contract.offer_id.in_(offer_ids),
                    Contract.bought_for([municipality]),
                    Contract.in_force(today),
                )
            )
        )
    rows = session.execute(
        select(
            Offer.id,
            Offer.kind,
            Offer.school_type,
            Offer.cluster,
            Offer.day_programme_type,
            Offer.ijw_category,
            Offer.min_age,
            Offer.max_age,
            Offer.accepts_pgb,
            Offer.is_demo,
        ).where(Offer.id.in_(offer_ids))
    )
    return {
        row.id: OfferSummary(
            school_type=row.school_type.value if row.school_type else None,
            cluster=row.cluster,
            day_programme_type=row.day_programme_type.value if row.day_programme_type else None,
            ijw_category=row.ijw_category,
            min_age=row.min_age,
            max_age=row.max_age,
            accepts_pgb=row.accepts_pgb,
            is_demo=row.is_demo,
            contracted=(
                None
                if municipality is None or row.kind is OfferKind.SPECIAL_EDUCATION
                else row.id in contracted
            ),
        )
        for row in rows
    }


def current_municipalities(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every municipality that exists now, by name."""
    rows = session.execute(
        select(Municipality.code, Municipality.name)
        .where(Municipality.valid_to.is_(None))
        .order_by(Municipality.name)
    )
    return [(code, name) for code, name in rows]


def municipality_names(session: Session, codes: set[str]) -> dict[str, str]:
    """The name of each known CBS code among `codes`."""
    if not codes:
        return {}
    rows = session.execute(
        select(Municipality.code, Municipality.name).where(Municipality.code.in_(sorted(codes)))
    )
    return {code: name for code, name in rows}


def ijw_category_names(session: Session) -> dict[int, str]:
    """The name of each iJw category, by code."""
    return {
        code: name for code, name in session.execute(select(IjwCategory.code, IjwCategory.name))
    }


def offer_names(session: Session, offer_ids: set[int]) -> dict[int, str]:
    """The name of each offer among `offer_ids`."""
    if not offer_ids:
        return {}
    rows = session.execute(select(Offer.id, Offer.name).where(Offer.id.in_(sorted(offer_ids))))
    return {offer_id: name for offer_id, name in rows}


def contracted_pairs(offer_ids: list[int], today: date | None) -> CompoundSelect[int, str]:
    """SQL: (offer id, CBS code) for every municipality an offer is contracted for: by the
    municipality itself, or by its jeugdregio for each of its members. With `today`, the
    contracts in force then and the current members; without, every contract and member
    there ever was (what a change may touch)."""
    own = select(Contract.offer_id, Contract.municipality_code).where(
        Contract.offer_id.in_(offer_ids), Contract.municipality_code.is_not(None)
    )
    regional = (
        select(Contract.offer_id, Municipality.code)
        .join(Municipality, Municipality.jeugdregio_code == Contract.jeugdregio_code)
        .where(Contract.offer_id.in_(offer_ids))
    )
    if today is not None:
        own = own.where(Contract.in_force(today))
        regional = regional.where(Contract.in_force(today), Municipality.valid_to.is_(None))
    return union(own, regional)


def contracting_municipalities(session: Session, offer_id: int, today: date) -> list[str]:
    """The CBS codes of the municipalities the offer is contracted for today (directly or
    through their jeugdregio)."""
    return sorted({row[1] for row in session.execute(contracted_pairs([offer_id], today))})
