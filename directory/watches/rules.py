"""Watches for a case: pure decisions over plain data.

A watch is a professional's saved search (the filters of `GET /api/v1/offers`) for one
case, known only by a pseudonymous case reference, with the case's municipality and
optionally its category. Three events can hold for it, each about one subject:

- `place_opened` (an offer): a matching offer has a fresh figure, is open and has places;
- `wait_within_norm` (an offer): a matching offer's fresh total wait is within the norm
  for its category in the watch's municipality (and it is not closed);
- `pgb_route` (a signal): a PGB-route or education-gap signal is open for the watch's
  municipality, in its category (without one: in a category its search covers).

An *episode* of an event starts when it begins to hold for a subject; each episode is
alerted once (`changes`). An offer episode ends only when a fresh figure of that offer
contradicts it, or the offer is gone (`offer_episode_ends`): a figure going stale or the
offer dropping out of the search's first results says nothing new, so it raises nothing
new when it is back. An offer seen for the first time already open counts as opening: it
was unknown to the watch before.

The case reference must not be personal data (`case_reference_problems`): no BSN, e-mail
address, phone number or date (of birth); it should be the case number of the
professional's own system. A watch's free-text search is held to the same checks
(`personal_data_problems`), and its `near` keeps no more than a PC4 or a point to ~1 km
(`coarse_near`). Names cannot be recognised: the API docs ask not to use them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from directory.catalogue.rules import Norm

WatchEvent = Literal["place_opened", "wait_within_norm", "pgb_route"]
EVENTS: tuple[WatchEvent, ...] = ("place_opened", "wait_within_norm", "pgb_route")
Subject = tuple[str, int]  # (event, offer or signal id)

MAX_REFERENCE_LENGTH = 40
REFERENCE_CHARACTERS = re.compile(r"[A-Za-z0-9 ._/#:-]+")
DIGIT_RUN = re.compile(r"[0-9]+")
# Digits written in groups ("123 456 782", "06-1234 5678", "+31 (0)6 ..."): separators
# between digits are dropped before looking for a BSN or phone number.
SEPARATED_DIGITS = re.compile(r"(?<=[0-9])[ .\-/()]+(?=[0-9])")
PHONE = re.compile(r"(\+|00)[0-9]{8,}|0[0-9]{9}")
# A date written day-month-year ("12-03-2015", "1.3.15", "12/03/2015") or year-month-day.
DMY = re.compile(r"(?<![0-9])([0-9]{1,2})[-./]([0-9]{1,2})[-./]([0-9]{4}|[0-9]{2})(?![0-9])")
YMD = re.compile(r"(?<![0-9])([0-9]{4})[-./]([0-9]{1,2})[-./]([0-9]{1,2})(?![0-9])")
# A postcode (PC6 or PC4) as `near`: only its four digits are kept.
POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*(?:[A-Za-z]{2})?\s*$")
COORDINATES = re.compile(r"^\s*(-?[0-9]{1,3}(?:\.[0-9]+)?)\s*,\s*(-?[0-9]{1,3}(?:\.[0-9]+)?)\s*$")
POINT_DECIMALS = 2  # ~1 km: enough to search near, too coarse to find a house

EVENT_TEXT: dict[str, dict[str, str]] = {  # by event, then language
    "place_opened": {
        "nl": "Er is een plaats vrij bij een aanbod dat past bij de zoekopdracht.",
        "en": "A place is open at an offer that matches the search.",
    },
    "wait_within_norm": {
        "nl": "De wachttijd van een passend aanbod valt binnen de wachttijdnorm.",
        "en": "The wait of a matching offer is within the waiting norm.",
    },
    "pgb_route": {
        "nl": (
            "Geen gecontracteerde aanbieder kan binnen de norm starten: de pgb-route kan van "
            "toepassing zijn (artikel 8.1.1 Jeugdwet; voor onderwijs: neem contact op met de "
            "onderwijsconsulent of het samenwerkingsverband). Dit is geen toezegging."
        ),
        "en": (
            "No contracted provider can start within the norm: the PGB route may apply "
            "(article 8.1.1 Jeugdwet; for education: contact the onderwijsconsulent or the "
            "samenwerkingsverband). This is not a promise."
        ),
    },
}


# --- the case reference ---------------------------------------------------------------


def passes_elfproef(digits: str) -> bool:
    """The 11-proef of a BSN: 9 digits, weights 9..2 and -1, the sum divisible by 11."""
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit():
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    total = sum(int(digit) * weight for digit, weight in zip(digits, weights, strict=True))
    return total % 11 == 0 and digits != "000000000"


def case_reference_problems(reference: str) -> list[str]:
    """Why `reference` cannot be a case reference (empty when it can).

    It is a pseudonym: 1-40 characters of letters, digits, space and `. _ / # : -`, with at
    least one digit (a case number, not a name), and none of `personal_data_problems`.
    """
    text = reference.strip()
    if not text:
        return ["must not be empty"]
    problems: list[str] = []
    if len(text) > MAX_REFERENCE_LENGTH:
        problems.append(f"at most {MAX_REFERENCE_LENGTH} characters")
    if "@" not in text and not REFERENCE_CHARACTERS.fullmatch(text):
        problems.append("only letters, digits, spaces and . _ / # : - are allowed")
    if not any(character.isdigit() for character in text):
        problems.append("must contain a digit: use the case number of your own system, not a name")
    return problems + personal_data_problems(text)


def personal_data_problems(text: str) -> list[str]:
    """What in `text` may be personal data (empty when nothing seems to be): an e-mail
    address, a phone number (10 digits from 0, or + / 00 and 8 or more), 9 or more digits
    in a row, grouped or not (a BSN, with or without a passing 11-proef), or a date (of
    birth): day-month-year or year-month-day with - . / between, or a run of 6 or 8 digits
    that is a valid date as ddmmyy, ddmmyyyy or yyyymmdd. A heuristic: names cannot be
    recognised, so the API docs ask not to use them."""
    problems: list[str] = []
    if "@" in text:
        problems.append("looks like an e-mail address: use your own case number, no personal data")
    joined = SEPARATED_DIGITS.sub("", text)
    runs = DIGIT_RUN.findall(joined)
    if PHONE.search(joined):
        problems.append("looks like a phone number: no personal data")
    elif any(passes_elfproef(run) for run in runs):
        problems.append("looks like a BSN (passes the 11-proef): no personal data")
    elif any(len(run) >= 9 for run in runs):
        problems.append("9 or more digits in a row could be a BSN: shorten or split the number")
    if looks_like_a_date(text):
        problems.append(
            "looks like a date (of birth?): no personal data; a case number that only reads "
            "as a date can be split once, like ZAAK-3112-99"
        )
    return problems


def looks_like_a_date(text: str) -> bool:
    """Does `text` hold a date: d-m-y or y-m-d with - . / between, or a run of exactly 6 or
    8 digits that is a valid ddmmyy, ddmmyyyy or yyyymmdd (years 1900-2099)?"""
    for day, month, year in DMY.findall(text):
        if _is_date(int(year) + (2000 if len(year) == 2 else 0), int(month), int(day)):
            return True
    for year, month, day in YMD.findall(text):
        if _is_date(int(year), int(month), int(day)):
            return True
    for run in DIGIT_RUN.findall(text):  # as written: "WT 2026 0142" is two numbers
        if len(run) == 6 and _is_date(2000, int(run[2:4]), int(run[:2])):
            return True
        if len(run) == 8 and (
            _is_date(int(run[4:]), int(run[2:4]), int(run[:2]))
            or _is_date(int(run[:4]), int(run[4:6]), int(run[6:]))
        ):
            return True
    return False


def _is_date(year: int, month: int, day: int) -> bool:
    # A 2-digit year could be either century; 2000 is a leap year, so 29-02 passes.
    if not 1900 <= year <= 2099:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def coarse_near(near: str) -> str:
    """What a watch keeps of `near`: a postcode as its four digits (PC4), coordinates
    rounded to ~1 km; a place name as given (a town is no address)."""
    if match := POSTCODE.match(near):
        return match.group(1)
    if match := COORDINATES.match(near):
        lat, lon = (round(float(part), POINT_DECIMALS) for part in match.groups())
        return f"{lat},{lon}"
    return near.strip()


def coarse_point(lat: float, lon: float) -> tuple[float, float]:
    """A point as a watch keeps it: rounded to ~1 km."""
    return round(lat, POINT_DECIMALS), round(lon, POINT_DECIMALS)


# --- which categories a watch is about ------------------------------------------------

FAMILY_KIND = {
    "ijw": "youth_care",
    "day_programme": "day_programme",
    "education": "special_education",
}


@dataclass(frozen=True, slots=True)
class CategoryScope:
    """What of a watch decides which signals concern it: its category, or else the kind,
    cluster and iJw-category filters of its search."""

    category: str | None = None
    kinds: tuple[str, ...] = ()
    clusters: tuple[int, ...] = ()
    ijw_categories: tuple[int, ...] = ()

    def covers(self, category: str) -> bool:
        """Is a signal in `category` about this watch? Filters combine as in search: a
        cluster filter leaves only schools of those clusters, an iJw filter only those
        categories of youth care."""
        if self.category is not None:
            return category == self.category
        family, _, rest = category.partition(":")
        if self.kinds and FAMILY_KIND.get(family) not in self.kinds:
            return False
        if self.ijw_categories and not (
            family == "ijw" and rest.isdigit() and int(rest) in self.ijw_categories
        ):
            return False
        if self.clusters:
            cluster = rest.partition(":")[0].removeprefix("cluster-")
            if not (family == "education" and cluster.isdigit() and int(cluster) in self.clusters):
                return False
        return True


# --- events ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MatchedOffer:
    """An offer the watch's search finds now, with its headline figure as search judged
    it (status "unknown" and no places or wait when the figure is stale or missing)."""

    offer_id: int
    name: str
    category: str | None  # rules.category_key; None when it cannot be told
    status: str
    open_places: int | None
    total_wait_weeks: int | None


@dataclass(frozen=True, slots=True)
class OpenSignal:
    """An open signal in the watch's municipality."""

    signal_id: int
    kind: str
    category: str
    opened_at: datetime


