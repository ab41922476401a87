"""`plekwijzer generate`: write a synthetic catalogue with bulk inserts, for benchmarks.

The rows come from `directory.devdata.synthetic.build_rows`; this module only writes them in the
caller's transaction. The search index is not told: run a reindex after generating.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from directory.catalogue.models import Offer
from directory.db import Base, make_engine, make_session_factory, unit_of_work
from directory.devdata.synthetic import (
    DEFAULT_SEED,
    INSERT_ORDER,
    NUMBERED_TABLES,
    MunicipalityPoint,
    Row,
    build_rows,
)
from directory.devdata.synthetic_fields import IJW_WEIGHTS
from directory.enums import ContractKind
from directory.errors import InvalidDataError
from directory.migrate import upgrade
from directory.reference import load_reference_data
from directory.reference.models import IjwCategory, Municipality


@dataclass(frozen=True, slots=True)
class GeneratedCatalogue:
    """How many rows of each kind `generate_catalogue` wrote."""

    organisations: int
    locations: int
    offers: int
    reports: int
    contracts: int


def generate_catalogue(
    session: Session,
    *,
    offers: int,
    now: datetime,
    seed: int = DEFAULT_SEED,
    on_progress: Callable[[int], None] | None = None,
) -> GeneratedCatalogue:
    """Add `offers` synthetic offers, with organisations, locations, one current
    availability report each and contracts, spread over all current municipalities.

    Only flushes and executes in `session`; the caller commits. Ids continue after the
    highest existing ones. The same seed, `now`, municipalities and starting ids give the
    same catalogue. `on_progress` gets the number of offers written after each batch.
    """
    if offers < 0:
        raise ValueError("offers must not be negative")
    session.flush()  # rows the caller added count for the highest ids below
    municipalities = [
        MunicipalityPoint(code, name, lat, lon, region)
        for code, name, lat, lon, region in session.execute(
            select(
                Municipality.code,
                Municipality.name,
                Municipality.lat,
                Municipality.lon,
                Municipality.jeugdregio_code,
            )
            .where(Municipality.valid_to.is_(None))
            .order_by(Municipality.code)
        )
        if lat is not None and lon is not None
    ]
    ijw_categories = {
        code: name for code, name in session.execute(select(IjwCategory.code, IjwCategory.name))
    }
    if not municipalities or not set(ijw_categories) & set(IJW_WEIGHTS):
        raise InvalidDataError(
            "no municipalities with coordinates or no iJw categories: load the reference data"
        )
    tables = Base.metadata.tables
    first_ids = {
        name: (session.scalar(select(func.max(tables[name].c.id))) or 0) + 1
        for name in NUMBERED_TABLES
    }
    # Columns equal in every row are given once per statement rather than in each row.
    constants: dict[str, Row] = {
        "organisation": {"is_demo": True, "created_at": now, "updated_at": now},
        "location": {"created_at": now},
        "offer": {"is_demo": True, "version": 1, "created_at": now, "updated_at": now},
        "availability_report": {"reported_by": "generator"},
        "contract": {"kind": ContractKind.ZORG_IN_NATURA, "created_at": now},
    }
    written = dict.fromkeys(INSERT_ORDER, 0)
    batches = build_rows(
        municipalities, ijw_categories, offers=offers, now=now, seed=seed, first_ids=first_ids
    )
    for batch in batches:
        for name, rows in batch.items():
            if rows:
                statement = insert(tables[name]).values(**constants.get(name, {}))
                session.execute(statement, rows)
                written[name] += len(rows)
        if on_progress is not None:
            on_progress(len(batch["offer"]))
    if written["offer"] and session.get_bind().dialect.name == "postgresql":
        # Ids were assigned here, so the serial sequences must catch up for later inserts.
        for name in NUMBERED_TABLES:
            last_id = select(func.max(tables[name].c.id)).scalar_subquery()
            session.execute(select(func.setval(func.pg_get_serial_sequence(name, "id"), last_id)))
    return GeneratedCatalogue(
        organisations=written["organisation"],
        locations=written["location"],
        offers=written["offer"],
        reports=written["availability_report"],
        contracts=written["contract"],
    )


def catalogue_of_size(url: str, offers: int, now: datetime) -> tuple[sessionmaker[Session], int]:
    """The database at `url`, migrated, with reference data and at least `offers` offers,
    generating the missing ones (benchmarks reuse one database between runs). Returns its
    session factory and how many offers were generated."""
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    with unit_of_work(factory) as session:
        load_reference_data(session)
        missing = offers - (session.scalar(select(func.count()).select_from(Offer)) or 0)
        if missing > 0:
            generate_catalogue(session, offers=missing, now=now)
    return factory, max(missing, 0)
