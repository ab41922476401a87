"""The `evaluate-watches` job: run each watch's saved search, decide which events hold
(`directory.watches.rules`), and record alerts once per episode (`directory.watches.service`).

A watch's search runs through the configured search backend as `GET /api/v1/offers`
would answer it now (sorted by wait, at most `MAX_MATCHES` offers), so a professional is
alerted about what they would see. Not while Meilisearch is down: the database fallback
matches free text differently (`SearchResult.degraded`), so a watch whose search comes back
degraded is left as it was until the engine is back, counted like a failed search;
otherwise its episodes would end and the same alerts be raised again. The searches run
first, each in its own read; then one unit of work records every watch's outcome, so a
crash records nothing half and the next run does it again.

Also here: the watch's search as it is stored (`search_json`) and read back
(`search_query`), so the API (and later the professional pages) store what this job reads;
and `jobs`, which registers the job with the runner (`sync.runner`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from directory.catalogue.rules import Norm, NormRow, resolve_norm
from directory.config import Settings
from directory.db import unit_of_work
from directory.enums import OfferKind
from directory.signals.inputs import load_municipalities, load_norms, offer_categories
from directory.signals.models import Signal
from directory.signals.policy import default_norm as category_default_norm
from directory.signals.rules import WATCHED_GAP_KINDS
from directory.watches.models import Watch
from directory.watches.rules import (
    CategoryScope,
    MatchedOffer,
    OpenSignal,
    coarse_near,
    coarse_point,
    holding_events,
)
from directory.watches.service import WatchEvaluation, record_watch_evaluations
from search.query import MAX_PER_PAGE, Point, SearchQuery, Sort
from search.service import Search
from sync.runner import JobContext, JobSpec, late_after_every

log = logging.getLogger(__name__)

EVALUATE_WATCHES = "evaluate-watches"
MAX_MATCHES = 500  # per watch: the shortest waits first


# --- the stored search ----------------------------------------------------------------


def search_json(query: SearchQuery, near: str | None) -> dict[str, Any]:
    """A validated search as a watch keeps it: the `GET /api/v1/offers` parameters that
    were given (sort and paging left out), with `near` and the point it meant kept no finer
    than needed (a postcode as PC4, coordinates to ~1 km: `directory.watches.rules.coarse_near`)."""
    data: dict[str, Any] = {
        "q": query.q or None,
        "kind": [kind.value for kind in query.kinds],
        "cluster": list(query.clusters),
        "ijw_category": list(query.ijw_categories),
        "age": query.age,
        "leerjaar": query.leerjaar,
        "municipality": query.municipality,
        "contracted_by": query.contracted_by,
        "max_wait_weeks": query.max_wait_weeks,
        "has_places": query.has_places,
        "accepts_pgb": query.accepts_pgb,
        "near": coarse_near(near) if near and query.near is not None else None,
        "radius_km": query.radius_km,
    }
    stored = {key: value for key, value in data.items() if value not in (None, [])}
    if query.near is not None:
        stored["point"] = list(coarse_point(query.near.lat, query.near.lon))
    return stored


def search_query(stored: dict[str, Any], *, page: int = 1) -> SearchQuery:
    """The query of a stored search, shortest waits first."""
    point = stored.get("point")
    return SearchQuery(
        q=stored.get("q") or "",
        kinds=tuple(OfferKind(kind) for kind in stored.get("kind", [])),
        clusters=tuple(stored.get("cluster", [])),
        ijw_categories=tuple(stored.get("ijw_category", [])),
        age=stored.get("age"),
        leerjaar=stored.get("leerjaar"),
        municipality=stored.get("municipality"),
        contracted_by=stored.get("contracted_by"),
        max_wait_weeks=stored.get("max_wait_weeks"),
        has_places=stored.get("has_places"),
        accepts_pgb=stored.get("accepts_pgb"),
        near=Point(point[0], point[1]) if point else None,
        radius_km=stored.get("radius_km") if point else None,
        sort=Sort.WAIT,
        page=page,
        per_page=MAX_PER_PAGE,
    )


def category_scope(watch: Watch) -> CategoryScope:
    """What decides which signals concern the watch."""
    search = watch.search
    return CategoryScope(
        category=watch.category,
        kinds=tuple(search.get("kind", [])),
        clusters=tuple(search.get("cluster", [])),
        ijw_categories=tuple(search.get("ijw_category", [])),
    )


# --- the job --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WatchRun:
    """What one run of the watch job did."""

    watches: int
    alerts: int  # new alerts raised
    failed: int  # watches whose search failed, or had words while degraded (next run again)


class DegradedSearchError(Exception):
    """The search was answered by the database fallback, which matches differently."""


def evaluate_watches(
    session_factory: sessionmaker[Session], search: Search, settings: Settings, now: datetime
) -> WatchRun:
    """Evaluate every watch as of `now` and raise the alerts of new episodes."""
    with unit_of_work(session_factory, read_only=True) as session:
        stored = {
            watch_id: data for watch_id, data in session.execute(select(Watch.id, Watch.search))
        }
    found: dict[int, list[Any]] = {}
    failed = 0
    degraded = False
    # Each watch's search reads in a unit of its own (the backend opens it): one failing
    # search, or a slow engine, must not abort or hold up the others.
    for watch_id, data in sorted(stored.items()):
        # The database fallback filters and sorts exactly, but matches words differently:
        # while it answers, watches with words wait for the engine, the others carry on.
        words = bool((data.get("q") or "").strip())
        if degraded and words:
            failed += 1
            continue
        try:
            found[watch_id] = _matches(search, data, now, exact_words=words)
        except DegradedSearchError:
            log.warning("search is degraded: watches with search words wait for the next run")
            degraded = True
            failed += 1
        except Exception:  # one watch's search failing must not stop the others
            log.exception("the search of watch %d failed; it is tried again next run", watch_id)
            failed += 1
    if not found:
        return WatchRun(0, 0, failed)
    with unit_of_work(session_factory) as session:
        watches = session.scalars(select(Watch).where(Watch.id.in_(sorted(found)))).all()
        categories = offer_categories(session, {hit.id for hits in found.values() for hit in hits})
        regions = load_municipalities(session).regions
        norms = load_norms(session)
        signals = _open_signals(session, {watch.municipality_code for watch in watches})
        evaluations = []
        for watch in sorted(watches, key=lambda item: item.id):
            code = watch.municipality_code
            matches = [
                MatchedOffer(
                    hit.id,
                    hit.name,
                    categories.get(hit.id),
                    hit.status,
                    hit.open_places,
                    hit.total_wait_weeks,
                )
                for hit in found[watch.id]
            ]
            norm_for = _norm_lookup(code, regions.get(code), norms, settings.default_norm)
            holding = holding_events(
                matches, signals.get(code, []), norm_for=norm_for, scope=category_scope(watch)
            )
            evaluations.append(WatchEvaluation(watch, holding, norm_for))
        raised = record_watch_evaluations(
            session, evaluations, now, public_base_url=settings.public_base_url
        )
    return WatchRun(len(found), len(raised), failed)


def _norm_lookup(
    code: str, region: str | None, norms: dict[str, list[NormRow]], default: Norm
) -> Callable[[str], Norm]:
    def norm_for(category: str) -> Norm:
        fallback = category_default_norm(category, default)
        return resolve_norm(category, code, region, norms.get(category, []), fallback)

    return norm_for


def _matches(
    search: Search, stored: dict[str, Any], now: datetime, *, exact_words: bool
) -> list[Any]:
    """The watch's matching offers; DegradedSearchError when it has words and only the
    database fallback answered."""
    hits: list[Any] = []
    page = 1
    while len(hits) < MAX_MATCHES:
        result = search.search(search_query(stored, page=page), now)
        if result.degraded and exact_words:
            raise DegradedSearchError()
        hits += result.items
        if len(result.items) < MAX_PER_PAGE or page * MAX_PER_PAGE >= result.total:
            break
        page += 1
    return hits[:MAX_MATCHES]


def _open_signals(session: Session, municipalities: set[str]) -> dict[str, list[OpenSignal]]:
    by_municipality: dict[str, list[OpenSignal]] = {}
    if not municipalities:
        return by_municipality
    query = (
        select(Signal.id, Signal.kind, Signal.category, Signal.opened_at, Signal.municipality_code)
        .where(
            Signal.state == "open",
            # A shortage where a PGB route may apply, or a school place is missing; not a task
            # (figures unknown, no contract) and not a care gap no PGB can fill.
            Signal.kind.in_(WATCHED_GAP_KINDS),
            Signal.municipality_code.in_(sorted(municipalities)),
        )
        .order_by(Signal.id)
    )
    for signal_id, kind, category, opened_at, code in session.execute(query):
        by_municipality.setdefault(code, []).append(
            OpenSignal(signal_id, kind, category, opened_at)
        )
    return by_municipality


def jobs(context: JobContext) -> list[JobSpec]:
    """The watch job every `watch_evaluation_seconds`."""
    settings, factory, search = context.settings, context.session_factory, context.search
    return [
        JobSpec(
            EVALUATE_WATCHES,
            "alert professionals' case watches",
            lambda now: evaluate_watches(factory, search, settings, now),
            IntervalTrigger(seconds=settings.watch_evaluation_seconds),
            misfire_grace_seconds=120,
            late_after=late_after_every(timedelta(seconds=settings.watch_evaluation_seconds)),
            did_something=lambda run: bool(run.alerts or run.failed),
        )
    ]
