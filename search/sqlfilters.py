"""The SQL half of the database index, the same for both text modes: filters, facets,
sorts and distance over `search_document`, with the semantics of `search.query`.

The statements are built here from the expressions over one document in
`search.sqlcolumns`, which also decides freshness.
"""

from __future__ import annotations

import math
import sqlite3
import typing
from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    String,
    and_,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.selectable import FromClause, Join, Subquery

from directory.geo import EARTH_RADIUS_KM
from directory.search_index import IndexedDocument as Doc
from directory.search_index import IndexedValue
from search.query import FACETS, NONE_BUCKET, Point, SearchQuery, Sort
from search.sqlcolumns import (
    HEADLINE,
    RADIANS,
    Figure,
    closeness,
    facet_code,
    has_places,
    known_wait,
    teaches,
    unpack_facets,
)

MATH_READY = "plekwijzer_math_functions"  # in Connection.info: functions checked
# The parts of the combined answer of `facets_and_page`.
CODES, MUNICIPALITIES, PAGE = "codes", "municipalities", "page"
# Above this share of all documents in a radius's latitude band, a scan of the table is
# faster than the index on lat (a lookup per row costs about four rows of a scan).
WIDE_BAND = 0.2


class OuterFirstJoin(Join):
    """An inner join whose left side drives: `CROSS JOIN ... ON` on SQLite, where that
    fixes the join order, a plain `JOIN` elsewhere.

    SQLite's planner, left to itself, may walk a whole index of the right side (all of
    `search_document`, or all municipality values) and probe the left side per row, when
    the left side is a handful of FTS5 matches or matched rows."""

    inherit_cache = True


@compiles(OuterFirstJoin)
def _compile_outer_first_join(join: OuterFirstJoin, compiler: SQLCompiler, **kw: Any) -> str:
    kw["asfrom"] = True
    left, right = compiler.process(join.left, **kw), compiler.process(join.right, **kw)
    del kw["asfrom"]
    assert join.onclause is not None
    operator = "CROSS JOIN" if compiler.dialect.name == "sqlite" else "JOIN"
    return f"{left} {operator} {right} ON {compiler.process(join.onclause, **kw)}"


def ensure_math_functions(connection: Connection) -> None:
    """SQLite has sin, cos, asin and sqrt only when built with its math functions (3.35+,
    optional): register Python ones on connections that lack them (`closeness` needs cos)."""
    if connection.info.get(MATH_READY):
        return
    raw = typing.cast(sqlite3.Connection, connection.connection.dbapi_connection)
    try:
        raw.execute("SELECT sin(0.5), cos(0.5), asin(0.5), sqrt(0.5)").fetchall()
    except sqlite3.OperationalError:
        for name, function in (
            ("sin", math.sin),
            ("cos", math.cos),
            ("asin", math.asin),
            ("sqrt", math.sqrt),
        ):
            raw.create_function(name, 1, _null_safe(function), deterministic=True)
    connection.info[MATH_READY] = True


def _null_safe(function: Callable[[float], float]) -> Callable[[float | None], float | None]:
    return lambda value: None if value is None else function(value)


def conditions(
    query: SearchQuery,
    now: datetime,
    text: ColumnElement[bool] | None,
    *,
    scan_box: bool = False,
    figure: Figure = HEADLINE,
) -> list[ColumnElement[bool]]:
    """The WHERE clause of `query` (its terms are ANDed); `text` is the text mode's own
    condition, if the query has words. A radius adds only its bounding box here (tested
    without the index on lat when `scan_box`, see `box_is_wide`): the exact test is
    `radius`, which `facets_and_page` applies to the matched rows. `figure` is where the
    figure filters read (`sqlcolumns.leerjaar_figure` with a leerjaar)."""
    where: list[ColumnElement[bool]] = [] if text is None else [text]
    if query.kinds:
        where.append(Doc.kind.in_([kind.value for kind in query.kinds]))
    if query.clusters:
        where.append(Doc.cluster.in_(query.clusters))
    if query.ijw_categories:
        where.append(Doc.ijw_category.in_(query.ijw_categories))
    if query.age is not None:
        where.append(or_(Doc.min_age.is_(None), Doc.min_age <= query.age))
        where.append(or_(Doc.max_age.is_(None), Doc.max_age >= query.age))
    if query.leerjaar is not None:
        where.append(teaches(query.leerjaar))
    if query.municipality is not None:
        where.append(_has_value("municipalities", query.municipality))
    if query.contracted_by is not None:
        where.append(_has_value("contracted_by", query.contracted_by))
    if query.max_wait_weeks is not None:
        where.append(known_wait(now, figure) <= query.max_wait_weeks)
    if query.has_places is not None:
        where.append(has_places(now, figure) == query.has_places)
    if query.accepts_pgb is not None:
        where.append(Doc.accepts_pgb == query.accepts_pgb)
    if query.near is not None and query.radius_km is not None:
        box = bounding_box(query.near, query.radius_km)
        # `lat + 0` is the same number, but SQLite cannot look it up in the index.
        lat = Doc.lat + 0 if scan_box else Doc.lat
        where.append(lat.between(*box.lat))
        if box.lon is not None:
            where.append(Doc.lon.between(*box.lon))
    return where


