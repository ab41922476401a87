"""The fixed Dutch catalogue every backend is held to: 40 fictional offers with edge cases.

Every expectation in the contract tables is written by hand from the rows below, at the
fixed `NOW` (2026-03-02 09:00 UTC). Ids are given explicitly so the same offer has the same
id on SQLite and PostgreSQL. Change a row and the tables that mention it must change too.

Edge cases on purpose:
- places: 's-Hertogenbosch (apostrophe, hyphen; its municipality row is added here when
  the shipped reference data lacks it), Groningen and Maastricht (far away), locations
  without coordinates (14, 28) and an offer without any location (23);
- names: "Café de Regenboog" (diacritics); texts for the relevance table (autisme,
  zorgboerderij, taalontwikkelingsstoornis / TOS, jeugd-ggz, crisisopvang, "het");
- offers without cluster (SBO 3 and 38, every day programme and youth-care offer), without
  contracts, with contracts in several municipalities, with only an expired and a future
  contract (16);
- figures: waits of 0, equal waits (20: offers 4, 5, 15 and 31; 52: 1 and 39; 4: 11 and
  37; 2: 20, 24 and 26; stale 7 waits 90 like 40, stale 25 waits 2), stale figures (7,
  25, 35, and 16 whose valid_until is exactly `NOW`), figures that expire a day after
  `NOW` (28, 40), no figure at all (6, 12, 32, 34), a fresh figure without a total wait
  (19: no treatment wait; 8: closed, no waits), location figures that the headline
  combines (29: two fresh; 30: one stale, one fresh), equal measurement times (9 and 14;
  8, 20 and 33; 3, 24 and 38; 11 and 29; 4, 5 and 26; 19 and 36; 17 and 18; 22 and 23;
  28 and 40);
- places: equal coordinates for several offers (equal distances, broken by id).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from directory.catalogue.models import Contract
from directory.enums import (
    AvailabilityStatus,
    DayProgrammeType,
    OfferKind,
    OrganisationKind,
    SchoolType,
)
from directory.geo import find_place
from directory.reference.models import Municipality
from search.backend import SearchBackend
from search.documents import SearchDocument, build_documents
from search.query import MAX_PER_PAGE, Point, SearchQuery
from tests.conftest import NOW
from tests.factories import (
    create_contract,
    create_location,
    create_offer,
    create_organisation,
    create_report,
)

TODAY = NOW.date()

ROTTERDAM = "GM0599"
SCHIEDAM = "GM0606"
UTRECHT = "GM0344"
AMSTERDAM = "GM0363"
DEN_HAAG = "GM0518"
LANSINGERLAND = "GM1621"
DEN_BOSCH = "GM0796"
GRONINGEN = "GM0014"
MAASTRICHT = "GM0935"

SE = OfferKind.SPECIAL_EDUCATION
DP = OfferKind.DAY_PROGRAMME
YC = OfferKind.YOUTH_CARE
OPEN = AvailabilityStatus.OPEN
WAITLIST = AvailabilityStatus.WAITLIST
CLOSED = AvailabilityStatus.CLOSED
ASSESSMENT = AvailabilityStatus.ASSESSMENT_REQUIRED

# Municipalities the shipped reference data may lack (it covers Rijnmond and Utrecht).
EXTRA_MUNICIPALITIES = (
    (DEN_BOSCH, "'s-Hertogenbosch", "PV30", 51.69917, 5.30417),
    (GRONINGEN, "Groningen", "PV20", 53.21917, 6.56667),
    (MAASTRICHT, "Maastricht", "PV31", 50.84833, 5.68889),
)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def ahead(days: float) -> datetime:
    return NOW + timedelta(days=days)


@dataclass(frozen=True)
class Org:
    id: int
    name: str
    kind: OrganisationKind = OrganisationKind.CARE_PROVIDER


@dataclass(frozen=True)
class Loc:
    id: int
    org: int
    name: str
    city: str
    municipality: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class Fig:
    """One current figure; `location` narrows it to one of the offer's locations."""

    status: AvailabilityStatus
    open_places: int | None
    intake: int | None
    treatment: int | None
    measured_at: datetime
    valid_until: datetime
    location: int | None = None