@dataclass(frozen=True, slots=True)
class Holding:
    """An event that holds now for one subject, with what an alert about it shows."""

    event: WatchEvent
    subject_id: int
    details: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def key(self) -> Subject:
        return self.event, self.subject_id


def holding_events(
    matches: Sequence[MatchedOffer],
    signals: Sequence[OpenSignal],
    *,
    norm_for: Callable[[str], Norm],
    scope: CategoryScope,
) -> list[Holding]:
    """Every event that holds now, in a stable order (event, then subject id).

    `norm_for(category)` is the norm in the watch's municipality; `signals` are the open
    signals of that municipality (any category: `scope` picks the watch's)."""
    found: list[Holding] = []
    for offer in matches:
        figures = {
            "offer_id": offer.offer_id,
            "name": offer.name,
            "category": offer.category,
            "status": offer.status,
            "open_places": offer.open_places,
            "total_wait_weeks": offer.total_wait_weeks,
        }
        if offer.status == "open" and (offer.open_places or 0) > 0:
            found.append(Holding("place_opened", offer.offer_id, figures))
        if (
            offer.category is not None
            and offer.status not in ("closed", "unknown")
            and offer.total_wait_weeks is not None
        ):
            norm = norm_for(offer.category)
            if offer.total_wait_weeks <= norm.total_weeks:
                details = {**figures, "norm_weeks": norm.total_weeks, "norm_source": norm.source}
                found.append(Holding("wait_within_norm", offer.offer_id, details))
    for signal in signals:
        if scope.covers(signal.category):
            details = {
                "signal_id": signal.signal_id,
                "kind": signal.kind,
                "category": signal.category,
                "opened_at": signal.opened_at.isoformat(),
                "link": f"/api/v1/signals/{signal.signal_id}",
            }
            found.append(Holding("pgb_route", signal.signal_id, details))
    return sorted(found, key=lambda item: (EVENTS.index(item.event), item.subject_id))


