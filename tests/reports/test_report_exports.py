"""The report's exports carry its totals exactly: CSV and XLSX read back give the same minor
units, the JSON document decodes to its schema, and none of them names a person or a case."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import msgspec
import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from reintegrate.adapters.financial_report_files import (
    CSV_HEADER,
    FinancialReportDocument,
    to_csv,
    to_json,
    to_xlsx,
)
from reintegrate.money import format_minor, minor_digits
from reintegrate.notes import plain
from reintegrate.reconcile.reports.financial import ALL_LINES, FIGURES, OUTCOMES, FinancialReport
from reintegrate.services.context import Actor
from reintegrate.services.notes import read_opened
from reintegrate.services.reports import financial_report
from reintegrate.store.sql import SqlStore

SHEETS = ["Report", "Budget lines", "By form", "By country", "By dimension", "By currency"]


@pytest.fixture(scope="module")
def reports(demo_file: Path) -> list[FinancialReport]:
    store = SqlStore(f"sqlite:///{demo_file}")
    found = [financial_report(store, Actor("auditor-1"), p) for p in store.snapshot().programmes]
    assert all(r.differences == () for r in found)
    return found


def minor(text: object, currency: str) -> int:
    """A decimal string, or a number read from a spreadsheet, in minor units (exactly)."""
    assert isinstance(text, str | int | float | Decimal), f"{text!r} is not an amount"
    scaled = Decimal(str(text)).scaleb(minor_digits(currency))
    assert scaled == scaled.to_integral_value(), f"{text} has more decimals than {currency}"
    return int(scaled)


def test_the_csv_has_a_header_and_every_total_of_the_report(reports: list[FinancialReport]) -> None:
    for report in reports:
        rows = list(csv.DictReader(io.StringIO(to_csv(report))))
        assert tuple(rows[0]) == CSV_HEADER
        c = report.currency
        lines = {r["budget_line"]: r for r in rows if r["section"] == "budget_line"}
        for line in (*report.budget_lines, report.total):
            found = lines[line.budget_line]
            assert minor(found["funds"], c) == line.funds
            assert minor(found["available"], c) == line.available
            assert {f: minor(found[f], c) for f in FIGURES} == msgspec.structs.asdict(line.figures)
        for section in ("form", "country", "dimension"):
            for line in report.budget_lines:
                shown = [
                    r
                    for r in rows
                    if (r["section"], r["budget_line"]) == (section, line.budget_line)
                ]
                for f in FIGURES:
                    assert sum(minor(r[f], c) for r in shown) == getattr(line.figures, f)


def test_the_csv_shows_each_currency_as_paid_and_at_booked_rates(
    reports: list[FinancialReport],
) -> None:
    for report in reports:
        rows = list(csv.DictReader(io.StringIO(to_csv(report))))
        for paid_in in report.by_currency:
            for section, settled, unit in (
                ("currency_original", paid_in.original, paid_in.currency),
                ("currency_booked", paid_in.booked, report.currency),
            ):
                (found,) = [
                    r for r in rows if (r["section"], r["key"]) == (section, paid_in.currency)
                ]
                assert found["currency"] == unit
                assert {o: minor(found[o], unit) for o in OUTCOMES} == msgspec.structs.asdict(
                    settled
                )
                assert found["committed"] == found["funds"] == ""
    assert any(r.by_currency and r.by_currency[-1].currency != r.currency for r in reports)


def test_the_xlsx_read_back_gives_the_same_totals(reports: list[FinancialReport]) -> None:
    for report in reports:
        book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
        assert book.sheetnames == [*SHEETS, "Ledger check"]
        c = report.currency
        lines = book["Budget lines"]
        header = [cell.value for cell in lines[1]]
        total = dict(zip(header, (cell.value for cell in lines[lines.max_row]), strict=True))
        assert total["budget line"] == "all budget lines"
        assert minor(total[f"funds ({c})"], c) == report.total.funds
        for f in FIGURES:
            assert minor(total[f"{f} ({c})"], c) == getattr(report.total.figures, f)
        for sheet in ("By form", "By country", "By dimension"):
            column = _column(book[sheet], f"committed ({c})")
            assert sum(minor(v, c) for v in column) == report.total.figures.committed
        about = {row[0].value: row[1].value for row in book["Report"].iter_rows()}
        assert about["agrees with the ledger"] == "yes"
        assert about["as of journal entry"] == report.as_of_seq


def test_the_xlsx_gives_each_amount_its_currencys_number_format(
    reports: list[FinancialReport],
) -> None:
    report = next(r for r in reports if any(c.currency == "XOF" for c in r.by_currency))
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))["By currency"]
    rows = list(sheet.iter_rows(min_row=2))
    xof = next(row for row in rows if row[1].value == "XOF")
    paid_as_paid, paid_booked = xof[2], xof[2 + len(OUTCOMES)]
    assert paid_as_paid.number_format == "#,##0"
    assert paid_booked.number_format == "#,##0.00"
    expected = next(c for c in report.by_currency if c.currency == "XOF")
    assert minor(paid_as_paid.value, "XOF") == expected.original.paid
    assert minor(paid_booked.value, report.currency) == expected.booked.paid


def test_the_json_document_decodes_to_its_schema(reports: list[FinancialReport]) -> None:
    for report in reports:
        doc = msgspec.json.decode(to_json(report), type=FinancialReportDocument, strict=True)
        assert doc.agrees_with_ledger
        assert doc.offices is None
        assert doc.total.budget_line == ALL_LINES
        committed = doc.total.figures.committed
        assert (committed.amount, committed.currency) == (
            format_minor(report.total.figures.committed, report.currency),
            report.currency,
        )


def test_no_export_names_a_case_a_person_or_a_payee(
    reports: list[FinancialReport], demo_file: Path
) -> None:
    store = SqlStore(f"sqlite:///{demo_file}")
    snapshot = store.snapshot()
    names = {*snapshot.cases, *snapshot.packages, *snapshot.disbursements}
    names |= {plain(d.payee) for d in read_opened(store, list(snapshot.disbursements.values()))}
    for report in reports:
        book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
        cells = " ".join(str(c.value) for ws in book for row in ws.iter_rows() for c in row)
        for text in (to_csv(report), to_json(report).decode(), cells):
            assert not [n for n in names if n in text]


def _column(sheet: Worksheet, name: str) -> Iterable[object]:
    header = [cell.value for cell in sheet[1]]
    index = header.index(name)
    return [row[index].value for row in sheet.iter_rows(min_row=2)]
