"""The demo's school places: clusters 1 and 2 only at a few national institutions (their own
Commissie van Onderzoek admits, the SWV has no role), clusters 3 and 4 and SBO at the
regional schools of each city (admission by a TLV of the samenwerkingsverband).

Waits follow DOMAIN.md: SO cluster 3 in Rotterdam almost two years (the education gap of
the demo's story), VSO cluster 4 in Rotterdam more than a year.
"""

from __future__ import annotations

from directory.devdata.demo_builder import DemoBuilder, digits
from directory.devdata.demo_data import (
    BOARD,
    CLUSTER_NEEDS,
    INSTITUTIONS,
    PLACES,
    ROTTERDAM,
    SCHOOLS,
    City,
)
from directory.enums import OfferKind, OrganisationKind, SchoolType

BY_CVO = (
    "Meld uw kind aan bij de Commissie van Onderzoek (CvO) van de instelling; het "
    "samenwerkingsverband heeft hier geen rol."
)
BY_TLV = (
    "De school waar uw kind staat ingeschreven of is aangemeld, vraagt een "
    "toelaatbaarheidsverklaring (TLV) aan bij het samenwerkingsverband."
)


def institutions(builder: DemoBuilder) -> None:
    """The national institutions for clusters 1 and 2, each with a school in a few places."""
    rng = builder.rng
    for number, institution in enumerate(INSTITUTIONS):
        first = PLACES[institution.places[0]]
        organisation = builder.organisation(
            institution.name,
            OrganisationKind.SCHOOL,
            area_code=first.area_code,
            kvk=digits(rng, 8),
            brin=f"{60 + number:02d}DI",
            vestigingsnummer="00",
        )
        for code in institution.places:
            place = PLACES[code]
            location = builder.location(organisation, place)
            for school_type in (SchoolType.SO, SchoolType.VSO):
                so = school_type is SchoolType.SO
                offer = builder.offer(
                    organisation,
                    [location],
                    area_code=place.area_code,
                    name=f"{school_type.value.upper()} cluster {institution.cluster} – "
                    f"{institution.name} {place.name}",
                    description=f"{'S' if so else 'Voortgezet s'}peciaal onderwijs voor "
                    f"{CLUSTER_NEEDS[institution.cluster]}, van een landelijke instelling.",
                    kind=OfferKind.SPECIAL_EDUCATION,
                    cluster=institution.cluster,
                    school_type=school_type,
                    tlv_required=False,
                    min_age=4 if so else 12,
                    max_age=12 if so else 20,
                    leerjaren=[] if so else [1, 2, 3, 4],
                    how_to_apply=BY_CVO,
                )
                low, high = institution.waits
                total = rng.randint(low, high)
                intake = rng.randint(1, min(6, total))
                builder.history(offer, weeks=(intake, total - intake), growth=(0, 1))


def schools(builder: DemoBuilder, city: City) -> None:
    """A city's school board with its cluster 3 and 4 schools and an SBO school."""
    rng = builder.rng
    board = builder.organisation(
        BOARD[city.code],
        OrganisationKind.SCHOOL_BOARD,
        area_code=city.area_code,
        kvk=digits(rng, 8),
    )
    builder.session.flush()
    brin_base = 20 if city.code == ROTTERDAM else 40
    for number, school in enumerate(SCHOOLS[city.code]):
        organisation = builder.organisation(
            f"School voor speciaal onderwijs {school.name}",
            OrganisationKind.SCHOOL,
            area_code=city.area_code,
            domain_name=f"{school.name} {city.name}",
            parent_id=board.id,
            brin=f"{brin_base + number:02d}DM",
            vestigingsnummer="00",
        )
        location = builder.location(organisation, city)
        for school_type, tlv in zip(school.types, school.tlv, strict=True):
            so = school_type is SchoolType.SO
            offer = builder.offer(
                organisation,
                [location],
                area_code=city.area_code,
                name=f"{school_type.value.upper()} cluster {school.cluster} – {school.name}",
                description=f"{'S' if so else 'Voortgezet s'}peciaal onderwijs voor "
                f"{CLUSTER_NEEDS[school.cluster]}.",
                kind=OfferKind.SPECIAL_EDUCATION,
                cluster=school.cluster,
                school_type=school_type,
                tlv_required=True,
                tlv_category=tlv,
                exit_profile=None if so else school.exit_profile,
                min_age=4 if so else 12,
                max_age=12 if so else 20,
                leerjaren=[] if so else [1, 2, 3, 4],
                how_to_apply=BY_TLV,
            )
            if city.code == ROTTERDAM and school.cluster == 3 and so:
                # Almost two years, for every SO cluster 3 school: the education gap.
                builder.history(offer, weeks=(60, 34), growth=(0, 1))
                builder.remember("education_gap", offer)
            elif city.code == ROTTERDAM and school.cluster == 4 and not so:
                builder.history(offer, weeks=(30, 28), growth=(0, 1))  # more than a year
                for leerjaar in (1, 2):
                    builder.history(offer, weeks=(30 + leerjaar * 4, 28), leerjaar=leerjaar)
            else:
                builder.history(
                    offer,
                    weeks=(rng.randint(4, 40), rng.randint(0, 30)),
                    open_places=rng.choice((0, 0, 1, 2)),
                    stale=rng.random() < 0.15,
                )
    sbo = builder.organisation(
        f"SBO De Brug {city.name}",
        OrganisationKind.SCHOOL,
        area_code=city.area_code,
        parent_id=board.id,
        brin=f"{brin_base + 9:02d}DN",
        vestigingsnummer="00",
    )
    offer = builder.offer(
        sbo,
        [builder.location(sbo, city)],
        area_code=city.area_code,
        name=f"Speciaal basisonderwijs De Brug {city.name}",
        description="Speciaal basisonderwijs: kleinere groepen en extra begeleiding.",
        kind=OfferKind.SPECIAL_EDUCATION,
        school_type=SchoolType.SBO,
        tlv_required=True,
        min_age=4,
        max_age=13,
        leerjaren=[3, 4, 5, 6, 7, 8],
        how_to_apply=BY_TLV,
    )
    builder.history(offer, weeks=(8, 4), open_places=3)
