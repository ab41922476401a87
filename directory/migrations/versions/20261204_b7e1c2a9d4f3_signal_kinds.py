"""signal kinds: care gaps, and the municipality's tasks (figures unknown, no contract)

Revision ID: b7e1c2a9d4f3
Revises: acfc4ff55f5b
Create Date: 2026-12-04 18:10:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "b7e1c2a9d4f3"
down_revision: str | None = "acfc4ff55f5b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_KINDS = "'pgb_route', 'education_gap', 'care_gap', 'figures_unknown', 'no_contract'"
OLD_KINDS = "'pgb_route', 'education_gap'"


def _set_kinds(kinds: str) -> None:
    # SQLite changes a CHECK constraint by copying the table. With foreign keys on (and
    # PRAGMA foreign_keys cannot change inside the migration's transaction), dropping the
    # old `signal` table would cascade to `signal_transition`: keep its rows aside.
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("CREATE TEMP TABLE kept_transition AS SELECT * FROM signal_transition")
    with op.batch_alter_table("signal") as batch:
        batch.drop_constraint(op.f("ck_signal_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_signal_kind"), f"kind IN ({kinds})")
    if sqlite:
        op.execute(
            "INSERT INTO signal_transition SELECT * FROM kept_transition "
            "WHERE id NOT IN (SELECT id FROM signal_transition)"
        )
        op.execute("DROP TABLE kept_transition")


def upgrade() -> None:
    _set_kinds(NEW_KINDS)


def downgrade() -> None:
    op.execute("DELETE FROM signal WHERE kind NOT IN ('pgb_route', 'education_gap')")
    _set_kinds(OLD_KINDS)
