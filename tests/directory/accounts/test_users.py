from datetime import datetime, timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from directory.accounts import users as users_module
from directory.accounts.models import PasswordToken, User
from directory.accounts.users import (
    LINK_NOT_VALID,
    create_user,
    disable_user,
    list_users,
    set_password,
    verify_password,
)
from directory.catalogue.models import AuditEvent
from directory.enums import UserRole
from directory.errors import ConflictError, InvalidDataError, NotFoundError
from tests.factories import create_organisation

PASSWORD = "lange zin met spaties"
EMAIL = "ana@rotterdam.nl"
AREAS = {"municipality": "GM0599", "jeugdregio": "JZ31", "swv": "PO-28-12"}


def scope_fields(session: Session, fields: tuple[str, ...]) -> dict[str, Any]:
    """The create_user arguments for these scope fields, with rows that exist."""
    arguments: dict[str, Any] = {name: AREAS[name] for name in fields if name in AREAS}
    if "organisation" in fields:
        arguments["organisation_id"] = create_organisation(session).id
    return arguments


ALLOWED = {
    (UserRole.MUNICIPALITY_ADMIN, ("municipality",)),
    (UserRole.MUNICIPALITY_ADMIN, ("jeugdregio",)),
    (UserRole.MUNICIPALITY_ADMIN, ("swv",)),
    (UserRole.WIJKTEAM, ("municipality",)),
    (UserRole.WIJKTEAM, ("jeugdregio",)),
    (UserRole.WIJKTEAM, ("swv",)),
    (UserRole.PROVIDER_STAFF, ("organisation",)),
    (UserRole.PLATFORM_ADMIN, ()),
}
SCOPES: list[tuple[str, ...]] = [
    (),
    ("municipality",),
    ("jeugdregio",),
    ("swv",),
    ("organisation",),
    ("municipality", "swv"),
    ("jeugdregio", "organisation"),
]


@pytest.mark.parametrize("role", list(UserRole))
@pytest.mark.parametrize("fields", SCOPES, ids=lambda fields: "+".join(fields) or "none")
def test_an_account_is_made_only_with_the_scope_its_role_works_on(
    session: Session, now: datetime, role: UserRole, fields: tuple[str, ...]
) -> None:
    arguments = scope_fields(session, fields)
    if (role, fields) not in ALLOWED:
        with pytest.raises(InvalidDataError) as refused:
            create_user(session, email=EMAIL, role=role, now=now, **arguments)
        assert refused.value.invalid_params
        assert session.scalar(select(User).where(User.email == EMAIL)) is None
        return
    user, _token = create_user(session, email=EMAIL, role=role, now=now, **arguments)
    stored = session.get_one(User, user.id)
    assert (stored.role, stored.password_hash) == (role, None)
    assert stored.municipality_code == arguments.get("municipality")
    assert stored.jeugdregio_code == arguments.get("jeugdregio")
    assert stored.swv_code == arguments.get("swv")
    assert stored.organisation_id == arguments.get("organisation_id")


@pytest.mark.parametrize("role", list(UserRole))
@pytest.mark.parametrize("fields", SCOPES, ids=lambda fields: "+".join(fields) or "none")
def test_the_database_refuses_a_scope_that_does_not_fit_the_role(
    session: Session, now: datetime, role: UserRole, fields: tuple[str, ...]
) -> None:
    arguments = scope_fields(session, fields)
    columns = {
        "municipality_code": arguments.get("municipality"),
        "jeugdregio_code": arguments.get("jeugdregio"),
        "swv_code": arguments.get("swv"),
        "organisation_id": arguments.get("organisation_id"),
    }
    row = User(email=EMAIL, role=role, created_at=now, sessions_valid_after=now, **columns)
    savepoint = session.begin_nested()
    session.add(row)
    if (role, fields) in ALLOWED:
        session.flush()
        savepoint.commit()
    else:
        with pytest.raises(IntegrityError):
            session.flush()
        savepoint.rollback()


def test_every_bad_field_is_named_at_once(session: Session, now: datetime) -> None:
    with pytest.raises(InvalidDataError) as refused:
        create_user(session, email="ana at rotterdam", role="burgemeester", now=now)
    assert [param.name for param in refused.value.invalid_params] == ["email", "role"]
    with pytest.raises(InvalidDataError) as unknown:
        create_user(session, email=EMAIL, role="wijkteam", municipality="GM9999", now=now)
    assert [(p.name, p.reason) for p in unknown.value.invalid_params] == [
        ("municipality", "GM9999 does not exist")
    ]
    with pytest.raises(InvalidDataError) as no_organisation:
        create_user(session, email=EMAIL, role="provider_staff", organisation_id=999999, now=now)
    assert "999999 does not exist" in str(no_organisation.value)


def test_codes_and_addresses_are_stored_as_written_officially(
    session: Session, now: datetime
) -> None:
    user, _ = create_user(
        session, email=" Ana@Rotterdam.NL ", role="wijkteam", swv=" po-28-12", now=now
    )
    assert (user.email, user.swv_code) == (EMAIL, "PO-28-12")


def test_one_account_per_address_whatever_its_case(session: Session, now: datetime) -> None:
    create_user(session, email=EMAIL, role="platform_admin", now=now)
    with pytest.raises(ConflictError) as duplicate:
        create_user(session, email="ANA@rotterdam.nl ", role="wijkteam", jeugdregio="JZ31", now=now)
    assert "already exists" in str(duplicate.value)
    assert [param.name for param in duplicate.value.invalid_params] == ["email"]
    assert len(list_users(session)) == 1


