"""watches, job runs and change marks

Revision ID: acfc4ff55f5b
Revises: fbdfa3e692d6
Create Date: 2026-11-26 09:31:01.769218
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import directory.db

revision: str = "acfc4ff55f5b"
down_revision: str | None = "fbdfa3e692d6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_mark",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("updated_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_change_mark")),
    )
    op.create_table(
        "job_run",
        sa.Column("job_id", sa.String(length=40), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_started_at", directory.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_succeeded_at", directory.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_failed_at", directory.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_job_run")),
    )
    op.create_table(
        "organisation_webhook",
        sa.Column("webhook_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_webhook_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["webhook_id"],
            ["webhook_subscription.id"],
            name=op.f("fk_organisation_webhook_webhook_id_webhook_subscription"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("webhook_id", name=op.f("pk_organisation_webhook")),
    )
    with op.batch_alter_table("organisation_webhook", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_webhook_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "watch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("api_client_id", sa.Integer(), nullable=True),
        sa.Column("case_reference", sa.String(length=40), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=False),
        sa.Column("category", sa.String(length=60), nullable=True),
        sa.Column("search", sa.JSON(), nullable=False),
        sa.Column("created_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("evaluated_at", directory.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["api_client_id"], ["api_client.id"], name=op.f("fk_watch_api_client_id_api_client")
        ),
        sa.ForeignKeyConstraint(
            ["municipality_code"],
            ["municipality.code"],
            name=op.f("fk_watch_municipality_code_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_watch_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch")),
    )
    with op.batch_alter_table("watch", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_watch_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "watch_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("watch_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("raised_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", directory.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "event IN ('place_opened', 'wait_within_norm', 'pgb_route')",
            name=op.f("ck_watch_alert_event"),
        ),
        sa.ForeignKeyConstraint(
            ["watch_id"],
            ["watch.id"],
            name=op.f("fk_watch_alert_watch_id_watch"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_alert")),
    )
    with op.batch_alter_table("watch_alert", schema=None) as batch_op:
        batch_op.create_index(
            "ix_watch_alert_watch_raised", ["watch_id", "raised_at"], unique=False
        )
        batch_op.create_index(
            "uq_watch_alert_running",
            ["watch_id", "event", "subject_id"],
            unique=True,
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("watch_alert", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_watch_alert_running",
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        )
        batch_op.drop_index("ix_watch_alert_watch_raised")

    op.drop_table("watch_alert")
    with op.batch_alter_table("watch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_watch_organisation_id"))

    op.drop_table("watch")
    with op.batch_alter_table("organisation_webhook", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_webhook_organisation_id"))

    op.drop_table("organisation_webhook")
    op.drop_table("job_run")
    op.drop_table("change_mark")
