"""The reconciliation report: every finding as one row that explains it, in words and
figures, and the totals per currency; as rows for CSV and a workbook for spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import msgspec

from reintegrate.money import format_minor, minor_digits
from reintegrate.notes import plain
from reintegrate.reconcile.matching.outcomes import CurrencyTotals, Finding, Outcome, Reconciliation
from reintegrate.reconcile.statements.imports import Decision, position_of

if TYPE_CHECKING:
    from openpyxl import Workbook

COLUMNS = (
    "outcome",
    "position",
    "reference",
    "disbursement_id",
    "expected",
    "on_statement",
    "currency",
    "difference",
    "explanation",
    "decision",
    "decision_reason",
    "decision_confirmed",
)


class FindingRow(msgspec.Struct, frozen=True, kw_only=True):
    outcome: str
    position: str
    reference: str
    disbursement_id: str
    expected: str
    on_statement: str
    currency: str
    difference: str
    explanation: str
    decision: str
    decision_reason: str
    decision_confirmed: bool


def explain(finding: Finding) -> str:
    """Why a finding is what it is, in a sentence."""
    line, payment = finding.line, finding.expected
    match finding.outcome:
        case Outcome.MATCHED:
            return "paid in full, as sent"
        case Outcome.AMOUNT_DIFFERS:
            assert line is not None
            assert payment is not None
            c = payment.currency
            return (
                f"the provider paid {format_minor(line.amount, line.currency)} {line.currency} "
                f"where {format_minor(payment.amount, c)} {c} was sent"
            )
        case Outcome.RETURNED_OR_REVERSED:
            paid = "paid, then came back" if line is not None else "came back unpaid"
            return f"{paid} ({', '.join(r.status.value for r in finding.returns)})"
        case Outcome.DUPLICATE_PAYMENT:
            first = finding.duplicate_of.disbursement_id if finding.duplicate_of else "?"
            return f"a second payment of {first}, already paid by another line"
        case Outcome.UNKNOWN_LINE:
            return "no payment of the programme has this reference, or this amount and date"
        case Outcome.MISSING:
            return "sent to the provider but not on the statement"
    return ""


def rows(rec: Reconciliation, decisions: dict[str, Decision]) -> Iterator[FindingRow]:
    for finding in rec.findings():
        yield _row(finding, decisions.get(position_of(finding)))


def difference_rows(rec: Reconciliation, decisions: dict[str, Decision]) -> Iterator[FindingRow]:
    """The rows of every finding but the matched ones, without making those (a million-line
    statement has hundreds of thousands of them, made only when asked for)."""
    for outcome in Outcome:
        if outcome is not Outcome.MATCHED:
            for finding in rec.of(outcome):
                yield _row(finding, decisions.get(position_of(finding)))


def _row(finding: Finding, decision: Decision | None) -> FindingRow:
    line, payment = finding.line or next(iter(finding.returns), None), finding.expected
    target = finding.duplicate_of or payment
    currency = (line.currency if line else None) or (payment.currency if payment else "")
    difference = finding.difference
    return FindingRow(
        outcome=finding.outcome.value,
        position=position_of(finding),
        reference=(line.reference or "") if line else (payment.reference if payment else ""),
        disbursement_id=target.disbursement_id if target else "",
        expected=format_minor(payment.amount, payment.currency) if payment else "",
        on_statement=format_minor(line.amount, line.currency) if line else "",
        currency=currency,
        difference="" if difference is None else format_minor(difference, currency),
        explanation=explain(finding),
        decision=decision.kind.value if decision else "",
        decision_reason=plain(decision.reason) if decision else "",
        decision_confirmed=bool(decision and decision.confirmed_by),
    )


def as_json(head: dict[str, object], report_rows: Iterator[FindingRow]) -> Iterator[bytes]:
    """The report as one JSON object: the keys of `head` (not empty), then `findings`, one
    finding a line, in pieces as the rows come: a million findings never sit in memory at
    once, as objects or as text."""
    opening = msgspec.json.encode(head)
    pieces, separator = [opening[:-1] + b',"findings":['], b"\n"
    for row in report_rows:
        pieces.append(separator + msgspec.json.encode(row))
        separator = b",\n"
        if len(pieces) >= JSON_PIECE_ROWS:
            yield b"".join(pieces)
            pieces = []
    yield b"".join(pieces) + b"\n]}\n"


JSON_PIECE_ROWS = 10_000
"""Findings encoded before they are handed on."""


def as_csv(report_rows: Iterator[FindingRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in report_rows:
        writer.writerow([getattr(row, c) for c in COLUMNS])
    return out.getvalue().encode()


TOTALS_COLUMNS = ("currency", "statement", *(o.value for o in Outcome), "difference")
"""The columns of the totals per currency, in every form the report takes."""


def totals_row(t: CurrencyTotals) -> dict[str, str]:
    """One currency's totals by column, amounts as decimal strings."""
    code = t.currency
    return {"currency": code, **{f: format_minor(getattr(t, f), code) for f in TOTALS_COLUMNS[1:]}}


