"""The public pages for parents: search, results, an offer, a waiting-list position and
what to do when the wait is too long. Server-rendered; they work without JavaScript.

Handlers read the request, run one read-only unit of work and render a template; what the
pages say is decided in `web.page_views` and read in `directory.listing`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from babel.numbers import format_currency
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from directory.errors import DirectoryError, InvalidDataError, InvalidParam
from directory.listing import (
    current_municipalities,
    ijw_category_names,
    municipality_names,
    offer_summaries,
)
from directory.rules import headline, is_fresh, netto_waiting_list, total_wait_weeks
from directory.service import load_offer_view, scoped_figures
from directory.signal_service import SignalFilter, list_signals, load_signal
from providers.http import client_address, now_of, path_id, transact
from providers.waitlist import find_position
from search.places import resolve_near
from search.query import SearchQuery, Sort
from web import page_views
from web.assets import StyleSheet
from web.i18n import COOKIE, LANGUAGES, N_, language_of, translations
from web.public_api import MUNICIPALITY, parse_query, search_of

TEMPLATES = Path(__file__).parent / "templates" / "pages"
PER_PAGE = 20
# Page-only parameters: the visitor's own municipality, and whether to show only offers
# it has contracted (sent to the search as `contracted_by`).
OWN_MUNICIPALITY = "gemeente"
CONTRACTED_ONLY = "alleen_contract"
PAGE_ONLY = {OWN_MUNICIPALITY, CONTRACTED_ONLY, "lang"}
MAX_WAIT_CHOICES = (4, 8, 14, 26, 52)
HISTORY_WEEKS = 53  # the chart shows about the last year
# What a visitor reads when a field is not right, by search parameter.
FIELD_PROBLEMS = {
    "q": N_("Gebruik hoogstens 200 tekens."),
    "age": N_("Vul een leeftijd in van 0 tot en met 30 jaar, in hele jaren."),
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
    "page": N_("Pagina"),
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
        KIND_LABELS=page_views.KIND_LABELS,
        STATUS_LABELS=page_views.STATUS_LABELS,
        STATUS_TONES=page_views.STATUS_TONES,
        SCHOOL_TYPE_LABELS=page_views.SCHOOL_TYPE_LABELS,
        CLUSTER_LABELS=page_views.CLUSTER_LABELS,
        DAY_PROGRAMME_LABELS=page_views.DAY_PROGRAMME_LABELS,
        EXIT_PROFILE_LABELS=page_views.EXIT_PROFILE_LABELS,
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
            switch_url=f"{request.url.path}?{switch}",
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
        return self.value(name) in ("1", "true", "on", "ja")


def search_params(form: SearchForm) -> QueryParams:
    """The search API's parameters for the form: page-only ones left out, `contracted_by`
    from "only contracted by my municipality"."""
    items = [(name, value) for name, value in form.params.multi_items() if name not in PAGE_ONLY]
    own = form.value(OWN_MUNICIPALITY).upper()
    if own and form.checked(CONTRACTED_ONLY):
        items.append(("contracted_by", own))
    return QueryParams([*items, ("per_page", str(PER_PAGE))])


def own_municipality(form: SearchForm) -> tuple[str | None, list[InvalidParam]]:
    raw = form.value(OWN_MUNICIPALITY).upper()
    if not raw:
        return None, []
    if MUNICIPALITY.match(raw):
        return raw, []
    return None, [InvalidParam(OWN_MUNICIPALITY, raw)]


def problems_shown(problems: list[InvalidParam]) -> list[tuple[str, str, str]]:
    """(field, its label, what to do) per problem, one per field, in form order."""
    shown: dict[str, tuple[str, str, str]] = {}
    for problem in problems:
        name = problem.name
        shown.setdefault(
            name, (name, FIELD_NAMES.get(name, name), FIELD_PROBLEMS.get(name, NOT_RIGHT))
        )
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
    own, problems = own_municipality(form)
    try:
        query, near = parse_query(search_params(form))
    except InvalidDataError as error:
        problems += error.invalid_params
        query, near = SearchQuery(per_page=PER_PAGE), None

    def work(session: Session) -> dict[str, Any]:
        municipalities = current_municipalities(session)
        if problems:
            return {"municipalities": municipalities, "result": None}
        try:
            point = resolve_near(session, near) if near else None
        except InvalidDataError as error:
            return {"municipalities": municipalities, "result": None, "near": error}
        located = dataclasses.replace(query, near=point)
        result = search_of(request).search(located, now)
        ids = [hit.id for hit in result.items]
        located_in = {hit.municipality for hit in result.items if hit.municipality}
        ijw = ijw_category_names(session)
        return {
            "municipalities": municipalities,
            "result": result,
            "summaries": offer_summaries(session, ids, own, now.date()),
            "names": municipality_names(
                session, located_in | set(result.facets.get("municipality", {}))
            ),
            "ijw_names": ijw,
        }

    found = await transact(request, work, read_only=True)
    if isinstance(found.get("near"), InvalidDataError):
        problems += found["near"].invalid_params
    result = found["result"]
    pages = -(-result.total // PER_PAGE) if result else 0
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
        max_wait_choices=MAX_WAIT_CHOICES,
    )


# --- one offer ----------------------------------------------------------------------------


async def offer(request: Request) -> Response:
    """Everything about one offer, with the way back to the visitor's results."""
    now = now_of(request)
    offer_id = path_id(request)
    back = request.query_params.get("terug", "")
    own = dict(parse_qsl(back)).get(OWN_MUNICIPALITY, "").upper() or None
    if own is not None and not MUNICIPALITY.match(own):
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
        today = now.date()
        live_contracts = [
            contract
            for contract in view.contracts
            if contract.valid_from <= today
            and (contract.valid_to is None or contract.valid_to >= today)
        ]
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
            "contracted_by": sorted({contract.municipality_code for contract in live_contracts}),
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
        return render(
            request, "waitlist.html", status=404, position=None, not_found=True, code=code
        )
    return render(request, "waitlist.html", position=position, not_found=False, code="")


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
    own, problems = own_municipality(SearchForm(request.query_params))

    def work(session: Session) -> dict[str, Any]:
        municipalities = current_municipalities(session)
        signals = []
        if own:
            found, _total = list_signals(
                session, SignalFilter(municipality=own, state="open"), page=1, per_page=50
            )
            signals = [load_signal(session, signal.id) for signal in found]
        ijw = ijw_category_names(session)
        return {
            "municipalities": municipalities,
            "signals": signals,
            "ijw_names": ijw,
        }

    found = await transact(request, work, read_only=True)
    t = translations(language_of(request)[0])
    return render(
        request,
        "too_long.html",
        category_words=lambda key: page_views.category_words(key, found["ijw_names"], t),
        status=400 if problems else 200,
        own=own,
        own_name=dict(found["municipalities"]).get(own or ""),
        problems=problems_shown(problems),
        form=SearchForm(request.query_params),
        **found,
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
