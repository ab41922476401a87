import pytest

from directory.accounts.rules import (
    Scope,
    email_problem,
    link_usable,
    normalise_email,
    password_problems,
    scope_problems,
)
from directory.enums import UserRole
from tests.conftest import NOW, days


@pytest.mark.parametrize(
    "email",
    ["ana@rotterdam.nl", "a.de.vries+wijkteam@buurtteam-noord.rotterdam.nl", "x@y.eu"],
)
def test_ordinary_work_addresses_are_accepted(email: str) -> None:
    assert email_problem(email) is None


@pytest.mark.parametrize(
    ("email", "reason"),
    [
        ("", "required"),
        ("ana de vries@rotterdam.nl", "no spaces"),
        ("ana@@rotterdam.nl", "one @"),
        ("ana@rotterdam@nl.nl", "one @"),
        ("rotterdam.nl", "one @"),
        ("@rotterdam.nl", "one @"),
        ("ana@rotterdam", "needs a dot"),
        ("ana@rotterdam.", "needs a dot"),
        ("ana@.nl", "needs a dot"),
        ("a" * 250 + "@x.nl", "at most 254"),
    ],
)
def test_malformed_addresses_are_refused_with_the_reason(email: str, reason: str) -> None:
    assert reason in (email_problem(email) or "")


def test_addresses_are_compared_trimmed_and_lower_cased() -> None:
    assert normalise_email("  Ana.de.Vries@Rotterdam.NL ") == "ana.de.vries@rotterdam.nl"


MUNICIPALITY = Scope(municipality="GM0599")
JEUGDREGIO = Scope(jeugdregio="JZ31")
SWV = Scope(swv="PO-28-12")
ORGANISATION = Scope(organisation_id=7)
NONE = Scope()
TWO_AREAS = Scope(municipality="GM0599", jeugdregio="JZ31")
AREA_AND_ORGANISATION = Scope(municipality="GM0599", organisation_id=7)


# role, scope, the fields named when it is refused ([] = allowed)
TRUTH_TABLE = [
    (UserRole.MUNICIPALITY_ADMIN, MUNICIPALITY, []),
    (UserRole.MUNICIPALITY_ADMIN, JEUGDREGIO, []),
    (UserRole.MUNICIPALITY_ADMIN, SWV, []),
    (UserRole.MUNICIPALITY_ADMIN, ORGANISATION, ["organisation", "scope"]),
    (UserRole.MUNICIPALITY_ADMIN, NONE, ["scope"]),
    (UserRole.MUNICIPALITY_ADMIN, TWO_AREAS, ["municipality", "jeugdregio"]),
    (UserRole.MUNICIPALITY_ADMIN, AREA_AND_ORGANISATION, ["organisation"]),
    (UserRole.WIJKTEAM, MUNICIPALITY, []),
    (UserRole.WIJKTEAM, JEUGDREGIO, []),
    (UserRole.WIJKTEAM, SWV, []),
    (UserRole.WIJKTEAM, ORGANISATION, ["organisation", "scope"]),
    (UserRole.WIJKTEAM, NONE, ["scope"]),
    (UserRole.WIJKTEAM, TWO_AREAS, ["municipality", "jeugdregio"]),
    (UserRole.PROVIDER_STAFF, ORGANISATION, []),
    (UserRole.PROVIDER_STAFF, MUNICIPALITY, ["municipality", "organisation"]),
    (UserRole.PROVIDER_STAFF, SWV, ["swv", "organisation"]),
    (UserRole.PROVIDER_STAFF, NONE, ["organisation"]),
    (UserRole.PROVIDER_STAFF, AREA_AND_ORGANISATION, ["municipality"]),
    (UserRole.PLATFORM_ADMIN, NONE, []),
    (UserRole.PLATFORM_ADMIN, MUNICIPALITY, ["municipality"]),
    (UserRole.PLATFORM_ADMIN, JEUGDREGIO, ["jeugdregio"]),
    (UserRole.PLATFORM_ADMIN, ORGANISATION, ["organisation"]),
]


@pytest.mark.parametrize(("role", "scope", "refused"), TRUTH_TABLE)
def test_each_role_works_on_its_own_kind_of_scope(
    role: UserRole, scope: Scope, refused: list[str]
) -> None:
    assert [problem.name for problem in scope_problems(role, scope)] == refused


def test_a_password_needs_twelve_characters_and_must_not_be_the_address() -> None:
    email = "ana@rotterdam.nl"
    assert password_problems("correct paard", email) == []
    assert password_problems("elevenchars", email) == ["use at least 12 characters"]
    assert password_problems(" ANA@Rotterdam.nl", email) == [
        "the password must not be your e-mail address"
    ]


def test_a_link_works_once_until_it_expires() -> None:
    expires = NOW + days(3)
    assert link_usable(None, expires, NOW)
    assert link_usable(None, expires, expires - days(1 / 86400))
    assert not link_usable(None, expires, expires)
    assert not link_usable(NOW, expires, NOW)


def test_a_scope_reads_as_its_fields() -> None:
    assert MUNICIPALITY.label == "municipality GM0599"
    assert ORGANISATION.label == "organisation 7"
    assert NONE.label == "-"
