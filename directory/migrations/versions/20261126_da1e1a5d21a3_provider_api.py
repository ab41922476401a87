"""provider api: waiting lists, idempotency, location versions

Revision ID: da1e1a5d21a3
Revises: ce1f3b5dd18e
Create Date: 2026-11-26 07:22:18.635237
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import directory.db

revision: str = "da1e1a5d21a3"
down_revision: str | None = "ce1f3b5dd18e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
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

    with op.batch_alter_table("location", schema=None) as batch_op:
        # Existing rows start at version 1, updated now.
        batch_op.add_column(
            sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )
        batch_op.add_column(
            sa.Column(
                "updated_at",
                directory.db.UTCDateTime(timezone=True),
                nullable=False,
                server_default=sa.text("CURRENT_TIMESTAMP"),
            )
        )
        batch_op.add_column(
            sa.Column("deleted_at", directory.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")
        batch_op.drop_column("updated_at")
        batch_op.drop_column("version")

    with op.batch_alter_table("waitlist_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waitlist_entry_offer_id"))

    op.drop_table("waitlist_entry")
    op.drop_table("idempotency_record")
