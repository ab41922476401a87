"""The `plekwijzer` command line."""

from __future__ import annotations

import logging
import signal
import threading
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import click
import uvicorn
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from directory.accounts.keys import SCOPES, create_key, revoke_key
from directory.catalogue.service import count_offers
from directory.config import get_settings
from directory.db import make_session_factory, unit_of_work
from directory.devdata.demo import load_demo, refresh_demo
from directory.devdata.generate import generate_catalogue
from directory.devdata.synthetic import DEFAULT_SEED
from directory.migrate import upgrade
from directory.notifications.service import register_webhook
from directory.reference import import_municipalities, load_reference_data
from directory.signals.reading import count_open_signals
from directory.signals.service import EvaluationSummary, evaluate_as_configured
from search.backend import SearchUnavailableError
from search.meili import MeiliBackend
from search.service import Search, make_search
from sync.relay import RelayThread, rebuild_index, repair_drifts
from sync.runner import make_scheduler
from web.app import create_app
from web.capabilities import JOB_SOURCES
from web.cli_kit import (
    Commands,
    command_unit,
    console,
    engine_of_settings,
    keep_secrets_out_of_logs,
    server_options,
)
from web.cli_tariffs import pgb_tariffs
from web.cli_users import users

TASK_CLEANUP_SECONDS = 3600


def _prepare(engine: Engine) -> None:
    """Migrate to the newest schema and load the shipped reference data."""
    upgrade(engine)
    with command_unit(engine) as session:
        load_reference_data(session)


