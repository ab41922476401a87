"""Alembic environment: runs on the connection handed in by `directory.migrate`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from directory.db import make_engine
from directory.search_index import autogenerate_includes
from directory.tables import METADATA

config = context.config
target_metadata = METADATA


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
        with engine.begin() as own_connection:
            _run(own_connection)
        engine.dispose()
    else:
        _run(connection)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=True,
        compare_type=True,
        # The search index's FTS5 tables are made by hand: SQLAlchemy cannot describe them.
        include_name=autogenerate_includes,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported")
run_migrations_online()
