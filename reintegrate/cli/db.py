"""`reintegrate db`: the database's schema, upgraded as an explicit step."""

from __future__ import annotations

from pathlib import Path

import typer

from reintegrate.cli.common import DatabaseOption, console, open_store
from reintegrate.store.migrate import current_revision, head_revision, pending_steps
from reintegrate.store.sql import database_url, make_engine

db_app = typer.Typer(no_args_is_help=True, help="The database's schema.")
out = console()
err = console(stderr=True)


@db_app.command("upgrade")
def db_upgrade(database: DatabaseOption = None) -> None:
    """Bring the database to this version's schema (a new database gets it whole). Back the
    database up first: an upgrade is not undone."""
    url = database or database_url()
    before = _current(url)
    if before is not None:
        engine = make_engine(url, writer=False)
        try:
            steps = pending_steps(engine)
        finally:
            engine.dispose()
        if steps:
            err.print(
                f"{len(steps)} migration(s) to apply: {', '.join(r for r, _ in steps)} "
                "(a migration that fills new columns from the journal reads all of it)"
            )
    store = open_store(url, migrate=True)
    after = current_revision(store.engine)
    if before == after:
        out.print(f"The database is at schema {after} already.")
    else:
        out.print(f"The database was at schema {before or 'none'}; it is at {after} now.")


@db_app.command("check")
def db_check(database: DatabaseOption = None) -> None:
    """Say which schema the database is at; exit 1 unless it is this version's."""
    url = database or database_url()
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        err.print(f"[red]no database at {url}[/red]")
        raise typer.Exit(2)
    current, head = _current(url), head_revision()
    if current == head:
        out.print(f"The database is at schema {current}, this version's.")
        return
    out.print(
        f"The database is at schema {current or 'none'}; this version needs {head}: "
        "back it up, then run `reintegrate db upgrade`."
    )
    raise typer.Exit(1)


def _current(url: str) -> str | None:
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return None
    engine = make_engine(url, writer=False)
    try:
        return current_revision(engine)
    finally:
        engine.dispose()
