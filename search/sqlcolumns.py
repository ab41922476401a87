"""Expressions over one `search_document` row, as of the query's `now`: whether its figure
is fresh, its known wait and open places, its distance from a point, and its facet buckets
packed in one number. `search.sqlfilters` builds the filters, sorts and facet counts from
them.

Freshness is decided here, in SQL, from the query's `now`: a figure is fresh while
`valid_until > now`; a stale or missing figure has status "unknown", no known wait and no
known places.

The figure is the document's headline (`HEADLINE`), or with a leerjaar asked, that
leerjaar's (`leerjaar_figure`). Figures are stored as rows of `search_document_value`
(`leerjaar_values`; "lj3.wait" → "80", times as microseconds since 1970). A school whose
leerjaren say different things stores each leerjaar's figure; one whose leerjaren all share
its headline (most schools: one figure for the whole offer) stores that figure once, as
"lj0.*", and "lj3.status" → "=" for each leerjaar ("the same"). Either way an "lj3.status"
row is there (empty without a figure), so it also says that the offer takes children in
leerjaar 3 (`teaches`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Float, and_, case, cast, func, literal, select
from sqlalchemy.sql.selectable import FromClause

from directory.db import UTCDateTime
from directory.enums import AvailabilityStatus, OfferKind
from directory.search_index import IndexedDocument as Doc
from directory.search_index import IndexedValue
from search.query import NONE_BUCKET, UNKNOWN_STATUS, LeerjaarFigure, Point

RADIANS = math.pi / 180
# Facet codes: each packed field is a digit of this base (0 = none or unknown).
CODE_WIDTH = 32
KINDS = [kind.value for kind in OfferKind]
KIND_CODES = {kind: code for code, kind in enumerate(KINDS)}  # never none: from 0
STATUSES = [status.value for status in AvailabilityStatus]
STATUS_CODES = {status: code for code, status in enumerate(STATUSES, start=1)}
LEERJAAR_PREFIX = "lj"  # the fields of each leerjaar's figure: "lj3.status", "lj3.wait", ...
SHARED = 0  # "lj0.*": the one figure all of a school's leerjaren share
SAME = "="  # "lj3.status" of a leerjaar whose figure is the shared one
# The parts of a leerjaar's figure, by their field suffix ("lj3.status").
FIGURE_PARTS = ("status", "places", "wait", "measured", "valid")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Figure:
    """Where a row's figure is read from, as expressions: the document's headline, or one
    leerjaar's figure over the joined value rows. `valid_after(now)` is `now` as
    `valid_until` compares."""

    status: ColumnElement[Any]
    open_places: ColumnElement[Any]
    total_wait_weeks: ColumnElement[Any]
    measured_at: ColumnElement[Any]  # orders like the measurement time
    valid_until: ColumnElement[Any]
    valid_after: Callable[[datetime], ColumnElement[Any]]


HEADLINE = Figure(
    status=Doc.status.expression,
    open_places=Doc.open_places.expression,
    total_wait_weeks=Doc.total_wait_weeks.expression,
    measured_at=Doc.measured_at.expression,
    valid_until=Doc.valid_until.expression,
    valid_after=lambda now: literal(now, UTCDateTime()),
)


def micros(moment: datetime) -> int:
    """Microseconds since 1970 (a naive datetime is UTC, as the database stores it)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - EPOCH) // timedelta(microseconds=1)


def leerjaar_field(leerjaar: int, part: str) -> str:
    return f"{LEERJAAR_PREFIX}{leerjaar}.{part}"


def leerjaar_values(
    figures: Sequence[LeerjaarFigure], headline: LeerjaarFigure
) -> list[tuple[str, str]]:
    """The (field, value) rows that store each leerjaar's figure of a document; the status
    row is there even without a figure (empty), for `teaches`. When every leerjaar's figure
    is the `headline` (its leerjaar number aside), it is stored once (`SHARED`)."""
    if figures and all(figure[1:] == headline[1:] for figure in figures):
        return [
            *_figure_rows([headline._replace(leerjaar=SHARED)]),
            *((leerjaar_field(figure.leerjaar, "status"), SAME) for figure in figures),
        ]
    return _figure_rows(figures)


def _figure_rows(figures: Iterable[LeerjaarFigure]) -> list[tuple[str, str]]:
    rows = []
    for figure in figures:
        parts = {
            "status": figure.status or "",
            "places": figure.open_places,
            "wait": figure.total_wait_weeks,
            "measured": None if figure.measured_at is None else micros(figure.measured_at),
            "valid": None if figure.valid_until is None else micros(figure.valid_until),
        }
        rows += [
            (leerjaar_field(figure.leerjaar, part), str(value))
            for part, value in parts.items()
            if value is not None
        ]
    return rows


def read_leerjaar_values(rows: Iterable[tuple[int, str, str]]) -> dict[int, list[LeerjaarFigure]]:
    """Each offer's own leerjaar figures, by leerjaar, from its (offer id, field, value)
    rows (`leerjaar_values`); none for a school whose leerjaren share its headline."""
    parts: dict[int, dict[int, dict[str, str]]] = defaultdict(dict)
    for offer_id, field, value in rows:
        number, _, part = field.removeprefix(LEERJAAR_PREFIX).partition(".")
        if field.startswith(LEERJAAR_PREFIX) and number.isdigit() and part in FIGURE_PARTS:
            parts[offer_id].setdefault(int(number), {})[part] = value
    for found in parts.values():
        found.pop(SHARED, None)
        for same in [n for n, values in found.items() if values.get("status") == SAME]:
            del found[same]
    return {
        offer_id: [_figure(number, found[number]) for number in sorted(found)]
        for offer_id, found in parts.items()
    }


