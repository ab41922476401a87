from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from directory.migrate import heads
from directory.search_index import autogenerate_includes
from directory.tables import METADATA


def test_migrations_have_a_single_head(engine: Engine) -> None:
    assert len(heads(engine)) == 1


def test_migrations_build_exactly_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            # The search index's FTS5 tables are made by hand (see directory.search_index).
            opts={"compare_type": True, "include_name": autogenerate_includes},
        )
        assert compare_metadata(context, METADATA) == []
