"""How documents and queries look to Meilisearch: pure translation, no I/O.

Meilisearch cannot compare a figure's `valid_until` with the query's `now` at sort or facet
time, so the semantics of `search.query` are kept with more than one query: the filters
that need a fresh figure say `valid_until_ts > now`; the "status" facet counts the fresh
subset and puts the rest under "unknown"; `sort=wait` reads the fresh figures with a known
wait first, then the rest by id (see `MeiliBackend.search` for the page arithmetic).

Meilisearch cannot match within one element of an array of objects either, so each
leerjaar's figure is a set of flat attributes ("lj3_status", "lj3_total_wait_weeks",
"lj3_valid_until_ts", ...) beside `leerjaren`, the ones the offer is found under; a query
with a leerjaar reads that leerjaar's attributes wherever others read the headline's
(`figure_fields`).
"""

from __future__ import annotations

import json
from dataclasses import astuple, dataclass
from datetime import UTC, datetime
from typing import Any

from directory.catalogue.rules import GROEPEN
from directory.enums import OfferKind
from search.documents import SearchDocument, document_digest
from search.query import (
    NONE_BUCKET,
    UNKNOWN_STATUS,
    Hit,
    LeerjaarFigure,
    Point,
    SearchQuery,
    Sort,
    judged_hit,
)
from search.text import compound_words, normalise, parse_query, query_text

# Facets of `search.query.FACETS` by the document field that holds them ("status" is
# counted separately: it depends on `now`).
FACET_FIELDS = {
    "kind": "kind",
    "cluster": "cluster",
    "ijw_category": "ijw_category",
    "municipality": "municipalities",
}


@dataclass(frozen=True, slots=True)
class FigureFields:
    """The attributes that hold a figure: the headline's, or one leerjaar's."""

    status: str
    open_places: str
    total_wait_weeks: str
    measured_at: str  # ISO text, for the hits
    measured_at_ts: str
    valid_until_ts: str


HEADLINE_FIELDS = FigureFields(
    "status", "open_places", "total_wait_weeks", "measured_at", "measured_at_ts", "valid_until_ts"
)
# Every groep (SO, SBO) or leerjaar (VSO) a document may hold a figure for.
LEERJAREN = GROEPEN


def figure_fields(leerjaar: int | None) -> FigureFields:
    """Where the figure a query reads is: the headline's, or `leerjaar`'s."""
    if leerjaar is None:
        return HEADLINE_FIELDS
    prefix = f"lj{int(leerjaar)}_"
    return FigureFields(*(prefix + name for name in astuple(HEADLINE_FIELDS)))


# What a hit reads of each leerjaar's figure.
LEERJAAR_FIGURE_FIELDS = [
    name
    for fields in map(figure_fields, LEERJAREN)
    for name in (
        fields.status,
        fields.open_places,
        fields.total_wait_weeks,
        fields.measured_at,
        fields.valid_until_ts,
    )
]
HIT_FIELDS = [
    "id",
    "name",
    "kind",
    "organisation",
    "municipality",
    "status",
    "open_places",
    "total_wait_weeks",
    "measured_at",
    "valid_until_ts",
    "_geo",
    "leerjaren",
    *LEERJAAR_FIGURE_FIELDS,
]
# Without it Meilisearch drops query words from the end until something matches, so
# totals would depend on the engine; the embedded index also needs every word.
MATCHING_STRATEGY = "all"