def _has_value(field: str, value: str) -> ColumnElement[bool]:
    return Doc.id.in_(
        select(IndexedValue.offer_id).where(
            IndexedValue.field == field, IndexedValue.value == value
        )
    )


class Radius(NamedTuple):
    """Rows whose `closeness` is at most `limit`: within a distance of a point."""

    closeness: ColumnElement[float]
    limit: float


def radius(query: SearchQuery) -> Radius | None:
    """The exact distance test of `query`, if it has a radius (its bounding box is in
    `conditions`)."""
    if query.near is None or query.radius_km is None:
        return None
    half_angle = min(query.radius_km / EARTH_RADIUS_KM / 2, math.pi / 2)
    return Radius(closeness(query.near), math.sin(half_angle) ** 2)


class Box(NamedTuple):
    """The ranges of latitude and (unless it spans a pole or the antimeridian) longitude
    around a radius."""

    lat: tuple[float, float]
    lon: tuple[float, float] | None


def bounding_box(point: Point, radius_km: float) -> Box:
    """A box around the radius: its ranges narrow the rows the haversine runs on."""
    angle = radius_km / EARTH_RADIUS_KM
    dlat = math.degrees(angle) * 1.0001
    lon = None
    cos_lat = math.cos(point.lat * RADIANS)
    if angle < math.pi / 2 and math.sin(angle) < cos_lat:
        dlon = math.degrees(math.asin(math.sin(angle) / cos_lat)) * 1.0001
        if point.lon - dlon >= -180 and point.lon + dlon <= 180:
            lon = (point.lon - dlon, point.lon + dlon)
    return Box((point.lat - dlat, point.lat + dlat), lon)


def box_is_wide(connection: Connection, query: SearchQuery) -> bool:
    """Whether so many documents lie in the latitude band of `query`'s radius that reading
    the whole table beats looking each of them up through the index on lat. SQLite keeps
    no statistics to tell, so count them (in the index alone: about a millisecond)."""
    if query.near is None or query.radius_km is None:
        return False
    low, high = bounding_box(query.near, query.radius_km).lat
    band = select(func.count()).select_from(Doc).where(Doc.lat.between(low, high))
    total = select(func.count()).select_from(Doc)
    in_band, documents = connection.execute(
        select(band.scalar_subquery(), total.scalar_subquery())
    ).one()
    return bool(in_band > documents * WIDE_BAND)


def sort_keys(
    query: SearchQuery,
    now: datetime,
    score: ColumnElement[Any] | None,
    within: Radius | None = None,
    figure: Figure = HEADLINE,
) -> list[tuple[ColumnElement[Any], bool]]:
    """What `query` sorts on before the offer id, each with whether it is descending
    (NULLs always come last). `score` is the text relevance (lower is better) when the text
    mode has one; without it, relevance is id order, as is distance without a point. The
    distance is `within`'s own expression when there is one (`facets_and_page`); the wait
    and the measurement time are `figure`'s."""
    if query.sort is Sort.RELEVANCE and score is not None:
        return [(score, False)]
    if query.sort is Sort.WAIT:
        return [(known_wait(now, figure), False)]
    if query.sort is Sort.DISTANCE and query.near is not None:
        return [(within.closeness if within else closeness(query.near), False)]
    if query.sort is Sort.UPDATED:
        return [(figure.measured_at, True)]
    return []


