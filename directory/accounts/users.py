"""Professionals' accounts: create one with a one-time set-password link, set the password
through that link, check a password, list and disable accounts.

Passwords are hashed with argon2id (argon2-cffi's default parameters). The code in a
one-time link is a long random string, so, as with API keys (`directory.accounts.keys`),
its SHA-256 is enough; only that hash is stored. Services flush; the caller commits.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from directory.accounts.keys import OPERATOR, hash_key
from directory.accounts.models import PasswordToken, User
from directory.accounts.rules import (
    SET_PASSWORD_VALID_FOR,
    Scope,
    email_problem,
    link_usable,
    normalise_email,
    password_problems,
    role_problem,
    scope_problems,
)
from directory.catalogue.models import Organisation
from directory.catalogue.service import write_audit
from directory.enums import TokenPurpose, UserRole
from directory.errors import ConflictError, InvalidDataError, InvalidParam, NotFoundError
from directory.reference.models import Jeugdregio, Municipality, Swv

HASHER = PasswordHasher()
# Wrong, used and expired links get the same answer: it tells nobody which codes exist.
LINK_NOT_VALID = "this link is not valid (it may have been used or have expired): ask for a new one"


def scope_of(user: User) -> Scope:
    """The account's scope, as `directory.accounts.rules` judges it."""
    return Scope(user.municipality_code, user.jeugdregio_code, user.swv_code, user.organisation_id)


def _code(value: str | None) -> str | None:
    """Codes as people type them: `gm0599 ` is GM0599."""
    if value is None:
        return None
    return value.strip().upper() or None


def _missing_rows(session: Session, scope: Scope, judged: set[str]) -> list[InvalidParam]:
    """The scope's fields that name no row (fields already refused are not looked up)."""
    rows: tuple[tuple[str, type[object], str | int | None], ...] = (
        ("municipality", Municipality, scope.municipality),
        ("jeugdregio", Jeugdregio, scope.jeugdregio),
        ("swv", Swv, scope.swv),
        ("organisation", Organisation, scope.organisation_id),
    )
    return [
        InvalidParam(name, f"{key} does not exist")
        for name, model, key in rows
        if key is not None and name not in judged and session.get(model, key) is None
    ]


def _mint_token(session: Session, user: User, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    session.add(
        PasswordToken(
            user_id=user.id,
            token_hash=hash_key(token),
            purpose=TokenPurpose.SET_PASSWORD,
            created_at=now,
            expires_at=now + SET_PASSWORD_VALID_FOR,
        )
    )
    return token


def create_user(
    session: Session,
    *,
    email: str,
    role: str,
    municipality: str | None = None,
    jeugdregio: str | None = None,
    swv: str | None = None,
    organisation_id: int | None = None,
    now: datetime,
) -> tuple[User, str]:
    """A new account without a password, and the code of its one-time set-password link
    (valid for 72 hours). The code is returned here and never again: do not log it."""
    address = normalise_email(email)
    scope = Scope(_code(municipality), _code(jeugdregio), _code(swv), organisation_id)
    problems = []
    if reason := email_problem(address):
        problems.append(InvalidParam("email", reason))
    if reason := role_problem(role):
        problems.append(InvalidParam("role", reason))
    else:
        problems += scope_problems(UserRole(role), scope)
    problems += _missing_rows(session, scope, {problem.name for problem in problems})
    if problems:
        raise InvalidDataError("the account cannot be created", problems)
    if session.scalar(select(User.id).where(User.email == address)) is not None:
        conflict = ConflictError(f"an account with the e-mail address {address} already exists")
        conflict.invalid_params.append(InvalidParam("email", "already has an account"))
        raise conflict
    user = User(
        email=address,
        role=UserRole(role),
        municipality_code=scope.municipality,
        jeugdregio_code=scope.jeugdregio,
        swv_code=scope.swv,
        organisation_id=scope.organisation_id,
        created_at=now,
        sessions_valid_after=now,
    )
    session.add(user)
    session.flush()
    token = _mint_token(session, user, now)
    # No e-mail address in the audit log: an organisation's API reads its own log.
    write_audit(
        session, OPERATOR, "user.create", ("user", user.id), now=now,
        after={"role": str(user.role), "scope": scope.label}, organisation_id=scope.organisation_id,
    )  # fmt: skip
    session.flush()
    return user, token


def set_password(session: Session, token: str, password: str, now: datetime) -> User:
    """Set the password of the account a one-time link belongs to, and use up the link.

    Every session that began before is no longer valid (a reset signs out everywhere).
    """
    link = session.scalar(
        select(PasswordToken).where(PasswordToken.token_hash == hash_key(token)).with_for_update()
    )
    user = session.get(User, link.user_id) if link is not None else None
    if (
        link is None
        or user is None
        or user.disabled_at is not None
        or not link_usable(link.used_at, link.expires_at, now)
    ):
        raise InvalidDataError(LINK_NOT_VALID, [InvalidParam("token", "not valid")])
    if problems := password_problems(password, user.email):
        raise InvalidDataError(
            "the password is not accepted", [InvalidParam("password", p) for p in problems]
        )
    user.password_hash = HASHER.hash(password)
    user.password_set_at = now
    user.sessions_valid_after = now
    link.used_at = now
    write_audit(
        session, OPERATOR, "user.set_password", ("user", user.id), now=now,
        organisation_id=user.organisation_id,
    )  # fmt: skip
    session.flush()
    return user


@cache
def _dummy_hash() -> str:
    # Made with the same parameters as real hashes, so checking it takes as long.
    return HASHER.hash(secrets.token_urlsafe(16))


def _matches(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_password(session: Session, email: str, password: str, now: datetime) -> User | None:
    """The enabled account with this e-mail address and password, or None.

    An unknown address, a disabled account or one without a password takes as long as a
    wrong password, so the answer's timing does not tell which addresses have an account.
    `now` is the moment of the attempt: an account disabled by then is refused.
    """
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if (
        user is None
        or user.password_hash is None
        or (user.disabled_at is not None and user.disabled_at <= now)
    ):
        _matches(_dummy_hash(), password)
        return None
    if not _matches(user.password_hash, password):
        return None
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = HASHER.hash(password)
        session.flush()
    return user


def list_users(session: Session) -> list[User]:
    """Every account, oldest first."""
    return list(session.scalars(select(User).order_by(User.id)))


def disable_user(session: Session, user_id: int, now: datetime) -> User:
    """Disable an account: no sign-in, no unused link works, every session ends."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError(f"user {user_id}")
    if user.disabled_at is None:
        user.disabled_at = now
        user.sessions_valid_after = now
        session.execute(
            update(PasswordToken)
            .where(
                PasswordToken.user_id == user.id,
                PasswordToken.used_at.is_(None),
                PasswordToken.expires_at > now,
            )
            .values(expires_at=now)
        )
        write_audit(
            session, OPERATOR, "user.disable", ("user", user.id), now=now,
            organisation_id=user.organisation_id,
        )  # fmt: skip
    session.flush()
    return user