OFFER_EVENTS: tuple[WatchEvent, ...] = ("place_opened", "wait_within_norm")


def offer_episode_ends(
    event: str, offer: MatchedOffer | None, norm_for: Callable[[str], Norm]
) -> bool:
    """Does what is known of an offer now end a running episode of `event` about it?

    Only a fresh figure that contradicts the event does, or the offer being gone (`None`:
    deleted or no longer there). A stale or missing figure (status "unknown") and a figure
    that leaves the deciding part unsaid (no places or wait given, no category to find a
    norm for) do not: they say nothing new, and ending would alert the same event again
    when the figure is back."""
    if offer is None:
        return True
    if offer.status == "unknown":
        return False
    if event == "place_opened":
        return offer.status != "open" or offer.open_places == 0
    if offer.status == "closed":
        return True
    if offer.total_wait_weeks is None or offer.category is None:
        return False
    return offer.total_wait_weeks > norm_for(offer.category).total_weeks


@dataclass(frozen=True, slots=True)
class WatchChanges:
    """What an evaluation changes: episodes that start (alert them) and that end."""

    raised: tuple[Holding, ...]
    ended: tuple[Subject, ...]


def changes(
    running: Collection[Subject],
    holding: Sequence[Holding],
    *,
    offers: Mapping[int, MatchedOffer | None] | None = None,
    norm_for: Callable[[str], Norm] | None = None,
) -> WatchChanges:
    """Compare the running episodes with what holds now. Evaluating again with nothing
    changed changes nothing; an episode that ended and holds again is raised anew.

    A `pgb_route` episode ends when its signal is no longer open. An offer episode that no
    longer holds ends only as `offer_episode_ends` says, judged on `offers`: what is known
    now of each such offer (None when it is gone). An offer missing from `offers`, or
    without `norm_for`, is not known, and its episode keeps running."""
    now_holding = {item.key for item in holding}
    raised = tuple(item for item in holding if item.key not in running)
    known = offers or {}

    def ends(key: Subject) -> bool:
        event, subject_id = key
        if key in now_holding:
            return False
        if event not in OFFER_EVENTS:
            return True
        if subject_id not in known or norm_for is None:
            return False
        return offer_episode_ends(event, known[subject_id], norm_for)

    ended = tuple(sorted(key for key in running if ends(key)))
    return WatchChanges(raised, ended)
