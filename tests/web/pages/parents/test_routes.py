"""The parents' pages, server-side: what a visitor reads, in which language, and what
happens with bad input. The browser journeys and accessibility checks are in tests/e2e."""

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.testclient import TestClient

from directory.catalogue.models import WaitlistEntry
from directory.config import Settings
from directory.db import unit_of_work
from directory.devdata.demo import load_demo
from directory.enums import AvailabilityStatus, OfferKind, SchoolType
from directory.signals.service import evaluate_as_configured
from providers.waitlist import hash_reference, normalise_reference
from tests.factories import (
    create_contract,
    create_location,
    create_offer,
    create_organisation,
    create_report,
)
from tests.web.conftest import index
from web.app import create_app
from web.pages.i18n import COOKIE

SETTINGS = Settings(_env_file=None, waitlist_lookups_per_minute=5)


@pytest.fixture
def settings() -> Settings:
    return SETTINGS


@pytest.fixture
def browser(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def text_of(html: str) -> str:
    """What a visitor reads: the page without tags, whitespace collapsed."""
    body = html.split("<body", 1)[1]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def seed(session: Session, now: datetime) -> dict[str, int]:
    """Three offers in Rotterdam: one fresh and contracted by Rotterdam, one stale, one
    school."""
    organisation = create_organisation(session, name="Stichting Havenlicht")
    place = create_location(session, organisation, city="Rotterdam", lat=51.92, lon=4.48)
    fresh = create_offer(
        session, organisation, [place], name="Ambulante hulp bij angst", min_age=6, max_age=18
    )
    create_report(session, fresh, now=now, intake_wait_weeks=4, treatment_wait_weeks=6)
    create_contract(session, fresh, "GM0599")
    stale = create_offer(session, organisation, [place], name="Ambulante hulp bij rouw")
    create_report(
        session,
        stale,
        now=now,
        measured_at=now - timedelta(days=40),
        intake_wait_weeks=1,
        treatment_wait_weeks=1,
    )
    school = create_offer(
        session,
        organisation,
        [place],
        name="SO De Vuurtoren",
        kind=OfferKind.SPECIAL_EDUCATION,
        school_type=SchoolType.SO,
        cluster=3,
        tlv_required=True,
    )
    create_report(
        session, school, now=now, status=AvailabilityStatus.OPEN, open_places=2, intake_wait_weeks=0
    )
    session.commit()
    return {"fresh": fresh.id, "stale": stale.id, "school": school.id}


def test_home_is_dutch_with_a_labelled_guided_search(browser: TestClient) -> None:
    page = browser.get("/")
    assert page.status_code == 200
    assert '<html lang="nl">' in page.text
    assert page.headers["Content-Language"] == "nl"
    assert "Vind een plek voor uw kind" in page.text
    assert 'action="/zoeken"' in page.text
    fields = re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', page.text)
    labels = set(re.findall(r'<label[^>]* for="([^"]+)"', page.text))
    assert fields
    assert set(fields) <= labels, set(fields) - labels
    assert 'href="#inhoud"' in page.text
    assert 'id="inhoud"' in page.text
    # Every municipality can be chosen, by name.
    assert '<option value="GM0599">Rotterdam</option>' in page.text


def test_results_show_waits_freshness_contracts_and_keep_the_filters(
    app: Starlette, browser: TestClient, session: Session, now: datetime
) -> None:
    ids = seed(session, now)
    index(app, now)

    page = browser.get(
        "/zoeken", params={"kind": "youth_care", "gemeente": "GM0599", "sort": "wait"}
    )

    assert page.status_code == 200, page.text
    text = text_of(page.text)
    assert "2 plekken gevonden" in text
    assert text.index("Ambulante hulp bij angst") < text.index("Ambulante hulp bij rouw")
    assert "10 weken" in text  # 4 + 6 weeks for the fresh offer
    assert "onbekend: het laatste cijfer is verlopen" in text  # the stale one
    assert "Gemeten op 2 maart 2026" in text
    assert "SO De Vuurtoren" not in text
    # Contracted by the visitor's municipality: yes for one, no for the other.
    assert re.findall(r"Contract met Rotterdam (ja|nee)", text) == ["ja", "nee"]
    # The form shows what was asked. The counts beside the kinds leave the kind filter
    # out: they tell what ticking another kind would add.
    assert 'value="youth_care" checked' in page.text
    assert '<option value="GM0599" selected>' in page.text
    assert "Jeugdhulp (2)" in text
    assert "Speciaal onderwijs (1)" in text
    assert "Dagprogramma (0)" in text
    # The way to the offer carries the search back.
    assert f'href="/aanbod/{ids["fresh"]}?terug=kind%3Dyouth_care%26gemeente%3DGM0599' in page.text


def test_only_contracted_offers_when_the_visitor_asks(
    app: Starlette, browser: TestClient, session: Session, now: datetime
) -> None:
    seed(session, now)
    index(app, now)
    page = browser.get("/zoeken", params={"gemeente": "GM0599", "alleen_contract": "1"})
    text = text_of(page.text)
    assert "1 plek gevonden, met een contract met Rotterdam" in text
    assert "Ambulante hulp bij angst" in text
    assert "rouw" not in text


def test_bad_input_gets_a_dutch_explanation_per_field_not_an_error(
    app: Starlette, browser: TestClient, session: Session, now: datetime
) -> None:
    seed(session, now)
    index(app, now)
    page = browser.get("/zoeken", params={"age": "twaalf", "near": "Atlantis", "sort": "wait"})
    assert page.status_code == 400
    assert page.headers["content-type"].startswith("text/html")
    text = text_of(page.text)
    assert "Controleer uw invoer" in text
    assert "Leeftijd van uw kind: Vul een leeftijd in van 0 tot en met 30 jaar" in text
    assert 'href="#veld-age"' in page.text
    assert 'value="twaalf"' in page.text  # what they typed stays, to correct it

    unknown_place = browser.get("/zoeken", params={"near": "Atlantis"})
    assert unknown_place.status_code == 400
    assert "Deze postcode of plaats kennen we niet" in text_of(unknown_place.text)


def test_what_a_visitor_types_is_escaped(browser: TestClient) -> None:
    page = browser.get("/zoeken", params={"q": '<script>alert("x")</script>'})
    assert page.status_code == 200
    assert "<script>" not in page.text
    assert "&lt;script&gt;" in page.text


def test_pages_keep_every_filter_in_their_links(
    app: Starlette, browser: TestClient, session: Session, now: datetime
) -> None:
    organisation = create_organisation(session)
    place = create_location(session, organisation)
    for number in range(45):
        create_offer(session, organisation, [place], name=f"Gezinshulp {number:02d}")
    session.commit()
    index(app, now)

    first = browser.get("/zoeken", params={"q": "gezinshulp", "kind": "youth_care"})
    assert "45 plekken gevonden" in text_of(first.text)
    assert "pagina 1 van 3" in text_of(first.text)
    assert 'rel="next" href="/zoeken?q=gezinshulp&amp;kind=youth_care&amp;page=2"' in first.text
    third = browser.get("/zoeken", params={"q": "gezinshulp", "kind": "youth_care", "page": 3})
    assert third.text.count('class="site-card"') == 5


def test_offer_page_shows_every_figure_the_way_to_apply_and_the_way_back(
    browser: TestClient, session: Session, now: datetime
) -> None:
    ids = seed(session, now)
    school = browser.get(f"/aanbod/{ids['school']}", params={"terug": "kind=special_education"})
    assert school.status_code == 200
    text = text_of(school.text)
    assert "SO De Vuurtoren" in text
    assert "toelaatbaarheidsverklaring (TLV)" in text
    assert "Plaats vrij" in text
    assert 'href="/zoeken?kind=special_education"' in school.text

    stale = text_of(browser.get(f"/aanbod/{ids['stale']}").text)
    assert "De wachttijd is onbekend: het laatste cijfer (gemeten op 21 januari 2026)" in stale

    contracted = browser.get(f"/aanbod/{ids['fresh']}", params={"terug": "gemeente=GM0599"})
    assert "Rotterdam heeft een contract voor dit aanbod (zorg in natura)." in text_of(
        contracted.text
    )


def test_offer_page_charts_the_wait_with_a_text_alternative(
    browser: TestClient, session: Session, now: datetime
) -> None:
    offer = create_offer(session, name="Dagbehandeling Het Kompas")
    for months_ago, weeks in ((3, 20), (2, 16), (1, 12), (0, 8)):
        measured = now - timedelta(days=30 * months_ago)
        create_report(
            session,
            offer,
            now=now,
            measured_at=measured,
            intake_wait_weeks=weeks,
            treatment_wait_weeks=0,
        )
    session.commit()

    page = browser.get(f"/aanbod/{offer.id}")
    assert '<svg role="img" aria-labelledby="verloop-tekst"' in page.text
    text = text_of(page.text)
    assert "Van ongeveer 5 maanden op 2 december 2025 naar 8 weken op 2 maart 2026." in text
    assert "Alle metingen als tabel" in text


def test_unknown_offer_and_page_give_a_helpful_dutch_page(browser: TestClient) -> None:
    for path in ("/aanbod/999999", "/bestaat-niet"):
        page = browser.get(path)
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")
        assert "Deze pagina bestaat niet (meer)" in text_of(page.text)
    # The JSON API keeps answering problem+json.
    api = browser.get("/api/v1/offers/999999")
    assert api.headers["content-type"] == "application/problem+json"


def test_the_visitor_chooses_english_and_it_is_remembered(browser: TestClient) -> None:
    dutch = browser.get("/wachtlijst")
    assert 'href="?lang=en"' in dutch.text
    assert ">English</a>" in dutch.text

    english = browser.get("/wachtlijst", params={"lang": "en"})
    assert '<html lang="en">' in english.text
    assert "My place on the waiting list" in english.text
    assert english.cookies.get(COOKIE) == "en"

    again = browser.get("/")  # the client sends the cookie back
    assert "Find a place for your child" in again.text
    back = browser.get("/", params={"lang": "nl"})
    assert "Vind een plek voor uw kind" in back.text


def test_a_parent_sees_their_waiting_list_place_by_code(
    browser: TestClient, session: Session, now: datetime
) -> None:
    offer = create_offer(session, name="Behandelgroep De Brug")
    code = "K7QM-4XTR-9PWA"
    session.add(
        WaitlistEntry(
            offer_id=offer.id,
            reference_hash=hash_reference(normalise_reference(code)),
            position=3,
            estimated_start=date(2026, 5, 1),
            updated_at=now,
        )
    )
    session.commit()

    form = browser.get("/wachtlijst")
    assert 'method="post"' in form.text
    assert 'for="veld-code"' in form.text
    found = browser.post("/wachtlijst", data={"code": "k7qm 4xtr 9pwa"})
    assert found.status_code == 200
    text = text_of(found.text)
    assert "Uw kind staat op plek 3 van 3." in text
    assert "Behandelgroep De Brug" in text
    assert "1 mei 2026" in text
    assert code not in str(found.url)
    assert found.headers["Cache-Control"] == "no-store"

    wrong = browser.post("/wachtlijst", data={"code": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == 404
    assert "We vinden geen wachtlijstplek bij deze code" in text_of(wrong.text)


def test_trying_many_codes_is_slowed_down(browser: TestClient) -> None:
    answers = [browser.post("/wachtlijst", data={"code": f"X{n}"}) for n in range(6)]
    assert [answer.status_code for answer in answers] == [404] * 5 + [429]
    assert "Even wachten" in text_of(answers[-1].text)
    assert answers[-1].headers["Retry-After"]


def test_too_long_page_explains_the_routes_and_lists_open_signals(
    browser: TestClient, session_factory: sessionmaker[Session], session: Session, now: datetime
) -> None:
    load_demo(session, now)
    session.commit()
    with unit_of_work(session_factory) as work:
        evaluate_as_configured(work, SETTINGS, now)

    general = text_of(browser.get("/wachttijd-te-lang").text)
    assert "de pgb-route misschien gelden" in general
    assert "artikel 8.1.1" in general
    assert "geen belofte" in general
    assert "onderwijsconsulent" in general
    assert "Een lange wachttijd geeft u niet vanzelf recht op een pgb" in general
    assert "u hebt recht op" not in general.lower()

    page = browser.get("/wachttijd-te-lang", params={"gemeente": "GM0599"})
    text = text_of(page.text)
    assert "In Rotterdam zijn er nu" in text
    assert "Jeugdhulp ambulant" in text  # the PGB-route signal's category
    assert "SO (speciaal onderwijs, basisschoolleeftijd), cluster 3" in text
    assert "Dan kan de pgb-route van toepassing zijn (artikel 8.1.1 Jeugdwet)." in text
    assert "Bron: norm van de jeugdregio (JZ31)." in text  # whose norm it is
    assert "referentie, geen wet" in text  # the school places' 3 months
    assert "weigeren het deel te betalen dat duurder is" in text
    assert "nog geen pgb-tarief voor deze hulp" in text  # the demo sets none
    # Several school gaps with the same route: its explanation, naming the SWV, stands once.
    primary = "Het samenwerkingsverband voor deze gemeente: Samenwerkingsverband Passend Primair"
    assert text.count(primary) == 1
    assert "Wat dit betekent, leest u hierboven bij Jeugd" in text
    assert re.search(r'href="/aanbod/\d+"', page.text)  # an alternative to look at

    for wrong_code in ("Rotterdam", "GM9999"):
        wrong = browser.get("/wachttijd-te-lang", params={"gemeente": wrong_code})
        assert wrong.status_code == 400
        assert "Kies uw gemeente uit de lijst." in text_of(wrong.text)


def test_every_page_and_answer_carries_the_security_headers(browser: TestClient) -> None:
    for path in ("/", "/zoeken", "/wachtlijst", "/bestaat-niet", "/api/v1/offers"):
        headers = browser.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_the_style_sheet_is_the_nl_design_system_bundle_kept_for_long(
    app: Starlette, browser: TestClient
) -> None:
    page = browser.get("/")
    (href,) = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.text)
    sheet = browser.get(href)
    assert sheet.status_code == 200
    assert sheet.headers["content-type"].startswith("text/css")
    assert "immutable" in sheet.headers["Cache-Control"]
    assert ".utrecht-button" in sheet.text
    assert ".site-card" in sheet.text
    assert app.state.style_sheet.complete
    assert browser.get("/static/site-000000000000.css").status_code == 404


def test_school_places_are_not_called_uncontracted(
    app: Starlette, browser: TestClient, session: Session, now: datetime
) -> None:
    seed(session, now)
    index(app, now)
    page = browser.get("/zoeken", params={"kind": "special_education", "gemeente": "GM0599"})
    text = text_of(page.text)
    assert "SO De Vuurtoren" in text
    assert "Contract met" not in text  # municipalities do not buy school places


def test_a_page_past_the_end_leads_to_the_last_page(
    app: Starlette, browser: TestClient, session: Session, now: datetime
) -> None:
    seed(session, now)
    index(app, now)
    page = browser.get(
        "/zoeken", params={"kind": "youth_care", "page": "99999"}, follow_redirects=False
    )
    assert page.status_code == 303
    assert page.headers["location"] == "/zoeken?kind=youth_care&page=1"


def test_every_problem_links_to_a_place_on_the_page(
    app: Starlette, browser: TestClient, session: Session, now: datetime
) -> None:
    seed(session, now)
    index(app, now)
    page = browser.get(
        "/zoeken",
        params={"kind": "boat", "cluster": "9", "has_places": "maybe", "radius_km": "-1"},
    )
    assert page.status_code == 400
    targets = re.findall(
        r'<li class="utrecht-unordered-list__item"><a [^>]*href="#([^"]+)"', page.text
    )
    assert len(targets) == 4
    for target in targets:
        assert f'id="{target}"' in page.text, target
    assert "Zoekopdracht: " in text_of(page.text)  # radius_km has no field of its own


def test_the_language_link_never_leads_off_the_site(browser: TestClient) -> None:
    for path in ("//evil.example/phish", "/%2F%2Fevil.example"):
        page = browser.get(path)
        links = re.findall(r'href="([^"]*lang=en[^"]*)"', page.text)
        assert links
        assert all(link.startswith("?") for link in links), links


def test_dates_are_days_in_the_netherlands_and_distances_have_a_decimal_comma(
    app: Starlette, browser: TestClient, session: Session, now: datetime
) -> None:
    organisation = create_organisation(session)
    place = create_location(session, organisation, city="Rotterdam", lat=51.95, lon=4.48)
    offer = create_offer(session, organisation, [place], name="Gezinsbegeleiding Noord")
    late = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 March in Amsterdam
    create_report(session, offer, now=now, measured_at=late, intake_wait_weeks=1)
    session.commit()
    index(app, now)
    page = browser.get("/zoeken", params={"near": "51.94,4.48", "sort": "distance"})
    text = text_of(page.text)
    assert "Gemeten op 2 maart 2026" in text
    assert "1,1 km" in text


@pytest.mark.parametrize(
    "path", ["/zoeken", "/aanbod/1", "/wachttijd-te-lang", "/api/v1/signals", "/api/v1/offers"]
)
def test_every_public_read_counts_against_the_address_limit(
    session_factory: sessionmaker[Session], now: datetime, path: str
) -> None:
    settings = Settings(_env_file=None, public_rate_per_minute=3)
    with TestClient(create_app(settings, session_factory=session_factory, clock=lambda: now)) as c:
        answers = [c.get(path) for _ in range(4)]

    assert [answer.status_code for answer in answers][-1] == 429
    assert all(answer.status_code != 429 for answer in answers[:3])
    assert answers[-1].headers["Retry-After"]
