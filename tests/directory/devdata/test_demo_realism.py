"""The demo as a Dutch domain expert reads it: who offers which school places, for which
ages, what can be phoned or mailed, and which public bodies are there."""

import re
from datetime import datetime
from urllib.parse import urlparse

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from directory.catalogue.models import (
    AvailabilityReport,
    Contract,
    CurrentAvailability,
    Location,
    Offer,
    Organisation,
)
from directory.devdata.demo import load_demo
from directory.enums import (
    DayProgrammeType,
    OrganisationKind,
    SchoolType,
    TlvCategory,
)
from directory.reference.models import Swv, swv_municipality

# A three-digit area code and a seven-digit subscriber number that starts with 0: no Dutch
# subscriber number does (0 is the trunk prefix), so nobody answers.
UNDIALLABLE = re.compile(r"0\d{2} - 0\d{2} \d{2} \d{2}")
RESERVED_TLD = ".example"  # RFC 2606 / RFC 6761: never delegated, never resolves


def offers_where(session: Session, *conditions: ColumnElement[bool]) -> list[Offer]:
    return list(session.scalars(select(Offer).where(*conditions)))


def test_cluster_1_and_2_places_are_only_at_a_few_national_institutions(
    session: Session, now: datetime
) -> None:
    load_demo(session, now)
    places = offers_where(session, Offer.cluster.in_([1, 2]))
    institutions = {session.get_one(Organisation, offer.organisation_id).name for offer in places}
    assert {offer.cluster for offer in places} == {1, 2}
    assert 2 <= len(institutions) <= 4
    assert all(name.startswith(("Instituut", "Stichting")) for name in institutions)
    # Their own Commissie van Onderzoek admits: no TLV, no role for the SWV.
    assert not any(offer.tlv_required for offer in places)
    assert all("Commissie van Onderzoek" in (offer.how_to_apply or "") for offer in places)
    regional = offers_where(session, Offer.cluster.in_([3, 4]))
    assert not institutions & {
        session.get_one(Organisation, offer.organisation_id).name for offer in regional
    }


def test_regional_schools_need_a_tlv_and_cluster_4_vso_is_laag_or_midden(
    session: Session, now: datetime
) -> None:
    load_demo(session, now)
    regional = offers_where(session, Offer.cluster.in_([3, 4]))
    assert regional
    assert all(offer.tlv_required and offer.tlv_category for offer in regional)
    vso_cluster_4 = [
        offer for offer in regional if (offer.cluster, offer.school_type) == (4, SchoolType.VSO)
    ]
    assert len(vso_cluster_4) >= 2
    assert {offer.tlv_category for offer in vso_cluster_4} <= {TlvCategory.LAAG, TlvCategory.MIDDEN}
    high = [offer for offer in regional if offer.tlv_category is TlvCategory.HOOG]
    assert high  # multiply disabled pupils, cluster 3 only
    assert {offer.cluster for offer in high} == {3}


def test_bso_plus_is_only_for_primary_school_ages(session: Session, now: datetime) -> None:
    load_demo(session, now)
    bso_plus = offers_where(session, Offer.day_programme_type == DayProgrammeType.BSO_PLUS)
    assert bso_plus
    ages = [(offer.min_age, offer.max_age) for offer in bso_plus]
    assert all(
        low is not None and high is not None and 4 <= low <= high <= 12 for low, high in ages
    )


def test_overbruggingszorg_has_a_waiting_list_of_its_own(session: Session, now: datetime) -> None:
    load_demo(session, now)
    waits = session.execute(
        select(AvailabilityReport.intake_wait_weeks, AvailabilityReport.treatment_wait_weeks)
        .join(CurrentAvailability, CurrentAvailability.report_id == AvailabilityReport.id)
        .join(Offer, Offer.id == CurrentAvailability.offer_id)
        .where(Offer.day_programme_type == DayProgrammeType.OVERBRUGGING)
    ).all()
    totals = [(intake or 0) + (treatment or 0) for intake, treatment in waits]
    assert len(totals) >= 3
    assert sum(1 for total in totals if total > 0) > len(totals) / 2


def test_no_demo_phone_number_e_mail_address_or_website_reaches_anyone(
    session: Session, now: datetime
) -> None:
    load_demo(session, now)
    organisations = list(session.scalars(select(Organisation)))
    offers = list(session.scalars(select(Offer)))
    phones = [o.phone for o in organisations] + [o.contact_phone for o in offers]
    mails = [o.email for o in organisations] + [o.contact_email for o in offers]
    sites = [o.website for o in organisations] + [o.website for o in offers]
    for found in (phones, mails, sites):
        assert len(found) == len(organisations) + len(offers)
        assert None not in found
    assert [phone for phone in phones if not UNDIALLABLE.fullmatch(phone or "")] == []
    hosts = [str(mail).rpartition("@")[2] for mail in mails]
    hosts += [str(urlparse(str(site)).hostname) for site in sites]
    assert [host for host in hosts if not host.endswith(RESERVED_TLD)] == []


def test_the_demo_regions_municipalities_and_samenwerkingsverbanden_are_organisations(
    session: Session, now: datetime
) -> None:
    load_demo(session, now)
    municipalities = {
        o.municipality_code: o.name
        for o in session.scalars(
            select(Organisation).where(Organisation.kind == OrganisationKind.MUNICIPALITY)
        )
    }
    assert municipalities["GM0599"] == "Gemeente Rotterdam (demo)"
    assert municipalities["GM0344"] == "Gemeente Utrecht (demo)"
    # Every municipality with demo places or contracts is there, for watches and logins.
    own_contracts = select(Contract.municipality_code).where(
        Contract.municipality_code.is_not(None)
    )
    served = set(session.scalars(own_contracts)) | set(
        session.scalars(select(Location.municipality_code))
    )
    assert served == set(municipalities)
    swvs = {
        o.swv_code
        for o in session.scalars(
            select(Organisation).where(Organisation.kind == OrganisationKind.SWV)
        )
    }
    assert {"PO-28-12", "VO-28-12", "PO-26-05", "VO-26-05"} <= swvs
    assert all(session.get(Swv, code) is not None for code in swvs)
    covering_rotterdam = set(
        session.scalars(
            select(swv_municipality.c.swv_code).where(
                swv_municipality.c.municipality_code == "GM0599"
            )
        )
    )
    assert covering_rotterdam <= swvs  # the PO and the VO layer both
    assert len(covering_rotterdam) == 2
