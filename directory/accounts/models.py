"""Who may act: API clients (keys, stored hashed) and the idempotency records of their
requests; professionals' accounts (passwords as argon2 hashes) and their one-time links
(stored as SHA-256 hashes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from directory.db import Base, JSONList, UTCDateTime, enum_column, utcnow
from directory.enums import TokenPurpose, UserRole

# The same rule as directory.accounts.rules.scope_problems, kept by the database too.
_AREAS_GIVEN = (
    "(CASE WHEN municipality_code IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN jeugdregio_code IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN swv_code IS NULL THEN 0 ELSE 1 END)"
)
SCOPE_FITS_ROLE = (
    f"(role IN ('municipality_admin', 'wijkteam') AND organisation_id IS NULL"
    f" AND {_AREAS_GIVEN} = 1)"
    f" OR (role = 'provider_staff' AND organisation_id IS NOT NULL AND {_AREAS_GIVEN} = 0)"
    f" OR (role = 'platform_admin' AND organisation_id IS NULL AND {_AREAS_GIVEN} = 0)"
)


class ApiClient(Base):
    """A provider's API key. Only a SHA-256 hash of the key is stored; the prefix finds it."""

    __tablename__ = "api_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    key_prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JSONList, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class IdempotencyRecord(Base):
    """The first answer to a request sent with an `Idempotency-Key`, replayed on retries."""

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("api_client_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    api_client_id: Mapped[int] = mapped_column(ForeignKey("api_client.id"))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    response_body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class User(Base):
    """A professional's account: the only personal data Plekwijzer keeps.

    The e-mail address is stored lower-cased; the password only as an argon2 hash, and
    none until the user follows their set-password link. The scope columns say whose data
    the account works on: one area (municipality, jeugdregio or SWV) for municipality
    staff and wijkteams, one organisation for a provider's staff, none for platform admins.
    """

    __tablename__ = "user_account"  # "user" is a reserved word in PostgreSQL
    __table_args__ = (CheckConstraint(SCOPE_FITS_ROLE, name="scope_fits_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[UserRole] = mapped_column(enum_column(UserRole))
    municipality_code: Mapped[str | None] = mapped_column(ForeignKey("municipality.code"))
    jeugdregio_code: Mapped[str | None] = mapped_column(ForeignKey("jeugdregio.code"))
    swv_code: Mapped[str | None] = mapped_column(ForeignKey("swv.code"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_set_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A session that began before this moment is no longer valid ("sign out everywhere").
    sessions_valid_after: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PasswordToken(Base):
    """A one-time link to set a password. Only the SHA-256 of its code is stored: whoever
    reads the table cannot use a link."""

    __tablename__ = "password_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column(TokenPurpose))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
