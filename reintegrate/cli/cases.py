"""`reintegrate cases`: households registered from a caseload file (`docs/case-imports.md`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from reintegrate.access import IMPORTS_CASELOAD
from reintegrate.adapters.caseload_files import errors_csv
from reintegrate.adapters.identifiers import LibraryIdentifierChecks
from reintegrate.cli.common import (
    ActorOption,
    DatabaseOption,
    acting,
    console,
    open_store,
    progress_shown,
    run,
    said,
    say,
    writing,
)
from reintegrate.services.case_imports import ImportReport, import_caseload
from reintegrate.texts import Text

cases_app = typer.Typer(no_args_is_help=True, help="Households and their cases.")
out = console()
err = console(stderr=True)
SHOWN_ERRORS = 20


@cases_app.command("import")
def import_cases(
    file: Annotated[Path, typer.Argument(help="the caseload file, CSV or XLSX")],
    *,
    programme: Annotated[str, typer.Option(help="the programme the households return under")],
    user: ActorOption = None,
    dry_run: Annotated[bool, typer.Option(help="check the whole file and write nothing")] = False,
    errors: Annotated[
        Path | None,
        typer.Option(help="write every error (row, column, message) to this CSV file"),
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Register every household of a caseload file (its persons, then its case) at once, or
    none: every row is checked first, and any error imports nothing (exit 1). The same file
    again imports nothing new."""
    try:
        content = file.read_bytes()
    except OSError as error:
        cannot = Text("cannot read {file}: {problem}", file=str(file), problem=error.strerror or "")
        say(err, cannot, style="red")
        raise typer.Exit(2) from error
    store = open_store(database, existing=True, keys=True)
    who = acting(store, user, IMPORTS_CASELOAD)
    with progress_shown(Text("households: checked, then recorded")) as advance:
        report = run(
            lambda: import_caseload(
                store,
                LibraryIdentifierChecks(),
                who,
                dt.datetime.now(dt.UTC),
                programme_id=programme,
                content=content,
                dry_run=dry_run,
                progress=lambda _step, done, total: advance(done, total),
            )
        )
    if errors is not None:
        errors.write_bytes(errors_csv(report.errors, writing()))
    _print(report, errors)
    if report.errors:
        raise typer.Exit(1)


def _print(report: ImportReport, errors_file: Path | None) -> None:
    import_id = report.import_id or ""  # every import but a refused or a dry one has its id
    held = Text(
        "{households} households, {persons} persons",
        households=report.households,
        persons=report.persons,
    )
    if report.already_imported:
        again = Text(
            "already imported as {import_id}: nothing new ({held})",
            import_id=import_id,
            held=held,
        )
        say(out, again)
    elif report.errors:
        refused = Text(
            "{count} errors: nothing imported ({held})", count=len(report.errors), held=held
        )
        say(err, refused, style="red")
        for e in report.errors[:SHOWN_ERRORS]:
            row = Text(
                "row {row}, {column}: {problem}", row=e.row, column=e.column, problem=e.message
            )
            err.print(f"  {said(row)}", highlight=False)
        if len(report.errors) > SHOWN_ERRORS:
            rest = len(report.errors) - SHOWN_ERRORS
            more = (
                Text("and {count} more, all in {file}", count=rest, file=str(errors_file))
                if errors_file
                else Text("and {count} more, all with --errors FILE", count=rest)
            )
            err.print(f"  {said(more)}", highlight=False)
    elif report.dry_run:
        say(out, Text("dry run: no errors; {held} would be imported", held=held))
    else:
        imported = Text("import {import_id}: {held} registered", import_id=import_id, held=held)
        say(out, imported)
