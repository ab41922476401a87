"""The waiting-list shapes: the list a provider publishes per offer (reference codes with
their positions), fresh codes to hand out, and the position a parent looks up.

Part of the provider API's boundary, like `providers.schemas`; `providers.waitlist` applies
them.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from providers.strict_input import DAY_EXAMPLE, Day, Strict


class WaitlistEntryIn(Strict):
    """One place on the list, known by the reference code the provider gave the family."""

    reference: str = Field(
        min_length=1,
        max_length=200,
        examples=["K7QM-4XTR-9PWA"],
        description="8-64 letters and digits; spaces, hyphens and case are ignored.",
    )
    leerjaar: int | None = Field(
        default=None,
        ge=1,
        le=8,
        description="For a school that keeps a list per groep (SO, SBO: 1-8) or leerjaar (VSO: "
        "1-6): whose list this place is on; positions count within it. Null: the offer's one list.",
    )
    position: int = Field(ge=1, le=1_000_000, description="1 is next in line.")
    estimated_start: Day | None = Field(
        default=None,
        examples=[DAY_EXAMPLE],
        description="From a year ago to ten years ahead; null when not known.",
    )


class WaitlistIn(Strict):
    """The whole waiting list of one offer; it replaces the previous list."""

    entries: list[WaitlistEntryIn] = Field(
        max_length=10_000,
        description="References unique, positions unique within each leerjaar; [] clears the "
        "list (all of them).",
    )


class WaitlistOut(BaseModel):
    offer_id: int
    entries: int = Field(description="How many places the list now has.")
    updated_at: datetime


class ReferencesOut(BaseModel):
    references: list[str] = Field(
        description="Fresh reference codes, not yet on any list.", examples=[["K7QM-4XTR-9PWA"]]
    )


class WaitlistOffer(BaseModel):
    id: int
    name: str
    organisation: str = Field(description="The organisation's name.")
    school_type: str | None = Field(description="so, vso or sbo; null for other offers.")


class WaitlistPosition(BaseModel):
    """What a parent sees for their reference code (the code itself is not repeated)."""

    leerjaar: int | None = Field(description="The groep or leerjaar whose list it is, if any.")
    position: int
    of: int = Field(description="How many places the list (of that leerjaar) has.")
    estimated_start: date | None
    updated_at: datetime
    offer: WaitlistOffer
