"""Waiting-list positions, known only by reference codes that are stored hashed.

A provider publishes the whole list of an offer at once; a parent looks up one place with
the code the provider gave them. Codes are normalised before hashing (case, spaces and
hyphens do not matter), so "k7qm 4xtr 9pwa" finds "K7QM-4XTR-9PWA". The plain code is
never stored, logged, audited or sent back.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from directory.accounts.models import ApiClient
from directory.catalogue.models import Offer, Organisation, WaitlistEntry
from directory.catalogue.rules import taught_leerjaren
from directory.catalogue.service import write_audit
from directory.errors import ConflictError, InvalidDataError, InvalidParam, NotFoundError
from providers.service import own_offer, reporter_for
from providers.strict_input import MAX_WAIT_WEEKS
from providers.waitlist_schemas import (
    WaitlistEntryIn,
    WaitlistIn,
    WaitlistOffer,
    WaitlistPosition,
)

# No 0/O and no 1/I/L: a code read out on the phone or copied from a letter survives.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MINTED_LENGTH = 12  # 31**12 ≈ 2**59: far beyond guessing at a few lookups per minute
GROUP_SIZE = 4
MAX_MINT = 1000
_VALID_REFERENCE = re.compile(r"[A-Z0-9]{8,64}")
_INVALID_REASON = "must be 8 to 64 letters and digits (spaces and hyphens are ignored)"
# An estimated start outside this window is a typing error that a parent would be shown.
START_BEFORE_TODAY = timedelta(days=366)
START_AFTER_TODAY = timedelta(weeks=MAX_WAIT_WEEKS)
# Bound the IN (...) lists: SQLite limits the number of bound parameters per statement.
_CHUNK = 500


class UnknownReferenceError(NotFoundError):
    """The one answer for unknown, malformed and withdrawn references alike."""

    def __init__(self) -> None:
        super().__init__("a waiting-list place with this reference")
        # Not even the fact that a code was looked up belongs in a browser or proxy cache.
        self.headers = {"Cache-Control": "no-store"}


# --- pure helpers -------------------------------------------------------------------------


def normalise_reference(raw: str) -> str:
    """The reference without surrounding whitespace, spaces and hyphens, upper-cased."""
    value = raw.strip().replace(" ", "").replace("-", "")
    # Only ASCII is upper-cased: "ß".upper() == "SS" would turn a typo into another code.
    return value.upper() if value.isascii() else value


def is_valid_reference(normalised: str) -> bool:
    """Whether a normalised reference has the accepted shape: 8-64 of A-Z and 0-9."""
    return _VALID_REFERENCE.fullmatch(normalised) is not None


def hash_reference(reference: str) -> str:
    """The stored form of a reference: SHA-256 (hex) of its normalised form.

    A fast hash is enough for minted codes, which are long and random; it keeps the
    lookup a single indexed equality.
    """
    return hashlib.sha256(normalise_reference(reference).encode()).hexdigest()


def mint_reference() -> str:
    """A new random reference shown in groups of four, e.g. "K7QM-4XTR-9PWA"."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(MINTED_LENGTH))
    return "-".join(code[i : i + GROUP_SIZE] for i in range(0, MINTED_LENGTH, GROUP_SIZE))


def entry_problems(entries: Sequence[WaitlistEntryIn]) -> list[InvalidParam]:
    """What the list itself gets wrong: badly shaped references, and references, or
    positions within one leerjaar's list, that occur twice (the later occurrences are
    named)."""
    problems = []
    first_reference: dict[str, int] = {}
    first_position: dict[tuple[int | None, int], int] = {}
    for index, entry in enumerate(entries):
        reference = normalise_reference(entry.reference)
        if not is_valid_reference(reference):
            problems.append(InvalidParam(f"entries.{index}.reference", _INVALID_REASON))
        elif reference in first_reference:
            earlier = first_reference[reference]
            problems.append(
                InvalidParam(f"entries.{index}.reference", f"same reference as entries.{earlier}")
            )
        else:
            first_reference[reference] = index
        place = (entry.leerjaar, entry.position)
        if place in first_position:
            earlier = first_position[place]
            problems.append(
                InvalidParam(f"entries.{index}.position", f"same position as entries.{earlier}")
            )
        else:
            first_position[place] = index
    return problems


def leerjaar_problems(
    entries: Sequence[WaitlistEntryIn], leerjaren: Sequence[int]
) -> list[InvalidParam]:
    """Places on the list of a groep or leerjaar the offer does not take children in
    (`catalogue.rules.taught_leerjaren`; none: an offer not organised by leerjaar)."""
    if leerjaren:
        reason = f"this offer takes children in {', '.join(map(str, leerjaren))} only, e.g. "
        reason += f"{leerjaren[0]} (or null for the offer's one list)"
    else:
        reason = "this offer has no groepen or leerjaren: leave leerjaar out (null)"
    return [
        InvalidParam(f"entries.{index}.leerjaar", reason)
        for index, entry in enumerate(entries)
        if entry.leerjaar is not None and entry.leerjaar not in leerjaren
    ]


def estimate_problems(entries: Sequence[WaitlistEntryIn], today: date) -> list[InvalidParam]:
    """Estimated starts a parent could not believe: more than a year ago (the estimate was
    never updated) or further ahead than the longest wait a report may give."""
    earliest, latest = today - START_BEFORE_TODAY, today + START_AFTER_TODAY
    reason = f"must lie from {earliest} to {latest} (a year ago to ten years ahead), e.g. {today}"
    return [
        InvalidParam(f"entries.{index}.estimated_start", reason)
        for index, entry in enumerate(entries)
        if entry.estimated_start is not None and not earliest <= entry.estimated_start <= latest
    ]


