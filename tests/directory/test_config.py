import pytest
from pydantic import ValidationError

from directory.config import Settings


def test_database_defaults_to_a_local_sqlite_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert Settings(_env_file=None).database_url.startswith("sqlite:///")


def test_database_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://app@db/plekwijzer")
    assert Settings(_env_file=None).database_url == "postgresql+psycopg://app@db/plekwijzer"


@pytest.mark.parametrize("secret", ["", "changethis", "development"])
def test_placeholder_secrets_are_refused_outside_development(secret: str) -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(_env_file=None, environment="production", secret_key=secret)


def test_development_runs_without_configuration() -> None:
    assert Settings(_env_file=None, environment="development").environment == "development"
