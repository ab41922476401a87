"""The public pages for parents: search, results, an offer, a waiting-list position and
what to do when the wait is too long. Server-rendered; they work without JavaScript.

Handlers read the request, run one read-only unit of work and render a template with the
page toolkit (`web.pages.render`); what the pages say is decided in `web.pages.views` and
read in `directory.catalogue.listing`.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from babel.numbers import format_currency
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from directory.catalogue.figures import scoped_figures
from directory.catalogue.listing import (
    contracting_municipalities,
    current_municipalities,
    ijw_category_names,
    municipality_names,
    offer_names,
    offer_summaries,
)
from directory.catalogue.rules import (
    LeerjaarHeadline,
    headline,
    is_fresh,
    netto_waiting_list,
    taught_leerjaren,
    total_wait_weeks,
)
from directory.catalogue.service import load_offer_view
from directory.errors import DirectoryError, InvalidDataError, InvalidParam
from directory.signals.models import Signal
from directory.signals.reading import SignalFilter, list_signals, route_swvs
from providers.waitlist import find_position
from search.params import MUNICIPALITY, parse_query
from search.places import resolve_near
from search.query import SearchQuery, Sort
from search.service import Search
from web.api.public import search_of
from web.kit.http import client_address, now_of, path_id, transact
from web.kit.ratelimit import count_public_read
from web.pages import views as page_views
from web.pages.i18n import language_of, translations
from web.pages.parents.forms import (
    OWN_MUNICIPALITY,
    PER_PAGE,
    SearchForm,
    own_municipality,
    problems_shown,
    search_params,
)
from web.pages.render import render, style_sheet

MAX_WAIT_CHOICES = (4, 8, 14, 26, 52)
MAX_SIGNALS_SHOWN = 50
HISTORY_WEEKS = 53  # the chart shows about the last year
LOOKUP_CODE = "code"
MAX_FORM_BYTES = 2_000


# --- home and results ---------------------------------------------------------------------


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
    count_public_read(request)
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
        result = search.search(located, now, session)
        ids = [hit.id for hit in result.items]
        located_in = {hit.municipality for hit in result.items if hit.municipality}
        return {
            **found,
            "problems": [],
            "result": result,
            "facets": {**result.facets, **wider_facets(search, located, now, session)},
            "summaries": offer_summaries(session, ids, own, now.date()),
            "names": municipality_names(
                session, located_in | set(result.facets.get("municipality", {}))
            ),
            "ijw_names": ijw_category_names(session),
        }

    found = await transact(request, work, read_only=True)
    problems += found["problems"]
    result = found["result"]
    t = translations(language_of(request)[0])
    school_types = {
        offer_id: summary.school_type for offer_id, summary in found.get("summaries", {}).items()
    }
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
        # Per hit: its leerjaren where they differ, or the words for the leerjaar asked.
        breakdowns={
            hit.id: page_views.leerjaar_breakdown(hit.by_leerjaar, school_types.get(hit.id), t)
            for hit in (result.items if result else [])
        },
        asked_leerjaar={
            hit.id: page_views.leerjaar_words(query.leerjaar, school_types.get(hit.id), t)
            for hit in (result.items if result and query.leerjaar else [])
        },
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


def wider_facets(
    search: Search, query: SearchQuery, now: datetime, session: Session
) -> dict[str, dict[str, int]]:
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
        facet: search.search(
            dataclasses.replace(wider, page=1, per_page=1), now, session
        ).facets.get(facet, {})
        for facet, wider in unfiltered.items()
        if wider is not None
    }


# --- one offer ----------------------------------------------------------------------------


async def offer(request: Request) -> Response:
    """Everything about one offer, with the way back to the visitor's results."""
    count_public_read(request)
    now = now_of(request)
    offer_id = path_id(request)
    back = request.query_params.get("terug", "")
    own = dict(parse_qsl(back)).get(OWN_MUNICIPALITY, "").upper() or None
    if own is not None and not MUNICIPALITY.fullmatch(own):
        own = None
    # The groep or leerjaar the visitor searched for (or asked here), if any.
    asked = asked_leerjaar(
        request.query_params.get("leerjaar") or dict(parse_qsl(back)).get("leerjaar", "")
    )
    lang, _ = language_of(request)
    t = translations(lang)

    def work(session: Session) -> dict[str, Any]:
        view = load_offer_view(session, offer_id)
        school_type = view.offer.school_type.value if view.offer.school_type else None
        taught = taught_leerjaren(view.offer.leerjaren, view.offer.school_type)
        # Care and day programmes that list no leerjaren are the same for every one.
        leerjaar = asked if asked in taught else None
        top = headline(
            [scoped_figures(scope, report) for scope, report in view.current],
            now,
            leerjaar=leerjaar,
            leerjaren=taught,
        )
        contracted_by = contracting_municipalities(session, offer_id, now.date())
        codes = {location.municipality_code for location in view.offer.locations}
        codes |= set(contracted_by)
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
            "leerjaar": leerjaar,
            "leerjaar_label": page_views.leerjaar_words(leerjaar, school_type, t)
            if leerjaar
            else None,
            # A groep or leerjaar asked for that this offer does not teach.
            "not_taught": page_views.leerjaar_words(asked, school_type, t)
            if asked is not None and taught and leerjaar is None
            else None,
            "breakdown": page_views.leerjaar_breakdown(
                judged_leerjaren(top.by_leerjaar, now) if top else [], school_type, t
            ),
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
                    "leerjaar": page_views.leerjaar_words(report.leerjaar, school_type, t)
                    if report.leerjaar
                    else None,
                }
                for scope, report in view.current
            ],
            "measures": {report.measure.value for _, report in view.current},
            "contracted_by": contracted_by,
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


def asked_leerjaar(value: str) -> int | None:
    """A groep or leerjaar (1-8) from a query value; None when absent or not one."""
    value = value.strip()
    return int(value) if value.isascii() and value.isdigit() and 1 <= int(value) <= 8 else None


def judged_leerjaren(
    entries: tuple[LeerjaarHeadline, ...], now: datetime
) -> list[page_views.JudgedLeerjaar]:
    """Each leerjaar's figure as a parent reads it now: unknown when stale or missing."""
    judged = []
    for entry in entries:
        figure = entry.figure
        fresh = figure is not None and is_fresh(figure.valid_until, now)
        judged.append(
            page_views.JudgedLeerjaar(
                leerjaar=entry.leerjaar,
                status=figure.status.value if figure and fresh else "unknown",
                open_places=figure.open_places if figure and fresh else None,
                total_wait_weeks=figure.total_wait_weeks if figure and fresh else None,
                stale=figure is not None and not fresh,
            )
        )
    return judged


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
    count_public_read(request)
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
        routes = route_swvs(session, [(s.municipality_code, s.category) for s in signals])
        return {
            "swv_names": {pair: [name for _, name in found] for pair, found in routes.items()},
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


routes = [
    Route("/", home, methods=["GET"]),
    Route("/zoeken", results, methods=["GET"]),
    Route("/aanbod/{id:int}", offer, methods=["GET"]),
    Route("/wachtlijst", waitlist, methods=["GET", "POST"]),
    Route("/wachttijd-te-lang", too_long, methods=["GET"]),
    Route("/static/{name:str}", style_sheet, methods=["GET"]),
]