def facets_and_page(
    connection: Connection,
    *,
    source: FromClause,
    where: list[ColumnElement[bool]],
    keys: list[tuple[ColumnElement[Any], bool]],
    now: datetime,
    limit: int,
    offset: int,
    within: Radius | None = None,
    page: Subquery | None = None,
    figure: Figure = HEADLINE,
) -> tuple[int, dict[str, dict[str, int]], list[int]]:
    """The exact total, the facet counts of the whole result and the ids of one page, in
    one statement: the matching rows are read once into a materialised CTE, then grouped
    (by facet code, by municipality) and sorted for the page (every order ends with the id).
    `within` is tested on the CTE's rows, so its trigonometry runs once per row even when
    the distance is also a sort key. A caller that can read the page more cheaply than by
    sorting the matched rows passes it as `page`: (position, id) rows, instead of `keys`.
    The status facet counts `figure`'s status (joined into `source` with a leerjaar).

    The municipality facet counts every municipality an offer has a location in, as the
    `municipality` filter matches, so choosing a bucket gives exactly its count; "none" is
    for offers without a location.
    """
    columns = [key.label(f"sort_{n}") for n, (key, _) in enumerate(keys)]
    tested = "closeness"  # the CTE's column `within` tests: a sort key's, if it is one
    if within is not None:
        sorted_by = [column.name for column in columns if column.element is within.closeness]
        if sorted_by:
            tested = sorted_by[0]
        else:
            columns.append(within.closeness.label(tested))
    rows = (
        select(
            Doc.id,
            facet_code(now, figure).label("code"),
            Doc.municipality,
            Doc.several_municipalities,
            *columns,
        )
        .select_from(source)
        .where(*where)
        .cte("matched")
        .prefix_with("MATERIALIZED")
    )
    matched: FromClause = rows
    if within is not None:
        matched = select(rows).where(rows.c[tested] <= within.limit).subquery("within")
    if page is None:
        sorted_page = (
            select(matched.c.id, *(matched.c[f"sort_{n}"] for n in range(len(keys))))
            .order_by(*_ordering(matched, keys))
            .limit(limit)
            .offset(offset)
            .subquery("page")
        )
        position: ColumnElement[int] = func.row_number().over(order_by=_ordering(sorted_page, keys))
        page = select(position.label("position"), sorted_page.c.id).subquery("positions")
    # Rows of the answer: (part, municipality, code or page position, count or offer id).
    statement = union_all(
        select(
            literal(CODES, String()).label("part"),
            cast(null(), String).label("municipality"),
            matched.c.code,
            cast(func.count(), Integer).label("number"),
        ).group_by(matched.c.code),
        # Every offer counts in the municipality of its main location ("none" without
        # one), and the few in several municipalities also in their others.
        select(
            literal(MUNICIPALITIES, String()),
            matched.c.municipality,
            cast(null(), Integer),
            cast(func.count(), Integer),
        ).group_by(matched.c.municipality),
        select(
            literal(MUNICIPALITIES, String()),
            IndexedValue.value,
            cast(null(), Integer),
            cast(func.count(), Integer),
        )
        .select_from(
            OuterFirstJoin(
                matched,
                IndexedValue,
                and_(
                    IndexedValue.offer_id == matched.c.id,
                    IndexedValue.field == "municipalities",
                    IndexedValue.value != matched.c.municipality,
                ),
            )
        )
        .where(matched.c.several_municipalities)
        .group_by(IndexedValue.value),
        # The page's rows keep their order through the UNION by their position.
        select(literal(PAGE, String()), cast(null(), String), page.c.position, page.c.id),
    )
    facets: dict[str, dict[str, int]] = {facet: {} for facet in FACETS}
    positions: list[tuple[int, int]] = []
    for part, municipality, code, number in connection.execute(statement):
        if part == PAGE:
            positions.append((code, number))
        elif part == MUNICIPALITIES:
            bucket = municipality or NONE_BUCKET
            facets["municipality"][bucket] = facets["municipality"].get(bucket, 0) + number
        else:
            for facet, bucket in unpack_facets(code).items():
                facets[facet][bucket] = facets[facet].get(bucket, 0) + number
    total = sum(facets["kind"].values())
    return total, facets, [offer_id for _, offer_id in sorted(positions)]


def _ordering(
    rows: FromClause, keys: list[tuple[ColumnElement[Any], bool]]
) -> list[ColumnElement[Any]]:
    order = [
        rows.c[f"sort_{n}"].desc().nulls_last()
        if descending
        else rows.c[f"sort_{n}"].asc().nulls_last()
        for n, (_, descending) in enumerate(keys)
    ]
    return [*order, rows.c.id.asc()]
