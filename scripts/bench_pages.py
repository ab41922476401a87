"""The parents' pages at scale: server time of the results page for a fixed mix of
searches (as the search form sends them), and the weight of a results page.

Builds (or reuses) a SQLite catalogue of generated offers with its embedded search index,
then requests each page in-process (the whole app: routing, search, database, templates)
for several rounds and prints the medians.

Usage: .venv/bin/python scripts/bench_pages.py [--offers 100000] [--rounds 10]
       [--database PATH]
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from starlette.testclient import TestClient

from directory.config import Settings
from directory.devdata.generate import catalogue_of_size
from sync.relay import rebuild_index
from web.app import create_app

# What parents ask through the search form: kind, age, place, municipality, filters, sort.
RESULT_PAGES = [
    {"kind": "youth_care", "age": "9", "near": "Rotterdam", "gemeente": "GM0599"},
    {"q": "autisme", "gemeente": "GM0599"},
    {"q": "autsime", "kind": "youth_care", "sort": "wait"},
    {"q": "dagbesteding boerderij", "kind": "day_programme"},
    {"kind": "special_education", "cluster": "4", "near": "Schiedam", "sort": "distance"},
    {"kind": "special_education", "cluster": "3", "age": "8", "gemeente": "GM0344"},
    {"ijw_category": "45", "gemeente": "GM0599", "alleen_contract": "1", "sort": "wait"},
    {"has_places": "true", "near": "Utrecht", "sort": "distance"},
    {"accepts_pgb": "true", "max_wait_weeks": "14", "kind": "youth_care"},
    {"q": "ggz", "age": "14", "page": "3"},
]


def timed(client: TestClient, path: str, params: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    response = client.get(path, params=params)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{path} {params}: {response.status_code}")
    return elapsed * 1000


def weight(client: TestClient, params: dict[str, str]) -> None:
    """Bytes of the results page and its one style sheet, as sent (gzip) and unpacked."""
    html = client.get("/zoeken", params=params).content
    (href,) = re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html)
    css = client.get(href.decode()).content
    print("\nresults page weight (no scripts, no images, no fonts):")
    for name, body in (("HTML", html), ("CSS", css)):
        packed = len(gzip.compress(body)) / 1024
        print(f"  {name:5} {len(body) / 1024:7.1f} KiB, gzip {packed:6.1f} KiB")
    both = len(gzip.compress(html)) + len(gzip.compress(css))
    print(f"  total {(len(html) + len(css)) / 1024:7.1f} KiB, gzip {both / 1024:6.1f} KiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument(
        "--database", type=Path, default=Path(tempfile.gettempdir()) / "plekwijzer-bench-pages.db"
    )
    args = parser.parse_args()
    url = f"sqlite:///{args.database}"
    _factory, generated = catalogue_of_size(url, args.offers, datetime.now(UTC))
    settings = Settings(_env_file=None, database_url=url, public_rate_per_minute=1_000_000)
    app = create_app(settings)
    if generated:
        print("indexing ...", flush=True)
        for backend in app.state.search.backends:
            rebuild_index(app.state.session_factory, backend, datetime.now(UTC))
    with TestClient(app) as client:
        offer_id = client.get("/api/v1/offers", params={"q": "ggz"}).json()["items"][0]["id"]
        for params in RESULT_PAGES:  # warm the caches once
            timed(client, "/zoeken", params)
        results: list[list[float]] = [[] for _ in RESULT_PAGES]
        others: dict[str, list[float]] = {"home": [], "offer": []}
        for _ in range(args.rounds):
            for times, params in zip(results, RESULT_PAGES, strict=True):
                times.append(timed(client, "/zoeken", params))
            others["home"].append(timed(client, "/"))
            others["offer"].append(timed(client, f"/aanbod/{offer_id}"))
        print(f"\nserver time in ms, median of {args.rounds} rounds, {args.offers} offers:")
        for times, params in zip(results, RESULT_PAGES, strict=True):
            print(f"  {statistics.median(times):6.1f}  /zoeken {params}")
        every = [value for times in results for value in times]
        print(f"results pages: median {statistics.median(every):.1f} ms over {len(every)} requests")
        for name, times in others.items():
            print(f"{name} page: median {statistics.median(times):.1f} ms")
        weight(client, RESULT_PAGES[0])


if __name__ == "__main__":
    main()