@dataclass(frozen=True)
class Spec:
    id: int
    org: int
    name: str
    kind: OfferKind
    description: str
    locations: tuple[int, ...]
    ages: tuple[int | None, int | None] = (None, None)
    pgb: bool = False
    contracts: tuple[str, ...] = ()
    figures: tuple[Fig, ...] = ()
    cluster: int | None = None
    school_type: SchoolType | None = None
    ijw: int | None = None
    programme: DayProgrammeType | None = None


ORGANISATIONS = (
    Org(1, "Stichting Kompasscholen", OrganisationKind.SCHOOL_BOARD),
    Org(2, "Stichting Taalrijk", OrganisationKind.SCHOOL),
    Org(3, "Stichting Zichtlijn", OrganisationKind.SCHOOL),
    Org(4, "Scholengroep De Vlinder", OrganisationKind.SCHOOL_BOARD),
    Org(5, "Café de Regenboog"),
    Org(6, "Zorgboerderij De Klaver"),
    Org(7, "Jeugdhulp Horizon"),
    Org(8, "GGZ Jong Brabant"),
    Org(9, "Noorderzorg"),
    Org(10, "Zuiderlicht"),
    Org(11, "Stichting Brug en Basis"),
    Org(12, "Thuiszorg Jong Amsterdam"),
    Org(13, "Kinderopvang De Speelboom"),
    Org(14, "Leerwerkbedrijf De Werkplaats"),
    Org(15, "Kinderdagcentrum Zonnestraal"),
    Org(16, "Stichting De Esch", OrganisationKind.SCHOOL),
    Org(17, "Stichting De Kade", OrganisationKind.SCHOOL),
    Org(18, "Stichting Sterrenwacht", OrganisationKind.SCHOOL),
    Org(19, "Stichting Hofstad Jeugd"),
)

LOCATIONS = (
    Loc(101, 1, "Kompas Kralingen", "Rotterdam", ROTTERDAM, 51.9270, 4.5130),
    Loc(102, 1, "Kompas Schiedam", "Schiedam", SCHIEDAM, 51.9160, 4.4000),
    Loc(201, 2, "Taalrijk Utrecht", "Utrecht", UTRECHT, 52.0850, 5.1000),
    Loc(301, 3, "Zichtlijn Amsterdam", "Amsterdam", AMSTERDAM, 52.3600, 4.9000),
    Loc(401, 4, "De Vlinder", "Den Haag", DEN_HAAG, 52.0700, 4.3000),
    Loc(501, 5, "Café de Regenboog Delfshaven", "Rotterdam", ROTTERDAM, 51.9100, 4.4450),
    Loc(601, 6, "De Klaver", "Bergschenhoek", LANSINGERLAND, 51.9950, 4.5000),
    Loc(701, 7, "Horizon Centrum", "Rotterdam", ROTTERDAM, 51.9220, 4.4800),
    # A crisis address is not published: no coordinates.
    Loc(702, 7, "Horizon Crisislocatie", "Rotterdam", ROTTERDAM, None, None),
    Loc(703, 7, "Horizon Utrecht", "Utrecht", UTRECHT, 52.1000, 5.1100),
    Loc(801, 8, "Jong Brabant", "'s-Hertogenbosch", DEN_BOSCH, 51.6900, 5.3000),
    Loc(901, 9, "Noorderzorg Groningen", "Groningen", GRONINGEN, 53.2150, 6.5600),
    Loc(1001, 10, "Zuiderlicht", "Maastricht", MAASTRICHT, 50.8500, 5.6900),
    Loc(1101, 11, "Brug en Basis Zuid", "Rotterdam", ROTTERDAM, 51.8900, 4.4900),
    Loc(1102, 11, "Brug en Basis Schiedam", "Schiedam", SCHIEDAM, 51.9200, 4.3800),
    Loc(1103, 11, "Brug en Basis Den Haag", "Den Haag", DEN_HAAG, 52.0800, 4.3100),
    Loc(1201, 12, "Thuiszorg Jong Oost", "Amsterdam", AMSTERDAM, 52.3700, 4.8800),
    Loc(1202, 12, "Thuiszorg Jong Vervoer", "Amsterdam", AMSTERDAM, None, None),
    Loc(1301, 13, "De Speelboom", "Den Haag", DEN_HAAG, 52.0600, 4.2900),
    Loc(1401, 14, "De Werkplaats", "Utrecht", UTRECHT, 52.0800, 5.1300),
    Loc(1501, 15, "Zonnestraal", "Rotterdam", ROTTERDAM, 51.9000, 4.5000),
    Loc(1601, 16, "De Esch", "'s-Hertogenbosch", DEN_BOSCH, 51.7000, 5.3200),
    Loc(1701, 17, "De Kade", "Amsterdam", AMSTERDAM, 52.3800, 4.9000),
    Loc(1801, 18, "De Sterrenwacht", "Rotterdam", ROTTERDAM, 51.9350, 4.4600),
    Loc(1901, 19, "Hofstad Jeugd", "Den Haag", DEN_HAAG, 52.0800, 4.3100),
)

