"""CSV statements: a provider's file read through its saved column mapping.

`parse_csv` reads the whole file or nothing: the first fault (undecodable byte, missing
column, malformed or truncated line, unreadable date, amount or currency) rejects the file
with `StatementRejected`, naming the line and column at fault.
A line of amount zero moves no money: it is left out of the statement, whose remarks name
it (`without_zero_lines`).

The file is read column by column rather than line by line (see `csv_table` and
`csv_columns`, `csv_amounts`): a statement of a million lines is read in seconds.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from reintegrate.adapters.statements import StatementRejected
from reintegrate.adapters.statements import csv_amounts as amt
from reintegrate.adapters.statements import csv_columns as col
from reintegrate.adapters.statements.csv_table import Table, decode_text, read_table
from reintegrate.reconcile.statements.csv_mapping import CsvMapping, mapping_problems
from reintegrate.reconcile.statements.lines import (
    Direction,
    LineStatus,
    Statement,
    StatementLine,
    without_zero_lines,
)
from reintegrate.texts import Text

__all__ = ["CsvMapping", "mapping_problems", "parse_csv"]


def parse_csv(data: bytes, mapping: CsvMapping, *, position_prefix: str = "") -> Statement:
    """The statement in `data`, read with `mapping`; positions read "line 12" (after the
    prefix). Raises `StatementRejected` for a file that cannot be read whole."""
    with _collector_paused():
        table = read_table(
            decode_text(data, mapping.encoding, position_prefix), mapping, position_prefix
        )
        currencies = _currencies(table, mapping, position_prefix)
        lines, any_zero = _lines(table, mapping, currencies, position_prefix)
    statement = Statement(
        format="csv",
        version=None,
        account=mapping.account,
        currency=_statement_currency(set(currencies), mapping, position_prefix),
        opening_balance=None,
        closing_balance=None,
        lines=lines,
    )
    return without_zero_lines(statement) if any_zero else statement


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the lines are made.

    A million new lines would trigger dozens of full collections, each walking every list
    alive (the file's columns hold millions of strings); the lines are frozen records of
    plain values, so no cycle can form, and the collector's state is restored after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _cells(table: Table, role: str, prefix: str) -> col.Cells:
    return col.Cells(prefix, table.line_numbers, table.names[role])


def _currencies(table: Table, mapping: CsvMapping, prefix: str) -> list[str]:
    if mapping.fixed_currency is not None:
        return col.fixed(mapping.fixed_currency, len(table))
    return col.by_distinct(
        table.columns["currency"], col.read_currency, _cells(table, "currency", prefix)
    )


def _lines(
    table: Table, mapping: CsvMapping, currencies: list[str], prefix: str
) -> tuple[tuple[StatementLine, ...], bool]:
    """The lines, and whether any has an amount of zero."""
    count = len(table)
    columns = table.columns
    booked_on = col.by_distinct(
        columns["date"],
        col.date_reader(mapping.date_format, mapping.earliest, mapping.latest),
        _cells(table, "date", prefix),
    )
    amounts, directions = _amounts_and_directions(table, mapping, currencies, prefix)
    statuses = (
        col.by_distinct(
            columns["status"],
            col.status_reader(mapping.status_map),
            _cells(table, "status", prefix),
        )
        if "status" in columns
        else col.fixed(LineStatus.BOOKED, count)
    )
    references = (
        col.texts(columns["reference"]) if "reference" in columns else col.fixed(None, count)
    )
    counterparties = (
        col.texts(columns["counterparty"]) if "counterparty" in columns else col.fixed(None, count)
    )
    positions = [f"{prefix}line {number}" for number in table.line_numbers]
    lines = tuple(
        [
            StatementLine(
                position=position,
                booked_on=day,
                reference=reference,
                amount=amount,
                currency=code,
                direction=direction,
                status=status,
                counterparty=counterparty,
            )
            for position, day, reference, amount, code, direction, status, counterparty in zip(
                positions,
                booked_on,
                references,
                amounts,
                currencies,
                directions,
                statuses,
                counterparties,
                strict=True,
            )
        ]
    )
    return lines, 0 in amounts


def _amounts_and_directions(
    table: Table, mapping: CsvMapping, currencies: list[str], prefix: str
) -> tuple[list[int], list[Direction]]:
    if mapping.amount is None:
        return amt.split_signs(_paired(table, mapping, currencies, prefix), Direction.DEBIT)
    signed = mapping.direction is None
    style = amt.AmountStyle(mapping.decimal_separator, mapping.thousands_separator, signed)
    amounts = amt.amounts(
        table.columns["amount"], currencies, style, _cells(table, "amount", prefix)
    )
    if signed:
        return amt.split_signs(amounts, mapping.negative_means)
    reader = col.direction_reader(mapping.debit_values, mapping.credit_values)
    directions = col.by_distinct(
        table.columns["direction"], reader, _cells(table, "direction", prefix)
    )
    return amounts, directions


def _paired(table: Table, mapping: CsvMapping, currencies: list[str], prefix: str) -> list[int]:
    style = amt.AmountStyle(
        mapping.decimal_separator,
        mapping.thousands_separator,
        signed=False,
        direction_by=Text("the column it is written in"),
    )
    return amt.paired(
        table.columns["debit_amount"],
        table.columns["credit_amount"],
        currencies,
        style,
        (_cells(table, "debit_amount", prefix), _cells(table, "credit_amount", prefix)),
    )


def _statement_currency(found: set[str], mapping: CsvMapping, prefix: str) -> str:
    declared = mapping.fixed_currency or mapping.account_currency
    if declared is not None:
        return declared
    if len(found) == 1:
        return found.pop()
    column = mapping.currency or "currency"
    if not found:
        message = Text("the file has no lines, and the mapping names no account_currency")
    else:
        message = Text(
            "the lines are in several currencies ({codes}) and the mapping names no "
            "account_currency for the statement",
            codes=", ".join(sorted(found)),
        )
    raise StatementRejected(message, field=f"{prefix}column {column}")
