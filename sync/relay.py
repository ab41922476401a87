"""The outbox relay: carries catalogue changes to the search index(es).

Every write that changes what search shows adds an `index_outbox` row in the same
transaction. The relay reads pending rows in id order, builds each named offer's document
from the catalogue as it is *now* (so replays and reordering cannot bring old data back),
sends upserts and deletes to every backend, and only then marks the rows processed:
at-least-once, idempotent, and nothing is lost when the process dies in between.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from directory.db import unit_of_work
from directory.search_index import IndexOutbox
from search.backend import SearchBackend, SearchUnavailableError
from search.documents import (
    SearchDocument,
    all_offer_ids,
    build_documents,
    document_digest,
)

log = logging.getLogger(__name__)
BATCH = 1_000
MAX_ATTEMPTS = 5  # a change an index keeps refusing is set aside after this many tries
MAX_BACKOFF_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class RelayPass:
    """What one pass did."""

    processed: int  # outbox rows marked done
    upserted: int
    deleted: int
    failed: bool = False  # a backend was unavailable; the rows stay pending


def relay_once(
    session_factory: sessionmaker[Session],
    backends: Sequence[SearchBackend],
    now: datetime,
    limit: int = BATCH,
) -> RelayPass:
    """Send up to `limit` pending changes to every backend; mark them done if all took them."""
    with unit_of_work(session_factory, read_only=True) as session:
        pending = session.execute(
            select(IndexOutbox.id, IndexOutbox.offer_id)
            .where(IndexOutbox.processed_at.is_(None))
            .order_by(IndexOutbox.id)
            .limit(limit)
        ).all()
        if not pending:
            return RelayPass(0, 0, 0)
        offer_ids = {offer_id for _, offer_id in pending}
        documents = build_documents(session, offer_ids, today=now.date(), now=now)
    gone = sorted(offer_ids - set(documents))
    upserts = [documents[offer_id] for offer_id in sorted(documents)]
    row_ids = [row_id for row_id, _ in pending]
    try:
        _send(backends, upserts, gone)
    except SearchUnavailableError as error:
        log.warning("search index unavailable, %d changes wait: %s", len(row_ids), error)
        _count_attempt(session_factory, row_ids, str(error))
        return RelayPass(0, 0, 0, failed=True)
    except Exception:  # a change an index refuses must not hold up all the others
        log.exception("an index refused a batch; sending its changes one by one")
        return _one_by_one(session_factory, backends, pending, documents, now)
    _mark_done(session_factory, row_ids, now)
    return RelayPass(len(row_ids), len(upserts), len(gone))


def _send(
    backends: Sequence[SearchBackend], upserts: list[SearchDocument], gone: list[int]
) -> None:
    for backend in backends:
        if upserts:
            backend.upsert(upserts)
        if gone:
            backend.delete(gone)


def _one_by_one(
    session_factory: sessionmaker[Session],
    backends: Sequence[SearchBackend],
    pending: Sequence[Any],
    documents: dict[int, SearchDocument],
    now: datetime,
) -> RelayPass:
    """Send each offer's change on its own; a change refused MAX_ATTEMPTS times is set
    aside (processed, with its error kept in `last_error`) so the queue moves on."""
    done: list[int] = []
    upserted = deleted = 0
    for row_id, offer_id in pending:
        document = documents.get(offer_id)
        try:
            _send(backends, [document] if document else [], [] if document else [offer_id])
        except SearchUnavailableError as error:
            _count_attempt(session_factory, [row_id], str(error))
            return RelayPass(len(done), upserted, deleted, failed=True)
        except Exception as error:
            attempts = _count_attempt(session_factory, [row_id], repr(error))
            if attempts >= MAX_ATTEMPTS:
                log.error("giving up on index change %d (offer %d): %r", row_id, offer_id, error)
                done.append(row_id)
            continue
        done.append(row_id)
        upserted += document is not None
        deleted += document is None
    _mark_done(session_factory, done, now)
    return RelayPass(len(done), upserted, deleted)


def _count_attempt(session_factory: sessionmaker[Session], row_ids: list[int], error: str) -> int:
    """Count a failed attempt on the rows; returns the highest attempt count among them."""
    with unit_of_work(session_factory) as session:
        session.execute(
            update(IndexOutbox)
            .where(IndexOutbox.id.in_(row_ids))
            .values(attempts=IndexOutbox.attempts + 1, last_error=error[:2000])
        )
        return (
            session.scalar(
                select(func.max(IndexOutbox.attempts)).where(IndexOutbox.id.in_(row_ids))
            )
            or 0
        )


def _mark_done(session_factory: sessionmaker[Session], row_ids: list[int], now: datetime) -> None:
    if not row_ids:
        return
    with unit_of_work(session_factory) as session:
        session.execute(
            update(IndexOutbox).where(IndexOutbox.id.in_(row_ids)).values(processed_at=now)
        )


def rebuild_index(
    session_factory: sessionmaker[Session],
    backend: SearchBackend,
    now: datetime,
    on_progress: Callable[[int], None] | None = None,
) -> None:
    """Rebuild `backend` from the whole catalogue (zero downtime: see `SearchBackend`).

    Changes the relay sent while the new index was being built went to the old one and
    would be lost at the swap, so they are queued again afterwards."""
    with unit_of_work(session_factory, read_only=True) as session:
        last_before = session.scalar(select(func.max(IndexOutbox.id))) or 0
        batches = (
            list(build_documents(session, ids, today=now.date(), now=now).values())
            for ids in all_offer_ids(session)
        )
        backend.rebuild(batches, on_progress)
    with unit_of_work(session_factory) as session:
        session.execute(
            update(IndexOutbox).where(IndexOutbox.id > last_before).values(processed_at=None)
        )


def repair_drift(
    session_factory: sessionmaker[Session], backend: SearchBackend, now: datetime
) -> int:
    """Compare every document the catalogue gives now with the index's digests; send the
    ones that differ or are missing, and remove the ones no longer in the catalogue.

    This also brings in what time alone changes: a contract that started or ended, and a
    headline combined from location figures of which one expired. Returns how many
    documents were repaired (0: no drift)."""
    [outcome] = repair_drifts(session_factory, [backend], now)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


@dataclass
class _Repair:
    """One index's part in a drift repair."""

    backend: SearchBackend
    indexed: dict[int, str]  # its digests before the repair
    repaired: int = 0
    error: Exception | None = None


