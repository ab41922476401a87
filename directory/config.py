"""Settings, read once from the environment (prefix ``PLEKWIJZER_``) or a ``.env`` file."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal, Self
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from directory.catalogue.rules import Norm

DEFAULT_DATA_DIR = Path("var")
DEFAULT_VALIDITY = timedelta(days=31)
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}  # noqa: S104 (refused, not bound)
PLACEHOLDER_SECRETS = frozenset({"", "changethis", "change-me", "secret", "development"})


class Settings(BaseSettings):
    """Every setting of the application, in one place."""

    model_config = SettingsConfigDict(
        env_prefix="PLEKWIJZER_", env_file=".env", extra="ignore", populate_by_name=True
    )

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_DATA_DIR / 'plekwijzer.db'}",
        validation_alias="DATABASE_URL",
    )
    secret_key: SecretStr = SecretStr("development")
    host: str = "127.0.0.1"
    port: int = 8000
    # Where the public site is reached, for links in e-mails (http(s), no trailing slash).
    public_base_url: str = "http://127.0.0.1:8000"

    # How long a published figure stays valid when the provider gives no valid_until.
    availability_validity_days: int = Field(default=DEFAULT_VALIDITY.days, ge=1, le=366)
    # Provider API: requests per minute per API key, and body sizes.
    provider_rate_per_minute: int = Field(default=600, ge=1)
    max_body_bytes: int = Field(default=1_000_000, ge=1_000)
    max_bulk_body_bytes: int = Field(default=20_000_000, ge=1_000)
    # Public search and offer reads per minute per client address.
    public_rate_per_minute: int = Field(default=600, ge=1)
    # Public waiting-list look-ups per minute per client address (guessing codes is slow).
    waitlist_lookups_per_minute: int = Field(default=10, ge=1)
    # The proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (comma-separated
    # addresses or networks; "*" for any). Empty: none, so nobody can pick the address the
    # rate limits count by sending the header.
    forwarded_allow_ips: str = Field(default="", max_length=2000)

    # Search: Meilisearch when MEILI_URL is set, else the embedded index in the database.
    meili_url: str | None = Field(default=None, validation_alias="MEILI_URL")
    meili_key: SecretStr | None = Field(default=None, validation_alias="MEILI_MASTER_KEY")
    meili_index: str = Field(default="offers", pattern=r"^[A-Za-z0-9_-]{1,100}$")
    meili_timeout_seconds: float = Field(default=2.0, gt=0, le=60)
    # How often the outbox relay looks for changes to send to the index, and how often
    # every index is compared with the catalogue and repaired.
    index_poll_seconds: float = Field(default=0.2, gt=0, le=60)
    index_repair_seconds: float = Field(default=300, ge=10)

    # National default waiting norm (Treeknorm): weeks to intake + weeks to treatment.
    norm_intake_weeks: int = Field(default=4, ge=0)
    norm_treatment_weeks: int = Field(default=10, ge=0)
    # PGB alternatives are offers within this distance of the municipality's centre.
    signal_max_distance_km: float = Field(default=25.0, gt=0, le=500)

    # The scheduler (sync/scheduler.py): a full signal evaluation this often; a look for
    # changed availability, contracts and norms this often, re-evaluating only what they
    # touch; freshness reminders daily at this hour (Europe/Amsterdam), this many days
    # before a figure expires; case watches checked this often (a professional's case, not
    # an emergency: a minute is soon enough); queued notifications sent this often. The
    # scheduler lock (a lease on SQLite) lapses this long after its holder stopped renewing
    # it.
    signal_evaluation_minutes: int = Field(default=15, ge=1, le=1440)
    signal_change_poll_seconds: float = Field(default=5.0, ge=0.5, le=3600)
    reminder_days_before_expiry: int = Field(default=7, ge=1, le=90)
    reminder_hour: int = Field(default=8, ge=0, le=23)
    watch_evaluation_seconds: float = Field(default=60.0, ge=5, le=3600)
    notification_send_seconds: float = Field(default=10.0, ge=1, le=3600)
    scheduler_lease_seconds: int = Field(default=60, ge=10, le=3600)

    # Notifications (sync.notify): e-mail through this SMTP server, webhooks with a timeout.
    smtp_host: str = "localhost"
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_from: str = "Plekwijzer <noreply@plekwijzer.nl>"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    webhook_timeout_seconds: float = Field(default=5.0, gt=0, le=60)

    @property
    def availability_validity(self) -> timedelta:
        return timedelta(days=self.availability_validity_days)

    @property
    def default_norm(self) -> Norm:
        """The national default waiting norm, used where no region set its own."""
        return Norm(self.norm_intake_weeks, self.norm_treatment_weeks, "default")

    @field_validator("public_base_url")
    @classmethod
    def _check_public_base_url(cls, value: str) -> str:
        address = urlsplit(value)
        if address.scheme not in ("http", "https") or not address.hostname:
            raise ValueError("PLEKWIJZER_PUBLIC_BASE_URL must be an http(s) URL")
        if value.endswith("/") or address.query or address.fragment:
            raise ValueError(
                "PLEKWIJZER_PUBLIC_BASE_URL must end without a slash, query or fragment "
                "(like https://plekwijzer.nl)"
            )
        return value

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Self:
        if self.environment == "development":
            return self
        if self.secret_key.get_secret_value().strip().lower() in PLACEHOLDER_SECRETS:
            raise ValueError(
                "PLEKWIJZER_SECRET_KEY must be set to a real secret outside development"
            )
        # E-mails link to the site: a loopback address would reach nobody's browser.
        if urlsplit(self.public_base_url).hostname in LOOPBACK_HOSTS:
            raise ValueError(
                "PLEKWIJZER_PUBLIC_BASE_URL must be the site's public address outside "
                "development (like https://plekwijzer.nl)"
            )
        return self


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings; tests build their own `Settings` instead."""
    return Settings()
