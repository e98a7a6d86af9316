"""`reintegrate cases`: households registered from a caseload file (`docs/case-imports.md`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

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
)
from reintegrate.services.case_imports import ImportReport, import_caseload

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
        err.print(f"[red]cannot read {escape(str(file))}: {error.strerror}[/red]")
        raise typer.Exit(2) from error
    store = open_store(database, existing=True, keys=True)
    who = acting(store, user, IMPORTS_CASELOAD)
    with progress_shown("households: checked, then recorded") as advance:
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
        errors.write_bytes(errors_csv(report.errors))
    _print(report, errors)
    if report.errors:
        raise typer.Exit(1)


def _print(report: ImportReport, errors_file: Path | None) -> None:
    held = f"{report.households} households, {report.persons} persons"
    if report.already_imported:
        out.print(f"already imported as {report.import_id}: nothing new ({held})")
    elif report.errors:
        err.print(f"[red]{len(report.errors)} errors: nothing imported[/red] ({held})")
        for e in report.errors[:SHOWN_ERRORS]:
            err.print(f"  row {e.row}, {escape(e.column)}: {escape(e.message)}", highlight=False)
        if len(report.errors) > SHOWN_ERRORS:
            rest = len(report.errors) - SHOWN_ERRORS
            where = f"in {escape(str(errors_file))}" if errors_file else "with --errors FILE"
            err.print(f"  and {rest} more, all {where}")
    elif report.dry_run:
        out.print(f"dry run: no errors; {held} would be imported")
    else:
        out.print(f"import {report.import_id}: {held} registered")
