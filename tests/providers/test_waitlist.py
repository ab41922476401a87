from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from directory.catalogue.models import AuditEvent, WaitlistEntry
from directory.db import Base
from directory.enums import OfferKind, SchoolType
from providers import waitlist
from providers.waitlist import (
    REFERENCE_ALPHABET,
    entry_problems,
    hash_reference,
    is_valid_reference,
    mint_reference,
    normalise_reference,
)
from providers.waitlist_schemas import WaitlistEntryIn
from tests.http import assert_problem
from tests.providers.conftest import Provider, create_provider

OFFERS = "/api/v1/provider/offers"
MINT = "/api/v1/provider/waitlist/references"
LOOKUP = "/api/v1/waitlist"


def entry(reference: str, position: int, estimated_start: str | None = None) -> dict[str, Any]:
    return {"reference": reference, "position": position, "estimated_start": estimated_start}


def publish(api: TestClient, provider: Provider, *entries: dict[str, Any]) -> Any:
    return api.put(
        f"{OFFERS}/{provider.offer.id}/waitlist",
        json={"entries": list(entries)},
        headers=provider.auth,
    )


def entries_of(session: Session, provider: Provider) -> list[tuple[str, int]]:
    session.expire_all()
    query = select(WaitlistEntry.reference_hash, WaitlistEntry.position).where(
        WaitlistEntry.offer_id == provider.offer.id
    )
    return sorted((hashed, position) for hashed, position in session.execute(query))


# --- pure rules ---------------------------------------------------------------------------


def test_references_ignore_case_spaces_and_hyphens() -> None:
    assert normalise_reference("  k7qm-4xtr 9pwa ") == "K7QM4XTR9PWA"
    assert hash_reference("k7qm 4xtr-9pwa") == hash_reference("K7QM4XTR9PWA")
    assert len(hash_reference("K7QM4XTR9PWA")) == 64


@pytest.mark.parametrize(
    "reference",
    ["ABC1234", "A" * 65, "K7QM_4XTR", "K7QM.4XTR.9PWA", "ÄBCD12345", "STRAßE123", ""],
)
def test_badly_shaped_references_are_not_valid(reference: str) -> None:
    assert not is_valid_reference(normalise_reference(reference))


def test_minted_references_are_long_random_and_unambiguous() -> None:
    minted = {mint_reference() for _ in range(200)}
    assert len(minted) == 200
    for reference in minted:
        groups = reference.split("-")
        assert [len(group) for group in groups] == [4, 4, 4]
        assert set("".join(groups)) <= set(REFERENCE_ALPHABET)
        assert is_valid_reference(normalise_reference(reference))
    assert not set("01OIL") & set(REFERENCE_ALPHABET)


def test_a_list_names_each_repeated_reference_and_position() -> None:
    entries = [
        WaitlistEntryIn(reference="AAAA-BBBB-CCCC", position=1),
        WaitlistEntryIn(reference="aaaabbbbcccc", position=2),
        WaitlistEntryIn(reference="DDDD-EEEE-FFFF", position=1),
        WaitlistEntryIn(reference="short", position=3),
    ]
    assert [(p.name, p.reason) for p in entry_problems(entries)] == [
        ("entries.1.reference", "same reference as entries.0"),
        ("entries.2.position", "same position as entries.0"),
        ("entries.3.reference", waitlist._INVALID_REASON),
    ]


# --- publishing and looking up ------------------------------------------------------------


def test_a_parent_sees_their_position_of_how_many_and_estimated_start(
    api: TestClient, provider: Provider, now: datetime
) -> None:
    published = publish(
        api,
        provider,
        entry("AAAA-BBBB-CCCC", 1, "2026-05-01"),
        entry("K7QM-4XTR-9PWA", 2, "2026-09-01"),
        entry("ZZZZ-YYYY-XXXX", 3),
    )
    assert published.status_code == 200, published.text
    assert published.json() == {
        "offer_id": provider.offer.id,
        "entries": 3,
        "updated_at": now.isoformat().replace("+00:00", "Z"),
    }

    # Typed the way a parent might copy it from a letter.
    found = api.get(f"{LOOKUP}/k7qm 4xtr9pwa")
    assert found.status_code == 200, found.text
    assert found.headers["Cache-Control"] == "no-store"
    assert found.json() == {
        "leerjaar": None,
        "position": 2,
        "of": 3,
        "estimated_start": "2026-09-01",
        "updated_at": published.json()["updated_at"],
        "offer": {
            "id": provider.offer.id,
            "name": provider.offer.name,
            "organisation": provider.organisation.name,
            "school_type": None,
        },
    }
    assert "K7QM" not in found.text.upper()
    assert api.get(f"{LOOKUP}/ZZZZ-YYYY-XXXX").json()["estimated_start"] is None


