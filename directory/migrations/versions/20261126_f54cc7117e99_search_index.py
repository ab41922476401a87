"""search index: documents, their text, multi-valued fields and (on SQLite) FTS5

Revision ID: f54cc7117e99
Revises: 4ecd23bcfc39
Create Date: 2026-11-26 08:09:59.908991
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import directory.db

revision: str = "f54cc7117e99"
down_revision: str | None = "4ecd23bcfc39"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_document",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("municipality", sa.String(length=6), nullable=True),
        sa.Column("several_municipalities", sa.Boolean(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("cluster", sa.Integer(), nullable=True),
        sa.Column("school_type", sa.String(length=40), nullable=True),
        sa.Column("ijw_category", sa.Integer(), nullable=True),
        sa.Column("day_programme_type", sa.String(length=40), nullable=True),
        sa.Column("min_age", sa.Integer(), nullable=True),
        sa.Column("max_age", sa.Integer(), nullable=True),
        sa.Column("accepts_pgb", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=True),
        sa.Column("open_places", sa.Integer(), nullable=True),
        sa.Column("total_wait_weeks", sa.Integer(), nullable=True),
        sa.Column("measured_at", directory.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("valid_until", directory.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", directory.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_document")),
    )
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.create_index("ix_search_document_lat", ["lat"], unique=False)

    op.create_table(
        "search_index_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_index_state")),
    )
    op.create_table(
        "search_document_text",
        sa.Column("offer_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("name_terms", sa.Text(), nullable=False),
        sa.Column("match_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["search_document.id"],
            name=op.f("fk_search_document_text_offer_id_search_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("offer_id", name=op.f("pk_search_document_text")),
    )
    op.create_table(
        "search_document_value",
        sa.Column("offer_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["search_document.id"],
            name=op.f("fk_search_document_value_offer_id_search_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "offer_id", "field", "value", name=op.f("pk_search_document_value")
        ),
    )
    with op.batch_alter_table("search_document_value", schema=None) as batch_op:
        batch_op.create_index(
            "ix_search_document_value_lookup", ["field", "value", "offer_id"], unique=False
        )

    if op.get_bind().dialect.name == "sqlite":
        # rowid = offer id; bm25 weighs the name column above the body. Contentless: the
        # text is kept in search_document_text (name_terms, match_text).
        op.execute(
            "CREATE VIRTUAL TABLE search_text USING fts5(name, body, content='', "
            "tokenize='unicode61 remove_diacritics 2', prefix='2 3 4')"
        )
        # The index's vocabulary, for typo tolerance.
        op.execute("CREATE VIRTUAL TABLE search_text_vocab USING fts5vocab(search_text, 'row')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_text_vocab")
        op.execute("DROP TABLE search_text")
    with op.batch_alter_table("search_document_value", schema=None) as batch_op:
        batch_op.drop_index("ix_search_document_value_lookup")

    op.drop_table("search_document_value")
    op.drop_table("search_document_text")
    op.drop_table("search_index_state")
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.drop_index("ix_search_document_lat")

    op.drop_table("search_document")