VSO, SO, SBO = SchoolType.VSO, SchoolType.SO, SchoolType.SBO
D = DayProgrammeType

OFFERS = (
    Spec(1, 1, "De Kompasschool SO", SE,
         "Speciaal onderwijs voor kinderen met ernstige gedragsproblemen.",
         (101,), (4, 12), cluster=4, school_type=SO, contracts=(ROTTERDAM,),
         figures=(Fig(WAITLIST, 0, 40, 12, ago(10), ahead(21)),)),
    Spec(2, 1, "De Kompasschool VSO", SE,
         "Voortgezet speciaal onderwijs met uitstroomprofiel arbeidsmarkt.",
         (101, 102), (12, 20), cluster=4, school_type=VSO, contracts=(ROTTERDAM, SCHIEDAM),
         figures=(Fig(WAITLIST, 0, 48, 12, ago(10), ahead(21)),)),
    Spec(3, 1, "Kompas SBO De Haven", SE, "Speciaal basisonderwijs in kleine groepen.",
         (102,), (4, 13), school_type=SBO, contracts=(SCHIEDAM,),
         figures=(Fig(OPEN, 3, 0, 0, ago(3), ahead(28)),)),
    Spec(4, 2, "Taalrijk SO", SE,
         "Onderwijs voor kinderen met een taalontwikkelingsstoornis of een auditieve "
         "beperking.",
         (201,), (4, 12), cluster=2, school_type=SO, contracts=(UTRECHT,),
         figures=(Fig(WAITLIST, 0, 8, 12, ago(5), ahead(26)),)),
    Spec(5, 2, "Taalrijk VSO", SE, "Voor jongeren met TOS: kleine klassen en logopedie.",
         (201,), (12, 18), cluster=2, school_type=VSO,
         figures=(Fig(WAITLIST, 0, 10, 10, ago(5), ahead(26)),)),
    Spec(6, 3, "Zichtlijn SO", SE, "Onderwijs voor blinde en slechtziende kinderen.",
         (301,), (4, 12), cluster=1, school_type=SO),
    Spec(7, 4, "De Vlinder SO", SE,
         "Voor zeer moeilijk lerende kinderen en kinderen met epilepsie.",
         (401,), (4, 14), cluster=3, school_type=SO, contracts=(DEN_HAAG,),
         figures=(Fig(WAITLIST, 0, 90, 0, ago(60), ago(1)),)),
    Spec(8, 4, "De Vlinder VSO", SE, "Voortgezet speciaal onderwijs, uitstroomprofiel "
         "dagbesteding.",
         (401,), (12, 20), cluster=3, school_type=VSO, contracts=(DEN_HAAG,),
         figures=(Fig(CLOSED, 0, None, None, ago(2), ahead(29)),)),
    Spec(9, 5, "Dagbesteding Café de Regenboog", DP,
         "Werken in de keuken en achter de bar van een buurtcafé.",
         (501,), (14, 23), pgb=True, programme=D.DAGBESTEDING, contracts=(ROTTERDAM,),
         figures=(Fig(OPEN, 2, 0, 0, ago(1), ahead(30)),)),
    Spec(10, 5, "Regenboog BSO+", DP, "Naschoolse opvang met begeleiding.",
         (501,), (4, 12), programme=D.BSO_PLUS,
         figures=(Fig(WAITLIST, 0, 6, 0, ago(7), ahead(24)),)),
    Spec(11, 6, "Dagbesteding op de zorgboerderij", DP,
         "Werken met dieren en in de moestuin, ook voor jongeren met autisme.",
         (601,), (12, 18), pgb=True, programme=D.DAGBESTEDING,
         contracts=(ROTTERDAM, LANSINGERLAND),
         figures=(Fig(WAITLIST, 0, 4, 0, ago(4), ahead(27)),)),
    Spec(12, 6, "De Klaver overbruggingszorg", DP,
         "Zorg en structuur op de boerderij zolang een schoolplek ontbreekt.",
         (601,), (6, 18), pgb=True, programme=D.OVERBRUGGING),
    Spec(13, 7, "Ambulante jeugdhulp bij autisme", YC,
         "Begeleiding thuis en op school voor kinderen met autisme en hun ouders.",
         (701,), (0, 18), pgb=True, ijw=45, contracts=(ROTTERDAM, SCHIEDAM, UTRECHT),
         figures=(Fig(WAITLIST, 0, 4, 6, ago(6), ahead(25)),)),
    Spec(14, 7, "Crisisopvang Horizon", YC, "Crisisopvang voor jongeren, dag en nacht "
         "bereikbaar.",
         (702,), (12, 18), ijw=46, contracts=(ROTTERDAM,),
         figures=(Fig(OPEN, 1, 0, 0, ago(1), ahead(30)),)),
    Spec(15, 7, "Horizon gezinshuis", YC, "Wonen in een gezinshuis met behandeling.",
         (703,), (0, 18), ijw=43, contracts=(UTRECHT,),
         figures=(Fig(WAITLIST, 0, 10, 10, ago(8), ahead(23)),)),
    # Only an expired and a future contract (added in `load_fixture`); stale at exactly NOW.
    Spec(16, 7, "Horizon pleegzorg", YC, "Pleegzorg en logeerhuis.",
         (703,), pgb=True, ijw=44,
         figures=(Fig(WAITLIST, 0, 2, 2, ago(31), NOW),)),
    Spec(17, 8, "Jeugd-ggz Jong Brabant", YC, "Behandeling bij angst, depressie en trauma.",
         (801,), (6, 18), pgb=True, ijw=54, contracts=(DEN_BOSCH,),
         figures=(Fig(WAITLIST, 0, 8, 14, ago(12), ahead(19)),)),
    Spec(18, 8, "Basis-ggz Jong Brabant", YC, "Kortdurende hulp bij lichte klachten.",
         (801,), (12, 18), ijw=51,
         figures=(Fig(WAITLIST, 0, 2, 3, ago(12), ahead(19)),)),
    Spec(19, 7, "Specialistische ggz voor jongeren", YC, "Diagnostiek en behandeling.",
         (703,), (12, 18), pgb=True, ijw=52, contracts=(UTRECHT,),
         figures=(Fig(WAITLIST, None, 6, None, ago(9), ahead(22)),)),
    Spec(20, 9, "Noorderzorg dagbehandeling", YC, "Dagbehandeling voor jonge kinderen.",
         (901,), (4, 12), pgb=True, ijw=41, contracts=(GRONINGEN,),
         figures=(Fig(OPEN, 5, 1, 1, ago(2), ahead(29)),)),
    Spec(21, 10, "Zuiderlicht behandelgroep", DP, "Behandeling en onderwijs in één groep.",
         (1001,), (6, 12), programme=D.BEHANDEL_ONDERWIJSGROEP,
         figures=(Fig(WAITLIST, 0, 3, 0, ago(14), ahead(17)),)),
    Spec(22, 11, "Onderwijszorgarrangement De Brug", DP,
         "Onderwijs en zorg in één plan, afgestemd op het kind.",
         (1101,), (6, 12), programme=D.ONDERWIJSZORGARRANGEMENT, contracts=(ROTTERDAM,),
         figures=(Fig(WAITLIST, 0, 26, 0, ago(20), ahead(11)),)),
    Spec(23, 11, "Ontwikkelgericht dagprogramma", DP, "Een dagprogramma op maat, zonder "
         "vaste locatie.",
         (), (4, 12), pgb=True, programme=D.ONTWIKKELGERICHT, contracts=(ROTTERDAM,),
         figures=(Fig(WAITLIST, 0, 30, 0, ago(20), ahead(11)),)),
    Spec(24, 11, "OPDC Rijnmond", DP, "Tijdelijke plek naast school.",
         (1102,), (12, 16), programme=D.OPDC, contracts=(SCHIEDAM, ROTTERDAM),
         figures=(Fig(OPEN, 4, 0, 2, ago(3), ahead(28)),)),
    Spec(25, 11, "Onderwijsgericht dagprogramma Maasstad", DP, "Les en begeleiding.",
         (1101,), (12, 18), programme=D.ONDERWIJSGERICHT, contracts=(ROTTERDAM,),
         figures=(Fig(OPEN, 2, 2, 0, ago(45), ago(14)),)),
    Spec(26, 19, "Jeugdbescherming Hofstad", YC, "Bescherming van kinderen in onveilige "
         "situaties.",
         (1901,), ijw=48, contracts=(DEN_HAAG,),
         figures=(Fig(ASSESSMENT, None, 2, 0, ago(5), ahead(26)),)),
    Spec(27, 12, "Persoonlijke verzorging thuis", YC, "Hulp bij wassen en aankleden.",
         (1201,), (0, 17), pgb=True, ijw=40, contracts=(AMSTERDAM,),
         figures=(Fig(WAITLIST, 0, 1, 0, ago(15), ahead(16)),)),
    Spec(28, 12, "Vervoer op maat", YC, "Vervoer naar school en dagbesteding.",
         (1202,), (4, 18), pgb=True, ijw=42,
         figures=(Fig(OPEN, 10, 0, 0, ago(30), ahead(1)),)),
    # Two fresh location figures: the headline takes the best status and shortest wait.
    Spec(29, 7, "Horizon dagbehandeling autisme", YC, "Groepsbehandeling na school.",
         (701, 703), (4, 12), ijw=41, contracts=(ROTTERDAM, UTRECHT),
         figures=(Fig(WAITLIST, 0, 12, 0, ago(6), ahead(25), location=701),
                  Fig(OPEN, 2, 0, 3, ago(4), ahead(20), location=703))),
    # A stale location figure (short wait) and a fresh one: only the fresh one counts.
    Spec(30, 11, "Brug en Basis ambulant", YC, "Ambulante begeleiding aan huis.",
         (1102, 1103), (6, 18), pgb=True, ijw=45, contracts=(SCHIEDAM,),
         figures=(Fig(WAITLIST, None, 1, 0, ago(50), ago(19), location=1102),
                  Fig(WAITLIST, None, 15, 0, ago(10), ahead(21), location=1103))),
    Spec(31, 12, "Maatwerk jeugd Amsterdam", YC, "Een arrangement dat past.",
         (1201,), (0, 23), pgb=True, ijw=50, contracts=(AMSTERDAM, ROTTERDAM),
         figures=(Fig(WAITLIST, 0, 10, 10, ago(16), ahead(15)),)),
    Spec(32, 7, "Jeugdreclassering Stad", YC, "Begeleiding na een strafzaak.",
         (703,), (12, 23), ijw=47, contracts=(UTRECHT,)),
    Spec(33, 15, "Kinderdagcentrum Zonnestraal", YC, "Zorg voor jonge kinderen met een "
         "medische hulpvraag.",
         (1501,), (0, 6), ijw=53, contracts=(ROTTERDAM,),
         figures=(Fig(OPEN, 2, 0, 0, ago(2), ahead(29)),)),
    Spec(34, 9, "Landelijke zorg Noord", YC, "Zeldzame hulpvragen.", (901,), ijw=55),
    Spec(35, 19, "Preventief justitieel kader Hofstad", YC, "Voorkomen van criminaliteit.",
         (1901,), (12, 18), ijw=49, contracts=(DEN_HAAG,),
         figures=(Fig(WAITLIST, 0, 4, 0, ago(100), ago(40)),)),
    Spec(36, 13, "BSO+ De Speelboom", DP, "Buitenschoolse opvang met extra begeleiding.",
         (1301,), (4, 12), pgb=True, programme=D.BSO_PLUS, contracts=(DEN_HAAG,),
         figures=(Fig(WAITLIST, 0, 8, 0, ago(9), ahead(22)),)),
    Spec(37, 14, "Dagbesteding De Werkplaats", DP, "Werken in een houtwerkplaats.",
         (1401,), (14, 23), pgb=True, programme=D.DAGBESTEDING, contracts=(UTRECHT,),
         figures=(Fig(WAITLIST, 0, 4, 0, ago(11), ahead(20)),)),
    Spec(38, 16, "SBO De Esch", SE, "Speciaal basisonderwijs.",
         (1601,), (4, 13), school_type=SBO,
         figures=(Fig(OPEN, 1, 0, 0, ago(3), ahead(28)),)),
    Spec(39, 17, "VSO De Kade", SE, "Voortgezet speciaal onderwijs.",
         (1701,), (12, 20), cluster=4, school_type=VSO, contracts=(AMSTERDAM,),
         figures=(Fig(WAITLIST, 0, 52, 0, ago(25), ahead(6)),)),
    Spec(40, 18, "SO De Sterrenwacht", SE, "Speciaal onderwijs.",
         (1801,), (4, 12), cluster=3, school_type=SO, contracts=(ROTTERDAM,),
         figures=(Fig(WAITLIST, 0, 90, 0, ago(30), ahead(1)),)),
)  # fmt: skip

