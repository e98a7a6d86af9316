"""`reintegrate report`: a programme's financial report, as its auditor reads it."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from reintegrate.adapters.financial_report_files import to_csv, to_json, to_xlsx
from reintegrate.adapters.translation import writer
from reintegrate.cli.common import (
    DatabaseOption,
    LanguageOption,
    language,
    open_store,
    refusal,
    said,
)
from reintegrate.cli.common import console as command_console
from reintegrate.errors import DomainError
from reintegrate.reconcile.reports.financial import FinancialReport
from reintegrate.reconcile.reports.tables import Cell, Minor, Sheet, sheets
from reintegrate.services.context import Actor
from reintegrate.services.reports import financial_report
from reintegrate.texts import Text, Writer

report_app = typer.Typer(no_args_is_help=True, help="Reports on a programme's money.")
out = command_console()
err = command_console(stderr=True)
AUDITOR = Actor("auditor")
"""Who reads the database directly: every office."""


class ReportFormat(enum.StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


@report_app.command("financial")
def financial(
    programme: Annotated[str, typer.Argument(help="the programme's id")],
    database: DatabaseOption = None,
    format_: Annotated[ReportFormat, typer.Option("--format", help="how to write it")] = (
        ReportFormat.TABLE
    ),
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="write to this file (xlsx: required)")
    ] = None,
    lang: LanguageOption = None,
) -> None:
    """Funds, committed, paid, pending, failed, returned, reversed, remaining and available
    per budget line, by form, country of return, dimension and currency, checked against
    the ledger to the minor unit (exit code 1 when they differ). The table and the workbook
    are worded in --lang; JSON and CSV are for programs, the same in every language."""
    words = writer(language(lang))
    if format_ is ReportFormat.XLSX and output is None:
        binary = Text("an XLSX workbook is binary: give --output FILE")
        err.print(said(binary, words), style="red")
        raise typer.Exit(2)
    try:
        report = financial_report(open_store(database, existing=True), AUDITOR, programme)
    except DomainError as error:
        err.print(escape(refusal(error)), style="red", highlight=False)
        raise typer.Exit(1) from error
    _write(report, format_, output, words)
    if report.differences:
        differs = Text(
            "the report differs from the ledger in {count} figures", count=len(report.differences)
        )
        err.print(said(differs, words), style="red")
        raise typer.Exit(1)


def _write(
    report: FinancialReport, format_: ReportFormat, output: Path | None, words: Writer
) -> None:
    if format_ is ReportFormat.XLSX:
        assert output is not None
        output.write_bytes(to_xlsx(report, words))
    elif format_ is ReportFormat.TABLE:
        if output is None:
            _print(report, out, words)
        else:
            with output.open("w", encoding="utf-8") as file:
                _print(report, Console(file=file, width=200, color_system=None), words)
    else:
        text = to_json(report).decode() + "\n" if format_ is ReportFormat.JSON else to_csv(report)
        if output is None:
            typer.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8", newline="")


def _print(report: FinancialReport, console: Console, words: Writer) -> None:
    """Figures down, budget lines or breakdown keys across: narrow enough for a terminal."""
    offices = Text("every office") if report.offices is None else ", ".join(report.offices)
    heading = Text(
        "{name} ({programme}), in {currency}, as of journal entry {seq}; {offices}",
        name=report.name,
        programme=report.programme_id,
        currency=report.currency,
        seq=report.as_of_seq,
        offices=offices,
    )
    console.print(said(heading, words), style="bold", highlight=False)
    for sheet in sheets(report)[:-1]:
        console.print(_across(sheet, words))
    _print_check(report, console, words)


def _across(sheet: Sheet, words: Writer) -> Table:
    """A sheet turned on its side: its headings down the first column, each row across."""
    table = Table(title=said(sheet.title, words))
    table.add_column("")
    for _ in sheet.rows:
        table.add_column("", justify="right")
    table.show_header = False
    for i, heading in enumerate(sheet.header):
        cells = [_cell(row[i], words) for row in sheet.rows]
        table.add_row(said(heading, words), *cells)
    return table


def _cell(value: Cell, words: Writer) -> str:
    if isinstance(value, Minor):
        return words.figure(value.said())
    return said(value, words) if isinstance(value, Text) else escape(value)


def _print_check(report: FinancialReport, console: Console, words: Writer) -> None:
    if not report.differences:
        agrees = Text("every figure agrees with the ledger to the minor unit")
        console.print(said(agrees, words), style="green")
        return
    console.print(_across(sheets(report)[-1], words))
