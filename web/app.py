"""The ASGI application: composes the catalogue and its HTTP surfaces."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import Route

from directory.config import Settings
from directory.db import make_engine, make_session_factory
from search.service import make_search
from sync.relay import RelayThread
from sync.runner import JobContext, late_after, make_scheduler
from web.api import docs as api_docs
from web.api import openapi
from web.api.health import OfferCount
from web.capabilities import JOB_SOURCES, ROUTES
from web.kit.problems import EXCEPTION_HANDLERS
from web.kit.ratelimit import RateLimiter
from web.kit.security import SecurityHeaders
from web.pages.assets import build_style_sheet


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(
    settings: Settings,
    *,
    engine: Engine | None = None,
    session_factory: sessionmaker[Session] | None = None,
    clock: Callable[[], datetime] = utc_now,
    relay: bool = False,
) -> Starlette:
    """Build the app. Tests pass their own `session_factory` (one rolled-back transaction)
    and `clock`. With `relay`, the outbox relay and the scheduler run inside this process
    (the embedded default); otherwise `plekwijzer worker` runs them."""
    if session_factory is None:
        session_factory = make_session_factory(engine or make_engine(settings.database_url))
    search = make_search(settings, session_factory)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        thread = scheduler = None
        if relay:
            thread = RelayThread(
                session_factory,
                search.backends,
                clock,
                settings.index_poll_seconds,
                repair_every=settings.index_repair_seconds,
            )
            thread.start()
            scheduler = make_scheduler(session_factory, settings, sources=JOB_SOURCES, clock=clock)
            scheduler.start()
        try:
            yield
        finally:
            if scheduler is not None:
                scheduler.shutdown()
            if thread is not None:
                thread.stop()

    app = Starlette(
        routes=[
            Route("/api/v1/openapi.json", openapi.openapi, methods=["GET"]),
            Route("/api/v1/docs", api_docs.api_docs, methods=["GET"]),
            *ROUTES,
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        # Open data: any site may read the public API from a browser. Writes come from
        # providers' servers with a key, not from browsers, so only reads are allowed.
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(GZipMiddleware, minimum_size=1000),
            Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.session_factory = session_factory
    app.state.clock = clock
    app.state.search = search
    # How old each job's last run may be before /health calls it late, from the jobs' specs.
    app.state.late_after = late_after(JOB_SOURCES, JobContext(session_factory, settings, search))
    app.state.offer_count = OfferCount()
    app.state.style_sheet = build_style_sheet()
    app.state.provider_limiter = RateLimiter(settings.provider_rate_per_minute)
    app.state.waitlist_limiter = RateLimiter(settings.waitlist_lookups_per_minute)
    app.state.public_limiter = RateLimiter(settings.public_rate_per_minute)
    return app
