"""The financial report as JSON, CSV and XLSX.

Amounts leave as decimal strings with their currency (JSON, CSV) or as numbers in their
currency's number format (XLSX), never as floats computed here. The report holds aggregates
only (budget lines, forms, countries, dimensions, currencies, offices): no person, case or
payee, so neither does any export.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

import msgspec

from reintegrate.money import format_minor, minor_digits
from reintegrate.reconcile.reports.document import FinancialReportDocument, document
from reintegrate.reconcile.reports.financial import FIGURES, OUTCOMES, Figures, FinancialReport
from reintegrate.reconcile.reports.tables import Minor, sheets
from reintegrate.texts import Text, Writer, english, render

__all__ = ["CSV_HEADER", "FinancialReportDocument", "document", "to_csv", "to_json", "to_xlsx"]


def to_json(report: FinancialReport) -> bytes:
    return msgspec.json.format(msgspec.json.encode(document(report)), indent=2)


CSV_HEADER = (
    "programme",
    "section",
    "budget_line",
    "key",
    "currency",
    "funds",
    "available",
    *FIGURES,
)
"""One row per budget line and breakdown; `currency` is the unit of the row's amounts.
Sections: `budget_line` (key empty; the programme's total on budget line `*`), `form`,
`country`, `dimension`, `currency_original` (key: the currency paid in, amounts in it) and
`currency_booked` (key: the currency paid in, amounts at the booked rates). A figure that
does not apply to a section is empty."""


def to_csv(report: FinancialReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    writer.writerows([report.programme_id, *row] for row in _csv_rows(report))
    return out.getvalue()


def _csv_rows(report: FinancialReport) -> Iterator[list[str]]:
    c = report.currency
    for b in (*report.budget_lines, report.total):
        amounts = [*_texts(c, b.funds, b.available), *_figure_texts(b.figures, c)]
        yield ["budget_line", b.budget_line, "", c, *amounts]
    for section, rows in (
        ("form", report.by_form),
        ("country", report.by_country),
        ("dimension", report.by_dimension),
    ):
        for r in rows:
            yield [section, r.budget_line, r.key, c, "", "", *_figure_texts(r.figures, c)]
    yield from _currency_rows(report)


def _currency_rows(report: FinancialReport) -> Iterator[list[str]]:
    for paid_in in report.by_currency:
        for section, settled, unit in (
            ("currency_original", paid_in.original, paid_in.currency),
            ("currency_booked", paid_in.booked, report.currency),
        ):
            by_outcome = {o: format_minor(getattr(settled, o), unit) for o in OUTCOMES}
            amounts = [by_outcome.get(f, "") for f in FIGURES]
            yield [section, paid_in.budget_line, paid_in.currency, unit, "", "", *amounts]


def _texts(c: str, *amounts: int) -> list[str]:
    return [format_minor(a, c) for a in amounts]


def _figure_texts(figures: Figures, c: str) -> list[str]:
    return _texts(c, *(getattr(figures, f) for f in FIGURES))


def to_xlsx(report: FinancialReport, words: Writer = english) -> bytes:
    """One sheet per breakdown after a sheet naming the report, its words as `words` write
    them (`adapters.translation.writer`);
    amounts as numbers in their currency's number format (which the reader's spreadsheet
    shows with its own separators)."""
    from openpyxl import Workbook  # noqa: PLC0415  (here: only a workbook needs it)
    from openpyxl.styles import Font  # noqa: PLC0415

    book = Workbook()
    about = book.active
    assert about is not None
    about.title = render(Text("Report"), words)
    for label, value in _about(report):
        about.append([render(label, words), _cell(value, words)])
    about.column_dimensions["A"].width = 24
    for sheet in sheets(report):
        ws = book.create_sheet(render(sheet.title, words)[:31])
        ws.append([render(h, words) for h in sheet.header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append([_cell(v, words) for v in row])
            for cell, v in zip(ws[ws.max_row], row, strict=True):
                if isinstance(v, Minor):
                    cell.number_format = _number_format(v.currency)
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: str | int | Text | Minor, words: Writer) -> str | int | Decimal:
    if isinstance(value, Minor):
        return value.decimal()
    return render(value, words) if isinstance(value, Text) else value


def _about(report: FinancialReport) -> list[tuple[Text, str | int | Text]]:
    offices = Text("all") if report.offices is None else ", ".join(report.offices)
    count = len(report.differences)
    agrees = Text("yes") if not count else Text("no: {count} differences", count=count)
    return [
        (Text("programme"), report.programme_id),
        (Text("name"), report.name),
        (Text("currency"), report.currency),
        (Text("as of journal entry"), report.as_of_seq),
        (Text("offices"), offices),
        (Text("agrees with the ledger"), agrees),
    ]


def _number_format(currency: str) -> str:
    digits = minor_digits(currency)
    return "#,##0." + "0" * digits if digits else "#,##0"
