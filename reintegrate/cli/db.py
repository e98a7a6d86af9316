"""`reintegrate db`: the database's schema, upgraded as an explicit step."""

from __future__ import annotations

from pathlib import Path

import typer

from reintegrate.cli.common import DatabaseOption, console, open_store, say
from reintegrate.store.migrate import current_revision, head_revision, pending_steps
from reintegrate.store.sql import database_url, make_engine
from reintegrate.texts import Text

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
            pending = Text(
                "{count} migration(s) to apply: {revisions} (a migration that fills new "
                "columns from the journal reads all of it)",
                count=len(steps),
                revisions=", ".join(r for r, _ in steps),
            )
            say(err, pending)
    store = open_store(url, migrate=True)
    after = current_revision(store.engine) or head_revision()  # upgraded: never none
    if before == after:
        say(out, Text("The database is at schema {revision} already.", revision=after))
    elif before is None:
        say(out, Text("The database was at no schema; it is at {revision} now.", revision=after))
    else:
        upgraded = Text(
            "The database was at schema {before}; it is at {revision} now.",
            before=before,
            revision=after,
        )
        say(out, upgraded)


@db_app.command("check")
def db_check(database: DatabaseOption = None) -> None:
    """Say which schema the database is at; exit 1 unless it is this version's."""
    url = database or database_url()
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        say(err, Text("no database at {url}", url=url), style="red")
        raise typer.Exit(2)
    current, head = _current(url), head_revision()
    if current == head:
        say(out, Text("The database is at schema {revision}, this version's.", revision=head))
        return
    behind = (
        Text(
            "The database is at no schema; this version needs {revision}: back it up, then run "
            "`reintegrate db upgrade`.",
            revision=head,
        )
        if current is None
        else Text(
            "The database is at schema {current}; this version needs {revision}: back it up, "
            "then run `reintegrate db upgrade`.",
            current=current,
            revision=head,
        )
    )
    say(out, behind)
    raise typer.Exit(1)


def _current(url: str) -> str | None:
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return None
    engine = make_engine(url, writer=False)
    try:
        return current_revision(engine)
    finally:
        engine.dispose()
