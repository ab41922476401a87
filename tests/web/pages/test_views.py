"""What the pages say, decided without HTTP."""

import csv
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from babel.support import NullTranslations

import directory.reference
from providers.schemas import OfferFields
from search.query import LeerjaarHit
from web.pages.i18n import translations
from web.pages.views import (
    IJW_CATEGORY_NAMES,
    TARIFF_UNITS,
    JudgedLeerjaar,
    LeerjaarLine,
    category_words,
    day_words,
    leerjaar_breakdown,
    leerjaar_words,
    number_words,
    page_numbers,
    query_string,
    wait_chart,
    wait_words,
)

DUTCH = NullTranslations()


@pytest.mark.parametrize(
    ("weeks", "dutch", "english"),
    [
        (None, "onbekend", "unknown"),
        (0, "geen wachttijd", "no wait"),
        (1, "1 week", "1 week"),
        (12, "12 weken", "12 weeks"),
        (13, "ongeveer 3 maanden", "about 3 months"),
        (52, "ongeveer 12 maanden", "about 12 months"),
    ],
)
def test_waits_are_said_in_weeks_up_to_three_months_then_in_months(
    weeks: int | None, dutch: str, english: str
) -> None:
    assert wait_words(weeks, DUTCH) == dutch
    assert wait_words(weeks, translations("en")) == english


def test_days_are_written_out_in_the_page_language() -> None:
    # Half past eleven at night in UTC is already the next day in the Netherlands.
    moment = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    assert day_words(moment, "nl") == "3 maart 2026"
    assert day_words(datetime(2026, 7, 1, 21, 59, tzinfo=UTC), "nl") == "1 juli 2026"
    assert day_words(date(2026, 3, 2), "en") == "March 2, 2026"
    assert day_words(None, "nl") == ""


def test_links_keep_every_filter_and_replace_only_what_changes() -> None:
    asked = [("q", "autisme"), ("kind", "youth_care"), ("kind", "day_programme"), ("page", "2")]
    assert query_string(asked, page="3") == ("q=autisme&kind=youth_care&kind=day_programme&page=3")
    assert query_string(asked, page=None, lang="en") == (
        "q=autisme&kind=youth_care&kind=day_programme&lang=en"
    )
    assert query_string([("q", ""), ("age", "7")]) == "age=7"


@pytest.mark.parametrize(
    ("page", "pages", "shown"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 10, [1, 2, 3, None, 10]),
        (6, 10, [1, None, 4, 5, 6, 7, 8, None, 10]),
        (10, 10, [1, None, 8, 9, 10]),
        (4, 10, [1, 2, 3, 4, 5, 6, None, 10]),
    ],
)
def test_page_links_show_the_ends_and_the_neighbourhood(
    page: int, pages: int, shown: list[int | None]
) -> None:
    assert page_numbers(page, pages) == shown


def test_the_chart_needs_two_known_waits_and_scales_to_a_round_top() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert wait_chart([(start, 5)], "nl") is None
    assert wait_chart([(start, 5), (start + timedelta(days=7), None)], "nl") is None

    chart = wait_chart(
        [(start, 10), (start + timedelta(days=30), None), (start + timedelta(days=60), 2)],
        "nl",
        width=100,
        height=50,
        pad=0,
    )
    assert chart is not None
    assert chart.top_weeks == 12
    assert [point.weeks for point in chart.points] == [10, 2]
    first, last = chart.points
    assert (first.x, last.x) == (0, 100)
    assert last.y > first.y  # a shorter wait is drawn lower
    assert first.label == "1 januari 2026"
    assert chart.polyline.startswith("0.0,")