@click.group(cls=Commands)
def main() -> None:
    """Plekwijzer: places and waiting times for special education, day programmes and
    youth care."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # APScheduler logs every run of every job at INFO; the jobs log what they did.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


@main.command()
@click.option("--host", help="Interface to listen on (default from settings: 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default: 8000).")
@click.option("--demo", is_flag=True, help="Load the demo catalogue into an empty database.")
def serve(host: str | None, port: int | None, demo: bool) -> None:
    """Run the web app. On SQLite (the embedded default) the schema is migrated first."""
    settings = get_settings()
    engine = engine_of_settings()
    embedded = make_url(settings.database_url).get_backend_name() == "sqlite"
    if embedded:
        _prepare(engine)
    if demo:
        _load_or_refresh_demo(engine)
    # The embedded default keeps its search index current and runs the scheduled jobs
    # itself; elsewhere the worker does.
    app = create_app(settings, engine=engine, relay=embedded)
    if embedded:
        _repair_indexes(app.state.session_factory, app.state.search)
    keep_secrets_out_of_logs()
    uvicorn.run(
        app, host=host or settings.host, port=port or settings.port, **server_options(settings)
    )


def _load_or_refresh_demo(engine: Engine) -> None:
    now = datetime.now(UTC)
    with command_unit(engine) as session:
        if count_offers(session):
            shift = refresh_demo(session, now)
            if shift:
                console.print(f"Demo figures moved {shift.days} days forward to stay current.")
                _print_signals(evaluate_as_configured(session, get_settings(), now))
            return
        result = load_demo(session, now)
        open_now = count_open_signals(session)
    console.print(f"Demo catalogue loaded: {result.offers} offers; {open_now} signals open.")


def _print_signals(summary: EvaluationSummary) -> None:
    console.print(
        f"Signals: {summary.evaluated} municipality/category pairs evaluated, "
        f"{summary.opened} opened, {summary.resolved} resolved, {summary.updated} updated."
    )


@main.command("evaluate-signals")
def evaluate_signals_command() -> None:
    """Evaluate the PGB-route and education-gap signals of every municipality and
    category now, and open or resolve them."""
    started = time.perf_counter()
    with command_unit() as session:
        summary = evaluate_as_configured(session, get_settings(), datetime.now(UTC))
    _print_signals(summary)
    console.print(f"Done in {time.perf_counter() - started:.2f} s.")


@main.command()
def reindex() -> None:
    """Rebuild every search index from the catalogue, without downtime."""
    settings = get_settings()
    factory = make_session_factory(engine_of_settings())
    search = make_search(settings, factory)
    with unit_of_work(factory, read_only=True) as session:
        total = count_offers(session)
    for backend in search.backends:
        columns = (
            TextColumn(f"Indexing ({backend.name})"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("reindex", total=total)
            rebuild_index(factory, backend, datetime.now(UTC), partial(progress.advance, task))
    console.print(f"Indexed {total} offers.")


@main.command()
def worker() -> None:
    """The background process: keeps the search indexes current (outbox relay), repairs
    drift every PLEKWIJZER_INDEX_REPAIR_SECONDS, removes finished Meilisearch tasks hourly,
    and runs the scheduled jobs (signals, reminders, notifications) while it holds the
    scheduler lock: a second worker waits as a standby. Stop it with Ctrl-C or SIGTERM."""
    settings = get_settings()
    factory = make_session_factory(engine_of_settings())
    search = make_search(settings, factory)
    relay = RelayThread(
        factory,
        search.backends,
        lambda: datetime.now(UTC),
        settings.index_poll_seconds,
        repair_every=settings.index_repair_seconds,
    )
    scheduler = make_scheduler(
        factory, settings, sources=JOB_SOURCES, clock=lambda: datetime.now(UTC)
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    relay.start()
    scheduler.start()
    console.print(
        "Worker started: relaying catalogue changes to the search index and running the "
        "scheduled jobs (while this process holds the scheduler lock)."
    )
    try:
        while not stop.wait(TASK_CLEANUP_SECONDS):
            if isinstance(search.primary, MeiliBackend):
                search.primary.cleanup_tasks()
    except KeyboardInterrupt:
        pass
    finally:
        scheduler.shutdown()
        relay.stop()
    console.print("Worker stopped.")


def _repair_indexes(factory: sessionmaker[Session], search: Search) -> None:
    """Repair any index that does not match the catalogue (after `generate`, an upgrade
    that added the index, or a lost write) before serving; the relay keeps it so."""
    outcomes = repair_drifts(factory, search.backends, datetime.now(UTC))
    for backend, outcome in zip(search.backends, outcomes, strict=True):
        if isinstance(outcome, SearchUnavailableError):
            console.print(f"Search index {backend.name} is unavailable: {outcome}", markup=False)
        elif isinstance(outcome, Exception):
            raise outcome
        elif outcome:
            console.print(f"Search index {backend.name}: {outcome} documents repaired.")


@main.command()
def migrate() -> None:
    """Bring the database schema up to date and load the shipped reference data."""
    _prepare(engine_of_settings())
    console.print("Database is up to date.")


@main.command()
def demo() -> None:
    """Load the demo catalogue (fictional providers in Rotterdam and Utrecht)."""
    engine = engine_of_settings()
    _prepare(engine)
    with command_unit(engine) as session:
        now = datetime.now(UTC)
        result = load_demo(session, now)
        open_now = count_open_signals(session)
    console.print(
        f"Demo catalogue loaded: {result.offers} offers from {result.organisations} "
        f"organisations, {result.reports} availability reports, {result.contracts} contracts; "
        f"its weeks of history evaluated, {open_now} signals open now."
    )


@main.command()
@click.option(
    "--offers", type=click.IntRange(1), default=100_000, show_default=True, help="How many."
)
@click.option("--seed", default=DEFAULT_SEED, show_default=True, help="Same seed, same catalogue.")
def generate(offers: int, seed: int) -> None:
    """Add a synthetic catalogue for benchmarks over all loaded municipalities."""
    engine = engine_of_settings()
    _prepare(engine)
    columns = (
        TextColumn("Generating offers"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("generate", total=offers)
        with command_unit(engine) as session:
            result = generate_catalogue(
                session,
                offers=offers,
                seed=seed,
                now=datetime.now(UTC),
                on_progress=lambda done: progress.advance(task, done),
            )
    console.print(f"Generated {result.offers} offers at {result.locations} locations.")


@main.command("import-municipalities")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_municipalities_command(file: Path) -> None:
    """Load municipalities from a CSV file (the CBS list "Gemeenten alfabetisch", or the
    columns of directory/reference/data/municipalities.csv). All rows or none."""
    engine = engine_of_settings()
    _prepare(engine)
    with command_unit(engine) as session:
        count = import_municipalities(session, file)
    console.print(f"Imported {count} municipalities.")


@main.group()
def keys() -> None:
    """Provider API keys: one organisation each, stored hashed."""


@keys.command("create")
@click.option(
    "--org",
    "organisation_id",
    type=click.IntRange(1, 2**31 - 1),
    required=True,
    help="Organisation id.",
)
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=click.Choice(SCOPES),
    help="Repeat for several; default: all scopes.",
)
@click.option("--name", default="", help="What the key is for, e.g. the provider's system.")
def keys_create(organisation_id: int, scopes: tuple[str, ...], name: str) -> None:
    """Create a key and print it once: it cannot be shown again."""
    with command_unit() as session:
        scope_list = list(scopes or SCOPES)
        client, key = create_key(session, organisation_id, scope_list, name, datetime.now(UTC))
    console.print(
        f"API key {client.id} for organisation {organisation_id}: {', '.join(client.scopes)}"
    )
    console.print("Store it now; it is not shown again:")
    click.echo(key)


@keys.command("revoke")
@click.argument("key_id", type=click.IntRange(1, 2**31 - 1))
def keys_revoke(key_id: int) -> None:
    """Revoke a key: requests with it are refused from now on."""
    with command_unit() as session:
        revoke_key(session, key_id, datetime.now(UTC))
    console.print(f"API key {key_id} is revoked.")


@main.group()
def webhooks() -> None:
    """Systems that receive signal changes and watch alerts as signed JSON."""


@webhooks.command("add")
@click.option("--url", required=True, help="Where to POST, e.g. https://zaaksysteem.example/hook.")
@click.option(
    "--org",
    "organisation_id",
    type=click.IntRange(1, 2**31 - 1),
    help="The organisation whose watch alerts it also receives.",
)
@click.option("--municipality", help="Only this municipality's signals (CBS code, GMxxxx).")
@click.option(
    "--event",
    "events",
    multiple=True,
    help="Repeat for several: signal.opened, signal.resolved, watch.alert; default: all.",
)
def webhooks_add(
    url: str, organisation_id: int | None, municipality: str | None, events: tuple[str, ...]
) -> None:
    """Subscribe a system and print its signing secret once."""
    with command_unit() as session:
        subscription, secret = register_webhook(
            session,
            url=url,
            organisation_id=organisation_id,
            municipality=municipality.upper() if municipality else None,
            events=events,
            now=datetime.now(UTC),
        )
    console.print(f"Webhook {subscription.id} posts to {url}.")
    console.print(
        "Its signing secret (X-Plekwijzer-Signature); store it now, it is not shown again:"
    )
    click.echo(secret)


main.add_command(pgb_tariffs)
main.add_command(users)
