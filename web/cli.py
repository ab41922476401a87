"""The `plekwijzer` command line."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import click
import uvicorn
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from directory.config import Settings, get_settings
from directory.db import make_engine, make_session_factory, unit_of_work
from directory.demo import load_demo
from directory.errors import DirectoryError
from directory.generate import generate_catalogue
from directory.migrate import upgrade
from directory.reference import import_municipalities, load_reference_data
from directory.service import count_offers
from providers.keys import SCOPES, create_key, revoke_key
from web.app import create_app

console = Console(stderr=True)


def _engine(settings: Settings) -> Engine:
    return make_engine(settings.database_url)


def _prepare(engine: Engine) -> None:
    """Migrate to the newest schema and (re)load the shipped reference data."""
    upgrade(engine)
    with unit_of_work(make_session_factory(engine)) as session:
        load_reference_data(session)


def _fail(error: DirectoryError) -> NoReturn:
    console.print(f"[red]{error}[/red]")
    raise SystemExit(2)


@click.group()
def main() -> None:
    """Plekwijzer: places and waiting times for special education, day programmes and
    youth care."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")


@main.command()
@click.option("--host", help="Interface to listen on (default from settings: 127.0.0.1).")
@click.option("--port", type=int, help="Port (default from settings: 8000).")
@click.option("--demo", is_flag=True, help="Load the demo catalogue into an empty database.")
def serve(host: str | None, port: int | None, demo: bool) -> None:
    """Run the web app. On SQLite (the embedded default) the schema is migrated first."""
    settings = get_settings()
    engine = _engine(settings)
    if make_url(settings.database_url).get_backend_name() == "sqlite":
        _prepare(engine)
    if demo:
        _load_demo_if_empty(engine)
    app = create_app(settings, engine=engine)
    uvicorn.run(app, host=host or settings.host, port=port or settings.port)


@main.command()
def migrate() -> None:
    """Bring the database schema up to date and load the shipped reference data."""
    _prepare(_engine(get_settings()))
    console.print("Database is up to date.")


@main.command()
def demo() -> None:
    """Load the demo catalogue (fictional providers in Rotterdam and Utrecht)."""
    engine = _engine(get_settings())
    _prepare(engine)
    with unit_of_work(make_session_factory(engine)) as session:
        try:
            result = load_demo(session, datetime.now(UTC))
        except DirectoryError as error:
            _fail(error)
    console.print(
        f"Demo catalogue loaded: {result.offers} offers from {result.organisations} "
        f"organisations, {result.reports} availability reports, {result.contracts} contracts."
    )


def _load_demo_if_empty(engine: Engine) -> None:
    with unit_of_work(make_session_factory(engine)) as session:
        if count_offers(session):
            return
        result = load_demo(session, datetime.now(UTC))
    console.print(f"Demo catalogue loaded: {result.offers} offers.")


@main.command()
@click.option("--offers", default=100_000, show_default=True, help="How many offers to create.")
@click.option("--seed", default=20240301, show_default=True, help="Same seed, same catalogue.")
def generate(offers: int, seed: int) -> None:
    """Add a synthetic catalogue for benchmarks over all loaded municipalities."""
    engine = _engine(get_settings())
    _prepare(engine)
    columns = (
        TextColumn("Generating offers"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("generate", total=offers)
        with unit_of_work(make_session_factory(engine)) as session:
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
    engine = _engine(get_settings())
    _prepare(engine)
    with unit_of_work(make_session_factory(engine)) as session:
        try:
            count = import_municipalities(session, file)
        except DirectoryError as error:
            _fail(error)
    console.print(f"Imported {count} municipalities.")


@main.group()
def keys() -> None:
    """Provider API keys: one organisation each, stored hashed."""


@keys.command("create")
@click.option("--org", "organisation_id", type=int, required=True, help="Organisation id.")
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
    engine = _engine(get_settings())
    with unit_of_work(make_session_factory(engine)) as session:
        try:
            client, key = create_key(
                session, organisation_id, list(scopes or SCOPES), name, datetime.now(UTC)
            )
        except DirectoryError as error:
            _fail(error)
    console.print(
        f"API key {client.id} for organisation {organisation_id} ({', '.join(client.scopes)})."
    )
    console.print("Store it now; it is not shown again:")
    click.echo(key)


@keys.command("revoke")
@click.argument("key_id", type=int)
def keys_revoke(key_id: int) -> None:
    """Revoke a key: requests with it are refused from now on."""
    engine = _engine(get_settings())
    with unit_of_work(make_session_factory(engine)) as session:
        try:
            revoke_key(session, key_id, datetime.now(UTC))
        except DirectoryError as error:
            _fail(error)
    console.print(f"API key {key_id} is revoked.")
