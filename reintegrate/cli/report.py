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
from reintegrate.cli.common import DatabaseOption, open_store
from reintegrate.cli.common import console as command_console
from reintegrate.errors import DomainError
from reintegrate.money import format_minor
from reintegrate.reconcile.reports.financial import (
    ALL_LINES,
    FIGURES,
    OUTCOMES,
    CurrencyRow,
    FinancialReport,
    Row,
)
from reintegrate.services.context import Actor
from reintegrate.services.reports import financial_report

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
) -> None:
    """Funds, committed, paid, pending, failed, returned, reversed, remaining and available
    per budget line, by form, country of return, dimension and currency, checked against
    the ledger to the minor unit (exit code 1 when they differ)."""
    if format_ is ReportFormat.XLSX and output is None:
        err.print("[red]an XLSX workbook is binary: give --output FILE[/red]")
        raise typer.Exit(2)
    try:
        report = financial_report(open_store(database, existing=True), AUDITOR, programme)
    except DomainError as error:
        err.print(f"[red]{escape(error.message)}[/red]")
        raise typer.Exit(1) from error
    _write(report, format_, output)
    if report.differences:
        err.print(
            f"[red]the report differs from the ledger in {len(report.differences)} figures[/red]"
        )
        raise typer.Exit(1)


def _write(report: FinancialReport, format_: ReportFormat, output: Path | None) -> None:
    if format_ is ReportFormat.XLSX:
        assert output is not None
        output.write_bytes(to_xlsx(report))
    elif format_ is ReportFormat.TABLE:
        if output is None:
            _print(report, out)
        else:
            with output.open("w", encoding="utf-8") as file:
                _print(report, Console(file=file, width=200, color_system=None))
    else:
        text = to_json(report).decode() + "\n" if format_ is ReportFormat.JSON else to_csv(report)
        if output is None:
            typer.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8", newline="")


def _print(report: FinancialReport, console: Console) -> None:
    """Figures down, budget lines or breakdown keys across: narrow enough for a terminal."""
    offices = "every office" if report.offices is None else ", ".join(report.offices)
    console.print(
        f"[bold]{escape(report.name)}[/bold] ({report.programme_id}), in {report.currency}, "
        f"as of journal entry {report.as_of_seq}; {offices}",
        highlight=False,
    )
    console.print(_lines_table(report))
    for line in report.budget_lines:
        code = line.budget_line
        for title, rows in (
            ("by form", report.by_form),
            ("by country", report.by_country),
            ("by dimension", report.by_dimension),
        ):
            console.print(_breakdown_table(f"{code} {title}", rows, code, report.currency))
        paid_in = [r for r in report.by_currency if r.budget_line == code]
        if paid_in:
            console.print(_currency_table(f"{code}: payments as paid", paid_in, booked=False))
            title = f"{code}: payments at booked rates ({report.currency})"
            console.print(_currency_table(title, paid_in, booked=True, currency=report.currency))
    _print_check(report, console)


def _lines_table(report: FinancialReport) -> Table:
    c = report.currency
    lines = (*report.budget_lines, report.total)
    table = Table(title=f"Budget lines ({c})")
    table.add_column("")
    for b in lines:
        table.add_column(
            "all lines" if b.budget_line == ALL_LINES else b.budget_line, justify="right"
        )
    table.add_row("funds", *(format_minor(b.funds, c) for b in lines))
    table.add_row("available", *(format_minor(b.available, c) for b in lines))
    for f in FIGURES:
        table.add_row(f, *(format_minor(getattr(b.figures, f), c) for b in lines))
    return table


def _breakdown_table(title: str, rows: tuple[Row, ...], line: str, c: str) -> Table:
    shown = [r for r in rows if r.budget_line == line]
    table = Table(title=f"{title} ({c})")
    table.add_column("")
    for r in shown:
        table.add_column(escape(r.key), justify="right")
    for f in FIGURES:
        table.add_row(f, *(format_minor(getattr(r.figures, f), c) for r in shown))
    return table


def _currency_table(
    title: str, rows: list[CurrencyRow], *, booked: bool, currency: str = ""
) -> Table:
    table = Table(title=title)
    table.add_column("paid in")
    for outcome in OUTCOMES:
        table.add_column(outcome, justify="right")
    for r in rows:
        settled, unit = (r.booked, currency) if booked else (r.original, r.currency)
        table.add_row(r.currency, *(format_minor(getattr(settled, o), unit) for o in OUTCOMES))
    return table


def _print_check(report: FinancialReport, console: Console) -> None:
    if not report.differences:
        console.print("[green]every figure agrees with the ledger to the minor unit[/green]")
        return
    c = report.currency
    table = Table(
        "figure", "where", "report", "ledger", title="[red]differences from the ledger[/red]"
    )
    for d in report.differences:
        table.add_row(
            d.figure, escape(d.where), format_minor(d.report, c), format_minor(d.ledger, c)
        )
    console.print(table)
