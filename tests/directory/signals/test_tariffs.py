"""Which PGB tariff applies in a municipality: its own, else its jeugdregio's, else none."""

from __future__ import annotations

import pytest

from directory.signals.tariffs import PgbTariff, PgbTariffRow, resolve_pgb_tariff

CARE = "ijw:45"
OWN = PgbTariffRow(CARE, "GM0599", None, 7000, "hour")
REGION = PgbTariffRow(CARE, None, "JZ31", 6500, "hour")
NEIGHBOUR = PgbTariffRow(CARE, "GM0613", None, 9000, "hour")
OTHER_CATEGORY = PgbTariffRow("ijw:43", "GM0599", None, 20000, "day")


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param([REGION, OWN], PgbTariff(7000, "hour", "municipality:GM0599"), id="own-first"),
        pytest.param([REGION], PgbTariff(6500, "hour", "jeugdregio:JZ31"), id="else-the-region"),
        pytest.param([NEIGHBOUR, OTHER_CATEGORY], None, id="not-a-neighbours-nor-another-category"),
        pytest.param([], None, id="unknown-until-set"),
    ],
)
def test_a_municipalitys_pgb_tariff_is_its_own_else_its_regions(
    rows: list[PgbTariffRow], expected: PgbTariff | None
) -> None:
    assert resolve_pgb_tariff(CARE, "GM0599", "JZ31", rows) == expected