def test_replacing_the_list_replaces_it(api: TestClient, provider: Provider) -> None:
    publish(api, provider, entry("AAAA-BBBB-CCCC", 1), entry("K7QM-4XTR-9PWA", 2))
    replaced = publish(api, provider, entry("K7QM-4XTR-9PWA", 1), entry("NNNN-PPPP-QQQQ", 2))
    assert replaced.status_code == 200, replaced.text
    assert api.get(f"{LOOKUP}/K7QM-4XTR-9PWA").json()["position"] == 1
    assert api.get(f"{LOOKUP}/NNNN-PPPP-QQQQ").json()["of"] == 2
    assert_problem(api.get(f"{LOOKUP}/AAAA-BBBB-CCCC"), 404)


def test_an_empty_list_clears_the_waiting_list(
    api: TestClient, provider: Provider, session: Session
) -> None:
    publish(api, provider, entry("AAAA-BBBB-CCCC", 1))
    cleared = publish(api, provider)
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["entries"] == 0
    assert entries_of(session, provider) == []
    assert_problem(api.get(f"{LOOKUP}/AAAA-BBBB-CCCC"), 404)


def test_unknown_and_malformed_references_look_exactly_the_same(
    api: TestClient, provider: Provider
) -> None:
    publish(api, provider, entry("AAAA-BBBB-CCCC", 1))
    answers = [
        api.get(f"{LOOKUP}/{reference}")
        for reference in ("AAAA-BBBB-CCCD", "short", "x" * 300, "AAAA_BBBB_CCCC")
    ]
    assert_problem(answers[0], 404)
    for answer in answers:
        assert (answer.status_code, answer.content) == (answers[0].status_code, answers[0].content)
        assert answer.headers["content-type"] == answers[0].headers["content-type"]
        assert answer.headers["Cache-Control"] == "no-store"


def test_a_deleted_offers_references_are_unknown(api: TestClient, provider: Provider) -> None:
    publish(api, provider, entry("AAAA-BBBB-CCCC", 1))
    url = f"{OFFERS}/{provider.offer.id}"
    etag = api.get(url, headers=provider.auth).headers["ETag"]
    assert api.delete(url, headers={**provider.auth, "If-Match": etag}).status_code == 204
    gone = api.get(f"{LOOKUP}/AAAA-BBBB-CCCC")
    assert gone.content == api.get(f"{LOOKUP}/NEVER-SEEN-CODE").content
    assert_problem(gone, 404)


def test_lookups_are_rate_limited_per_address_with_retry_after(
    api: TestClient, provider: Provider
) -> None:
    publish(api, provider, entry("AAAA-BBBB-CCCC", 1))
    # Malformed guesses count as much as well-formed ones (the settings allow 5 a minute).
    for reference in ("AAAA-BBBB-CCCC", "short", "AAAA-BBBB-CCCD", "x", "AAAA-BBBB-CCCC"):
        assert api.get(f"{LOOKUP}/{reference}").status_code in {200, 404}
    problem = assert_problem(api.get(f"{LOOKUP}/AAAA-BBBB-CCCC"), 429)
    assert "per minute" in problem["detail"]
    assert 1 <= int(api.get(f"{LOOKUP}/AAAA-BBBB-CCCC").headers["Retry-After"]) <= 60
    # Providers have their own budget: the lookup limit does not block them.
    assert publish(api, provider, entry("AAAA-BBBB-CCCC", 1)).status_code == 200


# --- refusals -----------------------------------------------------------------------------


def test_repeated_references_or_positions_are_refused_naming_the_entries(
    api: TestClient, provider: Provider, session: Session
) -> None:
    publish(api, provider, entry("AAAA-BBBB-CCCC", 1))
    before = entries_of(session, provider)
    response = publish(
        api,
        provider,
        entry("K7QM-4XTR-9PWA", 1),
        entry("k7qm4xtr9pwa", 2),
        entry("NNNN-PPPP-QQQQ", 2),
        entry("tiny", 3),
        entry("RRRR-SSSS-TTTT", 0),
    )
    problem = assert_problem(response, 422)
    assert [p["name"] for p in problem["invalid_params"]] == ["entries.4.position"]

    response = publish(
        api,
        provider,
        entry("K7QM-4XTR-9PWA", 1),
        entry("k7qm4xtr9pwa", 2),
        entry("NNNN-PPPP-QQQQ", 2),
        entry("tiny", 3),
    )
    problem = assert_problem(response, 422)
    assert [p["name"] for p in problem["invalid_params"]] == [
        "entries.1.reference",
        "entries.2.position",
        "entries.3.reference",
    ]
    assert entries_of(session, provider) == before


def test_a_list_longer_than_ten_thousand_is_refused(api: TestClient, provider: Provider) -> None:
    entries = [entry(f"REF{n:08d}", n) for n in range(1, 10_002)]
    problem = assert_problem(publish(api, provider, *entries), 422)
    assert [p["name"] for p in problem["invalid_params"]] == ["entries"]


