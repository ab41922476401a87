"""The public signals API: where no contracted offer can start within the norm (no key,
CORS open, cached briefly)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from directory.errors import InvalidDataError, InvalidParam
from directory.signals.inputs import is_category
from directory.signals.models import Signal
from directory.signals.reading import SignalFilter, SignalView, list_signals, load_signal
from directory.signals.rules import GAP_KINDS, TASK_KINDS
from directory.signals.wording import norm_source_text, pgb_cost_text, signal_text
from search.params import MUNICIPALITY
from web.api.operations import Operation, QueryParam
from web.api.public import CACHE
from web.api.public_calls import MUNICIPALITY_CODE
from web.api.signal_schemas import SignalDetail, SignalItem, SignalList
from web.kit.http import json_response, path_id, transact, whole_number
from web.kit.ratelimit import count_public_read

STATES = ("open", "resolved")
KINDS = (*GAP_KINDS, *TASK_KINDS)
MAX_PER_PAGE = 100


def parse_filter(request: Request) -> SignalFilter:
    """The filters of `GET /api/v1/signals`; 422 naming every bad one."""
    params = request.query_params
    problems: list[InvalidParam] = []

    def one(name: str, valid: Any, hint: str) -> str | None:
        raw = (params.get(name) or "").strip()
        if not raw:
            return None
        if not valid(raw):
            problems.append(InvalidParam(name, f"{raw!r}: {hint}"))
            return None
        return raw

    where = SignalFilter(
        municipality=one("municipality", MUNICIPALITY.match, "a CBS code like GM0599"),
        state=one("state", STATES.__contains__, "open or resolved"),
        kind=one("kind", KINDS.__contains__, "one of " + ", ".join(KINDS)),
        category=one("category", is_category, "a category like ijw:45 or education:cluster-3:so"),
    )
    if problems:
        raise InvalidDataError("the signal filters are not valid", problems)
    return where


def item_of(signal: Signal) -> SignalItem:
    return SignalItem(
        id=signal.id,
        kind=signal.kind,
        state=signal.state,
        municipality=signal.municipality_code,
        category=signal.category,
        opened_at=signal.opened_at,
        resolved_at=signal.resolved_at,
    )


def detail_json(view: SignalView) -> dict[str, Any]:
    """The answer of `GET /api/v1/signals/{id}`; offers deleted since have no name."""
    signal, names = view.signal, view.offer_names
    return SignalDetail.model_validate(
        {
            **item_of(signal).model_dump(),
            "reason_code": signal.reason_code,
            "norm": {
                "intake_weeks": signal.norm_intake_weeks,
                "treatment_weeks": signal.norm_treatment_weeks,
                "total_weeks": signal.norm_intake_weeks + signal.norm_treatment_weeks,
                "source": signal.norm_source,
                "source_text": {
                    language: norm_source_text(signal.norm_source, language)
                    for language in ("nl", "en")
                },
            },
            "evidence": [{**item, "name": names.get(item["offer_id"])} for item in signal.evidence],
            "alternatives": [
                {
                    **item,
                    "name": names.get(item["offer_id"]),
                    "pgb_text": _pgb_words(item, signal.pgb_tariff),
                }
                for item in signal.alternatives
            ],
            "alternatives_total": signal.alternatives_total,
            "leerjaren": signal.leerjaren,
            "pgb_tariff": signal.pgb_tariff,
            "samenwerkingsverbanden": [{"code": code, "name": name} for code, name in view.swvs],
            "text": {
                language: signal_text(
                    signal.kind,
                    signal.category,
                    language,
                    [name for _, name in view.swvs],
                    signal.leerjaren,
                )
                for language in ("nl", "en")
            },
            "transitions": [{"state": t.state, "at": t.at} for t in view.transitions],
            "updated_at": signal.updated_at,
        }
    ).model_dump(mode="json")


def _pgb_words(alternative: dict[str, Any], pgb_tariff: Any) -> dict[str, str] | None:
    words = {
        language: pgb_cost_text(
            alternative["tariff_cents"], alternative["tariff_unit"], pgb_tariff, language
        )
        for language in ("nl", "en")
    }
    return {language: text for language, text in words.items() if text is not None} or None


async def search_signals(request: Request) -> Response:
    """`GET /api/v1/signals`: signals by municipality, state, kind and category."""
    count_public_read(request)
    where = parse_filter(request)
    page = whole_number(request, "page", 1, 1, 100_000)
    per_page = whole_number(request, "per_page", 50, 1, MAX_PER_PAGE)

    def work(session: Session) -> dict[str, Any]:
        signals, total = list_signals(session, where, page=page, per_page=per_page)
        return SignalList(
            items=[item_of(signal) for signal in signals],
            total=total,
            page=page,
            per_page=per_page,
        ).model_dump(mode="json")

    return json_response(await transact(request, work, read_only=True), headers=CACHE)


async def get_signal(request: Request) -> Response:
    """`GET /api/v1/signals/{id}`: one signal with evidence, alternatives and wording."""
    count_public_read(request)
    signal_id = path_id(request)

    def work(session: Session) -> dict[str, Any]:
        return detail_json(load_signal(session, signal_id))

    return json_response(await transact(request, work, read_only=True), headers=CACHE)


routes = [
    Route("/api/v1/signals", search_signals, methods=["GET"]),
    Route("/api/v1/signals/{id:int}", get_signal, methods=["GET"]),
]

SIGNAL_PARAMS = (
    QueryParam("municipality", MUNICIPALITY_CODE, "CBS code.", "GM0599"),
    QueryParam("state", {"enum": list(STATES)}, "open or resolved.", "open"),
    QueryParam(
        "kind",
        {"enum": list(KINDS)},
        "One kind; without it, the shortages (pgb_route, education_gap, care_gap).",
    ),
    QueryParam(
        "category",
        {"type": "string", "maxLength": 60},
        "ijw:40-55, day_programme:<type>, education:cluster-N:so|vso or education:sbo.",
        "ijw:45",
    ),
    QueryParam("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number, from 1."),
    QueryParam(
        "per_page",
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 50},
        f"Items per page (1-{MAX_PER_PAGE}).",
    ),
)

SIGNAL_OPERATIONS = [
    Operation(
        "listSignals",
        "GET",
        "/api/v1/signals",
        "signals",
        "Signalen: geen gecontracteerd aanbod binnen de norm",
        "Signals: no contracted offer within the norm",
        "Openbaar. Per gemeente en categorie: kan geen gecontracteerde aanbieder binnen de "
        "wachttijdnorm starten, dan kan de pgb-route van toepassing zijn (jeugdhulp, "
        "dagprogramma's) of is er een onderwijstekort (scholen). Nieuwste eerst.",
        "Public. Per municipality and category: when no contracted provider can start within "
        "the waiting norm, the PGB route may apply (youth care, day programmes) or there is "
        "an education gap (schools). Newest first.",
        response=SignalList,
        errors=(422, 429),
        auth="public",
        query=SIGNAL_PARAMS,
    ),
    Operation(
        "getSignal",
        "GET",
        "/api/v1/signals/{id:int}",
        "signals",
        "Eén signaal met onderbouwing en alternatieven",
        "One signal with evidence and alternatives",
        "Openbaar. Elk gecontracteerd aanbod met status, wachttijd en actualiteit; aanbod "
        "buiten contract dat pgb accepteert en binnen de norm kan starten, met tarieven; "
        "elke overgang open/opgelost. De pgb-route kán van toepassing zijn; geen toezegging.",
        "Public. Each contracted offer with status, wait and freshness; non-contracted offers "
        "that accept a PGB and can start within the norm, with tariffs; every open/resolved "
        "transition. The PGB route may apply; it is not a promise.",
        response=SignalDetail,
        errors=(404, 429),
        auth="public",
    ),
]
