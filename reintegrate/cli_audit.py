"""`reintegrate audit`: what an auditor runs (verify) and hands on (export)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, BinaryIO

import typer
from rich.markup import escape

from reintegrate import render
from reintegrate.cli_common import DatabaseOption, console, open_store, progress_shown
from reintegrate.journal import ExportRangeInvalid
from reintegrate.services.audit import verify_audit
from reintegrate.services.audit_export import journal_export
from reintegrate.services.cash_limits import cases_over_cash_limits
from reintegrate.store.sql import SqlStore

audit_app = typer.Typer(no_args_is_help=True, help="What an auditor runs.")
out = console()
err = console(stderr=True)


@audit_app.command("verify")
def audit_verify(database: DatabaseOption = None) -> None:
    """Recompute the hash chain, replay the journal, compare with the stored state; exit 1
    and name the first divergence when anything differs."""
    if not print_audit(open_store(database, existing=True)):
        raise typer.Exit(1)


def print_audit(store: SqlStore) -> bool:
    """Verify `store`, with progress on stderr, and print the report; whether it is ok."""
    with progress_shown("verifying the journal") as advance:
        report = verify_audit(store, progress=advance)
    out.print(render.audit_summary(report))
    return report.ok


@audit_app.command("cash-limits")
def audit_cash_limits(database: DatabaseOption = None) -> None:
    """List the members of cases granted before cash was limited per person whose packages
    hold more cash than their own limit would now allow; exit 1 if there is any. Their caps
    are not changed: the grant stays as it was made."""
    store = open_store(database, existing=True)
    with progress_shown("checking cases granted before cash limits per person") as advance:
        found = cases_over_cash_limits(store, advance)
    for over in found:
        out.print(escape(over.describe()))
    if found:
        raise typer.Exit(1)
    out.print("no case holds more cash for a member than their cash limit would allow")


@audit_app.command("export")
def audit_export(
    first: Annotated[
        int | None, typer.Option("--from", help="first seq to export (default 1)")
    ] = None,
    last: Annotated[
        int | None, typer.Option("--to", help="last seq to export (default the journal's last)")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="file to write (default stdout)")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Write journal entries as JSON Lines, exactly as stored, with their hashes
    (docs/audit-export.md; check a file with docs/verify_export.py)."""
    store = open_store(database, existing=True)
    try:
        with journal_export(store, first, last) as export, _sink(output) as sink:
            for chunk in export.chunks:
                sink.write(chunk)
    except ExportRangeInvalid as error:
        err.print(f"[red]{error.message}[/red]")
        raise typer.Exit(2) from error
    where = output or "stdout"
    err.print(f"exported seq {export.first} to {export.last} to {where}")


@contextmanager
def _sink(output: Path | None) -> Iterator[BinaryIO]:
    if output is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with output.open("wb") as file:
        yield file
