"""Signal evaluation figures at catalogue scale (the scheduler issue's "Done when").

Builds a throwaway SQLite catalogue (migrations, reference data, `generate_catalogue`
with `--offers` offers over every loaded municipality), then measures, in-process:

- **full, first**: `evaluate_signals` over all municipalities and categories on a
  database without signals (every gap opens: rows, transitions written), then committed;
- **full, again**: the same evaluation once the signals exist (the periodic job's usual
  case: nothing or little changes);
- **incremental**: one provider report for a contracted offer is committed, then the
  change job (`sync.signals.evaluate_changes`: read the feeds past the stored mark,
  find the touched pairs, evaluate them, store the mark) is timed.

Each figure is taken `--runs` times; the table shows every run and the median of the wall
time, and the median of the process's CPU time beside it: on a shared machine the wall
time also counts waiting for a core, the CPU time does not (SQLite runs in-process, so
nearly all of the work is this process's CPU).

Usage: .venv/bin/python scripts/bench_signals.py [--offers 100000] [--runs 5] [--database URL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from directory.catalogue.models import Contract, Offer
from directory.catalogue.service import AvailabilityInput, Reporter, record_availability
from directory.config import DEFAULT_VALIDITY, Settings
from directory.db import unit_of_work
from directory.devdata.generate import catalogue_of_size
from directory.enums import AvailabilityStatus, WaitMeasure
from directory.jobs import ChangeMark
from directory.notifications.models import Notification
from directory.reference.models import Municipality
from directory.signals.models import Signal, SignalTransition
from sync.signals import ChangeRun, evaluate_all_signals, evaluate_changes

SETTINGS = Settings(_env_file=None)
TARGET_FULL_S = 5.0
TARGET_INCREMENTAL_MS = 200.0


def forget_signals(factory: sessionmaker[Session]) -> None:
    with unit_of_work(factory) as session:
        session.execute(delete(Notification))
        session.execute(delete(SignalTransition))
        session.execute(delete(Signal))
        session.execute(delete(ChangeMark))


def publish(factory: sessionmaker[Session], offer_id: int, at: datetime, weeks: int) -> None:
    report = AvailabilityInput(
        status=AvailabilityStatus.WAITLIST,
        measured_at=at,
        measure=WaitMeasure.CURRENT,
        intake_wait_weeks=weeks,
        treatment_wait_weeks=0,
    )
    with unit_of_work(factory) as session:
        record_availability(
            session, offer_id, report, Reporter("bench"), now=at, default_validity=DEFAULT_VALIDITY
        )


CPU: dict[str, list[float]] = {}


def timed(what: str, work: Callable[[], object]) -> tuple[float, object]:
    """Wall seconds of `work` and its result; its CPU seconds go to `CPU[what]`."""
    cpu, start = time.process_time(), time.perf_counter()
    result = work()
    wall = time.perf_counter() - start
    CPU.setdefault(what, []).append(time.process_time() - cpu)
    return wall, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", help="a SQLite URL to build in (default: a temp file)")
    args = parser.parse_args()
    now = datetime.now(UTC).replace(microsecond=0)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite:///{Path(folder) / 'bench.db'}"
        started = time.perf_counter()
        factory, _generated = catalogue_of_size(url, args.offers, now)
        print(f"built {args.offers:,} offers in {time.perf_counter() - started:.1f} s ({url})")
        with unit_of_work(factory, read_only=True) as session:
            municipalities = session.scalar(select(func.count()).select_from(Municipality))
            contracted = session.scalars(
                select(Contract.offer_id)
                .join(Offer, Offer.id == Contract.offer_id)
                .where(Offer.ijw_category.is_not(None))
                .order_by(Contract.offer_id)
                .limit(args.runs)
            ).all()
        print(f"{municipalities} municipalities; every category of every offer")

        first: list[float] = []
        again: list[float] = []
        summaries: list[object] = []
        for _ in range(args.runs):
            forget_signals(factory)
            seconds, summary = timed("first", lambda: evaluate_all_signals(factory, SETTINGS, now))
            first.append(seconds)
            summaries.append(summary)
            again.append(timed("again", lambda: evaluate_all_signals(factory, SETTINGS, now))[0])
        print(f"full evaluation: {summaries[-1]}")

        # The change job's first run is a full one and stores the mark; then one report
        # per run, each followed by the timed incremental run.
        evaluate_changes(factory, SETTINGS, now)
        incremental: list[float] = []
        runs: list[ChangeRun] = []
        for index, offer_id in enumerate(contracted):
            at = now + timedelta(minutes=index + 1)
            publish(factory, offer_id, at, weeks=2 + index)
            seconds, run = timed(
                "incremental", lambda at=at: evaluate_changes(factory, SETTINGS, at)
            )
            assert isinstance(run, ChangeRun)
            assert not run.full
            incremental.append(seconds)
            runs.append(run)
        print(f"incremental runs: {[(len(r.pairs), r.summary.evaluated) for r in runs]}")

    def row(what: str, key: str, values: list[float], scale: float, target: str) -> None:
        unit, digits = ("ms", 0) if scale > 1 else ("s", 2)
        each = " / ".join(f"{value * scale:.{digits}f}" for value in values)
        wall = statistics.median(values) * scale
        cpu = statistics.median(CPU[key]) * scale
        print(
            f"| {what} | {each} {unit} | **{wall:.{digits}f} {unit}** | "
            f"{cpu:.{digits}f} {unit} | {target} |"
        )

    full_target = f"≤ {TARGET_FULL_S:.0f} s"
    print()
    print("| what | wall time per run | median | median CPU time | target |")
    print("|---|---|---|---|---|")
    row("full evaluation, first (opens every signal)", "first", first, 1, full_target)
    row("full evaluation, again (signals exist)", "again", again, 1, full_target)
    row(
        "incremental after one availability change",
        "incremental",
        incremental,
        1000,
        f"≤ {TARGET_INCREMENTAL_MS:.0f} ms",
    )


if __name__ == "__main__":
    main()
