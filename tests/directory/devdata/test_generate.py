"""The synthetic benchmark catalogue: fictional, realistic in shape, and deterministic."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from directory.catalogue.models import (
    AvailabilityReport,
    Contract,
    CurrentAvailability,
    Location,
    Offer,
    Organisation,
    offer_location,
)
from directory.catalogue.rules import is_fresh, total_wait_weeks
from directory.devdata import synthetic
from directory.devdata.generate import catalogue_of_size, generate_catalogue
from directory.devdata.synthetic import DEFAULT_SEED, MunicipalityPoint, Row, build_rows
from directory.enums import AvailabilityStatus, OfferKind, OrganisationKind, SchoolType
from directory.errors import InvalidDataError
from directory.geo import distance_km, normalise_postcode
from directory.reference.models import Municipality

OFFERS = 300
BIG_CITIES = {"GM0363", "GM0599", "GM0518", "GM0344"}
MUNICIPALITIES = [
    MunicipalityPoint("GM0363", "Amsterdam", 52.37403, 4.88969),
    MunicipalityPoint("GM0599", "Rotterdam", 51.92250, 4.47917),
    MunicipalityPoint("GM0518", "'s-Gravenhage", 52.07667, 4.29861),
    MunicipalityPoint("GM0344", "Utrecht", 52.09083, 5.12222),
    MunicipalityPoint("GM0606", "Schiedam", 51.91917, 4.38889),
    MunicipalityPoint("GM0355", "Zeist", 52.09000, 5.23333),
    MunicipalityPoint("GM0321", "Houten", 52.02833, 5.16806),
    MunicipalityPoint("GM0632", "Woerden", 52.08500, 4.88333),
]
IJW_CATEGORIES = {code: f"Categorie {code}" for code in range(40, 56)}


def built(offers: int, now: datetime, seed: int = DEFAULT_SEED) -> dict[str, list[Row]]:
    """All rows of a catalogue built without a database, batches merged."""
    rows: dict[str, list[Row]] = defaultdict(list)
    for batch in build_rows(MUNICIPALITIES, IJW_CATEGORIES, offers=offers, now=now, seed=seed):
        for table, batch_rows in batch.items():
            rows[table] += batch_rows
    return rows


def shares(values: list[object]) -> dict[object, float]:
    return {value: n / len(values) for value, n in Counter(values).items()}


def test_generates_exactly_the_requested_offers_of_every_kind_cluster_and_school_type(
    session: Session, now: datetime
) -> None:
    result = generate_catalogue(session, offers=OFFERS, now=now)

    offers = session.scalars(select(Offer)).all()
    assert result.offers == len(offers) == OFFERS
    assert {offer.kind for offer in offers} == set(OfferKind)
    education = [offer for offer in offers if offer.kind is OfferKind.SPECIAL_EDUCATION]
    assert {offer.cluster for offer in education} == {None, 1, 2, 3, 4}
    assert {offer.school_type for offer in education} == set(SchoolType)
    assert result.organisations == len(session.scalars(select(Organisation.id)).all())
    assert result.locations == len(session.scalars(select(Location.id)).all())
    assert result.reports == len(session.scalars(select(AvailabilityReport.id)).all())
    assert result.contracts == len(session.scalars(select(Contract.id)).all())


def test_kinds_and_statuses_follow_the_intended_shares(now: datetime) -> None:
    rows = built(5_000, now)

    kinds = shares([offer["kind"] for offer in rows["offer"]])
    statuses = shares([report["status"] for report in rows["availability_report"]])
    assert kinds[OfferKind.SPECIAL_EDUCATION] == pytest.approx(0.35, abs=0.04)
    assert kinds[OfferKind.DAY_PROGRAMME] == pytest.approx(0.25, abs=0.04)
    assert kinds[OfferKind.YOUTH_CARE] == pytest.approx(0.40, abs=0.04)
    assert statuses[AvailabilityStatus.OPEN] == pytest.approx(0.20, abs=0.03)
    assert statuses[AvailabilityStatus.WAITLIST] == pytest.approx(0.55, abs=0.03)
    assert statuses[AvailabilityStatus.ASSESSMENT_REQUIRED] == pytest.approx(0.10, abs=0.03)
    assert statuses[AvailabilityStatus.CLOSED] == pytest.approx(0.15, abs=0.03)


def test_the_same_seed_builds_the_same_catalogue_and_another_seed_another(now: datetime) -> None:
    first, again, other = built(400, now), built(400, now), built(400, now, seed=7)

    assert first == again
    assert first["offer"] != other["offer"]
    assert first["availability_report"] != other["availability_report"]


def test_offers_are_spread_over_municipalities_with_big_cities_heaviest(now: datetime) -> None:
    rows = built(3_000, now)

    municipality_of = {org["id"]: org["municipality_code"] for org in rows["organisation"]}
    per_municipality = Counter(municipality_of[offer["organisation_id"]] for offer in rows["offer"])
    assert set(per_municipality) == {place.code for place in MUNICIPALITIES}
    smaller = [n for code, n in per_municipality.items() if code not in BIG_CITIES]
    assert all(per_municipality[code] > max(smaller) for code in BIG_CITIES)


def test_generated_offers_are_located_in_more_than_one_municipality(
    session: Session, now: datetime
) -> None:
    generate_catalogue(session, offers=OFFERS, now=now)

    municipalities = session.scalars(
        select(Location.municipality_code)
        .join(offer_location, offer_location.c.location_id == Location.id)
        .distinct()
    ).all()
    assert len(municipalities) > 1


def test_each_offer_has_a_current_figure_for_the_whole_offer_or_one_per_leerjaar(
    session: Session, now: datetime
) -> None:
    generate_catalogue(session, offers=OFFERS, now=now)

    current = session.execute(
        select(CurrentAvailability.offer_id, CurrentAvailability.scope, AvailabilityReport).join(
            AvailabilityReport, AvailabilityReport.id == CurrentAvailability.report_id
        )
    ).all()
    scopes: dict[int, set[str]] = {}
    for offer_id, scope, _ in current:
        scopes.setdefault(offer_id, set()).add(scope)
    offers = {offer.id: offer for offer in session.scalars(select(Offer))}
    assert sorted(scopes) == sorted(offers)
    per_leerjaar = {offer_id for offer_id, found in scopes.items() if found != {"offer"}}
    assert per_leerjaar  # some schools publish per leerjaar, as the Rotterdam report asks
    for offer_id in per_leerjaar:
        assert scopes[offer_id] == {f"leerjaar:{n}" for n in offers[offer_id].leerjaren}
    assert all(report.offer_id == offer_id for offer_id, _, report in current)
    assert {report.reported_by for _, _, report in current} == {"generator"}


def test_some_figures_are_stale_at_now_and_some_fresh(session: Session, now: datetime) -> None:
    generate_catalogue(session, offers=OFFERS, now=now)

    reports = session.scalars(select(AvailabilityReport)).all()
    assert all(now - timedelta(days=60) <= report.measured_at <= now for report in reports)
    assert all(report.valid_until - report.measured_at == timedelta(days=31) for report in reports)
    fresh = [is_fresh(report.valid_until, now) for report in reports]
    assert 0.3 < sum(fresh) / len(fresh) < 0.7


def test_figures_are_consistent_and_waits_realistic(session: Session, now: datetime) -> None:
    generate_catalogue(session, offers=OFFERS, now=now)

    rows = session.execute(select(Offer.kind, AvailabilityReport).join(Offer)).all()
    reports = [report for _, report in rows]
    lists = [
        (report.waiting_list_size, report.bridging_count)
        for report in reports
        if report.waiting_list_size is not None
    ]
    assert all(bridging is not None and 0 <= bridging <= bruto for bruto, bridging in lists)
    assert any(bridging for _, bridging in lists)
    assert all(r.open_places for r in reports if r.status is AvailabilityStatus.OPEN)
    waits: dict[OfferKind, list[int]] = defaultdict(list)
    for kind, report in rows:
        total = total_wait_weeks(report.intake_wait_weeks, report.treatment_wait_weeks)
        if report.status is AvailabilityStatus.WAITLIST and total is not None:
            waits[kind].append(total)
    education = waits[OfferKind.SPECIAL_EDUCATION]
    care = waits[OfferKind.YOUTH_CARE] + waits[OfferKind.DAY_PROGRAMME]
    assert max(education) <= 100
    assert any(weeks > 52 for weeks in education)
    assert any(weeks <= 14 for weeks in care)
    assert any(weeks >= 52 for weeks in care)


def test_progress_reports_add_up_to_the_requested_offers(
    session: Session, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(synthetic, "BATCH_OFFERS", 100)
    progress: list[int] = []

    generate_catalogue(session, offers=OFFERS, now=now, on_progress=progress.append)

    assert len(progress) >= 3
    assert sum(progress) == OFFERS


def test_organisations_are_labelled_demo_data_with_well_formed_identifiers(
    session: Session, now: datetime
) -> None:
    generate_catalogue(session, offers=OFFERS, now=now)

    organisations = {org.id: org for org in session.scalars(select(Organisation))}
    offers = session.scalars(select(Offer)).all()
    assert all(org.is_demo and org.name.startswith("Synthetisch") for org in organisations.values())
    assert all(offer.is_demo and "synthetisch" in offer.name for offer in offers)
    schools = [org for org in organisations.values() if org.kind is OrganisationKind.SCHOOL]
    providers = [
        org for org in organisations.values() if org.kind is OrganisationKind.CARE_PROVIDER
    ]
    assert schools
    assert providers
    for school in schools:
        assert re.fullmatch(r"[0-9]{2}[A-Z]{2}", school.brin or "")
        assert re.fullmatch(r"[0-9]{2}", school.vestigingsnummer or "")
        assert school.parent_id is not None
        assert organisations[school.parent_id].kind is OrganisationKind.SCHOOL_BOARD
    for provider in providers:
        assert re.fullmatch(r"[0-9]{8}", provider.kvk or "")
        assert re.fullmatch(r"[0-9]{8}", provider.agb or "")
    assert len({(school.brin, school.vestigingsnummer) for school in schools}) == len(schools)


def test_locations_have_issued_postcodes_within_4_km_of_their_municipality(
    session: Session, now: datetime
) -> None:
    generate_catalogue(session, offers=OFFERS, now=now)

    rows = session.execute(
        select(Location, Organisation.municipality_code, Municipality)
        .join(Organisation, Organisation.id == Location.organisation_id)
        .join(Municipality, Municipality.code == Location.municipality_code)
    ).all()
    assert rows
    for location, organisation_municipality, municipality in rows:
        assert normalise_postcode(location.postcode or "") == location.postcode
        assert location.municipality_code == organisation_municipality
        assert municipality.valid_to is None
        assert location.lat is not None
        assert location.lon is not None
        assert municipality.lat is not None
        assert municipality.lon is not None
        assert distance_km(location.lat, location.lon, municipality.lat, municipality.lon) <= 4


def test_offers_are_linked_to_one_or_two_locations_of_their_own_organisation(
    session: Session, now: datetime
) -> None:
    generate_catalogue(session, offers=OFFERS, now=now)

    links = session.execute(
        select(offer_location.c.offer_id, Offer.organisation_id, Location.organisation_id)
        .join(Offer, Offer.id == offer_location.c.offer_id)
        .join(Location, Location.id == offer_location.c.location_id)
    ).all()
    assert all(offer_org == location_org for _, offer_org, location_org in links)
    per_offer = Counter(offer_id for offer_id, _, _ in links)
    assert len(per_offer) == OFFERS
    assert set(per_offer.values()) == {1, 2}


def test_education_never_takes_pgb_and_ages_fit_each_kind(session: Session, now: datetime) -> None:
    generate_catalogue(session, offers=OFFERS, now=now)

    offers = session.scalars(select(Offer)).all()
    care = [offer for offer in offers if offer.kind is not OfferKind.SPECIAL_EDUCATION]
    for offer in offers:
        assert offer.min_age is not None
        assert offer.max_age is not None
        if offer.school_type in (SchoolType.SO, SchoolType.SBO):
            assert (offer.min_age, offer.max_age) == (4, 12)
        elif offer.school_type is SchoolType.VSO:
            assert offer.min_age == 12
            assert offer.max_age <= 20
        else:
            assert 0 <= offer.min_age < offer.max_age <= 23
        if offer.kind is OfferKind.SPECIAL_EDUCATION:
            assert not offer.accepts_pgb
            assert offer.tariff_cents is None
            assert (offer.cluster is None) == (offer.school_type is SchoolType.SBO)
        if offer.tariff_cents is not None:
            assert offer.tariff_unit in ("hour", "day")
            assert 6_000 <= offer.tariff_cents <= 25_000
    assert 0.25 < sum(offer.accepts_pgb for offer in care) / len(care) < 0.55
    assert 0.35 < sum(offer.tariff_cents is not None for offer in care) / len(care) < 0.65


def test_care_is_contracted_by_its_municipality_and_neighbours_or_by_its_jeugdregio(
    session: Session, now: datetime
) -> None:
    generate_catalogue(session, offers=OFFERS, now=now)

    contracts = session.execute(select(Contract, Offer.kind).join(Offer)).all()
    by_offer: dict[int, set[str]] = defaultdict(set)
    regional: dict[int, list[str]] = defaultdict(list)
    for contract, kind in contracts:
        assert kind is not OfferKind.SPECIAL_EDUCATION
        assert (contract.valid_from, contract.valid_to) == (date(2024, 1, 1), None)
        if contract.jeugdregio_code is not None:
            regional[contract.offer_id].append(contract.jeugdregio_code)
        else:
            assert contract.municipality_code is not None
            by_offer[contract.offer_id].add(contract.municipality_code)
    own = {
        offer_id: (code, region)
        for offer_id, code, region in session.execute(
            select(Offer.id, Organisation.municipality_code, Municipality.jeugdregio_code)
            .join(Organisation, Organisation.id == Offer.organisation_id)
            .join(Municipality, Municipality.code == Organisation.municipality_code)
        )
    }
    for offer_id, codes in by_offer.items():
        assert own[offer_id][0] in codes
        assert 2 <= len(codes) <= 4
        assert offer_id not in regional
    for offer_id, regions in regional.items():
        assert regions == [own[offer_id][1]]  # one contract, by its own municipality's region
    assert regional  # a jeugdregio buys some care for all its members, as Rijnmond does
    care = session.scalars(select(Offer.id).where(Offer.kind != OfferKind.SPECIAL_EDUCATION)).all()
    assert 0.45 < (len(by_offer) + len(regional)) / len(care) < 0.75


def test_generating_again_continues_after_existing_ids_and_leaves_room_for_new_rows(
    session: Session, now: datetime
) -> None:
    first = generate_catalogue(session, offers=50, now=now, seed=1)
    second = generate_catalogue(session, offers=50, now=now, seed=2)
    organisation = Organisation(name="Nieuwe aanbieder", kind=OrganisationKind.CARE_PROVIDER)
    session.add(organisation)
    session.flush()

    assert first.offers + second.offers == len(session.scalars(select(Offer.id)).all()) == 100
    assert organisation.id > max(session.scalars(select(Location.organisation_id)))


def test_refuses_to_generate_without_current_municipalities(
    session: Session, now: datetime
) -> None:
    session.execute(update(Municipality).values(valid_to=2020))

    with pytest.raises(InvalidDataError):
        generate_catalogue(session, offers=10, now=now)


def test_a_benchmark_database_is_topped_up_to_its_size_and_then_reused(
    tmp_path: Path, now: datetime
) -> None:
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    factory, generated = catalogue_of_size(url, 40, now)
    assert generated == 40
    assert catalogue_of_size(url, 40, now)[1] == 0  # reused as it is
    assert catalogue_of_size(url, 55, now)[1] == 15  # topped up
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Offer)) == 55
    factory.kw["bind"].dispose()
