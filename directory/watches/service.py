"""Watches for a case: keep them, read them, and record what an evaluation found.

Use-cases for whoever acts for an organisation: today an API key (web/watches_api.py),
later a professional's login. Every function takes the acting organisation's id and sees
only its watches (another organisation's watch is "not found"). The search is stored as
given after the caller validated it (`sync.watches.search_json`). Services only flush; the
caller's unit of work commits, and the notifications queued here are sent after it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from directory.catalogue.figures import current_figures
from directory.catalogue.models import Offer, Organisation
from directory.catalogue.rules import Norm, headline, is_fresh, taught_leerjaren
from directory.db import CHUNK
from directory.enums import OrganisationKind
from directory.errors import DirectoryError, InvalidDataError, InvalidParam, NotFoundError
from directory.notifications.service import queue_watch_alerts
from directory.reference.models import Municipality
from directory.signals.inputs import category_of, is_category
from directory.watches.models import Watch, WatchAlert
from directory.watches.rules import (
    OFFER_EVENTS,
    Holding,
    MatchedOffer,
    Subject,
    case_reference_problems,
    changes,
    personal_data_problems,
)

# Wijkteams work for their municipality and onderwijsconsulenten with the
# samenwerkingsverbanden, so their organisations keep watches; providers and schools do not.
WATCHER_KINDS = frozenset({OrganisationKind.MUNICIPALITY, OrganisationKind.SWV})
MAX_WATCHES_PER_ORGANISATION = 5_000


class NotAWatcherError(DirectoryError):
    def __init__(self) -> None:
        super().__init__(
            title="Forbidden",
            detail="watches are kept by municipalities and samenwerkingsverbanden "
            "(for their wijkteams and onderwijsconsulenten)",
            status=403,
        )


@dataclass(frozen=True, slots=True)
class WatchInput:
    """A new watch as its maker gives it; `search` is already validated."""

    case_reference: str
    municipality_code: str
    category: str | None
    search: dict[str, Any]


def require_watcher(session: Session, organisation_id: int) -> Organisation:
    """The organisation, if it may keep watches (403 otherwise)."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or organisation.kind not in WATCHER_KINDS:
        raise NotAWatcherError()
    return organisation


def create_watch(
    session: Session,
    organisation_id: int,
    data: WatchInput,
    *,
    now: datetime,
    api_client_id: int | None = None,
) -> Watch:
    """Save a watch for the organisation; 422 naming each bad field."""
    require_watcher(session, organisation_id)
    problems = [
        InvalidParam("case_reference", r) for r in case_reference_problems(data.case_reference)
    ]
    problems += [
        InvalidParam("search.q", r) for r in personal_data_problems(data.search.get("q") or "")
    ]
    if session.get(Municipality, data.municipality_code) is None:
        problems.append(InvalidParam("municipality", f"{data.municipality_code!r} is not known"))
    if data.category is not None and not is_category(data.category):
        problems.append(
            InvalidParam("category", "a category like ijw:45, day_programme:<type>, "
                         "education:cluster-3:so or education:sbo")
        )  # fmt: skip
    if problems:
        raise InvalidDataError("the watch is not valid", problems)
    count = select(func.count()).where(Watch.organisation_id == organisation_id)
    if (session.scalar(count) or 0) >= MAX_WATCHES_PER_ORGANISATION:
        raise InvalidDataError(
            "too many watches",
            [InvalidParam("watch", f"at most {MAX_WATCHES_PER_ORGANISATION} per organisation")],
        )
    watch = Watch(
        organisation_id=organisation_id,
        api_client_id=api_client_id,
        case_reference=data.case_reference.strip(),
        municipality_code=data.municipality_code,
        category=data.category,
        search=data.search,
        created_at=now,
    )
    session.add(watch)
    session.flush()
    return watch


