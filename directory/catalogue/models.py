"""The catalogue's tables: organisations, locations, offers, their availability
(history and the current pointer), contracts, waiting norms, the audit log and
waiting-list entries.

Catalogue rows have integer ids; the reference tables, keyed by official codes, are in
`directory.reference.models`. Relationships are `lazy="raise"`: every query says what it
loads.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    and_,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from directory.db import Base, JSONList, UTCDateTime, enum_column, partial_index, utcnow
from directory.enums import (
    AvailabilityStatus,
    ContractKind,
    DayProgrammeType,
    ExitProfile,
    OfferKind,
    OrganisationKind,
    SchoolType,
    TlvCategory,
    WaitMeasure,
)
from directory.reference.models import Municipality

# --- the catalogue ------------------------------------------------------------------------


class Organisation(Base):
    """A school board, school, care provider, SWV or municipality, with its identifiers
    (KvK, AGB for care, BRIN + vestigingsnummer for schools)."""

    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint("brin IS NULL OR length(brin) = 4", name="brin_length"),
        CheckConstraint(
            "vestigingsnummer IS NULL OR length(vestigingsnummer) = 2",
            name="vestigingsnummer_length",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind))
    kvk: Mapped[str | None] = mapped_column(String(8), index=True)
    agb: Mapped[str | None] = mapped_column(String(8), index=True)
    brin: Mapped[str | None] = mapped_column(String(4), index=True)
    vestigingsnummer: Mapped[str | None] = mapped_column(String(2))
    # A school belongs to its school board; a merged school points at its successor.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    swv_code: Mapped[str | None] = mapped_column(ForeignKey("swv.code"))
    municipality_code: Mapped[str | None] = mapped_column(ForeignKey("municipality.code"))
    website: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    locations: Mapped[list[Location]] = relationship(back_populates="organisation", lazy="raise")
    offers: Mapped[list[Offer]] = relationship(back_populates="organisation", lazy="raise")


class Location(Base):
    """Where an organisation works: address, CBS municipality and coordinates."""

    __tablename__ = "location"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    street: Mapped[str | None] = mapped_column(String(200))
    house_number: Mapped[str | None] = mapped_column(String(20))
    postcode: Mapped[str | None] = mapped_column(String(6), index=True)  # 1234AB, no space
    city: Mapped[str] = mapped_column(String(120))
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipality.code"), index=True)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    accessibility: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)  # the ETag of the provider API
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship(back_populates="locations", lazy="raise")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it once)


offer_location = Table(
    "offer_location",
    Base.metadata,
    Column("offer_id", ForeignKey("offer.id", ondelete="CASCADE"), primary_key=True),
    Column("location_id", ForeignKey("location.id"), primary_key=True, index=True),
)


class Offer(Base):
    """What a place is *for*. Kind-specific columns are empty for the other kinds."""

    __tablename__ = "offer"
    __table_args__ = (
        CheckConstraint(
            "kind != 'special_education' OR school_type IS NOT NULL",
            name="special_education_has_school_type",
        ),
        CheckConstraint(
            "school_type IS NULL OR school_type = 'sbo' OR cluster IS NOT NULL",
            name="so_vso_has_cluster",
        ),
        CheckConstraint(
            "kind != 'day_programme' OR day_programme_type IS NOT NULL",
            name="day_programme_has_type",
        ),
        CheckConstraint(
            "kind != 'youth_care' OR ijw_category IS NOT NULL", name="youth_care_has_category"
        ),
        CheckConstraint(
            "min_age IS NULL OR max_age IS NULL OR min_age <= max_age", name="age_range"
        ),
        CheckConstraint("tariff_cents IS NULL OR tariff_cents >= 0", name="tariff_not_negative"),
        # Education places have no PGB; clusters belong to special education only.
        CheckConstraint(
            "kind != 'special_education' OR NOT accepts_pgb", name="education_without_pgb"
        ),
        CheckConstraint(
            "cluster IS NULL OR (kind = 'special_education' AND school_type != 'sbo')",
            name="cluster_only_for_so_vso",
        ),
        Index("ix_offer_kind", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[OfferKind] = mapped_column(enum_column(OfferKind))
    min_age: Mapped[int | None]
    max_age: Mapped[int | None]
    leerjaren: Mapped[list[int]] = mapped_column(JSONList, default=list)
    languages: Mapped[list[str]] = mapped_column(JSONList, default=list)
    accessibility: Mapped[str | None] = mapped_column(Text)
    how_to_apply: Mapped[str | None] = mapped_column(Text)
    accepts_pgb: Mapped[bool] = mapped_column(Boolean, default=False)
    tariff_cents: Mapped[int | None]  # per tariff_unit, in euro cents
    tariff_unit: Mapped[str | None] = mapped_column(String(20))  # hour, day, week, month...
    contact_email: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(300))

    # special_education
    cluster: Mapped[int | None] = mapped_column(ForeignKey("cluster.number"))
    school_type: Mapped[SchoolType | None] = mapped_column(enum_column(SchoolType))
    tlv_required: Mapped[bool | None]
    tlv_category: Mapped[TlvCategory | None] = mapped_column(enum_column(TlvCategory))
    exit_profile: Mapped[ExitProfile | None] = mapped_column(enum_column(ExitProfile))
    # day_programme
    day_programme_type: Mapped[DayProgrammeType | None] = mapped_column(
        enum_column(DayProgrammeType)
    )
    includes_education: Mapped[bool | None]
    education_hours_per_week: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    # youth_care
    ijw_category: Mapped[int | None] = mapped_column(ForeignKey("ijw_category.code"))
    beschikking_required: Mapped[bool | None]

    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)  # the ETag of the provider API
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Deleted offers stay, so their history and contracts remain explainable.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship(back_populates="offers", lazy="raise")
    locations: Mapped[list[Location]] = relationship(secondary=offer_location, lazy="raise")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it once)


class AvailabilityReport(Base):
    """One published measurement. Append-only: rows are never updated or deleted.

    `location_id` and `leerjaar` narrow the figure to one location and/or leerjaar; both
    empty means the figure is for the offer as a whole.
    """

    __tablename__ = "availability_report"
    __table_args__ = (
        CheckConstraint("open_places IS NULL OR open_places >= 0", name="open_places"),
        CheckConstraint(
            "waiting_list_size IS NULL OR waiting_list_size >= 0", name="waiting_list_size"
        ),
        CheckConstraint(
            "bridging_count IS NULL OR (bridging_count >= 0 AND "
            "(waiting_list_size IS NULL OR bridging_count <= waiting_list_size))",
            name="bridging_count",
        ),
        CheckConstraint("intake_wait_weeks IS NULL OR intake_wait_weeks >= 0", name="intake_wait"),
        CheckConstraint(
            "treatment_wait_weeks IS NULL OR treatment_wait_weeks >= 0", name="treatment_wait"
        ),
        CheckConstraint("valid_until > measured_at", name="valid_after_measured"),
        Index("ix_availability_report_offer_measured", "offer_id", "measured_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id"))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"))
    leerjaar: Mapped[int | None]
    status: Mapped[AvailabilityStatus] = mapped_column(enum_column(AvailabilityStatus))
    open_places: Mapped[int | None]
    waiting_list_size: Mapped[int | None]  # bruto
    bridging_count: Mapped[int | None]  # of the list, how many get bridging care
    intake_wait_weeks: Mapped[int | None]  # aanmeldwachttijd
    treatment_wait_weeks: Mapped[int | None]  # behandelwachttijd
    measure: Mapped[WaitMeasure] = mapped_column(enum_column(WaitMeasure))
    measured_at: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime)
    reported_by: Mapped[str] = mapped_column(String(120))
    api_client_id: Mapped[int | None] = mapped_column(ForeignKey("api_client.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CurrentAvailability(Base):
    """Which report is current (newest `measured_at`) per offer and scope.

    Kept so that search and signals need not scan the history; `scope` is "offer",
    "location:<id>", "leerjaar:<n>" or "location:<id>/leerjaar:<n>".
    """

    __tablename__ = "current_availability"

    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id"), primary_key=True)
    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("availability_report.id"), unique=True)

    report: Mapped[AvailabilityReport] = relationship(lazy="raise")


class Contract(Base):
    """A municipality, or a jeugdregio for all its member municipalities, bought this offer
    as zorg in natura from `valid_from` to `valid_to` (regions such as Rijnmond and
    Lekstroom buy together)."""

    __tablename__ = "contract"
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_range"),
        CheckConstraint(
            "(municipality_code IS NULL) <> (jeugdregio_code IS NULL)", name="one_buyer"
        ),
        Index("ix_contract_municipality_offer", "municipality_code", "offer_id"),
        Index("ix_contract_jeugdregio_offer", "jeugdregio_code", "offer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_code: Mapped[str | None] = mapped_column(ForeignKey("municipality.code"))
    jeugdregio_code: Mapped[str | None] = mapped_column(ForeignKey("jeugdregio.code"))
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id"), index=True)
    kind: Mapped[ContractKind] = mapped_column(
        enum_column(ContractKind), default=ContractKind.ZORG_IN_NATURA
    )
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @classmethod
    def bought_for(cls, municipality_codes: list[str]) -> ColumnElement[bool]:
        """SQL: bought for one of these municipalities, by itself or by its jeugdregio."""
        regions = select(Municipality.jeugdregio_code).where(
            Municipality.code.in_(municipality_codes)
        )
        return or_(cls.municipality_code.in_(municipality_codes), cls.jeugdregio_code.in_(regions))

    @classmethod
    def in_force(cls, today: date) -> ColumnElement[bool]:
        """SQL: a zorg-in-natura contract valid on `today` (`valid_to` is its last day), as
        `directory.signals.rules.in_force` decides for one contract."""
        return and_(
            cls.kind == ContractKind.ZORG_IN_NATURA,
            cls.valid_from <= today,
            or_(cls.valid_to.is_(None), cls.valid_to >= today),
        )


class WaitingNorm(Base):
    """The longest acceptable total wait for a category, set by a municipality or a
    jeugdregio; a row with neither is a national norm for that category."""

    __tablename__ = "waiting_norm"
    __table_args__ = (
        CheckConstraint("municipality_code IS NULL OR jeugdregio_code IS NULL", name="one_region"),
        CheckConstraint("intake_weeks >= 0 AND treatment_weeks >= 0", name="weeks"),
        # One norm per category and region (and one national norm per category).
        partial_index(
            "uq_waiting_norm_municipality",
            "category",
            "municipality_code",
            where="municipality_code IS NOT NULL",
            unique=True,
        ),
        partial_index(
            "uq_waiting_norm_jeugdregio",
            "category",
            "jeugdregio_code",
            where="jeugdregio_code IS NOT NULL",
            unique=True,
        ),
        partial_index(
            "uq_waiting_norm_national",
            "category",
            where="municipality_code IS NULL AND jeugdregio_code IS NULL",
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(60))  # see directory.catalogue.rules.category_key
    municipality_code: Mapped[str | None] = mapped_column(ForeignKey("municipality.code"))
    jeugdregio_code: Mapped[str | None] = mapped_column(ForeignKey("jeugdregio.code"))
    intake_weeks: Mapped[int]
    treatment_weeks: Mapped[int]
    note: Mapped[str | None] = mapped_column(Text)


class AuditEvent(Base):
    """Who changed what, when, with the state before and after. Append-only."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_org_time", "organisation_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    api_client_id: Mapped[int | None] = mapped_column(ForeignKey("api_client.id"))
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class WaitlistEntry(Base):
    """A place on an offer's waiting list, known only by an opaque reference code.

    The code itself is not stored, only its SHA-256: a parent who has the code can look
    the position up, and the table alone tells nobody which codes exist. No names, no BSN.
    """

    __tablename__ = "waitlist_entry"
    __table_args__ = (
        CheckConstraint("position >= 1", name="position"),
        CheckConstraint("leerjaar IS NULL OR leerjaar BETWEEN 1 AND 8", name="leerjaar"),
        # One list per offer, or one per groep/leerjaar for a school that keeps them so.
        partial_index(
            "uq_waitlist_entry_offer_position",
            "offer_id",
            "position",
            where="leerjaar IS NULL",
            unique=True,
        ),
        partial_index(
            "uq_waitlist_entry_offer_leerjaar_position",
            "offer_id",
            "leerjaar",
            "position",
            where="leerjaar IS NOT NULL",
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id"), index=True)
    reference_hash: Mapped[str] = mapped_column(String(64), unique=True)
    leerjaar: Mapped[int | None]  # the groep or leerjaar whose list this place is on
    position: Mapped[int]
    estimated_start: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
