"""The Meilisearch backend: a small adapter around the `meilisearch` client.

Index settings are declared once here (`index_settings`) and sent only when the server's
differ. Writes are Meilisearch tasks: this backend waits for them (polling quickly), so
when `upsert` or `delete` returns the change is searchable or an error was raised, and the
outbox relay only marks what really arrived. Every HTTP call is bounded by `timeout`;
an engine that cannot be reached, times out or fails (5xx) raises `SearchUnavailableError`,
a request Meilisearch refuses as malformed raises `ValueError` with its message.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import requests
from meilisearch import Client
from meilisearch.errors import (
    MeilisearchApiError,
    MeilisearchCommunicationError,
    MeilisearchTimeoutError,
)
from meilisearch.models.task import Task
from sqlalchemy.orm import Session

from search import meili_query
from search.backend import SearchUnavailableError
from search.documents import SearchDocument
from search.query import SearchQuery, SearchResult
from search.text import ONE_TYPO_FROM, TWO_TYPOS_FROM, stop_words, synonyms

log = logging.getLogger(__name__)

BATCH = 5_000  # documents per HTTP call
PAGE = 10_000  # documents per read when taking the fingerprint
TASK_WAIT_SECONDS = 120.0  # the longest wait for one task (a big batch, or queued behind a rebuild)
TASKS_KEPT = timedelta(hours=1)  # finished tasks older than this are removed
BUILD_STAMP = "%Y%m%d%H%M%S%f"  # a rebuild's index is "<index>_<stamp>"


def index_settings() -> dict[str, Any]:
    """The settings every Plekwijzer index has: the one place they are declared (a writer
    sends them when the server's differ, `MeiliBackend._apply_settings`)."""
    leerjaren = [meili_query.figure_fields(n) for n in meili_query.LEERJAREN]
    return {
        "searchableAttributes": ["name", "organisation", "text", "compounds"],
        "filterableAttributes": [
            "id",
            "kind",
            "cluster",
            "ijw_category",
            "municipalities",
            "contracted_by",
            "min_age",
            "max_age",
            "accepts_pgb",
            "valid_until_ts",
            "total_wait_weeks",
            "open_places",
            "status",
            "_geo",
            # Each leerjaar's figure, for a query with a leerjaar (`meili_query`).
            "leerjaren",
            *(
                name
                for fields in leerjaren
                for name in (
                    fields.status,
                    fields.open_places,
                    fields.total_wait_weeks,
                    fields.valid_until_ts,
                )
            ),
        ],
        "sortableAttributes": [
            "total_wait_weeks",
            "measured_at_ts",
            "id",
            "_geo",
            *(
                name
                for fields in leerjaren
                for name in (fields.total_wait_weeks, fields.measured_at_ts)
            ),
        ],
        # "sort" first: a requested order is strict (wait, distance, updated); without a
        # sort the text rules decide.
        "rankingRules": ["sort", "words", "typo", "proximity", "attribute", "exactness"],
        # As the embedded engine (search.text): no typo under 5 letters, one from 5, two
        # from 9, none in numbers.
        "typoTolerance": {
            "enabled": True,
            "minWordSizeForTypos": {"oneTypo": ONE_TYPO_FROM, "twoTypos": TWO_TYPOS_FROM},
            "disableOnNumbers": True,
        },
        "stopWords": sorted(stop_words()),
        "synonyms": {word: sorted(others) for word, others in sorted(synonyms().items())},
        # Every municipality must get its count (there are ~350).
        "faceting": {"maxValuesPerFacet": 1000},
        # Exact totals and deep pages for the whole catalogue.
        "pagination": {"maxTotalHits": 1_000_000},
        "facetSearch": False,
    }


def settings_differ(wanted: dict[str, Any], current: dict[str, Any]) -> bool:
    """Does the server's `current` differ from `wanted` in anything `wanted` declares?
    Attribute sets compare as sets (the server reorders some); nested settings compare only
    the keys we set."""
    unordered = {"filterableAttributes", "sortableAttributes", "stopWords"}
    for key, value in wanted.items():
        have = current.get(key)
        if key in unordered:
            if not isinstance(have, list) or set(value) != set(have):
                return True
        elif key == "synonyms":
            have_sets = {k: set(v) for k, v in (have or {}).items()}
            if have_sets != {k: set(v) for k, v in value.items()}:
                return True
        elif isinstance(value, dict):
            if not isinstance(have, dict) or settings_differ(value, have):
                return True
        elif value != have:
            return True
    return False


class MeiliBackend:
    """Search documents kept in one Meilisearch index (`index`), rebuilt by swapping."""

    name = "meilisearch"

    def __init__(
        self, url: str, api_key: str | None, index: str = "offers", timeout: float = 2.0
    ) -> None:
        self.url = url.rstrip("/")
        self.index = index
        self.timeout = timeout
        # The client's timeout is typed int but handed to requests, which takes seconds.
        self._client = Client(self.url, api_key, timeout=cast(int, timeout))
        self._ready = False
        self._searchable = False

    # -- SearchBackend ------------------------------------------------------------------

    def search(
        self, query: SearchQuery, now: datetime, session: Session | None = None
    ) -> SearchResult:
        """Answer `query` as `search.query` defines it (one round trip, two for a `wait`
        page that runs past the known waits)."""
        self._ensure_searchable()
        plan = meili_query.plan(query, now)
        queries = [plan.main, plan.fresh] + ([plan.known] if plan.known else [])
        answers = self._multi_search(queries)
        main, fresh = answers[0], answers[1]
        total = int(main["totalHits"])
        hits = main["hits"] if plan.known is None else self._wait_page(query, now, answers[2])
        return SearchResult(
            items=[meili_query.to_hit(hit, now, query.near, query.leerjaar) for hit in hits],
            total=total,
            page=query.page,
            per_page=query.per_page,
            facets=meili_query.facet_counts(main, fresh, total, plan.status_field),
        )

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        """Add or replace documents, in batches; returns when they are searchable."""
        if not documents:
            return
        self._ensure_ready()
        self._add_batches(self.index, documents)

    def delete(self, offer_ids: Sequence[int]) -> None:
        """Remove documents; returns when they are gone from searches."""
        if not offer_ids:
            return
        self._ensure_ready()
        index = self._client.index(self.index)
        tasks = []
        with self._errors():
            for start in range(0, len(offer_ids), BATCH):
                ids = ", ".join(str(int(offer_id)) for offer_id in offer_ids[start : start + BATCH])
                # By filter: the client deprecates deleting by a list of ids.
                tasks.append(index.delete_documents(filter=f"id IN [{ids}]").task_uid)
        for task in tasks:
            self._wait(task)

    def digests(self) -> dict[int, str]:
        """The digest each stored document carries, by offer id."""
        self._ensure_ready()
        return {int(doc["id"]): str(doc["digest"]) for doc in self._documents()}

    def rebuild(
        self,
        batches: Iterable[Sequence[SearchDocument]],
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        """Build a new index beside the live one, swap them, delete the old one; searches
        see the old index until the swap. `on_progress` gets the size of each batch sent."""
        self._ensure_ready()
        self._drop_abandoned_builds()
        building = f"{self.index}_{datetime.now(UTC):{BUILD_STAMP}}"
        self._wait(self._create_index(building))
        try:
            self._apply_settings(building)
            pending: int | None = None
            for batch in batches:
                for task in self._enqueue_batches(building, batch):
                    # One batch in flight while the next is built: the engine stays busy.
                    if pending is not None:
                        self._wait(pending)
                    pending = task
                if on_progress is not None:
                    on_progress(len(batch))
            if pending is not None:
                self._wait(pending)
            with self._errors():
                swap = self._client.swap_indexes([{"indexes": [self.index, building]}])
            self._wait(swap.task_uid)
        except BaseException:
            self._drop_index(building)
            raise
        # After the swap `building` holds the old documents.
        self._drop_index(building)

    # -- housekeeping -------------------------------------------------------------------

    def cleanup_tasks(self, older_than: timedelta = TASKS_KEPT) -> int:
        """Delete finished tasks (succeeded, failed, canceled) older than `older_than`, so
        the task list does not grow forever; returns how many were deleted."""
        before = datetime.now(UTC) - older_than
        with self._errors():
            info = self._client.delete_tasks(
                {
                    "statuses": ["succeeded", "failed", "canceled"],
                    "beforeFinishedAt": before.isoformat(),
                }
            )
        task = self._wait(info.task_uid)
        return int((task.details or {}).get("deletedTasks", 0))

    # -- internals ----------------------------------------------------------------------

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Translate the client's errors into this package's vocabulary."""
        try:
            yield
        except MeilisearchApiError as error:
            if error.status_code >= 500 or error.status_code in (401, 403):
                raise SearchUnavailableError(
                    f"Meilisearch at {self.url} answered {error.status_code}: {error.message}"
                ) from error
            raise ValueError(f"Meilisearch refused the request: {error.message}") from error
        except MeilisearchTimeoutError as error:
            raise SearchUnavailableError(
                f"Meilisearch at {self.url} did not answer within {self.timeout} s"
            ) from error
        except (MeilisearchCommunicationError, requests.RequestException) as error:
            raise SearchUnavailableError(f"Meilisearch at {self.url} is unreachable") from error

    def _ensure_ready(self) -> None:
        """Create the index and apply the settings, once per process (writers only)."""
        if self._ready:
            return
        if not self._index_exists(self.index):
            self._wait(self._create_index(self.index))
        self._apply_settings(self.index)
        self._ready = self._searchable = True

    def _ensure_searchable(self) -> None:
        """Searches never create the index or change settings (a visitor would wait for
        it, or get an empty answer that looks complete): a missing index is "unavailable",
        so the database answers until the worker has filled it again."""
        if self._searchable:
            return
        if not self._index_exists(self.index):
            raise SearchUnavailableError(f"Meilisearch at {self.url} has no index {self.index}")
        self._searchable = True

    def _index_exists(self, uid: str) -> bool:
        try:
            with self._errors():
                self._client.get_raw_index(uid)
        except ValueError as error:
            if getattr(error.__cause__, "code", None) == "index_not_found":
                return False
            raise
        return True

    def _create_index(self, uid: str) -> int:
        with self._errors():
            return self._client.create_index(uid, {"primaryKey": "id"}).task_uid

    def _drop_index(self, uid: str) -> None:
        try:
            with self._errors():
                task = self._client.delete_index(uid).task_uid
            self._wait(task)
        except (SearchUnavailableError, ValueError) as error:
            log.warning("could not delete Meilisearch index %s: %s", uid, error)

    def _drop_abandoned_builds(self) -> None:
        """Delete indexes left by rebuilds that died (killed mid-way) over an hour ago; a
        younger one may belong to a rebuild still running."""
        with self._errors():
            uids = [index.uid for index in self._client.get_indexes({"limit": 1000})["results"]]
        cutoff = datetime.now(UTC) - timedelta(hours=1)
        for uid in uids:
            stamp = uid.removeprefix(f"{self.index}_")
            if stamp == uid or not stamp.isdigit():
                continue
            try:
                built = datetime.strptime(stamp, BUILD_STAMP).replace(tzinfo=UTC)
            except ValueError:
                continue
            if built < cutoff:
                self._drop_index(uid)

    def _apply_settings(self, uid: str) -> None:
        """Send the declared settings if the server's differ (one update call)."""
        wanted = index_settings()
        index = self._client.index(uid)
        with self._errors():
            current = index.get_settings()
        if not settings_differ(wanted, current):
            return
        log.info("updating the settings of Meilisearch index %s", uid)
        with self._errors():
            task = index.update_settings(wanted).task_uid
        self._wait(task)

    def _enqueue_batches(self, uid: str, documents: Sequence[SearchDocument]) -> list[int]:
        index = self._client.index(uid)
        tasks = []
        with self._errors():
            for start in range(0, len(documents), BATCH):
                body = [meili_query.to_meili(doc) for doc in documents[start : start + BATCH]]
                tasks.append(index.add_documents(body, primary_key="id").task_uid)
        return tasks

    def _add_batches(self, uid: str, documents: Sequence[SearchDocument]) -> None:
        # All batches are queued first: Meilisearch indexes consecutive ones together.
        for task in self._enqueue_batches(uid, documents):
            self._wait(task)

    def _wait(self, task_uid: int) -> Task:
        """Wait for a task to finish; raise if it failed. Polls fast at first (a small
        write takes milliseconds), then every 50 ms."""
        deadline = time.monotonic() + TASK_WAIT_SECONDS
        pause = 0.002
        while True:
            with self._errors():
                task = self._client.get_task(task_uid)
            if task.status == "succeeded":
                return task
            if task.status in ("failed", "canceled"):
                error = task.error or {}
                message = f"Meilisearch task {task_uid} ({task.type}) {task.status}: " + str(
                    error.get("message", "canceled")
                )
                if error.get("type") == "invalid_request":
                    raise ValueError(message)
                raise SearchUnavailableError(message)
            if time.monotonic() > deadline:
                raise SearchUnavailableError(
                    f"Meilisearch at {self.url} did not finish task {task_uid} "
                    f"within {TASK_WAIT_SECONDS:.0f} s"
                )
            time.sleep(pause)
            pause = min(pause * 2, 0.05)

    def _multi_search(self, queries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        body = [{"indexUid": self.index, **query} for query in queries]
        try:
            with self._errors():
                answer = self._client.multi_search(body)
        except ValueError as error:
            if getattr(error.__cause__, "code", None) != "index_not_found":
                raise
            # Deleted behind our back: writers set it up again, the database answers now.
            self._ready = self._searchable = False
            raise SearchUnavailableError(
                f"Meilisearch at {self.url} has no index {self.index}"
            ) from error
        results: list[dict[str, Any]] = answer["results"]
        return results

    def _wait_page(
        self, query: SearchQuery, now: datetime, known: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """A page of the `wait` order: fresh known waits by wait, then the rest by id."""
        hits = list(known["hits"])
        if len(hits) == query.per_page:
            return hits
        known_total = int(known["totalHits"])
        offset = max(0, (query.page - 1) * query.per_page - known_total)
        rest = meili_query.rest_of_wait(query, now, offset, query.per_page - len(hits))
        more: list[dict[str, Any]] = self._multi_search([rest])[0]["hits"]
        return hits + more

    def _documents(self) -> Iterator[dict[str, Any]]:
        index = self._client.index(self.index)
        offset = 0
        while True:
            with self._errors():
                page = index.get_documents(
                    {"fields": ["id", "digest"], "limit": PAGE, "offset": offset}
                )
            yield from (dict(document) for document in page.results)
            offset += len(page.results)
            if offset >= page.total or not page.results:
                return