def repair_drifts(
    session_factory: sessionmaker[Session], backends: Sequence[SearchBackend], now: datetime
) -> list[int | Exception]:
    """`repair_drift` for every index in one pass over the catalogue (building every
    document takes seconds at 100,000 offers, and the relay waits meanwhile). Returns, per
    index, how many documents were repaired, or the error that stopped its repair: an index
    that fails is left alone for the rest of the pass, the others go on."""
    outcomes: list[int | Exception] = []
    repairs: list[_Repair] = []
    for backend in backends:
        try:
            repairs.append(_Repair(backend, backend.digests()))
        except Exception as error:
            repairs.append(_Repair(backend, {}, error=error))
    seen: set[int] = set()
    with unit_of_work(session_factory, read_only=True) as session:
        for ids in all_offer_ids(session):
            working = [repair for repair in repairs if repair.error is None]
            if not working:
                break
            documents = build_documents(session, ids, today=now.date(), now=now)
            seen.update(documents)
            digests = {offer_id: document_digest(doc) for offer_id, doc in documents.items()}
            for repair in working:
                changed = [
                    documents[offer_id]
                    for offer_id, digest in digests.items()
                    if repair.indexed.get(offer_id) != digest
                ]
                if not changed:
                    continue
                try:
                    repair.backend.upsert(changed)
                except Exception as error:
                    repair.error = error
                else:
                    repair.repaired += len(changed)
    for repair in repairs:
        extra = sorted(set(repair.indexed) - seen)
        if repair.error is None and extra:
            try:
                repair.backend.delete(extra)
            except Exception as error:
                repair.error = error
        if repair.error is not None:
            outcomes.append(repair.error)
            continue
        if repair.repaired or extra:
            log.warning(
                "search index %s drifted: %d documents sent again, %d removed",
                repair.backend.name,
                repair.repaired,
                len(extra),
            )
        outcomes.append(repair.repaired + len(extra))
    return outcomes


class RelayThread(threading.Thread):
    """Runs `relay_once` every `interval` seconds until stopped; backs off while an index
    is unavailable. With `repair_every`, also repairs drift that often (and at start)."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        backends: Sequence[SearchBackend],
        clock: Callable[[], datetime],
        interval: float,
        repair_every: float | None = None,
    ) -> None:
        super().__init__(name="outbox-relay", daemon=True)
        self.session_factory, self.backends = session_factory, backends
        self.clock, self.interval, self.repair_every = clock, interval, repair_every
        self.stopped = threading.Event()
        self._next_repair = time.monotonic()

    def _repair_if_due(self) -> None:
        if self.repair_every is None or time.monotonic() < self._next_repair:
            return
        self._next_repair = time.monotonic() + self.repair_every
        try:
            outcomes = repair_drifts(self.session_factory, self.backends, self.clock())
        except Exception:  # the catalogue could not be read: repaired on a later round
            log.exception("drift repair failed")
            return
        for backend, outcome in zip(self.backends, outcomes, strict=True):
            if isinstance(outcome, Exception):  # an index that is down: a later round
                log.error("drift repair of %s failed", backend.name, exc_info=outcome)

    def run(self) -> None:
        wait = self.interval
        while not self.stopped.wait(wait):
            self._repair_if_due()
            try:
                result = relay_once(self.session_factory, self.backends, self.clock())
            except Exception:  # a failed pass is logged and retried, never fatal
                log.exception("outbox relay pass failed")
                result = RelayPass(0, 0, 0, failed=True)
            if result.failed:
                wait = min(MAX_BACKOFF_SECONDS, max(wait * 2, 1.0))
            else:
                # Drain a backlog without waiting; otherwise poll at the interval.
                wait = 0 if result.processed == BATCH else self.interval

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=10)
