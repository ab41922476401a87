"""Scoped writes: an API client changes only its own organisation's offers and locations.

Another organisation's rows answer exactly like rows that do not exist. Every write is
audited with before and after, and every offer change queues the search index, in the
caller's transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.orm import Session, selectinload

from directory.accounts.models import ApiClient
from directory.catalogue.models import (
    AuditEvent,
    AvailabilityReport,
    Location,
    Offer,
    WaitlistEntry,
    offer_location,
)
from directory.catalogue.service import (
    AvailabilityInput,
    Reporter,
    queue_index,
    record_availability,
    write_audit,
)
from directory.errors import ConflictError, InvalidDataError, InvalidParam, NotFoundError
from directory.geo import find_place
from directory.reference.models import Municipality
from providers.schemas import (
    AvailabilityFields,
    LocationFields,
    OfferFields,
)

OFFER_COLUMNS = tuple(name for name in OfferFields.model_fields if name != "location_ids")
LOCATION_COLUMNS = tuple(LocationFields.model_fields)


def reporter_for(client: ApiClient) -> Reporter:
    return Reporter(
        name=f"api-key:{client.id}", organisation_id=client.organisation_id, api_client_id=client.id
    )


# --- offers -------------------------------------------------------------------------------


def own_offer(
    session: Session, client: ApiClient, offer_id: int, *, for_update: bool = False
) -> Offer:
    """One of the client's live offers; `for_update` locks it until the transaction ends,
    so two writers with the same ETag are served one after the other (the second: 412)."""
    query = (
        select(Offer)
        .where(
            Offer.id == offer_id,
            Offer.organisation_id == client.organisation_id,
            Offer.deleted_at.is_(None),
        )
        .options(selectinload(Offer.locations))
    )
    offer = session.scalar(query.with_for_update(of=Offer) if for_update else query)
    if offer is None:
        raise NotFoundError(f"offer {offer_id}")
    return offer


def list_offers(
    session: Session, client: ApiClient, page: int, per_page: int
) -> tuple[list[Offer], int]:
    where = (Offer.organisation_id == client.organisation_id, Offer.deleted_at.is_(None))
    total = session.scalar(select(func.count()).select_from(Offer).where(*where)) or 0
    offers = session.scalars(
        select(Offer)
        .where(*where)
        .order_by(Offer.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
        .options(selectinload(Offer.locations))
    ).all()
    return list(offers), total


def offer_data(offer: Offer) -> dict[str, Any]:
    """The offer's editable fields, as a provider would send them."""
    data = {name: getattr(offer, name) for name in OFFER_COLUMNS}
    data["location_ids"] = sorted(location.id for location in offer.locations)
    return data


def _snapshot(fields: type[OfferFields | LocationFields], data: dict[str, Any]) -> dict[str, Any]:
    """`data` as the audit log keeps it: the JSON form of `fields`."""
    # No validation: an audit snapshot must never fail on data older than the rules.
    return fields.model_construct(**data).model_dump(mode="json")


def create_offer(session: Session, client: ApiClient, fields: OfferFields, now: datetime) -> Offer:
    offer = Offer(
        organisation_id=client.organisation_id,
        **fields.model_dump(exclude={"location_ids"}),
        locations=_own_locations(session, client, fields.location_ids),
        created_at=now,
        updated_at=now,
    )
    session.add(offer)
    session.flush()
    write_audit(
        session, reporter_for(client), "offer.create", ("offer", offer.id), now=now,
        after=_snapshot(OfferFields, offer_data(offer)),
    )  # fmt: skip
    queue_index(session, offer.id, "upsert", now)
    return offer


def update_offer(
    session: Session,
    client: ApiClient,
    offer: Offer,
    fields: OfferFields,
    now: datetime,
) -> Offer:
    """Replace the offer's fields (PUT; PATCH merges first and then comes here). A write
    that changes nothing leaves the offer, its ETag and the log alone."""
    before = _snapshot(OfferFields, offer_data(offer))
    wanted = {**fields.model_dump(), "location_ids": sorted(set(fields.location_ids))}
    if _snapshot(OfferFields, wanted) == before:
        return offer
    locations = _own_locations(session, client, fields.location_ids)
    for name, value in fields.model_dump(exclude={"location_ids"}).items():
        setattr(offer, name, value)
    offer.locations = locations
    offer.updated_at = now
    session.flush()
    write_audit(
        session, reporter_for(client), "offer.update", ("offer", offer.id), now=now,
        before=before, after=_snapshot(OfferFields, offer_data(offer)),
    )  # fmt: skip
    queue_index(session, offer.id, "upsert", now)
    return offer


def delete_offer(session: Session, client: ApiClient, offer: Offer, now: datetime) -> None:
    """Soft delete: the offer leaves the catalogue; its history stays explainable."""
    before = _snapshot(OfferFields, offer_data(offer))
    offer.deleted_at = now
    # Its waiting-list codes are freed: they must not stay "in use" for good.
    cleared = cast(
        CursorResult[Any],
        session.execute(delete(WaitlistEntry).where(WaitlistEntry.offer_id == offer.id)),
    )
    session.flush()
    write_audit(
        session, reporter_for(client), "offer.delete", ("offer", offer.id), now=now,
        before={**before, "waitlist_entries": cleared.rowcount},
    )  # fmt: skip
    queue_index(session, offer.id, "delete", now)


