"""What a parent does on the pages, in real Chromium: search and filter, open an offer and
come back to the same results, use only the keyboard, look up a waiting-list place, switch
language, do without JavaScript, and find out what to do when the wait is too long.

The pages are found as a visitor finds them: by their labels, roles and link texts.
"""

from __future__ import annotations

import re
import secrets
import string
from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import Locator, Page, ViewportSize, expect
from sqlalchemy import func, select

from directory.catalogue.models import Offer, WaitlistEntry
from directory.db import unit_of_work
from providers.waitlist import hash_reference, normalise_reference
from tests.e2e.live import DESKTOP, MOBILE, LiveServer

ROTTERDAM = "GM0599"
AGE = "8"
DOCUMENT_NOT_FOUND = (
    "Failed to load resource: the server responded with a status of 404 (Not Found)"
)


# --- what a parent does, in steps shared by the journeys ----------------------------------


def search_youth_care_in_rotterdam(page: Page) -> None:
    """The guided search on the home page: youth care, for an 8-year-old, in Rotterdam."""
    page.goto("/")
    page.get_by_label("Jeugdhulp", exact=True).check()
    page.get_by_label("Leeftijd van uw kind").fill(AGE)
    page.get_by_label("Uw gemeente", exact=True).select_option(label="Rotterdam")
    page.get_by_role("button", name="Zoek een plek").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zoekresultaten")


def kinds_of_help(page: Page) -> Locator:
    # "Jeugdhulp" alone also matches "Jeugdhulp ambulant" in the youth-care categories.
    return page.get_by_role("group", name="Soort hulp", exact=True)


def first_result(page: Page, region: str = "Plekken") -> Locator:
    """The link in the first result card's heading; `region` is the results' own heading."""
    places = page.get_by_role("region", name=region)
    return places.get_by_role("heading", level=3).first.get_by_role("link")


def found_count(page: Page) -> str:
    """ "97 plekken gevonden." as shown above the results."""
    return page.get_by_role("status").filter(has_text="gevonden").inner_text()


def expect_youth_care_with_a_free_place_by_wait(page: Page) -> None:
    """Every filter of journey 1 is still set, as the parent left it."""
    expect(kinds_of_help(page).get_by_label("Jeugdhulp")).to_be_checked()
    expect(kinds_of_help(page).get_by_label("Speciaal onderwijs")).not_to_be_checked()
    expect(page.get_by_label("Leeftijd van uw kind")).to_have_value(AGE)
    expect(page.get_by_label("Uw gemeente", exact=True)).to_have_value(ROTTERDAM)
    expect(page.get_by_label("Alleen met een vrije plaats")).to_be_checked()
    expect(page.get_by_label("Sorteren")).to_have_value("wait")


def filter_free_places_by_shortest_wait(page: Page) -> None:
    page.get_by_label("Alleen met een vrije plaats").check()
    page.get_by_label("Sorteren").select_option(label="Kortste wachttijd")
    page.get_by_role("button", name="Toon resultaten").click()
    expect(page).to_have_url(re.compile(r"has_places=true.*sort=wait"))


# --- 1. search, filter, offer and back ----------------------------------------------------


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["390px", "1280px"])
def test_parent_searches_filters_opens_an_offer_and_comes_back_to_the_same_results(
    page: Page, console_errors: list[str], viewport: ViewportSize
) -> None:
    search_youth_care_in_rotterdam(page)
    unfiltered = found_count(page)
    filter_free_places_by_shortest_wait(page)
    filtered = found_count(page)
    assert filtered != unfiltered, "the free-place filter changed nothing in the demo data"
    expect_youth_care_with_a_free_place_by_wait(page)
    first = first_result(page).inner_text()

    first_result(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first)
    page.get_by_role("link", name="Terug naar de zoekresultaten").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Zoekresultaten")
    expect_youth_care_with_a_free_place_by_wait(page)
    assert found_count(page) == filtered
    expect(first_result(page)).to_have_text(first)

    # The browser's own Back button, from the offer, keeps them too.
    first_result(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first)
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zoekresultaten")
    expect_youth_care_with_a_free_place_by_wait(page)
    expect(first_result(page)).to_have_text(first)
    assert console_errors == []


def test_parent_pages_through_the_results_with_the_filters_kept(
    page: Page, console_errors: list[str]
) -> None:
    search_youth_care_in_rotterdam(page)
    filter_free_places_by_shortest_wait(page)
    places = page.get_by_role("region", name="Plekken")
    expect(places.get_by_role("heading", level=2)).to_contain_text("pagina 1 van")
    first_on_page_one = first_result(page).inner_text()

    pages = page.get_by_role("navigation", name="Paginering")
    pages.get_by_role("link", name="Volgende").click()

    expect(places.get_by_role("heading", level=2)).to_contain_text("pagina 2 van")
    expect_youth_care_with_a_free_place_by_wait(page)
    expect(first_result(page)).not_to_have_text(first_on_page_one)
    pages.get_by_role("link", name="Vorige").click()
    expect(places.get_by_role("heading", level=2)).to_contain_text("pagina 1 van")
    expect(first_result(page)).to_have_text(first_on_page_one)
    assert console_errors == []