ALL_IDS = tuple(spec.id for spec in OFFERS)


def all_but(*excluded: int) -> list[int]:
    """Every offer id except these, in id order."""
    return [offer_id for offer_id in ALL_IDS if offer_id not in excluded]


@dataclass(frozen=True)
class Catalogue:
    """A database holding the fixture catalogue, and the documents built from it."""

    session_factory: sessionmaker[Session]
    documents: list[SearchDocument]


def load_fixture(session: Session) -> None:
    """Write the fixture catalogue (the caller commits)."""
    for code, name, province, lat, lon in EXTRA_MUNICIPALITIES:
        if session.get(Municipality, code) is None:
            session.add(
                Municipality(code=code, name=name, province_code=province, lat=lat, lon=lon)
            )
    session.flush()
    organisations = {
        org.id: create_organisation(session, id=org.id, name=org.name, kind=org.kind)
        for org in ORGANISATIONS
    }
    locations = {
        loc.id: create_location(
            session,
            organisations[loc.org],
            id=loc.id,
            name=loc.name,
            city=loc.city,
            municipality_code=loc.municipality,
            lat=loc.lat,
            lon=loc.lon,
        )
        for loc in LOCATIONS
    }
    for spec in OFFERS:
        offer = create_offer(
            session,
            organisations[spec.org],
            [locations[location] for location in spec.locations],
            id=spec.id,
            name=spec.name,
            kind=spec.kind,
            description=spec.description,
            min_age=spec.ages[0],
            max_age=spec.ages[1],
            accepts_pgb=spec.pgb,
            cluster=spec.cluster,
            school_type=spec.school_type,
            ijw_category=spec.ijw,
            day_programme_type=spec.programme,
            created_at=ago(400),
            updated_at=ago(40),
        )
        for municipality in spec.contracts:
            create_contract(session, offer, municipality)
        for figure in spec.figures:
            create_report(
                session,
                offer,
                now=NOW,
                measured_at=figure.measured_at,
                valid_until=figure.valid_until,
                status=figure.status,
                open_places=figure.open_places,
                intake_wait_weeks=figure.intake,
                treatment_wait_weeks=figure.treatment,
                location_id=figure.location,
            )
    # Offer 16: a contract that ended and one that has not started: contracted by nobody.
    session.add_all(
        [
            Contract(
                offer_id=16,
                municipality_code=UTRECHT,
                valid_from=date(2024, 1, 1),
                valid_to=date(2025, 12, 31),
            ),
            Contract(offer_id=16, municipality_code=ROTTERDAM, valid_from=date(2026, 6, 1)),
        ]
    )
    session.flush()


def fixture_documents(session: Session) -> list[SearchDocument]:
    """The search documents of the fixture, built at the fixed `NOW`, in id order."""
    documents = build_documents(session, ALL_IDS, today=TODAY, now=NOW)
    return [documents[offer_id] for offer_id in sorted(documents)]


# --- what the tables use --------------------------------------------------------------------


def place(name: str) -> Point:
    """`near=<place name>` as `search.places.resolve_near` resolves it (offline GeoNames)."""
    found = find_place(name)
    assert found is not None, name
    return Point(found.lat, found.lon)


ROTTERDAM_CENTRE = place("Rotterdam")  # 51.9225, 4.47917
UTRECHT_CENTRE = Point(52.0907, 5.1214)  # as `near=52.0907,5.1214`


def search_all(backend: SearchBackend, query: SearchQuery) -> list[int]:
    """The ids of the whole answer, in order (the fixture fits on one page)."""
    result = backend.search(replace(query, page=1, per_page=MAX_PER_PAGE), NOW)
    ids = [hit.id for hit in result.items]
    assert result.total == len(ids), f"total {result.total} but {len(ids)} hits"
    return ids
