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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from directory.db import unit_of_work
from directory.models import IndexOutbox
from search.backend import SearchBackend, SearchUnavailableError
from search.documents import all_offer_ids, build_documents, document_digest, index_checksum

log = logging.getLogger(__name__)
BATCH = 1_000
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
        for backend in backends:
            if upserts:
                backend.upsert(upserts)
            if gone:
                backend.delete(gone)
    except SearchUnavailableError as error:
        log.warning("search index unavailable, %d changes wait: %s", len(row_ids), error)
        with unit_of_work(session_factory) as session:
            session.execute(
                update(IndexOutbox)
                .where(IndexOutbox.id.in_(row_ids))
                .values(attempts=IndexOutbox.attempts + 1, last_error=str(error)[:2000])
            )
        return RelayPass(0, 0, 0, failed=True)
    with unit_of_work(session_factory) as session:
        session.execute(
            update(IndexOutbox).where(IndexOutbox.id.in_(row_ids)).values(processed_at=now)
        )
    return RelayPass(len(row_ids), len(upserts), len(gone))


def catalogue_fingerprint(session_factory: sessionmaker[Session], now: datetime) -> tuple[int, str]:
    """Count and checksum of the documents the catalogue would produce now."""
    digests: list[tuple[int, str]] = []
    with unit_of_work(session_factory, read_only=True) as session:
        for ids in all_offer_ids(session):
            documents = build_documents(session, ids, today=now.date(), now=now)
            digests += [(offer_id, document_digest(doc)) for offer_id, doc in documents.items()]
    return len(digests), index_checksum(digests)


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
) -> bool:
    """Compare the catalogue with the index (count and checksum); rebuild on a difference.
    Returns whether a repair was needed."""
    count, checksum = catalogue_fingerprint(session_factory, now)
    indexed = backend.fingerprint()
    if (indexed.count, indexed.checksum) == (count, checksum):
        return False
    log.warning(
        "search index %s drifted (%d documents, catalogue has %d): rebuilding",
        backend.name,
        indexed.count,
        count,
    )
    rebuild_index(session_factory, backend, now)
    return True


class RelayThread(threading.Thread):
    """Runs `relay_once` every `interval` seconds until stopped; backs off while an index
    is unavailable."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        backends: Sequence[SearchBackend],
        clock: Callable[[], datetime],
        interval: float,
    ) -> None:
        super().__init__(name="outbox-relay", daemon=True)
        self.session_factory, self.backends = session_factory, backends
        self.clock, self.interval = clock, interval
        self.stopped = threading.Event()

    def run(self) -> None:
        wait = self.interval
        while not self.stopped.wait(wait):
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
