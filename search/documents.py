"""Search documents: one flat record per offer, built from the catalogue in bulk.

A document holds what filters, facets, sorts and result items need, so a backend never
joins. Freshness is not stored as a flag: `valid_until` is compared with the query's `now`,
so a figure turns unknown at the right moment without re-indexing. The same holds for
each leerjaar's figure (`leerjaar_figures`): a leerjaar filter reads the one asked for, and
judges its own `valid_until` at query time. Contracts are stored as the municipalities
with a contract valid on the day the document was built; the periodic drift repair
(`sync.relay.repair_drift`) re-sends documents that time changed.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.catalogue.figures import current_figures
from directory.catalogue.listing import contracted_pairs
from directory.catalogue.models import (
    Location,
    Offer,
    Organisation,
    offer_location,
)
from directory.catalogue.rules import (
    Headline,
    ScopedFigures,
    headline,
    leerjaar_headline,
    taught_leerjaren,
)
from directory.db import CHUNK
from directory.enums import DayProgrammeType, OfferKind, SchoolType
from directory.reference.models import Cluster, IjwCategory, Municipality
from search.query import LeerjaarFigure

DAY_PROGRAMME_LABELS = {
    DayProgrammeType.ONDERWIJSZORGARRANGEMENT: "onderwijszorgarrangement",
    DayProgrammeType.ONDERWIJSGERICHT: "onderwijsgericht dagprogramma",
    DayProgrammeType.ONTWIKKELGERICHT: "ontwikkelgericht dagprogramma",
    DayProgrammeType.DAGBESTEDING: "dagbesteding",
    DayProgrammeType.BSO_PLUS: "bso+ buitenschoolse opvang plus",
    DayProgrammeType.OVERBRUGGING: "overbruggingszorg",
    DayProgrammeType.BEHANDEL_ONDERWIJSGROEP: "behandel- en onderwijsgroep",
    DayProgrammeType.OPDC: "opdc orthopedagogisch-didactisch centrum",
}
KIND_LABELS = {
    OfferKind.SPECIAL_EDUCATION: "speciaal onderwijs",
    OfferKind.DAY_PROGRAMME: "dagprogramma",
    OfferKind.YOUTH_CARE: "jeugdhulp jeugdzorg",
}
SCHOOL_TYPE_LABELS = {
    SchoolType.SO: "so speciaal onderwijs",
    SchoolType.VSO: "vso voortgezet speciaal onderwijs",
    SchoolType.SBO: "sbo speciaal basisonderwijs",
}


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """Everything search needs about one offer."""

    id: int
    name: str
    kind: OfferKind
    organisation_id: int
    organisation: str
    municipality: str | None  # of the main location (the one with the lowest id)
    municipalities: tuple[str, ...]  # of all its locations
    lat: float | None  # of the main location
    lon: float | None
    cluster: int | None
    school_type: str | None
    ijw_category: int | None
    day_programme_type: str | None
    min_age: int | None
    max_age: int | None
    accepts_pgb: bool
    contracted_by: tuple[str, ...]
    # The groepen or leerjaren a leerjaar filter finds it under (`rules.taught_leerjaren`),
    # and each one's own figure, in the same order.
    leerjaren: tuple[int, ...]
    leerjaar_figures: tuple[LeerjaarFigure, ...]
    status: str | None  # AvailabilityStatus value of the headline figure; None without one
    open_places: int | None
    total_wait_weeks: int | None
    measured_at: datetime | None
    valid_until: datetime | None
    updated_at: datetime
    is_demo: bool
    text: str  # what free text is matched against: names, description, places, categories


def build_documents(
    session: Session, offer_ids: Iterable[int], *, today: date, now: datetime
) -> dict[int, SearchDocument]:
    """Documents for the offers that exist and are not deleted (the others are absent:
    the caller removes them from the index)."""
    ordered = sorted(set(offer_ids))
    documents: dict[int, SearchDocument] = {}
    clusters = {
        number: name for number, name in session.execute(select(Cluster.number, Cluster.name))
    }
    categories = {
        code: name for code, name in session.execute(select(IjwCategory.code, IjwCategory.name))
    }
    names = {
        code: name for code, name in session.execute(select(Municipality.code, Municipality.name))
    }
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        offers = session.execute(
            select(Offer, Organisation.name)
            .join(Organisation, Organisation.id == Offer.organisation_id)
            .where(Offer.id.in_(chunk), Offer.deleted_at.is_(None))
        ).all()
        locations = _locations(session, chunk)
        contracts = _contracts(session, chunk, today)
        figures = current_figures(session, chunk)
        for offer, organisation in offers:
            places = locations.get(offer.id, [])
            main = places[0] if places else None
            scoped = figures.get(offer.id, [])
            taught = taught_leerjaren(offer.leerjaren, offer.school_type)
            top = headline(scoped, now, leerjaren=taught)
            text = " ".join(
                part
                for part in (
                    offer.name,
                    offer.description,
                    organisation,
                    KIND_LABELS[offer.kind],
                    offer.how_to_apply or "",
                    " ".join(place.city for place in places),
                    " ".join(names.get(place.municipality_code, "") for place in places),
                    clusters.get(offer.cluster, "") if offer.cluster else "",
                    SCHOOL_TYPE_LABELS[offer.school_type] if offer.school_type else "",
                    categories.get(offer.ijw_category, "") if offer.ijw_category else "",
                    DAY_PROGRAMME_LABELS[offer.day_programme_type]
                    if offer.day_programme_type
                    else "",
                )
                if part
            )
            documents[offer.id] = SearchDocument(
                id=offer.id,
                name=offer.name,
                kind=offer.kind,
                organisation_id=offer.organisation_id,
                organisation=organisation,
                municipality=main.municipality_code if main else None,
                municipalities=tuple(sorted({place.municipality_code for place in places})),
                lat=main.lat if main else None,
                lon=main.lon if main else None,
                cluster=offer.cluster,
                school_type=offer.school_type.value if offer.school_type else None,
                ijw_category=offer.ijw_category,
                day_programme_type=offer.day_programme_type.value
                if offer.day_programme_type
                else None,
                min_age=offer.min_age,
                max_age=offer.max_age,
                accepts_pgb=offer.accepts_pgb,
                contracted_by=tuple(sorted(contracts.get(offer.id, ()))),
                leerjaren=taught,
                leerjaar_figures=_leerjaar_figures(scoped, taught, top, now),
                status=top.status.value if top else None,
                open_places=top.open_places if top else None,
                total_wait_weeks=top.total_wait_weeks if top else None,
                measured_at=top.measured_at if top else None,
                valid_until=top.valid_until if top else None,
                updated_at=offer.updated_at,
                is_demo=offer.is_demo,
                text=text,
            )
    return documents


def _leerjaar_figures(
    scoped: list[ScopedFigures], taught: tuple[int, ...], top: Headline | None, now: datetime
) -> tuple[LeerjaarFigure, ...]:
    """Each taught leerjaar's figure: its own (`rules.leerjaar_headline`), or, for the many
    schools that publish none per leerjaar, the headline for every one of them."""
    if not any("leerjaar:" in figure.scope for figure in scoped):
        return tuple(_stored(number, top) for number in taught)
    return tuple(
        _stored(number, leerjaar_headline(scoped, number, now, leerjaren=taught))
        for number in taught
    )


def _stored(leerjaar: int, figure: Headline | None) -> LeerjaarFigure:
    if figure is None:
        return LeerjaarFigure(leerjaar, None, None, None, None, None)
    return LeerjaarFigure(
        leerjaar,
        figure.status.value,
        figure.open_places,
        figure.total_wait_weeks,
        figure.measured_at,
        figure.valid_until,
    )


def all_offer_ids(session: Session, batch: int = 5_000) -> Iterator[list[int]]:
    """Every live offer id, in batches, for a full rebuild."""
    last = 0
    while True:
        ids = list(
            session.scalars(
                select(Offer.id)
                .where(Offer.id > last, Offer.deleted_at.is_(None))
                .order_by(Offer.id)
                .limit(batch)
            )
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def _locations(session: Session, offer_ids: list[int]) -> dict[int, list[Location]]:
    rows = session.execute(
        select(offer_location.c.offer_id, Location)
        .join(Location, Location.id == offer_location.c.location_id)
        .where(offer_location.c.offer_id.in_(offer_ids), Location.deleted_at.is_(None))
        .order_by(offer_location.c.offer_id, Location.id)
    )
    result: dict[int, list[Location]] = defaultdict(list)
    for offer_id, location in rows:
        result[offer_id].append(location)
    return result


def _contracts(session: Session, offer_ids: list[int], today: date) -> dict[int, set[str]]:
    # A jeugdregio's contract counts for each of its member municipalities.
    result: dict[int, set[str]] = defaultdict(set)
    for offer_id, municipality in session.execute(contracted_pairs(offer_ids, today)):
        result[offer_id].add(municipality)
    return result


FIELD_NAMES = tuple(field.name for field in fields(SearchDocument))


def document_digest(document: SearchDocument) -> str:
    """A stable digest of a document's content, equal wherever it is computed."""
    # A plain dict of the fields: `asdict` deep-copies and costs 4x as much at 100k.
    data = {name: getattr(document, name) for name in FIELD_NAMES}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def index_checksum(digests: Iterable[tuple[int, str]]) -> str:
    """The checksum of an index from its (id, digest) pairs, in id order."""
    combined = hashlib.sha256()
    for offer_id, digest in sorted(digests):
        combined.update(f"{offer_id}:{digest}\n".encode())
    return combined.hexdigest()