def list_watches(
    session: Session, organisation_id: int, *, page: int, per_page: int
) -> tuple[list[Watch], int]:
    """One page of the organisation's watches, newest first, and how many there are."""
    require_watcher(session, organisation_id)
    mine = Watch.organisation_id == organisation_id
    total = session.scalar(select(func.count()).select_from(Watch).where(mine)) or 0
    watches = session.scalars(
        select(Watch)
        .where(mine)
        .order_by(Watch.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(watches), total


def get_watch(session: Session, organisation_id: int, watch_id: int) -> Watch:
    """One of the organisation's watches; 404 for any other."""
    require_watcher(session, organisation_id)
    watch = session.get(Watch, watch_id)
    if watch is None or watch.organisation_id != organisation_id:
        raise NotFoundError(f"watch {watch_id}")
    return watch


def delete_watch(session: Session, organisation_id: int, watch_id: int) -> None:
    """Remove a watch and its alerts (notifications already queued are still sent)."""
    watch = get_watch(session, organisation_id, watch_id)
    session.delete(watch)  # its alerts go with it (ON DELETE CASCADE)
    session.flush()


def list_alerts(
    session: Session, organisation_id: int, watch_id: int, *, page: int, per_page: int
) -> tuple[list[WatchAlert], int]:
    """One page of a watch's alerts, newest first; 404 for another organisation's watch."""
    get_watch(session, organisation_id, watch_id)
    of_watch = WatchAlert.watch_id == watch_id
    total = session.scalar(select(func.count()).select_from(WatchAlert).where(of_watch)) or 0
    alerts = session.scalars(
        select(WatchAlert)
        .where(of_watch)
        .order_by(WatchAlert.raised_at.desc(), WatchAlert.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(alerts), total


# --- evaluation -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WatchEvaluation:
    """What holds now for one watch, and the norms in its municipality."""

    watch: Watch
    holding: Sequence[Holding]
    norm_for: Callable[[str], Norm]


def record_watch_evaluations(
    session: Session,
    evaluations: Sequence[WatchEvaluation],
    now: datetime,
    *,
    public_base_url: str,
) -> list[WatchAlert]:
    """For each watch, start an episode (an alert) for each event that holds and has none
    running, end those that no longer hold (an offer's only on a fresh figure that
    contradicts it, or when the offer is gone: `directory.watches.rules.offer_episode_ends`),
    and queue a notification for each new alert. Recording the same evaluations again
    changes nothing. Returns the new alerts. Reads and writes in a few statements for all
    the watches, not a few per watch."""
    watch_ids = sorted(item.watch.id for item in evaluations)
    running: dict[int, dict[Subject, int]] = defaultdict(dict)
    for start in range(0, len(watch_ids), CHUNK):
        for alert_id, watch_id, event, subject_id in session.execute(
            select(
                WatchAlert.id, WatchAlert.watch_id, WatchAlert.event, WatchAlert.subject_id
            ).where(
                WatchAlert.watch_id.in_(watch_ids[start : start + CHUNK]),
                WatchAlert.ended_at.is_(None),
            )
        ):
            running[watch_id][(event, subject_id)] = alert_id
    # Offers whose episodes no longer hold in a watch's results: what is known of them now
    # (for a watch of one leerjaar, that leerjaar's figure).
    in_doubt: dict[int | None, set[int]] = defaultdict(set)
    for item in evaluations:
        for event, subject_id in running[item.watch.id].keys() - {
            holding.key for holding in item.holding
        }:
            if event in OFFER_EVENTS:
                in_doubt[item.watch.search.get("leerjaar")].add(subject_id)
    offers = {
        leerjaar: current_offers(session, ids, now, leerjaar=leerjaar)
        for leerjaar, ids in in_doubt.items()
    }
    ended: list[int] = []
    raised: list[tuple[Watch, list[WatchAlert]]] = []
    for item in evaluations:
        watch, episodes = item.watch, running[item.watch.id]
        found = changes(
            episodes.keys(),
            item.holding,
            offers=offers.get(watch.search.get("leerjaar"), {}),
            norm_for=item.norm_for,
        )
        ended += [episodes[key] for key in found.ended]
        alerts = [
            WatchAlert(
                watch_id=watch.id,
                event=holding.event,
                subject_id=holding.subject_id,
                raised_at=now,
                details=holding.details,
            )
            for holding in found.raised
        ]
        session.add_all(alerts)
        watch.evaluated_at = now
        raised.append((watch, alerts))
    for start in range(0, len(ended), CHUNK):
        session.execute(
            update(WatchAlert)
            .where(WatchAlert.id.in_(ended[start : start + CHUNK]))
            .values(ended_at=now)
            .execution_options(synchronize_session=False)
        )
    session.flush()
    for watch, alerts in raised:
        if alerts:
            queue_watch_alerts(session, watch, alerts, now, public_base_url=public_base_url)
    return [alert for _, alerts in raised for alert in alerts]


def current_offers(
    session: Session, offer_ids: Iterable[int], now: datetime, *, leerjaar: int | None = None
) -> dict[int, MatchedOffer | None]:
    """What the catalogue says now of each offer, its headline figure (with `leerjaar`,
    that leerjaar's, as search gives it) judged at `now` as search judges it (status
    "unknown" when stale or missing); None for an offer that is deleted or does not exist,
    or, with `leerjaar`, does not take children in it."""
    ids = sorted(set(offer_ids))
    found: dict[int, MatchedOffer | None] = dict.fromkeys(ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        figures = current_figures(session, chunk)
        for offer in session.scalars(
            select(Offer).where(Offer.id.in_(chunk), Offer.deleted_at.is_(None))
        ):
            taught = taught_leerjaren(offer.leerjaren, offer.school_type)
            if leerjaar is not None and leerjaar not in taught:
                continue  # no longer found under the leerjaar: the episode ends
            top = headline(figures.get(offer.id, []), now, leerjaar=leerjaar, leerjaren=taught)
            fresh = top if top is not None and is_fresh(top.valid_until, now) else None
            found[offer.id] = MatchedOffer(
                offer.id,
                offer.name,
                category_of(offer),
                fresh.status.value if fresh else "unknown",
                fresh.open_places if fresh else None,
                fresh.total_wait_weeks if fresh else None,
            )
    return found