def _figure(leerjaar: int, part: dict[str, str]) -> LeerjaarFigure:
    def number(name: str) -> int | None:
        return int(part[name]) if name in part else None

    def moment(name: str) -> datetime | None:
        value = number(name)
        return None if value is None else EPOCH + timedelta(microseconds=value)

    return LeerjaarFigure(
        leerjaar,
        part.get("status") or None,
        number("places"),
        number("wait"),
        moment("measured"),
        moment("valid"),
    )


def teaches(leerjaar: int) -> ColumnElement[bool]:
    """The document is found under `leerjaar` (`rules.taught_leerjaren`)."""
    return Doc.id.in_(
        select(IndexedValue.offer_id).where(
            IndexedValue.field == leerjaar_field(leerjaar, "status")
        )
    )


def leerjaar_figure(source: FromClause, leerjaar: int) -> tuple[FromClause, Figure]:
    """`source` with the value rows of `leerjaar`'s figure joined to each document (outer
    joins on the primary key: a part may be missing), and the figure they hold."""
    values = IndexedValue.__table__
    joined = source
    column: dict[str, ColumnElement[Any]] = {}
    for part in FIGURE_PARTS:
        own, shared = values.alias(f"lj_{part}"), values.alias(f"lj0_{part}")
        joined = joined.outerjoin(
            own, and_(own.c.offer_id == Doc.id, own.c.field == leerjaar_field(leerjaar, part))
        ).outerjoin(
            shared,
            and_(shared.c.offer_id == Doc.id, shared.c.field == leerjaar_field(SHARED, part)),
        )
        if part == "status":
            column[part] = case((own.c.value == SAME, shared.c.value), else_=own.c.value)
        else:  # a school stores either its leerjaren's parts or the shared ones
            column[part] = cast(func.coalesce(own.c.value, shared.c.value), BigInteger)
    figure = Figure(
        status=column["status"],
        open_places=column["places"],
        total_wait_weeks=column["wait"],
        measured_at=column["measured"],
        valid_until=column["valid"],
        valid_after=lambda now: literal(micros(now), BigInteger()),
    )
    return joined, figure


def is_fresh(now: datetime, figure: Figure = HEADLINE) -> ColumnElement[bool]:
    """The row has a figure that is still valid at `now` (NULL counts as not)."""
    return figure.valid_until > figure.valid_after(now)


def has_places(now: datetime, figure: Figure = HEADLINE) -> ColumnElement[bool]:
    """A fresh figure with at least one open place (never NULL)."""
    return case((and_(is_fresh(now, figure), figure.open_places > 0), True), else_=False)


def known_wait(now: datetime, figure: Figure = HEADLINE) -> ColumnElement[int]:
    """The total wait in weeks when fresh and known, else NULL."""
    return case((is_fresh(now, figure), figure.total_wait_weeks), else_=None)


def closeness(point: Point) -> ColumnElement[float]:
    """The haversine of the angle between `point` and the main location: it grows with the
    distance, so it sorts and filters like it, with fewer functions per row. NULL without
    coordinates. Uses cos: built into PostgreSQL; on SQLite it must be there or be
    registered (`search.sqlfilters.ensure_math_functions`)."""
    lat0, lon0 = point.lat * RADIANS, point.lon * RADIANS
    # hav(x) = (1 - cos x) / 2: three cosines a row instead of four sines and a cosine. Near
    # zero this loses digits, but at most about 0.1 m of distance.
    lat = Doc.lat * RADIANS
    return cast(
        0.5
        - 0.5 * func.cos(lat - lat0)
        + math.cos(lat0) / 2 * func.cos(lat) * (1 - func.cos(Doc.lon * RADIANS - lon0)),
        Float,
    )


def facet_code(now: datetime, figure: Figure = HEADLINE) -> ColumnElement[int | None]:
    """Kind, cluster, iJw category and status (as of `now`) packed in one integer, so the
    facets other than municipality need one GROUP BY on one number (`unpack_facets`)."""
    kind = case(KIND_CODES, value=Doc.kind, else_=0)
    status = case(
        (is_fresh(now, figure), case(STATUS_CODES, value=figure.status, else_=0)),
        else_=0,
    )
    ijw = func.coalesce(Doc.ijw_category + 1, 0)
    cluster = func.coalesce(Doc.cluster + 1, 0)
    return ((ijw * CODE_WIDTH + cluster) * CODE_WIDTH + kind) * CODE_WIDTH + status


def unpack_facets(code: int) -> dict[str, str]:
    """The facet buckets packed by `facet_code`."""
    rest, status = divmod(code, CODE_WIDTH)
    rest, kind = divmod(rest, CODE_WIDTH)
    ijw, cluster = divmod(rest, CODE_WIDTH)
    return {
        "kind": KINDS[kind],
        "cluster": str(cluster - 1) if cluster else NONE_BUCKET,
        "ijw_category": str(ijw - 1) if ijw else NONE_BUCKET,
        "status": STATUSES[status - 1] if status else UNKNOWN_STATUS,
    }
