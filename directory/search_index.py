"""The tables of search: the index outbox (what the relay has still to carry to the
indexes) and the database search index (`search.sqlindex`), in the main database.

One `search_document` row per offer holds the fields of a `search.documents.SearchDocument`
(plus its digest); its text, as given and normalised, is in `search_document_text`, and the
multi-valued fields (`municipalities`, `contracted_by`) are rows of `search_document_value`.
On SQLite the migration also creates the contentless FTS5 table `search_text` (rowid = offer
id; columns `name` and `body`) and the fts5vocab table `search_text_vocab` over it.
SQLAlchemy cannot describe virtual tables, so they are not in the metadata and autogenerate
ignores them (`is_fts_table`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from directory.db import Base, UTCDateTime, partial_index, utcnow

FTS_TABLE = "search_text"
# The two columns of `search_text`; relevance puts a match in the name above one elsewhere.
FTS_COLUMNS = ("name", "body")
MULTI_VALUED = ("municipalities", "contracted_by")


def is_fts_table(name: str | None) -> bool:
    """Whether `name` is the FTS5 table, its fts5vocab table or one of FTS5's shadow tables
    (`search_text_data`, `_idx`, `_content`, `_docsize`, `_config`)."""
    return name is not None and (name == FTS_TABLE or name.startswith(FTS_TABLE + "_"))


def autogenerate_includes(name: str | None, type_: str, _parent_names: object) -> bool:
    """Alembic's `include_name` hook: compare everything but the FTS5 tables."""
    return not (type_ == "table" and is_fts_table(name))


class IndexedDocument(Base):
    """One offer as search sees it: a stored `SearchDocument`."""

    __tablename__ = "search_document"
    # Only lat is indexed (for the bounding box of a radius): the other filters either come
    # after the text match or keep too many rows to be worth an index (3 kinds...), and
    # `municipality` filters go through `search_document_value`.
    __table_args__ = (Index("ix_search_document_lat", "lat"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))  # an OfferKind value
    organisation_id: Mapped[int] = mapped_column(Integer)
    organisation: Mapped[str] = mapped_column(String(200))
    municipality: Mapped[str | None] = mapped_column(String(6))  # of the main location
    # Located in more than one municipality (see `search_document_value`): the municipality
    # facet need only look up the others of these few.
    several_municipalities: Mapped[bool] = mapped_column(Boolean)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    cluster: Mapped[int | None] = mapped_column(Integer)
    school_type: Mapped[str | None] = mapped_column(String(40))
    ijw_category: Mapped[int | None] = mapped_column(Integer)
    day_programme_type: Mapped[str | None] = mapped_column(String(40))
    min_age: Mapped[int | None] = mapped_column(Integer)
    max_age: Mapped[int | None] = mapped_column(Integer)
    accepts_pgb: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str | None] = mapped_column(String(40))
    open_places: Mapped[int | None] = mapped_column(Integer)
    total_wait_weeks: Mapped[int | None] = mapped_column(Integer)
    measured_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    is_demo: Mapped[bool] = mapped_column(Boolean)
    digest: Mapped[str] = mapped_column(String(64))  # search.documents.document_digest


class IndexedText(Base):
    """A document's text, beside its row in `search_document`: filters, facets and sorts
    read many rows, and without the text a row is a few hundred bytes instead of a page."""

    __tablename__ = "search_document_text"

    offer_id: Mapped[int] = mapped_column(
        ForeignKey("search_document.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    text: Mapped[str] = mapped_column(Text)  # SearchDocument.text as given
    # Exactly what the FTS5 table indexed for this document, normalised and with compound
    # parts (`search.text`): substring matching reads `match_text`, and deleting a row from
    # the contentless FTS5 table needs the values it was given.
    name_terms: Mapped[str] = mapped_column(Text)
    match_text: Mapped[str] = mapped_column(Text)


class IndexedValue(Base):
    """One value of a document's multi-valued field (`MULTI_VALUED`), for filtering."""

    __tablename__ = "search_document_value"
    __table_args__ = (Index("ix_search_document_value_lookup", "field", "value", "offer_id"),)

    offer_id: Mapped[int] = mapped_column(
        ForeignKey("search_document.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    field: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(20), primary_key=True)


class IndexState(Base):
    """A token that changes with every write to the index, so a process can tell when what
    it derived from the index (the typo vocabulary) is out of date. One row, id 1."""

    __tablename__ = "search_index_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    token: Mapped[str] = mapped_column(String(32))


class IndexOutbox(Base):
    """A change the search index has still to see, written in the same transaction."""

    __tablename__ = "index_outbox"
    __table_args__ = (
        CheckConstraint("operation IN ('upsert', 'delete')", name="operation"),
        partial_index("ix_index_outbox_pending", "id", where="processed_at IS NULL"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(Integer)  # no FK: deletions must still be sent
    operation: Mapped[str] = mapped_column(String(10))  # upsert | delete
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
