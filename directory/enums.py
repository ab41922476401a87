"""The closed vocabularies of the catalogue, shared by models, rules and API schemas."""

from __future__ import annotations

from enum import StrEnum


class OrganisationKind(StrEnum):
    """What kind of body an organisation is."""

    SCHOOL_BOARD = "school_board"
    SCHOOL = "school"
    CARE_PROVIDER = "care_provider"
    SWV = "swv"  # samenwerkingsverband passend onderwijs
    MUNICIPALITY = "municipality"


class OfferKind(StrEnum):
    """What a place is for."""

    SPECIAL_EDUCATION = "special_education"
    DAY_PROGRAMME = "day_programme"
    YOUTH_CARE = "youth_care"


class SchoolType(StrEnum):
    """The type of special-education school place."""

    SO = "so"  # speciaal onderwijs, primary age
    VSO = "vso"  # voortgezet speciaal onderwijs, secondary age
    SBO = "sbo"  # speciaal basisonderwijs: primary education, not a cluster school


class TlvCategory(StrEnum):
    """Funding category of a toelaatbaarheidsverklaring (also written 1/2/3)."""

    LAAG = "laag"
    MIDDEN = "midden"
    HOOG = "hoog"


class ExitProfile(StrEnum):
    """Uitstroomprofiel of a VSO place."""

    VERVOLGONDERWIJS = "vervolgonderwijs"
    ARBEIDSMARKT = "arbeidsmarkt"
    DAGBESTEDING = "dagbesteding"


class DayProgrammeType(StrEnum):
    """The kinds of day programme and arrangement named in the reports."""

    ONDERWIJSZORGARRANGEMENT = "onderwijszorgarrangement"
    ONDERWIJSGERICHT = "onderwijsgericht_dagprogramma"
    ONTWIKKELGERICHT = "ontwikkelgericht_dagprogramma"
    DAGBESTEDING = "dagbesteding"
    BSO_PLUS = "bso_plus"
    OVERBRUGGING = "overbruggingszorg"
    BEHANDEL_ONDERWIJSGROEP = "behandel_onderwijsgroep"
    OPDC = "opdc"  # orthopedagogisch-didactisch centrum: a temporary place beside school


class AvailabilityStatus(StrEnum):
    """Whether an offer takes children now."""

    OPEN = "open"
    WAITLIST = "waitlist"
    CLOSED = "closed"
    ASSESSMENT_REQUIRED = "assessment_required"


class WaitMeasure(StrEnum):
    """How a waiting time was measured (NZa)."""

    CURRENT = "current"  # the third available slot in the agenda
    RETROSPECTIVE = "retrospective"  # mean realised wait of the last two months


class ContractKind(StrEnum):
    """How a municipality buys an offer."""

    ZORG_IN_NATURA = "zorg_in_natura"


class SwvLayer(StrEnum):
    """Primary (PO) or secondary (VO) passend onderwijs."""

    PO = "po"
    VO = "vo"


class UserRole(StrEnum):
    """What a professional's account may do; each role has its own kind of scope
    (directory.accounts.rules.scope_problems)."""

    MUNICIPALITY_ADMIN = "municipality_admin"
    WIJKTEAM = "wijkteam"  # also onderwijsconsulenten of an SWV
    PROVIDER_STAFF = "provider_staff"
    PLATFORM_ADMIN = "platform_admin"


class TokenPurpose(StrEnum):
    """What a one-time link sent to a professional is for."""

    SET_PASSWORD = "set_password"  # noqa: S105 (a purpose, not a password)
