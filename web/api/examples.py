"""Request bodies shown in the docs (and in openapi.json) where the model's own examples
would not make a valid request: an offer must fit its kind, a report reads best with
figures. A test sends each through its model, so they stay valid."""

from __future__ import annotations

from typing import Any

OFFER_EXAMPLE: dict[str, Any] = {
    "name": "Ambulante jeugdhulp – autisme",
    "kind": "youth_care",
    "description": "Begeleiding thuis en op school voor kinderen met autisme.",
    "min_age": 4,
    "max_age": 18,
    "ijw_category": 45,
    "beschikking_required": True,
    "accepts_pgb": True,
    "tariff_cents": 9500,
    "tariff_unit": "hour",
    "contact_email": "aanmelden@voorbeeld.nl",
    "location_ids": [7],
}
LOCATION_EXAMPLE: dict[str, Any] = {
    "name": "Vestiging Zuid",
    "street": "Zuidplein",
    "house_number": "12",
    "postcode": "3083 AB",
    "city": "Rotterdam",
    "municipality_code": "GM0599",
}
BULK_EXAMPLE: dict[str, Any] = {
    "reports": [
        {
            "offer_id": 123,
            "status": "waitlist",
            "waiting_list_size": 14,
            "intake_wait_weeks": 6,
            "treatment_wait_weeks": 10,
            "measured_at": "2026-03-01T09:00:00+01:00",
        },
        {
            "offer_id": 124,
            "status": "open",
            "open_places": 2,
            "intake_wait_weeks": 1,
            "treatment_wait_weeks": 2,
            "measured_at": "2026-03-01T09:00:00+01:00",
        },
    ]
}
AVAILABILITY_EXAMPLE: dict[str, Any] = {
    "status": "waitlist",
    "open_places": 0,
    "waiting_list_size": 14,
    "bridging_count": 5,
    "intake_wait_weeks": 6,
    "treatment_wait_weeks": 10,
    "measure": "current",
    "measured_at": "2026-03-01T09:00:00+01:00",
    "valid_until": "2026-03-31T23:59:00+02:00",
}
