"""Shapes of the public JSON API's answers (the source of their OpenAPI schemas)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from directory.enums import OfferKind


class LeerjaarFigureOut(BaseModel):
    """One groep's or leerjaar's own figure, judged now."""

    leerjaar: int | None = Field(
        description="Groep (SO, SBO) or leerjaar (VSO); null for the offer's other leerjaren."
    )
    status: str = Field(description="As the item's status; unknown when stale or missing.")
    open_places: int | None
    total_wait_weeks: int | None
    stale: bool


class OfferHit(BaseModel):
    """One offer in a search result, with its headline figure."""

    id: int
    name: str
    kind: OfferKind
    organisation: str
    municipality: str | None = Field(description="CBS code of the offer's main location.")
    status: str = Field(
        description="open, waitlist, closed, assessment_required, or unknown when the "
        "figure is past its valid_until or missing. With `leerjaar`: that leerjaar's; "
        "without, the best of the offer's leerjaren (see by_leerjaar)."
    )
    open_places: int | None = Field(description="Null when unknown.")
    total_wait_weeks: int | None = Field(
        description="Intake + treatment wait; null when unknown or stale. Without `leerjaar`, "
        "the shortest of the offer's leerjaren (see by_leerjaar)."
    )
    measured_at: datetime | None
    stale: bool = Field(description="True when the figure is past its valid_until.")
    distance_km: float | None = Field(
        default=None, description="Only with `near`: to the main location, 0.1 km."
    )
    varies_by_leerjaar: bool = Field(
        description="True when asked without `leerjaar` and the offer's leerjaren differ "
        "(status, wait, places, or one is unknown): then status and wait are the best of "
        "them, not every leerjaar's; show by_leerjaar."
    )
    by_leerjaar: list[LeerjaarFigureOut] = Field(
        description="When varies_by_leerjaar: each groep's or leerjaar's own figure."
    )


class SearchAnswer(BaseModel):
    """`GET /api/v1/offers`: exact totals and facet counts over the whole result."""

    items: list[OfferHit]
    total: int
    page: int
    per_page: int
    facets: dict[str, dict[str, int]] = Field(
        description="kind, cluster, ijw_category, municipality, status: value → count; "
        '"none" for offers without the attribute, "unknown" for stale or missing figures.'
    )
    degraded: bool = Field(
        description="True when the search engine was down and the database answered "
        "(plain substring matching, no typo tolerance)."
    )


class FigureOut(BaseModel):
    """A current or past figure, for the offer as a whole or one location or leerjaar."""

    location_id: int | None
    leerjaar: int | None
    status: str
    open_places: int | None
    waiting_list_size: int | None = Field(description="Bruto waiting list.")
    bridging_count: int | None
    netto_waiting_list_size: int | None = Field(description="Bruto minus bridging care.")
    intake_wait_weeks: int | None
    treatment_wait_weeks: int | None
    total_wait_weeks: int | None
    measure: str
    measured_at: datetime
    valid_until: datetime
    stale: bool


class OfferDetail(BaseModel):
    """`GET /api/v1/offers/{id}`: the offer's fields as providers publish them (see
    OfferFields), with its organisation, locations, current figures, contracts and the
    history of its offer-wide figure."""

    model_config = {"extra": "allow"}

    id: int
    name: str
    kind: OfferKind
    organisation: dict[str, Any]
    is_demo: bool
    locations: list[dict[str, Any]]
    availability: dict[str, Any]
    contracts: list[dict[str, Any]]
    history: list[FigureOut]
