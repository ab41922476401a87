"""The Meilisearch backend against a real server (see the `meili` fixture).

The contract suite holds both backends to the same answers; these tests pin what only this
backend does: settings sent once, staleness judged at query time, rebuild by swap, the
fingerprint, tasks cleaned up, and clear errors when the engine is away.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from meilisearch import Client
from sqlalchemy.orm import Session

from directory.enums import AvailabilityStatus, OfferKind
from search.backend import Fingerprint, SearchUnavailableError, fingerprint
from search.documents import SearchDocument, build_documents, document_digest, index_checksum
from search.meili import MeiliBackend, index_settings, settings_differ
from search.query import Hit, Point, SearchQuery, Sort
from tests.conftest import NOW
from tests.factories import (
    create_contract,
    create_location,
    create_offer,
    create_organisation,
    create_report,
)
from tests.search.conftest import meili_server

FRESH_UNTIL = NOW + timedelta(days=10)
STALE_SINCE = NOW - timedelta(days=1)


def make_document(offer_id: int, **fields: Any) -> SearchDocument:
    """A youth-care offer in Rotterdam with a fresh waiting-list figure, unless told."""
    values: dict[str, Any] = {
        "id": offer_id,
        "name": f"Aanbod {offer_id}",
        "kind": OfferKind.YOUTH_CARE,
        "organisation_id": 1,
        "organisation": "Zorgaanbieder Test",
        "municipality": "GM0599",
        "municipalities": ("GM0599",),
        "lat": 51.92,
        "lon": 4.48,
        "cluster": None,
        "school_type": None,
        "ijw_category": 45,
        "day_programme_type": None,
        "min_age": 4,
        "max_age": 18,
        "accepts_pgb": False,
        "contracted_by": ("GM0599",),
        "leerjaren": (),
        "leerjaar_figures": (),
        "status": AvailabilityStatus.WAITLIST.value,
        "open_places": 0,
        "total_wait_weeks": 10,
        "measured_at": NOW - timedelta(days=2),
        "valid_until": FRESH_UNTIL,
        "updated_at": NOW - timedelta(days=2),
        "is_demo": False,
        "text": f"Aanbod {offer_id} jeugdhulp Rotterdam",
    }
    values.update(fields)
    return SearchDocument(**values)


def no_figure(offer_id: int, **fields: Any) -> SearchDocument:
    return make_document(
        offer_id,
        status=None,
        open_places=None,
        total_wait_weeks=None,
        measured_at=None,
        valid_until=None,
        **fields,
    )


def ids(backend: MeiliBackend, **query: Any) -> list[int]:
    return [hit.id for hit in backend.search(SearchQuery(**query), NOW).items]


def settings_updates(backend: MeiliBackend) -> int:
    client = Client(backend.url, backend._client.config.api_key)
    return client.get_tasks({"indexUids": [backend.index], "types": ["settingsUpdate"]}).total


def test_settings_are_applied_on_first_use_and_not_sent_again_when_unchanged(
    meili: MeiliBackend,
) -> None:
    meili.upsert([make_document(1)])

    current = Client(meili.url, meili._client.config.api_key).index(meili.index).get_settings()
    assert not settings_differ(index_settings(), current)
    assert current["typoTolerance"]["minWordSizeForTypos"] == {"oneTypo": 5, "twoTypos": 9}
    assert settings_updates(meili) == 1

    # A new process (web worker, relay) finds them in place and sends nothing.
    again = MeiliBackend(meili.url, meili._client.config.api_key, index=meili.index)
    assert ids(again) == [1]
    assert settings_updates(meili) == 1


def test_settings_changed_on_the_server_are_put_back(meili: MeiliBackend) -> None:
    meili.upsert([make_document(1)])
    client = Client(meili.url, meili._client.config.api_key)
    client.wait_for_task(client.index(meili.index).reset_ranking_rules().task_uid)

    fingerprint(MeiliBackend(meili.url, meili._client.config.api_key, index=meili.index))

    current = client.index(meili.index).get_settings()
    assert current["rankingRules"] == index_settings()["rankingRules"]


def test_documents_come_back_as_hits_with_their_figures(meili: MeiliBackend) -> None:
    measured = datetime(2026, 2, 20, 8, 30, 15, 123456, tzinfo=UTC)
    meili.upsert(
        [
            make_document(
                7,
                name="Zorgboerderij De Wei",
                organisation="Stichting Wei",
                status="open",
                open_places=3,
                total_wait_weeks=0,
                measured_at=measured,
            )
        ]
    )

    result = meili.search(SearchQuery(near=Point(51.92, 4.48)), NOW)

    assert result.total == 1
    assert result.items == [
        Hit(
            id=7,
            name="Zorgboerderij De Wei",
            kind=OfferKind.YOUTH_CARE,
            organisation="Stichting Wei",
            municipality="GM0599",
            status="open",
            open_places=3,
            total_wait_weeks=0,
            measured_at=measured,
            stale=False,
            distance_km=0.0,
        )
    ]


def test_an_upsert_replaces_and_a_delete_removes(meili: MeiliBackend) -> None:
    meili.upsert([make_document(1), make_document(2), make_document(3)])
    meili.upsert([make_document(2, name="Nieuwe naam")])
    meili.delete([3, 99])

    result = meili.search(SearchQuery(), NOW)
    assert [(hit.id, hit.name) for hit in result.items] == [(1, "Aanbod 1"), (2, "Nieuwe naam")]


def test_stale_figures_count_as_unknown(meili: MeiliBackend) -> None:
    meili.upsert(
        [
            make_document(1, status="open", open_places=2, total_wait_weeks=14),
            make_document(2, status="waitlist", open_places=0, total_wait_weeks=12),
            # Was open with a short wait, but its figure expired yesterday.
            make_document(
                3, status="open", open_places=5, total_wait_weeks=1, valid_until=STALE_SINCE
            ),
            no_figure(4),
            make_document(5, status="waitlist", total_wait_weeks=3, valid_until=STALE_SINCE),
            make_document(6, status="assessment_required", total_wait_weeks=None),
        ]
    )

    assert ids(meili, has_places=True) == [1]
    assert ids(meili, has_places=False) == [2, 3, 4, 5, 6]
    assert ids(meili, max_wait_weeks=20) == [1, 2]
    result = meili.search(SearchQuery(), NOW)
    assert result.facets["status"] == {
        "open": 1,
        "waitlist": 1,
        "assessment_required": 1,
        "unknown": 3,
    }
    stale = {hit.id: hit for hit in result.items}[3]
    assert (stale.status, stale.open_places, stale.total_wait_weeks, stale.stale) == (
        "unknown",
        None,
        None,
        True,
    )
    assert {hit.id: hit.stale for hit in result.items}[4] is False
    # Known fresh waits first, by wait; then stale and unknown, by id.
    assert ids(meili, sort=Sort.WAIT) == [2, 1, 3, 4, 5, 6]
    # The same figures a week earlier: all fresh.
    earlier = meili.search(SearchQuery(sort=Sort.WAIT), NOW - timedelta(days=7))
    assert [hit.id for hit in earlier.items] == [3, 5, 2, 1, 4, 6]


def test_wait_pages_neither_repeat_nor_skip(meili: MeiliBackend) -> None:
    documents = [
        make_document(offer_id, total_wait_weeks=offer_id % 4)
        if offer_id % 3
        else make_document(offer_id, valid_until=STALE_SINCE)
        for offer_id in range(1, 24)
    ]
    meili.upsert(documents)
    everything = ids(meili, sort=Sort.WAIT, per_page=100)

    for per_page in (1, 4, 5, 7):
        pages = []
        for page in range(1, 30):
            result = meili.search(SearchQuery(sort=Sort.WAIT, page=page, per_page=per_page), NOW)
            assert result.total == 23
            pages.extend(hit.id for hit in result.items)
        assert pages == everything
    fresh = [doc for doc in documents if doc.valid_until == FRESH_UNTIL]
    expected_fresh = sorted(fresh, key=lambda doc: (doc.total_wait_weeks, doc.id))
    assert everything[: len(fresh)] == [doc.id for doc in expected_fresh]


def test_filters_and_facets_with_none_buckets(meili: MeiliBackend) -> None:
    meili.upsert(
        [
            make_document(1, kind=OfferKind.SPECIAL_EDUCATION, cluster=4, ijw_category=None),
            make_document(2, kind=OfferKind.SPECIAL_EDUCATION, cluster=None, ijw_category=None),
            make_document(3, ijw_category=45, min_age=12, max_age=None, accepts_pgb=True),
            make_document(
                4,
                municipality="GM0796",
                municipalities=("GM0599", "GM0796"),
                contracted_by=(),
                min_age=None,
            ),
            make_document(5, municipality=None, municipalities=(), lat=None, lon=None),
        ]
    )

    result = meili.search(SearchQuery(), NOW)
    assert result.total == 5
    assert result.facets["kind"] == {"special_education": 2, "youth_care": 3}
    assert result.facets["cluster"] == {"4": 1, "none": 4}
    assert result.facets["ijw_category"] == {"45": 3, "none": 2}
    assert result.facets["municipality"] == {"GM0599": 4, "GM0796": 1, "none": 1}
    assert ids(meili, kinds=(OfferKind.SPECIAL_EDUCATION,), clusters=(4, 3)) == [1]
    assert ids(meili, age=2) == [4]
    assert ids(meili, age=20) == [3]
    assert ids(meili, municipality="GM0796") == [4]
    assert ids(meili, contracted_by="GM0599") == [1, 2, 3, 5]
    assert ids(meili, accepts_pgb=True) == [3]
    assert ids(meili, ijw_categories=(45,), accepts_pgb=False) == [4, 5]


def test_distance_sorts_nearest_first_and_radius_limits(meili: MeiliBackend) -> None:
    rotterdam, utrecht, groningen = (51.92, 4.48), (52.09, 5.12), (53.22, 6.57)
    meili.upsert(
        [
            make_document(1, lat=groningen[0], lon=groningen[1]),
            make_document(2, lat=utrecht[0], lon=utrecht[1]),
            make_document(3, lat=None, lon=None),
            make_document(4, lat=rotterdam[0], lon=rotterdam[1]),
            make_document(5, lat=rotterdam[0], lon=rotterdam[1]),
        ]
    )
    near = Point(*rotterdam)

    result = meili.search(SearchQuery(near=near, sort=Sort.DISTANCE), NOW)
    assert [hit.id for hit in result.items] == [4, 5, 2, 1, 3]
    distances = [hit.distance_km for hit in result.items]
    assert distances[0] == 0.0
    assert distances[2] == pytest.approx(48, abs=3)
    assert distances[2] == round(distances[2], 1)
    assert distances[4] is None
    assert ids(meili, near=near, radius_km=60, sort=Sort.DISTANCE) == [4, 5, 2]


def test_updated_sorts_newest_figure_first_and_relevance_without_text_by_id(
    meili: MeiliBackend,
) -> None:
    meili.upsert(
        [
            make_document(3, measured_at=NOW - timedelta(days=5)),
            no_figure(1),
            make_document(2, measured_at=NOW - timedelta(days=1), valid_until=STALE_SINCE),
            make_document(4, measured_at=NOW - timedelta(days=5)),
        ]
    )

    assert ids(meili, sort=Sort.UPDATED) == [2, 3, 4, 1]
    assert ids(meili) == [1, 2, 3, 4]


def test_text_search_finds_typos_synonyms_and_compound_parts(meili: MeiliBackend) -> None:
    meili.upsert(
        [
            make_document(1, name="Zorgboerderij De Wei", text="Zorgboerderij De Wei dagbesteding"),
            make_document(2, name="Autisme team", text="Autisme team jeugdhulp"),
            make_document(3, name="Logopedie", text="Logopedie bij taalontwikkelingsstoornis"),
        ]
    )

    assert ids(meili, q="boerderij") == [1]
    assert ids(meili, q="autsime") == [2]
    assert ids(meili, q="tos") == [3]
    assert ids(meili, q="dagbesteding boerderij") == [1]
    assert ids(meili, q="de") == [1, 2, 3]  # only a stop word: everything


def test_rebuild_swaps_without_a_moment_of_empty_index(meili: MeiliBackend) -> None:
    meili.upsert([make_document(offer_id) for offer_id in (1, 2, 3)])
    seen_during_rebuild: list[list[int]] = []
    progress: list[int] = []

    def batches() -> Iterator[Sequence[SearchDocument]]:
        for start in (10, 20, 30):
            yield [make_document(offer_id) for offer_id in range(start, start + 5)]
            seen_during_rebuild.append(ids(meili, per_page=100))

    meili.rebuild(batches(), on_progress=progress.append)

    assert seen_during_rebuild == [[1, 2, 3]] * 3
    assert progress == [5, 5, 5]  # the size of each batch written
    assert meili.search(SearchQuery(), NOW).total == 15
    assert ids(meili, per_page=3) == [10, 11, 12]
    client = Client(meili.url, meili._client.config.api_key)
    uids = [index["uid"] for index in client.get_raw_indexes({"limit": 1000})["results"]]
    assert [uid for uid in uids if uid.startswith(meili.index)] == [meili.index]
    # The new index has every setting (a swap takes the index with its settings).
    assert not settings_differ(index_settings(), client.index(meili.index).get_settings())


def test_a_failed_rebuild_leaves_the_live_index_alone(meili: MeiliBackend) -> None:
    meili.upsert([make_document(1)])

    def batches() -> Iterator[Sequence[SearchDocument]]:
        yield [make_document(10)]
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        meili.rebuild(batches())

    assert ids(meili) == [1]
    client = Client(meili.url, meili._client.config.api_key)
    uids = [index["uid"] for index in client.get_raw_indexes({"limit": 1000})["results"]]
    assert [uid for uid in uids if uid.startswith(meili.index)] == [meili.index]


def test_fingerprint_matches_the_checksum_of_what_was_upserted(
    meili: MeiliBackend, session: Session
) -> None:
    organisation = create_organisation(session, name="Stichting Café")
    location = create_location(
        session, organisation, city="'s-Hertogenbosch", municipality_code="GM0613"
    )
    offers = [create_offer(session, organisation, [location]) for _ in range(3)]
    create_report(session, offers[0], now=NOW, open_places=2, status=AvailabilityStatus.OPEN)
    create_contract(session, offers[1], "GM0613")
    documents = build_documents(session, [offer.id for offer in offers], today=NOW.date(), now=NOW)

    assert fingerprint(meili) == Fingerprint(count=0, checksum=index_checksum([]))
    meili.upsert(list(documents.values()))

    expected = index_checksum((doc.id, document_digest(doc)) for doc in documents.values())
    assert fingerprint(meili).count == 3
    assert fingerprint(meili).checksum == expected
    meili.delete([offers[2].id])
    assert fingerprint(meili).count == 2
    assert fingerprint(meili).checksum != expected
    hit = meili.search(SearchQuery(has_places=True), NOW).items
    assert [(h.id, h.municipality, h.status, h.open_places) for h in hit] == [
        (offers[0].id, "GM0613", "open", 2)
    ]
    assert ids(meili, contracted_by="GM0613") == [offers[1].id]
    assert set(ids(meili, q="cafe hertogenbosch")) == {offers[0].id, offers[1].id}


def test_cleanup_tasks_removes_finished_tasks(meili: MeiliBackend) -> None:
    meili.upsert([make_document(1)])
    meili.delete([1])
    client = Client(meili.url, meili._client.config.api_key)

    def own_tasks() -> int:
        return client.get_tasks({"indexUids": [meili.index]}).total

    before = own_tasks()
    assert before >= 3  # index creation, settings, documents, deletion

    meili.cleanup_tasks(older_than=timedelta(hours=1))
    assert own_tasks() == before  # too recent to go
    assert meili.cleanup_tasks(older_than=timedelta(0)) >= before
    assert own_tasks() == 0


def test_an_unreachable_engine_raises_search_unavailable_naming_the_url() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    backend = MeiliBackend(f"http://127.0.0.1:{port}", "key", timeout=0.5)

    started = time.monotonic()
    with pytest.raises(SearchUnavailableError, match=f"127.0.0.1:{port}"):
        backend.search(SearchQuery(), NOW)
    assert time.monotonic() - started < 0.5


def test_an_engine_that_does_not_answer_times_out_within_the_timeout() -> None:
    # Accepts connections (the kernel does) but never answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        backend = MeiliBackend(url, "key", timeout=0.3)

        started = time.monotonic()
        with pytest.raises(SearchUnavailableError, match=r"did not answer within 0\.3 s"):
            backend.search(SearchQuery(), NOW)
        assert time.monotonic() - started < 1.0


def test_a_request_meilisearch_refuses_raises_value_error_with_its_message(
    meili: MeiliBackend,
) -> None:
    bad = MeiliBackend(meili.url, meili._client.config.api_key, index="no spaces allowed")

    with pytest.raises(ValueError, match="no spaces allowed"):
        bad.search(SearchQuery(), NOW)


def test_a_rebuild_removes_builds_abandoned_over_an_hour_ago(meili: MeiliBackend) -> None:
    meili.upsert([make_document(1)])
    client = Client(meili.url, meili._client.config.api_key)
    abandoned, running = (
        f"{meili.index}_20200101000000000000",
        f"{meili.index}_29990101000000000000",
    )
    for uid in (abandoned, running):
        client.wait_for_task(client.create_index(uid).task_uid, interval_in_ms=5)

    meili.rebuild([[make_document(2)]])

    uids = {index["uid"] for index in client.get_raw_indexes({"limit": 1000})["results"]}
    assert abandoned not in uids
    assert running in uids
    assert ids(meili) == [2]


def test_a_small_search_takes_milliseconds_not_a_nagle_stall(meili: MeiliBackend) -> None:
    # A keep-alive connection without TCP_NODELAY costs ~40 ms per call (measured here).
    meili.upsert([make_document(offer_id) for offer_id in range(1, 30)])
    timings = []
    for _ in range(30):
        started = time.perf_counter()
        meili.search(SearchQuery(q="aanbod", per_page=5), NOW)
        timings.append(time.perf_counter() - started)

    assert sorted(timings)[len(timings) // 2] < 0.02


def test_a_lost_index_answers_unavailable_not_empty_until_it_is_filled_again(
    meili: MeiliBackend,
) -> None:
    meili.upsert([make_document(1)])
    client = Client(*meili_server(), timeout=5)
    client.wait_for_task(client.delete_index(meili.index).task_uid, interval_in_ms=5)
    with pytest.raises(SearchUnavailableError):
        meili.search(SearchQuery(), NOW)
    with pytest.raises(SearchUnavailableError):  # and it stays so: searches create nothing
        meili.search(SearchQuery(), NOW)
    meili.upsert([make_document(1)])  # the worker's repair fills it again
    assert meili.search(SearchQuery(), NOW).total == 1
