"""The provider API's request and response shapes (pydantic), validated at the boundary.

These models are also the source of the OpenAPI document: field descriptions and examples
written here appear in the published spec and the docs page.

Here: the shared field types and `Strict`, offers, locations, availability, audit and
errors. The waiting-list and bulk-upload shapes are in `providers.waitlist_schemas` and
`providers.bulk_schemas`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, cast

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    create_model,
    field_validator,
)

from directory.enums import (
    AvailabilityStatus,
    DayProgrammeType,
    ExitProfile,
    OfferKind,
    SchoolType,
    TlvCategory,
    WaitMeasure,
)
from directory.errors import InvalidParam
from directory.geo import normalise_postcode

Count = Annotated[int, Field(ge=0, le=100_000)]
Weeks = Annotated[int, Field(ge=0, le=520, description="Weeks; 0 means no wait.")]
Age = Annotated[int, Field(ge=0, le=30)]
MAX_ID = 2**31 - 1  # ids are 32-bit integers on every database
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _plausible_moment(value: datetime) -> datetime:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"must lie between the years {FIRST_YEAR} and {LAST_YEAR}")
    return value


Moment = Annotated[AwareDatetime, AfterValidator(_plausible_moment)]


class Strict(BaseModel):
    """Unknown fields are refused, text is trimmed, and no text may hold a NUL character
    (PostgreSQL cannot store it)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise ValueError("must not contain NUL characters")
        return value


# --- offers -------------------------------------------------------------------------------


class OfferFields(Strict):
    """An offer as a provider describes it. Fields of other kinds must stay empty."""

    name: str = Field(min_length=2, max_length=200, examples=["Ambulante jeugdhulp – autisme"])
    description: str = Field(default="", max_length=5000)
    kind: OfferKind
    min_age: Age | None = None
    max_age: Age | None = None
    leerjaren: list[Annotated[int, Field(ge=1, le=8)]] = Field(
        default_factory=list, description="PO groep 1-8 or VO leerjaar 1-6; optional."
    )
    languages: list[Annotated[str, Field(pattern=r"^[a-z]{2}$")]] = Field(
        default_factory=lambda: ["nl"]
    )
    accessibility: str | None = Field(default=None, max_length=2000)
    how_to_apply: str | None = Field(default=None, max_length=2000)
    accepts_pgb: bool = False
    tariff_cents: int | None = Field(default=None, ge=0, le=10_000_000)
    tariff_unit: str | None = Field(default=None, pattern=r"^(hour|day|week|month|year|session)$")
    contact_email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")
    contact_phone: str | None = Field(default=None, max_length=40)
    website: str | None = Field(default=None, max_length=300, pattern=r"^https?://")
    location_ids: list[Id] = Field(default_factory=list, description="Your own locations.")

    cluster: int | None = Field(default=None, ge=1, le=4)
    school_type: SchoolType | None = None
    tlv_required: bool | None = None
    tlv_category: TlvCategory | None = None
    exit_profile: ExitProfile | None = None

    day_programme_type: DayProgrammeType | None = None
    includes_education: bool | None = None
    education_hours_per_week: Decimal | None = Field(default=None, ge=0, le=40, decimal_places=1)

    ijw_category: int | None = Field(default=None, ge=40, le=55)
    beschikking_required: bool | None = None

    def cross_field_problems(self) -> list[InvalidParam]:
        """What each field alone cannot say: the offer must fit its kind."""
        problems = []
        own = KIND_FIELDS[self.kind]
        for fields in KIND_FIELDS.values():
            problems += [
                InvalidParam(name, f"is not used for {self.kind.value}")
                for name in sorted(fields - own)
                if getattr(self, name) is not None
            ]
        if self.kind is OfferKind.SPECIAL_EDUCATION:
            if self.school_type is None:
                problems.append(InvalidParam("school_type", "is required for special_education"))
            elif self.school_type is SchoolType.SBO and self.cluster is not None:
                problems.append(InvalidParam("cluster", "must be empty for sbo: it has no cluster"))
            elif self.school_type is not SchoolType.SBO and self.cluster is None:
                problems.append(InvalidParam("cluster", "is required for so and vso"))
            if self.accepts_pgb:
                problems.append(
                    InvalidParam("accepts_pgb", "education places cannot be paid from a PGB")
                )
        if self.kind is OfferKind.DAY_PROGRAMME and self.day_programme_type is None:
            problems.append(InvalidParam("day_programme_type", "is required for day_programme"))
        if self.kind is OfferKind.YOUTH_CARE and self.ijw_category is None:
            problems.append(InvalidParam("ijw_category", "is required for youth_care"))
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            problems.append(InvalidParam("max_age", "must not be below min_age"))
        if (self.tariff_cents is None) != (self.tariff_unit is None):
            problems.append(InvalidParam("tariff_unit", "goes together with tariff_cents"))
        return problems


