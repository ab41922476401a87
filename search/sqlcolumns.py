"""Expressions over one `search_document` row, as of the query's `now`: whether its figure
is fresh, its known wait and open places, its distance from a point, and its facet buckets
packed in one number. `search.sqlfilters` builds the filters, sorts and facet counts from
them.

Freshness is decided here, in SQL, from the query's `now`: a figure is fresh while
`valid_until > now`; a stale or missing figure has status "unknown", no known wait and no
known places.
"""

from __future__ import annotations

import math
from datetime import datetime

from sqlalchemy import ColumnElement, Float, and_, case, cast, func, literal

from directory.db import UTCDateTime
from directory.enums import AvailabilityStatus, OfferKind
from directory.search_index import IndexedDocument as Doc
from search.query import NONE_BUCKET, UNKNOWN_STATUS, Point

RADIANS = math.pi / 180
# Facet codes: each packed field is a digit of this base (0 = none or unknown).
CODE_WIDTH = 32
KINDS = [kind.value for kind in OfferKind]
KIND_CODES = {kind: code for code, kind in enumerate(KINDS)}  # never none: from 0
STATUSES = [status.value for status in AvailabilityStatus]
STATUS_CODES = {status: code for code, status in enumerate(STATUSES, start=1)}


def is_fresh(now: datetime) -> ColumnElement[bool]:
    """The document has a figure that is still valid at `now` (NULL counts as not)."""
    return Doc.valid_until > literal(now, UTCDateTime())


def has_places(now: datetime) -> ColumnElement[bool]:
    """A fresh figure with at least one open place (never NULL)."""
    return case((and_(is_fresh(now), Doc.open_places > 0), True), else_=False)


def known_wait(now: datetime) -> ColumnElement[int]:
    """The total wait in weeks when fresh and known, else NULL."""
    return case((is_fresh(now), Doc.total_wait_weeks), else_=None)


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


def facet_code(now: datetime) -> ColumnElement[int | None]:
    """Kind, cluster, iJw category and status (as of `now`) packed in one integer, so the
    facets other than municipality need one GROUP BY on one number (`unpack_facets`)."""
    kind = case(KIND_CODES, value=Doc.kind, else_=0)
    status = case(
        (is_fresh(now), case(STATUS_CODES, value=Doc.status, else_=0)),
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
