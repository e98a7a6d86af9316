"""What every `reintegrate` sub-command shares: the database option and opening it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from reintegrate.services.context import Actor
from reintegrate.store.sql import SqlStore, database_url

err = Console(stderr=True)

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database",
        "-d",
        help="SQLAlchemy URL; default: $REINTEGRATE_DATABASE_URL or sqlite:///reintegrate.db",
    ),
]


def open_store(url: str | None, *, existing: bool = False) -> SqlStore:
    """The database (created and migrated); with `existing`, a missing SQLite file is an error
    rather than a new empty database that would answer every question with nothing."""
    url = url or database_url()
    if (
        existing
        and url.startswith("sqlite:///")
        and not Path(url.removeprefix("sqlite:///")).exists()
    ):
        err.print(f"[red]no database at {url}[/red] (the demo's is sqlite:///var/demo.db)")
        raise typer.Exit(2)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    store = SqlStore(url)
    store.create_all()
    return store


ActorOption = Annotated[
    str,
    typer.Option(
        "--as",
        help="the user id who runs the command (recorded in the journal; never a name)",
    ),
]


def actor(user_id: str) -> Actor:
    """A finance or audit user at the command line: programme-wide, as finance work is."""
    return Actor(user_id)
