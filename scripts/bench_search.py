"""Search figures at scale, for each backend: full reindex time, in-process latency of a
fixed mix of 20 queries (text + filters + facets + sort), and the lag from a provider's
write to the change being searchable (with the outbox relay running as in production).

Builds (or reuses) a SQLite catalogue with `generate_catalogue`, then measures the
embedded engine (SQLite FTS5) and, when MEILI_URL / MEILI_MASTER_KEY are set, Meilisearch.

Usage: .venv/bin/python scripts/bench_search.py [--offers 100000] [--rounds 10]
       [--database PATH] [--per-query]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from directory.catalogue.models import Offer
from directory.catalogue.service import AvailabilityInput, Reporter, record_availability
from directory.db import unit_of_work
from directory.devdata.generate import catalogue_of_size
from directory.enums import AvailabilityStatus, OfferKind
from search.backend import SearchBackend
from search.meili import MeiliBackend
from search.query import Point, SearchQuery, Sort
from search.sqlindex import SqlIndex
from sync.relay import RelayThread, rebuild_index

ROTTERDAM = Point(51.9225, 4.47917)
UTRECHT = Point(52.09083, 5.12222)
YOUTH, DAY, SCHOOL = OfferKind.YOUTH_CARE, OfferKind.DAY_PROGRAMME, OfferKind.SPECIAL_EDUCATION

# A fixed mix like the pages send: text, filters, facets (always), and a sort.
QUERIES = [
    SearchQuery(q="autisme"),
    SearchQuery(q="autsime", kinds=(YOUTH,)),
    SearchQuery(q="dagbesteding", sort=Sort.WAIT),
    SearchQuery(q="boerderij", kinds=(DAY,)),
    SearchQuery(q="ggz", age=12, sort=Sort.WAIT),
    SearchQuery(q="angst", has_places=True),
    SearchQuery(kinds=(SCHOOL,), clusters=(4,), sort=Sort.WAIT),
    SearchQuery(kinds=(SCHOOL,), clusters=(3,), age=8, municipality="GM0599"),
    SearchQuery(ijw_categories=(45,), contracted_by="GM0599", sort=Sort.WAIT),
    SearchQuery(ijw_categories=(41, 43), max_wait_weeks=26),
    SearchQuery(accepts_pgb=True, kinds=(YOUTH,), max_wait_weeks=14, sort=Sort.WAIT),
    SearchQuery(near=ROTTERDAM, radius_km=15, sort=Sort.DISTANCE),
    SearchQuery(q="jeugdhulp", near=UTRECHT, radius_km=25, sort=Sort.DISTANCE),
    SearchQuery(has_places=True, sort=Sort.UPDATED),
    SearchQuery(q="trauma", kinds=(YOUTH, DAY), age=15),
    SearchQuery(q="ambulant", municipality="GM0344", sort=Sort.WAIT),
    SearchQuery(q="so cluster", page=3),
    SearchQuery(q="onderwijszorgarrangement", has_places=False),
    SearchQuery(kinds=(DAY,), age=6, contracted_by="GM0344", sort=Sort.WAIT),
    SearchQuery(q="gezinsbegeleiding", sort=Sort.UPDATED, per_page=50),
]


def build(url: str, offers: int) -> sessionmaker[Session]:
    factory, generated = catalogue_of_size(url, offers, datetime.now(UTC))
    if generated:
        print(f"generated {generated} offers", flush=True)
    return factory


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure_queries(backend: SearchBackend, rounds: int, per_query: bool = False) -> None:
    now = datetime.now(UTC)
    for query in QUERIES:  # warm caches once
        backend.search(query, now)
    times: list[list[float]] = [[] for _ in QUERIES]
    for _ in range(rounds):
        for query, own in zip(QUERIES, times, strict=True):
            started = time.perf_counter()
            backend.search(query, now)
            own.append((time.perf_counter() - started) * 1000)
    every = [elapsed for own in times for elapsed in own]
    print(
        f"{backend.name}: {len(every)} queries, p50 {statistics.median(every):.1f} ms, "
        f"p95 {percentile(every, 0.95):.1f} ms, max {max(every):.1f} ms",
        flush=True,
    )
    if per_query:
        for number, (query, own) in enumerate(zip(QUERIES, times, strict=True), start=1):
            median = statistics.median(own)
            print(f"  {number:2d}. median {median:5.1f} ms  {describe(query)}", flush=True)


def describe(query: SearchQuery) -> str:
    """The fields of `query` that differ from a blank one."""
    blank, shown = SearchQuery(), []
    for field in dataclasses.fields(query):
        value = getattr(query, field.name)
        if value != getattr(blank, field.name):
            text = "|".join(map(str, value)) if isinstance(value, tuple) else str(value)
            shown.append(f"{field.name}={text}")
    return " ".join(shown)


def measure_lag(factory: sessionmaker[Session], backend: SearchBackend, runs: int = 5) -> None:
    """From the commit of a provider's report to the new wait being searchable."""
    relay = RelayThread(factory, [backend], lambda: datetime.now(UTC), 0.2)
    relay.start()
    lags = []
    try:
        with unit_of_work(factory, read_only=True) as session:
            offer_id = session.scalar(select(func.min(Offer.id)))
        assert offer_id is not None
        for run in range(runs):
            weeks = 100 + run
            now = datetime.now(UTC)
            with unit_of_work(factory) as session:
                report = AvailabilityInput(
                    status=AvailabilityStatus.WAITLIST,
                    measured_at=now - timedelta(seconds=1),
                    intake_wait_weeks=weeks,
                    treatment_wait_weeks=0,
                )
                record_availability(
                    session, offer_id, report, Reporter("bench"), now=now,
                    default_validity=timedelta(days=31),
                )  # fmt: skip
            started = time.perf_counter()
            # Generated names end in "(synthetisch 00042)": the id finds exactly this offer.
            query = SearchQuery(q=f"{offer_id:05d}")
            while True:
                hits = backend.search(query, datetime.now(UTC)).items
                if any(h.id == offer_id and h.total_wait_weeks == weeks for h in hits):
                    break
                if time.perf_counter() - started > 30:
                    raise SystemExit(f"{backend.name}: change not searchable after 30 s")
                time.sleep(0.01)
            lags.append(time.perf_counter() - started)
    finally:
        relay.stop()
    print(
        f"{backend.name}: write-to-searchable lag over {runs} writes: median "
        f"{statistics.median(lags):.2f} s, max {max(lags):.2f} s",
        flush=True,
    )


def measure_rebuild(factory: sessionmaker[Session], backend: SearchBackend) -> None:
    started = time.perf_counter()
    rebuild_index(factory, backend, datetime.now(UTC))
    print(f"{backend.name}: full reindex {time.perf_counter() - started:.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=10, help="times the 20 queries run")
    default = Path(tempfile.gettempdir()) / "plekwijzer-bench-search.db"
    parser.add_argument("--database", default=str(default), help="reused between runs")
    parser.add_argument("--per-query", action="store_true", help="also each query's median")
    args = parser.parse_args()
    factory = build(f"sqlite:///{Path(args.database)}", args.offers)
    backends: list[SearchBackend] = [SqlIndex(factory, text_mode="fts")]
    if os.environ.get("MEILI_URL"):
        backends.append(
            MeiliBackend(
                os.environ["MEILI_URL"],
                os.environ.get("MEILI_MASTER_KEY"),
                index="bench",
                timeout=30,
            )
        )
    for backend in backends:
        measure_rebuild(factory, backend)
        measure_queries(backend, args.rounds, args.per_query)
        measure_lag(factory, backend)


if __name__ == "__main__":
    main()
