"""Reference data shipped with the project, and the import of the official CBS list.

The shipped CSV files (see `data/SOURCES.md`) cover iJw categories, clusters, and the
municipalities, jeugdregio's and SWVs of the Rotterdam-Rijnmond and Utrecht regions.
`import_municipalities` loads all 342 from the CBS list an operator downloads.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import delete, insert, select
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


def _rows(name: str) -> Iterator[dict[str, str]]:
    source = resources.files(__package__).joinpath("data", name)
    with source.open("r", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def _optional(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _optional_int(value: str | None) -> int | None:
    text = _optional(value)
    return int(text) if text is not None else None


def _optional_float(value: str | None) -> float | None:
    text = _optional(value)
    return float(text) if text is not None else None


def load_reference_data(session: Session) -> None:
    """Insert or update the shipped reference tables (safe to run again)."""
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
    for row in _rows("jeugdregios.csv"):
        session.merge(Jeugdregio(code=row["code"], name=row["name"]))
    session.flush()
    _upsert_municipalities(
        session, [_shipped_municipality(row) for row in _rows("municipalities.csv")]
    )
    for row in _rows("swvs.csv"):
        session.merge(Swv(code=row["code"], name=row["name"], layer=SwvLayer(row["layer"])))
    session.flush()
    links = [(row["swv_code"], row["municipality_code"]) for row in _rows("swv_municipalities.csv")]
    session.execute(
        delete(swv_municipality).where(swv_municipality.c.swv_code.in_({s for s, _ in links}))
    )
    session.execute(
        insert(swv_municipality),
        [{"swv_code": swv, "municipality_code": code} for swv, code in links],
    )
    session.flush()


@dataclass(frozen=True, slots=True)
class MunicipalityRow:
    code: str
    name: str
    province_code: str | None
    jeugdregio_code: str | None
    valid_from: int | None
    valid_to: int | None
    successor_code: str | None
    lat: float | None
    lon: float | None


def _shipped_municipality(row: dict[str, str]) -> MunicipalityRow:
    return MunicipalityRow(
        code=row["code"],
        name=row["name"],
        province_code=_optional(row["province_code"]),
        jeugdregio_code=_optional(row["jeugdregio_code"]),
        valid_from=_optional_int(row["valid_from"]),
        valid_to=_optional_int(row["valid_to"]),
        successor_code=_optional(row["successor_code"]),
        lat=_optional_float(row["lat"]),
        lon=_optional_float(row["lon"]),
    )


def _upsert_municipalities(session: Session, rows: Iterable[MunicipalityRow]) -> int:
    rows = list(rows)
    # Successors may come later in the file: insert everything, then link.
    for row in rows:
        existing = session.get(Municipality, row.code)
        municipality = existing or Municipality(code=row.code)
        municipality.name = row.name
        if row.province_code is not None or existing is None:
            municipality.province_code = row.province_code
        if row.jeugdregio_code is not None or existing is None:
            municipality.jeugdregio_code = row.jeugdregio_code
        if row.valid_from is not None or existing is None:
            municipality.valid_from = row.valid_from
        municipality.valid_to = row.valid_to
        if row.lat is not None or existing is None:
            municipality.lat, municipality.lon = row.lat, row.lon
        session.add(municipality)
    session.flush()
    for row in rows:
        if row.successor_code is not None:
            session.get_one(Municipality, row.code).successor_code = row.successor_code
    session.flush()
    return len(rows)


# Column names accepted by `import_municipalities`: ours first, then those of the CBS
# table "Gemeenten alfabetisch" (https://www.cbs.nl, search "gemeenten alfabetisch").
COLUMN_ALIASES = {
    "code": ("code", "GemeentecodeGM"),
    "name": ("name", "Gemeentenaam"),
    "province_code": ("province_code", "ProvinciecodePV"),
    "jeugdregio_code": ("jeugdregio_code", "JeugdregiocodeJZ", "Jeugdregiocode"),
    "valid_from": ("valid_from",),
    "valid_to": ("valid_to",),
    "successor_code": ("successor_code",),
    "lat": ("lat",),
    "lon": ("lon",),
}


def import_municipalities(session: Session, path: Path) -> int:
    """Load a municipality list (CBS "Gemeenten alfabetisch" or our own columns).

    Every row is checked before anything is written; any bad row rejects the whole file,
    naming the line and column. Missing coordinates are looked up by name offline.
    Returns the number of municipalities loaded.
    """
    text = path.read_text(encoding="utf-8-sig")
    header_line = text.partition("\n")[0]
    # CBS publishes with semicolons, most tools write commas: take what the header uses.
    delimiter = max(",;\t", key=header_line.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    columns: dict[str, str] = {}
    for field, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            if alias in header:
                columns[field] = alias
                break
    missing = [field for field in ("code", "name") if field not in columns]
    if missing:
        raise InvalidDataError(
            "the file has no column for " + " and ".join(missing),
            [InvalidParam(field, f"expected one of {COLUMN_ALIASES[field]}") for field in missing],
        )
    known_regions = set(session.scalars(select(Jeugdregio.code)))
    rows: list[MunicipalityRow] = []
    problems: list[InvalidParam] = []
    for line, raw in enumerate(reader, start=2):
        record = {field: (raw.get(column) or "").strip() for field, column in columns.items()}
        row, row_problems = _parse_import_row(record, known_regions)
        problems += [
            InvalidParam(f"line {line}: {column}", reason) for column, reason in row_problems
        ]
        if row is not None:
            rows.append(row)
    if problems:
        raise InvalidDataError(
            f"{len(problems)} problem(s) in {path.name}; nothing was imported", problems
        )
    codes = {row.code for row in rows} | set(session.scalars(select(Municipality.code)))
    unknown = [row for row in rows if row.successor_code and row.successor_code not in codes]
    if unknown:
        raise InvalidDataError(
            "successor municipality not found; nothing was imported",
            [InvalidParam(row.code, f"successor {row.successor_code} unknown") for row in unknown],
        )
    return _upsert_municipalities(session, rows)


def _parse_import_row(
    record: dict[str, str], known_regions: set[str]
) -> tuple[MunicipalityRow | None, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    code = record["code"].upper()
    if code.isdigit():
        code = f"GM{int(code):04d}"
    if len(code) != MUNICIPALITY_CODE_LENGTH or not code.startswith("GM") or not code[2:].isdigit():
        problems.append(("code", f"{record['code']!r} is not a CBS code like GM0599"))
    if not record["name"]:
        problems.append(("name", "empty"))
    province = _optional(record.get("province_code"))
    if province is not None:
        province = province.upper()
        if province.isdigit():
            province = f"PV{int(province):02d}"
        if not (
            province.startswith("PV") and province[2:].isdigit() and 20 <= int(province[2:]) <= 31
        ):
            problems.append(("province_code", f"{province!r} is not a province code PV20-PV31"))
    region = _optional(record.get("jeugdregio_code"))
    if region is not None and region not in known_regions:
        problems.append(("jeugdregio_code", f"{region!r} is not a known jeugdregio"))
    numbers: dict[str, float | None] = {}
    for field in ("valid_from", "valid_to", "lat", "lon"):
        try:
            numbers[field] = _optional_float(record.get(field))
        except ValueError:
            problems.append((field, f"{record.get(field)!r} is not a number"))
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
