"""The financial report as a JSON document: every amount a decimal string and its currency.

This is what the API answers and what `reintegrate report financial --format json` prints.
"""

from __future__ import annotations

import msgspec

from reintegrate.money import format_minor
from reintegrate.reconcile.reports.financial import (
    Figures,
    FinancialReport,
    LineFigures,
    Row,
    Settled,
)


class ReportAmount(msgspec.Struct, frozen=True, kw_only=True):
    amount: str
    currency: str


class ReportFigures(msgspec.Struct, frozen=True, kw_only=True):
    committed: ReportAmount
    paid: ReportAmount
    pending: ReportAmount
    failed: ReportAmount
    returned: ReportAmount
    reversed: ReportAmount
    remaining: ReportAmount


class ReportSettled(msgspec.Struct, frozen=True, kw_only=True):
    paid: ReportAmount
    pending: ReportAmount
    failed: ReportAmount
    returned: ReportAmount
    reversed: ReportAmount


class ReportLine(msgspec.Struct, frozen=True, kw_only=True):
    budget_line: str
    funds: ReportAmount
    available: ReportAmount
    figures: ReportFigures


class ReportRow(msgspec.Struct, frozen=True, kw_only=True):
    budget_line: str
    key: str
    figures: ReportFigures


class ReportCurrency(msgspec.Struct, frozen=True, kw_only=True):
    budget_line: str
    currency: str
    original: ReportSettled
    """In `currency`, as paid."""
    booked: ReportSettled
    """In the programme currency, at the rates the payments were booked at."""


class ReportDifference(msgspec.Struct, frozen=True, kw_only=True):
    figure: str
    where: str
    report: ReportAmount
    ledger: ReportAmount


class FinancialReportDocument(msgspec.Struct, frozen=True, kw_only=True):
    """The financial report of a programme (see `reintegrate.reconcile.reports.financial`)."""

    programme_id: str
    name: str
    currency: str
    as_of_seq: int
    offices: list[str] | None
    agrees_with_ledger: bool
    budget_lines: list[ReportLine]
    total: ReportLine
    by_form: list[ReportRow]
    by_country: list[ReportRow]
    by_dimension: list[ReportRow]
    by_currency: list[ReportCurrency]
    differences: list[ReportDifference]


def _amount(minor: int, currency: str) -> ReportAmount:
    return ReportAmount(amount=format_minor(minor, currency), currency=currency)


def _figures(f: Figures, c: str) -> ReportFigures:
    return ReportFigures(
        committed=_amount(f.committed, c),
        paid=_amount(f.paid, c),
        pending=_amount(f.pending, c),
        failed=_amount(f.failed, c),
        returned=_amount(f.returned, c),
        reversed=_amount(f.reversed, c),
        remaining=_amount(f.remaining, c),
    )


def _settled(s: Settled, c: str) -> ReportSettled:
    return ReportSettled(
        paid=_amount(s.paid, c),
        pending=_amount(s.pending, c),
        failed=_amount(s.failed, c),
        returned=_amount(s.returned, c),
        reversed=_amount(s.reversed, c),
    )


def document(report: FinancialReport) -> FinancialReportDocument:
    c = report.currency

    def line(b: LineFigures) -> ReportLine:
        funds, available = _amount(b.funds, c), _amount(b.available, c)
        return ReportLine(
            budget_line=b.budget_line,
            funds=funds,
            available=available,
            figures=_figures(b.figures, c),
        )

    def rows(found: tuple[Row, ...]) -> list[ReportRow]:
        return [
            ReportRow(budget_line=r.budget_line, key=r.key, figures=_figures(r.figures, c))
            for r in found
        ]

    return FinancialReportDocument(
        programme_id=report.programme_id,
        name=report.name,
        currency=c,
        as_of_seq=report.as_of_seq,
        offices=None if report.offices is None else list(report.offices),
        agrees_with_ledger=not report.differences,
        budget_lines=[line(b) for b in report.budget_lines],
        total=line(report.total),
        by_form=rows(report.by_form),
        by_country=rows(report.by_country),
        by_dimension=rows(report.by_dimension),
        by_currency=_currencies(report),
        differences=[
            ReportDifference(
                figure=d.figure,
                where=str(d.where),
                report=_amount(d.report, c),
                ledger=_amount(d.ledger, c),
            )
            for d in report.differences
        ],
    )


def _currencies(report: FinancialReport) -> list[ReportCurrency]:
    return [
        ReportCurrency(
            budget_line=r.budget_line,
            currency=r.currency,
            original=_settled(r.original, r.currency),
            booked=_settled(r.booked, report.currency),
        )
        for r in report.by_currency
    ]
