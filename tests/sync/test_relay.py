from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from directory.db import unit_of_work
from directory.search_index import IndexOutbox
from search.backend import SearchUnavailableError, fingerprint
from search.documents import SearchDocument, build_documents, document_digest
from search.query import SearchQuery
from search.sqlindex import SqlIndex
from sync import relay
from sync.relay import (
    MAX_ATTEMPTS,
    rebuild_index,
    relay_once,
    repair_drift,
    repair_drifts,
)
from tests.factories import create_offer, create_report


def pending(session: Session) -> int:
    query = select(func.count()).select_from(IndexOutbox).where(IndexOutbox.processed_at.is_(None))
    return session.scalar(query) or 0


def found(index: SqlIndex, now: datetime, **query: object) -> list[int]:
    return [hit.id for hit in index.search(SearchQuery(per_page=100, **query), now).items]  # type: ignore[arg-type]


def test_a_published_change_reaches_the_index_on_the_next_pass(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    index = SqlIndex(session_factory, text_mode="substring")
    offer = create_offer(session, name="Ambulante hulp Kralingen")
    create_report(session, offer, now=now, intake_wait_weeks=2, treatment_wait_weeks=3)
    session.commit()
    assert offer.id not in found(index, now)
    result = relay_once(session_factory, [index], now)
    assert result.upserted >= 1
    assert pending(session) == 0
    hits = index.search(SearchQuery(q="kralingen"), now).items
    assert [(hit.id, hit.total_wait_weeks) for hit in hits] == [(offer.id, 5)]


def test_a_deleted_offer_leaves_the_index(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    index = SqlIndex(session_factory, text_mode="substring")
    offer = create_offer(session)
    create_report(session, offer, now=now)
    session.commit()
    relay_once(session_factory, [index], now)
    offer.deleted_at = now
    session.add(IndexOutbox(offer_id=offer.id, operation="delete", created_at=now))
    session.commit()
    assert relay_once(session_factory, [index], now).deleted == 1
    assert offer.id not in found(index, now)


class Unreachable:
    """An index that is down, as Meilisearch is when its server stopped."""

    name = "down"

    def upsert(self, documents: object) -> None:
        raise SearchUnavailableError("connection refused")

    def delete(self, offer_ids: object) -> None:
        raise SearchUnavailableError("connection refused")

    def digests(self) -> dict[int, str]:
        raise SearchUnavailableError("connection refused")


def test_changes_wait_while_an_index_is_down_and_none_is_lost(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    index = SqlIndex(session_factory, text_mode="substring")
    offer = create_offer(session)
    create_report(session, offer, now=now, intake_wait_weeks=1, treatment_wait_weeks=1)
    session.commit()
    before = pending(session)
    failed = relay_once(session_factory, [index, Unreachable()], now)  # type: ignore[list-item]
    assert failed.failed
    assert pending(session) == before  # still queued, with the attempt counted
    attempts = session.scalars(select(IndexOutbox.attempts).where(IndexOutbox.offer_id == offer.id))
    assert set(attempts) == {1}
    assert relay_once(session_factory, [index], now).processed == before
    assert pending(session) == 0


def test_replaying_a_pass_changes_nothing(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    index = SqlIndex(session_factory, text_mode="substring")
    offer = create_offer(session)
    create_report(session, offer, now=now)
    session.commit()
    relay_once(session_factory, [index], now)
    first = fingerprint(index)
    assert offer.id in index.digests()  # something to keep unchanged
    session.add(IndexOutbox(offer_id=offer.id, operation="upsert", created_at=now))
    session.commit()
    assert relay_once(session_factory, [index], now).upserted == 1  # the replay was sent
    assert fingerprint(index) == first


def test_drift_between_catalogue_and_index_is_found_and_repaired(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    index = SqlIndex(session_factory, text_mode="substring")
    offers = [create_offer(session) for _ in range(3)]
    session.commit()
    rebuild_index(session_factory, index, now)
    assert not repair_drift(session_factory, index, now)
    index.delete([offers[0].id])  # lost, as if a write never reached the index
    assert repair_drift(session_factory, index, now)
    assert offers[0].id in index.digests()
    assert not repair_drift(session_factory, index, now)  # now the index matches


class Remembers:
    """An index kept in memory: a second index beside the database."""

    name = "memory"

    def __init__(self) -> None:
        self.documents: dict[int, SearchDocument] = {}

    def digests(self) -> dict[int, str]:
        return {offer_id: document_digest(doc) for offer_id, doc in self.documents.items()}

    def upsert(self, documents: list[SearchDocument]) -> None:
        self.documents.update((document.id, document) for document in documents)

    def delete(self, offer_ids: list[int]) -> None:
        for offer_id in offer_ids:
            del self.documents[offer_id]


def test_one_pass_over_the_catalogue_repairs_every_index_and_a_down_one_stops_none(
    session_factory: sessionmaker[Session],
    session: Session,
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    index, memory = SqlIndex(session_factory, text_mode="substring"), Remembers()
    offers = [create_offer(session) for _ in range(3)]
    session.commit()
    [gone] = build_documents(session, [offers[0].id], today=now.date(), now=now).values()
    memory.documents[999_999] = replace(gone, id=999_999)  # no longer in the catalogue
    passes: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> dict[int, SearchDocument]:
        passes.append(1)
        return build_documents(*args, **kwargs)

    monkeypatch.setattr(relay, "build_documents", counted)
    outcomes = repair_drifts(session_factory, [Unreachable(), index, memory], now)  # type: ignore[list-item]

    assert isinstance(outcomes[0], SearchUnavailableError)
    assert outcomes[1:] == [3, 4]
    assert sorted(memory.documents) == sorted(index.digests()) == [o.id for o in offers]
    assert len(passes) == 1  # the catalogue is built once for both indexes


def test_changes_made_during_a_rebuild_are_sent_again_after_it(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    offer = create_offer(session)
    session.commit()

    class BusyIndex(SqlIndex):
        """While it rebuilds, a provider publishes and the relay sends that to the old index."""

        def rebuild(self, batches: Any, on_progress: Any = None) -> None:
            with unit_of_work(session_factory) as other:
                other.add(IndexOutbox(offer_id=offer.id, operation="upsert", created_at=now))
            relay_once(session_factory, [self], now)
            super().rebuild(batches, on_progress)

    index = BusyIndex(session_factory, text_mode="substring")
    relay_once(session_factory, [index], now)
    rebuild_index(session_factory, index, now)
    assert pending(session) == 1  # queued again: the swap may have dropped it


class RefusesOne(SqlIndex):
    """An index that refuses one offer's document (as Meilisearch refuses a bad one)."""

    refused = -1

    def upsert(self, documents: Any) -> None:
        if any(document.id == self.refused for document in documents):
            raise ValueError("invalid document")
        super().upsert(documents)


def test_a_change_an_index_keeps_refusing_is_set_aside_and_the_rest_goes_through(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    index = RefusesOne(session_factory, text_mode="substring")
    bad, good = create_offer(session), create_offer(session)
    create_report(session, bad, now=now)
    create_report(session, good, now=now)
    session.commit()
    index.refused = bad.id
    first = relay_once(session_factory, [index], now)
    assert first.upserted == 1  # the good one is not held up
    assert good.id in found(index, now)
    for _ in range(MAX_ATTEMPTS - 2):
        relay_once(session_factory, [index], now)
    assert pending(session) > 0  # tried again until MAX_ATTEMPTS
    relay_once(session_factory, [index], now)
    assert pending(session) == 0  # set aside after MAX_ATTEMPTS, its error kept
    kept = list(
        session.scalars(select(IndexOutbox.last_error).where(IndexOutbox.offer_id == bad.id))
    )
    assert kept
    assert all("invalid document" in (error or "") for error in kept)
