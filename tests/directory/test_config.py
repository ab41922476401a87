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


def test_the_public_base_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(_env_file=None).public_base_url == "http://127.0.0.1:8000"
    monkeypatch.setenv("PLEKWIJZER_PUBLIC_BASE_URL", "https://plekwijzer.nl")
    assert Settings(_env_file=None).public_base_url == "https://plekwijzer.nl"


@pytest.mark.parametrize(
    "url", ["plekwijzer.nl", "ftp://plekwijzer.nl", "https://plekwijzer.nl/", "https://", ""]
)
def test_a_public_base_url_must_be_http_without_a_trailing_slash(url: str) -> None:
    with pytest.raises(ValidationError, match="PUBLIC_BASE_URL"):
        Settings(_env_file=None, public_base_url=url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://localhost", "http://[::1]:8000"])
def test_outside_development_e_mail_links_must_reach_the_public_site(url: str) -> None:
    secret = "a-real-secret-of-some-length"
    with pytest.raises(ValidationError, match="PUBLIC_BASE_URL"):
        Settings(_env_file=None, environment="production", secret_key=secret, public_base_url=url)
    public = Settings(
        _env_file=None,
        environment="production",
        secret_key=secret,
        public_base_url="https://plekwijzer.nl",
    )
    assert public.public_base_url == "https://plekwijzer.nl"