def test_a_reference_on_another_offer_is_refused_without_naming_it(
    api: TestClient, provider: Provider, other: Provider, session: Session
) -> None:
    assert publish(api, other, entry("AAAA-BBBB-CCCC", 1)).status_code == 200
    response = publish(api, provider, entry("K7QM-4XTR-9PWA", 1), entry("aaaa bbbb cccc", 2))
    problem = assert_problem(response, 422)
    assert [(p["name"], p["reason"]) for p in problem["invalid_params"]] == [
        ("entries.1.reference", "reference already in use")
    ]
    assert problem["detail"] == "the waiting list is not valid"
    assert other.offer.name not in response.text
    assert other.organisation.name not in response.text
    assert entries_of(session, provider) == []
    # The same reference may stay on the offer's own list when it is sent again.
    assert publish(api, other, entry("AAAA-BBBB-CCCC", 4)).status_code == 200


def test_a_reference_taken_at_the_same_moment_is_a_conflict_not_a_crash(
    api: TestClient,
    provider: Provider,
    other: Provider,
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    publish(api, other, entry("AAAA-BBBB-CCCC", 1))
    # As if the other list was written between our check and our insert.
    monkeypatch.setattr(waitlist, "_hashes_in_use", lambda *_args, **_kwargs: set())
    assert_problem(publish(api, provider, entry("AAAA-BBBB-CCCC", 1)), 409)
    assert entries_of(session, provider) == []


def test_another_organisations_offer_is_not_found_and_its_list_unchanged(
    api: TestClient, provider: Provider, other: Provider, session: Session
) -> None:
    publish(api, other, entry("AAAA-BBBB-CCCC", 1))
    before = entries_of(session, other)
    theirs = api.put(
        f"{OFFERS}/{other.offer.id}/waitlist",
        json={"entries": [entry("K7QM-4XTR-9PWA", 1)]},
        headers=provider.auth,
    )
    missing = api.put(
        f"{OFFERS}/999999/waitlist",
        json={"entries": [entry("K7QM-4XTR-9PWA", 1)]},
        headers=provider.auth,
    )
    assert_problem(theirs, 404)
    assert theirs.json()["title"] == missing.json()["title"]
    assert theirs.json()["detail"].replace(str(other.offer.id), "N") == missing.json()[
        "detail"
    ].replace("999999", "N")
    assert entries_of(session, other) == before


def test_writing_a_list_needs_the_waitlist_scope(
    api: TestClient, session: Session, now: datetime
) -> None:
    offers_only = create_provider(session, now, scopes=("offers:write",))
    session.commit()
    assert_problem(publish(api, offers_only, entry("AAAA-BBBB-CCCC", 1)), 403)
    assert_problem(api.post(MINT, headers=offers_only.auth), 403)
    assert_problem(api.post(MINT), 401)
    assert session.scalar(select(func.count()).select_from(WaitlistEntry)) == 0


# --- minting, audit, storage --------------------------------------------------------------


def test_minted_references_are_fresh_and_work_once_published(
    api: TestClient, provider: Provider
) -> None:
    response = api.post(f"{MINT}?count=20", headers=provider.auth)
    assert response.status_code == 200, response.text
    references = response.json()["references"]
    assert len(references) == len(set(references)) == 20
    for reference in references:
        code = reference.replace("-", "")
        assert len(code) >= 12
        assert set(code) <= set(REFERENCE_ALPHABET)
    assert len(api.post(MINT, headers=provider.auth).json()["references"]) == 1

    published = publish(api, provider, *(entry(r, n) for n, r in enumerate(references, 1)))
    assert published.status_code == 200, published.text
    assert api.get(f"{LOOKUP}/{references[4]}").json()["position"] == 5


@pytest.mark.parametrize("count", ["0", "1001", "ten", "-1"])
def test_minting_refuses_a_count_out_of_range(
    api: TestClient, provider: Provider, count: str
) -> None:
    problem = assert_problem(api.post(f"{MINT}?count={count}", headers=provider.auth), 422)
    assert [p["name"] for p in problem["invalid_params"]] == ["count"]


def test_the_audit_row_counts_entries_but_holds_no_references(
    api: TestClient, provider: Provider, session: Session
) -> None:
    publish(api, provider, entry("AAAA-BBBB-CCCC", 1))
    publish(api, provider, entry("AAAA-BBBB-CCCC", 1), entry("K7QM-4XTR-9PWA", 2))
    session.expire_all()
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "waitlist.replace").order_by(AuditEvent.id)
    ).all()
    assert [(e.before, e.after) for e in events] == [
        ({"entries": 0}, {"entries": 1}),
        ({"entries": 1}, {"entries": 2}),
    ]
    assert {(e.entity_type, e.entity_id, e.api_client_id) for e in events} == {
        ("offer", str(provider.offer.id), provider.key_id)
    }
    log = api.get("/api/v1/provider/audit", headers=provider.auth).text.upper()
    assert "K7QM" not in log
    assert hash_reference("K7QM-4XTR-9PWA").upper() not in log


