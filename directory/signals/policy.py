"""What each category's gap means, decided once: which kind of signal a shortage raises,
what a PGB can pay for, and the norm that applies when no municipality, jeugdregio or
national norm is configured. Pure: no database, no clock.

Sources (see also docs/signals.md and ../shared/DOMAIN.md):
- Jeugdwet art. 8.1.1 (wetten.overheid.nl, BWBR0034925): a PGB buys the jeugdhulp of an
  individual provision; lid 2b is the parents' reasoned position that the contracted
  provision is not passend; lid 4a lets the college refuse *for the part* that costs more.
- Crisis care (iJw 46) must start within 24 hours; a PGB is no route to it.
- iJw 47, 48 (jeugdreclassering, jeugdbescherming) and 55 (landelijk ingekochte zorg) are
  not evaluated at all (`directory.signals.candidates.SKIPPED_IJW_CATEGORIES`); 49
  (preventief justitieel kader) is not care a PGB buys.
- OPDC is a temporary place in secondary education, paid by the samenwerkingsverband: its
  gap is an education gap. For an onderwijszorgarrangement, an onderwijsgericht
  dagprogramma or a behandel-/onderwijsgroep a PGB can pay only the care part.
- There is no legal waiting norm for a school place. The reports behind this project use
  the Thuiszitterspact (2016) as the reference: no child more than 3 months at home
  without education. It is labelled as a reference wherever it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from directory.catalogue.rules import Norm
from directory.enums import DayProgrammeType

# A shortage's kind: a PGB route may apply (care, day programmes), an education gap (school
# places, OPDC), or a care gap a PGB cannot fill (crisis care, preventief justitieel kader).
GapKind = Literal["pgb_route", "education_gap", "care_gap"]
PgbCover = Literal["all", "care_part", "none"]

CRISIS_CATEGORY = "ijw:46"
# Norm sources that are not configured rows (those read "municipality:…", "jeugdregio:…",
# "national:…") and not the configured default ("default", the Treeknorm).
CRISIS_SOURCE = "crisis"
EDUCATION_REFERENCE_SOURCE = "reference:thuiszitterspact"
# Within 24 hours: in weeks, no wait at all. An offer with open places is within it.
CRISIS_NORM = Norm(0, 0, CRISIS_SOURCE)
# 3 months, about 13 weeks, counted as one wait (schools publish no intake/treatment split).
EDUCATION_REFERENCE = Norm(0, 13, EDUCATION_REFERENCE_SOURCE)

NO_PGB_IJW = frozenset({46, 49})
CARE_PART_ONLY = frozenset(
    {
        DayProgrammeType.ONDERWIJSZORGARRANGEMENT.value,
        DayProgrammeType.ONDERWIJSGERICHT.value,
        DayProgrammeType.BEHANDEL_ONDERWIJSGROEP.value,
    }
)
SCHOOL_PLACE_PROGRAMMES = frozenset({DayProgrammeType.OPDC.value})


@dataclass(frozen=True, slots=True)
class CategoryPolicy:
    """How a category's gap is judged and named."""

    kind: GapKind
    pgb: PgbCover
    norm: Norm | None  # the category's own default norm; None: the configured default


def policy_for(category: str) -> CategoryPolicy:
    """The policy of a category key (`directory.catalogue.rules.category_key`)."""
    family, _, rest = category.partition(":")
    if family == "education":
        return CategoryPolicy("education_gap", "none", EDUCATION_REFERENCE)
    if family == "day_programme":
        if rest in SCHOOL_PLACE_PROGRAMMES:
            return CategoryPolicy("education_gap", "none", EDUCATION_REFERENCE)
        return CategoryPolicy("pgb_route", "care_part" if rest in CARE_PART_ONLY else "all", None)
    code = int(rest) if family == "ijw" and rest.isdigit() else None
    if code == 46:
        return CategoryPolicy("care_gap", "none", CRISIS_NORM)
    if code in NO_PGB_IJW:
        return CategoryPolicy("care_gap", "none", None)
    return CategoryPolicy("pgb_route", "all", None)


def default_norm(category: str, configured: Norm) -> Norm:
    """The norm of a category where no municipality, jeugdregio or national row is set."""
    own = policy_for(category).norm
    return configured if own is None else own


def is_school_category(category: str) -> bool:
    """School places: municipalities do not buy them; schools count where they are located
    or where their samenwerkingsverband covers the municipality."""
    return category.startswith("education:")
