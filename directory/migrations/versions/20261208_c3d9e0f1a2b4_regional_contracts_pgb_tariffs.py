"""regional contracts, PGB tariffs, what a signal adds (the leerjaren of a school shortage,
the municipality's PGB tariff), and waiting lists per groep or leerjaar

Revision ID: c3d9e0f1a2b4
Revises: b7e1c2a9d4f3
Create Date: 2026-12-08 01:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import directory.db

revision: str = "c3d9e0f1a2b4"
down_revision: str | None = "b7e1c2a9d4f3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_LIST = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
ONE_BUYER = "(municipality_code IS NULL) <> (jeugdregio_code IS NULL)"


def upgrade() -> None:
    with op.batch_alter_table("contract") as batch:
        batch.add_column(sa.Column("jeugdregio_code", sa.String(length=4), nullable=True))
        batch.alter_column("municipality_code", existing_type=sa.String(length=6), nullable=True)
        batch.create_foreign_key(
            op.f("fk_contract_jeugdregio_code_jeugdregio"),
            "jeugdregio",
            ["jeugdregio_code"],
            ["code"],
        )
        batch.create_check_constraint(op.f("ck_contract_one_buyer"), ONE_BUYER)
        batch.create_index("ix_contract_jeugdregio_offer", ["jeugdregio_code", "offer_id"])
    # Adding columns needs no table copy, so the transitions stay where they are.
    op.add_column("signal", sa.Column("leerjaren", JSON_LIST, server_default="[]", nullable=False))
    op.add_column("signal", sa.Column("pgb_tariff", sa.JSON(), nullable=True))
    op.create_table(
        "pgb_tariff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=60), nullable=False),
        sa.Column("municipality_code", sa.String(length=6), nullable=True),
        sa.Column("jeugdregio_code", sa.String(length=4), nullable=True),
        sa.Column("cents", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("updated_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(ONE_BUYER, name=op.f("ck_pgb_tariff_one_region")),
        sa.CheckConstraint("cents > 0", name=op.f("ck_pgb_tariff_cents")),
        sa.ForeignKeyConstraint(
            ["jeugdregio_code"],
            ["jeugdregio.code"],
            name=op.f("fk_pgb_tariff_jeugdregio_code_jeugdregio"),
        ),
        sa.ForeignKeyConstraint(
            ["municipality_code"],
            ["municipality.code"],
            name=op.f("fk_pgb_tariff_municipality_code_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pgb_tariff")),
    )
    for region in ("municipality", "jeugdregio"):
        where = sa.text(f"{region}_code IS NOT NULL")
        op.create_index(
            f"uq_pgb_tariff_{region}",
            "pgb_tariff",
            ["category", f"{region}_code"],
            unique=True,
            sqlite_where=where,
            postgresql_where=where,
        )

    with op.batch_alter_table("waitlist_entry") as batch:
        batch.add_column(sa.Column("leerjaar", sa.Integer(), nullable=True))
        batch.drop_constraint(op.f("uq_waitlist_entry_offer_id"), type_="unique")
        batch.create_check_constraint(
            op.f("ck_waitlist_entry_leerjaar"), "leerjaar IS NULL OR leerjaar BETWEEN 1 AND 8"
        )
    for name, columns, predicate in (
        ("uq_waitlist_entry_offer_position", ["offer_id", "position"], "leerjaar IS NULL"),
        (
            "uq_waitlist_entry_offer_leerjaar_position",
            ["offer_id", "leerjaar", "position"],
            "leerjaar IS NOT NULL",
        ),
    ):
        condition = sa.text(predicate)
        op.create_index(
            name,
            "waitlist_entry",
            columns,
            unique=True,
            sqlite_where=condition,
            postgresql_where=condition,
        )


def downgrade() -> None:
    op.drop_index("uq_waitlist_entry_offer_leerjaar_position", table_name="waitlist_entry")
    op.drop_index("uq_waitlist_entry_offer_position", table_name="waitlist_entry")
    op.execute("DELETE FROM waitlist_entry WHERE leerjaar IS NOT NULL")
    with op.batch_alter_table("waitlist_entry") as batch:
        batch.drop_constraint(op.f("ck_waitlist_entry_leerjaar"), type_="check")
        batch.create_unique_constraint(op.f("uq_waitlist_entry_offer_id"), ["offer_id", "position"])
        batch.drop_column("leerjaar")
    op.drop_table("pgb_tariff")
    op.drop_column("signal", "pgb_tariff")
    op.drop_column("signal", "leerjaren")
    op.execute("DELETE FROM contract WHERE municipality_code IS NULL")
    with op.batch_alter_table("contract") as batch:
        batch.drop_index("ix_contract_jeugdregio_offer")
        batch.drop_constraint(op.f("ck_contract_one_buyer"), type_="check")
        batch.drop_constraint(op.f("fk_contract_jeugdregio_code_jeugdregio"), type_="foreignkey")
        batch.alter_column("municipality_code", existing_type=sa.String(length=6), nullable=False)
        batch.drop_column("jeugdregio_code")
