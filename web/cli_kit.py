"""What every `plekwijzer` command shares: the console, one clear line for expected
failures, and a command's unit of work."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from pydantic import ValidationError
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session

from directory.config import Settings, get_settings
from directory.db import make_engine, make_session_factory, unit_of_work
from directory.errors import DirectoryError

console = Console(stderr=True)


class Commands(click.Group):
    """Turns expected failures into one clear line and exit status 2, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DirectoryError as error:
            message = str(error)
        except ValidationError as error:
            message = "The settings are not valid:\n" + "\n".join(
                f"  {'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}"
                for e in error.errors(include_url=False)
            )
        except ArgumentError as error:
            message = f"DATABASE_URL is not a database address: {error}"
        except OperationalError as error:
            message = f"The database cannot be reached: {error.orig or error}"
        console.print(message, style="red", markup=False, highlight=False)
        raise SystemExit(2)


# Paths whose last part is a secret a parent holds: the access log shows the route instead.
SECRET_PATHS = {"/api/v1/waitlist/": "/api/v1/waitlist/{reference}"}


class SecretsOutOfAccessLog(logging.Filter):
    """Keeps waiting-list codes out of uvicorn's access log: a request for
    `/api/v1/waitlist/K7QM-…` is logged as `/api/v1/waitlist/{reference}`."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            for prefix, route in SECRET_PATHS.items():
                if args[2].startswith(prefix):
                    record.args = (*args[:2], route, *args[3:])
        return True


def keep_secrets_out_of_logs() -> None:
    """Install `SecretsOutOfAccessLog` on uvicorn's access logger (before it serves)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(found, SecretsOutOfAccessLog) for found in access.filters):
        access.addFilter(SecretsOutOfAccessLog())


def server_options(settings: Settings) -> dict[str, Any]:
    """How uvicorn serves the app: no `Server` header, and forwarded headers believed only
    from the configured proxies (`PLEKWIJZER_FORWARDED_ALLOW_IPS`)."""
    trusted = settings.forwarded_allow_ips.strip()
    return {
        "server_header": False,
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or None,
    }


def engine_of_settings() -> Engine:
    return make_engine(get_settings().database_url)


@contextmanager
def command_unit(engine: Engine | None = None) -> Iterator[Session]:
    """A command's one unit of work, on `engine` or the configured database."""
    with unit_of_work(make_session_factory(engine or engine_of_settings())) as session:
        yield session
