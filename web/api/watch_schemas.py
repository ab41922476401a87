"""Shapes of the watches API (the source of their OpenAPI schemas), and the check of a
watch's search with the same rules as `GET /api/v1/offers`."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import QueryParams

from directory.enums import OfferKind
from directory.errors import InvalidDataError, InvalidParam
from search.params import MUNICIPALITY, parse_query
from search.query import SearchQuery

EventName = Literal["place_opened", "wait_within_norm", "pgb_route"]


class WatchSearch(BaseModel):
    """The search of a watch: the filters of `GET /api/v1/offers`, checked by the same
    rules (sort and paging are left out: a watch looks at the shortest waits first).
    Types are strict, as in the provider API: `9`, not `"9"` or `true`."""

    model_config = ConfigDict(extra="forbid", strict=True)

    q: str | None = Field(
        default=None,
        max_length=200,
        description="Free text; no personal data (a BSN, e-mail address, phone number or date "
        "is refused; names cannot be detected and must not be used).",
    )
    kind: list[OfferKind] = Field(default_factory=list, examples=[["youth_care"]])
    cluster: list[int] = Field(default_factory=list, description="1-4.")
    ijw_category: list[int] = Field(
        default_factory=list, description="iJw category 40-55.", examples=[[45]]
    )
    age: int | None = Field(default=None, description="The child's age, 0-30.", examples=[9])
    leerjaar: int | None = Field(
        default=None,
        description="Groep 1-8 (SO, SBO) or leerjaar 1-6 (VSO): only schools that take children "
        "in it, judged by that leerjaar's own figure.",
    )
    municipality: str | None = Field(default=None, description="Where the offer is located.")
    contracted_by: str | None = Field(default=None, description="CBS code of a contract.")
    max_wait_weeks: int | None = None
    has_places: bool | None = None
    accepts_pgb: bool | None = None
    near: str | None = Field(
        default=None,
        description="Postcode, place name or lat,lon. A postcode is kept as its four digits "
        "(PC4), coordinates rounded to 2 decimals (~1 km).",
        examples=["Rotterdam"],
    )
    radius_km: float | None = Field(default=None, examples=[15])

    def checked(self) -> tuple[SearchQuery, str | None]:
        """The query these filters make, checked by `GET /api/v1/offers`'s rules; 422
        naming each bad filter as `search.<name>`."""
        items: list[tuple[str, str]] = []
        for name, value in self.model_dump(exclude_none=True).items():
            for one in value if isinstance(value, list) else [value]:
                text = str(one).lower() if isinstance(one, bool) else str(one)
                items.append((name, one.value if isinstance(one, OfferKind) else text))
        try:
            return parse_query(QueryParams(items))
        except InvalidDataError as error:
            raise InvalidDataError(
                "the search is not valid",
                [InvalidParam(f"search.{p.name}", p.reason) for p in error.invalid_params],
            ) from None


class WatchIn(BaseModel):
    """A new watch for a case. The case reference is a pseudonym from your own case
    system: no name, BSN, e-mail address, phone number or date of birth (all but names are
    refused; names cannot be detected, so they must not be used)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    case_reference: str = Field(
        min_length=1,
        max_length=40,
        description="Your case number: letters, digits, space and . _ / # : - with at least "
        "one digit. Refused as possible personal data: an e-mail address, a phone number, 9 or "
        "more digits in a row (a BSN could hide there) and dates (such as a date of birth: "
        "12-03-2015, 120315, 20150312). Names cannot be detected: never use a name, initials "
        "or anything else that points to the child.",
        examples=["WT-2026-0142"],
    )
    municipality: str = Field(
        pattern=MUNICIPALITY.pattern, description="The case's municipality (CBS code).",
        examples=["GM0599"],
    )  # fmt: skip
    category: str | None = Field(
        default=None,
        max_length=60,
        description="The case's category (ijw:45, day_programme:<type>, "
        "education:cluster-N:so|vso, education:sbo); decides which PGB-route and "
        "education-gap signals alert. Without it: those of the categories the search covers.",
        examples=["ijw:45"],
    )
    search: WatchSearch = Field(default_factory=WatchSearch)


class WatchOut(BaseModel):
    """A watch and its search as stored (`point` is where `near` was placed)."""

    id: int
    case_reference: str
    municipality: str
    category: str | None
    search: dict[str, Any]
    created_at: datetime
    evaluated_at: datetime | None = Field(description="The job's last look; null before.")
    alerts: str = Field(description="Where its alerts are listed.")


class WatchList(BaseModel):
    """Your organisation's watches, newest first."""

    items: list[WatchOut]
    total: int
    page: int
    per_page: int


class AlertOut(BaseModel):
    """One episode of an event: raised once when it starts; `ended_at` is set when it
    stops holding (a later new episode is a new alert)."""

    id: int
    watch_id: int
    event: EventName = Field(
        description="place_opened: a matching offer is open with places; "
        "wait_within_norm: a matching offer's total wait is within the norm; pgb_route: a "
        "PGB-route or education-gap signal is open (the PGB route may apply; no promise)."
    )
    offer_id: int | None
    signal_id: int | None
    raised_at: datetime
    ended_at: datetime | None
    details: dict[str, Any]
    text: dict[str, str] = Field(description="The wording, in nl and en.")


class AlertList(BaseModel):
    """A watch's alerts, newest first."""

    items: list[AlertOut]
    total: int
    page: int
    per_page: int