def test_parent_searches_near_the_example_place_of_the_hint(
    page: Page, console_errors: list[str]
) -> None:
    page.goto("/")
    hint = page.get_by_text(re.compile(r"^Bijvoorbeeld \w+ of \w+\.$")).inner_text()
    example = re.match(r"Bijvoorbeeld (\w+) of", hint)
    assert example

    page.get_by_label("Postcode of plaats").fill(example.group(1))
    page.get_by_role("button", name="Zoek een plek").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Zoekresultaten")
    assert page.get_by_role("alert").count() == 0, page.get_by_role("alert").inner_text()
    assert page.get_by_label("Sorteren").get_by_role("option", name="Dichtstbij").count() == 1
    assert console_errors == []


# --- 2. keyboard only ---------------------------------------------------------------------


def test_parent_searches_with_the_keyboard_only(page: Page, console_errors: list[str]) -> None:
    page.goto("/")
    keyboard = page.keyboard

    keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    # From the top of main, the fields come in the order a parent reads them.
    keyboard.press("Tab")
    expect(page.get_by_label("Speciaal onderwijs")).to_be_focused()
    keyboard.press("Tab")
    keyboard.press("Tab")
    expect(page.get_by_label("Jeugdhulp", exact=True)).to_be_focused()
    keyboard.press("Space")
    keyboard.press("Tab")
    expect(page.get_by_label("Leeftijd van uw kind")).to_be_focused()
    keyboard.type(AGE)
    keyboard.press("Tab")
    expect(page.get_by_label("Postcode of plaats")).to_be_focused()
    keyboard.press("Tab")
    expect(page.get_by_label("Uw gemeente")).to_be_focused()
    keyboard.type("Rotterdam")  # type-ahead in a closed select chooses the option
    expect(page.get_by_label("Uw gemeente")).to_have_value(ROTTERDAM)
    keyboard.press("Tab")
    expect(page.get_by_label("Zoekwoorden (mag leeg blijven)")).to_be_focused()
    keyboard.press("Tab")
    expect(page.get_by_role("button", name="Zoek een plek")).to_be_focused()
    keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Zoekresultaten")
    expect(kinds_of_help(page).get_by_label("Jeugdhulp")).to_be_checked()
    expect(page.get_by_label("Leeftijd van uw kind")).to_have_value(AGE)
    expect(page.get_by_label("Uw gemeente", exact=True)).to_have_value(ROTTERDAM)
    expect(first_result(page)).to_be_visible()
    assert console_errors == []


# --- 3. waiting-list lookup ---------------------------------------------------------------


def create_waitlist_entry(live: LiveServer) -> tuple[str, int, str]:
    """A new place at the end of a demo offer's waiting list: (code, position, offer name).
    Demo rows stay as they are; the code is new for every test run."""
    alphabet = string.ascii_uppercase + string.digits
    code = "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))
    with unit_of_work(live.session_factory) as session:
        offer = session.scalars(select(Offer).order_by(Offer.id).limit(1)).one()
        last = session.scalar(
            select(func.max(WaitlistEntry.position)).where(WaitlistEntry.offer_id == offer.id)
        )
        position = (last or 0) + 1
        session.add(
            WaitlistEntry(
                offer_id=offer.id,
                reference_hash=hash_reference(normalise_reference(code)),
                position=position,
                estimated_start=date(2027, 3, 1),
                updated_at=datetime.now(UTC),
            )
        )
        return code, position, offer.name


