import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import uvicorn
from click.testing import CliRunner
from sqlalchemy import func, select

from directory.accounts.keys import hash_key
from directory.accounts.models import ApiClient
from directory.accounts.users import set_password
from directory.catalogue.models import Offer
from directory.config import get_settings
from directory.db import make_engine, make_session_factory
from directory.notifications.models import OrganisationWebhook, WebhookSubscription
from directory.reference.models import Municipality
from directory.signals.models import Signal
from search.query import SearchQuery
from search.sqlindex import SqlIndex
from web.cli import main


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def count(url: str, model: type) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        result = connection.scalar(select(func.count()).select_from(model)) or 0
    engine.dispose()
    return result


def test_demo_command_fills_an_empty_database_once(database: str) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["demo"])
    assert first.exit_code == 0, first.output
    assert "Demo catalogue loaded" in first.output
    offers = count(database, Offer)
    assert offers >= 150
    second = runner.invoke(main, ["demo"])
    assert second.exit_code == 2
    assert "not empty" in second.output
    assert count(database, Offer) == offers


def test_generate_command_adds_the_requested_number_of_offers(database: str) -> None:
    result = CliRunner().invoke(main, ["generate", "--offers", "250"])
    assert result.exit_code == 0, result.output
    assert count(database, Offer) == 250


def test_import_municipalities_reports_bad_rows_and_imports_nothing(
    database: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    good = tmp_path / "good.csv"
    good.write_text("GemeentecodeGM;Gemeentenaam\nGM0014;Groningen\nGM0034;Almere\n")
    result = runner.invoke(main, ["import-municipalities", str(good)])
    assert result.exit_code == 0, result.output
    assert "Imported 2 municipalities" in result.output
    before = count(database, Municipality)
    bad = tmp_path / "bad.csv"
    bad.write_text("GemeentecodeGM;Gemeentenaam\nGM0080;Leeuwarden\nXX;Nergens\n")
    result = runner.invoke(main, ["import-municipalities", str(bad)])
    assert result.exit_code == 2
    assert "line 3: code" in result.output
    assert count(database, Municipality) == before


def test_bad_input_and_settings_get_a_message_not_a_traceback(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    negative = runner.invoke(main, ["generate", "--offers", "-5"])
    assert negative.exit_code == 2
    assert "-5 is not in the range" in negative.output
    monkeypatch.setenv("PLEKWIJZER_ENVIRONMENT", "production")
    get_settings.cache_clear()
    placeholder = runner.invoke(main, ["migrate"])
    assert placeholder.exit_code == 2
    assert "PLEKWIJZER_SECRET_KEY must be set" in placeholder.output
    assert "Traceback" not in placeholder.output


def test_an_unreachable_database_is_named_not_dumped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/nowhere")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(main, ["migrate"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "The database cannot be reached" in result.output


def test_a_key_is_printed_once_stored_only_as_a_hash_and_revocable(database: str) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["demo"]).exit_code == 0
    created = runner.invoke(main, ["keys", "create", "--org", "1", "--scope", "waitlist:write"])
    assert created.exit_code == 0, created.output
    key = created.output.strip().splitlines()[-1]
    assert key.startswith("pw_")
    engine = make_engine(database)
    with engine.connect() as connection:
        stored = connection.execute(select(ApiClient)).one()
    engine.dispose()
    assert stored.scopes == ["waitlist:write"]
    assert key not in repr(tuple(stored))
    assert stored.key_hash == hash_key(key)
    revoked = runner.invoke(main, ["keys", "revoke", str(stored.id)])
    assert revoked.exit_code == 0
    assert "revoked" in revoked.output
    unknown = runner.invoke(main, ["keys", "create", "--org", "99999"])
    assert unknown.exit_code == 2
    assert "organisation 99999 does not exist" in unknown.output


def test_reindex_makes_generated_offers_searchable(database: str) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["generate", "--offers", "120"]).exit_code == 0
    result = runner.invoke(main, ["reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed 120 offers" in result.output
    engine = make_engine(database)
    index = SqlIndex(make_session_factory(engine), text_mode="fts")
    found = index.search(SearchQuery(q="synthetisch", per_page=1), datetime.now(UTC))
    engine.dispose()
    assert found.total == 120


def test_the_demo_opens_signals_and_a_second_evaluation_changes_nothing(database: str) -> None:
    runner = CliRunner()
    loaded = runner.invoke(main, ["demo"])
    assert loaded.exit_code == 0, loaded.output
    assert re.search(r"\b[1-9][0-9]* signals open now", loaded.output)
    engine = make_engine(database)
    with engine.connect() as connection:
        kinds = sorted(connection.scalars(select(Signal.kind).where(Signal.state == "open")))
    engine.dispose()
    assert "pgb_route" in kinds
    assert "education_gap" in kinds
    again = runner.invoke(main, ["evaluate-signals"])
    assert again.exit_code == 0, again.output
    assert "0 opened" in again.output


def test_an_operator_subscribes_a_system_and_sees_its_secret_once(database: str) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["demo"]).exit_code == 0
    hook = ["--url", "https://zaak.example/hook", "--org", "1", "--municipality", "gm0599"]
    added = runner.invoke(main, ["webhooks", "add", *hook, "--event", "watch.alert"])
    assert added.exit_code == 0, added.output
    secret = added.output.strip().splitlines()[-1]
    engine = make_engine(database)
    with engine.connect() as connection:
        stored = connection.execute(select(WebhookSubscription)).one()
        owner = connection.execute(select(OrganisationWebhook.organisation_id)).scalar_one()
    engine.dispose()
    assert (stored.url, stored.municipality_code, stored.events) == (
        "https://zaak.example/hook",
        "GM0599",
        ["watch.alert"],
    )
    assert stored.secret == secret
    assert len(secret) >= 32
    assert owner == 1

    bad = runner.invoke(main, ["webhooks", "add", "--url", "ftp://x", "--event", "everything"])
    assert bad.exit_code == 2
    assert "url" in bad.output
    assert "event" in bad.output
    unknown = runner.invoke(main, ["webhooks", "add", "--url", "https://x.example", "--org", "999"])
    assert unknown.exit_code == 2
    assert "organisation 999 does not exist" in unknown.output


def test_watch_alerts_without_an_organisation_are_refused(database: str) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["demo"]).exit_code == 0
    hook = ["webhooks", "add", "--url", "https://zaak.example/hook", "--event", "watch.alert"]
    refused = runner.invoke(main, hook)
    assert refused.exit_code == 2
    assert "watch.alert" in refused.output
    assert "--org" in refused.output
    assert count(database, WebhookSubscription) == 0


