"""accounts for professionals: users with a role and its scope, and one-time
set-password links (stored as hashes)

Revision ID: 32d54e6ef075
Revises: c3d9e0f1a2b4
Create Date: 2026-12-08 02:11:48.641178
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import directory.db

revision: str = "32d54e6ef075"
down_revision: str | None = "c3d9e0f1a2b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AREAS_GIVEN = (
    "(CASE WHEN municipality_code IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN jeugdregio_code IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN swv_code IS NULL THEN 0 ELSE 1 END)"
)
SCOPE_FITS_ROLE = (
    f"(role IN ('municipality_admin', 'wijkteam') AND organisation_id IS NULL"
    f" AND {AREAS_GIVEN} = 1)"
    f" OR (role = 'provider_staff' AND organisation_id IS NOT NULL AND {AREAS_GIVEN} = 0)"
    f" OR (role = 'platform_admin' AND organisation_id IS NULL AND {AREAS_GIVEN} = 0)"
)


def upgrade() -> None:
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column(
            "role",
            sa.Enum(
                "municipality_admin",
                "wijkteam",
                "provider_staff",
                "platform_admin",
                name="userrole",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("municipality_code", sa.String(length=6), nullable=True),
        sa.Column("jeugdregio_code", sa.String(length=4), nullable=True),
        sa.Column("swv_code", sa.String(length=10), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("created_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("password_set_at", directory.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("disabled_at", directory.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sessions_valid_after", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(SCOPE_FITS_ROLE, name=op.f("ck_user_account_scope_fits_role")),
        sa.ForeignKeyConstraint(
            ["jeugdregio_code"],
            ["jeugdregio.code"],
            name=op.f("fk_user_account_jeugdregio_code_jeugdregio"),
        ),
        sa.ForeignKeyConstraint(
            ["municipality_code"],
            ["municipality.code"],
            name=op.f("fk_user_account_municipality_code_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_user_account_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["swv_code"], ["swv.code"], name=op.f("fk_user_account_swv_code_swv")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
    )
    op.create_table(
        "password_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "set_password",
                name="tokenpurpose",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("created_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", directory.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_password_token_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_token_token_hash")),
    )
    op.create_index(op.f("ix_password_token_user_id"), "password_token", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_password_token_user_id"), table_name="password_token")
    op.drop_table("password_token")
    op.drop_table("user_account")
