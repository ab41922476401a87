"""The public pages for parents: search, results, an offer, a waiting-list position and
what to do when the wait is too long. Server-rendered; they work without JavaScript.

Handlers read the request, run one read-only unit of work and render a template; what the
pages say is decided in `web.pages.parents.views` and read in `directory.catalogue.listing`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from babel.numbers import format_currency
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from directory.catalogue.listing import (
    contracting_municipalities,
    current_municipalities,
    ijw_category_names,
    municipality_names,
    offer_names,
    offer_summaries,
)
from directory.catalogue.rules import headline, is_fresh, netto_waiting_list, total_wait_weeks
from directory.catalogue.service import load_offer_view, scoped_figures
from directory.errors import DirectoryError, InvalidDataError, InvalidParam
from directory.signals.models import Signal
from directory.signals.service import SignalFilter, list_signals
from providers.waitlist import find_position
from search.places import resolve_near
from search.query import SearchQuery, Sort
from search.service import Search
from web.api.public import MUNICIPALITY, parse_query, search_of
from web.kit.http import client_address, now_of, path_id, transact
from web.pages.assets import StyleSheet
from web.pages.i18n import COOKIE, LANGUAGES, N_, language_of, translations
from web.pages.parents import views as page_views

TEMPLATES = Path(__file__).parents[2] / "templates" / "pages"
PER_PAGE = 20
# Page-only parameters: the visitor's own municipality, and whether to show only offers
# it has contracted (sent to the search as `contracted_by`).
OWN_MUNICIPALITY = "gemeente"
CONTRACTED_ONLY = "alleen_contract"
PAGE_ONLY = {OWN_MUNICIPALITY, CONTRACTED_ONLY, "lang"}
MAX_WAIT_CHOICES = (4, 8, 14, 26, 52)
MAX_SIGNALS_SHOWN = 50
HISTORY_WEEKS = 53  # the chart shows about the last year
# What a visitor reads when a field is not right, by search parameter.
FIELD_PROBLEMS = {
    "q": N_("Gebruik hoogstens 200 tekens."),
    "age": N_("Vul een leeftijd in van 0 tot en met 30 jaar, in hele jaren."),
    # Postcodes are known only where the catalogue has a location (search.places).
    "near": N_("Deze postcode of plaats kennen we niet. Probeer de naam van uw woonplaats."),
    OWN_MUNICIPALITY: N_("Kies uw gemeente uit de lijst."),
    "sort": N_("Sorteren op afstand kan alleen als u een postcode of plaats invult."),
    "max_wait_weeks": N_("Kies een wachttijd uit de lijst."),
}
FIELD_NAMES = {
    "q": N_("Zoekwoorden"),
    "age": N_("Leeftijd van uw kind"),
    "near": N_("Postcode of plaats"),
    OWN_MUNICIPALITY: N_("Uw gemeente"),
    "sort": N_("Sorteren"),
    "max_wait_weeks": N_("Wachttijd"),
    "kind": N_("Soort hulp"),
    "cluster": N_("Cluster"),
    "ijw_category": N_("Soort jeugdhulp"),
    "has_places": N_("Alleen met een vrije plaats"),
    "accepts_pgb": N_("Alleen aanbieders die met een pgb werken"),
}
NOT_RIGHT = N_("Deze keuze klopt niet; kies opnieuw.")
LOOKUP_CODE = "code"
MAX_FORM_BYTES = 2_000


@cache
def environment(lang: str) -> Environment:
    """The templates in `lang`: `_`/`ngettext` from the catalogue, autoescape on."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    t = translations(lang)
    env.install_gettext_translations(t, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        wait_words=lambda weeks: page_views.wait_words(weeks, t),
        day_words=lambda moment: page_views.day_words(moment, lang),
        number_words=lambda value: page_views.number_words(value, lang),
        KIND_LABELS=page_views.KIND_LABELS,
        STATUS_LABELS=page_views.STATUS_LABELS,
        STATUS_TONES=page_views.STATUS_TONES,
        SCHOOL_TYPE_LABELS=page_views.SCHOOL_TYPE_LABELS,
        CLUSTER_LABELS=page_views.CLUSTER_LABELS,
        DAY_PROGRAMME_LABELS=page_views.DAY_PROGRAMME_LABELS,
        EXIT_PROFILE_LABELS=page_views.EXIT_PROFILE_LABELS,
        TARIFF_UNITS=page_views.TARIFF_UNITS,
        TLV_LABELS=page_views.TLV_LABELS,
        SORT_LABELS=page_views.SORT_LABELS,
    )
    return env


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The page in the visitor's language, remembering a language they just chose."""
    lang, remember = language_of(request)
    other = next(code for code in LANGUAGES if code != lang)
    style: StyleSheet = request.app.state.style_sheet
    switch = page_views.query_string(request.query_params.multi_items(), lang=other)
    html = (
        environment(lang)
        .get_template(template)
        .render(
            lang=lang,
            other_lang=other,
            # Only the query: the path a visitor came in on is never echoed into a link.
            switch_url=f"?{switch}",
            path=request.url.path,
            style_url=f"/static/{style.name}",
            **context,
        )
    )
    response = HTMLResponse(
        html,
        status_code=status,
        headers={"Content-Language": lang, "Vary": "Cookie", "Cache-Control": "no-cache"},
    )
    if remember:
        response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


