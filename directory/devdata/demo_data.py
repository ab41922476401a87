"""The demo catalogue's fictional names and facts: its places and their streets, the
public bodies, the national institutions for clusters 1 and 2, the regional schools for
clusters 3 and 4, the care providers, and which youth care and day programmes they offer.

Data only; `directory.devdata.demo` tells the demo's stories with it. Every organisation
name is invented (the municipalities and samenwerkingsverbanden stand for the real public
bodies of the demo region, by their official codes).
"""

from __future__ import annotations

from dataclasses import dataclass

from directory.enums import DayProgrammeType, ExitProfile, SchoolType, TlvCategory

ROTTERDAM, UTRECHT, ZEIST = "GM0599", "GM0344", "GM0355"
SO, VSO = SchoolType.SO, SchoolType.VSO


@dataclass(frozen=True)
class City:
    code: str
    name: str
    lat: float
    lon: float
    postcode_range: tuple[int, int]
    streets: tuple[str, ...]
    neighbours: tuple[str, ...]  # municipalities that also contract this city's care
    area_code: str  # the telephone area code (netnummer)
    # The jeugdregio that buys the city's youth care for all its members (Jeugdhulp
    # Rijnmond does, for Rotterdam and twelve others); None: each municipality buys its own.
    youth_care_region: str | None = None


CITIES = (
    City(
        ROTTERDAM,
        "Rotterdam",
        51.9225,
        4.47917,
        (3011, 3089),
        ("Havenkade", "Lijnbaanweg", "Maasboulevard", "Kralingseweg", "Vierhavensstraat"),
        ("GM0606", "GM0502"),
        "010",
        "JZ31",
    ),
    City(
        UTRECHT,
        "Utrecht",
        52.09083,
        5.12222,
        (3511, 3585),
        ("Singelpad", "Vaartsche Rijnkade", "Leidsche Weg", "Biltsestraatweg", "Kanaaldijk"),
        ("GM0356", ZEIST),
        "030",
    ),
)
# Where a national institution has a school outside the two cities.
ZEIST_PLACE = City(
    ZEIST, "Zeist", 52.09, 5.23333, (3701, 3709), ("Lindenlaan", "Bosrand"), (), "030"
)
PLACES = {city.code: city for city in (*CITIES, ZEIST_PLACE)}

# The municipalities whose care the demo contracts, as organisations (for watches and
# logins), with their telephone area codes.
MUNICIPALITIES = {
    ROTTERDAM: ("Rotterdam", "010"),
    "GM0606": ("Schiedam", "010"),
    "GM0502": ("Capelle aan den IJssel", "010"),
    UTRECHT: ("Utrecht", "030"),
    "GM0356": ("Nieuwegein", "030"),
    ZEIST: ("Zeist", "030"),
}
# The samenwerkingsverbanden of the two cities, by their codes in the reference table.
SWVS = {
    "PO-28-12": ("Samenwerkingsverband PO Rotterdam", "010"),
    "VO-28-12": ("Samenwerkingsverband VO Rotterdam", "010"),
    "PO-26-05": ("Samenwerkingsverband PO Utrecht", "030"),
    "VO-26-05": ("Samenwerkingsverband VO Utrecht", "030"),
}


@dataclass(frozen=True)
class Institution:
    """A national institution for cluster 1 or 2, with schools in a few places only;
    styled like the real ones (Visio, Bartiméus; Kentalis, Auris), but invented."""

    name: str
    cluster: int
    places: tuple[str, ...]  # municipality codes (PLACES) where it has a school
    waits: tuple[int, int]  # the range of its total wait in weeks


INSTITUTIONS = (
    Institution("Instituut Zicht", 1, (ROTTERDAM,), (2, 8)),
    Institution("Stichting Lichtkring", 1, (ZEIST,), (2, 8)),
    Institution("Instituut Klankkleur", 2, (ROTTERDAM, UTRECHT), (6, 20)),
    Institution("Stichting Oorwerk", 2, (ROTTERDAM,), (6, 20)),
)


@dataclass(frozen=True)
class School:
    """A regional school for cluster 3 or 4: admission by a TLV of the SWV."""

    name: str
    cluster: int
    types: tuple[SchoolType, ...]
    tlv: tuple[TlvCategory, ...]  # the TLV category of each of `types`
    exit_profile: ExitProfile | None = None  # of its VSO places


