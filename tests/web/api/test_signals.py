"""The public signals API, end to end: demo → evaluation → a provider publishes → resolved."""

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from directory.accounts.keys import create_key
from directory.catalogue.models import AvailabilityReport, Contract, CurrentAvailability, Offer
from directory.config import Settings
from directory.db import unit_of_work
from directory.devdata.demo import load_demo
from directory.signals.service import EvaluationSummary, evaluate_as_configured
from tests.http import assert_problem
from tests.web.conftest import publish_wait
from web.app import create_app

SIGNALS = "/api/v1/signals"
SETTINGS = Settings(_env_file=None, provider_rate_per_minute=1000)


class Clock:
    """The app's clock, moved forward by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(now: datetime) -> Clock:
    return Clock(now)


@pytest.fixture
def api(session_factory: sessionmaker[Session], clock: Clock) -> Iterator[TestClient]:
    with TestClient(create_app(SETTINGS, session_factory=session_factory, clock=clock)) as client:
        yield client


def evaluate(factory: sessionmaker[Session], now: datetime) -> EvaluationSummary:
    """As the scheduled job will: one unit of work."""
    with unit_of_work(factory) as session:
        return evaluate_as_configured(session, SETTINGS, now)


def test_signals_open_on_the_demo_and_resolve_when_providers_publish_short_waits(
    api: TestClient,
    session_factory: sessionmaker[Session],
    session: Session,
    clock: Clock,
    now: datetime,
) -> None:
    demo = load_demo(session, now)
    contracted = sorted(
        session.scalars(
            select(Contract.offer_id).where(
                Contract.bought_for(["GM0599"]),
                Contract.offer_id.in_(demo.stories["pgb_contracted"]),
            )
        )
    )
    keys = {}
    for offer_id in contracted:
        organisation_id = session.get_one(Offer, offer_id).organisation_id
        keys[offer_id] = create_key(session, organisation_id, ["availability:write"], "t", now)[1]
    session.commit()
    evaluate(session_factory, now)

    listing = api.get(SIGNALS, params={"municipality": "GM0599", "state": "open"})
    assert listing.status_code == 200, listing.text
    assert listing.headers["Cache-Control"] == "public, max-age=30"
    body = listing.json()
    assert body["total"] == len(body["items"]) > 0
    found = {(item["kind"], item["category"]): item for item in body["items"]}
    pgb = found[("pgb_route", "ijw:45")]
    gap = found[("education_gap", "education:cluster-3:so")]
    assert (pgb["state"], pgb["municipality"], pgb["resolved_at"]) == ("open", "GM0599", None)

    detail = api.get(f"{SIGNALS}/{pgb['id']}").json()
    assert sorted(item["offer_id"] for item in detail["evidence"]) == contracted
    assert all(item["name"] for item in detail["evidence"])
    assert {"status", "total_wait_weeks", "fresh", "valid_until"} <= set(detail["evidence"][0])
    (alternative,) = detail["alternatives"]
    assert alternative["offer_id"] == demo.stories["pgb_alternative"][0]
    assert {"status", "total_wait_weeks", "distance_km", "tariff_cents", "pgb_pays_cents"} <= set(
        alternative
    )
    # The demo's municipality has set no PGB tariff: what a PGB pays is not known, and said so.
    assert detail["pgb_tariff"] is None
    assert "nog geen pgb-tarief" in alternative["pgb_text"]["nl"]
    assert "The PGB route may then apply" in detail["text"]["en"]
    assert "kan de pgb-route van toepassing zijn" in detail["text"]["nl"]
    assert "right to" not in detail["text"]["en"]
    assert detail["norm"] == {
        "intake_weeks": 4,
        "treatment_weeks": 8,
        "total_weeks": 12,
        "source": "jeugdregio:JZ31",
        "source_text": {
            "nl": "norm van de jeugdregio (JZ31).",
            "en": "the youth-care region's norm (JZ31).",
        },
    }
    assert [t["state"] for t in detail["transitions"]] == ["open"]
    education = api.get(f"{SIGNALS}/{gap['id']}").json()
    assert education["evidence"]
    assert education["alternatives"] == []
    assert "pgb" in education["text"]["nl"].lower()  # "voor onderwijs bestaat geen pgb"
    # SO is primary education: the family turns to Rotterdam's primary SWV, named.
    (swv,) = education["samenwerkingsverbanden"]
    assert swv["code"] == "PO-28-12"
    assert f"Het samenwerkingsverband voor deze gemeente: {swv['name']}." in education["text"]["nl"]

    later = now + timedelta(hours=2)
    clock.now = later
    for offer_id, key in keys.items():
        publish_wait(api, key, offer_id, later, intake=2, treatment=4)
    assert evaluate(session_factory, later).resolved >= 1

    resolved = api.get(f"{SIGNALS}/{pgb['id']}").json()
    assert resolved["state"] == "resolved"
    assert datetime.fromisoformat(resolved["resolved_at"]) == later
    assert [t["state"] for t in resolved["transitions"]] == ["open", "resolved"]
    assert all(item["available"] for item in resolved["evidence"])
    still_open = api.get(SIGNALS, params={"municipality": "GM0599", "state": "open"}).json()
    assert pgb["id"] not in {item["id"] for item in still_open["items"]}
    assert gap["id"] in {item["id"] for item in still_open["items"]}
    closed = api.get(SIGNALS, params={"state": "resolved", "kind": "pgb_route"}).json()
    assert pgb["id"] in {item["id"] for item in closed["items"]}


def test_signals_filter_by_category_and_page(
    api: TestClient, session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    load_demo(session, now)
    session.commit()
    evaluate(session_factory, now)
    ambulant = api.get(SIGNALS, params={"category": "ijw:45"}).json()
    assert ambulant["total"] >= 1
    assert {item["category"] for item in ambulant["items"]} == {"ijw:45"}
    first = api.get(SIGNALS, params={"per_page": 1}).json()
    second = api.get(SIGNALS, params={"per_page": 1, "page": 2}).json()
    assert first["total"] == second["total"] > 1
    assert first["items"][0]["id"] != second["items"][0]["id"]


def test_bad_signal_parameters_are_all_named(api: TestClient) -> None:
    params = {
        "municipality": "Rotterdam",
        "state": "closed",
        "kind": "pgb",
        "category": "ijw:99",
    }
    problem = assert_problem(api.get(SIGNALS, params=params), 422)
    names = sorted(param["name"] for param in problem["invalid_params"])
    assert names == ["category", "kind", "municipality", "state"]
    assert_problem(api.get(SIGNALS, params={"per_page": "1000"}), 422)


def test_unknown_signals_are_not_found(api: TestClient) -> None:
    for signal_id in (999_999, 2**40):
        assert_problem(api.get(f"{SIGNALS}/{signal_id}"), 404)


def test_an_expired_figure_turns_a_shortage_into_unknown_and_a_fresh_one_turns_it_back(
    api: TestClient, session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    demo = load_demo(session, now)
    contracted = sorted(
        session.scalars(
            select(Contract.offer_id).where(
                Contract.bought_for(["GM0599"]),
                Contract.offer_id.in_(demo.stories["pgb_contracted"]),
            )
        )
    )
    chased = contracted[0]
    organisation_id = session.get_one(Offer, chased).organisation_id
    key = create_key(session, organisation_id, ["availability:write"], "t", now)[1]
    session.commit()
    evaluate(session_factory, now)
    shortages = api.get(SIGNALS, params={"municipality": "GM0599", "category": "ijw:45"}).json()
    (pgb,) = shortages["items"]
    assert (pgb["kind"], pgb["state"]) == ("pgb_route", "open")

    # The figure of one contracted provider expired yesterday: nobody knows whether it could
    # start within the norm, so there is no shortage to state, only a provider to chase.
    report_id = session.scalar(
        select(CurrentAvailability.report_id).where(CurrentAvailability.offer_id == chased)
    )
    session.get_one(AvailabilityReport, report_id).valid_until = now - timedelta(days=1)
    session.commit()
    evaluate(session_factory, now)

    after = api.get(f"{SIGNALS}/{pgb['id']}").json()
    assert after["state"] == "resolved"
    listed = api.get(SIGNALS, params={"municipality": "GM0599", "state": "open"}).json()
    assert pgb["id"] not in {item["id"] for item in listed["items"]}
    tasks = api.get(
        SIGNALS, params={"municipality": "GM0599", "kind": "figures_unknown", "state": "open"}
    ).json()
    (task,) = [item for item in tasks["items"] if item["category"] == "ijw:45"]
    detail = api.get(f"{SIGNALS}/{task['id']}").json()
    stale = [item for item in detail["evidence"] if item["reason_code"] == "stale"]
    assert [item["offer_id"] for item in stale] == [chased]
    assert detail["alternatives"] == []
    assert "geen tekort" in detail["text"]["nl"]
    assert "not a shortage" in detail["text"]["en"]

    # The provider publishes again, still longer than the norm: a shortage once more.
    publish_wait(api, key, chased, now, intake=10, treatment=20)
    evaluate(session_factory, now)

    again = api.get(f"{SIGNALS}/{pgb['id']}").json()
    assert (again["state"], [t["state"] for t in again["transitions"]]) == (
        "open",
        ["open", "resolved", "open"],
    )
    assert api.get(f"{SIGNALS}/{task['id']}").json()["state"] == "resolved"
