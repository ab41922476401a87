"""The parents' search form: what the visitor typed, the search it asks for, and what to
tell them about a field that is not right. Shared by the home, results and "wait too long"
pages."""

from __future__ import annotations

import dataclasses

from starlette.datastructures import QueryParams

from directory.errors import InvalidParam
from web.pages.i18n import N_

PER_PAGE = 20
# Page-only parameters: the visitor's own municipality, and whether to show only offers
# it has contracted (sent to the search as `contracted_by`).
OWN_MUNICIPALITY = "gemeente"
CONTRACTED_ONLY = "alleen_contract"
PAGE_ONLY = {OWN_MUNICIPALITY, CONTRACTED_ONLY, "lang"}
# What a visitor reads when a field is not right, by search parameter.
FIELD_PROBLEMS = {
    "q": N_("Gebruik hoogstens 200 tekens."),
    "age": N_("Vul een leeftijd in van 0 tot en met 30 jaar, in hele jaren."),
    "leerjaar": N_("Kies een groep van 1 tot en met 8, of een leerjaar van 1 tot en met 6."),
    # Postcodes are known only where the catalogue has a location (search.places).
    "near": N_("Deze postcode of plaats kennen we niet. Probeer de naam van uw woonplaats."),
    OWN_MUNICIPALITY: N_("Kies uw gemeente uit de lijst."),
    "sort": N_("Sorteren op afstand kan alleen als u een postcode of plaats invult."),
    "max_wait_weeks": N_("Kies een wachttijd uit de lijst."),
}
FIELD_NAMES = {
    "q": N_("Zoekwoorden"),
    "age": N_("Leeftijd van uw kind"),
    "leerjaar": N_("Groep of leerjaar"),
    "near": N_("Postcode of plaats"),
    OWN_MUNICIPALITY: N_("Uw gemeente"),
    "sort": N_("Sorteren"),
    "max_wait_weeks": N_("Maximale wachttijd"),
    "kind": N_("Soort hulp"),
    "cluster": N_("Cluster"),
    "ijw_category": N_("Soort jeugdhulp"),
    "has_places": N_("Alleen met een vrije plaats"),
    "accepts_pgb": N_("Alleen aanbieders die met een pgb werken"),
}
NOT_RIGHT = N_("Deze keuze klopt niet; kies opnieuw.")


@dataclasses.dataclass(frozen=True, slots=True)
class SearchForm:
    """What the visitor filled in, as they typed it, to show it back."""

    params: QueryParams

    def value(self, name: str) -> str:
        return (self.params.get(name) or "").strip()

    def values(self, name: str) -> set[str]:
        return {part.strip() for raw in self.params.getlist(name) for part in raw.split(",")}

    def checked(self, name: str) -> bool:
        return self.value(name).lower() in ("1", "true", "yes")


def search_params(form: SearchForm) -> QueryParams:
    """The search API's parameters for the form: page-only ones left out, `contracted_by`
    from "only contracted by my municipality"."""
    items = [(name, value) for name, value in form.params.multi_items() if name not in PAGE_ONLY]
    own = form.value(OWN_MUNICIPALITY).upper()
    if own and form.checked(CONTRACTED_ONLY):
        items.append(("contracted_by", own))
    return QueryParams([*items, ("per_page", str(PER_PAGE))])


def own_municipality(
    form: SearchForm, municipalities: list[tuple[str, str]]
) -> tuple[str | None, list[InvalidParam]]:
    """The visitor's municipality when it is one that exists now."""
    raw = form.value(OWN_MUNICIPALITY).upper()
    if not raw:
        return None, []
    if raw in dict(municipalities):
        return raw, []
    return None, [InvalidParam(OWN_MUNICIPALITY, raw)]


def problems_shown(problems: list[InvalidParam]) -> list[tuple[str, str, str, str]]:
    """(field, the id to jump to, its label, what to do) per problem, one per field. A
    parameter the form has no field for (from a typed or shared address) points at the
    form as a whole."""
    shown: dict[str, tuple[str, str, str, str]] = {}
    for problem in problems:
        name = problem.name
        anchor = f"veld-{name}" if name in FIELD_NAMES else "filters-titel"
        label = FIELD_NAMES.get(name, N_("Zoekopdracht"))
        shown.setdefault(name, (name, anchor, label, FIELD_PROBLEMS.get(name, NOT_RIGHT)))
    return list(shown.values())
