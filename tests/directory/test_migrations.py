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


def test_regional_contracts_and_leerjaar_lists_keep_every_contract_and_waiting_place(
    tmp_path: Path,
) -> None:
    # SQLite copies `contract` and `waitlist_entry` to change their constraints.
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "b7e1c2a9d4f3")
    with engine.begin() as connection:
        for statement in (
            "INSERT INTO municipality (code, name, valid_from) VALUES ('GM0599', 'R', 2024)",
            "INSERT INTO ijw_category (code, name) VALUES (45, 'Jeugdhulp ambulant')",
            "INSERT INTO organisation (id, name, kind, is_demo, created_at, updated_at) "
            "VALUES (1, 'Aanbieder', 'care_provider', 0, '2026-01-05', '2026-01-05')",
            "INSERT INTO offer (id, organisation_id, name, description, kind, ijw_category, "
            "leerjaren, languages, accepts_pgb, is_demo, version, created_at, updated_at) "
            "VALUES (3, 1, 'Hulp', '', 'youth_care', 45, '[]', '[]', 0, 0, 1, '2026-01-05', "
            "'2026-01-05')",
            "INSERT INTO contract (id, municipality_code, offer_id, kind, valid_from, created_at) "
            "VALUES (5, 'GM0599', 3, 'zorg_in_natura', '2024-01-01', '2026-01-05')",
            "INSERT INTO waitlist_entry (id, offer_id, reference_hash, position, updated_at) "
            "VALUES (9, 3, 'ab', 1, '2026-01-05')",
        ):
            connection.execute(text(statement))
    upgrade(engine)
    with engine.connect() as connection:
        contracts = connection.execute(
            text("SELECT id, municipality_code, jeugdregio_code FROM contract")
        ).all()
        assert contracts == [(5, "GM0599", None)]
        places = connection.execute(text("SELECT id, leerjaar, position FROM waitlist_entry"))
        assert places.all() == [(9, None, 1)]
    engine.dispose()