def test_references_are_stored_only_hashed(
    api: TestClient, provider: Provider, session: Session
) -> None:
    assert publish(api, provider, entry("W9XR-7KPM-3HTV", 1, "2026-09-01")).status_code == 200
    session.expire_all()
    stored = session.scalars(select(WaitlistEntry.reference_hash)).all()
    assert stored == [hash_reference("W9XR7KPM3HTV")]
    # No row of any table, audit and idempotency records included, holds the plain code.
    for table in Base.metadata.sorted_tables:
        for row in session.execute(select(table)):
            text = " ".join(map(str, row)).upper()
            assert "W9XR7KPM3HTV" not in text, table.name
            assert "W9XR-7KPM-3HTV" not in text, table.name


def test_a_list_with_gaps_never_puts_a_parent_behind_the_last_place(
    api: TestClient, provider: Provider
) -> None:
    publish(api, provider, entry("AAAA-BBBB-CCCC", 1), entry("K7QM-4XTR-9PWA", 9))
    assert api.get(f"{LOOKUP}/K7QM-4XTR-9PWA").json()["of"] == 9


def test_deleting_an_offer_frees_its_references(
    api: TestClient, provider: Provider, other: Provider
) -> None:
    publish(api, provider, entry("AAAA-BBBB-CCCC", 1))
    assert publish(api, other, entry("AAAA-BBBB-CCCC", 1)).status_code == 422
    url = f"{OFFERS}/{provider.offer.id}"
    etag = api.get(url, headers=provider.auth).headers["ETag"]
    assert api.delete(url, headers={**provider.auth, "If-Match": etag}).status_code == 204
    assert publish(api, other, entry("AAAA-BBBB-CCCC", 1)).status_code == 200


def test_a_school_keeps_a_list_per_groep_and_each_counts_on_its_own(
    api: TestClient, session: Session, now: datetime
) -> None:
    school = create_provider(
        session,
        now,
        kind=OfferKind.SPECIAL_EDUCATION,
        school_type=SchoolType.SO,
        cluster=3,
        leerjaren=[1, 2, 3],
    )
    session.commit()
    published = publish(
        api,
        school,
        {**entry("AAAA-BBBB-CCCC", 1), "leerjaar": 1},
        {**entry("DDDD-EEEE-FFFF", 1), "leerjaar": 3},  # position 1 again: another groep
        {**entry("GGGG-HHHH-JJJJ", 2), "leerjaar": 3},
        {**entry("KKKK-MMMM-NNNN", 3), "leerjaar": 3},
    )
    assert published.status_code == 200, published.text

    groep_3 = api.get(f"{LOOKUP}/GGGG-HHHH-JJJJ").json()
    assert (groep_3["leerjaar"], groep_3["position"], groep_3["of"]) == (3, 2, 3)
    groep_1 = api.get(f"{LOOKUP}/AAAA-BBBB-CCCC").json()
    assert (groep_1["leerjaar"], groep_1["position"], groep_1["of"]) == (1, 1, 1)
    page = " ".join(api.post("/wachtlijst", data={"code": "GGGG-HHHH-JJJJ"}).text.split())
    assert "Uw kind staat op plek 2 van 3 op de wachtlijst voor groep 3." in page
    assert "kan veranderen" in page  # urgency may move a child ahead

    twice = publish(
        api,
        school,
        {**entry("AAAA-BBBB-CCCC", 1), "leerjaar": 3},
        {**entry("DDDD-EEEE-FFFF", 1), "leerjaar": 3},
        {**entry("GGGG-HHHH-JJJJ", 1), "leerjaar": 5},
    )
    assert_problem(twice, 422)
    reasons = {item["name"]: item["reason"] for item in twice.json()["invalid_params"]}
    assert reasons["entries.1.position"] == "same position as entries.0"
    assert reasons["entries.2.leerjaar"].startswith("this offer takes children in 1, 2, 3 only")
    assert api.get(f"{LOOKUP}/GGGG-HHHH-JJJJ").json()["position"] == 2  # the list is unchanged


def test_an_offer_without_groepen_refuses_a_leerjaar(api: TestClient, provider: Provider) -> None:
    refused = publish(api, provider, {**entry("AAAA-BBBB-CCCC", 1), "leerjaar": 2})

    assert_problem(refused, 422)
    (problem,) = refused.json()["invalid_params"]
    assert problem["name"] == "entries.0.leerjaar"
    assert "leave leerjaar out" in problem["reason"]
