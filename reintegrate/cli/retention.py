"""`reintegrate retention run`: the persons whose records are due for erasure under their
programmes' retention periods, erased with `--apply`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.table import Table

from reintegrate.access import ASKS_ERASURE, CONFIRMS_ERASURE
from reintegrate.cli.common import (
    DatabaseOption,
    acting,
    console,
    open_store,
    progress_shown,
    run,
    said,
    say,
)
from reintegrate.services import retention
from reintegrate.texts import Text

retention_app = typer.Typer(no_args_is_help=True, help="Erase what the retention periods end.")
out = console()
err = console(stderr=True)


@retention_app.command("run")
def retention_run(
    database: DatabaseOption = None,
    apply: Annotated[bool, typer.Option("--apply", help="erase them (default: only list)")] = False,
    asked_by: Annotated[
        str | None,
        typer.Option(
            "--as", help="the admin who asks for the erasures (else the user of $REINTEGRATE_TOKEN)"
        ),
    ] = None,
    confirmed_by: Annotated[
        str | None,
        typer.Option("--confirmed-by", help="another admin or an approver who confirms them"),
    ] = None,
) -> None:
    """List every person whose cases have all been closed for longer than their programme's
    `retention_years`; with --apply, erase them (each erasure asked by --as, confirmed by
    --confirmed-by, and journaled with the reason `retention_ended`)."""
    store = open_store(database, existing=True, keys=apply)
    now = dt.datetime.now(dt.UTC)
    due = run(lambda: retention.due_for_erasure(store, now.date()))
    headings = (Text("person"), Text("due since"), Text("cases"))
    title = Text("{count} persons due for erasure", count=len(due))
    table = Table(*(said(h) for h in headings), title=said(title))
    for item in due:
        table.add_row(item.person_id, item.due_on.isoformat(), ", ".join(item.cases))
    out.print(table)
    if not apply:
        if due:
            say(out, Text("Nothing erased: run again with --apply to erase them."))
        return
    asker = acting(store, asked_by, ASKS_ERASURE)
    if confirmed_by is None:
        say(err, Text("--confirmed-by is required with --apply: a second person"), style="red")
        raise typer.Exit(2)
    confirmer = acting(store, confirmed_by, CONFIRMS_ERASURE, option="--confirmed-by")
    with progress_shown(Text("erasing")) as shown:
        erased = run(
            lambda: retention.erase_due(
                store, asker, confirmer, now, due=due, done=lambda n: shown(n, len(due))
            )
        )
    say(out, Text("{count} persons erased (reason: retention_ended)", count=erased))
