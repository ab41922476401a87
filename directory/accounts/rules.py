"""Pure rules of professionals' accounts: the form of an e-mail address, which scope fits
which role, what a password must be, and when a one-time link still works."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from directory.enums import UserRole
from directory.errors import InvalidParam

EMAIL_MAX_LENGTH = 254  # RFC 5321: the longest address a mail server forwards
PASSWORD_MIN_LENGTH = 12
SET_PASSWORD_VALID_FOR = timedelta(hours=72)
ROLES = tuple(role.value for role in UserRole)
# Roles that work on an area: one municipality, jeugdregio or samenwerkingsverband.
AREA_ROLES = (UserRole.MUNICIPALITY_ADMIN, UserRole.WIJKTEAM)
AREA_FIELDS = ("municipality", "jeugdregio", "swv")


@dataclass(frozen=True)
class Scope:
    """Whose data an account works on; which fields may be set depends on the role."""

    municipality: str | None = None
    jeugdregio: str | None = None
    swv: str | None = None
    organisation_id: int | None = None

    def _set(self) -> list[tuple[str, str | int]]:
        values = (self.municipality, self.jeugdregio, self.swv, self.organisation_id)
        names = (*AREA_FIELDS, "organisation")
        return [
            (name, value) for name, value in zip(names, values, strict=True) if value is not None
        ]

    def given(self) -> list[str]:
        """The names of the fields that are set, areas first."""
        return [name for name, _value in self._set()]

    @property
    def label(self) -> str:
        """E.g. `municipality GM0599`, `organisation 12`, or `-` for none."""
        return ", ".join(f"{name} {value}" for name, value in self._set()) or "-"


def normalise_email(email: str) -> str:
    """Addresses are compared and stored trimmed and lower-cased."""
    return email.strip().lower()


def email_problem(email: str) -> str | None:
    """Why a (normalised) e-mail address is refused, or None when its form is fine."""
    local, at, domain = email.partition("@")
    if not email:
        return "an e-mail address is required"
    if len(email) > EMAIL_MAX_LENGTH:
        return f"at most {EMAIL_MAX_LENGTH} characters"
    if any(character.isspace() for character in email):
        return "an e-mail address has no spaces"
    if not at or "@" in domain or not local:
        return "an e-mail address looks like name@example.nl (one @)"
    labels = domain.split(".")
    if len(labels) < 2 or not all(labels):
        return "the part after the @ needs a dot, like example.nl"
    return None


def role_problem(role: str) -> str | None:
    if role in ROLES:
        return None
    return f"{role!r} is not one of {', '.join(ROLES)}"


def scope_problems(role: UserRole, scope: Scope) -> list[InvalidParam]:
    """Each field that does not fit the role, or what is missing (empty when it fits):
    municipality staff and wijkteams work on exactly one area (municipality, jeugdregio or
    SWV), a provider's staff on one organisation, platform admins on everything."""
    given = scope.given()
    areas = [name for name in given if name in AREA_FIELDS]
    if role in AREA_ROLES:
        problems = []
        if scope.organisation_id is not None:
            problems.append(
                InvalidParam(
                    "organisation",
                    f"a {role} account works on a municipality, jeugdregio or SWV, "
                    "not an organisation",
                )
            )
        if not areas:
            problems.append(
                InvalidParam("scope", f"a {role} account needs a municipality, jeugdregio or SWV")
            )
        elif len(areas) > 1:
            problems += [
                InvalidParam(name, "give only one of municipality, jeugdregio or SWV")
                for name in areas
            ]
        return problems
    if role is UserRole.PROVIDER_STAFF:
        problems = [
            InvalidParam(name, f"a {role} account works on one organisation, not an area")
            for name in areas
        ]
        if scope.organisation_id is None:
            problems.append(InvalidParam("organisation", f"a {role} account needs an organisation"))
        return problems
    return [InvalidParam(name, f"a {role} account has no scope") for name in given]


def password_problems(password: str, email: str) -> list[str]:
    """Why a new password is refused (empty when it is accepted)."""
    problems = []
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(f"use at least {PASSWORD_MIN_LENGTH} characters")
    if normalise_email(password) == normalise_email(email):
        problems.append("the password must not be your e-mail address")
    return problems


def link_usable(used_at: datetime | None, expires_at: datetime, now: datetime) -> bool:
    """A one-time link works once, until it expires."""
    return used_at is None and now < expires_at
