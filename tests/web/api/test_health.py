from datetime import datetime, timedelta

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from directory.config import Settings
from directory.db import make_engine, make_session_factory
from directory.devdata.demo import load_demo
from sync.notify import SEND_NOTIFICATIONS
from sync.runner import Scheduler
from sync.signals import EVALUATE_SIGNALS
from web.app import create_app
from web.capabilities import JOB_SOURCES

SETTINGS = Settings(_env_file=None)


def test_health_reports_the_database_and_the_size_of_the_catalogue(
    session_factory: sessionmaker[Session], now: datetime
) -> None:
    with session_factory.begin() as session:
        load_demo(session, now)
    client = TestClient(create_app(Settings(), session_factory=session_factory))
    for path in ("/health", "/api/v1/health"):
        response = client.get(path)
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok"
        assert body["database"] == "ok"
        assert body["offers"] >= 150


def test_health_shows_each_jobs_last_run_success_failure_and_failure_count(
    session_factory: sessionmaker[Session], now: datetime
) -> None:
    scheduler = Scheduler(
        session_factory, SETTINGS, sources=JOB_SOURCES, send_notifications=failing_sender
    )
    assert scheduler.run_job(EVALUATE_SIGNALS, now) == "ran"
    assert scheduler.run_job(SEND_NOTIFICATIONS, now) == "failed"
    later = now + timedelta(seconds=10)
    assert scheduler.run_job(SEND_NOTIFICATIONS, later) == "failed"
    app = create_app(SETTINGS, session_factory=session_factory, clock=lambda: later)
    client = TestClient(app)

    response = client.get("/health")
    assert response.status_code == 200  # a failing job is reported, not a 503
    jobs = response.json()["jobs"]
    assert jobs[EVALUATE_SIGNALS] == {
        "state": "ok",
        "last_run_at": now.isoformat(),
        "last_succeeded_at": now.isoformat(),
        "last_failed_at": None,
        "runs": 1,
        "failures": 0,
    }
    sender = jobs[SEND_NOTIFICATIONS]
    assert (sender["state"], sender["failures"], sender["runs"]) == ("failing", 2, 2)
    assert sender["last_failed_at"] == later.isoformat()
    assert sender["last_succeeded_at"] is None
    assert "SMTP" not in response.text  # the error text stays in the logs


def failing_sender(_factory: sessionmaker[Session], _now: datetime) -> None:
    raise RuntimeError("SMTP server said no")


def test_health_says_so_when_the_database_is_unreachable() -> None:
    engine = make_engine(
        "postgresql+psycopg://nobody@127.0.0.1:9/nowhere", connect_args={"connect_timeout": 2}
    )
    client = TestClient(create_app(Settings(), session_factory=make_session_factory(engine)))
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}


def test_unknown_api_paths_answer_with_problem_json() -> None:
    client = TestClient(create_app(Settings(database_url="sqlite://")))
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["title"]) == (404, "Not Found")
    assert set(body) == {"type", "title", "status", "detail", "invalid_params"}


def test_a_job_that_has_not_run_for_too_long_is_late_and_health_still_answers_200(
    session_factory: sessionmaker[Session], now: datetime
) -> None:
    scheduler = Scheduler(
        session_factory, SETTINGS, sources=JOB_SOURCES, send_notifications=lambda _f, _n: None
    )
    assert scheduler.run_job(EVALUATE_SIGNALS, now) == "ran"
    assert scheduler.run_job(SEND_NOTIFICATIONS, now) == "ran"
    later = now + timedelta(minutes=5)  # sending runs every 10 s; signals every 15 min
    app = create_app(SETTINGS, session_factory=session_factory, clock=lambda: later)

    response = TestClient(app).get("/health")
    assert response.status_code == 200
    jobs = response.json()["jobs"]
    assert (jobs[SEND_NOTIFICATIONS]["state"], jobs[EVALUATE_SIGNALS]["state"]) == ("late", "ok")
    assert jobs[SEND_NOTIFICATIONS]["last_run_at"] == now.isoformat()


def test_health_counts_the_offers_at_most_once_a_minute(
    session_factory: sessionmaker[Session], now: datetime
) -> None:
    counted: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "count(" in statement.lower() and "FROM offer" in statement:
            counted.append(statement)

    engine = session_factory.kw["bind"]
    event.listen(engine, "before_cursor_execute", seen)
    try:
        client = TestClient(create_app(SETTINGS, session_factory=session_factory))
        answers = [client.get("/health") for _ in range(20)]
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert all(answer.status_code == 200 for answer in answers)
    assert len(counted) == 1  # a load balancer polling every second scans nothing more
