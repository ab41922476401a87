"""The parents' pages per groep and leerjaar: a school open in one groep but with a long
wait in another never reads as "no wait"; with a groep or leerjaar chosen, its own figure
shows. SO and SBO say "groep", VSO says "leerjaar"."""

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session
from starlette.applications import Starlette
from starlette.testclient import TestClient

from directory.catalogue.models import Offer, WaitlistEntry
from directory.enums import AvailabilityStatus, DayProgrammeType, OfferKind, SchoolType
from providers.waitlist import hash_reference, normalise_reference
from tests.factories import create_location, create_offer, create_organisation, create_report
from tests.web.conftest import index
from tests.web.pages.parents.test_routes import text_of

OPEN, WAITLIST = AvailabilityStatus.OPEN, AvailabilityStatus.WAITLIST


@pytest.fixture
def browser(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def report(
    session: Session,
    offer: Offer,
    now: datetime,
    status: AvailabilityStatus,
    wait: int,
    places: int = 0,
    leerjaar: int | None = None,
) -> None:
    create_report(
        session,
        offer,
        now=now,
        status=status,
        open_places=places,
        intake_wait_weeks=wait,
        treatment_wait_weeks=0,
        leerjaar=leerjaar,
    )


def schools(session: Session, now: datetime) -> dict[str, int]:
    """An SO open in groep 1 and waiting 80 weeks in groep 3; a VSO whose leerjaar 1 waits
    10 weeks and leerjaar 2 40 weeks."""
    board = create_organisation(session, name="Stichting De Lindeboom")
    place = create_location(session, board, city="Rotterdam", lat=51.92, lon=4.48)
    so = create_offer(
        session,
        board,
        [place],
        name="SO De Lindeboom",
        kind=OfferKind.SPECIAL_EDUCATION,
        school_type=SchoolType.SO,
        cluster=3,
        leerjaren=[1, 3],
        tlv_required=True,
    )
    report(session, so, now, OPEN, 0, places=2, leerjaar=1)
    report(session, so, now, WAITLIST, 80, leerjaar=3)
    vso = create_offer(
        session,
        board,
        [place],
        name="VSO De Lindeboom",
        kind=OfferKind.SPECIAL_EDUCATION,
        school_type=SchoolType.VSO,
        cluster=4,
        leerjaren=[1, 2],
    )
    report(session, vso, now, WAITLIST, 10, leerjaar=1)
    report(session, vso, now, WAITLIST, 40, leerjaar=2)
    session.commit()
    return {"so": so.id, "vso": vso.id}


def test_without_a_groep_a_long_wait_in_one_is_never_hidden_behind_another(
    app: Starlette, browser: TestClient, session: Session, now: datetime
) -> None:
    schools(session, now)
    index(app, now)
    text = text_of(browser.get("/zoeken").text)
    assert "geen wachttijd" not in text
    assert "Plaats vrij" not in text  # the badge says it varies, not the best groep's status
    assert "Verschilt per groep" in text
    assert "Groep 1: plaats vrij" in text
    assert "Groep 3: wachtlijst, ongeveer 18 maanden" in text
    assert "verschilt, tot ongeveer 18 maanden" in text
    assert "Verschilt per leerjaar" in text
    assert "Leerjaar 1: wachtlijst, 10 weken" in text
    assert "Kies bij de filters de groep of het leerjaar van uw kind" in text


def test_with_a_groep_its_own_figure_shows(
    app: Starlette, browser: TestClient, session: Session, now: datetime
) -> None:
    schools(session, now)
    index(app, now)
    groep_3 = text_of(browser.get("/zoeken", params={"leerjaar": "3"}).text)
    assert "1 plek gevonden" in groep_3  # the VSO has no leerjaar 3
    assert "Wachttijd voor groep 3 ongeveer 18 maanden" in groep_3
    assert "Verschilt" not in groep_3
    with_places = text_of(browser.get("/zoeken", params={"leerjaar": "3", "has_places": "1"}).text)
    assert "0 plekken gevonden" in with_places

    groep_1 = browser.get("/zoeken", params={"leerjaar": "1", "sort": "wait"})
    text = text_of(groep_1.text)
    assert "2 plekken gevonden" in text
    assert "Wachttijd voor groep 1 geen wachttijd" in text
    assert "Wachttijd voor leerjaar 1 10 weken" in text
    assert text.index("SO De Lindeboom") < text.index("VSO De Lindeboom")
    assert '<option value="1" selected>groep 1 of leerjaar 1</option>' in groep_1.text


def test_a_groep_outside_1_to_8_is_explained_in_dutch(browser: TestClient) -> None:
    page = browser.get("/zoeken", params={"leerjaar": "9"})
    assert page.status_code == 400
    text = text_of(page.text)
    assert (
        "Groep of leerjaar: Kies een groep van 1 tot en met 8, of een leerjaar van 1 tot en met 6."
        in text
    )
    assert 'href="#veld-leerjaar"' in page.text


def test_the_offer_page_shows_each_groep_or_the_one_asked_for(
    browser: TestClient, session: Session, now: datetime
) -> None:
    ids = schools(session, now)
    whole = text_of(browser.get(f"/aanbod/{ids['so']}").text)
    assert "Verschilt per groep" in whole
    assert "Groep 3: wachtlijst, ongeveer 18 maanden" in whole
    # The headline part; the table below says each groep's own figures row by row.
    assert "geen wachttijd" not in whole.split("Alle cijfers")[0]
    assert "Alle cijfers, per locatie en groep" in whole
    assert "De school waar uw kind ingeschreven of aangemeld is, vraagt die aan" in whole
    assert "U vraagt de TLV niet zelf aan." in whole

    asked = text_of(browser.get(f"/aanbod/{ids['so']}", params={"terug": "leerjaar=3"}).text)
    assert "Plaats en wachttijd nu voor groep 3" in asked
    assert "Totale wachttijd ongeveer 18 maanden" in asked
    assert "Verschilt" not in asked

    not_taught = text_of(browser.get(f"/aanbod/{ids['so']}", params={"leerjaar": "2"}).text)
    assert "Dit aanbod noemt groep 2 niet." in not_taught

    vso = text_of(browser.get(f"/aanbod/{ids['vso']}").text)
    assert "Verschilt per leerjaar" in vso
    assert "Alle cijfers, per locatie en leerjaar" in vso
    assert "Hele aanbod" not in vso  # only leerjaar figures: each row says its leerjaar


def test_the_words_a_domain_expert_corrected(
    browser: TestClient, session: Session, now: datetime
) -> None:
    provider = create_organisation(session, name="Zorgboerderij De Klaver")
    closed = create_offer(
        session,
        provider,
        name="Dagprogramma De Klaver",
        kind=OfferKind.DAY_PROGRAMME,
        day_programme_type=DayProgrammeType.ONDERWIJSGERICHT,
        includes_education=True,
        education_hours_per_week=Decimal("12.5"),
    )
    report(session, closed, now, AvailabilityStatus.CLOSED, 0)
    whole_hours = create_offer(
        session,
        provider,
        name="OPDC De Klaver",
        kind=OfferKind.DAY_PROGRAMME,
        day_programme_type=DayProgrammeType.OPDC,
        includes_education=True,
        education_hours_per_week=Decimal("12.0"),
    )
    session.commit()

    page = text_of(browser.get(f"/aanbod/{closed.id}", params={"terug": "gemeente=GM0599"}).text)
    assert "Aanmelden kan nu niet" in page
    assert "Met onderwijs: 12,5 uur per week." in page
    assert "Rotterdam heeft geen contract voor dit aanbod." in page
    opdc = text_of(browser.get(f"/aanbod/{whole_hours.id}").text)
    assert "Met onderwijs: 12 uur per week." in opdc
    assert "OPDC (tijdelijke schoolplek in het voortgezet onderwijs)" in opdc
    assert "Geen enkele gemeente heeft een contract voor dit aanbod." in opdc

    results = text_of(browser.get("/zoeken").text)
    assert "Maximale wachttijd" in results
    assert "langdurig lichamelijk ziek" in results  # cluster 3
    assert "autisme met problemen in taal en communicatie" in results  # cluster 2
    assert "echt moet" not in browser.get("/").text  # the figures are the providers' own


def test_a_waiting_list_place_may_change(
    browser: TestClient, session: Session, now: datetime
) -> None:
    offer = create_offer(session, name="Behandelgroep De Brug")
    session.add(
        WaitlistEntry(
            offer_id=offer.id,
            reference_hash=hash_reference(normalise_reference("K7QM-4XTR-9PWA")),
            position=3,
            updated_at=now,
        )
    )
    session.commit()
    found = text_of(browser.post("/wachtlijst", data={"code": "K7QM-4XTR-9PWA"}).text)
    assert "Uw plaats op de wachtlijst kan veranderen" in found
    assert "een ander kind met spoed geplaatst moet worden" in found
