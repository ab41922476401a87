"""The live server the browser tests use serves the demo catalogue, searchable, from the
database its `session_factory` opens."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

from directory.catalogue.service import count_offers
from directory.db import unit_of_work
from tests.e2e.live import LiveServer, live_server


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


def lookups(url: str, tries: int) -> list[tuple[int, str | None]]:
    """Waiting-list look-ups, each claiming another address in X-Forwarded-For: the
    statuses, and the `Server` header of each answer."""
    answers = []
    for number in range(tries):
        request = urllib.request.Request(  # noqa: S310
            f"{url}/api/v1/waitlist/AAAA-BBBB-CC{number:02d}",
            headers={"X-Forwarded-For": f"203.0.113.{number}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                answers.append((response.status, response.headers.get("Server")))
        except urllib.error.HTTPError as error:
            answers.append((error.code, error.headers.get("Server")))
    return answers


def test_a_forged_forwarded_address_does_not_reset_the_guessing_limit(tmp_path: Path) -> None:
    with live_server(tmp_path, waitlist_lookups_per_minute=3) as server:
        answers = lookups(server.url, 5)

    assert [status for status, _ in answers] == [404, 404, 404, 429, 429]
    assert {header for _, header in answers} == {None}  # no "Server: uvicorn"


def test_forwarded_addresses_are_believed_from_a_configured_proxy(tmp_path: Path) -> None:
    with live_server(
        tmp_path, waitlist_lookups_per_minute=3, forwarded_allow_ips="127.0.0.1"
    ) as server:
        answers = lookups(server.url, 5)

    assert [status for status, _ in answers] == [404] * 5  # five clients behind the proxy
