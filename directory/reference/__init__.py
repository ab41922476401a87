"""Reference data shipped with the project, and the import of the official CBS list.

The shipped CSV files (see `data/SOURCES.md`) cover iJw categories, clusters, and the
municipalities, jeugdregio's and SWVs of the Rotterdam-Rijnmond and Utrecht regions.
`import_municipalities` loads all 342 from the CBS list an operator downloads. The shipped
files only fill gaps: what an operator imported is never overwritten by a restart.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from directory.enums import SwvLayer
from directory.errors import InvalidDataError, InvalidParam
from directory.geo import find_place
from directory.reference.models import (
    Cluster,
    IjwCategory,
    Jeugdregio,
    Municipality,
    Swv,
    swv_municipality,
)

MUNICIPALITY_CODE_LENGTH = 6
FIRST_PROVINCE, LAST_PROVINCE = 20, 31


def _rows(name: str) -> Iterator[dict[str, str]]:
    source = resources.files(__package__).joinpath("data", name)
    with source.open("r", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def _optional(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def load_reference_data(session: Session) -> None:
    """Load the shipped reference tables; safe to run on every start.

    The national code lists (iJw categories, clusters) are kept as shipped. Regions,
    municipalities and SWVs are only added when missing, so imported data stays.
    """
    for row in _rows("ijw_categories.csv"):
        session.merge(IjwCategory(code=int(row["code"]), name=row["name"]))
    for row in _rows("clusters.csv"):
        session.merge(
            Cluster(
                number=int(row["number"]),
                name=row["name"],
                description=row["description"],
                admission=row["admission"],
            )
        )
    known_regions = set(session.scalars(select(Jeugdregio.code)))
    session.add_all(
        Jeugdregio(code=row["code"], name=row["name"])
        for row in _rows("jeugdregios.csv")
        if row["code"] not in known_regions
    )
    session.flush()
    known = set(session.scalars(select(Municipality.code)))
    regions = set(session.scalars(select(Jeugdregio.code)))
    shipped = [_shipped(row, regions) for row in _rows("municipalities.csv")]
    _upsert_municipalities(session, [row for row in shipped if row.code not in known])
    known_swvs = set(session.scalars(select(Swv.code)))
    new_swvs = [row for row in _rows("swvs.csv") if row["code"] not in known_swvs]
    session.add_all(
        Swv(code=r["code"], name=r["name"], layer=SwvLayer(r["layer"])) for r in new_swvs
    )
    session.flush()
    new_codes = {row["code"] for row in new_swvs}
    links = [
        {"swv_code": row["swv_code"], "municipality_code": row["municipality_code"]}
        for row in _rows("swv_municipalities.csv")
        if row["swv_code"] in new_codes
    ]
    if links:
        session.execute(insert(swv_municipality), links)
    session.flush()


def _shipped(record: dict[str, str], regions: set[str]) -> MunicipalityRow:
    row, problems = _parse_row(record, regions, {})
    if row is None:
        raise ValueError(f"shipped municipalities.csv is broken at {record}: {problems}")
    return row


@dataclass(frozen=True, slots=True)
class MunicipalityRow:
    """One parsed row; `columns` names the fields the file actually gave."""

    code: str
    name: str
    columns: frozenset[str]
    province_code: str | None = None
    jeugdregio_code: str | None = None
    valid_from: int | None = None
    valid_to: int | None = None
    successor_code: str | None = None
    lat: float | None = None
    lon: float | None = None


# Column names accepted by `import_municipalities`: ours first, then those of the CBS
# table "Gemeenten alfabetisch" (https://www.cbs.nl, search "gemeenten alfabetisch").
COLUMN_ALIASES = {
    "code": ("code", "GemeentecodeGM"),
    "name": ("name", "Gemeentenaam"),
    "province_code": ("province_code", "ProvinciecodePV"),
    "jeugdregio_code": ("jeugdregio_code", "JeugdregiocodeJZ", "Jeugdregiocode"),
    "jeugdregio_name": ("jeugdregio_name", "Jeugdregionaam"),
    "valid_from": ("valid_from",),
    "valid_to": ("valid_to",),
    "successor_code": ("successor_code",),
    "lat": ("lat",),
    "lon": ("lon",),
}
UPDATABLE = ("province_code", "jeugdregio_code", "valid_from", "valid_to", "successor_code")


def import_municipalities(session: Session, path: Path) -> int:
    """Load a municipality list (CBS "Gemeenten alfabetisch" or our own columns).

    Every row is checked before anything is written; any bad row rejects the whole file,
    naming the line and column. Columns the file does not have are left as they were.
    A jeugdregio code with a `jeugdregio_name` creates or renames that region. Missing
    coordinates are looked up by name offline. Returns the number of municipalities.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidDataError(f"{path.name} is not UTF-8 text; save it as CSV UTF-8") from None
    header_line = text.partition("\n")[0]
    # CBS publishes with semicolons, most tools write commas: take what the header uses.
    delimiter = max(",;\t", key=header_line.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = {name.strip() for name in reader.fieldnames or []}
    columns = {
        field: next(alias for alias in aliases if alias in header)
        for field, aliases in COLUMN_ALIASES.items()
        if any(alias in header for alias in aliases)
    }
    missing = [field for field in ("code", "name") if field not in columns]
    if missing:
        raise InvalidDataError(
            "the file has no column for " + " and ".join(missing),
            [InvalidParam(field, f"expected one of {COLUMN_ALIASES[field]}") for field in missing],
        )
    regions = set(session.scalars(select(Jeugdregio.code)))
    new_regions: dict[str, str] = {}
    rows: list[MunicipalityRow] = []
    problems: list[InvalidParam] = []
    seen: set[str] = set()
    for line, raw in enumerate(reader, start=2):
        record = {field: (raw.get(column) or "").strip() for field, column in columns.items()}
        row, row_problems = _parse_row(record, regions, new_regions)
        if row is not None and row.code in seen:
            row_problems.append(("code", f"{row.code} appears twice in the file"))
        problems += [InvalidParam(f"line {line}: {col}", why) for col, why in row_problems]
        if row is not None and not row_problems:
            seen.add(row.code)
            rows.append(row)
    codes = seen | set(session.scalars(select(Municipality.code)))
    problems += [
        InvalidParam(row.code, f"successor {row.successor_code} is not a known municipality")
        for row in rows
        if row.successor_code and row.successor_code not in codes
    ]
    if problems:
        raise InvalidDataError(
            f"{len(problems)} problem(s) in {path.name}; nothing was imported", problems
        )
    for code, name in new_regions.items():
        session.merge(Jeugdregio(code=code, name=name))
    session.flush()
    return _upsert_municipalities(session, rows)


def _parse_row(
    record: dict[str, str], regions: set[str], new_regions: dict[str, str]
) -> tuple[MunicipalityRow | None, list[tuple[str, str]]]:
    """A checked row, or the (column, reason) problems that keep it out."""
    problems: list[tuple[str, str]] = []
    code = record["code"].upper()
    if _digits(code):
        code = f"GM{int(code):04d}"
    if len(code) != MUNICIPALITY_CODE_LENGTH or not code.startswith("GM") or not _digits(code[2:]):
        problems.append(("code", f"{record['code']!r} is not a CBS code like GM0599"))
    if not record["name"]:
        problems.append(("name", "empty"))
    province = _optional(record.get("province_code"))
    if province is not None:
        province = province.upper()
        if _digits(province):
            province = f"PV{int(province):02d}"
        number = province[2:]
        if not (
            province.startswith("PV")
            and _digits(number)
            and FIRST_PROVINCE <= int(number) <= LAST_PROVINCE
        ):
            problems.append(("province_code", f"{province!r} is not a province code PV20-PV31"))
    region = _optional(record.get("jeugdregio_code"))
    region_name = _optional(record.get("jeugdregio_name"))
    if region is not None:
        if region_name:
            new_regions[region] = region_name
        elif region not in regions and region not in new_regions:
            problems.append(
                ("jeugdregio_code", f"{region!r} is unknown: add a jeugdregio_name column")
            )
    numbers: dict[str, float | None] = {}
    for field in ("valid_from", "valid_to", "lat", "lon"):
        value = _optional(record.get(field))
        try:
            numbers[field] = float(value) if value is not None else None
        except ValueError:
            problems.append((field, f"{value!r} is not a number"))
            continue
        parsed = numbers[field]
        if parsed is not None and not math.isfinite(parsed):
            problems.append((field, f"{value!r} is not a number"))
    if problems:
        return None, problems
    lat, lon = numbers.get("lat"), numbers.get("lon")
    if lat is None or lon is None:
        place = find_place(record["name"])
        lat, lon = (place.lat, place.lon) if place else (None, None)
    valid_from, valid_to = numbers.get("valid_from"), numbers.get("valid_to")
    return (
        MunicipalityRow(
            code=code,
            name=record["name"],
            columns=frozenset(field for field in record if field in UPDATABLE),
            province_code=province,
            jeugdregio_code=region,
            valid_from=int(valid_from) if valid_from is not None else None,
            valid_to=int(valid_to) if valid_to is not None else None,
            successor_code=_optional(record.get("successor_code")),
            lat=lat,
            lon=lon,
        ),
        [],
    )


def _upsert_municipalities(session: Session, rows: list[MunicipalityRow]) -> int:
    # Successors may come later in the file: insert everything, then link.
    for row in rows:
        municipality = session.get(Municipality, row.code) or Municipality(code=row.code)
        municipality.name = row.name
        for field in UPDATABLE:
            if field in row.columns and field != "successor_code":
                setattr(municipality, field, getattr(row, field))
        if row.lat is not None:
            municipality.lat, municipality.lon = row.lat, row.lon
        session.add(municipality)
    session.flush()
    for row in rows:
        if "successor_code" in row.columns:
            session.get_one(Municipality, row.code).successor_code = row.successor_code
    session.flush()
    return len(rows)


def _digits(text: str) -> bool:
    """ASCII digits only: `str.isdigit` also takes "٥" and "²" (which `int` then refuses)."""
    return bool(text) and text.isascii() and text.isdigit()
