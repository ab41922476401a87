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
from sync.runner import make_scheduler
from web.api import docs as api_docs
from web.api import health, openapi
from web.api import public as public_api
from web.api import signals as signals_api
from web.api import watches as watches_api
from web.api.provider import bulk as bulk_routes
from web.api.provider import offers as provider_routes
from web.api.provider import waitlist as waitlist_routes
from web.kit.problems import EXCEPTION_HANDLERS
from web.kit.ratelimit import RateLimiter
from web.kit.security import SecurityHeaders
from web.pages.assets import build_style_sheet
from web.pages.parents import routes as pages


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
            scheduler = make_scheduler(session_factory, settings, clock=clock)
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
            Route("/health", health.health),
            Route("/api/v1/health", health.health),
            Route("/api/v1/openapi.json", openapi.openapi, methods=["GET"]),
            Route("/api/v1/docs", api_docs.api_docs, methods=["GET"]),
            *pages.routes,
            *public_api.routes,
            *signals_api.routes,
            *watches_api.routes,
            *provider_routes.routes,
            *bulk_routes.routes,
            *waitlist_routes.routes,
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
    app.state.style_sheet = build_style_sheet()
    app.state.provider_limiter = RateLimiter(settings.provider_rate_per_minute)
    app.state.waitlist_limiter = RateLimiter(settings.waitlist_lookups_per_minute)
    app.state.public_limiter = RateLimiter(settings.public_rate_per_minute)
    return app
