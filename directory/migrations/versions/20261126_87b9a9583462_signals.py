"""signals: PGB-route and education-gap signals and their transitions

Revision ID: 87b9a9583462
Revises: f54cc7117e99
Create Date: 2026-11-26 08:30:35.193015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import directory.db

revision: str = "87b9a9583462"
down_revision: str | None = "f54cc7117e99"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "signal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("category", sa.String(length=60), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("opened_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", directory.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reason_code", sa.String(length=40), nullable=False),
        sa.Column("norm_intake_weeks", sa.Integer(), nullable=False),
        sa.Column("norm_treatment_weeks", sa.Integer(), nullable=False),
        sa.Column("norm_source", sa.String(length=80), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("alternatives", sa.JSON(), nullable=False),
        sa.Column("alternatives_total", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("updated_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('pgb_route', 'education_gap')", name=op.f("ck_signal_kind")),
        sa.CheckConstraint("state IN ('open', 'resolved')", name=op.f("ck_signal_state")),
        sa.ForeignKeyConstraint(
            ["municipality_code"],
            ["municipality.code"],
            name=op.f("fk_signal_municipality_code_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signal")),
        sa.UniqueConstraint(
            "municipality_code", "category", "kind", name=op.f("uq_signal_municipality_code")
        ),
    )
    with op.batch_alter_table("signal", schema=None) as batch_op:
        batch_op.create_index(
            "ix_signal_state_municipality", ["state", "municipality_code"], unique=False
        )

    op.create_table(
        "signal_transition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "state IN ('open', 'resolved')", name=op.f("ck_signal_transition_state")
        ),
        sa.ForeignKeyConstraint(
            ["signal_id"],
            ["signal.id"],
            name=op.f("fk_signal_transition_signal_id_signal"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signal_transition")),
    )
    with op.batch_alter_table("signal_transition", schema=None) as batch_op:
        batch_op.create_index("ix_signal_transition_signal_at", ["signal_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("signal_transition", schema=None) as batch_op:
        batch_op.drop_index("ix_signal_transition_signal_at")

    op.drop_table("signal_transition")
    with op.batch_alter_table("signal", schema=None) as batch_op:
        batch_op.drop_index("ix_signal_state_municipality")

    op.drop_table("signal")
