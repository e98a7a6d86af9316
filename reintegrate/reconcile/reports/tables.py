"""The financial report as tables, one per breakdown: for spreadsheets and terminals."""

from __future__ import annotations

from decimal import Decimal

import msgspec

from reintegrate.money import format_minor, minor_digits
from reintegrate.reconcile.reports.financial import (
    ALL_LINES,
    FIGURES,
    OUTCOMES,
    Figures,
    FinancialReport,
    Row,
)


class Minor(msgspec.Struct, frozen=True):
    """An amount in minor units of `currency`, as a table cell."""

    amount: int
    currency: str

    def text(self) -> str:
        return format_minor(self.amount, self.currency)

    def decimal(self) -> Decimal:
        return Decimal(self.amount).scaleb(-minor_digits(self.currency))


Cell = str | Minor


class Sheet(msgspec.Struct, frozen=True, kw_only=True):
    """One breakdown of the report as a table: for a spreadsheet's sheet or a terminal."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def sheets(report: FinancialReport) -> list[Sheet]:
    """Budget lines, by form, by country, by dimension, by currency, and the ledger check."""
    c = report.currency
    figures = tuple(f"{f} ({c})" for f in FIGURES)
    return [
        _lines(report, figures),
        _breakdown("By form", "form", report.by_form, figures, c),
        _breakdown("By country", "country of return", report.by_country, figures, c),
        _breakdown("By dimension", "dimension", report.by_dimension, figures, c),
        _currencies(report),
        _ledger_check(report),
    ]


def _lines(report: FinancialReport, figures: tuple[str, ...]) -> Sheet:
    c = report.currency
    return Sheet(
        title="Budget lines",
        header=("budget line", f"funds ({c})", f"available ({c})", *figures),
        rows=tuple(
            (
                _line_name(b.budget_line),
                Minor(b.funds, c),
                Minor(b.available, c),
                *_cells(b.figures, c),
            )
            for b in (*report.budget_lines, report.total)
        ),
    )


def _currencies(report: FinancialReport) -> Sheet:
    c = report.currency
    return Sheet(
        title="By currency",
        header=(
            "budget line",
            "paid in",
            *(f"{o} (as paid)" for o in OUTCOMES),
            *(f"{o} at booked rates ({c})" for o in OUTCOMES),
        ),
        rows=tuple(
            (
                r.budget_line,
                r.currency,
                *(Minor(getattr(r.original, o), r.currency) for o in OUTCOMES),
                *(Minor(getattr(r.booked, o), c) for o in OUTCOMES),
            )
            for r in report.by_currency
        ),
    )


def _ledger_check(report: FinancialReport) -> Sheet:
    c = report.currency
    return Sheet(
        title="Ledger check",
        header=("figure", "where", f"report ({c})", f"ledger ({c})"),
        rows=tuple(
            (d.figure, d.where, Minor(d.report, c), Minor(d.ledger, c)) for d in report.differences
        ),
    )


def _line_name(line: str) -> str:
    return "all budget lines" if line == ALL_LINES else line


def _cells(figures: Figures, currency: str) -> tuple[Minor, ...]:
    return tuple(Minor(getattr(figures, f), currency) for f in FIGURES)


def _breakdown(
    title: str, key: str, rows: tuple[Row, ...], figures: tuple[str, ...], c: str
) -> Sheet:
    return Sheet(
        title=title,
        header=("budget line", key, *figures),
        rows=tuple((r.budget_line, r.key, *_cells(r.figures, c)) for r in rows),
    )