# --- service ------------------------------------------------------------------------------


def replace_waitlist(
    session: Session, client: ApiClient, offer_id: int, waitlist: WaitlistIn, now: datetime
) -> int:
    """Replace the whole waiting list of one of the client's offers; the new entry count.

    A reference may be on one list only. One that another offer (of any organisation)
    uses is refused with a generic reason, so the answer says nothing about that offer.
    """
    # Locked until commit: two replacements of one list at once would otherwise
    # interleave their rows.
    offer = own_offer(session, client, offer_id, for_update=True)
    problems = (
        entry_problems(waitlist.entries)
        + leerjaar_problems(waitlist.entries, taught_leerjaren(offer.leerjaren, offer.school_type))
        + estimate_problems(waitlist.entries, now.date())
    )
    if problems:
        raise InvalidDataError("the waiting list is not valid", problems)
    hashes = [hash_reference(entry.reference) for entry in waitlist.entries]
    taken = _hashes_in_use(session, hashes, other_than_offer=offer.id)
    if taken:
        raise InvalidDataError(
            "the waiting list is not valid",
            [
                InvalidParam(f"entries.{index}.reference", "reference already in use")
                for index, hashed in enumerate(hashes)
                if hashed in taken
            ],
        )

    before = _entry_count(session, offer.id)
    session.execute(delete(WaitlistEntry).where(WaitlistEntry.offer_id == offer.id))
    rows = [
        {
            "offer_id": offer.id,
            "reference_hash": hashed,
            "leerjaar": entry.leerjaar,
            "position": entry.position,
            "estimated_start": entry.estimated_start,
            "updated_at": now,
        }
        for entry, hashed in zip(waitlist.entries, hashes, strict=True)
    ]
    if rows:
        try:
            session.execute(insert(WaitlistEntry), rows)
        except IntegrityError:
            # Another offer's list took one of these references since the check above.
            raise ConflictError(
                "a reference on this list was taken at the same moment; send the list again"
            ) from None
    # Counts only: the references are the parents' secrets and stay out of the log.
    write_audit(
        session, reporter_for(client), "waitlist.replace", ("offer", offer.id), now=now,
        before={"entries": before}, after={"entries": len(rows)},
    )  # fmt: skip
    return len(rows)


def mint_references(session: Session, count: int) -> list[str]:
    """`count` new references that are on no list yet (and differ from each other)."""
    minted: dict[str, str] = {}  # hash -> reference
    while len(minted) < count:
        for _ in range(count - len(minted)):
            reference = mint_reference()
            minted[hash_reference(reference)] = reference
        # Collisions are astronomically unlikely; drop any and mint again rather than hope.
        for hashed in _hashes_in_use(session, list(minted)):
            del minted[hashed]
    return list(minted.values())


def find_position(session: Session, reference: str) -> WaitlistPosition:
    """A parent's place on a waiting list, found by their reference code.

    Malformed, unknown and deleted-offer references all raise the same
    `UnknownReferenceError`, so an answer never tells a wrong guess from a near one.
    """
    normalised = normalise_reference(reference)
    if not is_valid_reference(normalised):
        # Which shapes are valid is public; skipping the query reveals nothing.
        raise UnknownReferenceError
    found = session.execute(
        select(WaitlistEntry, Offer.name, Offer.school_type, Organisation.name)
        .join(Offer, Offer.id == WaitlistEntry.offer_id)
        .join(Organisation, Organisation.id == Offer.organisation_id)
        .where(
            WaitlistEntry.reference_hash == hash_reference(normalised),
            Offer.deleted_at.is_(None),
        )
    ).one_or_none()
    if found is None:
        raise UnknownReferenceError
    entry, offer_name, school_type, organisation_name = found
    return WaitlistPosition(
        leerjaar=entry.leerjaar,
        position=entry.position,
        of=_list_length(session, entry.offer_id, entry.leerjaar),
        estimated_start=entry.estimated_start,
        updated_at=entry.updated_at,
        offer=WaitlistOffer(
            id=entry.offer_id,
            name=offer_name,
            organisation=organisation_name,
            school_type=school_type.value if school_type else None,
        ),
    )


def _entry_count(session: Session, offer_id: int) -> int:
    query = select(func.count()).select_from(WaitlistEntry)
    return session.scalar(query.where(WaitlistEntry.offer_id == offer_id)) or 0


def _list_length(session: Session, offer_id: int, leerjaar: int | None) -> int:
    # The last position, not the number of entries: a list with gaps (positions 1, 2, 9)
    # must never tell a parent "9 of 3". A leerjaar's list counts on its own.
    query = select(func.max(WaitlistEntry.position)).where(
        WaitlistEntry.offer_id == offer_id,
        WaitlistEntry.leerjaar.is_(None)
        if leerjaar is None
        else WaitlistEntry.leerjaar == leerjaar,
    )
    return session.scalar(query) or 0


def _hashes_in_use(
    session: Session, hashes: Iterable[str], other_than_offer: int | None = None
) -> set[str]:
    """Which of `hashes` are already on a list (other than `other_than_offer`'s)."""
    wanted = list(hashes)
    taken: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        query = select(WaitlistEntry.reference_hash).where(
            WaitlistEntry.reference_hash.in_(wanted[start : start + _CHUNK])
        )
        if other_than_offer is not None:
            query = query.where(WaitlistEntry.offer_id != other_than_offer)
        taken.update(session.scalars(query))
    return taken