def test_the_link_sets_the_password_once(session: Session, now: datetime) -> None:
    user, token = create_user(session, email=EMAIL, role="platform_admin", now=now)
    later = now + timedelta(hours=71, minutes=59)
    assert set_password(session, token, PASSWORD, later) is user
    assert (user.password_set_at, user.sessions_valid_after) == (later, later)
    assert verify_password(session, EMAIL, PASSWORD, later) is user
    with pytest.raises(InvalidDataError) as again:
        set_password(session, token, "een ander wachtwoord", later)
    assert again.value.detail == LINK_NOT_VALID
    assert verify_password(session, EMAIL, PASSWORD, later) is user


def test_the_link_no_longer_works_after_72_hours(session: Session, now: datetime) -> None:
    _, token = create_user(session, email=EMAIL, role="platform_admin", now=now)
    with pytest.raises(InvalidDataError) as expired:
        set_password(session, token, PASSWORD, now + timedelta(hours=72))
    assert expired.value.detail == LINK_NOT_VALID
    with pytest.raises(InvalidDataError) as made_up:
        set_password(session, token[:-1] + "x", PASSWORD, now)
    # Used, expired or never issued: the same answer, so it tells nobody which codes exist.
    assert made_up.value == expired.value


def test_a_refused_password_leaves_the_link_usable(session: Session, now: datetime) -> None:
    _, token = create_user(session, email=EMAIL, role="platform_admin", now=now)
    with pytest.raises(InvalidDataError) as short:
        set_password(session, token, "kort", now)
    assert [(p.name, p.reason) for p in short.value.invalid_params] == [
        ("password", "use at least 12 characters")
    ]
    with pytest.raises(InvalidDataError) as address:
        set_password(session, token, "Ana@Rotterdam.nl", now)
    assert "must not be your e-mail address" in str(address.value)
    set_password(session, token, PASSWORD, now)
    assert verify_password(session, EMAIL, PASSWORD, now) is not None


def test_only_the_right_password_of_an_enabled_account_signs_in(
    session: Session, now: datetime
) -> None:
    user, token = create_user(session, email=EMAIL, role="platform_admin", now=now)
    assert verify_password(session, EMAIL, PASSWORD, now) is None  # no password yet
    set_password(session, token, PASSWORD, now)
    assert verify_password(session, " ANA@rotterdam.nl", PASSWORD, now) is user
    assert verify_password(session, EMAIL, PASSWORD.upper(), now) is None
    assert verify_password(session, "bob@rotterdam.nl", PASSWORD, now) is None
    disable_user(session, user.id, now + timedelta(hours=1))
    assert verify_password(session, EMAIL, PASSWORD, now + timedelta(hours=2)) is None


def test_an_unknown_address_costs_one_password_check_like_a_known_one(
    session: Session, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks: list[str] = []
    matches = users_module._matches

    def counting(password_hash: str, password: str) -> bool:
        checks.append(password_hash)
        return matches(password_hash, password)

    monkeypatch.setattr(users_module, "_matches", counting)
    assert verify_password(session, "nobody@rotterdam.nl", PASSWORD, now) is None
    assert len(checks) == 1
    assert checks[0].startswith("$argon2id$")


def test_a_hash_with_old_parameters_is_renewed_at_sign_in(session: Session, now: datetime) -> None:
    user, _ = create_user(session, email=EMAIL, role="platform_admin", now=now)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    user.password_hash = weak
    assert verify_password(session, EMAIL, PASSWORD, now) is user
    assert user.password_hash != weak
    assert not PasswordHasher().check_needs_rehash(user.password_hash)
    assert verify_password(session, EMAIL, PASSWORD, now) is user


def test_neither_the_password_nor_the_link_is_stored(session: Session, now: datetime) -> None:
    organisation = create_organisation(session)
    user, token = create_user(
        session, email=EMAIL, role="provider_staff", organisation_id=organisation.id, now=now
    )
    set_password(session, token, PASSWORD, now)
    session.expire_all()
    stored = [
        *session.execute(select(User.__table__)).all(),
        *session.execute(select(PasswordToken.__table__)).all(),
        *session.execute(select(AuditEvent.__table__)).all(),
    ]
    text = repr(stored)
    assert PASSWORD not in text
    assert token not in text
    assert (session.get_one(User, user.id).password_hash or "").startswith("$argon2id$")


def test_a_disabled_account_keeps_no_usable_link_or_session(
    session: Session, now: datetime
) -> None:
    user, token = create_user(session, email=EMAIL, role="wijkteam", municipality="GM0599", now=now)
    later = now + timedelta(hours=1)
    disabled = disable_user(session, user.id, later)
    assert (disabled.disabled_at, disabled.sessions_valid_after) == (later, later)
    with pytest.raises(InvalidDataError) as link:
        set_password(session, token, PASSWORD, later)
    assert link.value.detail == LINK_NOT_VALID
    # Disabling twice keeps the first moment.
    assert disable_user(session, user.id, later + timedelta(days=1)).disabled_at == later
    assert [u.disabled_at for u in list_users(session)] == [later]
    with pytest.raises(NotFoundError):
        disable_user(session, 999999, later)