def _own_locations(session: Session, client: ApiClient, ids: list[int]) -> list[Location]:
    if not ids:
        return []
    locations = session.scalars(
        select(Location).where(
            Location.id.in_(set(ids)),
            Location.organisation_id == client.organisation_id,
            Location.deleted_at.is_(None),
        )
    ).all()
    missing = sorted(set(ids) - {location.id for location in locations})
    if missing:
        raise InvalidDataError(
            "unknown locations",
            [InvalidParam("location_ids", f"{i} is not one of your locations") for i in missing],
        )
    return list(locations)


# --- locations ----------------------------------------------------------------------------


def own_location(
    session: Session, client: ApiClient, location_id: int, *, for_update: bool = False
) -> Location:
    """One of the client's live locations; `for_update` as for `own_offer`."""
    query = select(Location).where(
        Location.id == location_id,
        Location.organisation_id == client.organisation_id,
        Location.deleted_at.is_(None),
    )
    location = session.scalar(query.with_for_update() if for_update else query)
    if location is None:
        raise NotFoundError(f"location {location_id}")
    return location


def list_locations(
    session: Session, client: ApiClient, page: int, per_page: int
) -> tuple[list[Location], int]:
    where = (Location.organisation_id == client.organisation_id, Location.deleted_at.is_(None))
    total = session.scalar(select(func.count()).select_from(Location).where(*where)) or 0
    query = select(Location).where(*where).order_by(Location.id)
    locations = session.scalars(query.offset((page - 1) * per_page).limit(per_page)).all()
    return list(locations), total


def location_data(location: Location) -> dict[str, Any]:
    return {name: getattr(location, name) for name in LOCATION_COLUMNS}


def _location_fields(session: Session, fields: LocationFields) -> dict[str, Any]:
    if session.get(Municipality, fields.municipality_code) is None:
        raise InvalidDataError(
            "unknown municipality",
            [
                InvalidParam(
                    "municipality_code", f"{fields.municipality_code} is not a CBS code we know"
                )
            ],
        )
    data = fields.model_dump()
    if fields.lat is None or fields.lon is None:
        # Without coordinates the place name gives an approximate position, offline.
        place = find_place(fields.city)
        data["lat"], data["lon"] = (place.lat, place.lon) if place else (None, None)
    return data


def create_location(
    session: Session, client: ApiClient, fields: LocationFields, now: datetime
) -> Location:
    location = Location(
        organisation_id=client.organisation_id,
        **_location_fields(session, fields),
        created_at=now,
        updated_at=now,
    )
    session.add(location)
    session.flush()
    write_audit(
        session, reporter_for(client), "location.create", ("location", location.id), now=now,
        after=_snapshot(LocationFields, location_data(location)),
    )  # fmt: skip
    return location


def update_location(
    session: Session, client: ApiClient, location: Location, fields: LocationFields, now: datetime
) -> Location:
    before = _snapshot(LocationFields, location_data(location))
    new = _location_fields(session, fields)
    if _snapshot(LocationFields, new) == before:
        return location
    for name, value in new.items():
        setattr(location, name, value)
    location.updated_at = now
    session.flush()
    write_audit(
        session, reporter_for(client), "location.update", ("location", location.id), now=now,
        before=before, after=_snapshot(LocationFields, location_data(location)),
    )  # fmt: skip
    for offer_id in _offers_at(session, location.id):
        queue_index(session, offer_id, "upsert", now)
    return location


def delete_location(session: Session, client: ApiClient, location: Location, now: datetime) -> None:
    in_use = _offers_at(session, location.id)
    if in_use:
        raise ConflictError(
            f"location {location.id} is used by offers {', '.join(map(str, in_use))}; "
            "remove it from them first"
        )
    location.deleted_at = now
    session.flush()
    write_audit(
        session, reporter_for(client), "location.delete", ("location", location.id), now=now,
        before=_snapshot(LocationFields, location_data(location)),
    )  # fmt: skip


def _offers_at(session: Session, location_id: int) -> list[int]:
    query = (
        select(offer_location.c.offer_id)
        .join(Offer, Offer.id == offer_location.c.offer_id)
        .where(offer_location.c.location_id == location_id, Offer.deleted_at.is_(None))
        .order_by(offer_location.c.offer_id)
    )
    return list(session.scalars(query))


# --- availability and audit ---------------------------------------------------------------


def availability_input(fields: AvailabilityFields) -> AvailabilityInput:
    """The domain's report from the API's fields (a bulk row's offer_id is left out)."""
    return AvailabilityInput(**fields.model_dump(include=set(AvailabilityFields.model_fields)))


def report_availability(
    session: Session,
    client: ApiClient,
    offer_id: int,
    fields: AvailabilityFields,
    *,
    now: datetime,
    default_validity: timedelta,
) -> tuple[AvailabilityReport, bool]:
    own_offer(session, client, offer_id, for_update=True)
    return record_availability(
        session,
        offer_id,
        availability_input(fields),
        reporter_for(client),
        now=now,
        default_validity=default_validity,
    )


def audit_log(
    session: Session, client: ApiClient, page: int, per_page: int
) -> tuple[list[AuditEvent], int]:
    """The organisation's own change log, newest first."""
    where = AuditEvent.organisation_id == client.organisation_id
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(where)) or 0
    events = session.scalars(
        select(AuditEvent)
        .where(where)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return list(events), total