def test_parent_looks_up_their_place_on_the_waiting_list_by_code(
    page: Page, console_errors: list[str], live: LiveServer
) -> None:
    code, position, offer_name = create_waitlist_entry(live)

    page.goto("/")
    page.get_by_role("link", name="Mijn plek op de wachtlijst").click()
    # As a parent copies it from a letter: lower case, spaces instead of hyphens.
    page.get_by_label("Uw code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Bekijk mijn plek").click()

    expect(page.get_by_role("status")).to_have_text(
        f"Uw kind staat op plek {position} van {position}."
    )
    expect(page.get_by_role("link", name=offer_name)).to_be_visible()
    expect(page.get_by_text("1 maart 2027")).to_be_visible()
    # The code went in the form's body: not in the address, so not in history or logs.
    assert page.url == f"{live.url}/wachtlijst"
    assert normalise_reference(code) not in normalise_reference(page.url)

    assert console_errors == []

    page.get_by_role("link", name="Een andere code opzoeken").click()
    page.get_by_label("Uw code").fill("AAAA-BBBB-CCCC")
    with page.expect_navigation() as answer:
        page.get_by_role("button", name="Bekijk mijn plek").click()
    assert answer.value is not None
    assert answer.value.status == 404
    expect(page.get_by_role("alert")).to_contain_text("We vinden geen wachtlijstplek bij deze code")
    expect(page.get_by_label("Uw code")).to_have_value("AAAA-BBBB-CCCC")  # to correct it
    # Chromium logs a page's own 404 as an error; nothing else may appear.
    assert console_errors == [DOCUMENT_NOT_FOUND]


# --- 4. language switch -------------------------------------------------------------------


def test_parent_switches_to_english_on_the_results_and_back_to_dutch(
    page: Page, console_errors: list[str]
) -> None:
    page.goto(f"/zoeken?kind=youth_care&age={AGE}&gemeente={ROTTERDAM}&has_places=true")
    dutch_count = re.match(r"\d+", found_count(page))
    assert dutch_count

    page.get_by_role("link", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search results")
    expect(page.get_by_role("status")).to_contain_text(f"{dutch_count.group()} places found")
    kinds = page.get_by_role("group", name="Kind of help", exact=True)
    expect(kinds.get_by_label("Youth care")).to_be_checked()
    expect(page.get_by_label("Your child's age")).to_have_value(AGE)
    expect(page.get_by_label("Your municipality", exact=True)).to_have_value(ROTTERDAM)
    expect(page.get_by_label("Only with a free place")).to_be_checked()

    # An offer and back, in English, to the same filters.
    first_result(page, region="Places").click()
    page.get_by_role("link", name="Back to the search results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search results")
    expect(page.get_by_label("Only with a free place")).to_be_checked()
    expect(page.get_by_label("Your municipality", exact=True)).to_have_value(ROTTERDAM)

    # Another page, reached without `lang` in its address: the cookie keeps English.
    page.get_by_role("link", name="My place on the waiting list").click()
    expect(page).not_to_have_url(re.compile("lang="))
    expect(page.get_by_role("heading", level=1)).to_have_text("My place on the waiting list")
    page.get_by_role("link", name="Search", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a place for your child")

    page.get_by_role("link", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vind een plek voor uw kind")
    page.get_by_role("link", name="Mijn plek op de wachtlijst").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn plek op de wachtlijst")
    assert console_errors == []


# --- 5. without JavaScript ----------------------------------------------------------------


@pytest.mark.parametrize(("viewport", "java_script_enabled"), [(MOBILE, False)], ids=["390px"])
def test_parent_without_javascript_searches_and_opens_an_offer(
    page: Page, console_errors: list[str]
) -> None:
    search_youth_care_in_rotterdam(page)
    filter_free_places_by_shortest_wait(page)
    expect_youth_care_with_a_free_place_by_wait(page)
    first = first_result(page).inner_text()
    first_result(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first)
    page.get_by_role("link", name="Terug naar de zoekresultaten").click()
    expect_youth_care_with_a_free_place_by_wait(page)
    assert console_errors == []


# --- 6. the wait is too long --------------------------------------------------------------


def test_parent_finds_the_pgb_route_and_an_alternative_from_the_results(
    page: Page, console_errors: list[str]
) -> None:
    search_youth_care_in_rotterdam(page)

    page.get_by_role("link", name="Is de wachttijd te lang? Lees wat u kunt doen.").click()

    expect(page).to_have_url(re.compile(rf"/wachttijd-te-lang\?gemeente={ROTTERDAM}$"))
    expect(page.get_by_label("Uw gemeente", exact=True)).to_have_value(ROTTERDAM)
    expect(page.get_by_text(re.compile(r"In Rotterdam (is|zijn) er nu"))).to_be_visible()
    # The signal's card, not the alternatives listed inside it. Rotterdam has more than
    # one PGB route: the page explains it on the first card and refers to it on the others.
    expect(page.get_by_text("Dan kan de pgb-route van toepassing zijn").first).to_be_visible()
    pgb_route = (
        page.get_by_role("listitem")
        .filter(has=page.get_by_role("heading", level=3, name="Jeugdhulp ambulant"))
        .first
    )
    expect(pgb_route.get_by_role("heading", level=3)).to_have_text("Jeugdhulp ambulant")
    alternative = pgb_route.get_by_role("link").first
    name = alternative.inner_text()

    alternative.click()
    expect(page).to_have_url(re.compile(r"/aanbod/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    assert console_errors == []
