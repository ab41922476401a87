"""catalogue

Revision ID: 4ecd23bcfc39
Revises:
Create Date: 2026-11-26 07:28:20.019458
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import directory.db

revision: str = "4ecd23bcfc39"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cluster",
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("admission", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_cluster")),
    )
    op.create_table(
        "ijw_category",
        sa.Column("code", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_ijw_category")),
    )
    op.create_table(
        "index_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("operation", sa.String(length=10), nullable=False),
        sa.Column("created_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("processed_at", directory.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "operation IN ('upsert', 'delete')", name=op.f("ck_index_outbox_operation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_index_outbox")),
    )
    with op.batch_alter_table("index_outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_index_outbox_pending",
            ["id"],
            unique=False,
            sqlite_where=sa.text("processed_at IS NULL"),
            postgresql_where=sa.text("processed_at IS NULL"),
        )

    op.create_table(
        "jeugdregio",
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_jeugdregio")),
    )
    op.create_table(
        "swv",
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column(
            "layer",
            sa.Enum(
                "po", "vo", name="swvlayer", native_enum=False, create_constraint=True, length=40
            ),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_swv")),
    )
    op.create_table(
        "municipality",
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("province_code", sa.String(length=4), nullable=True),
        sa.Column("jeugdregio_code", sa.String(length=4), nullable=True),
        sa.Column("valid_from", sa.Integer(), nullable=True),
        sa.Column("valid_to", sa.Integer(), nullable=True),
        sa.Column("successor_code", sa.String(length=6), nullable=True),
        sa.Column("lat", sa.Double(), nullable=True),
        sa.Column("lon", sa.Double(), nullable=True),
        sa.ForeignKeyConstraint(
            ["jeugdregio_code"],
            ["jeugdregio.code"],
            name=op.f("fk_municipality_jeugdregio_code_jeugdregio"),
        ),
        sa.ForeignKeyConstraint(
            ["successor_code"],
            ["municipality.code"],
            name=op.f("fk_municipality_successor_code_municipality"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_municipality")),
    )
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "school_board",
                "school",
                "care_provider",
                "swv",
                "municipality",
                name="organisationkind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("kvk", sa.String(length=8), nullable=True),
        sa.Column("agb", sa.String(length=8), nullable=True),
        sa.Column("brin", sa.String(length=4), nullable=True),
        sa.Column("vestigingsnummer", sa.String(length=2), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("successor_id", sa.Integer(), nullable=True),
        sa.Column("swv_code", sa.String(length=10), nullable=True),
        sa.Column("municipality_code", sa.String(length=6), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "brin IS NULL OR length(brin) = 4", name=op.f("ck_organisation_brin_length")
        ),
        sa.CheckConstraint(
            "vestigingsnummer IS NULL OR length(vestigingsnummer) = 2",
            name=op.f("ck_organisation_vestigingsnummer_length"),
        ),
        sa.ForeignKeyConstraint(
            ["municipality_code"],
            ["municipality.code"],
            name=op.f("fk_organisation_municipality_code_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["organisation.id"], name=op.f("fk_organisation_parent_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["successor_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_successor_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["swv_code"], ["swv.code"], name=op.f("fk_organisation_swv_code_swv")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
    )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisation_agb"), ["agb"], unique=False)
        batch_op.create_index(batch_op.f("ix_organisation_brin"), ["brin"], unique=False)
        batch_op.create_index(batch_op.f("ix_organisation_kvk"), ["kvk"], unique=False)

    op.create_table(
        "swv_municipality",
        sa.Column("swv_code", sa.String(length=10), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_code"],
            ["municipality.code"],
            name=op.f("fk_swv_municipality_municipality_code_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["swv_code"],
            ["swv.code"],
            name=op.f("fk_swv_municipality_swv_code_swv"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("swv_code", "municipality_code", name=op.f("pk_swv_municipality")),
    )
    op.create_table(
        "waiting_norm",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=60), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=True),
        sa.Column("jeugdregio_code", sa.String(length=4), nullable=True),
        sa.Column("intake_weeks", sa.Integer(), nullable=False),
        sa.Column("treatment_weeks", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "intake_weeks >= 0 AND treatment_weeks >= 0", name=op.f("ck_waiting_norm_weeks")
        ),
        sa.CheckConstraint(
            "municipality_code IS NULL OR jeugdregio_code IS NULL",
            name=op.f("ck_waiting_norm_one_region"),
        ),
        sa.ForeignKeyConstraint(
            ["jeugdregio_code"],
            ["jeugdregio.code"],
            name=op.f("fk_waiting_norm_jeugdregio_code_jeugdregio"),
        ),
        sa.ForeignKeyConstraint(
            ["municipality_code"],
            ["municipality.code"],
            name=op.f("fk_waiting_norm_municipality_code_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waiting_norm")),
    )
    with op.batch_alter_table("waiting_norm", schema=None) as batch_op:
        batch_op.create_index(
            "uq_waiting_norm_jeugdregio",
            ["category", "jeugdregio_code"],
            unique=True,
            sqlite_where=sa.text("jeugdregio_code IS NOT NULL"),
            postgresql_where=sa.text("jeugdregio_code IS NOT NULL"),
        )
        batch_op.create_index(
            "uq_waiting_norm_municipality",
            ["category", "municipality_code"],
            unique=True,
            sqlite_where=sa.text("municipality_code IS NOT NULL"),
            postgresql_where=sa.text("municipality_code IS NOT NULL"),
        )
        batch_op.create_index(
            "uq_waiting_norm_national",
            ["category"],
            unique=True,
            sqlite_where=sa.text("municipality_code IS NULL AND jeugdregio_code IS NULL"),
            postgresql_where=sa.text("municipality_code IS NULL AND jeugdregio_code IS NULL"),
        )

    op.create_table(
        "api_client",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("key_prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "scopes",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", directory.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", directory.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_api_client_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_client")),
        sa.UniqueConstraint("key_prefix", name=op.f("uq_api_client_key_prefix")),
    )
    with op.batch_alter_table("api_client", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_client_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "location",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("street", sa.String(length=200), nullable=True),
        sa.Column("house_number", sa.String(length=20), nullable=True),
        sa.Column("postcode", sa.String(length=6), nullable=True),
        sa.Column("city", sa.String(length=120), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("lat", sa.Double(), nullable=True),
        sa.Column("lon", sa.Double(), nullable=True),
        sa.Column("accessibility", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", directory.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["municipality_code"],
            ["municipality.code"],
            name=op.f("fk_location_municipality_code_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_location_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_location")),
    )
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_location_municipality_code"), ["municipality_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_location_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_location_postcode"), ["postcode"], unique=False)

    op.create_table(
        "offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "special_education",
                "day_programme",
                "youth_care",
                name="offerkind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("min_age", sa.Integer(), nullable=True),
        sa.Column("max_age", sa.Integer(), nullable=True),
        sa.Column(
            "leerjaren",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "languages",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("accessibility", sa.Text(), nullable=True),
        sa.Column("how_to_apply", sa.Text(), nullable=True),
        sa.Column("accepts_pgb", sa.Boolean(), nullable=False),
        sa.Column("tariff_cents", sa.Integer(), nullable=True),
        sa.Column("tariff_unit", sa.String(length=20), nullable=True),
        sa.Column("contact_email", sa.String(length=200), nullable=True),
        sa.Column("contact_phone", sa.String(length=40), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("cluster", sa.Integer(), nullable=True),
        sa.Column(
            "school_type",
            sa.Enum(
                "so",
                "vso",
                "sbo",
                name="schooltype",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("tlv_required", sa.Boolean(), nullable=True),
        sa.Column(
            "tlv_category",
            sa.Enum(
                "laag",
                "midden",
                "hoog",
                name="tlvcategory",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column(
            "exit_profile",
            sa.Enum(
                "vervolgonderwijs",
                "arbeidsmarkt",
                "dagbesteding",
                name="exitprofile",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column(
            "day_programme_type",
            sa.Enum(
                "onderwijszorgarrangement",
                "onderwijsgericht_dagprogramma",
                "ontwikkelgericht_dagprogramma",
                "dagbesteding",
                "bso_plus",
                "overbruggingszorg",
                "behandel_onderwijsgroep",
                "opdc",
                name="dayprogrammetype",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("includes_education", sa.Boolean(), nullable=True),
        sa.Column("education_hours_per_week", sa.Numeric(precision=4, scale=1), nullable=True),
        sa.Column("ijw_category", sa.Integer(), nullable=True),
        sa.Column("beschikking_required", sa.Boolean(), nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", directory.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "cluster IS NULL OR (kind = 'special_education' AND school_type != 'sbo')",
            name=op.f("ck_offer_cluster_only_for_so_vso"),
        ),
        sa.CheckConstraint(
            "kind != 'day_programme' OR day_programme_type IS NOT NULL",
            name=op.f("ck_offer_day_programme_has_type"),
        ),
        sa.CheckConstraint(
            "kind != 'special_education' OR NOT accepts_pgb",
            name=op.f("ck_offer_education_without_pgb"),
        ),
        sa.CheckConstraint(
            "kind != 'special_education' OR school_type IS NOT NULL",
            name=op.f("ck_offer_special_education_has_school_type"),
        ),
        sa.CheckConstraint(
            "kind != 'youth_care' OR ijw_category IS NOT NULL",
            name=op.f("ck_offer_youth_care_has_category"),
        ),
        sa.CheckConstraint(
            "school_type IS NULL OR school_type = 'sbo' OR cluster IS NOT NULL",
            name=op.f("ck_offer_so_vso_has_cluster"),
        ),
        sa.CheckConstraint(
            "min_age IS NULL OR max_age IS NULL OR min_age <= max_age",
            name=op.f("ck_offer_age_range"),
        ),
        sa.CheckConstraint(
            "tariff_cents IS NULL OR tariff_cents >= 0", name=op.f("ck_offer_tariff_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["cluster"], ["cluster.number"], name=op.f("fk_offer_cluster_cluster")
        ),
        sa.ForeignKeyConstraint(
            ["ijw_category"], ["ijw_category.code"], name=op.f("fk_offer_ijw_category_ijw_category")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_offer_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offer")),
    )
    with op.batch_alter_table("offer", schema=None) as batch_op:
        batch_op.create_index("ix_offer_kind", ["kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_offer_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("api_client_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=40), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["api_client_id"],
            ["api_client.id"],
            name=op.f("fk_audit_event_api_client_id_api_client"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_audit_event_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_event_org_time", ["organisation_id", "occurred_at"], unique=False
        )

    op.create_table(
        "availability_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("leerjaar", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "waitlist",
                "closed",
                "assessment_required",
                name="availabilitystatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("open_places", sa.Integer(), nullable=True),
        sa.Column("waiting_list_size", sa.Integer(), nullable=True),
        sa.Column("bridging_count", sa.Integer(), nullable=True),
        sa.Column("intake_wait_weeks", sa.Integer(), nullable=True),
        sa.Column("treatment_wait_weeks", sa.Integer(), nullable=True),
        sa.Column(
            "measure",
            sa.Enum(
                "current",
                "retrospective",
                name="waitmeasure",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("measured_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("valid_until", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reported_by", sa.String(length=120), nullable=False),
        sa.Column("api_client_id", sa.Integer(), nullable=True),
        sa.Column("received_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "bridging_count IS NULL OR (bridging_count >= 0 AND (waiting_list_size IS NULL OR bridging_count <= waiting_list_size))",
            name=op.f("ck_availability_report_bridging_count"),
        ),
        sa.CheckConstraint(
            "intake_wait_weeks IS NULL OR intake_wait_weeks >= 0",
            name=op.f("ck_availability_report_intake_wait"),
        ),
        sa.CheckConstraint(
            "open_places IS NULL OR open_places >= 0",
            name=op.f("ck_availability_report_open_places"),
        ),
        sa.CheckConstraint(
            "treatment_wait_weeks IS NULL OR treatment_wait_weeks >= 0",
            name=op.f("ck_availability_report_treatment_wait"),
        ),
        sa.CheckConstraint(
            "valid_until > measured_at", name=op.f("ck_availability_report_valid_after_measured")
        ),
        sa.CheckConstraint(
            "waiting_list_size IS NULL OR waiting_list_size >= 0",
            name=op.f("ck_availability_report_waiting_list_size"),
        ),
        sa.ForeignKeyConstraint(
            ["api_client_id"],
            ["api_client.id"],
            name=op.f("fk_availability_report_api_client_id_api_client"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
            name=op.f("fk_availability_report_location_id_location"),
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offer.id"], name=op.f("fk_availability_report_offer_id_offer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_availability_report")),
    )
    with op.batch_alter_table("availability_report", schema=None) as batch_op:
        batch_op.create_index(
            "ix_availability_report_offer_measured", ["offer_id", "measured_at"], unique=False
        )

    op.create_table(
        "contract",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "zorg_in_natura",
                name="contractkind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("created_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from", name=op.f("ck_contract_valid_range")
        ),
        sa.ForeignKeyConstraint(
            ["municipality_code"],
            ["municipality.code"],
            name=op.f("fk_contract_municipality_code_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offer.id"], name=op.f("fk_contract_offer_id_offer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract")),
    )
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contract_municipality_offer", ["municipality_code", "offer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_contract_offer_id"), ["offer_id"], unique=False)

    op.create_table(
        "idempotency_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("api_client_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response_body", sa.JSON(), nullable=False),
        sa.Column("created_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["api_client_id"],
            ["api_client.id"],
            name=op.f("fk_idempotency_record_api_client_id_api_client"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_record")),
        sa.UniqueConstraint(
            "api_client_id", "key", name=op.f("uq_idempotency_record_api_client_id")
        ),
    )
    op.create_table(
        "offer_location",
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_offer_location_location_id_location")
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["offer.id"],
            name=op.f("fk_offer_location_offer_id_offer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("offer_id", "location_id", name=op.f("pk_offer_location")),
    )
    with op.batch_alter_table("offer_location", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_offer_location_location_id"), ["location_id"], unique=False
        )

    op.create_table(
        "waitlist_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("reference_hash", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("estimated_start", sa.Date(), nullable=True),
        sa.Column("updated_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("position >= 1", name=op.f("ck_waitlist_entry_position")),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offer.id"], name=op.f("fk_waitlist_entry_offer_id_offer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waitlist_entry")),
        sa.UniqueConstraint("offer_id", "position", name=op.f("uq_waitlist_entry_offer_id")),
        sa.UniqueConstraint("reference_hash", name=op.f("uq_waitlist_entry_reference_hash")),
    )
    with op.batch_alter_table("waitlist_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waitlist_entry_offer_id"), ["offer_id"], unique=False)

    op.create_table(
        "current_availability",
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offer.id"], name=op.f("fk_current_availability_offer_id_offer")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["availability_report.id"],
            name=op.f("fk_current_availability_report_id_availability_report"),
        ),
        sa.PrimaryKeyConstraint("offer_id", "scope", name=op.f("pk_current_availability")),
        sa.UniqueConstraint("report_id", name=op.f("uq_current_availability_report_id")),
    )


def downgrade() -> None:
    op.drop_table("current_availability")
    with op.batch_alter_table("waitlist_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waitlist_entry_offer_id"))

    op.drop_table("waitlist_entry")
    with op.batch_alter_table("offer_location", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offer_location_location_id"))

    op.drop_table("offer_location")
    op.drop_table("idempotency_record")
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_offer_id"))
        batch_op.drop_index("ix_contract_municipality_offer")

    op.drop_table("contract")
    with op.batch_alter_table("availability_report", schema=None) as batch_op:
        batch_op.drop_index("ix_availability_report_offer_measured")

    op.drop_table("availability_report")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_org_time")

    op.drop_table("audit_event")
    with op.batch_alter_table("offer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offer_organisation_id"))
        batch_op.drop_index("ix_offer_kind")

    op.drop_table("offer")
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_location_postcode"))
        batch_op.drop_index(batch_op.f("ix_location_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_location_municipality_code"))

    op.drop_table("location")
    with op.batch_alter_table("api_client", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_client_organisation_id"))

    op.drop_table("api_client")
    with op.batch_alter_table("waiting_norm", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_waiting_norm_national",
            sqlite_where=sa.text("municipality_code IS NULL AND jeugdregio_code IS NULL"),
            postgresql_where=sa.text("municipality_code IS NULL AND jeugdregio_code IS NULL"),
        )
        batch_op.drop_index(
            "uq_waiting_norm_municipality",
            sqlite_where=sa.text("municipality_code IS NOT NULL"),
            postgresql_where=sa.text("municipality_code IS NOT NULL"),
        )
        batch_op.drop_index(
            "uq_waiting_norm_jeugdregio",
            sqlite_where=sa.text("jeugdregio_code IS NOT NULL"),
            postgresql_where=sa.text("jeugdregio_code IS NOT NULL"),
        )

    op.drop_table("waiting_norm")
    op.drop_table("swv_municipality")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_kvk"))
        batch_op.drop_index(batch_op.f("ix_organisation_brin"))
        batch_op.drop_index(batch_op.f("ix_organisation_agb"))

    op.drop_table("organisation")
    op.drop_table("municipality")
    op.drop_table("swv")
    op.drop_table("jeugdregio")
    with op.batch_alter_table("index_outbox", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_index_outbox_pending",
            sqlite_where=sa.text("processed_at IS NULL"),
            postgresql_where=sa.text("processed_at IS NULL"),
        )

    op.drop_table("index_outbox")
    op.drop_table("ijw_category")
    op.drop_table("cluster")
