"""What a PGB would pay for an alternative: pure functions over plain data.

Jeugdwet art. 8.1.1 lid 4a: the municipality may refuse a PGB *for the part* ("voor
zover") that costs more than the care in kind. In practice it grants the PGB up to its
own PGB tariff for the category, and the parents pay any difference themselves (or the
provider lowers its price). So the comparison that matters to a family is the
alternative's tariff against the municipality's (or its jeugdregio's) PGB tariff, in the
same unit; until the municipality has set one, nothing can be said (see DOMAIN.md and
docs/signals.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PgbTariff:
    """A municipality's or jeugdregio's PGB tariff for a category, per `unit`."""

    cents: int
    unit: str  # one of `catalogue.rules.TARIFF_UNITS`, as the providers' tariffs
    source: str  # "municipality:GM0599" or "jeugdregio:JZ21"


@dataclass(frozen=True, slots=True)
class PgbTariffRow:
    """A configured PGB tariff: for a municipality or for a jeugdregio."""

    category: str
    municipality_code: str | None
    jeugdregio_code: str | None
    cents: int
    unit: str


@dataclass(frozen=True, slots=True)
class PgbCost:
    """What a PGB at the municipality's tariff would pay of an alternative's tariff.

    Every field is None when the two cannot be compared: a tariff or its unit is missing,
    the municipality has set no PGB tariff, or the units differ.
    """

    pgb_tariff_cents: int | None  # the municipality's PGB tariff, in the alternative's unit
    pgb_pays_cents: int | None  # at most: the lower of the two tariffs
    parents_pay_cents: int | None  # the part above the PGB tariff (0 when it fits)
    above_pgb_tariff: bool | None


UNKNOWN_COST = PgbCost(None, None, None, None)


def normal_unit(unit: str | None) -> str | None:
    """A unit as compared: "Hour " (from an older record or an import) is "hour"."""
    cleaned = unit.strip().lower() if unit else ""
    return cleaned or None


def resolve_pgb_tariff(
    category: str, municipality_code: str, jeugdregio_code: str | None, rows: Iterable[PgbTariffRow]
) -> PgbTariff | None:
    """The PGB tariff for `category` in a municipality: its own, else its jeugdregio's,
    else none (there is no national PGB tariff for youth care)."""
    regional = None
    for row in rows:
        if row.category != category:
            continue
        if row.municipality_code is not None and row.municipality_code == municipality_code:
            return PgbTariff(row.cents, row.unit, f"municipality:{municipality_code}")
        if row.jeugdregio_code is not None and row.jeugdregio_code == jeugdregio_code:
            regional = PgbTariff(row.cents, row.unit, f"jeugdregio:{jeugdregio_code}")
    return regional


def pgb_cost(tariff_cents: int | None, tariff_unit: str | None, pgb: PgbTariff | None) -> PgbCost:
    """What a PGB at `pgb` would pay of an alternative costing `tariff_cents` per
    `tariff_unit`, and what is left for the parents ("voor zover", lid 4a)."""
    unit = normal_unit(tariff_unit)
    if tariff_cents is None or unit is None or pgb is None or normal_unit(pgb.unit) != unit:
        return UNKNOWN_COST
    above = max(0, tariff_cents - pgb.cents)
    return PgbCost(
        pgb_tariff_cents=pgb.cents,
        pgb_pays_cents=min(tariff_cents, pgb.cents),
        parents_pay_cents=above,
        above_pgb_tariff=above > 0,
    )
