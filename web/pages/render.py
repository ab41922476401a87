"""The page toolkit every audience's pages share: the templates in the visitor's language,
`render`, the error pages the app shows on page paths, and the style sheet.

Templates live in `web/templates/pages/`; what they say is decided in `web.pages.views`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from directory.signals.wording import Language, norm_source_text, pgb_cost_text, signal_text
from web.pages import views
from web.pages.assets import StyleSheet
from web.pages.i18n import COOKIE, LANGUAGES, N_, language_of, translations

TEMPLATES = Path(__file__).parents[1] / "templates" / "pages"


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
    wording_language: Language = "en" if lang == "en" else "nl"
    env.install_gettext_translations(t, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        wait_words=lambda weeks: views.wait_words(weeks, t),
        day_words=lambda moment: views.day_words(moment, lang),
        number_words=lambda value: views.number_words(value, lang),
        signal_words=lambda kind, category, swvs=(), leerjaren=(): signal_text(
            kind, category, wording_language, swvs, leerjaren
        ),
        pgb_words=lambda alternative, pgb_tariff: pgb_cost_text(
            alternative["tariff_cents"], alternative["tariff_unit"], pgb_tariff, wording_language
        ),
        norm_words=lambda source: norm_source_text(source, wording_language),
        KIND_LABELS=views.KIND_LABELS,
        STATUS_LABELS=views.STATUS_LABELS,
        STATUS_TONES=views.STATUS_TONES,
        SCHOOL_TYPE_LABELS=views.SCHOOL_TYPE_LABELS,
        CLUSTER_LABELS=views.CLUSTER_LABELS,
        DAY_PROGRAMME_LABELS=views.DAY_PROGRAMME_LABELS,
        EXIT_PROFILE_LABELS=views.EXIT_PROFILE_LABELS,
        TARIFF_UNITS=views.TARIFF_UNITS,
        TLV_LABELS=views.TLV_LABELS,
        SORT_LABELS=views.SORT_LABELS,
    )
    # Numbers as the page's language writes them: "12,5" and "12" in Dutch, never "12.0".
    env.filters["number"] = lambda value: views.number_words(value, lang)
    return env


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The page in the visitor's language, remembering a language they just chose."""
    lang, remember = language_of(request)
    other = next(code for code in LANGUAGES if code != lang)
    style: StyleSheet = request.app.state.style_sheet
    switch = views.query_string(request.query_params.multi_items(), lang=other)
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
    """A helpful error page in the visitor's language (`web.kit.problems` shows it)."""
    title, advice = ERROR_TEXTS.get(status, ERROR_TEXTS[400 if status < 500 else 500])
    response = render(request, "error.html", status=status, title=title, advice=advice)
    response.headers.update(headers or {})
    return response


def is_page(request: Request) -> bool:
    """Whether `request` asked for a page (not the JSON API)."""
    path: str = request.url.path
    return not path.startswith("/api/") and path != "/health"


# --- the style sheet ----------------------------------------------------------------------


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