def epoch(moment: datetime) -> float:
    """Seconds since 1970 (UTC; a naive datetime is taken as UTC, as the database stores)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def to_meili(document: SearchDocument) -> dict[str, Any]:
    """The JSON Meilisearch stores for a document.

    Facet fields get an explicit "none" instead of null so they have a bucket; numbers
    without a value are left out, so they sort last and fail every comparison; timestamps
    are epoch seconds for filters and sorts (ISO text beside them for the hits).
    """
    data: dict[str, Any] = {
        "id": document.id,
        "name": document.name,
        "kind": document.kind.value,
        "organisation_id": document.organisation_id,
        "organisation": document.organisation,
        "municipality": document.municipality,
        "municipalities": list(document.municipalities) or [NONE_BUCKET],
        "cluster": NONE_BUCKET if document.cluster is None else document.cluster,
        "school_type": document.school_type,
        "ijw_category": NONE_BUCKET if document.ijw_category is None else document.ijw_category,
        "day_programme_type": document.day_programme_type,
        "accepts_pgb": document.accepts_pgb,
        "contracted_by": list(document.contracted_by),
        "status": document.status or NONE_BUCKET,
        "measured_at": document.measured_at.isoformat() if document.measured_at else None,
        "valid_until": document.valid_until.isoformat() if document.valid_until else None,
        "updated_at": document.updated_at.isoformat(),
        "is_demo": document.is_demo,
        "text": document.text,
        # Parts of compounds, as the embedded index adds them: "boerderij" finds
        # "zorgboerderij".
        "compounds": " ".join(compound_words(normalise(document.text))),
        "digest": document_digest(document),
    }
    optional = {
        "min_age": document.min_age,
        "max_age": document.max_age,
        "open_places": document.open_places,
        "total_wait_weeks": document.total_wait_weeks,
        "measured_at_ts": epoch(document.measured_at) if document.measured_at else None,
        "valid_until_ts": epoch(document.valid_until) if document.valid_until else None,
    }
    data.update({key: value for key, value in optional.items() if value is not None})
    data["leerjaren"] = list(document.leerjaren)
    for figure in document.leerjaar_figures:
        fields = figure_fields(figure.leerjaar)
        parts = {
            fields.status: figure.status,
            fields.open_places: figure.open_places,
            fields.total_wait_weeks: figure.total_wait_weeks,
            fields.measured_at: figure.measured_at.isoformat() if figure.measured_at else None,
            fields.measured_at_ts: epoch(figure.measured_at) if figure.measured_at else None,
            fields.valid_until_ts: epoch(figure.valid_until) if figure.valid_until else None,
        }
        data.update({key: value for key, value in parts.items() if value is not None})
    if document.lat is not None and document.lon is not None:
        data["_geo"] = {"lat": document.lat, "lng": document.lon}
    return data


def _quote(value: str) -> str:
    # A JSON string is a valid Meilisearch filter string (double quotes, backslash escapes).
    return json.dumps(value)


def fresh(now: datetime, fields: FigureFields = HEADLINE_FIELDS) -> str:
    """The filter for figures that are still valid at `now`."""
    return f"{fields.valid_until_ts} > {epoch(now)!r}"


def _has_places(now: datetime, fields: FigureFields) -> str:
    return f"{fresh(now, fields)} AND {fields.open_places} > 0"


def _known_wait(now: datetime, fields: FigureFields) -> str:
    return f"{fresh(now, fields)} AND {fields.total_wait_weeks} EXISTS"


def filters(query: SearchQuery, now: datetime) -> list[str]:
    """Every filter of `query`, to be combined with AND."""
    fields = figure_fields(query.leerjaar)
    clauses: list[str] = []
    if query.kinds:
        clauses.append(f"kind IN [{', '.join(_quote(kind.value) for kind in query.kinds)}]")
    if query.clusters:
        clauses.append(f"cluster IN [{', '.join(str(int(c)) for c in query.clusters)}]")
    if query.ijw_categories:
        codes = ", ".join(str(int(code)) for code in query.ijw_categories)
        clauses.append(f"ijw_category IN [{codes}]")
    if query.age is not None:
        age = int(query.age)
        # An offer without a lower or upper age has no bound on that side.
        clauses.append(f"NOT min_age EXISTS OR min_age <= {age}")
        clauses.append(f"NOT max_age EXISTS OR max_age >= {age}")
    if query.leerjaar is not None:
        clauses.append(f"leerjaren = {int(query.leerjaar)}")
    if query.municipality is not None:
        clauses.append(f"municipalities = {_quote(query.municipality)}")
    if query.contracted_by is not None:
        clauses.append(f"contracted_by = {_quote(query.contracted_by)}")
    if query.max_wait_weeks is not None:
        weeks = int(query.max_wait_weeks)
        clauses.append(f"{fresh(now, fields)} AND {fields.total_wait_weeks} <= {weeks}")
    if query.has_places is True:
        clauses.append(_has_places(now, fields))
    elif query.has_places is False:
        clauses.append(f"NOT ({_has_places(now, fields)})")
    if query.accepts_pgb is not None:
        clauses.append(f"accepts_pgb = {'true' if query.accepts_pgb else 'false'}")
    if query.near is not None and query.radius_km is not None:
        near = query.near
        meters = float(query.radius_km) * 1000
        clauses.append(f"_geoRadius({near.lat!r}, {near.lon!r}, {meters!r})")
    return clauses


def combine(clauses: list[str]) -> str | None:
    """One filter string, each clause in parentheses (they may contain OR)."""
    return " AND ".join(f"({clause})" for clause in clauses) or None


def text_of(query: SearchQuery) -> str:
    """What to send as `q`: unstripped (a trailing space tells Meilisearch the last word is
    complete), or "" when the query has nothing to match (only stop words), which matches
    everything, as in the embedded engine (Meilisearch would search for the stop words)."""
    return query_text(query.q) if parse_query(query.q) else ""


def _text(query: SearchQuery) -> dict[str, Any]:
    """The text part of every query sent for `query`."""
    return {"q": text_of(query), "matchingStrategy": MATCHING_STRATEGY}


def sort_of(query: SearchQuery, text: str) -> list[str] | None:
    """Meilisearch's sort for every order but `wait` (which needs two queries), given the
    query's `text_of`; None keeps relevance order. Every explicit sort ends with the id, so
    pages never repeat or skip; relevance without words, and distance without a point, are
    id order."""
    if query.sort is Sort.UPDATED:
        return [f"{figure_fields(query.leerjaar).measured_at_ts}:desc", "id:asc"]
    if query.sort is Sort.DISTANCE:
        if query.near is None:
            return ["id:asc"]
        return [f"_geoPoint({query.near.lat!r}, {query.near.lon!r}):asc", "id:asc"]
    if text:
        return None
    return ["id:asc"]


@dataclass(frozen=True, slots=True)
class Plan:
    """The queries that answer one search in one multi-search round trip.

    `main` counts the total and the facets (and carries the page, except for `wait`);
    `fresh` counts the statuses of fresh figures (in `status_field`); `known` is the first
    part of a `wait` order: fresh figures with a known wait, by wait.
    """

    main: dict[str, Any]
    fresh: dict[str, Any]
    known: dict[str, Any] | None
    status_field: str = HEADLINE_FIELDS.status


def plan(query: SearchQuery, now: datetime) -> Plan:
    """The first round of queries for `query`."""
    clauses = filters(query, now)
    fields = figure_fields(query.leerjaar)
    base = _text(query)
    main = {
        **base,
        "filter": combine(clauses),
        "facets": list(FACET_FIELDS.values()),
        "page": 1,
        "hitsPerPage": 0,
    }
    fresh_counts = {
        **base,
        "filter": combine([*clauses, fresh(now, fields)]),
        "facets": [fields.status],
        "page": 1,
        "hitsPerPage": 0,
    }
    if query.sort is Sort.WAIT:
        known = {
            **base,
            "filter": combine([*clauses, _known_wait(now, fields)]),
            "sort": [f"{fields.total_wait_weeks}:asc", "id:asc"],
            "page": query.page,
            "hitsPerPage": query.per_page,
            "attributesToRetrieve": HIT_FIELDS,
        }
        return Plan(main=main, fresh=fresh_counts, known=known, status_field=fields.status)
    main.update(page=query.page, hitsPerPage=query.per_page, attributesToRetrieve=HIT_FIELDS)
    sort = sort_of(query, base["q"])
    if sort is not None:
        main["sort"] = sort
    return Plan(main=main, fresh=fresh_counts, known=None, status_field=fields.status)


def rest_of_wait(query: SearchQuery, now: datetime, offset: int, limit: int) -> dict[str, Any]:
    """The second part of a `wait` order: stale figures and unknown waits, by id."""
    return {
        **_text(query),
        "filter": combine(
            [*filters(query, now), f"NOT ({_known_wait(now, figure_fields(query.leerjaar))})"]
        ),
        "sort": ["id:asc"],
        "offset": offset,
        "limit": limit,
        "attributesToRetrieve": HIT_FIELDS,
    }


def facet_counts(
    main: dict[str, Any],
    fresh_counts: dict[str, Any],
    total: int,
    status_field: str = HEADLINE_FIELDS.status,
) -> dict[str, dict[str, int]]:
    """The facets of `search.query.FACETS` from the main and the fresh-subset answers (whose
    statuses are counted in `status_field`: the headline's, or a leerjaar's)."""
    distribution = main.get("facetDistribution") or {}
    facets = {name: dict(distribution.get(field, {})) for name, field in FACET_FIELDS.items()}
    statuses = dict((fresh_counts.get("facetDistribution") or {}).get(status_field, {}))
    unknown = total - int(fresh_counts["totalHits"])
    if unknown:
        statuses[UNKNOWN_STATUS] = unknown
    facets["status"] = statuses
    return facets


def to_hit(
    data: dict[str, Any], now: datetime, near: Point | None, leerjaar: int | None = None
) -> Hit:
    """A result item from a stored document, with its figure judged at `now`: the
    headline, or with a `leerjaar` that leerjaar's figure."""
    geo = data.get("_geo") or {}
    figure = _stored_figure(data, leerjaar or 0, figure_fields(leerjaar))
    others = (
        [_stored_figure(data, int(n), figure_fields(int(n))) for n in data.get("leerjaren", [])]
        if leerjaar is None
        else []
    )
    return judged_hit(
        id=int(data["id"]),
        name=data["name"],
        kind=OfferKind(data["kind"]),
        organisation=data["organisation"],
        municipality=data.get("municipality"),
        status=figure.status,
        open_places=figure.open_places,
        total_wait_weeks=figure.total_wait_weeks,
        measured_at=figure.measured_at,
        valid_until=figure.valid_until,
        now=now,
        near=near,
        lat=None if geo.get("lat") is None else float(geo["lat"]),
        lon=None if geo.get("lng") is None else float(geo["lng"]),
        leerjaar_figures=others,
    )


def _stored_figure(data: dict[str, Any], leerjaar: int, fields: FigureFields) -> LeerjaarFigure:
    valid_until = data.get(fields.valid_until_ts)
    measured_at = data.get(fields.measured_at)
    return LeerjaarFigure(
        leerjaar,
        data.get(fields.status),
        data.get(fields.open_places),
        data.get(fields.total_wait_weeks),
        datetime.fromisoformat(measured_at) if measured_at else None,
        None if valid_until is None else datetime.fromtimestamp(valid_until, UTC),
    )
