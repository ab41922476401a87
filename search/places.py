"""Turning what a visitor types after "near" into a point, offline.

Accepted: coordinates ("51.92,4.48"), a postcode ("3011 AB" or "3011"), or a place name
("Rotterdam", "'s-Hertogenbosch"). No table of postcode coordinates ships with the
project, so a postcode is placed at the mean position of the catalogue's own locations with
the same four digits; a postcode no location shares is refused with advice.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.catalogue.models import Location
from directory.errors import InvalidDataError, InvalidParam
from directory.geo import find_place
from search.query import Point

COORDINATES = re.compile(r"^\s*(-?[0-9]{1,2}(?:\.[0-9]+)?)\s*,\s*(-?[0-9]{1,3}(?:\.[0-9]+)?)\s*$")
PC4 = re.compile(r"^\s*([1-9][0-9]{3})\s*(?:[A-Za-z]{2})?\s*$")


def resolve_near(session: Session, text: str) -> Point:
    """The point meant by `text`, or InvalidDataError naming the `near` parameter."""
    if match := COORDINATES.match(text):
        lat, lon = float(match.group(1)), float(match.group(2))
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return Point(lat, lon)
        raise _refuse("coordinates out of range; use latitude,longitude")
    if match := PC4.match(text):
        digits = match.group(1)
        lat, lon = session.execute(
            select(func.avg(Location.lat), func.avg(Location.lon)).where(
                Location.postcode.startswith(digits),
                Location.lat.is_not(None),
                Location.deleted_at.is_(None),
            )
        ).one()
        if lat is None or lon is None:
            raise _refuse(f"postcode {digits} is not known here; try the name of your town")
        return Point(float(lat), float(lon))
    place = find_place(text)
    if place is None:
        raise _refuse(f"{text.strip()!r} is not a place we know; try a postcode or town")
    return Point(place.lat, place.lon)


def _refuse(reason: str) -> InvalidDataError:
    return InvalidDataError("cannot tell where that is", [InvalidParam("near", reason)])
