"""`plekwijzer users`: accounts for professionals (municipality staff, wijkteams, a
provider's staff, platform admins). An account starts without a password; its owner sets
one through a one-time link that this command prints once."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from directory.accounts.rules import ROLES, SET_PASSWORD_VALID_FOR
from directory.accounts.users import create_user, disable_user, list_users, scope_of
from directory.config import get_settings
from web.cli_kit import command_unit, console

SET_PASSWORD_PATH = "/wachtwoord-instellen"  # noqa: S105 (a page, not a password)


@click.group("users")
def users() -> None:
    """Accounts for professionals: passwords hashed with argon2, one role and scope each."""


@users.command("create")
@click.option("--email", required=True, help="The professional's work e-mail address.")
@click.option("--role", required=True, type=click.Choice(ROLES), help="What the account may do.")
@click.option("--municipality", help="CBS code, e.g. GM0599 (municipality_admin, wijkteam).")
@click.option("--jeugdregio", help="Region code, e.g. JZ31 (municipality_admin, wijkteam).")
@click.option("--swv", help="Samenwerkingsverband, e.g. PO-28-12 (municipality_admin, wijkteam).")
@click.option(
    "--organisation",
    "organisation_id",
    type=click.IntRange(1, 2**31 - 1),
    help="Organisation id (provider_staff).",
)
def create_command(
    email: str,
    role: str,
    municipality: str | None,
    jeugdregio: str | None,
    swv: str | None,
    organisation_id: int | None,
) -> None:
    """Create an account and print its one-time set-password link.

    municipality_admin and wijkteam work on one --municipality, --jeugdregio or --swv;
    provider_staff on one --organisation; platform_admin needs no scope. The link works
    once, for 72 hours, at PLEKWIJZER_PUBLIC_BASE_URL/wachtwoord-instellen; that page comes
    with the login pages in the next step of the accounts work.
    """
    with command_unit() as session:
        user, token = create_user(
            session,
            email=email,
            role=role,
            municipality=municipality,
            jeugdregio=jeugdregio,
            swv=swv,
            organisation_id=organisation_id,
            now=datetime.now(UTC),
        )
    hours = int(SET_PASSWORD_VALID_FOR.total_seconds() // 3600)
    console.print(
        f"Account {user.id} for {user.email}: {user.role}, {scope_of(user).label}.",
        markup=False,
    )
    console.print(
        f"Send this link to its owner; it sets the password once, within {hours} hours, "
        "and is not shown again:"
    )
    click.echo(f"{get_settings().public_base_url}{SET_PASSWORD_PATH}?code={token}")


@users.command("list")
def list_command() -> None:
    """Every account: id, e-mail, role, scope, enabled or disabled, password set or not."""
    with command_unit() as session:
        rows = [
            (
                user.id,
                user.email,
                user.role,
                scope_of(user).label,
                "disabled" if user.disabled_at else "enabled",
                "password set" if user.password_hash else "no password yet",
            )
            for user in list_users(session)
        ]
    for row in rows:
        click.echo("\t".join(map(str, row)))
    if not rows:
        console.print("No accounts yet.")


@users.command("disable")
@click.argument("user_id", type=click.IntRange(1, 2**31 - 1))
def disable_command(user_id: int) -> None:
    """Disable an account: it cannot sign in, and its unused links stop working."""
    with command_unit() as session:
        user = disable_user(session, user_id, datetime.now(UTC))
    console.print(f"Account {user.id} ({user.email}) is disabled.", markup=False)
