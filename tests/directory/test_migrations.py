from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, text

from directory.db import make_engine
from directory.migrate import heads, upgrade
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


def test_changing_the_signal_kinds_keeps_every_signal_and_its_history(tmp_path: Path) -> None:
    # SQLite copies a table to change a CHECK constraint; with foreign keys on, dropping the
    # old `signal` table would cascade to the transitions (the history of every gap).
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "acfc4ff55f5b")
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO municipality (code, name, valid_from) VALUES ('GM0599', 'R', 2024)")
        )
        connection.execute(
            text(
                "INSERT INTO signal (id, kind, municipality_code, category, state, opened_at, "
                "reason_code, norm_intake_weeks, norm_treatment_weeks, norm_source, evidence, "
                "alternatives, alternatives_total, digest, updated_at) VALUES (7, 'pgb_route', "
                "'GM0599', 'ijw:45', 'open', '2026-01-05 09:00:00', 'none_within_norm', 4, 10, "
                "'default', '[]', '[]', 0, 'x', '2026-01-05 09:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO signal_transition (signal_id, state, at, evidence) "
                "VALUES (7, 'open', '2026-01-05 09:00:00', '{}')"
            )
        )
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT id, kind FROM signal")).all() == [(7, "pgb_route")]
        assert connection.execute(text("SELECT signal_id FROM signal_transition")).all() == [(7,)]
    engine.dispose()
