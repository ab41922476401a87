"""The demo catalogue's fictional names and facts: its two cities and their streets, the
providers and schools in each, and which youth care and day programmes they offer.

Data only; `directory.devdata.demo` tells the demo's stories with it. Every name is
invented.
"""

from __future__ import annotations

from dataclasses import dataclass

from directory.enums import DayProgrammeType

ROTTERDAM, UTRECHT = "GM0599", "GM0344"


@dataclass(frozen=True)
class City:
    code: str
    name: str
    lat: float
    lon: float
    postcode_range: tuple[int, int]
    streets: tuple[str, ...]
    neighbours: tuple[str, ...]  # municipalities that also contract this city's care


CITIES = (
    City(
        ROTTERDAM,
        "Rotterdam",
        51.9225,
        4.47917,
        (3011, 3089),
        ("Havenkade", "Lijnbaanweg", "Maasboulevard", "Kralingseweg", "Vierhavensstraat"),
        ("GM0606", "GM0502"),
    ),
    City(
        UTRECHT,
        "Utrecht",
        52.09083,
        5.12222,
        (3511, 3585),
        ("Singelpad", "Vaartsche Rijnkade", "Leidsche Weg", "Biltsestraatweg", "Kanaaldijk"),
        ("GM0356", "GM0355"),
    ),
)

# (name, city, kind of organisation); every name is invented.
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
SCHOOLS = {
    ROTTERDAM: ("De Vuurtoren", "Het Anker", "De Getijden", "De Regenboogbrug", "Het Baken"),
    UTRECHT: ("De Kapstok", "De Sterrenwacht", "Het Vlot", "De Wegwijzer", "De Lindeboom"),
}
BOARD = {ROTTERDAM: "Schoolbestuur Nieuwe Maas", UTRECHT: "Schoolbestuur Vechtstroom"}

YOUTH_CARE = {
    41: "Dagbehandeling",
    43: "Behandelgroep met verblijf",
    45: "Ambulante jeugdhulp",
    46: "Crisisopvang",
    51: "Basis-ggz voor jeugd",
    52: "Specialistische jeugd-ggz",
    54: "Jeugd-ggz",
}
DAY_PROGRAMMES = {
    DayProgrammeType.ONDERWIJSZORGARRANGEMENT: ("Onderwijszorgarrangement", True, 12),
    DayProgrammeType.ONDERWIJSGERICHT: ("Onderwijsgericht dagprogramma", True, 15),
    DayProgrammeType.ONTWIKKELGERICHT: ("Ontwikkelgericht dagprogramma", False, None),
    DayProgrammeType.DAGBESTEDING: ("Dagbesteding", False, None),
    DayProgrammeType.BSO_PLUS: ("BSO+", False, None),
    DayProgrammeType.OVERBRUGGING: ("Overbruggingszorg", False, None),
    DayProgrammeType.BEHANDEL_ONDERWIJSGROEP: ("Behandel- en onderwijsgroep", True, 10),
}
# Reported "no waiting time" in Rotterdam on 26 February 2024 (DOMAIN.md).
NO_WAIT_PROGRAMMES = {DayProgrammeType.BEHANDEL_ONDERWIJSGROEP, DayProgrammeType.OVERBRUGGING}
CLUSTER_NEEDS = {
    1: "blinde en slechtziende leerlingen",
    2: "dove en slechthorende leerlingen, TOS en autisme met communicatiebehoefte",
    3: "zeer moeilijk lerende leerlingen en leerlingen met een lichamelijke beperking",
    4: "leerlingen met ernstige gedrags- en psychiatrische problemen",
}
