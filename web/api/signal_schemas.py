"""Shapes of the signals API's answers (the source of their OpenAPI schemas)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class SignalItem(BaseModel):
    """One signal for a municipality and category: a shortage, or a task for the
    municipality."""

    id: int
    kind: Literal["pgb_route", "education_gap", "care_gap", "figures_unknown", "no_contract"] = (
        Field(
            description="A shortage (fresh figures show that no contracted offer can start "
            "within the norm): pgb_route for youth care and day programmes a PGB can pay; "
            "education_gap for school places and OPDC, which have no PGB; care_gap for care "
            "a PGB cannot fill (crisis care, iJw 46; preventief justitieel kader, iJw 49). "
            "A task for the municipality, never a ground for the PGB route: figures_unknown "
            "(a contracted offer has no fresh, complete figure, so nothing can be said); "
            "no_contract (nothing contracted any more where a gap or unknown was open). "
            "Lists show shortages unless `kind` asks for a task."
        )
    )
    state: Literal["open", "resolved"]
    municipality: str = Field(description="CBS code, GMxxxx.")
    category: str = Field(
        description='"ijw:45", "day_programme:dagbesteding", "education:cluster-3:so", '
        '"education:sbo".',
        examples=["ijw:45"],
    )
    opened_at: datetime = Field(description="When the gap (last) opened.")
    resolved_at: datetime | None = Field(description="When it closed; null while open.")


class SignalList(BaseModel):
    """`GET /api/v1/signals`: one page, newest opened first."""

    items: list[SignalItem]
    total: int
    page: int
    per_page: int


class NormOut(BaseModel):
    """The waiting norm the signal was judged by, and where it was set."""

    intake_weeks: int
    treatment_weeks: int
    total_weeks: int
    source: str = Field(
        description='"municipality:GM0599", "jeugdregio:JZ31", "national:<category>", '
        '"default" (the Treeknorm, 4 + 10 weeks, an adult mental-health norm), "crisis" '
        '(within 24 hours) or "reference:thuiszitterspact" (3 months: a reference, not a '
        "law; school places have no legal waiting norm)."
    )
    source_text: dict[str, str] = Field(
        description="Whose norm it is, in words, by language (nl, en)."
    )


class EvidenceOut(BaseModel):
    """One offer of the municipality's own supply (contracted care; for education, a school
    that serves the municipality) and why it can or cannot start within the norm. A stale
    figure never counts as available."""

    offer_id: int
    name: str | None = Field(description="Null when the offer was deleted since.")
    status: str = Field(description="Its last status, or unknown when nothing was published.")
    open_places: int | None
    total_wait_weeks: int | None
    fresh: bool
    valid_until: datetime | None
    available: bool
    reason_code: str = Field(
        description="no_figure, stale, closed, open_places, wait_unknown, within_norm or over_norm."
    )
    reason: str
    leerjaar: int | None = Field(
        default=None,
        description="For a school shortage per leerjaar: the leerjaar (groep) this figure is for.",
    )


class AlternativeOut(BaseModel):
    """A non-contracted offer near the municipality that accepts a PGB, has a fresh figure
    and can start within the norm, with its headline figure as every page shows it, and
    what a PGB at the municipality's PGB tariff would pay of its tariff (Jeugdwet art.
    8.1.1 lid 4 onder a: the municipality may refuse the part that costs more than the
    care in kind)."""

    offer_id: int
    name: str | None
    status: str = Field(description="open, assessment_required or waitlist.")
    open_places: int | None
    total_wait_weeks: int | None = Field(description="As published: intake + treatment.")
    distance_km: float = Field(description="From the municipality's centre, 0.1 km.")
    tariff_cents: int | None
    tariff_unit: str | None
    pgb_tariff_cents: int | None = Field(
        description="The municipality's PGB tariff in the same unit; null when it set none "
        "or the units differ."
    )
    pgb_pays_cents: int | None = Field(description="At most: the lower of the two tariffs.")
    parents_pay_cents: int | None = Field(
        description="The part above the PGB tariff, which the municipality may refuse to pay."
    )
    above_pgb_tariff: bool | None = Field(description="Null when nothing can be compared.")
    pgb_text: dict[Literal["nl", "en"], str] | None = Field(
        description="What a PGB pays of this offer, in words; null when it names no tariff."
    )


class PgbTariffOut(BaseModel):
    """The PGB tariff of the municipality (or its jeugdregio) for the category."""

    cents: int
    unit: str
    source: str = Field(description='"municipality:GM0599" or "jeugdregio:JZ31".')


class SwvOut(BaseModel):
    """A samenwerkingsverband passend onderwijs covering the municipality."""

    code: str = Field(examples=["VO-28-12"])
    name: str


class TransitionOut(BaseModel):
    """The signal opened or was resolved at this moment."""

    state: Literal["open", "resolved"]
    at: datetime


class SignalDetail(SignalItem):
    """`GET /api/v1/signals/{id}`: the signal with its evidence, alternatives, norm,
    wording and every transition (how long the gap was open)."""

    reason_code: str = Field(
        description="none_within_norm, contracted_within_norm (resolved), or "
        "no_contracted_offer (resolved: nothing is contracted any more)."
    )
    norm: NormOut
    evidence: list[EvidenceOut]
    alternatives: list[AlternativeOut] = Field(
        description="The best ones by wait, then distance (at most 25)."
    )
    alternatives_total: int
    leerjaren: list[int] = Field(
        description="For a school shortage published per leerjaar (groep): the leerjaren "
        "without a place within the norm; empty when the category as a whole is short."
    )
    pgb_tariff: PgbTariffOut | None = Field(
        description="For a PGB route: the municipality's PGB tariff; null when it set none."
    )
    samenwerkingsverbanden: list[SwvOut] = Field(
        description="For a school route (not clusters 1 and 2): the samenwerkingsverband(en) "
        "covering the municipality, primary for SO and SBO, secondary for VSO and OPDC."
    )
    text: dict[Literal["nl", "en"], str] = Field(
        description="What the signal means. The PGB route *may* apply; it is not a promise."
    )
    transitions: list[TransitionOut]
    updated_at: datetime
