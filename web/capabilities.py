"""What the application is made of: each capability's routes, documented calls and scheduled
jobs, in one list.

Adding a capability is one entry in `CAPABILITIES`: `web.app` mounts its routes, openapi.json
and the docs page document its calls, and the scheduler of `plekwijzer
worker` (or of the embedded `serve`) runs its jobs, which `/health` also reports on. The
order is the order of the routes and of the calls in the published documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from starlette.routing import BaseRoute

from sync import notify, reminders
from sync import signals as signal_jobs
from sync import watches as watch_jobs
from sync.runner import JobSource
from web.api import docs_calls, health, health_calls, public, public_calls, signals, watches
from web.api.operations import Operation
from web.api.provider import bulk, offers, waitlist
from web.api.provider import calls as provider_calls
from web.pages.parents import routes as parents_pages


@dataclass(frozen=True, slots=True)
class Capability:
    """One thing the application does, with the parts `web.app` composes."""

    name: str
    routes: Sequence[BaseRoute] = ()
    operations: Sequence[Operation] = ()
    jobs: Sequence[JobSource] = ()


CAPABILITIES: tuple[Capability, ...] = (
    Capability("health", health.routes, health_calls.OPERATIONS),
    # Its routes (openapi.json, the docs page) describe every capability, so `web.app`
    # mounts them itself: listing them here would make this list import itself.
    Capability("api-docs", operations=docs_calls.OPERATIONS),
    Capability(
        "provider-api",
        [*offers.routes, *bulk.routes, *waitlist.routes],
        provider_calls.OPERATIONS,
    ),
    Capability("public-search", public.routes, public_calls.PUBLIC_OPERATIONS),
    Capability("signals", signals.routes, signals.SIGNAL_OPERATIONS, [signal_jobs.jobs]),
    Capability("watches", watches.routes, watches.WATCH_OPERATIONS, [watch_jobs.jobs]),
    Capability("freshness-reminders", jobs=[reminders.jobs]),
    Capability("notifications", jobs=[notify.jobs]),
    Capability("parents-pages", parents_pages.routes),
)

ROUTES: list[BaseRoute] = [route for c in CAPABILITIES for route in c.routes]
OPERATIONS: list[Operation] = [operation for c in CAPABILITIES for operation in c.operations]
JOB_SOURCES: tuple[JobSource, ...] = tuple(source for c in CAPABILITIES for source in c.jobs)
