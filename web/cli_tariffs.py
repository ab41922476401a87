"""`plekwijzer pgb-tariffs`: the PGB tariffs municipalities and jeugdregio's pay per unit
of care (Jeugdwet art. 8.1.1 lid 4 onder a). A signal's alternatives say what a PGB at that
tariff pays of their price; until a tariff is set, they say it is not known. Every change
re-evaluates the touched signals at once."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import click
from sqlalchemy.orm import Session

from directory.catalogue.rules import TARIFF_UNITS
from directory.config import get_settings
from directory.errors import InvalidDataError, InvalidParam
from directory.signals.service import evaluate_as_configured
from directory.signals.tariff_settings import (
    Region,
    list_pgb_tariffs,
    remove_pgb_tariff,
    set_pgb_tariff,
)
from directory.signals.wording import money
from web.cli_kit import command_unit, console

# Euros as people type them: "75", "75,50" or "75.50" (ASCII digits only).
EUROS = re.compile(r"([0-9]{1,6})(?:[.,]([0-9]{1,2}))?")
REGION_OPTIONS = (
    click.option("--municipality", help="CBS code, e.g. GM0599 (or --jeugdregio)."),
    click.option("--jeugdregio", help="Region code, e.g. JZ31: for all its municipalities."),
)


def _region(municipality: str | None, jeugdregio: str | None) -> Region:
    return Region(
        municipality.strip().upper() if municipality else None,
        jeugdregio.strip().upper() if jeugdregio else None,
    )


def _cents(euros: str) -> int:
    found = EUROS.fullmatch(euros.strip())
    if found is None:
        raise InvalidDataError(
            "the PGB tariff is not valid",
            [InvalidParam("euros", f"{euros!r}: an amount like 75,50 or 75.50")],
        )
    whole, fraction = found.groups()
    return int(whole) * 100 + int((fraction or "0").ljust(2, "0"))


def _reevaluate(session: Session, municipalities: set[str], category: str) -> None:
    summary = evaluate_as_configured(
        session,
        get_settings(),
        datetime.now(UTC),
        municipalities=municipalities,
        categories={category},
    )
    console.print(
        f"Signals re-evaluated for {len(municipalities)} municipalities: "
        f"{summary.opened} opened, {summary.resolved} resolved, {summary.updated} updated."
    )


@click.group("pgb-tariffs")
def pgb_tariffs() -> None:
    """The PGB tariffs of municipalities and jeugdregio's, per category of care."""


@pgb_tariffs.command("set")
@REGION_OPTIONS[0]
@REGION_OPTIONS[1]
@click.option("--category", required=True, help="e.g. ijw:45 or day_programme:dagbesteding.")
@click.option("--euros", required=True, help="Per unit, e.g. 75,50.")
@click.option("--per", "unit", required=True, type=click.Choice(TARIFF_UNITS), help="The unit.")
def set_command(
    municipality: str | None, jeugdregio: str | None, category: str, euros: str, unit: str
) -> None:
    """Set (or replace) a PGB tariff."""
    region = _region(municipality, jeugdregio)
    with command_unit() as session:
        tariff, touched = set_pgb_tariff(session, region, category, _cents(euros), unit)
        console.print(
            f"PGB tariff of {region.label} for {category}: {money(tariff.cents)} per {unit}."
        )
        _reevaluate(session, touched, category)


@pgb_tariffs.command("remove")
@REGION_OPTIONS[0]
@REGION_OPTIONS[1]
@click.option("--category", required=True, help="e.g. ijw:45.")
def remove_command(municipality: str | None, jeugdregio: str | None, category: str) -> None:
    """Remove a PGB tariff: what a PGB pays is then unknown again."""
    region = _region(municipality, jeugdregio)
    with command_unit() as session:
        touched = remove_pgb_tariff(session, region, category)
        console.print(f"PGB tariff of {region.label} for {category} removed.")
        _reevaluate(session, touched, category)


@pgb_tariffs.command("list")
def list_command() -> None:
    """Every PGB tariff, by region and category."""
    with command_unit() as session:
        rows = [
            (tariff.municipality_code or tariff.jeugdregio_code, tariff.category, tariff)
            for tariff in list_pgb_tariffs(session)
        ]
        for region, category, tariff in rows:
            click.echo(f"{region}\t{category}\t{money(tariff.cents)} per {tariff.unit}")
    if not rows:
        console.print("No PGB tariffs are set.")