def test_signal_categories_are_said_in_words() -> None:
    ijw = {45: "Jeugdhulp ambulant"}
    assert category_words("ijw:45", ijw, DUTCH) == "Jeugdhulp ambulant"
    assert category_words("education:cluster-3:so", ijw, DUTCH) == (
        "SO (speciaal onderwijs, basisschoolleeftijd), cluster 3"
    )
    assert category_words("education:sbo", ijw, DUTCH) == "SBO (speciaal basisonderwijs)"
    assert category_words("day_programme:opdc", ijw, translations("en")) == (
        "OPDC (temporary school place in secondary education)"
    )


def test_every_ijw_category_of_the_reference_data_can_be_translated() -> None:
    shipped = Path(directory.reference.__file__).parent / "data" / "ijw_categories.csv"
    with shipped.open(encoding="utf-8") as rows:
        names = {row["name"] for row in csv.DictReader(rows)}
    assert names == set(IJW_CATEGORY_NAMES)
    english = translations("en")
    assert category_words("ijw:46", {46: "Jeugdhulp crisis"}, english) == "Crisis youth care"


def test_numbers_use_the_decimal_sign_of_the_page_language() -> None:
    assert number_words(1.5, "nl") == "1,5"
    assert number_words(1.5, "en") == "1.5"
    assert number_words(Decimal("12.0"), "nl") == "12"  # never "12,0" or "12.0"
    assert number_words(Decimal("12.5"), "nl") == "12,5"


@pytest.mark.parametrize(
    ("first", "last", "school_type", "dutch", "english"),
    [
        (3, None, "so", "groep 3", "group 3"),
        (1, 2, "sbo", "groep 1 en 2", "groups 1 and 2"),
        (3, 8, "so", "groep 3 tot en met 8", "groups 3 to 8"),
        (3, None, "vso", "leerjaar 3", "school year 3"),
        (4, 6, None, "leerjaar 4 tot en met 6", "school years 4 to 6"),
        (None, None, "so", "de andere groepen", "the other groups"),
    ],
)
def test_primary_schools_say_groep_and_secondary_ones_leerjaar(
    first: int | None, last: int | None, school_type: str | None, dutch: str, english: str
) -> None:
    assert leerjaar_words(first, school_type, DUTCH, last) == dutch
    assert leerjaar_words(first, school_type, translations("en"), last) == english


def test_a_breakdown_joins_neighbouring_groepen_alike_and_never_says_no_wait() -> None:
    hits = [
        LeerjaarHit(1, "open", 2, 0, stale=False),
        LeerjaarHit(2, "open", 1, 0, stale=False),
        LeerjaarHit(3, "waitlist", 0, 80, stale=False),
        LeerjaarHit(4, "unknown", None, None, stale=True),
        LeerjaarHit(5, "waitlist", 0, 80, stale=False),
    ]
    breakdown = leerjaar_breakdown(hits, "so", DUTCH)
    assert breakdown is not None
    assert (breakdown.label, breakdown.longest) == ("Verschilt per groep", 80)
    assert breakdown.lines == [
        LeerjaarLine("groep 1 en 2", "open", ""),
        LeerjaarLine("groep 3", "waitlist", "ongeveer 18 maanden"),
        LeerjaarLine("groep 4", "unknown", ""),
        LeerjaarLine("groep 5", "waitlist", "ongeveer 18 maanden"),
    ]
    assert leerjaar_breakdown([], "so", DUTCH) is None
    others = leerjaar_breakdown(
        [JudgedLeerjaar(3, "waitlist", 0, 20, False), JudgedLeerjaar(None, "open", 1, 0, False)],
        "vso",
        DUTCH,
    )
    assert others is not None
    assert [line.label for line in others.lines] == ["leerjaar 3", "de andere leerjaren"]


def test_every_tariff_unit_a_provider_may_publish_has_words() -> None:
    pattern = OfferFields.model_json_schema()["properties"]["tariff_unit"]["anyOf"][0]["pattern"]
    units = set(re.fullmatch(r"\^\((.*)\)\$", pattern).group(1).split("|"))
    assert units == set(TARIFF_UNITS)
