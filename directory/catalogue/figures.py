"""The current figures of offers: each `CurrentAvailability` pointer joined to the report
it names. This is the one place that writes that join; every reader starts from
`current_reports` with the columns it needs, and adds its own joins, filters and order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from directory.catalogue.models import AvailabilityReport, CurrentAvailability
from directory.catalogue.rules import ScopedFigures
from directory.db import CHUNK

# What the rules read of a report, in the order of `ScopedFigures` after its scope.
FIGURE_COLUMNS = (
    AvailabilityReport.status,
    AvailabilityReport.open_places,
    AvailabilityReport.intake_wait_weeks,
    AvailabilityReport.treatment_wait_weeks,
    AvailabilityReport.measured_at,
    AvailabilityReport.valid_until,
)


def current_reports(*columns: Any) -> Select[Any]:
    """SQL: `columns` (of `CurrentAvailability`, `AvailabilityReport` or what the caller
    joins) of every current report: one row per offer and scope."""
    return (
        select(*columns)
        .select_from(CurrentAvailability)
        .join(AvailabilityReport, AvailabilityReport.id == CurrentAvailability.report_id)
    )


def figure_rows() -> Select[Any]:
    """SQL: the offer id, scope and `FIGURE_COLUMNS` of every current report, the rows
    `figures_by_offer` reads; the caller adds which offers."""
    return current_reports(CurrentAvailability.offer_id, CurrentAvailability.scope, *FIGURE_COLUMNS)


def figures_by_offer(rows: Iterable[Any]) -> dict[int, list[ScopedFigures]]:
    """Each offer's figures from `figure_rows`. Plain column rows will do (a connection's,
    for speed at catalogue scale)."""
    found: dict[int, list[ScopedFigures]] = defaultdict(list)
    for offer_id, scope, status, places, intake, treatment, measured, valid in rows:
        found[offer_id].append(
            ScopedFigures(scope, status, places, intake, treatment, measured, valid)
        )
    return found


def current_figures(session: Session, offer_ids: Iterable[int]) -> dict[int, list[ScopedFigures]]:
    """What the rules read of each offer's current figures (see `rules.headline`); an
    offer without any is left out."""
    ids = sorted(set(offer_ids))
    found: dict[int, list[ScopedFigures]] = {}
    for start in range(0, len(ids), CHUNK):
        query = figure_rows().where(
            CurrentAvailability.offer_id.in_(ids[start : start + CHUNK]),
            # A pointer to another offer's report would be corrupt: never shown as this one's.
            AvailabilityReport.offer_id == CurrentAvailability.offer_id,
        )
        found.update(figures_by_offer(session.execute(query)))
    return found


def scoped_figures(scope: str, report: AvailabilityReport) -> ScopedFigures:
    """What the rules read of a current report loaded whole (see `rules.headline`)."""
    return ScopedFigures(
        scope=scope,
        status=report.status,
        open_places=report.open_places,
        intake_wait_weeks=report.intake_wait_weeks,
        treatment_wait_weeks=report.treatment_wait_weeks,
        measured_at=report.measured_at,
        valid_until=report.valid_until,
    )
