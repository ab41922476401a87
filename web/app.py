"""The ASGI application: composes the catalogue and its HTTP surfaces."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.routing import Route

from directory.config import Settings
from directory.db import make_engine, make_session_factory
from providers import bulk_routes, waitlist_routes
from providers import routes as provider_routes
from providers.ratelimit import RateLimiter
from web import api_docs, health, openapi
from web.problems import EXCEPTION_HANDLERS


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(
    settings: Settings,
    *,
    engine: Engine | None = None,
    session_factory: sessionmaker[Session] | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> Starlette:
    """Build the app. Tests pass their own `session_factory` (one rolled-back transaction)
    and `clock`."""
    if session_factory is None:
        session_factory = make_session_factory(engine or make_engine(settings.database_url))
    app = Starlette(
        routes=[
            Route("/health", health.health),
            Route("/api/v1/health", health.health),
            Route("/api/v1/openapi.json", openapi.openapi, methods=["GET"]),
            Route("/api/v1/docs", api_docs.api_docs, methods=["GET"]),
            *provider_routes.routes,
            *bulk_routes.routes,
            *waitlist_routes.routes,
        ],
        exception_handlers=EXCEPTION_HANDLERS,
    )
    app.state.settings = settings
    app.state.session_factory = session_factory
    app.state.clock = clock
    app.state.provider_limiter = RateLimiter(settings.provider_rate_per_minute)
    app.state.waitlist_limiter = RateLimiter(settings.waitlist_lookups_per_minute)
    return app
