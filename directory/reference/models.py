"""The reference tables: official code lists, keyed by their codes."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.db import Base, enum_column
from directory.enums import SwvLayer


class Jeugdregio(Base):
    """A region in which municipalities buy youth care together (41 from 2025)."""

    __tablename__ = "jeugdregio"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)  # JZxx
    name: Mapped[str] = mapped_column(String(120))


class Municipality(Base):
    """A CBS municipality. Mergers take effect on 1 January: a merged municipality keeps
    its row with `valid_to` (last year it existed) and its `successor_code`."""

    __tablename__ = "municipality"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)  # GMxxxx
    name: Mapped[str] = mapped_column(String(120))
    province_code: Mapped[str | None] = mapped_column(String(4))  # PV20-PV31
    jeugdregio_code: Mapped[str | None] = mapped_column(ForeignKey("jeugdregio.code"))
    valid_from: Mapped[int | None] = mapped_column(Integer)
    valid_to: Mapped[int | None] = mapped_column(Integer)
    successor_code: Mapped[str | None] = mapped_column(ForeignKey("municipality.code"))
    lat: Mapped[float | None]
    lon: Mapped[float | None]


swv_municipality = Table(
    "swv_municipality",
    Base.metadata,
    Column("swv_code", ForeignKey("swv.code", ondelete="CASCADE"), primary_key=True),
    Column("municipality_code", ForeignKey("municipality.code"), primary_key=True),
)


class Swv(Base):
    """A samenwerkingsverband passend onderwijs. Its area does not follow municipality
    borders, so SWV and municipality are many-to-many."""

    __tablename__ = "swv"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)  # PO-28-12 / VO-28-12
    name: Mapped[str] = mapped_column(String(160))
    layer: Mapped[SwvLayer] = mapped_column(enum_column(SwvLayer))
    municipalities: Mapped[list[Municipality]] = relationship(
        secondary=swv_municipality, lazy="raise"
    )


class IjwCategory(Base):
    """An iJw product category (code list JZ020)."""

    __tablename__ = "ijw_category"

    code: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(120))


class Cluster(Base):
    """A special-education cluster (1-4): unofficial since 2014, but used everywhere."""

    __tablename__ = "cluster"

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text)
    admission: Mapped[str] = mapped_column(Text)
