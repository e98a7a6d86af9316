"""The financial report as tables, one per breakdown: for spreadsheets and terminals.

Titles, headings and words in cells are `Text`s, shown in the reader's language; amounts are
`Minor` cells, numbers in the currency their heading names."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import msgspec

from reintegrate.kinds import DIMENSION_WORDS, FORM_WORDS
from reintegrate.money import amount_text, format_minor, minor_digits
from reintegrate.reconcile.reports.financial import (
    ALL_LINES,
    FIGURES,
    OUTCOMES,
    Figures,
    FinancialReport,
    Row,
)
from reintegrate.texts import Amount, Text

FIGURE_WORDS: dict[str, Text] = {
    "funds": Text("funds"),
    "available": Text("available"),
    "committed": Text("committed"),
    "paid": Text("paid"),
    "pending": Text("pending"),
    "failed": Text("failed"),
    "returned": Text("returned"),
    "reversed": Text("reversed"),
    "remaining": Text("remaining"),
}
"""The report's figures (and payments' outcomes, and a budget line's funds and what is
available on it) as words for their readers."""
assert set(FIGURES) | set(OUTCOMES) <= set(FIGURE_WORDS)


class Minor(msgspec.Struct, frozen=True):
    """An amount in minor units of `currency`, as a table cell."""

    amount: int
    currency: str

    def text(self) -> str:
        return format_minor(self.amount, self.currency)

    def decimal(self) -> Decimal:
        return Decimal(self.amount).scaleb(-minor_digits(self.currency))

    def said(self) -> Amount:
        return amount_text(self.amount, self.currency)


Cell = str | Text | Minor


class Sheet(msgspec.Struct, frozen=True, kw_only=True):
    """One breakdown of the report as a table: for a spreadsheet's sheet or a terminal."""

    title: Text
    header: tuple[Text, ...]
    rows: tuple[tuple[Cell, ...], ...]


def in_currency(figure: str, currency: str) -> Text:
    """A figure's heading: `paid (EUR)`."""
    return Text("{figure} ({currency})", figure=FIGURE_WORDS[figure], currency=currency)


def sheets(report: FinancialReport) -> list[Sheet]:
    """Budget lines, by form, by country, by dimension, by currency, and the ledger check."""
    c = report.currency
    figures = tuple(in_currency(f, c) for f in FIGURES)
    return [
        _lines(report, figures),
        _breakdown(Text("By form"), Text("form"), report.by_form, figures, c, words=FORM_WORDS),
        _breakdown(Text("By country"), Text("country of return"), report.by_country, figures, c),
        _breakdown(
            Text("By dimension"),
            Text("dimension"),
            report.by_dimension,
            figures,
            c,
            words=DIMENSION_WORDS,
        ),
        _currencies(report),
        _ledger_check(report),
    ]


def _lines(report: FinancialReport, figures: tuple[Text, ...]) -> Sheet:
    c = report.currency
    return Sheet(
        title=Text("Budget lines"),
        header=(
            Text("budget line"),
            in_currency("funds", c),
            in_currency("available", c),
            *figures,
        ),
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
        title=Text("By currency"),
        header=(
            Text("budget line"),
            Text("paid in"),
            *(Text("{outcome} (as paid)", outcome=FIGURE_WORDS[o]) for o in OUTCOMES),
            *(
                Text(
                    "{outcome} at booked rates ({currency})",
                    outcome=FIGURE_WORDS[o],
                    currency=c,
                )
                for o in OUTCOMES
            ),
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
        title=Text("Ledger check"),
        header=(
            Text("figure"),
            Text("where"),
            Text("report ({currency})", currency=c),
            Text("ledger ({currency})", currency=c),
        ),
        rows=tuple(
            (_figure_word(d.figure), d.where, Minor(d.report, c), Minor(d.ledger, c))
            for d in report.differences
        ),
    )


def _line_name(line: str) -> str | Text:
    return Text("all budget lines") if line == ALL_LINES else line


def _figure_word(figure: str) -> str | Text:
    return FIGURE_WORDS.get(figure, figure)


def _cells(figures: Figures, currency: str) -> tuple[Minor, ...]:
    return tuple(Minor(getattr(figures, f), currency) for f in FIGURES)


def _breakdown(
    title: Text,
    key: Text,
    rows: tuple[Row, ...],
    figures: tuple[Text, ...],
    c: str,
    *,
    words: Mapping[str, Text] | None = None,
) -> Sheet:
    """A sheet of `rows` by `key`, each key in `words` where they say it (a form, a dimension),
    as it is otherwise (a country code)."""
    said = words or {}
    return Sheet(
        title=title,
        header=(Text("budget line"), key, *figures),
        rows=tuple((r.budget_line, said.get(r.key, r.key), *_cells(r.figures, c)) for r in rows),
    )