# --- home and results ---------------------------------------------------------------------


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


async def home(request: Request) -> Response:
    """The guided search: what kind of help, age, postcode or place, municipality."""

    def work(session: Session) -> list[tuple[str, str]]:
        return current_municipalities(session)

    municipalities = await transact(request, work, read_only=True)
    return render(
        request,
        "home.html",
        form=SearchForm(request.query_params),
        municipalities=municipalities,
    )


async def results(request: Request) -> Response:
    """Search results with filters, exact facet counts, sorting and pages."""
    now = now_of(request)
    form = SearchForm(request.query_params)
    problems: list[InvalidParam] = []
    try:
        query, near = parse_query(search_params(form))
    except InvalidDataError as error:
        problems += error.invalid_params
        query, near = SearchQuery(per_page=PER_PAGE), None

    def work(session: Session) -> dict[str, Any]:
        municipalities = current_municipalities(session)
        own, wrong = own_municipality(form, municipalities)
        found: dict[str, Any] = {"municipalities": municipalities, "own": own, "result": None}
        try:
            point = resolve_near(session, near) if near and not problems else None
        except InvalidDataError as error:
            wrong += error.invalid_params
        if problems or wrong:
            return {**found, "problems": wrong}
        located = dataclasses.replace(query, near=point)
        search = search_of(request)
        result = search.search(located, now)
        ids = [hit.id for hit in result.items]
        located_in = {hit.municipality for hit in result.items if hit.municipality}
        return {
            **found,
            "problems": [],
            "result": result,
            "facets": {**result.facets, **wider_facets(search, located, now)},
            "summaries": offer_summaries(session, ids, own, now.date()),
            "names": municipality_names(
                session, located_in | set(result.facets.get("municipality", {}))
            ),
            "ijw_names": ijw_category_names(session),
        }

    found = await transact(request, work, read_only=True)
    problems += found["problems"]
    result = found["result"]
    pages = -(-result.total // PER_PAGE) if result else 0
    if result and pages and query.page > pages:
        # A page past the end (an old link, a typed address): the last page instead.
        last = page_views.query_string(request.query_params.multi_items(), page=str(pages))
        return RedirectResponse(f"/zoeken?{last}", status_code=303)
    own = found["own"]
    back = page_views.query_string(request.query_params.multi_items(), lang=None)
    return render(
        request,
        "results.html",
        status=400 if problems else 200,
        form=form,
        query=query,
        problems=problems_shown(problems),
        own=own,
        own_name=dict(found["municipalities"]).get(own or ""),
        municipalities=found["municipalities"],
        result=result,
        facets=found.get("facets", {}),
        summaries=found.get("summaries", {}),
        names=found.get("names", {}),
        ijw_names=found.get("ijw_names", {}),
        pages=pages,
        page_numbers=page_views.page_numbers(query.page, pages) if pages > 1 else [],
        page_link=lambda number: (
            "/zoeken?"
            + page_views.query_string(
                request.query_params.multi_items(), page=str(number), lang=None
            )
        ),
        back=back,
        sorts=[sort for sort in Sort if sort is not Sort.DISTANCE or near],
        max_wait_choices=sorted(
            {*MAX_WAIT_CHOICES, *([query.max_wait_weeks] if query.max_wait_weeks else [])}
        ),
    )


def wider_facets(search: Search, query: SearchQuery, now: datetime) -> dict[str, dict[str, int]]:
    """The counts of each filtered facet over the results without that facet's own filter,
    so each option tells what ticking it as well would add (not 0 for all but the ticked
    one)."""
    unfiltered = {
        "kind": dataclasses.replace(query, kinds=()) if query.kinds else None,
        "cluster": dataclasses.replace(query, clusters=()) if query.clusters else None,
        "ijw_category": (
            dataclasses.replace(query, ijw_categories=()) if query.ijw_categories else None
        ),
    }
    return {
        facet: search.search(dataclasses.replace(wider, page=1, per_page=1), now).facets.get(
            facet, {}
        )
        for facet, wider in unfiltered.items()
        if wider is not None
    }


# --- one offer ----------------------------------------------------------------------------


async def offer(request: Request) -> Response:
    """Everything about one offer, with the way back to the visitor's results."""
    now = now_of(request)
    offer_id = path_id(request)
    back = request.query_params.get("terug", "")
    own = dict(parse_qsl(back)).get(OWN_MUNICIPALITY, "").upper() or None
    if own is not None and not MUNICIPALITY.fullmatch(own):
        own = None
    lang, _ = language_of(request)

    def work(session: Session) -> dict[str, Any]:
        view = load_offer_view(session, offer_id)
        top = headline([scoped_figures(scope, report) for scope, report in view.current], now)
        codes = {location.municipality_code for location in view.offer.locations}
        codes |= {contract.municipality_code for contract in view.contracts}
        if own:
            codes.add(own)
        ijw = ijw_category_names(session)
        recent = [
            (
                report.measured_at,
                total_wait_weeks(report.intake_wait_weeks, report.treatment_wait_weeks),
            )
            for report in view.history
            if (now - report.measured_at).days <= HISTORY_WEEKS * 7
        ]
        return {
            "view": view,
            "top": top,
            "fresh": top is not None and is_fresh(top.valid_until, now),
            "figures": [
                {
                    "scope": scope,
                    "report": report,
                    "location": next(
                        (loc for loc in view.offer.locations if loc.id == report.location_id),
                        None,
                    ),
                    "total": total_wait_weeks(
                        report.intake_wait_weeks, report.treatment_wait_weeks
                    ),
                    "netto": netto_waiting_list(report.waiting_list_size, report.bridging_count),
                    "fresh": is_fresh(report.valid_until, now),
                }
                for scope, report in view.current
            ],
            "measures": {report.measure.value for _, report in view.current},
            "contracted_by": contracting_municipalities(session, offer_id, now.date()),
            "names": municipality_names(session, codes),
            "ijw_names": ijw,
            "chart": page_views.wait_chart(recent, lang),
        }

    found = await transact(request, work, read_only=True)
    offer = found["view"].offer
    tariff = None
    if offer.tariff_cents is not None:
        tariff = format_currency(offer.tariff_cents / 100, "EUR", locale=lang)
    return render(
        request,
        "offer.html",
        offer=offer,
        organisation=found["view"].organisation_name,
        back=back,
        own=own,
        tariff=tariff,
        **{key: value for key, value in found.items() if key != "view"},
    )


# --- waiting-list position ----------------------------------------------------------------


async def waitlist(request: Request) -> Response:
    """The form for a reference code (GET) and the position it finds (POST). The code goes
    in the body, so it stays out of addresses, logs and history."""
    if request.method == "GET":
        return render(request, "waitlist.html", position=None, not_found=False, code="")
    # Every lookup counts, as in the API, so trying codes costs the same here.
    request.app.state.waitlist_limiter.hit(f"ip:{client_address(request)}", now_of(request))
    code = await form_value(request, LOOKUP_CODE)

    def work(session: Session) -> Any:
        return find_position(session, code)

    try:
        position = await transact(request, work, read_only=True)
    except DirectoryError as error:
        if error.status != 404:
            raise
        response = render(
            request, "waitlist.html", status=404, position=None, not_found=True, code=code
        )
    else:
        response = render(request, "waitlist.html", position=position, not_found=False, code="")
    # A position is for the parent alone: no cache keeps it.
    response.headers["Cache-Control"] = "no-store"
    return response


async def form_value(request: Request, name: str) -> str:
    """One field of a small url-encoded form; a body that is too large counts as empty."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return ""
    fields = dict(parse_qsl(body.decode("utf-8", errors="replace")))
    return fields.get(name, "").strip()


# --- what to do when the wait is too long -------------------------------------------------


async def too_long(request: Request) -> Response:
    """The PGB route and the onderwijsconsulent explained, with the open signals of the
    visitor's municipality."""
    form = SearchForm(request.query_params)

    def work(session: Session) -> dict[str, Any]:
        municipalities = current_municipalities(session)
        own, problems = own_municipality(form, municipalities)
        signals: list[Signal] = []
        total = 0
        if own:
            where = SignalFilter(municipality=own, state="open")
            signals, total = list_signals(session, where, page=1, per_page=MAX_SIGNALS_SHOWN)
        cited = {item["offer_id"] for signal in signals for item in signal.alternatives}
        return {
            "municipalities": municipalities,
            "own": own,
            "problems": problems,
            "signals": signals,
            "total": total,
            "offer_names": offer_names(session, cited),
            "ijw_names": ijw_category_names(session),
        }

    found = await transact(request, work, read_only=True)
    t = translations(language_of(request)[0])
    return render(
        request,
        "too_long.html",
        category_words=lambda key: page_views.category_words(key, found["ijw_names"], t),
        status=400 if found["problems"] else 200,
        own_name=dict(found["municipalities"]).get(found["own"] or ""),
        form=form,
        **{**found, "problems": problems_shown(found["problems"])},
    )


# --- errors -------------------------------------------------------------------------------

ERROR_TEXTS = {
    400: (N_("Er klopt iets niet in uw vraag"), N_("Ga terug en probeer het opnieuw.")),
    404: (
        N_("Deze pagina bestaat niet (meer)"),
        N_("Misschien is het aanbod weggehaald of is het adres verkeerd overgenomen."),
    ),
    429: (
        N_("Even wachten"),
        N_("U hebt veel pagina's snel na elkaar opgevraagd. Probeer het over een minuut opnieuw."),
    ),
    500: (
        N_("Er ging bij ons iets mis"),
        N_("Dat is niet uw fout. We hebben het genoteerd. Probeer het later opnieuw."),
    ),
}


def error_page(request: Request, status: int, headers: Mapping[str, str] | None = None) -> Response:
    """A helpful error page in the visitor's language."""
    title, advice = ERROR_TEXTS.get(status, ERROR_TEXTS[400 if status < 500 else 500])
    response = render(request, "error.html", status=status, title=title, advice=advice)
    response.headers.update(headers or {})
    return response


def is_page(request: Request) -> bool:
    """Whether `request` asked for a page (not the JSON API)."""
    path: str = request.url.path
    return not path.startswith("/api/") and path != "/health"


def style_sheet(request: Request) -> Response:
    """The bundled style sheet; its name changes with its content, so it is kept for long."""
    style: StyleSheet = request.app.state.style_sheet
    if request.path_params["name"] != style.name:
        return Response(status_code=404)
    return Response(
        style.css,
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )


routes = [
    Route("/", home, methods=["GET"]),
    Route("/zoeken", results, methods=["GET"]),
    Route("/aanbod/{id:int}", offer, methods=["GET"]),
    Route("/wachtlijst", waitlist, methods=["GET", "POST"]),
    Route("/wachttijd-te-lang", too_long, methods=["GET"]),
    Route("/static/{name:str}", style_sheet, methods=["GET"]),
]
