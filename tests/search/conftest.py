"""Fixtures for the search tests.

`meili` is a Meilisearch backend on a fresh, uniquely named index of the test server,
deleted after the test. The server comes from `PLEKWIJZER_TEST_MEILI_URL` and
`PLEKWIJZER_TEST_MEILI_KEY` (`make test` starts one with scripts/test-meilisearch.sh and
sets both). Without them the Meilisearch cases are skipped on a developer's machine but
fail in CI, where nothing may be skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from meilisearch import Client

from search.meili import MeiliBackend

MEILI_URL_VARIABLE = "PLEKWIJZER_TEST_MEILI_URL"
MEILI_KEY_VARIABLE = "PLEKWIJZER_TEST_MEILI_KEY"


def meili_server() -> tuple[str, str]:
    """The test server's URL and master key, or skip (fail in CI) without them."""
    url = os.environ.get(MEILI_URL_VARIABLE)
    key = os.environ.get(MEILI_KEY_VARIABLE)
    if url and key:
        return url, key
    message = (
        f"{MEILI_URL_VARIABLE} and {MEILI_KEY_VARIABLE} are not set "
        "(make test starts Meilisearch and sets them)"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def meili() -> Iterator[MeiliBackend]:
    """A backend on an index of its own; the index (and any rebuild left over) is deleted
    afterwards."""
    url, key = meili_server()
    name = f"test_{uuid.uuid4().hex[:16]}"
    yield MeiliBackend(url, key, index=name, timeout=5.0)
    client = Client(url, key, timeout=5)
    for index in client.get_raw_indexes({"limit": 1000})["results"]:
        if index["uid"] == name or index["uid"].startswith(f"{name}_"):
            client.wait_for_task(client.delete_index(index["uid"]).task_uid, interval_in_ms=5)