def test_serve_repairs_a_search_index_that_lags_the_catalogue_before_it_listens(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["generate", "--offers", "30"]).exit_code == 0
    served: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_options: served.append(app))
    result = runner.invoke(main, ["serve"])
    assert result.exit_code == 0, result.output
    assert "30 documents repaired" in result.output
    assert served
    engine = make_engine(database)
    index = SqlIndex(make_session_factory(engine), text_mode="fts")
    found = index.search(SearchQuery(q="synthetisch", per_page=1), datetime.now(UTC))
    engine.dispose()
    assert found.total == 30


def test_a_municipality_sets_a_pgb_tariff_in_euros_and_can_remove_it(database: str) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["migrate"]).exit_code == 0
    where = ["--municipality", "gm0599", "--category", "ijw:45"]

    typo = runner.invoke(main, ["pgb-tariffs", "set", *where, "--euros", "75,5o", "--per", "hour"])
    assert typo.exit_code == 2
    assert "an amount like 75,50" in typo.output
    crisis_care = ["--jeugdregio", "JZ31", "--category", "ijw:46", "--euros", "80"]
    crisis = runner.invoke(main, ["pgb-tariffs", "set", *crisis_care, "--per", "hour"])
    assert crisis.exit_code == 2
    assert "a PGB cannot pay for this category" in crisis.output

    made = runner.invoke(main, ["pgb-tariffs", "set", *where, "--euros", "75,5", "--per", "hour"])
    assert made.exit_code == 0, made.output
    assert "€\xa075,50 per hour" in made.output
    listed = runner.invoke(main, ["pgb-tariffs", "list"])
    assert "GM0599\tijw:45\t€\xa075,50 per hour" in listed.output

    assert runner.invoke(main, ["pgb-tariffs", "remove", *where]).exit_code == 0
    assert "No PGB tariffs are set." in runner.invoke(main, ["pgb-tariffs", "list"]).output
    again = runner.invoke(main, ["pgb-tariffs", "remove", *where])
    assert again.exit_code == 2
    assert "does not exist" in again.output


def test_an_operator_makes_an_account_sees_it_listed_without_secrets_and_disables_it(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLEKWIJZER_PUBLIC_BASE_URL", "https://plekwijzer.example")
    get_settings.cache_clear()
    runner = CliRunner()
    assert runner.invoke(main, ["migrate"]).exit_code == 0
    account = ["--email", "Ana@Rotterdam.nl", "--role", "municipality_admin"]

    no_scope = runner.invoke(main, ["users", "create", *account])
    assert no_scope.exit_code == 2
    assert "scope: a municipality_admin account needs a municipality" in no_scope.output
    unknown = runner.invoke(main, ["users", "create", *account, "--municipality", "GM9999"])
    assert unknown.exit_code == 2
    assert "municipality: GM9999 does not exist" in unknown.output

    created = runner.invoke(main, ["users", "create", *account, "--municipality", "gm0599"])
    assert created.exit_code == 0, created.output
    assert "ana@rotterdam.nl: municipality_admin, municipality GM0599" in created.output
    link = created.output.strip().splitlines()[-1]
    prefix = "https://plekwijzer.example/wachtwoord-instellen?code="
    assert link.startswith(prefix)
    token = link.removeprefix(prefix)
    assert len(token) >= 40
    again = runner.invoke(main, ["users", "create", *account, "--jeugdregio", "JZ31"])
    assert again.exit_code == 2
    assert "already exists" in again.output

    engine = make_engine(database)
    with make_session_factory(engine).begin() as session:
        set_password(session, token, "lange zin met spaties", datetime.now(UTC))
    engine.dispose()
    listed = runner.invoke(main, ["users", "list"])
    assert listed.exit_code == 0, listed.output
    row = listed.output.strip().splitlines()[-1].split("\t")
    assert row[1:] == [
        "ana@rotterdam.nl",
        "municipality_admin",
        "municipality GM0599",
        "enabled",
        "password set",
    ]
    assert token not in listed.output
    assert "argon2" not in listed.output

    disabled = runner.invoke(main, ["users", "disable", row[0]])
    assert disabled.exit_code == 0, disabled.output
    assert "is disabled" in disabled.output
    assert "\tdisabled\t" in runner.invoke(main, ["users", "list"]).output
    missing = runner.invoke(main, ["users", "disable", "999"])
    assert missing.exit_code == 2
    assert "user 999 does not exist" in missing.output