AMOUNT_COLUMNS = frozenset({"expected", "on_statement", "difference"})
"""The findings' columns that hold amounts: numbers in the workbook, in the row's currency."""
DECISION_COLUMNS = (
    "decision_id",
    "position",
    "kind",
    "disbursement_id",
    "reason",
    "proposed_by",
    "confirmed_by",
)


def amount_format(code: str) -> str:
    """A spreadsheet number format for amounts of `code`: its minor unit's decimals, grouped
    thousands, and the code after the figure (`#,##0.00 "EUR"`; `#,##0 "XOF"`)."""
    digits = minor_digits(code)
    return '#,##0{} "{}"'.format("." + "0" * digits if digits else "", code)


def as_xlsx(
    rec: Reconciliation, report_rows: Iterator[FindingRow], decisions: Sequence[Decision] = ()
) -> bytes:
    """Three sheets, each with its header row frozen: the totals per currency, every
    finding, and the decisions taken on them. Amounts are numbers in their currency's
    format, so that a spreadsheet sums and sorts them."""
    from openpyxl import Workbook  # noqa: PLC0415  (here: only a workbook needs it)

    book = Workbook(write_only=True)
    totals = _sheet(book, "totals", TOTALS_COLUMNS)
    for t in rec.totals:
        values = totals_row(t)
        totals.append(
            [_cell(totals, values[c], t.currency, amount=c != "currency") for c in TOTALS_COLUMNS]
        )
    findings = _sheet(book, "findings", COLUMNS)
    for row in report_rows:
        findings.append(
            [
                _cell(findings, getattr(row, c), row.currency, amount=c in AMOUNT_COLUMNS)
                for c in COLUMNS
            ]
        )
    sheet = _sheet(book, "decisions", DECISION_COLUMNS)
    for d in decisions:
        taken = (
            d.decision_id,
            d.position,
            d.kind.value,
            d.disbursement_id or "",
            plain(d.reason),
            d.proposed_by,
            d.confirmed_by or "",
        )
        sheet.append([_cell(sheet, v, "", amount=False) for v in taken])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(book: Workbook, title: str, columns: Sequence[str]) -> Any:
    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    sheet.append(list(columns))
    return sheet


def _cell(sheet: Any, value: object, currency: str, *, amount: bool) -> object:
    """`value` as written: an amount (a decimal string) as a number in `currency`'s format.

    A spreadsheet keeps every number as a binary double: an amount of up to 15 significant
    digits (a thousand billion with two decimals) reads back as the same decimal figure."""
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415

    if isinstance(value, str) and value.startswith("="):
        text = WriteOnlyCell(sheet, value=value)
        text.data_type = "s"  # a bank's text, never a formula
        return text
    if not amount or not isinstance(value, str) or not value:
        return value
    cell = WriteOnlyCell(sheet, value=float(Decimal(value)))
    cell.number_format = amount_format(currency)
    return cell
