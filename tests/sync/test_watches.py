"""The watch job end to end: a watch's search through the database search index, its
alerts once per episode, and their notifications to the watch's organisation only."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from directory.catalogue.models import Offer, Organisation
from directory.catalogue.service import queue_index
from directory.config import Settings
from directory.db import unit_of_work
from directory.enums import AvailabilityStatus, OfferKind, OrganisationKind, SchoolType
from directory.notifications.models import Notification, WebhookSubscription
from directory.notifications.service import WATCH_ALERT_EVENT, add_organisation_webhook
from directory.watches.models import Watch, WatchAlert
from directory.watches.service import WatchInput, create_watch
from search.backend import SearchUnavailableError
from search.query import Point, SearchQuery, SearchResult
from search.service import Search
from search.sqlindex import SqlIndex
from sync import watches as sync_watches
from sync.relay import relay_once
from sync.signals import evaluate_all_signals
from sync.watches import WatchRun, evaluate_watches, search_json, search_query
from tests.factories import (
    create_contract,
    create_location,
    create_offer,
    create_organisation,
    create_report,
)

SETTINGS = Settings(_env_file=None)
ROTTERDAM = "GM0599"


def make_search(session_factory: sessionmaker[Session]) -> Search:
    dialect = session_factory.kw["bind"].dialect.name
    mode = "fts" if dialect == "sqlite" else "substring"
    return Search(primary=SqlIndex(session_factory, text_mode=mode))


def municipality(session: Session) -> Organisation:
    return create_organisation(
        session, kind=OrganisationKind.MUNICIPALITY, name="Gemeente", email="wijkteam@gemeente.nl"
    )


def care_offer(session: Session, now: datetime) -> Offer:
    organisation = create_organisation(session)
    location = create_location(session, organisation, lat=51.92, lon=4.48)
    offer = create_offer(session, organisation, locations=[location], ijw_category=45)
    create_contract(session, offer, ROTTERDAM)
    publish(session, offer, now, AvailabilityStatus.WAITLIST, weeks=30)
    return offer


def publish(
    session: Session,
    offer: Offer,
    at: datetime,
    status: AvailabilityStatus,
    weeks: int,
    places: int = 0,
) -> None:
    create_report(
        session,
        offer,
        now=at,
        status=status,
        open_places=places,
        intake_wait_weeks=weeks,
        treatment_wait_weeks=0,
    )


def watched_open_offer(
    session: Session, now: datetime, reference: str, category: str | None = None
) -> tuple[Offer, Watch]:
    """A contracted offer with two open places now, and a municipality's watch on every
    offer (of `category`, when given), committed."""
    watcher = municipality(session)
    offer = care_offer(session, now)
    publish(session, offer, now, AvailabilityStatus.OPEN, weeks=1, places=2)
    watch = create_watch(
        session, watcher.id, WatchInput(reference, ROTTERDAM, category, {}), now=now
    )
    session.commit()
    return offer, watch


def run(factory: sessionmaker[Session], search: Search, at: datetime) -> WatchRun:
    """As the scheduler does: the index catches up (the relay), then the watch job."""
    relay_once(factory, search.backends, at)
    return evaluate_watches(factory, search, SETTINGS, at)


def alerts(session: Session, watch_id: int) -> list[tuple[str, int, bool]]:
    session.expire_all()
    rows = session.scalars(
        select(WatchAlert).where(WatchAlert.watch_id == watch_id).order_by(WatchAlert.id)
    )
    return [(row.event, row.subject_id, row.ended_at is None) for row in rows]


def test_each_event_is_alerted_once_per_episode_to_the_watchs_organisation(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    search = make_search(session_factory)
    watcher = municipality(session)
    hook = add_organisation_webhook(
        session, watcher.id, url="http://127.0.0.1:9/hook", secret="s", now=now
    )
    public = WebhookSubscription(url="http://127.0.0.1:9/public", secret="p", events=[])
    session.add(public)
    offer = care_offer(session, now)
    query = SearchQuery(kinds=(offer.kind,), ijw_categories=(45,), municipality=ROTTERDAM)
    watch = create_watch(
        session,
        watcher.id,
        WatchInput("WT-2026-0142", ROTTERDAM, "ijw:45", search_json(query, None)),
        now=now,
    )
    session.commit()

    assert run(session_factory, search, now) == WatchRun(1, 0, 0)  # 30 weeks: nothing yet

    evaluate_all_signals(session_factory, SETTINGS, now)  # no contracted offer within norm
    assert run(session_factory, search, now).alerts == 1
    signal_alert = alerts(session, watch.id)
    assert [(event, running) for event, _, running in signal_alert] == [("pgb_route", True)]
    assert run(session_factory, search, now).alerts == 0  # evaluated again: nothing new

    later = now + timedelta(hours=1)
    publish(session, offer, later, AvailabilityStatus.OPEN, weeks=1, places=2)
    session.commit()
    assert run(session_factory, search, later).alerts == 2
    assert alerts(session, watch.id)[1:] == [
        ("place_opened", offer.id, True),
        ("wait_within_norm", offer.id, True),
    ]
    evaluate_all_signals(session_factory, SETTINGS, later)  # the gap closes
    assert run(session_factory, search, later).alerts == 0
    assert alerts(session, watch.id)[0][2] is False  # the PGB episode ended

    # The place is taken, then opens again: a new episode, a new alert.
    publish(session, offer, later + timedelta(hours=1), AvailabilityStatus.WAITLIST, weeks=30)
    session.commit()
    run(session_factory, search, later + timedelta(hours=1))
    publish(session, offer, later + timedelta(hours=2), AvailabilityStatus.OPEN, 1, places=1)
    session.commit()
    assert run(session_factory, search, later + timedelta(hours=2)).alerts == 2
    events = [event for event, _, running in alerts(session, watch.id) if running]
    assert events == ["place_opened", "wait_within_norm"]
    assert len(alerts(session, watch.id)) == 5

    sent = session.scalars(
        select(Notification)
        .where(Notification.event == WATCH_ALERT_EVENT)
        .order_by(Notification.id)
    ).all()
    assert len(sent) == 2 * 5  # each alert: the organisation's webhook and its e-mail
    assert {n.recipient for n in sent} == {hook.url, "wijkteam@gemeente.nl"}
    assert all(n.payload["case_reference"] == "WT-2026-0142" for n in sent)
    email = next(n for n in sent if n.channel == "email")
    assert "WT-2026-0142" in email.subject
    assert "kan de pgb-route van toepassing zijn" in email.payload["text"]


def test_a_watch_sees_what_its_search_would_show_and_ignores_other_searches(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    search = make_search(session_factory)
    watcher = municipality(session)
    offer = care_offer(session, now)
    publish(session, offer, now, AvailabilityStatus.OPEN, weeks=2, places=1)
    near = search_json(SearchQuery(near=Point(51.92, 4.48), radius_km=5), "Rotterdam")
    far = search_json(SearchQuery(near=Point(53.2, 6.56), radius_km=5), "Groningen")
    elsewhere = create_watch(
        session, watcher.id, WatchInput("A-1", ROTTERDAM, "ijw:45", far), now=now
    )
    here = create_watch(session, watcher.id, WatchInput("A-2", ROTTERDAM, "ijw:45", near), now=now)
    session.commit()

    assert run(session_factory, search, now).alerts == 2
    assert {event for event, _, _ in alerts(session, here.id)} == {
        "place_opened",
        "wait_within_norm",
    }
    assert alerts(session, elsewhere.id) == []
    with unit_of_work(session_factory, read_only=True) as reading:
        assert reading.get_one(Watch, here.id).evaluated_at == now


def test_a_stored_search_reads_back_as_the_query_it_was() -> None:
    query = SearchQuery(
        q="autisme", ijw_categories=(45,), age=9, near=Point(51.9, 4.5), radius_km=10
    )
    stored = search_json(query, "Rotterdam")
    assert stored == {
        "q": "autisme",
        "ijw_category": [45],
        "age": 9,
        "near": "Rotterdam",
        "radius_km": 10,
        "point": [51.9, 4.5],
    }
    back = search_query(stored)
    assert (back.q, back.ijw_categories, back.age, back.near, back.radius_km) == (
        "autisme",
        (45,),
        9,
        Point(51.9, 4.5),
        10,
    )


class Flaky:
    """A search backend that breaks on one query, and answers the others from the index."""

    def __init__(self, index: SqlIndex) -> None:
        self.index = index

    def search(
        self, query: SearchQuery, now: datetime, session: Session | None = None
    ) -> SearchResult:
        if query.q == "stuk":
            raise RuntimeError("the search engine broke")
        return self.index.search(query, now)


def test_a_watch_whose_search_fails_does_not_stop_the_others(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    index = make_search(session_factory).primary
    assert isinstance(index, SqlIndex)
    search = Search(primary=Flaky(index))  # type: ignore[arg-type]
    watcher = municipality(session)
    offer = care_offer(session, now)
    publish(session, offer, now, AvailabilityStatus.OPEN, weeks=2, places=1)
    broken = search_json(SearchQuery(q="stuk"), None)
    create_watch(session, watcher.id, WatchInput("B-1", ROTTERDAM, None, broken), now=now)
    fine = create_watch(session, watcher.id, WatchInput("B-2", ROTTERDAM, None, {}), now=now)
    session.commit()
    relay_once(session_factory, [index], now)

    outcome = evaluate_watches(session_factory, search, SETTINGS, now)
    assert (outcome.watches, outcome.failed) == (1, 1)
    assert ("place_opened", offer.id, True) in alerts(session, fine.id)


class Down:
    """Meilisearch, unreachable."""

    def search(
        self, query: SearchQuery, now: datetime, session: Session | None = None
    ) -> SearchResult:
        raise SearchUnavailableError("connection refused")


def test_a_degraded_search_holds_back_watches_with_words_and_lets_the_others_run(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    search = make_search(session_factory)
    watcher = municipality(session)
    offer = care_offer(session, now)
    offer.name = "Ambulante gezinshulp"
    publish(session, offer, now, AvailabilityStatus.OPEN, weeks=1, places=2)
    words = create_watch(
        session,
        watcher.id,
        WatchInput(
            "WT-2026-0142", ROTTERDAM, "ijw:45", search_json(SearchQuery(q="gezinshulp"), None)
        ),
        now=now,
    )
    session.commit()
    assert run(session_factory, search, now).alerts == 2
    before = alerts(session, words.id)
    filters = create_watch(
        session,
        watcher.id,
        WatchInput("WT-2026-0143", ROTTERDAM, "ijw:45", search_json(SearchQuery(), None)),
        now=now,
    )
    session.commit()

    # Meilisearch is down: the database answers. It filters exactly, so the watch without
    # words runs (and alerts); the one with words waits, unchanged, and counts as failed.
    later = now + timedelta(minutes=1)
    database = SqlIndex(session_factory, text_mode="substring")
    degraded = Search(primary=Down(), fallback=database)  # type: ignore[arg-type]
    assert evaluate_watches(session_factory, degraded, SETTINGS, later) == WatchRun(1, 2, 1)
    assert alerts(session, words.id) == before  # no episode ended
    assert len(alerts(session, filters.id)) == 2
    with unit_of_work(session_factory, read_only=True) as reading:
        assert reading.get_one(Watch, words.id).evaluated_at == now  # not looked at

    # Meilisearch is back: the same events, so no alert again.
    assert run(session_factory, search, later + timedelta(minutes=1)).alerts == 0
    assert alerts(session, words.id) == before


def test_a_stale_figure_published_again_raises_no_second_alert(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    search = make_search(session_factory)
    offer, watch = watched_open_offer(session, now, "WT-7", "ijw:45")
    assert run(session_factory, search, now).alerts == 2

    expired = now + timedelta(days=40)  # past valid_until: the figure is unknown
    assert run(session_factory, search, expired).alerts == 0
    assert all(running for _, _, running in alerts(session, watch.id))

    publish(session, offer, expired, AvailabilityStatus.OPEN, weeks=1, places=2)
    session.commit()
    assert run(session_factory, search, expired + timedelta(minutes=1)).alerts == 0
    assert len(alerts(session, watch.id)) == 2


def test_dropping_out_of_the_first_results_and_back_raises_no_second_alert(
    session_factory: sessionmaker[Session],
    session: Session,
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sync_watches, "MAX_MATCHES", 1)  # the first result only
    search = make_search(session_factory)
    watcher = municipality(session)
    first = care_offer(session, now)
    publish(session, first, now, AvailabilityStatus.OPEN, weeks=2, places=1)
    watch = create_watch(session, watcher.id, WatchInput("WT-8", ROTTERDAM, None, {}), now=now)
    session.commit()
    assert run(session_factory, search, now).alerts == 2

    later = now + timedelta(hours=1)
    shorter = care_offer(session, later)  # a shorter wait ranks first: `first` drops out
    publish(session, shorter, later + timedelta(minutes=1), AvailabilityStatus.WAITLIST, 0)
    session.commit()
    run(session_factory, search, later + timedelta(minutes=1))
    of_first = [
        (event, on) for event, offer_id, on in alerts(session, watch.id) if offer_id == first.id
    ]
    assert of_first == [("place_opened", True), ("wait_within_norm", True)]  # still running

    publish(session, shorter, later + timedelta(hours=1), AvailabilityStatus.WAITLIST, 40)
    session.commit()
    run(session_factory, search, later + timedelta(hours=1))  # `first` is back on top
    assert [subject for _, subject, _ in alerts(session, watch.id)].count(first.id) == 2


def test_a_deleted_offer_ends_its_episodes(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    search = make_search(session_factory)
    offer, watch = watched_open_offer(session, now, "WT-9")
    assert run(session_factory, search, now).alerts == 2

    offer.deleted_at = now + timedelta(minutes=1)  # as the provider API deletes
    queue_index(session, offer.id, "delete", now + timedelta(minutes=1))
    session.commit()
    run(session_factory, search, now + timedelta(minutes=2))
    assert [running for _, _, running in alerts(session, watch.id)] == [False, False]


def test_watch_e_mails_link_to_the_public_site(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    settings = Settings(_env_file=None, public_base_url="https://plekwijzer.example")
    search = make_search(session_factory)
    offer, watch = watched_open_offer(session, now, "WT-10")
    relay_once(session_factory, search.backends, now)
    assert evaluate_watches(session_factory, search, settings, now).alerts == 2

    email = session.scalars(
        select(Notification).where(Notification.channel == "email").order_by(Notification.id)
    ).first()
    assert email is not None
    text = email.payload["text"]
    assert f"Meer: https://plekwijzer.example/aanbod/{offer.id}" in text
    assert f"https://plekwijzer.example/api/v1/watches/{watch.id}/alerts" in text
    assert " /api/" not in text  # no bare paths


def test_a_stored_search_keeps_a_postcode_as_pc4_and_a_point_to_a_kilometre() -> None:
    stored = search_json(SearchQuery(near=Point(51.923456, 4.481234), radius_km=5), "3011 AB")
    assert (stored["near"], stored["point"]) == ("3011", [51.92, 4.48])
    typed = search_json(SearchQuery(near=Point(51.923456, 4.481234)), "51.923456,4.481234")
    assert typed["near"] == "51.92,4.48"


def test_the_watch_job_reads_the_running_episodes_of_all_watches_at_once(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    search = make_search(session_factory)
    watcher = municipality(session)
    offer = care_offer(session, now)
    publish(session, offer, now, AvailabilityStatus.OPEN, weeks=1, places=2)
    for number in range(3):
        create_watch(session, watcher.id, WatchInput(f"WT-{number}", ROTTERDAM, None, {}), now=now)
    session.commit()
    relay_once(session_factory, search.backends, now)
    statements: list[str] = []

    def seen(*args: object) -> None:
        statements.append(str(args[2]))

    engine = session_factory.kw["bind"]
    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert evaluate_watches(session_factory, search, SETTINGS, now) == WatchRun(3, 6, 0)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len([s for s in reads if "FROM watch_alert" in s]) == 1


def test_a_watch_for_one_groep_sees_that_groeps_figure_only(
    session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    search = make_search(session_factory)
    watcher = municipality(session)
    board = create_organisation(session)
    place = create_location(session, board, municipality_code=ROTTERDAM, lat=51.92, lon=4.48)
    school = create_offer(
        session,
        board,
        locations=[place],
        kind=OfferKind.SPECIAL_EDUCATION,
        school_type=SchoolType.SO,
        cluster=3,
        leerjaren=[1, 3],
    )
    create_report(session, school, now=now, leerjaar=1, status=AvailabilityStatus.OPEN,
                  open_places=2, intake_wait_weeks=0, treatment_wait_weeks=0)  # fmt: skip
    create_report(session, school, now=now, leerjaar=3, status=AvailabilityStatus.WAITLIST,
                  open_places=0, intake_wait_weeks=80, treatment_wait_weeks=0)  # fmt: skip
    watches = {
        groep: create_watch(
            session,
            watcher.id,
            WatchInput(
                f"G-{groep}", ROTTERDAM, None, search_json(SearchQuery(leerjaar=groep), None)
            ),
            now=now,
        )
        for groep in (1, 3)
    }
    session.commit()

    run(session_factory, search, now)
    assert ("place_opened", school.id, True) in alerts(session, watches[1].id)
    assert alerts(session, watches[3].id) == []  # groep 3 waits 80 weeks

    # Groep 1 fills up while groep 3 opens: groep 1's episode ends (the school as a whole
    # still has places, but not in groep 1), and groep 3's watch hears of its place.
    later = now + timedelta(hours=1)
    create_report(session, school, now=later, leerjaar=1, status=AvailabilityStatus.WAITLIST,
                  open_places=0, intake_wait_weeks=40, treatment_wait_weeks=0)  # fmt: skip
    create_report(session, school, now=later, leerjaar=3, status=AvailabilityStatus.OPEN,
                  open_places=1, intake_wait_weeks=0, treatment_wait_weeks=0)  # fmt: skip
    session.commit()
    run(session_factory, search, later)
    assert all(not running for _, _, running in alerts(session, watches[1].id))
    assert ("place_opened", school.id, True) in alerts(session, watches[3].id)