KIND_FIELDS: dict[OfferKind, set[str]] = {
    OfferKind.SPECIAL_EDUCATION: {
        "cluster",
        "school_type",
        "tlv_required",
        "tlv_category",
        "exit_profile",
    },
    OfferKind.DAY_PROGRAMME: {
        "day_programme_type",
        "includes_education",
        "education_hours_per_week",
    },
    OfferKind.YOUTH_CARE: {"ijw_category", "beschikking_required"},
}


def _partial(model: type[Strict], name: str, doc: str) -> type[Strict]:
    """`model` with every field optional: the body of a PATCH."""
    fields: dict[str, Any] = {
        field: (
            cast(Any, info.annotation) | None,
            Field(default=None, description=info.description),
        )
        for field, info in model.model_fields.items()
    }
    partial: type[Strict] = create_model(name, __base__=Strict, __doc__=doc, **fields)
    return partial


OfferPatch = _partial(
    OfferFields,
    "OfferPatch",
    "Any subset of the offer's fields; the offer that results must still be valid.",
)


class OfferOut(OfferFields):
    model_config = ConfigDict(extra="ignore", from_attributes=True)

    id: int
    organisation_id: int
    version: int
    created_at: datetime
    updated_at: datetime


class Page(BaseModel):
    total: int
    page: int
    per_page: int


class OfferList(Page):
    items: list[OfferOut]


# --- locations ----------------------------------------------------------------------------


class LocationFields(Strict):
    name: str = Field(min_length=2, max_length=200)
    street: str | None = Field(default=None, max_length=200)
    house_number: str | None = Field(default=None, max_length=20)
    postcode: str | None = Field(default=None, examples=["3011 AB"])
    city: str = Field(min_length=1, max_length=120)
    municipality_code: str = Field(pattern=r"^GM\d{4}$", examples=["GM0599"])
    lat: float | None = Field(default=None, ge=50.5, le=53.7)
    lon: float | None = Field(default=None, ge=3.2, le=7.3)
    accessibility: str | None = Field(default=None, max_length=2000)

    @field_validator("postcode")
    @classmethod
    def _dutch_postcode(cls, value: str | None) -> str | None:
        if value is None:
            return None
        normalised = normalise_postcode(value)
        if normalised is None:
            raise ValueError("not a Dutch postcode (1234 AB)")
        return normalised


LocationPatch = _partial(LocationFields, "LocationPatch", "Any subset of the location's fields.")


class LocationOut(LocationFields):
    model_config = ConfigDict(extra="ignore", from_attributes=True)

    id: int
    organisation_id: int
    version: int


class LocationList(Page):
    items: list[LocationOut]


# --- availability -------------------------------------------------------------------------


class AvailabilityFields(Strict):
    """One measurement of places and waiting times (NZa definitions)."""

    status: AvailabilityStatus
    open_places: Count | None = None
    waiting_list_size: Count | None = Field(default=None, description="Bruto waiting list.")
    bridging_count: Count | None = Field(
        default=None, description="Of the waiting list, how many get bridging care."
    )
    intake_wait_weeks: Weeks | None = Field(default=None, description="Aanmeldwachttijd.")
    treatment_wait_weeks: Weeks | None = Field(default=None, description="Behandelwachttijd.")
    measure: WaitMeasure = WaitMeasure.CURRENT
    measured_at: Moment = Field(examples=["2026-03-01T09:00:00+01:00"])
    valid_until: Moment | None = Field(
        default=None, description="Default: 31 days after measured_at."
    )
    location_id: Id | None = None
    leerjaar: int | None = Field(default=None, ge=1, le=8)


class AvailabilityOut(AvailabilityFields):
    model_config = ConfigDict(extra="ignore", from_attributes=True)

    id: int
    offer_id: int
    valid_until: AwareDatetime
    current: bool = Field(description="False when a newer measurement was already known.")
    reported_by: str
    received_at: datetime


# --- audit --------------------------------------------------------------------------------


class AuditOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    occurred_at: datetime
    actor: str
    api_client_id: int | None
    action: str
    entity_type: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditList(Page):
    items: list[AuditOut]


# --- errors -------------------------------------------------------------------------------


class InvalidParamOut(BaseModel):
    name: str
    reason: str


class Problem(BaseModel):
    """An error (RFC 9457 problem details)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    invalid_params: list[InvalidParamOut] = Field(default_factory=list)
    errors: list[dict[str, Any]] | None = Field(
        default=None,
        description="Bulk uploads only: every refused row as {row, column, reason}.",
    )
