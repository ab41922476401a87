"""The ASGI application: composes the catalogue and its HTTP surfaces."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.routing import Route

from directory.config import Settings
from directory.db import make_engine, make_session_factory
from web import health
from web.problems import EXCEPTION_HANDLERS


def create_app(
    settings: Settings,
    *,
    engine: Engine | None = None,
    session_factory: sessionmaker[Session] | None = None,
) -> Starlette:
    """Build the app. Tests pass their own `session_factory` (one rolled-back transaction)."""
    if session_factory is None:
        session_factory = make_session_factory(engine or make_engine(settings.database_url))
    app = Starlette(
        routes=[
            Route("/health", health.health),
            Route("/api/v1/health", health.health),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
    )
    app.state.settings = settings
    app.state.session_factory = session_factory
    return app
