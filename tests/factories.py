"""`create_*` helpers: each test says which rows it needs, nothing is hidden in fixtures."""

from __future__ import annotations

from datetime import date, datetime
from itertools import count
from typing import Any

from sqlalchemy.orm import Session

from directory.catalogue.models import Contract, Location, Offer, Organisation
from directory.catalogue.service import AvailabilityInput, Reporter, record_availability
from directory.config import DEFAULT_VALIDITY
from directory.enums import AvailabilityStatus, OfferKind, OrganisationKind, WaitMeasure

_numbers = count(1)


def create_organisation(session: Session, **fields: Any) -> Organisation:
    fields.setdefault("name", f"Testaanbieder {next(_numbers)}")
    fields.setdefault("kind", OrganisationKind.CARE_PROVIDER)
    organisation = Organisation(**fields)
    session.add(organisation)
    session.flush()
    return organisation


def create_location(session: Session, organisation: Organisation, **fields: Any) -> Location:
    fields.setdefault("name", f"Locatie {next(_numbers)}")
    fields.setdefault("city", "Rotterdam")
    fields.setdefault("municipality_code", "GM0599")
    location = Location(organisation_id=organisation.id, **fields)
    session.add(location)
    session.flush()
    return location


def create_offer(
    session: Session,
    organisation: Organisation | None = None,
    locations: list[Location] | None = None,
    **fields: Any,
) -> Offer:
    organisation = organisation or create_organisation(session)
    fields.setdefault("name", f"Aanbod {next(_numbers)}")
    fields.setdefault("kind", OfferKind.YOUTH_CARE)
    if fields["kind"] is OfferKind.YOUTH_CARE:
        fields.setdefault("ijw_category", 45)
    offer = Offer(organisation_id=organisation.id, locations=locations or [], **fields)
    session.add(offer)
    session.flush()
    return offer


def create_report(
    session: Session,
    offer: Offer,
    *,
    now: datetime,
    measured_at: datetime | None = None,
    **fields: Any,
) -> tuple[Any, bool]:
    fields.setdefault("status", AvailabilityStatus.WAITLIST)
    fields.setdefault("measure", WaitMeasure.CURRENT)
    report = AvailabilityInput(measured_at=measured_at or now, **fields)
    return record_availability(
        session, offer.id, report, Reporter("test"), now=now, default_validity=DEFAULT_VALIDITY
    )


def create_contract(
    session: Session,
    offer: Offer,
    municipality_code: str | None = "GM0599",
    *,
    jeugdregio_code: str | None = None,
) -> Contract:
    """A zorg-in-natura contract since 2024, bought by a municipality or (with
    `jeugdregio_code` and no municipality) by a jeugdregio."""
    contract = Contract(
        offer_id=offer.id,
        municipality_code=municipality_code,
        jeugdregio_code=jeugdregio_code,
        valid_from=date(2024, 1, 1),
    )
    session.add(contract)
    session.flush()
    return contract
