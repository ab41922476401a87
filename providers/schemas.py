"""The provider API's request and response shapes (pydantic), validated at the boundary.

These models are also the source of the OpenAPI document: field descriptions and examples
written here appear in the published spec and the docs page.

Input is read strictly, because what a provider sends is shown to parents as it is: a
number must be a JSON number (not `"3"`, not `true`), a moment ISO 8601 text (not a Unix
time), a JSON object must not name a field twice (`load_json`), and figures must not
contradict each other (`cross_field_problems`). `field_reason` words pydantic's refusals
with an example of the right form.

Here: offers, locations, availability, audit and errors. The shared field types, `Strict`
and reading JSON are in `providers.strict_input`; the waiting-list and bulk-upload shapes
in `providers.waitlist_schemas` and `providers.bulk_schemas`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, cast

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    create_model,
    field_validator,
)

from directory.catalogue.rules import TARIFF_UNITS
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
from providers.strict_input import (
    MOMENT_EXAMPLE,
    Age,
    Count,
    Hours,
    Id,
    Moment,
    Strict,
    Weeks,
)

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
    tariff_unit: str | None = Field(default=None, pattern=rf"^({'|'.join(TARIFF_UNITS)})$")
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
    education_hours_per_week: Hours | None = Field(
        default=None, description="0-40, at most one decimal.", examples=[12.5]
    )

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
        if self.includes_education is False and self.education_hours_per_week:
            problems.append(
                InvalidParam(
                    "education_hours_per_week",
                    "must be empty when includes_education is false; "
                    "hours of education go with includes_education true",
                )
            )
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
    """`model` with every field optional: the body of a PATCH, checked field by field
    as strictly as the whole."""
    fields: dict[str, Any] = {
        field: (
            cast(Any, info.rebuild_annotation()) | None,
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
    # Built from stored rows, not read from a client.
    model_config = ConfigDict(extra="ignore", from_attributes=True, strict=False)

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
    municipality_code: str = Field(pattern=r"^GM[0-9]{4}$", examples=["GM0599"])
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
    model_config = ConfigDict(extra="ignore", from_attributes=True, strict=False)

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
    measured_at: Moment = Field(examples=[MOMENT_EXAMPLE])
    valid_until: Moment | None = Field(
        default=None, description="Default: 31 days after measured_at."
    )
    location_id: Id | None = None
    leerjaar: int | None = Field(default=None, ge=1, le=8)

    def cross_field_problems(self) -> list[InvalidParam]:
        """Figures that contradict each other as a parent reads them. The catalogue checks
        the rest (the clock, the offer's locations, bridging within the list, a closed
        offer's places) in `directory.catalogue.service.check_reports`."""
        problems = []
        if self.status is AvailabilityStatus.OPEN and self.open_places == 0:
            problems.append(
                InvalidParam(
                    "open_places",
                    'is 0 while the status is "open": give the free places (e.g. 2), '
                    'leave open_places out when unknown, or send status "waitlist"',
                )
            )
        return problems


class AvailabilityOut(AvailabilityFields):
    model_config = ConfigDict(extra="ignore", from_attributes=True, strict=False)

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
