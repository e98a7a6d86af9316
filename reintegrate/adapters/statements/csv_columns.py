"""Reading columns of CSV text into dates, currencies, statuses, directions and texts.

Each function reads a whole column and raises `StatementRejected` for the first value (in
file order) it cannot read, naming its line and column. Columns with few distinct values
(dates, currencies, statuses, directions) are read once per distinct value. Amounts are read
by `csv_amounts`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from itertools import repeat
from typing import TypeVar

from reintegrate.adapters.statements import StatementRejected
from reintegrate.money import UnknownCurrency, currency
from reintegrate.reconcile.statements.lines import Direction, LineStatus
from reintegrate.texts import Text

T = TypeVar("T")


class Unreadable(ValueError):
    """One value that cannot be read; `text` says why."""

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


class Cells:
    """Where the values of one column sit in the file, to name a faulty one."""

    def __init__(self, prefix: str, line_numbers: Sequence[int], column: str) -> None:
        self.prefix = prefix
        self.line_numbers = line_numbers
        self.column = column

    def at(self, index: int) -> str:
        """The position of the `index`-th value: "line 14, column Amount"."""
        return f"{self.prefix}line {self.line_numbers[index]}, column {self.column}"

    def fault(self, index: int, message: Text) -> StatementRejected:
        return StatementRejected(message, field=self.at(index))


def by_distinct(values: list[str], read: Callable[[str], T], cells: Cells) -> list[T]:
    """`read` applied to every value, calling it once per distinct value."""
    table: dict[str, T] = {}
    faults: dict[str, Text] = {}
    distinct = set(values)
    for raw in distinct:
        try:
            table[raw] = read(raw)
        except Unreadable as exc:
            faults[raw] = exc.text
    if faults:
        first = min(values.index(raw) for raw in faults)
        raise cells.fault(first, faults[values[first]])
    if len(table) == 1:
        return fixed(table[distinct.pop()], len(values))
    return list(map(table.__getitem__, values))


def date_reader(date_format: str, earliest: dt.date, latest: dt.date) -> Callable[[str], dt.date]:
    def read(raw: str) -> dt.date:
        text = raw.strip()
        if not text:
            raise Unreadable(Text("the date is empty"))
        try:
            day = dt.datetime.strptime(text, date_format).date()
        except ValueError as exc:
            raise Unreadable(
                Text(
                    "'{text}' is not a date written as {format} ({reason})",
                    text=text,
                    format=date_format,
                    reason=str(exc),
                )
            ) from None
        if not earliest <= day <= latest:
            raise Unreadable(
                Text(
                    "the date {day} is out of range ({earliest} to {latest})",
                    day=day,
                    earliest=earliest,
                    latest=latest,
                )
            )
        return day

    return read


def read_currency(raw: str) -> str:
    code = raw.strip()
    if not code:
        raise Unreadable(Text("the currency is empty"))
    try:
        currency(code)
    except UnknownCurrency:
        raise Unreadable(Text("'{code}' is not an ISO 4217 currency code", code=code)) from None
    return code


def status_reader(status_map: Mapping[str, LineStatus]) -> Callable[[str], LineStatus]:
    known = ", ".join([*status_map, *LineStatus])

    def read(raw: str) -> LineStatus:
        text = raw.strip()
        if not text:
            return LineStatus.BOOKED
        if text in status_map:
            return status_map[text]
        try:
            return LineStatus(text.lower())
        except ValueError:
            raise Unreadable(
                Text("unknown status '{status}' (known: {known})", status=text, known=known)
            ) from None

    return read


def direction_reader(debits: Sequence[str], credits: Sequence[str]) -> Callable[[str], Direction]:
    table = {value.casefold(): Direction.DEBIT for value in debits}
    table |= {value.casefold(): Direction.CREDIT for value in credits}

    def read(raw: str) -> Direction:
        found = table.get(raw.strip().casefold())
        if found is None:
            raise Unreadable(
                Text(
                    "'{value}' is neither a debit ({debits}) nor a credit ({credits})",
                    value=raw.strip(),
                    debits=", ".join(debits),
                    credits=", ".join(credits),
                )
            )
        return found

    return read


def texts(values: list[str]) -> list[str | None]:
    """Free text (references, counterparties), trimmed; an empty cell is None."""
    return [text or None for text in map(str.strip, values)]


def fixed(value: T, count: int) -> list[T]:
    return list(repeat(value, count))
