"""The live server the browser tests use serves the demo catalogue, searchable, from the
database its `session_factory` opens."""

from __future__ import annotations

import json
import urllib.request

from directory.catalogue.service import count_offers
from directory.db import unit_of_work
from tests.e2e.live import LiveServer


def get_json(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        result: dict[str, object] = json.load(response)
        return result


def test_the_live_server_serves_the_demo_catalogue_from_its_database(live: LiveServer) -> None:
    with unit_of_work(live.session_factory, read_only=True) as session:
        offers = count_offers(session)

    health = get_json(f"{live.url}/health")

    assert offers > 0
    assert health["offers"] == offers


def test_the_demo_catalogue_is_in_the_search_index(base_url: str) -> None:
    found = get_json(f"{base_url}/api/v1/offers?near=Rotterdam&per_page=1")

    assert found["total"]
