"""The documented calls of the public JSON API (search and offer pages' data)."""

from __future__ import annotations

from search.params import MUNICIPALITY
from web.api.operations import Operation, QueryParam
from web.api.public_schemas import OfferDetail, SearchAnswer

ARRAY_OF_KINDS = {
    "type": "array",
    "items": {"enum": ["special_education", "day_programme", "youth_care"]},
}
MUNICIPALITY_CODE = {"type": "string", "pattern": MUNICIPALITY.pattern}

SEARCH_PARAMS = (
    QueryParam(
        "q",
        {"type": "string", "maxLength": 200},
        "Free text; typos, prefixes and synonyms are understood.",
        "autisme",
    ),
    QueryParam("kind", ARRAY_OF_KINDS, "Repeatable; any of them."),
    QueryParam(
        "cluster",
        {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 4}},
        "Repeatable.",
    ),
    QueryParam(
        "ijw_category",
        {"type": "array", "items": {"type": "integer", "minimum": 40, "maximum": 55}},
        "Repeatable.",
    ),
    QueryParam(
        "age",
        {"type": "integer", "minimum": 0, "maximum": 30},
        "The child's age: within the offer's age range (not mapped to a groep or leerjaar).",
    ),
    QueryParam(
        "leerjaar",
        {"type": "integer", "minimum": 1, "maximum": 8},
        "Groep 1-8 (SO, SBO) or leerjaar 1-6 (VSO). Only offers that take children in it "
        "(the leerjaren they list; a school place that lists none takes all of its type; "
        "care and day programmes that list none are left out), each with that leerjaar's "
        "own figure: status, places, wait, and so has_places, max_wait_weeks, the status "
        "facet and the wait and updated sorts.",
        "3",
    ),
    QueryParam("municipality", MUNICIPALITY_CODE, "Has a location in this municipality."),
    QueryParam("contracted_by", MUNICIPALITY_CODE, "Zorg in natura for this municipality."),
    QueryParam(
        "max_wait_weeks",
        {"type": "integer", "minimum": 0},
        "Known, current total wait at most this (without leerjaar: of any leerjaar).",
    ),
    QueryParam(
        "has_places",
        {"type": "boolean"},
        "Open now with free places (current figures only; without leerjaar: in any leerjaar).",
    ),
    QueryParam("accepts_pgb", {"type": "boolean"}, "Accepts a personal budget."),
    QueryParam("near", {"type": "string"}, "Postcode, place name or lat,lon.", "Rotterdam"),
    QueryParam("radius_km", {"type": "number", "minimum": 0.1, "maximum": 500}, "Only with near."),
    QueryParam(
        "sort",
        {"enum": ["relevance", "wait", "distance", "updated"], "default": "relevance"},
        "Order; ties by id.",
    ),
    QueryParam("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number, from 1."),
    QueryParam(
        "per_page",
        {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
        "Items per page.",
    ),
)

PUBLIC_OPERATIONS = [
    Operation(
        "searchOffers",
        "GET",
        "/api/v1/offers",
        "search",
        "Aanbod zoeken",
        "Search offers",
        "Openbaar. Filters gelden samen (EN); verouderde cijfers tellen als onbekend.",
        "Public. Filters combine (AND); stale figures count as unknown. Where an offer's "
        "figures differ per leerjaar, an item without `leerjaar` asked shows the best of them "
        "and lists each in `by_leerjaar`.",
        response=SearchAnswer,
        errors=(422, 429),
        auth="public",
        query=SEARCH_PARAMS,
    ),
    Operation(
        "getPublicOffer",
        "GET",
        "/api/v1/offers/{id:int}",
        "search",
        "Eén aanbod met cijfers, contracten en geschiedenis",
        "One offer with figures, contracts and history",
        "Openbaar. Cijfers per locatie en leerjaar, bruto en netto wachtlijst.",
        "Public. Figures per location and leerjaar, bruto and netto waiting list.",
        response=OfferDetail,
        errors=(404, 429),
        auth="public",
    ),
]
