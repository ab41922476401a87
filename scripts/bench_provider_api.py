"""Provider API figures over HTTP (one uvicorn worker, SQLite): single availability
reports per second, and the time to apply a 10,000-row CSV upload.

Builds a throwaway SQLite catalogue (migrations, reference data, `generate_catalogue`),
moves every offer to one organisation and gives it an API key, starts the app with uvicorn
in a subprocess on 127.0.0.1, then per run: posts `--reports` single reports one after the
other on one keep-alive connection, and posts a CSV with one row per offer (fresh
`measured_at` each run, no Idempotency-Key, so every run applies all rows and makes them
current). Prints each run and the medians.

Usage: .venv/bin/python scripts/bench_provider_api.py [--rows 10000] [--reports 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx2
from sqlalchemy import func, select, update
from starlette.applications import Starlette

from directory.accounts.keys import create_key
from directory.catalogue.models import Offer
from directory.config import Settings
from directory.db import make_engine, make_session_factory, unit_of_work
from directory.devdata.generate import generate_catalogue
from directory.migrate import upgrade
from directory.reference import load_reference_data
from providers.bulk_reading import CSV_COLUMNS
from web.app import create_app

URL_VARIABLE = "BENCH_PROVIDER_API_DATABASE_URL"
UPLOAD = "/api/v1/provider/availability/bulk"
REPORT = "/api/v1/provider/offers/{offer_id}/availability"


def app() -> Starlette:
    """The app uvicorn serves (`--factory`), on the database the parent process built.
    The rate limit is lifted: the benchmark measures the server, not the limiter."""
    settings = Settings(
        _env_file=None, database_url=os.environ[URL_VARIABLE], provider_rate_per_minute=10**9
    )
    return create_app(settings)


def build_database(url: str, offers: int) -> tuple[str, list[int]]:
    """A catalogue whose offers all belong to one organisation; its key and offer ids."""
    engine = make_engine(url)
    upgrade(engine)
    now = datetime.now(UTC)
    with unit_of_work(make_session_factory(engine)) as session:
        load_reference_data(session)
        generate_catalogue(session, offers=offers, now=now)
        organisation_id = session.scalar(select(func.min(Offer.organisation_id)))
        assert organisation_id is not None
        # The generator spreads offers over many organisations; a key sees only its own.
        session.execute(
            update(Offer).values(organisation_id=organisation_id),
            execution_options={"synchronize_session": False},
        )
        _client, key = create_key(session, organisation_id, ["availability:write"], "bench", now)
        offer_ids = list(session.scalars(select(Offer.id).order_by(Offer.id)))
    engine.dispose()
    return key, offer_ids


def csv_upload(offer_ids: list[int], measured_at: datetime) -> bytes:
    """One row per offer, with figures that vary a little from offer to offer."""
    lines = [",".join(CSV_COLUMNS)]
    stamp = measured_at.isoformat()
    for offer_id in offer_ids:
        wait = offer_id % 30
        lines.append(
            f"{offer_id},waitlist,{offer_id % 3},{wait},{wait // 3},{wait % 8},{wait},"
            f"current,{stamp},,,"
        )
    return ("\r\n".join(lines) + "\r\n").encode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_up(client: httpx2.Client, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server stopped before answering")
        try:
            if client.get("/health").status_code == 200:
                return
        except httpx2.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not answer within 30 s")


def time_upload(client: httpx2.Client, key: str, offer_ids: list[int], run: int) -> float:
    # A second back, so the server's clock never sees it in the future; newer each run.
    body = csv_upload(offer_ids, datetime.now(UTC) - timedelta(seconds=1))
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "text/csv"}
    started = time.perf_counter()
    response = client.post(UPLOAD, content=body, headers=headers)
    elapsed = time.perf_counter() - started
    if response.status_code != 201:
        raise SystemExit(f"run {run}: {response.status_code} {response.text[:500]}")
    answer = response.json()
    print(
        f"run {run}: {elapsed:.2f} s for {len(body) / 1e6:.2f} MB, "
        f"{answer['applied']} applied, {answer['became_current']} became current",
        flush=True,
    )
    return elapsed


def time_reports(
    client: httpx2.Client, key: str, offer_ids: list[int], run: int, count: int
) -> float:
    """Reports per second for `count` single reports sent one after the other."""
    headers = {"Authorization": f"Bearer {key}"}
    measured_at = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
    started = time.perf_counter()
    for number in range(count):
        offer_id = offer_ids[number % len(offer_ids)]
        body = {
            "status": "waitlist",
            "intake_wait_weeks": number % 12,
            "treatment_wait_weeks": number % 20,
            "measured_at": measured_at,
        }
        response = client.post(REPORT.format(offer_id=offer_id), json=body, headers=headers)
        if response.status_code != 201:
            raise SystemExit(f"run {run}: {response.status_code} {response.text[:500]}")
    rate = count / (time.perf_counter() - started)
    print(f"run {run}: {rate:.0f} single reports/s over {count} requests", flush=True)
    return rate


def main() -> None:
    """Build the database, start the server, time the uploads, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000, help="offers, one row each")
    parser.add_argument("--reports", type=int, default=1_000, help="single reports per run")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-provider-api-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        print(f"building a catalogue of {args.rows} offers ...", flush=True)
        key, offer_ids = build_database(url, args.rows)
        port = free_port()
        command = [
            sys.executable, "-m", "uvicorn", "bench_provider_api:app", "--factory",
            "--app-dir", str(Path(__file__).parent), "--host", "127.0.0.1",
            "--port", str(port), "--workers", "1", "--log-level", "warning", "--no-access-log",
        ]  # fmt: skip
        server = subprocess.Popen(command, env={**os.environ, URL_VARIABLE: url})  # noqa: S603
        try:
            with httpx2.Client(base_url=f"http://127.0.0.1:{port}", timeout=300) as client:
                wait_until_up(client, server)
                rates, times = [], []
                for run in range(1, args.runs + 1):
                    rates.append(time_reports(client, key, offer_ids, run, args.reports))
                    times.append(time_upload(client, key, offer_ids, run))
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"median of {len(rates)} runs: {statistics.median(rates):.0f} single reports/s")
    print(f"median of {len(times)} runs: {statistics.median(times):.2f} s per {args.rows}-row CSV")


if __name__ == "__main__":
    main()
