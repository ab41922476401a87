"""The live server the browser tests use serves the demo catalogue, searchable."""

from __future__ import annotations

import json
import urllib.request


def get_json(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        result: dict[str, object] = json.load(response)
        return result


def test_the_live_server_has_the_demo_catalogue_in_its_search_index(base_url: str) -> None:
    health = get_json(f"{base_url}/health")
    found = get_json(f"{base_url}/api/v1/offers?near=Rotterdam&per_page=1")

    assert health["offers"]
    assert found["total"]
