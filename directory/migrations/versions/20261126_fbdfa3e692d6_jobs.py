"""jobs

Revision ID: fbdfa3e692d6
Revises: 87b9a9583462
Create Date: 2026-11-26 08:41:47.575538
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import directory.db

revision: str = "fbdfa3e692d6"
down_revision: str | None = "87b9a9583462"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scheduler_lease",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("holder", sa.String(length=120), nullable=False),
        sa.Column("expires_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_lease")),
    )
    op.create_table(
        "webhook_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=True),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_code"],
            ["municipality.code"],
            name=op.f("fk_webhook_subscription_municipality_code_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_subscription")),
    )
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("recipient", sa.String(length=500), nullable=False),
        sa.Column("event", sa.String(length=60), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("webhook_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", directory.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("channel IN ('webhook', 'email')", name=op.f("ck_notification_channel")),
        sa.CheckConstraint(
            "state IN ('pending', 'sent', 'dead')", name=op.f("ck_notification_state")
        ),
        sa.ForeignKeyConstraint(
            ["webhook_id"],
            ["webhook_subscription.id"],
            name=op.f("fk_notification_webhook_id_webhook_subscription"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_notification_dedupe_key")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index("ix_notification_due", ["state", "next_attempt_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_due")

    op.drop_table("notification")
    op.drop_table("webhook_subscription")
    op.drop_table("scheduler_lease")
