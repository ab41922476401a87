from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from directory.catalogue.models import Organisation
from tests.factories import create_organisation

AMSTERDAM_WINTER = timezone(timedelta(hours=1))


def test_times_come_back_in_utc_whatever_zone_they_were_given_in(session: Session) -> None:
    organisation = create_organisation(
        session, created_at=datetime(2026, 3, 1, 10, 0, tzinfo=AMSTERDAM_WINTER)
    )
    session.expire_all()
    stored = session.get_one(Organisation, organisation.id).created_at
    assert stored == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert stored.utcoffset() == timedelta(0)


def test_a_time_without_zone_is_refused(session: Session) -> None:
    with pytest.raises(StatementError, match="timezone-aware"):
        create_organisation(session, created_at=datetime(2026, 3, 1, 10, 0))  # noqa: DTZ001
