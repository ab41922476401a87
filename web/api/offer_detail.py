"""`GET /api/v1/offers/{id}` as JSON: the offer, its locations, every current figure
(per location and leerjaar), its contracts and the history of its offer-wide figure.

Where its leerjaren differ, `availability` is the best of them, says
`varies_by_leerjaar` and lists each one's figure in `by_leerjaar`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from directory.catalogue.figures import scoped_figures
from directory.catalogue.models import AvailabilityReport
from directory.catalogue.rules import (
    LeerjaarHeadline,
    headline,
    is_fresh,
    netto_waiting_list,
    taught_leerjaren,
    total_wait_weeks,
)
from directory.catalogue.service import load_offer_view
from providers.schemas import OfferFields
from providers.service import offer_data


def figure_json(report: AvailabilityReport, now: datetime) -> dict[str, Any]:
    return {
        "location_id": report.location_id,
        "leerjaar": report.leerjaar,
        "status": report.status.value,
        "open_places": report.open_places,
        "waiting_list_size": report.waiting_list_size,
        "bridging_count": report.bridging_count,
        "netto_waiting_list_size": netto_waiting_list(
            report.waiting_list_size, report.bridging_count
        ),
        "intake_wait_weeks": report.intake_wait_weeks,
        "treatment_wait_weeks": report.treatment_wait_weeks,
        "total_wait_weeks": total_wait_weeks(report.intake_wait_weeks, report.treatment_wait_weeks),
        "measure": report.measure.value,
        "measured_at": report.measured_at.isoformat(),
        "valid_until": report.valid_until.isoformat(),
        "stale": not is_fresh(report.valid_until, now),
    }


def leerjaar_json(entry: LeerjaarHeadline, now: datetime) -> dict[str, Any]:
    """One leerjaar's figure judged at `now` (`leerjaar` None: the other leerjaren)."""
    figure = entry.figure
    fresh = figure is not None and is_fresh(figure.valid_until, now)
    return {
        "leerjaar": entry.leerjaar,
        "status": figure.status.value if figure and fresh else "unknown",
        "open_places": figure.open_places if figure and fresh else None,
        "total_wait_weeks": figure.total_wait_weeks if figure and fresh else None,
        "stale": figure is not None and not fresh,
    }


def offer_json(session: Session, offer_id: int, now: datetime) -> dict[str, Any]:
    view = load_offer_view(session, offer_id)
    offer = view.offer
    top = headline(
        [scoped_figures(scope, report) for scope, report in view.current],
        now,
        leerjaren=taught_leerjaren(offer.leerjaren, offer.school_type),
    )
    fresh = top is not None and is_fresh(top.valid_until, now)
    # The provider API's own shape of an offer, so both APIs name fields alike.
    fields = OfferFields.model_construct(**offer_data(offer)).model_dump(mode="json")
    return {
        "id": offer.id,
        **fields,
        "organisation": {"id": offer.organisation_id, "name": view.organisation_name},
        "is_demo": offer.is_demo,
        "updated_at": offer.updated_at.isoformat(),
        "locations": [
            {
                "id": location.id,
                "name": location.name,
                "street": location.street,
                "house_number": location.house_number,
                "postcode": location.postcode,
                "city": location.city,
                "municipality": location.municipality_code,
                "lat": location.lat,
                "lon": location.lon,
                "accessibility": location.accessibility,
            }
            for location in sorted(offer.locations, key=lambda location: location.id)
        ],
        "availability": {
            "status": top.status.value if top and fresh else "unknown",
            "open_places": top.open_places if top and fresh else None,
            "total_wait_weeks": top.total_wait_weeks if top and fresh else None,
            "measured_at": top.measured_at.isoformat() if top else None,
            "stale": not fresh,
            "varies_by_leerjaar": top is not None and top.varies_by_leerjaar,
            "by_leerjaar": [leerjaar_json(entry, now) for entry in top.by_leerjaar] if top else [],
            "figures": [figure_json(report, now) for _, report in view.current],
        },
        "contracts": [
            {
                "municipality": contract.municipality_code,
                "jeugdregio": contract.jeugdregio_code,
                "kind": contract.kind.value,
                "valid_from": contract.valid_from.isoformat(),
                "valid_to": contract.valid_to.isoformat() if contract.valid_to else None,
            }
            for contract in view.contracts
        ],
        "history": [figure_json(report, now) for report in view.history],
    }
