"""Keeping the PGB tariffs municipalities and jeugdregio's set: set one, remove one, list
them. Each change names the municipalities whose signals it touches, so the caller can
re-evaluate those at once. Services only flush; the caller's unit of work commits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.catalogue.rules import TARIFF_UNITS
from directory.errors import InvalidDataError, InvalidParam, NotFoundError
from directory.reference.models import Jeugdregio, Municipality
from directory.signals.inputs import is_category
from directory.signals.models import PgbTariffSetting
from directory.signals.policy import policy_for

MAX_CENTS = 100_000_00  # € 100.000 per unit: beyond that a typo, not a tariff


@dataclass(frozen=True, slots=True)
class Region:
    """Who sets a tariff: a municipality (GMxxxx) or a jeugdregio (JZxx)."""

    municipality_code: str | None = None
    jeugdregio_code: str | None = None

    @property
    def label(self) -> str:
        return self.municipality_code or self.jeugdregio_code or ""


def set_pgb_tariff(
    session: Session, region: Region, category: str, cents: int, unit: str
) -> tuple[PgbTariffSetting, set[str]]:
    """Set (or replace) the region's PGB tariff for `category`; the tariff and the
    municipalities whose signals it touches. InvalidDataError names every bad field."""
    unit = unit.strip().lower()
    problems = _check_region(session, region)
    if not is_category(category):
        problems.append(InvalidParam("category", f"{category!r}: a category like ijw:45"))
    elif policy_for(category).pgb == "none":
        problems.append(
            InvalidParam("category", f"{category!r}: a PGB cannot pay for this category")
        )
    if not 0 < cents <= MAX_CENTS:
        problems.append(InvalidParam("cents", f"{cents}: between 1 and {MAX_CENTS} euro cents"))
    if unit not in TARIFF_UNITS:
        problems.append(InvalidParam("unit", f"{unit!r}: one of {', '.join(TARIFF_UNITS)}"))
    if problems:
        raise InvalidDataError("the PGB tariff is not valid", problems)
    tariff = _find(session, region, category)
    if tariff is None:
        tariff = PgbTariffSetting(
            category=category,
            municipality_code=region.municipality_code,
            jeugdregio_code=region.jeugdregio_code,
            cents=cents,
            unit=unit,
        )
        session.add(tariff)
    else:
        tariff.cents, tariff.unit = cents, unit
    session.flush()
    return tariff, _touched(session, region)


def remove_pgb_tariff(session: Session, region: Region, category: str) -> set[str]:
    """Remove the region's PGB tariff for `category` (what a PGB pays is then unknown
    again); the municipalities whose signals it touches."""
    problems = _check_region(session, region)
    if problems:
        raise InvalidDataError("the region is not known", problems)
    tariff = _find(session, region, category)
    if tariff is None:
        raise NotFoundError(f"PGB tariff of {region.label} for {category}")
    session.delete(tariff)
    session.flush()
    return _touched(session, region)


def list_pgb_tariffs(session: Session) -> list[PgbTariffSetting]:
    """Every PGB tariff, by region and category."""
    query = select(PgbTariffSetting).order_by(
        PgbTariffSetting.municipality_code,
        PgbTariffSetting.jeugdregio_code,
        PgbTariffSetting.category,
    )
    return list(session.scalars(query))


def _check_region(session: Session, region: Region) -> list[InvalidParam]:
    if (region.municipality_code is None) == (region.jeugdregio_code is None):
        return [InvalidParam("region", "a municipality (GMxxxx) or a jeugdregio (JZxx), one")]
    if region.municipality_code is not None:
        if session.get(Municipality, region.municipality_code) is None:
            return [InvalidParam("municipality", f"{region.municipality_code!r}: not known")]
    elif session.get(Jeugdregio, region.jeugdregio_code) is None:
        return [InvalidParam("jeugdregio", f"{region.jeugdregio_code!r}: not known")]
    return []


def _find(session: Session, region: Region, category: str) -> PgbTariffSetting | None:
    return session.scalars(
        select(PgbTariffSetting).where(
            PgbTariffSetting.category == category,
            PgbTariffSetting.municipality_code.is_(None)
            if region.municipality_code is None
            else PgbTariffSetting.municipality_code == region.municipality_code,
            PgbTariffSetting.jeugdregio_code.is_(None)
            if region.jeugdregio_code is None
            else PgbTariffSetting.jeugdregio_code == region.jeugdregio_code,
        )
    ).one_or_none()


def _touched(session: Session, region: Region) -> set[str]:
    if region.municipality_code is not None:
        return {region.municipality_code}
    return set(
        session.scalars(
            select(Municipality.code).where(
                Municipality.jeugdregio_code == region.jeugdregio_code,
                Municipality.valid_to.is_(None),
            )
        )
    )
