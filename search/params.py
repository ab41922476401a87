"""The search parameters of a query string (`kind=youth_care&age=9&near=Rotterdam`) as a
`SearchQuery`: one set of rules for the public API, the parents' pages and watches.

No HTTP here: the parameters come as anything with `get` and `getlist` (Starlette's
`QueryParams` is one)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from directory.enums import OfferKind
from directory.errors import InvalidDataError, InvalidParam
from search.query import MAX_PER_PAGE, SearchQuery, Sort

T = TypeVar("T")
MUNICIPALITY = re.compile(r"^GM[0-9]{4}$")  # a CBS municipality code
DIGITS = re.compile(r"-?[0-9]{1,9}")
# One parameter for both: SO and SBO count in groepen, VSO in leerjaren (DOMAIN.md).
LEERJAAR_HINT = "a groep from 1 to 8 (SO, SBO) or a leerjaar from 1 to 6 (VSO)"
BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


class QueryArgs(Protocol):
    """The query string as the parser reads it; Starlette's `QueryParams` is one."""

    def get(self, key: str, /) -> str | None: ...

    def getlist(self, key: str) -> list[str]: ...


class _Reader:
    """Reads query parameters, collecting every problem instead of stopping at the first."""

    def __init__(self, params: QueryArgs) -> None:
        self.params = params
        self.problems: list[InvalidParam] = []

    def many(self, name: str, parse: Callable[[str], T], hint: str) -> tuple[T, ...]:
        values = []
        for raw in self.params.getlist(name):
            for part in raw.split(","):
                try:
                    values.append(parse(part.strip()))
                except ValueError:
                    self.problems.append(InvalidParam(name, f"{part!r}: {hint}"))
        return tuple(dict.fromkeys(values))

    def one(self, name: str, parse: Callable[[str], T], hint: str) -> T | None:
        raw = self.params.get(name)
        if raw is None or raw == "":
            return None
        try:
            return parse(raw.strip())
        except ValueError:
            self.problems.append(InvalidParam(name, f"{raw!r}: {hint}"))
            return None


def _int_between(low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        # int() also takes "١٠" and " 10 ": only ASCII digits are a number here.
        if not DIGITS.fullmatch(raw):
            raise ValueError(raw)
        value = int(raw)
        if not low <= value <= high:
            raise ValueError(raw)
        return value

    return parse


def _float_between(low: float, high: float) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        value = float(raw)
        if not low <= value <= high:
            raise ValueError(raw)
        return value

    return parse


def _boolean(raw: str) -> bool:
    return BOOLEANS[raw.lower()] if raw.lower() in BOOLEANS else _raise(raw)


def _municipality(raw: str) -> str:
    return raw.upper() if MUNICIPALITY.match(raw.upper()) else _raise(raw)


def _raise(raw: str) -> Any:
    raise ValueError(raw)


def parse_query(params: QueryArgs) -> tuple[SearchQuery, str | None]:
    """The SearchQuery the parameters ask for, and its `near` text still to be resolved
    (`search.places.resolve_near`); 422 naming every bad parameter."""
    read = _Reader(params)
    kinds = read.many("kind", OfferKind, "one of " + ", ".join(kind.value for kind in OfferKind))
    clusters = read.many("cluster", _int_between(1, 4), "a cluster from 1 to 4")
    categories = read.many("ijw_category", _int_between(40, 55), "an iJw category 40-55")
    age = read.one("age", _int_between(0, 30), "an age from 0 to 30")
    leerjaar = read.one("leerjaar", _int_between(1, 8), LEERJAAR_HINT)
    municipality = read.one("municipality", _municipality, "a CBS code like GM0599")
    contracted_by = read.one("contracted_by", _municipality, "a CBS code like GM0599")
    max_wait = read.one("max_wait_weeks", _int_between(0, 520), "weeks from 0 to 520")
    has_places = read.one("has_places", _boolean, "true or false")
    accepts_pgb = read.one("accepts_pgb", _boolean, "true or false")
    radius = read.one("radius_km", _float_between(0.1, 500), "kilometres from 0.1 to 500")
    sort = read.one("sort", Sort, "one of " + ", ".join(sort.value for sort in Sort))
    page = read.one("page", _int_between(1, 100_000), "a page number from 1")
    per_page = read.one("per_page", _int_between(1, MAX_PER_PAGE), f"1 to {MAX_PER_PAGE}")
    near = (params.get("near") or "").strip() or None
    if near is None and radius is not None:
        read.problems.append(InvalidParam("radius_km", "needs near"))
    if near is None and sort is Sort.DISTANCE:
        read.problems.append(InvalidParam("sort", "distance needs near"))
    q = (params.get("q") or "").strip()
    if len(q) > 200:
        read.problems.append(InvalidParam("q", "at most 200 characters"))
    for name, text in (("q", q), ("near", near or "")):
        if "\x00" in text:
            read.problems.append(InvalidParam(name, "must not contain NUL characters"))
    if read.problems:
        raise InvalidDataError("the search parameters are not valid", read.problems)
    query = SearchQuery(
        q=q,
        kinds=kinds,
        clusters=clusters,
        ijw_categories=categories,
        age=age,
        leerjaar=leerjaar,
        municipality=municipality,
        contracted_by=contracted_by,
        max_wait_weeks=max_wait,
        has_places=has_places,
        accepts_pgb=accepts_pgb,
        radius_km=radius,
        sort=sort or Sort.RELEVANCE,
        page=page or 1,
        per_page=per_page or 20,
    )
    return query, near