L, M, H = TlvCategory.LAAG, TlvCategory.MIDDEN, TlvCategory.HOOG
ARBEID, VERVOLG = ExitProfile.ARBEIDSMARKT, ExitProfile.VERVOLGONDERWIJS
# Cluster 4 is usually TLV laag, sometimes midden; hoog is for multiply disabled pupils.
SCHOOLS = {
    ROTTERDAM: (
        School("De Vuurtoren", 3, (SO, VSO), (M, M), ExitProfile.DAGBESTEDING),
        School("De Getijden", 3, (SO,), (H,)),
        School("Het Anker", 4, (SO, VSO), (L, L), ARBEID),
        School("De Regenboogbrug", 4, (SO,), (M,)),
        School("Het Baken", 4, (VSO,), (M,), VERVOLG),
    ),
    UTRECHT: (
        School("De Kapstok", 3, (SO, VSO), (M, M), ARBEID),
        School("De Sterrenwacht", 4, (SO, VSO), (L, L), VERVOLG),
        School("Het Vlot", 4, (VSO,), (L,), ARBEID),
        School("De Wegwijzer", 3, (VSO,), (H,), ExitProfile.DAGBESTEDING),
        School("De Lindeboom", 4, (SO,), (M,)),
    ),
}
BOARD = {ROTTERDAM: "Schoolbestuur Nieuwe Maas", UTRECHT: "Schoolbestuur Vechtstroom"}

PROVIDERS = {
    ROTTERDAM: (
        "Jeugdhulp Havenlicht",
        "Kinder- en jeugd-ggz Lichtbaken",
        "Gezinshulp De Kademuur",
        "Zorgboerderij De Wilgenhoeve",
        "Dagbehandeling Het Kompasnest",
        "Jeugdhulp Zevenwinden",
        "Ouder- en kindhulp De Brugwachter",
        "Jeugdhulp Noordereiland-Oost",
    ),
    UTRECHT: (
        "Jeugdhulp Domtoren-Oost",
        "Kinder-ggz De Singelkring",
        "Zorgboerderij De Kromme Akker",
        "Gezinsbegeleiding Het Lindenhof",
        "Dagbesteding De Werkplaats Noord",
        "Jeugdhulp Vaartzicht",
        "Ouder- en kindhulp De Waterlinie",
        "Jeugdhulp Kanaleneiland-Zuid",
    ),
}
# The providers (by index in PROVIDERS) in the demo's stories.
PGB_ALTERNATIVE = 5  # Rotterdam: not contracted, accepts a PGB, can start now
LAST_TO_FILL_UP = 0  # Rotterdam: the last contracted ambulant provider to go over the norm
DAGBESTEDING_UTRECHT = (2, 4)  # Utrecht's only dagbesteding: a gap that closed again

YOUTH_CARE = {
    41: "Dagbehandeling",
    43: "Behandelgroep met verblijf",
    45: "Ambulante jeugdhulp",
    46: "Crisisopvang",
    51: "Basis-ggz voor jeugd",
    52: "Specialistische jeugd-ggz",
    54: "Jeugd-ggz",
}


@dataclass(frozen=True)
class Programme:
    label: str
    description: str
    includes_education: bool
    education_hours: int | None
    ages: tuple[int, int]


DAY_PROGRAMMES = {
    DayProgrammeType.ONDERWIJSZORGARRANGEMENT: Programme(
        "Onderwijszorgarrangement",
        "Onderwijs en zorg in één plan, voor kinderen die (nog) niet naar school kunnen.",
        True,
        12,
        (4, 18),
    ),
    DayProgrammeType.ONDERWIJSGERICHT: Programme(
        "Onderwijsgericht dagprogramma",
        "Een dagprogramma dat werkt aan de terugkeer naar school.",
        True,
        15,
        (6, 18),
    ),
    DayProgrammeType.ONTWIKKELGERICHT: Programme(
        "Ontwikkelgericht dagprogramma",
        "Een dagprogramma voor kinderen voor wie school (nog) niet haalbaar is.",
        False,
        None,
        (4, 18),
    ),
    DayProgrammeType.DAGBESTEDING: Programme(
        "Dagbesteding",
        "Een zinvolle dag met begeleiding, voor kinderen en jongeren die niet naar school gaan.",
        False,
        None,
        (4, 18),
    ),
    # After-school care with support: for primary-school ages only.
    DayProgrammeType.BSO_PLUS: Programme(
        "BSO+",
        "Naschoolse opvang met extra begeleiding, voor kinderen van de basisschoolleeftijd.",
        False,
        None,
        (4, 12),
    ),
    DayProgrammeType.OVERBRUGGING: Programme(
        "Overbruggingszorg",
        "Zorg en begeleiding zolang uw kind wacht op de plek die het nodig heeft.",
        False,
        None,
        (4, 18),
    ),
    DayProgrammeType.BEHANDEL_ONDERWIJSGROEP: Programme(
        "Behandel- en onderwijsgroep",
        "Behandeling en onderwijs samen in een kleine groep, op school.",
        True,
        10,
        (4, 13),
    ),
}
# Reported "no waiting time" in Rotterdam on 26 February 2024 (DOMAIN.md). Overbruggingszorg
# is not among them: it often has its own waiting list.
NO_WAIT_PROGRAMMES = {DayProgrammeType.BEHANDEL_ONDERWIJSGROEP}
CLUSTER_NEEDS = {
    1: "blinde en slechtziende leerlingen",
    2: "dove en slechthorende leerlingen, TOS en autisme met communicatiebehoefte",
    3: "zeer moeilijk lerende leerlingen en leerlingen met een lichamelijke beperking",
    4: "leerlingen met ernstige gedrags- en psychiatrische problemen",
}
